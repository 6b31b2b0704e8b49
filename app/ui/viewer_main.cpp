// The viewer's entry point: options, the recovery and offline checks, the window and its upload context, then
// the Viewer's main loop (viewer.cpp).
#include "ui/viewer.hpp"

#include <cstdlib>
#include <memory>

#include "cli/reach_check.hpp"
#include "gl/upload_context.hpp"
#include "platform/thread_priority.hpp"
#include "ui/viewer_internal.hpp"

namespace app::ui {

namespace {
void glfwError(int code, const char* text) {
    std::fprintf(stderr, "planatlas: GLFW error 0x%x: %s\n", code, text ? text : "(no description)");
}

GLFWwindow* createWindow(const std::string& title, bool vsync) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    glfwWindowHintString(GLFW_X11_CLASS_NAME, "planatlas");  // matches StartupWMClass in the desktop entry
    // 1600x1000 (the layout's design size), or the screen when it is smaller.
    int width = 1600, height = 1000;
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor())
        if (const GLFWvidmode* mode = glfwGetVideoMode(monitor)) {
            width = std::min(width, mode->width);
            height = std::min(height, mode->height);
        }
    GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!window) return nullptr;
    glfwMakeContextCurrent(window);
    glfwSwapInterval(vsync ? 1 : 0);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsLight();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    return window;
}

// A hidden window whose context shares objects with `window`'s, for the workers' uploads; null when it cannot be
// made or PLANATLAS_WORKER_UPLOADS=0 (the main thread then uploads each layer as it adopts it).
std::unique_ptr<gl::UploadContext> createUploadContext(GLFWwindow* window) {
    if (const char* e = std::getenv("PLANATLAS_WORKER_UPLOADS"); e && std::string(e) == "0") return nullptr;
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWwindow* hidden = glfwCreateWindow(16, 16, "planatlas uploads", nullptr, window);
    glfwDefaultWindowHints();
    if (!hidden) {
        std::fprintf(stderr, "planatlas: no shared OpenGL context for background uploads; layers upload as they "
                             "are shown\n");
        return nullptr;
    }
    return std::make_unique<gl::UploadContext>(
        hidden, [] { return static_cast<void*>(glfwGetCurrentContext()); },
        [](void* c) {
            glfwMakeContextCurrent(static_cast<GLFWwindow*>(c));
            return glfwGetCurrentContext() == c;
        },
        [hidden] { glfwDestroyWindow(hidden); });
}
}  // namespace

int runViewer(int argc, char** argv) {
    platform::setBackgroundThreadsYield(true);  // before any worker starts: the window's frames come first
    detail::Options options;
    geo::Project project;
    std::string projectPath;
    try {
        options = detail::parseOptions(argc, argv);
        if (options.recoverList) return printRecoveries(platform::stateDir());
        if (options.recover) {  // the newest recovery file of a session that ended without saving
            const geo::RecoveryEntry e = recoveryToRestore(platform::stateDir(), options.projectPath);
            project = geo::readRecovery(e.file);
            projectPath = e.projectPath;
            options.recoveredFile = e.file;
            std::fprintf(stderr, "planatlas: restoring the unsaved changes of %s from %s (%s)\n",
                         e.projectPath.empty() ? "an untitled project" : e.projectPath.c_str(),
                         localTimeText(e.savedAt).c_str(), e.file.c_str());
        } else {
            projectPath = options.projectPath.empty() ? platform::defaultProjectPath() : options.projectPath;
            project = geo::loadProject(projectPath);
        }
        geo::Crs::fromUser(project.displayCrs);
        if (options.offline) {
            geo::Project all = project;  // the project's layers and those named on the command line
            for (const auto& p : options.layers) all.layers.push_back(geo::ProjectLayer{0, p, p});
            if (std::string refusal = cli::offlineRefusal(all); !refusal.empty()) throw cli::OfflineRefusal(refusal);
        }
    } catch (const cli::UsageError& e) {
        std::fprintf(stderr, "planatlas: %s (see planatlas --help)\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "planatlas: error: %s\n", e.what());
        return 1;
    }
    if (!glfwInit()) {  // before the error callback: "no display" gets one line, not two
        std::fprintf(stderr,
                     "planatlas: no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset or unreachable); "
                     "use 'planatlas render --out map.png' for a headless PNG, or run the viewer under "
                     "'xvfb-run planatlas'\n");
        return 1;
    }
    glfwSetErrorCallback(glfwError);
    std::string title = "Plan Atlas — " + (project.title.empty() ? projectPath : project.title);
    GLFWwindow* window = createWindow(title, options.frames < 0);
    if (!window) {
        std::fprintf(stderr, "planatlas: cannot create an OpenGL 3.3 window (see the GLFW error above)\n");
        glfwTerminate();
        return 1;
    }
    std::unique_ptr<gl::UploadContext> uploads = createUploadContext(window);
    int rc = 1;
    try {
        detail::Viewer viewer(window, options);
        viewer.setUploadContext(uploads.get());
        rc = viewer.run(project, projectPath);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "planatlas: error: %s\n", e.what());
    }
    uploads.reset();  // after the viewer (its worker pool) is gone
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}

}  // namespace app::ui
