#pragma once
// A headless OpenGL 3.3 core context through EGL's surfaceless platform (Mesa): no X server, no window.
// Rendering goes to framebuffer objects only.
#include <memory>
#include <string>

#include "gl/upload_context.hpp"

namespace app::platform {

class EglContext {
public:
    // Throws std::runtime_error with EGL's reason when no context can be made.
    EglContext();
    ~EglContext();
    EglContext(const EglContext&) = delete;
    EglContext& operator=(const EglContext&) = delete;
    std::string renderer() const;
    // A second context sharing this one's objects, for uploads on other threads (not current anywhere until
    // used). Destroy it before this context. Throws like the constructor.
    std::unique_ptr<gl::UploadContext> makeUploadContext() const;

private:
    void* display_ = nullptr;
    void* context_ = nullptr;
    void* config_ = nullptr;
};

}  // namespace app::platform
