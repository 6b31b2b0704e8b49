#version 330 core
// Patterns: 1 = faint fill with diagonal hatching, 2 = the same, denser (e.g. "planned" vs "preparing").
// Hatching is in screen space and scales with u_pixelRatio, so exports at higher DPI look the same.
in vec4 v_color;
flat in int v_pattern;
uniform vec4 u_tint;
uniform float u_pixelRatio;
out vec4 o_color;
void main() {
    vec4 c = v_color * u_tint;
    if (v_pattern != 0) {
        float spacing = (v_pattern == 1 ? 9.0 : 5.0) * u_pixelRatio;
        float d = mod(gl_FragCoord.x + gl_FragCoord.y, spacing);
        float line = 1.0 - smoothstep(1.2 * u_pixelRatio, 2.2 * u_pixelRatio, d);
        c.a *= mix(0.28, 1.0, line);
    }
    o_color = c;
}
