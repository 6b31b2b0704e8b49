#pragma once
// One feature copied into its own small layer, for hover and selection overlays drawn over the cached map.
#include <memory>

#include "render/gpu_layer.hpp"

namespace app::render {

struct Highlight {
    std::shared_ptr<geo::VectorLayerData> data;
    std::unique_ptr<GpuVectorLayer> gpu;
    geo::Style style;
    geo::BBox displayExtent;
};

// Builds the overlay for `feature` of `source` in `display` (main thread: uploads to GL). Returns null when the
// feature has no geometry or does not transform.
std::unique_ptr<Highlight> makeHighlight(const geo::VectorLayerData& source, size_t feature, const geo::Crs& display,
                                         geo::Rgba color, float width, bool fill);

}  // namespace app::render
