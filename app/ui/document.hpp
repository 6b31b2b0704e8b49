#pragma once
// The open document in the viewer: project settings, its layer slots, the display CRS, and the background
// jobs that load them. Main thread only; loads run through the JobRunner and land in the slots by id, so a
// slot removed meanwhile or a stale generation is simply dropped.
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "project/project.hpp"
#include "render/layer_slot.hpp"
#include "ui/job_runner.hpp"

namespace app::ui {

struct Message {
    enum Level { Info, Warning, Error } level;
    std::string text;
};

class Document {
public:
    explicit Document(JobRunner& jobs) : jobs_(jobs) {}

    // Replaces the document with `project` and starts loading every layer. Throws CrsError for a bad CRS
    // before changing anything.
    void open(const geo::Project& project, const std::string& path);
    void addLayers(const std::vector<geo::ProjectLayer>& layers);
    void removeLayer(size_t index);
    void moveLayer(size_t index, int delta);
    // Every loaded vector layer is re-projected in the background; rasters are re-read.
    void setDisplayCrs(const geo::Crs& crs);
    // Applies an edited style to the GPU buffers (categorized colours).
    void restyle(size_t index);
    void cancelLoad(size_t index);
    // Reads sharper windows of raster layers for `view` when their whole-extent textures are too coarse
    // (background jobs; GDAL picks the source overview for the resolution asked).
    void refreshRasterDetail(const geo::View& view);

    std::vector<std::unique_ptr<render::LayerSlot>>& layers() { return slots_; }
    const std::vector<std::unique_ptr<render::LayerSlot>>& layers() const { return slots_; }
    const geo::Crs& displayCrs() const { return crs_; }
    const geo::Project& settings() const { return project_; }
    const std::string& path() const { return path_; }
    geo::Project toProject() const;
    std::vector<geo::Bookmark>& bookmarks() { return project_.bookmarks; }
    std::vector<geo::Slide>& slides() { return project_.slides; }
    void setPath(const std::string& path) { path_ = path; }
    // Points a (broken) layer at another file and loads it.
    void repoint(size_t index, const std::string& source);

    // Set when anything visible changed since the last call (the map must be redrawn).
    bool takeChanged();
    // Code points of newly loaded text (for the font atlas); cleared by the call.
    std::vector<uint32_t> takeNewCodepoints();
    // Set once, when the first layer finishes loading after open() (to fit the view then).
    bool takeFirstLoad();
    std::deque<Message>& messages() { return messages_; }
    void report(Message::Level level, const std::string& text);
    size_t loading() const;

private:
    struct Loaded;
    void startLoad(render::LayerSlot& slot, bool reprojectOnly);
    render::LayerSlot* findSlot(uint64_t id);

    JobRunner& jobs_;
    geo::Project project_;
    std::string path_;
    geo::Crs crs_;
    std::vector<std::unique_ptr<render::LayerSlot>> slots_;
    std::vector<uint64_t> slotIds_;
    uint64_t nextId_ = 1;
    bool changed_ = true;
    bool firstLoadPending_ = false;
    std::vector<uint32_t> newCodepoints_;
    std::deque<Message> messages_;
};

}  // namespace app::ui
