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
#include <stdexcept>
#include <utility>

namespace app::gl {

class UploadContext {
public:
    // `context`: the upload context (opaque). `current()`: the context current on the calling thread (null: none).
    // `makeCurrent(c)`: makes `c` current on the calling thread (null: none); false when it could not.
    // `destroy()`: destroys `context` (called by the destructor, on the thread that destroys this object). Every
    // context the callbacks see belongs to one share group (the drawing context and this one).
    UploadContext(void* context, std::function<void*()> current, std::function<bool(void*)> makeCurrent,
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

    // Runs `work` with the upload context current on the calling thread. Throws std::runtime_error when the
    // context cannot be made current (the work does not run).
    template <typename Work>
    void run(Work&& work) {
        std::lock_guard<std::mutex> lock(mutex_);
        void* previous = current_();
        if (!makeCurrent_(context_)) {
            makeCurrent_(previous);
            throw std::runtime_error("cannot make the upload OpenGL context current");
        }
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

    // Runs `work` (deleting objects, say) in the calling thread's current context when it has one, which shares
    // this one's objects, without waiting for an upload in progress; through run() on a thread with none.
    template <typename Work>
    void runShared(Work&& work) {
        if (current_()) work();
        else run(std::forward<Work>(work));
    }

private:
    std::mutex mutex_;
    void* context_;
    std::function<void*()> current_;
    std::function<bool(void*)> makeCurrent_;
    std::function<void()> destroy_;
};

}  // namespace app::gl
