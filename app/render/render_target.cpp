#include "render/render_target.hpp"

#include <stdexcept>
#include <string>

namespace app::render {

void RenderTarget::ensure(int width, int height, int samples) {
    GLint maxSamples = 1, maxSize = 0;
    glGetIntegerv(GL_MAX_SAMPLES, &maxSamples);
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
    samples = std::min(samples, static_cast<int>(maxSamples));
    if (width <= 0 || height <= 0 || width > maxSize || height > maxSize)
        throw std::runtime_error("render size " + std::to_string(width) + "x" + std::to_string(height) +
                                 " is outside what the GL driver supports (1.." + std::to_string(maxSize) + ")");
    if (width == width_ && height == height_ && samples == samples_ && resolveFbo_) return;
    width_ = width;
    height_ = height;
    samples_ = samples;

    texture_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    resolveFbo_ = gl::makeFramebuffer();
    glBindFramebuffer(GL_FRAMEBUFFER, resolveFbo_.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_.id(), 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        throw std::runtime_error("cannot create an offscreen framebuffer of that size");

    msFbo_.reset();
    msColor_.reset();
    if (samples > 1) {
        msColor_ = gl::makeRenderbuffer();
        glBindRenderbuffer(GL_RENDERBUFFER, msColor_.id());
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, width, height);
        msFbo_ = gl::makeFramebuffer();
        glBindFramebuffer(GL_FRAMEBUFFER, msFbo_.id());
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, msColor_.id());
        if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
            throw std::runtime_error("cannot create a multisampled framebuffer of that size");
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void RenderTarget::bindForDrawing() const {
    glBindFramebuffer(GL_FRAMEBUFFER, msFbo_ ? msFbo_.id() : resolveFbo_.id());
    glViewport(0, 0, width_, height_);
}

void RenderTarget::resolve() const {
    if (!msFbo_) return;
    glBindFramebuffer(GL_READ_FRAMEBUFFER, msFbo_.id());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolveFbo_.id());
    glBlitFramebuffer(0, 0, width_, height_, 0, 0, width_, height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void RenderTarget::readPixels(std::vector<uint8_t>& out) const {
    resolve();
    out.resize(size_t(width_) * height_ * 4);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, resolveFbo_.id());
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    std::vector<uint8_t> rows(out.size());
    glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, rows.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    const size_t stride = size_t(width_) * 4;
    for (int y = 0; y < height_; ++y) {
        const uint8_t* src = rows.data() + stride * (height_ - 1 - y);
        uint8_t* dst = out.data() + stride * y;
        for (size_t x = 0; x < stride; x += 4) {
            uint8_t a = src[x + 3];
            if (a == 255 || a == 0) {
                std::copy(src + x, src + x + 4, dst + x);
                continue;
            }
            for (int c = 0; c < 3; ++c) dst[x + c] = static_cast<uint8_t>(std::min(255, src[x + c] * 255 / a));
            dst[x + 3] = a;
        }
    }
}

void RenderTarget::copyTo(RenderTarget& dest, int x, int y) const { blitTo(dest.resolveFbo_.id(), x, y); }

void RenderTarget::blitTo(GLuint fbo, int x, int y) const {
    resolve();
    glBindFramebuffer(GL_READ_FRAMEBUFFER, resolveFbo_.id());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fbo);
    glBlitFramebuffer(0, 0, width_, height_, x, y, x + width_, y + height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

}  // namespace app::render
