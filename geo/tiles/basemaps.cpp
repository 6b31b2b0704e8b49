#include "tiles/basemaps.hpp"

#include "tiles/tile_source.hpp"

namespace geo {

namespace {

const char* kTiandituTerms =
    "Tianditu (天地图, National Platform for Common GeoSpatial Information Services): a free key from "
    "console.tianditu.gov.cn is required; set it in Settings > Basemap keys for tianditu.gov.cn.";

ProjectLayer tileLayer(const std::string& name, const std::string& source, const std::string& attribution, int minZoom,
                       int maxZoom, const std::string& subdomains) {
    ProjectLayer l;
    l.name = name;
    l.source = source;
    l.visible = false;
    l.attribution = attribution;
    l.options.tiles.minZoom = minZoom;
    l.options.tiles.maxZoom = maxZoom;
    l.options.tiles.subdomains = subdomains;
    l.style.fillEnabled = false;
    l.style.strokeEnabled = false;
    return l;
}

std::string tiandituTemplate(const std::string& layer) {
    return "https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=" + layer +
           "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}";
}

Basemap tianditu(const std::string& id, const std::string& label, const std::string& base, const std::string& notes,
                 const std::string& nameZh, const std::string& nameEn) {
    const std::string credit = "© 天地图 Tianditu (国家地理信息公共服务平台)";
    Basemap b{id, label, "tianditu.gov.cn", kTiandituTerms, {}};
    b.layers.push_back(tileLayer("天地图 " + nameZh + " Tianditu " + nameEn, tiandituTemplate(base), credit, 1, 18, "01234567"));
    b.layers.push_back(tileLayer("天地图 " + nameZh + "注记 Tianditu " + nameEn + " labels", tiandituTemplate(notes), credit, 1,
                                 18, "01234567"));
    return b;
}

}  // namespace

const std::vector<Basemap>& builtInBasemaps() {
    static const std::vector<Basemap> all = [] {
        std::vector<Basemap> v;
        Basemap osm{"osm", "OpenStreetMap standard", "",
                    "OpenStreetMap's tile servers: light use with attribution only; no bulk download or offline "
                    "packs (https://operations.osmfoundation.org/policies/tiles/).",
                    {}};
        osm.layers.push_back(tileLayer("底图 OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                       "© OpenStreetMap contributors (ODbL 1.0); tiles: OpenStreetMap Foundation", 0, 19, ""));
        v.push_back(osm);
        v.push_back(tianditu("tianditu-vec", "Tianditu vector", "vec", "cva", "矢量", "vector"));
        v.push_back(tianditu("tianditu-img", "Tianditu imagery", "img", "cia", "影像", "imagery"));
        v.push_back(tianditu("tianditu-ter", "Tianditu terrain", "ter", "cta", "地形", "terrain"));
        // The CGCS2000 geographic matrices, through the service's capabilities (WMTS "c").
        Basemap c{"tianditu-vec-c", "Tianditu vector (CGCS2000)", "tianditu.gov.cn", kTiandituTerms, {}};
        ProjectLayer vc = tileLayer("天地图 矢量 CGCS2000 Tianditu vector (CGCS2000)",
                                    "WMTS:https://t0.tianditu.gov.cn/vec_c/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&tk={key}",
                                    "© 天地图 Tianditu (国家地理信息公共服务平台)", 0, 17, "");  // WMTS levels count from 0
        vc.options.tiles.layer = "vec";
        vc.options.tiles.matrixSet = "c";
        c.layers.push_back(vc);
        v.push_back(c);
        return v;
    }();
    return all;
}

ProjectLayer customBasemapLayer(const std::string& source, const std::string& attribution) {
    std::string host = urlHost(source);
    ProjectLayer l = tileLayer(host.empty() ? source : host, source, attribution, 0, 19, "");
    if (source.find("{s}") != std::string::npos) l.options.tiles.subdomains = "abc";
    l.visible = true;
    return l;
}

}  // namespace geo
