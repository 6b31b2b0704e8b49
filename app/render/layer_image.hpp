#pragma once
// Heavy vector layers drawn from an image (#10). Mesa's software pipeline pays about a microsecond per triangle or
// line segment, so a layer of a million buildings costs over a second per frame at full extent however little of
// it changes. Above a threshold of primitives for the view, the window draws such a layer from an image of it at
// the view's resolution instead: rendered like an export (supersampled, ProgressiveFrame tiles, a few milliseconds
// of them a frame, so input is never held), over the view plus a margin for panning, then drawn as one textured
// quad. While a new image is drawn (zoomed, panned past the margin, restyled) the last complete one stands in,
// scaled (a layer seen for the first time fills in tile by tile). Exports never use these images: they draw the
// geometry (painted on the CPU where it can, held to the GPU's supersampled picture by the parity tests), so an
// image whose grid lines up with the view's is the export's picture. A layer the CPU painter can draw (and of at
// most 8M vertices) gets its image painted on a thread of the cache's, as an output paints it: 1M buildings at full
// extent complete in ~1.6 s instead of ~4.6 s of GPU tiles.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "paint/vector_paint.hpp"
#include "render/progressive_frame.hpp"

namespace app::render {

// One layer image painted on the CPU (geo::paintVectorLayer), off the main thread.
struct PaintJob {
    std::shared_ptr<const PaintSource> source;
    geo::Style style;
    geo::View region;
    geo::PaintOptions options;
    size_t copyLimit = SIZE_MAX;          // a source over this many vertices that needs a copy fails (state 2)
    geo::PaintImage image;                // the result (rows top first)
    std::atomic<bool> cancelled{false};   // its image was dropped: skip it if not started
    std::atomic<int> state{0};            // 0 waiting or painting, 1 painted, 2 failed (e.g. no transformation)
    std::mutex mutex;
    std::condition_variable finished;
};

// A thread that paints layer images, one job at a time, oldest first. Joined (after its current job) on destruction.
class PaintWorker {
public:
    PaintWorker();
    ~PaintWorker();
    void submit(std::shared_ptr<PaintJob> job);

private:
    void run();
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<PaintJob>> queue_;
    bool stop_ = false;
    std::vector<geo::PaintScratchPtr> scratches_;  // one a band (paintInBands)
    std::vector<geo::PaintImage> bands_;
    std::thread thread_;
};

class LayerImage {
public:
    static constexpr int kTile = 64;  // output pixels a side of a progressive tile (at 5x5 supersampling)
    static constexpr size_t kTilePrimitives = 25000;  // a tile with more is split (ProgressiveFrame::setCostLimit)

    // `item`: the layer as it is to be drawn (its opacity and swipe are applied when the image is drawn). `region`:
    // the pixel window drawn; `content`: where the layer can draw (its extent padded for strokes and symbols).
    // With a `painter` and a layer the CPU painter can draw (DrawItem::paint), the image is painted on that thread
    // (what outputs do; the map draws nothing of it until it is complete, or its stand-in); else drawn on the GPU.
    LayerImage(const DrawItem& item, const geo::View& region, const geo::BBox& content, float pixelRatio,
               PaintWorker* painter = nullptr);
    ~LayerImage();
    // GPU: draws tiles while the next fits in `budget` (at least one). Painted: waits up to `budget` for the
    // painting, and uploads it once done. True once the image is complete.
    bool step(MapRenderer& renderer, std::chrono::steady_clock::duration budget);
    bool complete() const { return painted_ || frame_.complete(); }
    bool paintedOnCpu() const { return job_ != nullptr; }
    std::chrono::steady_clock::duration lastTile() const { return job_ ? lastUpload_ : frame_.lastTile(); }
    // True when `view` has this image's resolution and the part of it where the layer can draw lies inside the
    // image's region.
    bool covers(const geo::View& view) const;
    // Whether this image shows `item` as it looks now (same GPU layer, colours, style and pixel ratio).
    bool shows(const DrawItem& item, float pixelRatio) const;
    const geo::View& region() const { return region_; }
    // Draws the image (premultiplied; partial until complete) at its place in `view` into the bound target.
    void draw(const Programs& programs, const geo::View& view) const;

private:
    void startGpu();
    ProgressiveFrame frame_{kTile};
    DrawItem item_;  // opacity 1, no swipe: applied when the image is drawn
    geo::View region_;
    geo::BBox content_;
    const GpuVectorLayer* layer_;
    const PaintSource* paint_;
    std::shared_ptr<PaintJob> job_;  // painted on the CPU
    bool painted_ = false;           // ... and uploaded
    gl::Texture texture_;
    std::chrono::steady_clock::duration lastUpload_{};
    uint64_t styleVersion_;
    geo::Style style_;
    float pixelRatio_;
    gl::Buffer quad_;
    gl::VertexArray vao_;
};

// The images of a window's heavy layers, kept across frames.
class LayerImageCache {
public:
    LayerImageCache();
    ~LayerImageCache();
    LayerImageCache(const LayerImageCache&) = delete;
    LayerImageCache& operator=(const LayerImageCache&) = delete;
    // Primitives (GpuVectorLayer::visiblePrimitives) above which a layer is drawn from an image: ~100 ms of
    // llvmpipe. PLANATLAS_LAYER_IMAGE_PRIMITIVES overrides it (tests, benchmarks; 0 turns images off).
    static size_t threshold();
    // Points every heavy vector item of `items` at its image for `view` (DrawItem::image), starting one where none
    // covers the view; drops the images of layers no longer drawn.
    void apply(std::vector<DrawItem>& items, const geo::View& view, float pixelRatio);
    // Draws pending images in what is left of the frame, `elapsed` being what the frame has spent so far (adopting
    // layers, the map's redraw): tiles while the next fits in budget(elapsed). A step that would likely take the
    // frame past kFrameLimit (its tile costing what the last one did; kFirstTileGuess before any) waits for the
    // next frame, but never two frames running, so images always progress. True when the map should be redrawn:
    // an image was completed, or a layer with no image to stand in has filled in more (every 0.25 s).
    bool step(MapRenderer& renderer, std::chrono::steady_clock::duration elapsed);
    bool pending() const;
    void clear() { entries_.clear(); }
    // What is left of kFrameTarget after `elapsed`, at most 25 ms (a step draws one tile at least), so frames that
    // also redraw a moving map stay under ~50 ms.
    static constexpr std::chrono::milliseconds kFrameTarget{40}, kFrameLimit{50};
    static constexpr std::chrono::milliseconds kFirstTileGuess{30};  // kTilePrimitives at ~1 us each
    static std::chrono::steady_clock::duration budget(std::chrono::steady_clock::duration elapsed);
    // Steps that waited for the next frame (tests).
    size_t deferredSteps() const { return deferred_; }

private:
    struct Entry {
        geo::LayerId layer = 0;
        std::shared_ptr<LayerImage> shown;  // complete: drawn while it covers the view, else as a stand-in
        std::shared_ptr<LayerImage> next;   // being drawn for the current view
        bool used = false;
    };
    std::vector<Entry> entries_;
    std::unique_ptr<PaintWorker> painter_;  // made with the first painted image
    std::chrono::steady_clock::time_point lastProgress_{};
    std::chrono::steady_clock::duration lastTile_ = kFirstTileGuess;
    bool deferredLast_ = false;
    size_t deferred_ = 0;
    size_t threshold_ = threshold();
};

}  // namespace app::render
