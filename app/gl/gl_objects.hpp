#pragma once
// Move-only owners of OpenGL objects. Moves are destructive (the source is left empty); destruction deletes the
// object, so an owner must be destroyed on a thread with a context of the object's share group current: the main
// thread, or (render::GpuGeometry, which deletes through gl::UploadContext::runShared) any thread. Apart from these owners, only app/gl/program.cpp calls glDelete* in app/: glDeleteShader on
// the shader objects it creates, right after linking or when compiling fails (and ImGui's OpenGL backend deletes
// its own objects).
#include <epoxy/gl.h>

#include <utility>

namespace app::gl {

template <void (*Deleter)(GLuint)>
class Handle {
public:
    Handle() = default;
    explicit Handle(GLuint id) : id_(id) {}
    Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    GLuint id() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_) Deleter(id_);
        id_ = 0;
    }

private:
    GLuint id_ = 0;
};

inline void deleteBuffer(GLuint id) { glDeleteBuffers(1, &id); }
inline void deleteVertexArray(GLuint id) { glDeleteVertexArrays(1, &id); }
inline void deleteTexture(GLuint id) { glDeleteTextures(1, &id); }
inline void deleteFramebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
inline void deleteRenderbuffer(GLuint id) { glDeleteRenderbuffers(1, &id); }
inline void deleteProgram(GLuint id) { glDeleteProgram(id); }

using Buffer = Handle<deleteBuffer>;
using VertexArray = Handle<deleteVertexArray>;
using Texture = Handle<deleteTexture>;
using Framebuffer = Handle<deleteFramebuffer>;
using Renderbuffer = Handle<deleteRenderbuffer>;
using ProgramHandle = Handle<deleteProgram>;

inline Buffer makeBuffer() {
    GLuint id = 0;
    glGenBuffers(1, &id);
    return Buffer(id);
}
inline VertexArray makeVertexArray() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return VertexArray(id);
}
inline Texture makeTexture() {
    GLuint id = 0;
    glGenTextures(1, &id);
    return Texture(id);
}
inline Framebuffer makeFramebuffer() {
    GLuint id = 0;
    glGenFramebuffers(1, &id);
    return Framebuffer(id);
}
inline Renderbuffer makeRenderbuffer() {
    GLuint id = 0;
    glGenRenderbuffers(1, &id);
    return Renderbuffer(id);
}

// Uploads `bytes` to a new buffer bound at `target`.
inline Buffer uploadBuffer(GLenum target, const void* data, size_t bytes, GLenum usage = GL_STATIC_DRAW) {
    Buffer b = makeBuffer();
    glBindBuffer(target, b.id());
    glBufferData(target, static_cast<GLsizeiptr>(bytes), data, usage);
    return b;
}

}  // namespace app::gl
