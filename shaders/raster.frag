#version 330 core
in vec2 v_uv;
uniform sampler2D u_image;
uniform float u_alpha;  // fade-in of tiles; 1 for rasters
out vec4 o_color;
void main() {
    vec4 c = texture(u_image, v_uv);
    o_color = vec4(c.rgb, c.a * u_alpha);
}
