#version 330 core
// Patterns: 1 = faint fill with diagonal hatching, 2 = the same, denser (e.g. "planned" vs "preparing").
// Hatching is in pixels and scales with u_pixelRatio, so exports at higher DPI look the same. It is anchored to the
// map, not the framebuffer: u_hatchPhase (per pattern, computed in double on the CPU) is the layer origin's (x + y)
// in pixels modulo the spacing, so export tiles, supersampled windows and the window's own frame all draw the same
// lines (and hatching moves with the map when it pans).
in vec4 v_color;
in float v_diagonal;
flat in int v_pattern;
uniform vec4 u_tint;
uniform float u_pixelRatio;
uniform vec2 u_hatchPhase;  // for pattern 1 and 2
out vec4 o_color;
void main() {
    vec4 c = v_color * u_tint;
    if (v_pattern != 0) {
        float spacing = (v_pattern == 1 ? 9.0 : 5.0) * u_pixelRatio;
        float d = mod(v_diagonal + (v_pattern == 1 ? u_hatchPhase.x : u_hatchPhase.y), spacing);
        float line = 1.0 - smoothstep(1.2 * u_pixelRatio, 2.2 * u_pixelRatio, d);
        c.a *= mix(0.28, 1.0, line);
    }
    o_color = c;
}
