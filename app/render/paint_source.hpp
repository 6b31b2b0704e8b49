#pragma once
// What the CPU painter (geo/paint/vector_paint.hpp) needs of a loaded vector layer: its features, the spotlight
// mask its GL colours were made with, and its vertices in the display CRS (vertices()): the layer's own when it is
// stored in that CRS, else read through a grid of PROJ's results (the scene keeps only the GPU copy). Shared by draw items like the GPU layer; safe to use from one thread at a time per call.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "crs/crs.hpp"
#include "layer/vector_layer.hpp"
#include "paint/vector_paint.hpp"

namespace app::render {

class PaintSource {
public:
    // `xy`: the display-CRS vertices when the caller has them (a paint-only load's copy); the table's own vertices
    // (a load that made none) or none: read as vertices() finds.
    PaintSource(std::shared_ptr<const geo::VectorLayerData> data, geo::Crs display, std::vector<uint8_t> spotlight,
                std::shared_ptr<const std::vector<double>> xy = nullptr);
    const geo::FeatureTable& table() const { return data_->source.table; }
    size_t vertexCount() const { return data_->source.table.xy.size() / 2; }
    const std::vector<uint8_t>& spotlight() const { return spotlight_; }
    // The display-CRS vertices (table().xy's indexing): the table's own when it is stored in the display CRS, those
    // given, or the table's through reprojectLayer's grid of PROJ results, read through it per vertex (the same bits as
    // its copy, without the copy's memory: 16 bytes a vertex). Only where no grid holds to 1 mm over the layer (a
    // layer spanning much of the globe) is a reprojected copy made, on first use, and kept while the source lives.
    // Throws geo::CrsError when no transformation exists.
    geo::PaintVertices vertices() const;
    // True when vertices() makes (or made) a copy. Finds the transformation and its grid on first use (PROJ work,
    // ~0.1 s at most: not for the window's thread).
    bool needsCopy() const;
    // needsCopy() once it has been found (by any thread), without waiting or PROJ work: nullopt before.
    std::optional<bool> knownNeedsCopy() const {
        const int k = known_.load();
        return k < 0 ? std::nullopt : std::optional<bool>(k == 1);
    }
    // The table's parts as the painter culls and orders them at `resolution` (geo::indexPaintParts), made once for
    // the tiles and bands of an output and kept for the last resolution asked. Throws like vertices().
    std::shared_ptr<const geo::PaintParts> parts(double resolution) const;

private:
    std::shared_ptr<const geo::VectorLayerData> data_;
    geo::Crs display_;
    std::vector<uint8_t> spotlight_;
    std::shared_ptr<const std::vector<double>> given_;
    void planLocked() const;  // finds exact_ and grid_ (under mutex_)
    mutable std::mutex mutex_;
    mutable bool planned_ = false, copied_ = false;
    mutable std::unique_ptr<geo::Transformer> exact_;      // none: the identity
    mutable std::unique_ptr<geo::GridTransformer> grid_;   // over exact_; none: no grid holds (then the copy)
    mutable std::vector<double> xy_;
    mutable std::atomic<int> known_{-1};  // needsCopy(): -1 not found yet, 0 no, 1 yes
    mutable std::shared_ptr<const geo::PaintParts> parts_;
};

// Threads that paint a layer: PLANATLAS_PAINT_THREADS (1-16, for benchmarks), else the hardware's (at most 8).
int paintThreads();

// Paints `source` in `view` (width x height pixels) as horizontal bands (of 128-255 rows with the parts' strips;
// else one a thread, or more for a layer of millions of features) taken in turn by paintThreads() threads, into `bands` (band b: rows bands[b].originY ..., top first), each thread with its own
// scratch from `scratches` (grown as needed; one stopped by a failure is replaced). Painting is CPU work and bands are
// independent: a band's pixel coordinates are the whole image's, a part across two is clipped to each, and the
// drawing order comes from a grid fixed to the map, so the bands give the pixels of the image painted whole
// (VectorPaint.BandsPaintTheWholesPixels). Rethrows a band's failure once all have stopped.
// `painted(band)`, when given, is called on the painting thread as each band is done (bands cover distinct rows).
void paintInBands(std::vector<geo::PaintImage>& bands, std::vector<geo::PaintScratchPtr>& scratches, int width,
                  int height, const geo::View& view, const PaintSource& source, const geo::Style& style,
                  const geo::PaintOptions& options,
                  const std::function<void(const geo::PaintImage&)>& painted = nullptr);

}  // namespace app::render
