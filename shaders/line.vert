#version 330 core
// Six vertices per segment (vertex i to vertex i+1 of the layer), no vertex attributes: the segment and the
// corner come from gl_VertexID and the positions from a buffer texture. (Instancing costs llvmpipe a whole
// draw per instance; this keeps one draw per layer.) Each segment becomes a quad covering it plus half the
// width and one pixel of antialiasing on every side; the fragment shader cuts a capsule out of it, which gives
// round caps and round joins with exact pixel widths.
uniform samplerBuffer u_positions;  // RG32F, relative to the layer origin
uniform usamplerBuffer u_valid;     // R8UI: 0 = no segment between these vertices (ring ends, bad vertices)
uniform samplerBuffer u_strokeColors;  // RGBA8 per vertex, used when u_perVertexColor is set
uniform bool u_perVertexColor;
uniform usamplerBuffer u_symbology;  // R8UI per vertex (style symbology byte), read when u_dashes is set
uniform bool u_dashes;               // dash the segments whose symbology has the dashed-outline bit (8)
uniform vec4 u_color;
uniform vec2 u_offset;
uniform float u_pixelsPerUnit;
uniform vec2 u_halfViewport;  // pixels
uniform float u_halfWidth;    // pixels
out vec2 v_local;             // (along, across) in pixels from p0
flat out float v_length;
flat out vec4 v_color;
flat out float v_dashed;
const vec2 kCorners[6] = vec2[6](vec2(-1, -1), vec2(1, -1), vec2(-1, 1), vec2(-1, 1), vec2(1, -1), vec2(1, 1));
void main() {
    int segment = gl_VertexID / 6;
    vec2 corner = kCorners[gl_VertexID - segment * 6];
    if (texelFetch(u_valid, segment).r == 0u) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: the triangle is dropped
        v_local = vec2(0.0);
        v_length = 0.0;
        v_color = vec4(0.0);
        v_dashed = 0.0;
        return;
    }
    vec2 p0 = texelFetch(u_positions, segment).rg;
    vec2 p1 = texelFetch(u_positions, segment + 1).rg;
    vec2 s0 = (p0 + u_offset) * u_pixelsPerUnit;
    vec2 s1 = (p1 + u_offset) * u_pixelsPerUnit;
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    vec2 nrm = vec2(-dir.y, dir.x);
    float r = u_halfWidth + 1.0;
    vec2 base = corner.x < 0.0 ? s0 : s1;
    vec2 p = base + dir * (corner.x * r) + nrm * (corner.y * r);
    v_local = vec2(dot(p - s0, dir), dot(p - s0, nrm));
    v_length = len;
    v_color = u_perVertexColor ? texelFetch(u_strokeColors, segment) : u_color;
    v_dashed = 0.0;
    if (u_dashes && (texelFetch(u_symbology, segment).r & 8u) != 0u) v_dashed = 1.0;
    gl_Position = vec4(p / u_halfViewport, 0.0, 1.0);
}
