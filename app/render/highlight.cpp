#include "render/highlight.hpp"

namespace app::render {

std::unique_ptr<Highlight> makeHighlight(const geo::VectorLayerData& source, size_t feature, const geo::Crs& display,
                                         geo::Rgba color, float width, bool fill) {
    const geo::FeatureTable& t = source.source.table;
    if (feature >= t.featureCount() || t.partBegin(feature) == t.partEnd(feature)) return nullptr;
    auto h = std::make_unique<Highlight>();
    h->data = std::make_shared<geo::VectorLayerData>();
    h->data->source.crs = source.source.crs;
    geo::FeatureTable& out = h->data->source.table;
    out.beginFeature(t.fids[feature], t.kinds[feature]);
    for (uint32_t p = t.partBegin(feature); p < t.partEnd(feature); ++p) {
        for (uint32_t r = t.ringBegin(p); r < t.ringEnd(p); ++r) {
            for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) out.addVertex(t.xy[2 * v], t.xy[2 * v + 1]);
            out.endRing();
        }
        out.endPart();
    }
    out.endFeature();
    h->data->triangles = geo::tessellatePolygons(out, h->data->tess, &h->data->partTriangleEnds);
    geo::DisplayGeometry g = geo::reprojectLayer(*h->data, display, nullptr);
    if (g.extent.empty()) return nullptr;
    h->displayExtent = g.extent;
    h->style.fill = {color.r, color.g, color.b, 70};
    h->style.fillEnabled = fill;
    h->style.stroke = color;
    h->style.strokeWidth = width;
    h->style.pointSize = 18;
    h->gpu = std::make_unique<GpuVectorLayer>(stageVector(*h->data, g), *h->data, h->style);
    return h;
}

}  // namespace app::render
