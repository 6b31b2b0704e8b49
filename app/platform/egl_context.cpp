#include "platform/egl_context.hpp"

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include <stdexcept>

namespace app::platform {

namespace {
std::string eglErrorText(const char* what) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s failed (EGL error 0x%04x)", what, eglGetError());
    return buf;
}
}  // namespace

EglContext::EglContext() {
    EGLDisplay dpy = EGL_NO_DISPLAY;
    const char* exts = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (exts && std::string(exts).find("EGL_MESA_platform_surfaceless") != std::string::npos)
        dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (dpy == EGL_NO_DISPLAY)
        throw std::runtime_error("no EGL surfaceless display (install Mesa: libegl-mesa0, libgl1-mesa-dri)");
    EGLint major = 0, minor = 0;
    if (!eglInitialize(dpy, &major, &minor)) throw std::runtime_error(eglErrorText("eglInitialize"));
    display_ = dpy;
    if (!eglBindAPI(EGL_OPENGL_API)) throw std::runtime_error(eglErrorText("eglBindAPI(OpenGL)"));
    const EGLint configAttribs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, 0, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint count = 0;
    if (!eglChooseConfig(dpy, configAttribs, &config, 1, &count) || count == 0) config = nullptr;
    const EGLint ctxAttribs[] = {EGL_CONTEXT_MAJOR_VERSION,
                                 3,
                                 EGL_CONTEXT_MINOR_VERSION,
                                 3,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                 EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                 EGL_NONE};
    EGLContext ctx = eglCreateContext(dpy, config, EGL_NO_CONTEXT, ctxAttribs);
    if (ctx == EGL_NO_CONTEXT) throw std::runtime_error(eglErrorText("eglCreateContext(OpenGL 3.3 core)"));
    context_ = ctx;
    config_ = config;
    if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx))
        throw std::runtime_error(eglErrorText("eglMakeCurrent(surfaceless)"));
}

EglContext::~EglContext() {
    if (display_) {
        eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (context_) eglDestroyContext(display_, context_);
        eglTerminate(display_);
    }
}

std::unique_ptr<gl::UploadContext> EglContext::makeUploadContext() const {
    EGLDisplay dpy = display_;
    // The bound API is per thread (and the first context may be made on any): OpenGL, not the default OpenGL ES.
    eglBindAPI(EGL_OPENGL_API);
    EGLint api[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3, EGL_CONTEXT_OPENGL_PROFILE_MASK,
                    EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    EGLContext shared = eglCreateContext(dpy, config_, static_cast<EGLContext>(context_), api);
    if (shared == EGL_NO_CONTEXT) throw std::runtime_error(eglErrorText("eglCreateContext(shared upload context)"));
    return std::make_unique<gl::UploadContext>(
        shared,
        [] {
            eglBindAPI(EGL_OPENGL_API);
            return static_cast<void*>(eglGetCurrentContext());
        },
        [dpy](void* c) -> bool {
            eglBindAPI(EGL_OPENGL_API);
            // Every context here is surfaceless.
            const EGLContext ctx = c ? static_cast<EGLContext>(c) : EGL_NO_CONTEXT;
            return eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx) == EGL_TRUE;
        },
        [dpy, shared] { eglDestroyContext(dpy, shared); });
}

std::string EglContext::renderer() const {
    const GLubyte* r = glGetString(GL_RENDERER);
    return r ? reinterpret_cast<const char*>(r) : "unknown";
}

}  // namespace app::platform
