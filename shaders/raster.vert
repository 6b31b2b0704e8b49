#version 330 core
layout(location = 0) in vec2 a_pos;  // relative to the image origin
layout(location = 1) in vec2 a_uv;
uniform vec2 u_offset;
uniform vec2 u_scale;
out vec2 v_uv;
void main() {
    v_uv = a_uv;
    gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
}
