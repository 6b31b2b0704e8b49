#version 330 core
// Level-of-detail dots: a part smaller than kDotPixels is drawn as one GL point of its own size.
layout(location = 0) in vec3 a_dot;  // centre relative to the layer origin, size in display units
layout(location = 1) in vec4 a_color;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform float u_pixelsPerUnit;
uniform float u_maxSize;  // pixels
out vec4 v_color;
void main() {
    float px = a_dot.z * u_pixelsPerUnit;
    v_color = vec4(a_color.rgb, a_color.a * clamp(px, 0.25, 1.0));  // sub-pixel parts cover part of a pixel
    gl_PointSize = clamp(px, 1.0, u_maxSize);
    gl_Position = vec4((a_dot.xy + u_offset) * u_scale, 0.0, 1.0);
}
