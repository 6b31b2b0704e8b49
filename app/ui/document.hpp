#pragma once
// The open document in the viewer: the project (the one model, changed only through commands, with undo and
// redo), the scene derived from it, and the background work that keeps the scene up to date.
//
// Every project change goes through apply()/undo()/redo(). update(), once per frame, compares the scene's keys
// with the project (render/scene.hpp) and queues what is out of date on the worker pool: a load when a layer's
// source changed, a reprojection when the display CRS changed, a restyle (main thread) when its style or the
// spotlight did. Results are adopted by layer id and checked against the project when they land, so a result for
// a layer removed, repointed or reprojected meanwhile is dropped. Main thread only.
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "project/history.hpp"
#include "render/scene.hpp"
#include "ui/worker_pool.hpp"

namespace app::ui {

struct Message {
    enum Level { Info, Warning, Error } level;
    std::string text;
};

class Document {
public:
    explicit Document(WorkerPool& pool) : pool_(pool) {}

    // Replaces the document with `project` (ids assigned) and forgets the undo history. Throws CrsError for a
    // bad display CRS before changing anything.
    void open(geo::Project project, const std::string& path);
    const geo::Project& project() const { return history_.project(); }
    const std::string& path() const { return path_; }
    void setPath(const std::string& path) { path_ = path; }

    // Applies a command; false when it changed nothing. Commands are undoable.
    bool apply(const geo::Command& command);
    bool undo();
    bool redo();
    void endGesture() { history_.endGesture(); }
    const geo::History& history() const { return history_; }
    // Project layers for new sources, with fresh ids (use with geo::cmd::addLayers). Offline, a network source
    // throws IoError before anything is contacted.
    std::vector<geo::ProjectLayer> newLayers(const std::string& pathSpec);
    // Gives `layers` fresh ids (for commands that add layers made elsewhere, e.g. the basemap menu's).
    void giveIds(std::vector<geo::ProjectLayer>& layers) {
        for (auto& l : layers) l.id = nextId_++;
    }
    // Where workers upload the layers they load (null: the main thread uploads when it adopts them). The context
    // must outlive the worker pool's jobs.
    void setUploadContext(gl::UploadContext* context) { upload_ = context; }
    // --offline: network sources are refused when added (the viewer refuses projects that read them).
    void setOffline(bool offline) { offline_ = offline; }
    // Sources this project may not read yet or at all (the reach prompt, ui/viewer_reach.cpp): their layers are not
    // loaded and show `reason` as their error. Applies to loads started from now on (set it before open()).
    void setBlockedSources(std::vector<std::string> sources, std::string reason);
    bool blocked(const std::string& source) const;
    // Reads the layers with these sources again (after the block changed: they load, or fail with the new reason).
    void reloadSources(const std::vector<std::string>& sources);

    // Brings the scene up to date with the project (queues loads, reprojections; restyles in place). Call once
    // per frame before drawing; also called by apply/undo/redo.
    void update();
    // Reads sharper windows of raster layers for `view` when their whole-extent textures are too coarse.
    void refreshRasterDetail(const geo::View& view);
    // Database layers (PG:) are read per view: the features in the view and a margin around it, simplified on
    // the server to the view's resolution. Reads again when the view leaves the window or zooms in or out 2x; the
    // old features stay on screen meanwhile. Also remembers the view for the first read of a new database layer.
    void refreshDatabaseWindows(const geo::View& view);
    // Tile basemaps: requests the tiles `view` needs and uploads those that arrived (a few ms a frame). True when
    // the map must be redrawn (tiles arrived or are fading in). A source's failures go to the Messages window once
    // per reason.
    bool prepareTiles(const geo::View& view);
    // Tiles still on their way (keep frames coming).
    bool tilesBusy() const;
    // Stops a layer's load; the layer shows as failed ("loading cancelled") until it is repointed.
    void cancelLoad(geo::LayerId id);
    // Reads a failed (or any) layer again from its source: a server back up, a file fixed in place.
    void retry(geo::LayerId id);
    // Spotlight of catalog projects (slides); not a project change.
    void setSpotlight(std::vector<std::string> ids);
    // A slide's timeline while presenting (its phase); nullopt = the project's own timeline. Not a project change.
    void setTimelineOverride(std::optional<geo::Timeline> t);

    const render::Scene& scene() const { return scene_; }
    render::Scene& scene() { return scene_; }
    const geo::Crs& displayCrs() const { return crs_; }
    uint64_t crsRevision() const { return crsRevision_; }

    // Set when anything visible changed since the last call (the map must be redrawn).
    bool takeChanged();
    // Code points of newly loaded text (for the font atlas); cleared by the call.
    std::vector<uint32_t> takeNewCodepoints();
    // Set once, when every layer has finished loading after open() (to fit the view then).
    bool takeFirstLoad();
    const std::deque<Message>& messages() const { return messages_; }
    void report(Message::Level level, const std::string& text);
    void clearMessages() { messages_.clear(); }
    size_t loading() const;  // layers loading, previews included
    // Local files of at least `minBytes` with over twice `features` features show their first `features` features
    // while the whole is read (0: never), then, while the file holds over five times as many, ten times as many,
    // and so on. Default 100000 features, 16 MiB; PLANATLAS_PREVIEW_FEATURES sets the count.
    void setPreview(size_t features, uint64_t minBytes) {
        previewFeatures_ = features;
        previewFileBytes_ = minBytes;
    }
    // Previews shown since construction, and the features of the last (tests).
    size_t previewsShown() const { return previewsShown_; }
    size_t lastPreviewFeatures() const { return lastPreviewFeatures_; }

private:
    void startLoad(render::SceneLayer& s, const geo::ProjectLayer& l, bool reprojectOnly);
    void adoptPreview(geo::LayerId id, uint64_t generation, const geo::JobProgress* job, const geo::Crs& crs,
                      render::LoadedLayer&& preview);
    struct TileErrorSaid {
        std::string text;
        std::chrono::steady_clock::time_point at;
    };
    std::map<geo::LayerId, TileErrorSaid> tileErrorsSaid_;  // the basemap failure last reported, and when
    void syncCrs();

    WorkerPool& pool_;
    gl::UploadContext* upload_ = nullptr;
    size_t previewFeatures_ = defaultPreviewFeatures();
    uint64_t previewFileBytes_ = 16u << 20;
    size_t previewsShown_ = 0, lastPreviewFeatures_ = 0;
    static size_t defaultPreviewFeatures();
    geo::History history_;
    render::Scene scene_;
    std::string path_;
    geo::Crs crs_;
    uint64_t crsRevision_ = 0;
    uint64_t syncedRevision_ = 0;
    geo::LayerId nextId_ = 1;
    bool changed_ = true;
    bool firstLoadPending_ = false;
    std::vector<uint32_t> newCodepoints_;
    std::optional<geo::Timeline> timelineOverride_;
    std::optional<geo::View> lastView_;  // the map's view, for database layers' windows
    std::string lastViewCrs_;            // the display CRS it is in
    std::deque<Message> messages_;
    bool offline_ = false;
    std::vector<std::string> blockedSources_;
    std::string blockReason_;
};

}  // namespace app::ui
