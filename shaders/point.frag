#version 330 core
// Symbols: 0 circle, 1 square, 2 triangle, 3 diamond; filled with the feature colour, outlined with u_stroke.
// A dashed symbol (v_dashed, e.g. a schematic site) has its outline broken into eight dashes around the centre.
in vec2 v_local;
in vec4 v_color;
uniform float u_radius;
uniform float u_strokeWidth;
uniform vec4 u_stroke;
uniform vec4 u_tint;
flat in int v_shape;
flat in int v_dashed;
out vec4 o_color;
float shapeDistance(vec2 p, float r) {
    if (v_shape == 1) {
        vec2 q = abs(p) - vec2(r * 0.85);
        return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0);
    }
    if (v_shape == 2) {  // triangle pointing up, circumradius r
        vec2 q = vec2(abs(p.x), p.y);
        return max(-q.y - r * 0.5, dot(q, vec2(0.8660254, 0.5)) - r * 0.5);
    }
    if (v_shape == 3) return (abs(p.x) + abs(p.y) - r) * 0.7071;
    return length(p) - r;
}
void main() {
    float d = shapeDistance(vec2(v_local.x, v_local.y), u_radius);
    float outer = clamp(0.5 - d, 0.0, 1.0);
    if (outer <= 0.0) discard;
    float inner = clamp(0.5 - (d + u_strokeWidth), 0.0, 1.0);
    vec4 fill = v_color * u_tint;
    vec4 stroke = u_stroke;
    if (v_dashed != 0 && fract(atan(v_local.y, v_local.x) * (8.0 / 6.2831853) + 0.25) > 0.55)
        stroke = vec4(fill.rgb, fill.a * 0.35);  // a gap in the outline
    vec4 c = mix(stroke, fill, inner);
    o_color = vec4(c.rgb, c.a * outer);
}
