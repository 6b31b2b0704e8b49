#version 330 core
// Averages each u_factor x u_factor block of a supersampled image (premultiplied alpha) into one output pixel: a
// box filter, so a pixel's alpha is the fraction of its u_factor^2 samples that were covered. The draw's viewport
// is the output window, whose lower-left corner is u_origin in framebuffer pixels.
uniform sampler2D u_layer;
uniform int u_factor;
uniform ivec2 u_origin;
out vec4 o_color;
void main() {
    ivec2 base = (ivec2(gl_FragCoord.xy) - u_origin) * u_factor;
    vec4 sum = vec4(0.0);
    for (int j = 0; j < u_factor; ++j)
        for (int i = 0; i < u_factor; ++i) sum += texelFetch(u_layer, base + ivec2(i, j), 0);
    o_color = sum / float(u_factor * u_factor);
}
