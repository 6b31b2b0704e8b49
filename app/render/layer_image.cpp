#include "render/layer_image.hpp"

#include "platform/thread_priority.hpp"
#include "render/paint_source.hpp"
#include "render/programs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace app::render {

namespace {
constexpr double kMargin = 0.25;       // of the view's size, each side: room to pan before a new image is needed
constexpr int kMaxSide = 4096;         // pixels a side of an image (64 MB of RGBA)
constexpr double kPadPixels = 16;      // around the layer's extent, at least: strokes and symbols reach past it
// Layers with more point symbols than this are drawn directly: symbols are not culled per cell, so every tile of an
// image would draw them all.
constexpr size_t kMaxPoints = 10000;
constexpr auto kProgressEvery = std::chrono::milliseconds(250);
// Layers with more vertices keep GPU-drawn images where painting them needs a copy of their vertices in the display
// CRS (PaintSource::needsCopy: no grid of PROJ results holds over them; 16 bytes a vertex, 128 MB at this limit,
// ~1.3M buildings). Such a copy of 10M synthetic buildings (70M vertices) in EPSG:4326 shown in EPSG:3857 took the
// window from 7.0 to 8.4 GiB; read through the grid instead, they need none.
constexpr size_t kMaxPaintedVertices = 8'000'000;
constexpr size_t kKeepScratchFeatures = 1'000'000;  // painting a larger layer frees its working memory after

// The layer's extent padded for its strokes and symbols at `view`'s resolution.
geo::BBox contentFor(const geo::View& view, const geo::BBox& extent, const geo::Style& style, float pixelRatio) {
    const double reach = std::max({kPadPixels, 0.5 * style.strokeWidth + 2.0, 0.5 * style.pointSize + 2.0});
    const double pad = reach * pixelRatio * view.resolution;
    geo::BBox b;
    b.add(extent.minX - pad, extent.minY - pad);
    b.add(extent.maxX + pad, extent.maxY + pad);
    return b;
}

// The pixel window of `view` (same grid, so an image drawn back at this resolution lines up pixel for pixel) that
// holds the view plus margins, clipped to the layer's content and to kMaxSide.
geo::View regionFor(const geo::View& view, const geo::BBox& content) {
    // The extent in the view's pixel coordinates (y down).
    const double ex0 = std::floor(view.worldToScreenX(content.minX)), ex1 = std::ceil(view.worldToScreenX(content.maxX));
    const double ey0 = std::floor(view.worldToScreenY(content.maxY)), ey1 = std::ceil(view.worldToScreenY(content.minY));
    auto span = [](double lo, double hi, double size, double e0, double e1) {
        const double margin = std::floor(kMargin * size);
        double a = std::max(lo - margin, e0), b = std::min(hi + margin, e1);
        if (b - a > kMaxSide) {  // keep the view, shrink the margins evenly
            const double excess = (b - a) - kMaxSide;
            a = std::min(lo, a + std::floor(excess / 2));
            b = a + kMaxSide;
        }
        if (b <= a) b = a + 1;
        return std::pair{a, b};
    };
    auto [x0, x1] = span(0, view.width, view.width, ex0, ex1);
    auto [y0, y1] = span(0, view.height, view.height, ey0, ey1);
    return MapRenderer::tileView(view, int(x0), int(y0), int(x1 - x0), int(y1 - y0));
}

size_t readThreshold() {
    if (const char* env = std::getenv("PLANATLAS_LAYER_IMAGE_PRIMITIVES")) {
        char* end = nullptr;
        const unsigned long long v = std::strtoull(env, &end, 10);
        if (end != env && *end == 0) return v == 0 ? SIZE_MAX : size_t(v);
    }
    return 100000;
}
}  // namespace

PaintWorker::PaintWorker() : thread_([this] { run(); }) {}

