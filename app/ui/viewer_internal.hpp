#pragma once
// The viewer's state and frame loop, shared by its implementation files: viewer.cpp (setup, frame, input,
// picking, fly-to), viewer_actions.cpp (actions queued by the panels), viewer_present.cpp (slides, bookmarks,
// presentation mode), viewer_project.cpp (open/save, unsaved changes, export). Include only from those.
#include <epoxy/gl.h>
// epoxy first: GLFW must not pull in the system GL header.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <optional>
#include <cstdio>
#include <cstring>
#include <set>
#include "cli/args.hpp"
#include "core/error.hpp"
#include "export/image_writer.hpp"
#include "layer/layer_content.hpp"
#include "platform/fonts.hpp"
#include "platform/paths.hpp"
#include "render/highlight.hpp"
#include "render/map_renderer.hpp"
#include "ui/document.hpp"
#include "export/page.hpp"
#include "ui/export_session.hpp"
#include "ui/job_runner.hpp"
#include "ui/navigation.hpp"
#include "view/flight.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui::detail {

constexpr float kBaseFontPx = 16.0f;
const geo::Rgba kSea{0xd6, 0xe6, 0xf2, 0xff};

struct WindowInbox {
    std::vector<std::string> dropped;
};

struct Options {
    std::string projectPath;
    std::vector<std::string> layers;
    long frames = -1;  // -1: run until closed
    std::string screenshot;
    std::string select;  // a catalog project id to select and fly to once loaded
    bool presentDemo = false;  // smoke test: present every slide, then leave
    std::string exportPath;    // smoke test: export the view through the UI's tiled export once loaded
};

Options parseOptions(int argc, char** argv);
void onDrop(GLFWwindow* window, int count, const char** paths);

class Viewer {
public:
    Viewer(GLFWwindow* window, Options options) : window_(window), options_(std::move(options)), doc_(jobs_) {}
    int run(const geo::Project& project, const std::string& projectPath);

private:
    void frame();
    void handleInput();
    void updateCursor();
    void drawMenu();
    void drawAttribution();
    void applyActions();
    void rebuildFontsIfNeeded();
    void setViewFromProject(const geo::ProjectView& pv);
    void changeCrs(const std::string& code);
    float pixelRatio() const;
    void updateHover();
    void selectProjectById(const std::string& id);
    geo::ProjectView currentProjectView() const;
    geo::View viewFromProjectView(const geo::ProjectView& pv) const;
    void applySlide(size_t index, bool animate);
    void gotoBookmark(size_t index);
    void enterPresentation();
    void leavePresentation();
    void presentationKeys();
    void drawProjectDialogs();
    bool save(const std::string& path);
    void open(const std::string& path);
    std::string snapshot() const;  // what "unsaved changes" compares (everything but the view)
    void runPresentDemo(long frame);
    void updateHighlights();
    void startFlight(const geo::BBox& target);
    void flyTo(const geo::View& to);
    bool stepFlight();

    struct Flight {
        geo::FlightPath path;
        double start = 0;
    };

    GLFWwindow* window_;
    Options options_;
    JobRunner jobs_;
    Document doc_;
    UiState state_;
    Actions actions_;
    WindowInbox inbox_;
    geo::View view_;
    std::unique_ptr<render::MapRenderer> renderer_;
    render::RenderTarget mapTarget_;
    std::unique_ptr<geo::Transformer> toWgs84_, toGk_;
    platform::FontAtlasBuilder fonts_;
    bool mapDirty_ = true;
    bool quit_ = false;
    bool pendingFit_ = false;
    bool interacting_ = false;
    std::optional<Flight> flight_;
    double lastMouseX_ = -1, lastMouseY_ = -1;
    FeatureRef hoverShown_, selectedShown_;
    std::unique_ptr<render::Highlight> hoverHighlight_, selectedHighlight_;
    std::unique_ptr<ExportSession> export_;
    void drawExportDialog();
    void stepExport();
    std::string savedSnapshot_;
    bool openConfirmed_ = false, quitConfirmed_ = false;
    bool demoShotTaken_ = false;
    long demoStart_ = -1;
};

}  // namespace app::ui::detail
