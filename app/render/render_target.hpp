#pragma once
// An offscreen colour target: a multisampled framebuffer to draw into and a single-sample texture it resolves
// to (for compositing, blitting to the window, or reading back).
#include <cstdint>
#include <vector>

#include "gl/gl_objects.hpp"

namespace app::render {

class RenderTarget {
public:
    // Reallocates when size or samples change. Throws std::runtime_error when the driver refuses the size.
    void ensure(int width, int height, int samples);
    void bindForDrawing() const;
    // Resolves multisampled pixels into the texture.
    void resolve() const;
    // Resolves, then reads RGBA8 rows top-down into `out` (straight alpha, un-premultiplied).
    void readPixels(std::vector<uint8_t>& out) const;
    // Copies the resolved image to framebuffer `fbo` (0 = the window).
    // Copies the (resolved) image to framebuffer `fbo` with its lower-left corner at (x, y), unscaled.
    void blitTo(GLuint fbo, int x, int y) const;
    // Copies the (resolved) image into `dest`'s image with its lower-left corner at (x, y). `dest` must be
    // single-sample (a multisampled one would overwrite the copy when it resolves).
    void copyTo(RenderTarget& dest, int x, int y) const;
    int width() const { return width_; }
    int height() const { return height_; }
    GLuint texture() const { return texture_.id(); }

private:
    int width_ = 0, height_ = 0, samples_ = 0;
    gl::Framebuffer msFbo_, resolveFbo_;
    gl::Renderbuffer msColor_;
    gl::Texture texture_;
};

}  // namespace app::render