PaintWorker::~PaintWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void PaintWorker::submit(std::shared_ptr<PaintJob> job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void PaintWorker::run() {
    platform::lowerThisThreadsPriority();  // the window's frames first (its painting threads take this too)
    for (;;) {
        std::shared_ptr<PaintJob> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        if (job->cancelled) continue;
        int state = 1;
        try {
            if (job->source->vertexCount() > job->copyLimit && job->source->needsCopy())
                throw std::length_error("a copy of the vertices is over the limit");  // the GPU draws it instead
            job->options.cancel = &job->cancelled;  // its image dropped meanwhile (a zoom, the window closing)
            // In bands on threads, as outputs paint (the same pixels as painted whole).
            paintInBands(bands_, scratches_, job->region.width, job->region.height, job->region, *job->source,
                         job->style, job->options);
            if (bands_.size() == 1) {
                job->image = std::move(bands_[0]);
            } else {
                job->image.reset(job->region.width, job->region.height);
                const size_t row = size_t(job->region.width) * 4;
                for (const geo::PaintImage& band : bands_)
                    std::copy(band.rgba.begin(), band.rgba.end(), job->image.rgba.begin() + std::ptrdiff_t(row * band.originY));
            }
            bands_.clear();  // (their memory goes with the job's image)
            // A layer of millions of features leaves ~100 MB of working memory a thread: not kept for the next.
            if (job->source->table().featureCount() > kKeepScratchFeatures) scratches_.clear();
        } catch (...) {  // no transformation to the display CRS, memory: the GPU draws it instead (a scratch
            state = 2;   // a failed band used was replaced)
            bands_.clear();
        }
        {
            std::lock_guard<std::mutex> lock(job->mutex);
            job->state = state;
        }
        job->finished.notify_all();
    }
}

LayerImage::LayerImage(const DrawItem& item, const geo::View& region, const geo::BBox& content, float pixelRatio,
                       PaintWorker* painter)
    : item_(item), region_(region), content_(content), layer_(item.vector.get()), paint_(item.paint.get()),
      styleVersion_(item.vector->styleVersion()), style_(item.style), pixelRatio_(pixelRatio) {
    item_.opacity = 1.0f;  // applied when the image is drawn
    item_.swipeSide = 0;
    item_.image.reset();
    // (Whether a source needs a copy is PROJ work, found on the painter's thread by the first image of it; after that
    // a layer over the limit goes to the GPU at once, not behind the painter's queue.)
    const bool tooBig = item.paint && item.paint->vertexCount() > kMaxPaintedVertices &&
                        item.paint->knownNeedsCopy().value_or(false);
    if (painter && item.paint && !tooBig && defaultOutputPainter() == OutputPainter::Cpu) {
        // As outputs paint it (MapRenderer::drawPainted): dots sampled as the GPU's 5 x 5 would.
        job_ = std::make_shared<PaintJob>();
        job_->source = item.paint;
        job_->style = item.style;
        job_->region = region;
        job_->options.pixelRatio = pixelRatio;
        job_->options.minDotPixels = 1.0f / float(kOutputSupersample);
        job_->options.dotSamples = kOutputSupersample;
        job_->options.spotlight = item.paint->spotlight();
        job_->copyLimit = kMaxPaintedVertices;
        painter->submit(job_);
        makeImageQuad(quad_, vao_, float(0.5 * region.width * region.resolution),
                      float(0.5 * region.height * region.resolution), true);  // rows top first
    } else {
        startGpu();
    }
}

LayerImage::~LayerImage() {
    if (job_) job_->cancelled = true;
}

void LayerImage::startGpu() {
    job_.reset();
    // A tile of a dense cluster can hold hundreds of thousands of primitives (0.3 s): such tiles are split until
    // each holds about a frame's budget (llvmpipe: ~1 us a primitive at 5x5 supersampling).
    std::shared_ptr<const GpuVectorLayer> layer = item_.vector;
    frame_.setCostLimit([layer](const geo::View& v) { return layer->visiblePrimitives(v, 1.0f, false); },
                        kTilePrimitives);
    frame_.start(region_, {item_}, {}, geo::Rgba{0, 0, 0, 0}, pixelRatio_);
    makeImageQuad(quad_, vao_, float(0.5 * region_.width * region_.resolution),
                  float(0.5 * region_.height * region_.resolution), false);  // a framebuffer: row 0 is the south edge
}

bool LayerImage::step(MapRenderer& renderer, std::chrono::steady_clock::duration budget) {
    if (!job_) return frame_.step(renderer, budget);
    if (painted_) return true;
    {
        std::unique_lock<std::mutex> lock(job_->mutex);
        job_->finished.wait_for(lock, budget, [this] { return job_->state != 0; });
    }
    if (job_->state == 0) return false;
    if (job_->state == 2) {  // not paintable after all: tiles on the GPU from the next step
        startGpu();
        return false;
    }
    const auto t0 = std::chrono::steady_clock::now();
    texture_ = gl::makeTexture();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, job_->image.width, job_->image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 job_->image.rgba.data());
    job_->image = {};  // the texture holds it now
    painted_ = true;
    lastUpload_ = std::chrono::steady_clock::now() - t0;
    return true;
}

bool LayerImage::covers(const geo::View& view) const {
    const geo::View& r = region();
    if (std::abs(view.resolution - r.resolution) > 1e-9 * r.resolution) return false;
    // On the image's pixel grid (a pan by a whole number of pixels): sampled in between, texels would blend.
    const double ox = (view.screenToWorldX(0) - r.screenToWorldX(0)) / r.resolution;
    const double oy = (r.screenToWorldY(0) - view.screenToWorldY(0)) / r.resolution;
    constexpr double kOffGrid = 0.01;
    if (std::abs(ox - std::round(ox)) > kOffGrid || std::abs(oy - std::round(oy)) > kOffGrid) return false;
    // The visible part of the content, in the region's pixels.
    const geo::BBox v = view.extent();
    const double x0 = std::max(v.minX, content_.minX), x1 = std::min(v.maxX, content_.maxX);
    const double y0 = std::max(v.minY, content_.minY), y1 = std::min(v.maxY, content_.maxY);
    if (x1 <= x0 || y1 <= y0) return true;  // nothing of the layer in view
    constexpr double kSlack = 1e-3;
    return r.worldToScreenX(x0) >= -kSlack && r.worldToScreenX(x1) <= r.width + kSlack &&
           r.worldToScreenY(y1) >= -kSlack && r.worldToScreenY(y0) <= r.height + kSlack;
}

