#version 330 core
// Hairline strokes (at most ~1.5 px wide): plain GL line strips over the layer's vertex buffer, one vertex
// shader run per vertex. Wider strokes use line.vert's screen-space capsules.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;  // per-vertex stroke colour, or a constant
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec4 u_color;
out vec4 v_color;
void main() {
    v_color = a_color * u_color;
    gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
}
