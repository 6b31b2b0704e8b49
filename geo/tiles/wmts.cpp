#include "tiles/wmts.hpp"

// [SECTION] XML helpers
// [SECTION] CRS names, units and axis order
// [SECTION] parseWmtsCapabilities
// [SECTION] chooseWmts, wmtsCapabilitiesUrl

#include <cpl_error.h>
#include <cpl_minixml.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "core/error.hpp"

namespace geo {

namespace {

constexpr const char* kWhat = "WMTS capabilities";

// [SECTION] XML helpers

struct XmlDeleter {
    void operator()(CPLXMLNode* n) const { CPLDestroyXMLNode(n); }
};
using XmlPtr = std::unique_ptr<CPLXMLNode, XmlDeleter>;

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Text of the child `path` ("A.B"), trimmed; "" when absent. An empty path: the node's own text.
std::string text(const CPLXMLNode* node, const char* path) {
    if (!node) return "";
    if (!*path) {
        for (const CPLXMLNode* c = node->psChild; c; c = c->psNext)
            if (c->eType == CXT_Text) return trim(c->pszValue);
        return "";
    }
    const char* v = CPLGetXMLValue(node, path, nullptr);
    return v ? trim(v) : std::string();
}

// Replaces every {name} (case-insensitive) with `value`.
void substitute(std::string& s, const std::string& name, const std::string& value) {
    std::string key = lower("{" + name + "}");
    for (size_t pos = 0; (pos = lower(s).find(key, pos)) != std::string::npos; pos += value.size())
        s.replace(pos, key.size(), value);
}

// Element children of `node` named `name`.
std::vector<const CPLXMLNode*> children(const CPLXMLNode* node, const char* name) {
    std::vector<const CPLXMLNode*> out;
    if (!node) return out;
    for (const CPLXMLNode* c = node->psChild; c; c = c->psNext)
        if (c->eType == CXT_Element && std::string(c->pszValue) == name) out.push_back(c);
    return out;
}

bool parseNumber(const std::string& s, double& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end && *end == '\0' && std::isfinite(out);
}

// "a b" -> two numbers.
bool parsePair(const std::string& s, double& a, double& b) {
    std::istringstream in(s);
    std::string sa, sb;
    if (!(in >> sa >> sb)) return false;
    return parseNumber(sa, a) && parseNumber(sb, b);
}

// [SECTION] CRS names, units and axis order

// "EPSG:N" for the usual spellings of an EPSG code (urn:ogc:def:crs:EPSG::3857, urn:ogc:def:crs:EPSG:6.18:3:3857,
// EPSG:3857, http://www.opengis.net/def/crs/EPSG/0/3857); OGC CRS84 is WGS84 in lon/lat order. Else as given.
std::string normaliseCrs(const std::string& supported) {
    std::string l = lower(supported);
    if (l.find("crs84") != std::string::npos) return "EPSG:4326";
    if (l.find("epsg") == std::string::npos) return supported;
    size_t end = l.size();
    size_t begin = end;
    while (begin > 0 && std::isdigit(static_cast<unsigned char>(l[begin - 1]))) --begin;
    if (begin == end) return supported;
    std::string code = l.substr(begin);
    if (code == "900913" || code == "3785" || code == "102100") code = "3857";
    return "EPSG:" + code;
}

struct CrsTraits {
    bool geographic = false;
    bool latLonAxes = false;     // the authority's axis order is latitude first
    double metersPerUnit = 1.0;  // a degree is 2 pi 6378137 / 360 m (OGC 07-057r7, 6.1)
};

CrsTraits crsTraits(const std::string& crs, const std::string& supported) {
    CrsTraits t;
    if (crs.rfind("EPSG:", 0) != 0) return t;
    int code = std::atoi(crs.c_str() + 5);
    OGRSpatialReference srs;
    CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
    if (srs.importFromEPSG(code) != OGRERR_NONE) return t;
    if (srs.IsGeographic()) {
        t.geographic = true;
        t.metersPerUnit = 2.0 * M_PI * 6378137.0 / 360.0;
        // CRS84 (mapped to EPSG:4326 above) is lon/lat by definition.
        t.latLonAxes = srs.EPSGTreatsAsLatLong() && lower(supported).find("crs84") == std::string::npos;
    } else if (srs.IsProjected()) {
        double m = srs.GetLinearUnits();
        if (m > 0) t.metersPerUnit = m;
    }
    return t;
}

// [SECTION] parseWmtsCapabilities

[[noreturn]] void fail(const std::string& cause) {
    throw FormatError(kWhat, "", cause);
}

WmtsMatrixSet parseMatrixSet(const CPLXMLNode* node) {
    WmtsMatrixSet set;
    set.id = text(node, "Identifier");
    if (set.id.empty()) fail("a TileMatrixSet has no Identifier");
    std::string supported = text(node, "SupportedCRS");
    if (supported.empty()) fail("tile matrix set '" + set.id + "' has no SupportedCRS");
    set.crs = normaliseCrs(supported);
    CrsTraits traits = crsTraits(set.crs, supported);
    set.grid.crs = set.crs;
    set.grid.minLevel = 0;
    for (const CPLXMLNode* m : children(node, "TileMatrix")) {
        TileMatrix level;
        level.id = text(m, "Identifier");
        std::string where = "tile matrix '" + level.id + "' of set '" + set.id + "'";
        if (level.id.empty()) fail("a TileMatrix of set '" + set.id + "' has no Identifier");
        double scale = 0;
        if (!parseNumber(text(m, "ScaleDenominator"), scale) || scale <= 0)
            fail(where + " has no valid ScaleDenominator");
        level.resolution = scale * 0.00028 / traits.metersPerUnit;
        double a = 0, b = 0;
        if (!parsePair(text(m, "TopLeftCorner"), a, b)) fail(where + " has no valid TopLeftCorner");
        // Geographic CRSs in EPSG order give latitude first; some servers write lon/lat anyway, which a first
        // value beyond +-90 gives away.
        if (traits.latLonAxes && std::fabs(a) <= 90.0) std::swap(a, b);
        level.originX = a;
        level.originY = b;
        double w = 0, h = 0, mw = 0, mh = 0;
        if (!parseNumber(text(m, "TileWidth"), w) || !parseNumber(text(m, "TileHeight"), h) || w < 1 || h < 1)
            fail(where + " has no valid TileWidth/TileHeight");
        if (!parseNumber(text(m, "MatrixWidth"), mw) || !parseNumber(text(m, "MatrixHeight"), mh) || mw < 1 || mh < 1 ||
            mw > 1e9 || mh > 1e9)
            fail(where + " has no valid MatrixWidth/MatrixHeight");
        level.matrixWidth = static_cast<int>(mw);
        level.matrixHeight = static_cast<int>(mh);
        if (set.grid.levels.empty()) {
            set.grid.tileWidth = static_cast<int>(w);
            set.grid.tileHeight = static_cast<int>(h);
        }
        set.grid.levels.push_back(level);
    }
    if (set.grid.levels.empty()) fail("tile matrix set '" + set.id + "' has no TileMatrix");
    return set;
}

WmtsLayer parseLayer(const CPLXMLNode* node) {
    WmtsLayer layer;
    layer.id = text(node, "Identifier");
    if (layer.id.empty()) fail("a Layer has no Identifier");
    layer.title = text(node, "Title");
    for (const CPLXMLNode* s : children(node, "Style")) {
        std::string id = text(s, "Identifier");
        if (id.empty()) continue;
        if (lower(text(s, "isDefault")) == "true")
            layer.styles.insert(layer.styles.begin(), id);
        else
            layer.styles.push_back(id);
    }
    for (const CPLXMLNode* f : children(node, "Format")) {
        std::string v = text(f, "");
        if (!v.empty()) layer.formats.push_back(v);
    }
    for (const CPLXMLNode* l : children(node, "TileMatrixSetLink")) {
        std::string v = text(l, "TileMatrixSet");
        if (!v.empty()) layer.matrixSets.push_back(v);
    }
    for (const CPLXMLNode* r : children(node, "ResourceURL")) {
        if (lower(text(r, "resourceType")) != "tile") continue;
        std::string tmpl = text(r, "template");
        if (!tmpl.empty()) {
            layer.resourceUrl = tmpl;
            break;
        }
    }
    // Dimensions (time, elevation) in a template take their default value.
    for (const CPLXMLNode* d : children(node, "Dimension")) {
        std::string id = text(d, "Identifier"), value = text(d, "Default");
        if (!id.empty() && !value.empty()) substitute(layer.resourceUrl, id, value);
    }
    if (const CPLXMLNode* bb = CPLGetXMLNode(node, "WGS84BoundingBox")) {
        double x0, y0, x1, y1;
        if (parsePair(text(bb, "LowerCorner"), x0, y0) && parsePair(text(bb, "UpperCorner"), x1, y1)) {
            layer.wgs84Bounds.add(x0, y0);
            layer.wgs84Bounds.add(x1, y1);
        }
    }
    return layer;
}

// The KVP GetTile endpoint: the Get of operation GetTile whose constraint allows KVP (or says nothing).
std::string kvpGetTileUrl(const CPLXMLNode* capabilities) {
    const CPLXMLNode* ops = CPLGetXMLNode(capabilities, "OperationsMetadata");
    for (const CPLXMLNode* op : children(ops, "Operation")) {
        if (text(op, "name") != "GetTile") continue;
        for (const CPLXMLNode* dcp : children(op, "DCP")) {
            for (const CPLXMLNode* http : children(dcp, "HTTP")) {
                for (const CPLXMLNode* get : children(http, "Get")) {
                    std::string href = text(get, "href");
                    if (href.empty()) continue;
                    std::string encodings;
                    for (const CPLXMLNode* c : children(get, "Constraint"))
                        if (const CPLXMLNode* av = CPLGetXMLNode(c, "AllowedValues"))
                            for (const CPLXMLNode* v : children(av, "Value")) encodings += lower(text(v, "")) + " ";
                    if (encodings.empty() || encodings.find("kvp") != std::string::npos) return href;
                }
            }
        }
    }
    return "";
}

}  // namespace

WmtsCapabilities parseWmtsCapabilities(const std::string& xml) {
    XmlPtr root;
    {
        CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
        CPLErrorReset();
        root.reset(CPLParseXMLString(xml.c_str()));
        if (!root) {
            std::string why = CPLGetLastErrorMsg();
            fail("not an XML document" + (why.empty() ? std::string() : " (" + why + ")"));
        }
    }
    CPLStripXMLNamespace(root.get(), nullptr, TRUE);
    const CPLXMLNode* caps = CPLGetXMLNode(root.get(), "=Capabilities");
    if (!caps) {
        if (const CPLXMLNode* ex = CPLGetXMLNode(root.get(), "=ExceptionReport")) {
            std::string msg = text(ex, "Exception.ExceptionText");
            fail("the service answered with an exception" + (msg.empty() ? std::string() : ": " + msg));
        }
        fail("not a WMTS capabilities document (no Capabilities element)");
    }
    WmtsCapabilities out;
    out.title = text(caps, "ServiceIdentification.Title");
    out.getTileKvpUrl = kvpGetTileUrl(caps);
    const CPLXMLNode* contents = CPLGetXMLNode(caps, "Contents");
    if (!contents) fail("no Contents element (no layers)");
    for (const CPLXMLNode* l : children(contents, "Layer")) out.layers.push_back(parseLayer(l));
    for (const CPLXMLNode* s : children(contents, "TileMatrixSet")) out.matrixSets.push_back(parseMatrixSet(s));
    if (out.layers.empty()) fail("no Layer in Contents");
    if (out.matrixSets.empty()) fail("no TileMatrixSet in Contents");
    return out;
}

// [SECTION] chooseWmts, wmtsCapabilitiesUrl

namespace {

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? "none" : s;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::string encodeQueryValue(const std::string& v) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : v) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '/' || c == ',') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

