#version 330 core
in vec2 v_local;
flat in float v_length;
flat in vec4 v_color;
uniform float u_halfWidth;
out vec4 o_color;
void main() {
    float t = clamp(v_local.x, 0.0, v_length);
    float dist = length(vec2(v_local.x - t, v_local.y));
    float coverage = clamp(u_halfWidth + 0.5 - dist, 0.0, 1.0);
    if (coverage <= 0.0) discard;
    o_color = vec4(v_color.rgb, v_color.a * coverage);
}
