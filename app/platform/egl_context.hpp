#pragma once
// A headless OpenGL 3.3 core context through EGL's surfaceless platform (Mesa): no X server, no window.
// Rendering goes to framebuffer objects only.
#include <string>

namespace app::platform {

class EglContext {
public:
    // Throws std::runtime_error with EGL's reason when no context can be made.
    EglContext();
    ~EglContext();
    EglContext(const EglContext&) = delete;
    EglContext& operator=(const EglContext&) = delete;
    std::string renderer() const;

private:
    void* display_ = nullptr;
    void* context_ = nullptr;
};

}  // namespace app::platform
