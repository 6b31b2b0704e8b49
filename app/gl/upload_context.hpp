#pragma once
// A second OpenGL context that shares objects (buffers, textures) with the drawing context, for uploads on worker
// threads. A large layer's buffers are allocated and filled off the main thread (llvmpipe takes 0.1–0.6 s for the
// ~200 MB of 1M buildings), so the frame that adopts them only wires vertex arrays to them (vertex arrays are not
// shared between contexts: they are always made by the context that draws).
//
// One thread at a time: run() takes a lock, makes the upload context current on the calling thread, runs the work,
// finishes it (glFinish: the objects are complete for every context sharing them, the condition the GL spec sets
// for using them there), then makes current again whatever context was current on that thread before (so it may
// also run on the main thread, e.g. to delete buffers that were never adopted).
//
// The window system is the caller's: GLFW in the viewer (a hidden window), EGL in headless code and tests.
#include <epoxy/gl.h>

#include <functional>
#include <mutex>
#include <utility>

namespace app::gl {

class UploadContext {
public:
    // `context`: the upload context (opaque). `current()`: the context current on the calling thread (null: none).
    // `makeCurrent(c)`: makes `c` current on the calling thread (null: none). `destroy()`: destroys `context`
    // (called by the destructor, on the thread that destroys this object).
    UploadContext(void* context, std::function<void*()> current, std::function<void(void*)> makeCurrent,
                  std::function<void()> destroy)
        : context_(context),
          current_(std::move(current)),
          makeCurrent_(std::move(makeCurrent)),
          destroy_(std::move(destroy)) {}
    UploadContext(const UploadContext&) = delete;
    UploadContext& operator=(const UploadContext&) = delete;
    ~UploadContext() {
        if (destroy_) destroy_();
    }

    template <typename Work>
    void run(Work&& work) {
        std::lock_guard<std::mutex> lock(mutex_);
        void* previous = current_();
        makeCurrent_(context_);
        struct Restore {  // also when the work throws: the thread's context is never left switched
            UploadContext& self;
            void* previous;
            ~Restore() {
                glFinish();
                self.makeCurrent_(previous);
            }
        } restore{*this, previous};
        work();
    }

private:
    std::mutex mutex_;
    void* context_;
    std::function<void*()> current_;
    std::function<void(void*)> makeCurrent_;
    std::function<void()> destroy_;
};

}  // namespace app::gl
