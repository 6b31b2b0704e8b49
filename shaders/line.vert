#version 330 core
// One instance per segment (vertex i to vertex i+1), extruded in screen space to a quad covering the segment
// plus half the width and one pixel of antialiasing on every side. The fragment shader cuts a capsule out of it,
// which gives round caps and round joins with exact pixel widths.
layout(location = 0) in vec2 a_corner;  // (-1|1, -1|1)
layout(location = 1) in vec2 a_p0;
layout(location = 2) in vec2 a_p1;
layout(location = 3) in float a_valid;  // 0: no segment between these vertices (ring ends, bad vertices)
uniform vec2 u_offset;
uniform float u_pixelsPerUnit;
uniform vec2 u_halfViewport;  // pixels
uniform float u_halfWidth;    // pixels
out vec2 v_local;             // (along, across) in pixels from p0
flat out float v_length;
void main() {
    vec2 s0 = (a_p0 + u_offset) * u_pixelsPerUnit;
    vec2 s1 = (a_p1 + u_offset) * u_pixelsPerUnit;
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    vec2 nrm = vec2(-dir.y, dir.x);
    float r = u_halfWidth + 1.0;
    vec2 base = a_corner.x < 0.0 ? s0 : s1;
    vec2 p = base + dir * (a_corner.x * r) + nrm * (a_corner.y * r);
    v_local = vec2(dot(p - s0, dir), dot(p - s0, nrm));
    v_length = len;
    gl_Position = a_valid > 0.5 ? vec4(p / u_halfViewport, 0.0, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
}
