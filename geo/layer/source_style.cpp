#include "layer/source_style.hpp"

#include <ogr_featurestyle.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <memory>

#include "source/gdal_handles.hpp"

namespace geo {

bool isKmlPath(const std::string& path) {
    std::string e = std::filesystem::path(path).extension().string();
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e == ".kml" || e == ".kmz";
}

namespace {

constexpr double kMaxStrokeWidth = 1000.0;  // pixels; far past any map outline

// "@red" names an entry of the layer's or the dataset's style table (LIBKML: a shared <Style id="red">).
std::string resolvedStyle(const char* text, OGRLayer& layer, GDALDataset& ds) {
    std::string s = text ? text : "";
    if (s.empty() || s[0] != '@') return s;
    for (OGRStyleTable* table : {layer.GetStyleTable(), ds.GetStyleTable()}) {
        const char* found = table ? table->Find(s.substr(1).c_str()) : nullptr;
        if (found) return found;
    }
    return {};
}

// `read` is the tool's colour getter, which says through its argument whether the colour is set.
template <typename Read>
std::optional<Rgba> toolColor(OGRStyleTool& tool, Read read) {
    GBool isNull = TRUE;
    const char* color = read(isNull);
    int r = 0, g = 0, b = 0, a = 255;
    if (isNull || !color || !tool.GetRGBFromString(color, r, g, b, a)) return std::nullopt;
    return Rgba{uint8_t(r), uint8_t(g), uint8_t(b), uint8_t(a)};
}

void applyStyleString(Style& style, const std::string& text) {
    OGRStyleMgr mgr;  // InitStyleString only takes "@name"; a style string is passed to each call instead
    const int parts = mgr.GetPartCount(text.c_str());
    for (int i = 0; i < parts; ++i) {
        std::unique_ptr<OGRStyleTool> tool(mgr.GetPart(i, text.c_str()));  // GetPart hands over a new tool
        if (!tool) continue;
        GBool isNull = TRUE;
        if (tool->GetType() == OGRSTCPen) {
            auto& pen = static_cast<OGRStylePen&>(*tool);
            pen.SetUnit(OGRSTUPixel);
            if (auto c = toolColor(pen, [&](GBool& n) { return pen.Color(n); })) style.stroke = *c;
            // A width the renderer could not draw (1e300 became an infinite float, which a saved project wrote as
            // null and could not read back) keeps the default.
            double w = pen.Width(isNull);
            if (!isNull && w > 0 && w <= kMaxStrokeWidth) style.strokeWidth = static_cast<float>(w);
        } else if (tool->GetType() == OGRSTCBrush) {
            auto& brush = static_cast<OGRStyleBrush&>(*tool);
            if (auto c = toolColor(brush, [&](GBool& n) { return brush.ForeColor(n); })) style.fill = *c;
        } else if (tool->GetType() == OGRSTCSymbol) {
            auto& symbol = static_cast<OGRStyleSymbol&>(*tool);
            if (auto c = toolColor(symbol, [&](GBool& n) { return symbol.Color(n); })) style.fill = *c;
        }
    }
}

}  // namespace

void applyKmlStyle(Style& style, const std::string& path, const std::string& layerName) {
    std::string err;
    auto ds = openDataset(path, GDAL_OF_VECTOR, nullptr, err);
    OGRLayer* layer = ds ? ds->GetLayerByName(layerName.c_str()) : nullptr;
    if (!layer) return;
    // A folder's placemarks are nearly always styled alike; looking at the first few keeps adding a big KML fast.
    layer->ResetReading();
    for (int i = 0; i < 64; ++i) {
        OGRFeatureUniquePtr f(layer->GetNextFeature());
        if (!f) return;
        std::string s = resolvedStyle(f->GetStyleString(), *layer, *ds);
        if (!s.empty()) return applyStyleString(style, s);
    }
}

}  // namespace geo
