#pragma once
#include "gl/gl_objects.hpp"
#include "gl/program.hpp"
#include "style/style.hpp"
#include "view/view.hpp"

namespace app::render {

// Every program the map renderer uses, plus the shared corner quad for instanced symbols and segments.
struct Programs {
    Programs();
    gl::Program fill{"fill"}, line{"line"}, thinLine{"thinline"}, dot{"dot"}, point{"point"}, raster{"raster"}, composite{"composite"};
    gl::Program downsample{"composite", "downsample"};
    gl::Program layerImage{"raster", "composite"};  // a premultiplied image placed in the world (LayerImage)
    gl::Buffer corners;  // 4 corners as a triangle strip
    gl::VertexArray emptyVao;
};

// View uniforms of every map program: u_offset = origin - centre computed in doubles, so floats relative to the
// layer origin keep their precision on the GPU.
void setViewUniforms(const gl::Program& p, const geo::View& v, double originX, double originY);
void setColor(GLint location, geo::Rgba c);
// Binds the shared corner quad as attribute 0 of the bound vertex array (instanced symbols).
void bindCorners(const Programs& programs);

// A textured quad of half-size (hw, hh) around its centre for program `raster`'s attributes (0: position, 1: uv),
// as a 4-vertex triangle strip in `vbo`/`vao`. `topRowFirst`: the image's row 0 is the north edge (an uploaded
// image); otherwise the south edge (a framebuffer's texture).
void makeImageQuad(gl::Buffer& vbo, gl::VertexArray& vao, float hw, float hh, bool topRowFirst);

}  // namespace app::render
