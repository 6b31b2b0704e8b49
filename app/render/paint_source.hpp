#pragma once
// What the CPU painter (geo/paint/vector_paint.hpp) needs of a loaded vector layer: its features, the spotlight
// mask its GL colours were made with, and its vertices in the display CRS. Those are the layer's own when it is
// stored in that CRS; otherwise they are reprojected on first use (the scene keeps only the GPU copy) and kept
// while the source lives. Shared by draw items like the GPU layer; safe to use from one thread at a time per call.
#include <memory>
#include <mutex>
#include <vector>

#include "crs/crs.hpp"
#include "layer/vector_layer.hpp"
#include "paint/vector_paint.hpp"

namespace app::render {

class PaintSource {
public:
    // `xy`: the display-CRS vertices when the caller has them (a paint-only load), else made on first use.
    PaintSource(std::shared_ptr<const geo::VectorLayerData> data, geo::Crs display, std::vector<uint8_t> spotlight,
                std::shared_ptr<const std::vector<double>> xy = nullptr);
    const geo::FeatureTable& table() const { return data_->source.table; }
    size_t vertexCount() const { return data_->source.table.xy.size() / 2; }
    const std::vector<uint8_t>& spotlight() const { return spotlight_; }
    // The display-CRS vertices (table().xy's indexing). Throws geo::CrsError when no transformation exists.
    const double* displayXy() const;
    // The table's parts as the painter culls and orders them at `resolution` (geo::indexPaintParts), made once for
    // the tiles and bands of an output and kept for the last resolution asked. Throws like displayXy.
    std::shared_ptr<const geo::PaintParts> parts(double resolution) const;

private:
    std::shared_ptr<const geo::VectorLayerData> data_;
    geo::Crs display_;
    std::vector<uint8_t> spotlight_;
    std::shared_ptr<const std::vector<double>> given_;
    mutable std::mutex mutex_;
    mutable bool made_ = false, identity_ = false;
    mutable std::vector<double> xy_;
    mutable std::shared_ptr<const geo::PaintParts> parts_;
};

}  // namespace app::render