WmtsChoice chooseWmts(const WmtsCapabilities& caps, const TileOptions& options) {
    if (caps.layers.empty()) throw FormatError(kWhat, "", "the service offers no layer");
    const WmtsLayer* layer = &caps.layers.front();
    if (!options.layer.empty()) {
        auto it = std::find_if(
            caps.layers.begin(), caps.layers.end(), [&](const WmtsLayer& l) { return l.id == options.layer; });
        if (it == caps.layers.end()) {
            std::vector<std::string> ids;
            for (const auto& l : caps.layers) ids.push_back(l.id);
            throw FormatError(kWhat, "", "no layer '" + options.layer + "' (layers: " + joined(ids) + ")");
        }
        layer = &*it;
    }
    WmtsChoice choice;
    choice.layer = layer->id;

    if (options.style.empty()) {
        choice.style = layer->styles.empty() ? "default" : layer->styles.front();
    } else {
        if (!layer->styles.empty() && !contains(layer->styles, options.style))
            throw FormatError(
                kWhat, layer->id, "no style '" + options.style + "' (styles: " + joined(layer->styles) + ")");
        choice.style = options.style;
    }

    auto findSet = [&](const std::string& id) -> const WmtsMatrixSet* {
        for (const auto& s : caps.matrixSets)
            if (s.id == id) return &s;
        return nullptr;
    };
    const WmtsMatrixSet* set = nullptr;
    if (options.matrixSet.empty()) {
        for (const auto& id : layer->matrixSets) {
            const WmtsMatrixSet* s = findSet(id);
            if (s && s->crs == "EPSG:3857") {
                set = s;
                break;
            }
            if (s && !set) set = s;
        }
        if (!set)
            throw FormatError(kWhat,
                              layer->id,
                              "the layer links no tile matrix set the capabilities define (links: " +
                                  joined(layer->matrixSets) + ")");
    } else {
        if (!contains(layer->matrixSets, options.matrixSet))
            throw FormatError(kWhat,
                              layer->id,
                              "no tile matrix set '" + options.matrixSet +
                                  "' for this layer (sets: " + joined(layer->matrixSets) + ")");
        set = findSet(options.matrixSet);
        if (!set) throw FormatError(kWhat, layer->id, "tile matrix set '" + options.matrixSet + "' is not defined");
    }
    choice.matrixSet = set->id;
    choice.grid = set->grid;

    if (options.format.empty()) {
        choice.format = layer->formats.empty() ? "image/png" : layer->formats.front();
    } else {
        if (!layer->formats.empty() && !contains(layer->formats, options.format))
            throw FormatError(
                kWhat, layer->id, "no format '" + options.format + "' (formats: " + joined(layer->formats) + ")");
        choice.format = options.format;
    }

    if (!layer->resourceUrl.empty()) {
        std::string t = layer->resourceUrl;
        substitute(t, "Style", choice.style);
        substitute(t, "TileMatrixSet", choice.matrixSet);
        substitute(t, "TileMatrix", "{TileMatrix}");
        substitute(t, "TileRow", "{TileRow}");
        substitute(t, "TileCol", "{TileCol}");
        choice.urlTemplate = t;
    } else if (!caps.getTileKvpUrl.empty()) {
        std::string t = caps.getTileKvpUrl;
        if (t.find('?') == std::string::npos)
            t += '?';
        else if (t.back() != '?' && t.back() != '&')
            t += '&';
        t += "SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=" + encodeQueryValue(choice.layer) +
             "&STYLE=" + encodeQueryValue(choice.style) + "&TILEMATRIXSET=" + encodeQueryValue(choice.matrixSet) +
             "&FORMAT=" + encodeQueryValue(choice.format) +
             "&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}";
        choice.urlTemplate = t;
    } else {
        throw FormatError(
            kWhat, layer->id, "the service gives neither a ResourceURL tile template nor a KVP GetTile URL");
    }
    return choice;
}

std::string wmtsCapabilitiesUrl(const std::string& source) {
    std::string url = trim(source);
    if (lower(url.substr(0, 5)) == "wmts:") url = trim(url.substr(5));
    std::string l = lower(url);
    if (l.find("request=getcapabilities") != std::string::npos) return url;
    std::string path = l.substr(0, l.find('?'));
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".xml") == 0) return url;
    // A bare KVP endpoint: ask it for its capabilities.
    if (url.find('?') == std::string::npos)
        url += '?';
    else if (url.back() != '?' && url.back() != '&')
        url += '&';
    if (l.find("service=") == std::string::npos) url += "SERVICE=WMTS&";
    url += "REQUEST=GetCapabilities";
    return url;
}

}  // namespace geo
