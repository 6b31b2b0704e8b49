#pragma once
#include "gl/gl_objects.hpp"
#include "gl/program.hpp"

namespace app::render {

// Every program the map renderer uses, plus the shared corner quad for instanced symbols and segments.
struct Programs {
    Programs();
    gl::Program fill{"fill"}, line{"line"}, thinLine{"thinline"}, dot{"dot"}, point{"point"}, raster{"raster"}, composite{"composite"};
    gl::Buffer corners;  // 4 corners as a triangle strip
    gl::VertexArray emptyVao;
};

}  // namespace app::render