bool LayerImage::shows(const DrawItem& item, float pixelRatio) const {
    return item.vector.get() == layer_ && item.paint.get() == paint_ && item.vector->styleVersion() == styleVersion_ &&
           item.style == style_ && pixelRatio == pixelRatio_;
}

void LayerImage::draw(const Programs& programs, const geo::View& view) const {
    if (job_ ? !painted_ : !frame_.started()) return;
    const geo::View& r = region();
    const gl::Program& p = programs.layerImage;
    p.use();
    setViewUniforms(p, view, r.centerX, r.centerY);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, job_ ? texture_.id() : frame_.image().texture());
    // At its own resolution the quad lines up with the texels (linear sampling at their centres is exact). Scaled
    // as a stand-in it is sampled bilinearly, without mipmaps: llvmpipe takes ~50 ms to build them for a
    // window-sized image, more than a frame, for a picture shown only until the new image is complete.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glUniform1i(p.uniform("u_layer"), 0);
    glUniform1f(p.uniform("u_opacity"), 1.0f);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // premultiplied
    glBindVertexArray(vao_.id());
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}

size_t LayerImageCache::threshold() { return readThreshold(); }

std::chrono::steady_clock::duration LayerImageCache::budget(std::chrono::steady_clock::duration elapsed) {
    using namespace std::chrono;
    return std::clamp<steady_clock::duration>(kFrameTarget - elapsed, milliseconds(0), milliseconds(25));
}

void LayerImageCache::apply(std::vector<DrawItem>& items, const geo::View& view, float pixelRatio) {
    for (Entry& e : entries_) e.used = false;
    // A view wider or taller than an image can be is drawn directly.
    const bool fits = view.width <= kMaxSide && view.height <= kMaxSide;
    for (DrawItem& item : items) {
        item.image.reset();
        if (!item.vector || item.raster || item.tiles || item.swipeSide != 0 || item.opacity <= 0.0f) continue;
        const bool heavy = fits && item.vector->pointCount() <= kMaxPoints &&
                           item.vector->visiblePrimitives(view) > threshold_;
        auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.layer == item.layer; });
        if (it == entries_.end()) {
            if (!heavy) continue;
            entries_.push_back({item.layer});
            it = entries_.end() - 1;
        }
        Entry& e = *it;
        e.used = true;
        if (e.shown && !e.shown->shows(item, pixelRatio)) e.shown.reset();
        if (e.next && !e.next->shows(item, pixelRatio)) e.next.reset();
        if (e.next && e.next->complete()) e.shown = std::move(e.next);  // finished: the newest complete image
        if (!heavy) {
            e.next.reset();  // cheap at this view: drawn directly (the complete image is kept for zooming back out)
            continue;
        }
        if (e.shown && e.shown->covers(view)) {
            e.next.reset();
            item.image = e.shown;
            continue;
        }
        if (!e.next || !e.next->covers(view)) {
            const geo::BBox content = contentFor(view, item.vector->extent(), item.style, pixelRatio);
            if (item.paint && !painter_) painter_ = std::make_unique<PaintWorker>();
            e.next = std::make_shared<LayerImage>(item, regionFor(view, content), content, pixelRatio, painter_.get());
        }
        item.image = e.shown ? e.shown : e.next;  // the old image stands in; with none, the new one fills in
    }
    std::erase_if(entries_, [](const Entry& e) { return !e.used; });
}

bool LayerImageCache::step(MapRenderer& renderer, std::chrono::steady_clock::duration elapsed) {
    for (Entry& e : entries_) {
        if (!e.next || e.next->complete()) continue;
        if (!deferredLast_ && elapsed + lastTile_ > kFrameLimit) {  // e.g. the frame that adopted a large layer
            deferredLast_ = true;
            ++deferred_;
            return false;
        }
        deferredLast_ = false;
        const bool done = e.next->step(renderer, budget(elapsed));
        lastTile_ = e.next->lastTile();
        const auto now = std::chrono::steady_clock::now();
        if (done || (!e.shown && now - lastProgress_ >= kProgressEvery)) {
            lastProgress_ = now;
            return true;
        }
        return false;  // one image a frame
    }
    return false;
}

LayerImageCache::LayerImageCache() = default;

LayerImageCache::~LayerImageCache() {
    entries_.clear();  // first: their paintings, running or queued, are cancelled
    painter_.reset();  // then the thread is joined, its current painting stopping within ~1024 parts
}

bool LayerImageCache::pending() const {
    return std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.next && !e.next->complete(); });
}

}  // namespace app::render
