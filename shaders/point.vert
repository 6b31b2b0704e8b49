#version 330 core
// One instance per point: a screen-aligned square of the symbol size, shaped in the fragment shader.
layout(location = 0) in vec2 a_corner;
layout(location = 1) in vec2 a_center;
layout(location = 2) in vec4 a_color;
layout(location = 3) in float a_symbology;  // symbol in the high 4 bits, dashed outline in bit 3
uniform vec2 u_offset;
uniform float u_pixelsPerUnit;
uniform vec2 u_halfViewport;
uniform float u_radius;  // pixels
out vec2 v_local;        // pixels from the centre
out vec4 v_color;
flat out int v_shape;
flat out int v_dashed;
void main() {
    v_shape = int(a_symbology) >> 4;
    v_dashed = (int(a_symbology) >> 3) & 1;
    vec2 c = (a_center + u_offset) * u_pixelsPerUnit;
    float r = u_radius + 1.5;
    v_local = a_corner * r;
    v_color = a_color;
    gl_Position = vec4((c + v_local) / u_halfViewport, 0.0, 1.0);
}
