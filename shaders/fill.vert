#version 330 core
// Polygon fill. Positions are floats relative to the layer origin; u_offset = origin - view centre, computed in
// double on the CPU, so large projected coordinates keep their precision on the GPU.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;
layout(location = 2) in float a_symbology;  // pattern in the low 3 bits (dashed bit 3 and symbol: not used here)
uniform vec2 u_offset;
uniform vec2 u_scale;  // world units -> clip space
uniform float u_pixelsPerUnit;
out vec4 v_color;
out float v_diagonal;  // (x + y) in pixels from the layer origin: the hatching's coordinate
flat out int v_pattern;
void main() {
    v_color = a_color;
    v_pattern = int(a_symbology) & 7;
    v_diagonal = (a_pos.x + a_pos.y) * u_pixelsPerUnit;
    gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
}
