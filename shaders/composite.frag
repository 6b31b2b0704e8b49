#version 330 core
// Draws a layer rendered offscreen (premultiplied alpha) with the layer's opacity.
in vec2 v_uv;
uniform sampler2D u_layer;
uniform float u_opacity;
out vec4 o_color;
void main() {
    o_color = texture(u_layer, v_uv) * u_opacity;
}
