#version 330 core
// A capsule around the segment (round caps and joins). Dashed segments (v_dashed) draw round-capped dashes
// along it instead: dash intervals [k * period, k * period + dash] clipped to the segment, each one a capsule,
// so every segment starts with a dash and a corner always shows.
in vec2 v_local;
flat in float v_length;
flat in vec4 v_color;
flat in float v_dashed;
uniform float u_halfWidth;
// The antialiasing ramp's width in pixels: 1 on screen. 0 when every pixel is one sample of a supersampled output:
// samples are then covered or not, so a sample two capsules share (a join) counts once, as in the CPU painter's
// exact outline; blended fringes there would add up to more ink than the stroke has.
uniform float u_feather;
out vec4 o_color;
void main() {
    float along = v_local.x;
    float t;
    if (v_dashed > 0.5) {
        float width = 2.0 * u_halfWidth;
        float dash = max(2.0 * width, 4.0);
        float period = dash + max(2.5 * width, 5.0);  // the visible gap is period - dash - width
        float k = floor(clamp(along, 0.0, v_length) / period);
        float a0 = k * period, a1 = min(a0 + dash, v_length);
        float b0 = min((k + 1.0) * period, v_length), b1 = min(b0 + dash, v_length);
        float ta = clamp(along, a0, a1), tb = clamp(along, b0, b1);
        t = abs(along - ta) <= abs(along - tb) ? ta : tb;
    } else {
        t = clamp(along, 0.0, v_length);
    }
    float dist = length(vec2(along - t, v_local.y));
    float coverage = u_feather > 0.0 ? clamp((u_halfWidth + 0.5 * u_feather - dist) / u_feather, 0.0, 1.0)
                                     : (dist <= u_halfWidth ? 1.0 : 0.0);
    if (coverage <= 0.0) discard;
    o_color = vec4(v_color.rgb, v_color.a * coverage);
}
