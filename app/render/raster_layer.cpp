#include "render/gpu_layer.hpp"
#include "render/programs.hpp"

namespace app::render {

void makeImageQuad(gl::Buffer& vbo, gl::VertexArray& vao, float hw, float hh, bool topRowFirst) {
    const float south = topRowFirst ? 1.0f : 0.0f, north = 1.0f - south;
    const float quad[] = {-hw, -hh, 0, south, hw, -hh, 1, south, -hw, hh, 0, north, hw, hh, 1, north};
    vao = gl::makeVertexArray();
    glBindVertexArray(vao.id());
    vbo = gl::uploadBuffer(GL_ARRAY_BUFFER, quad, sizeof quad);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), reinterpret_cast<const void*>(8));
    glBindVertexArray(0);
}

GpuRasterLayer::GpuRasterLayer(const geo::RasterImage& image) : extent_(image.extent) {
    texture_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 image.rgba.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    makeImageQuad(quad_, vao_, static_cast<float>(0.5 * extent_.width()), static_cast<float>(0.5 * extent_.height()),
                  true);
}

void GpuRasterLayer::draw(const Programs& programs, const DrawParams& params) const {
    const gl::Program& p = programs.raster;
    p.use();
    setViewUniforms(p, *params.view, extent_.centerX(), extent_.centerY());
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glUniform1i(p.uniform("u_image"), 0);
    glUniform1f(p.uniform("u_alpha"), 1.0f);
    glBindVertexArray(vao_.id());
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

}  // namespace app::render
