#pragma once
// Map labels: text measured and drawn with the same CJK font as the UI (stb_truetype through ImGui's font
// atlas, no ImGui context needed), placed by geo::placeLabels once per view. A tiled export places once for
// the whole image and draws each tile with its offset, so tiles agree.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "gl/gl_objects.hpp"
#include "gl/program.hpp"
#include "labels/labels.hpp"
#include "view/view.hpp"

namespace app::render {

struct LabelRequest {
    std::string text;
    double worldX = 0, worldY = 0;  // anchor in the display CRS
    geo::LabelAnchor anchor = geo::LabelAnchor::Point;
    double priority = 0;
    float offsetPx = 0;  // point symbol radius
    uint32_t layer = 0, feature = 0;
};

struct LabelPlan {
    std::vector<LabelRequest> requests;
    std::vector<geo::PlacedLabel> placed;  // in the full view's pixels
    float pixelRatio = 1.0f;
    size_t dropped() const { return requests.size() - placed.size(); }
};

constexpr float kLabelFontPx = 13.0f;
constexpr float kLabelHaloPx = 1.5f;

// Map furniture drawn over an export (title, legend, scale bar, north arrow, credits), in the full image's pixels.
struct Overlay {
    struct Text {
        std::string text;
        float x = 0, y = 0, scale = 1;  // top-left; scale of the label font size
        uint8_t rgba[4] = {17, 24, 39, 255};
    };
    struct Rect {
        float x0, y0, x1, y1;
        uint8_t rgba[4];
    };
    struct Triangle {
        float x[3], y[3];
        uint8_t rgba[4];
    };
    std::vector<Text> texts;
    std::vector<Rect> rects;
    std::vector<Triangle> triangles;
    std::vector<Overlay> below;  // drawn first, each whole (an export's markup under its decorations)
};

class LabelRenderer {
public:
    // Makes sure these strings' characters are in the glyph atlas at the label size for `pixelRatio`.
    bool prepare(const std::vector<std::string>& texts, float pixelRatio);
    // Text size in pixels at `scale` times the label font (after prepare).
    std::array<float, 2> measure(const std::string& text, float scale) const;
    void drawOverlay(const Overlay& overlay, int targetWidth, int targetHeight, double offsetX, double offsetY);
    LabelRenderer();
    ~LabelRenderer();
    // Measures and places `requests` for `view` (full view). Rebuilds the glyph atlas when new characters come.
    LabelPlan plan(const geo::View& view, std::vector<LabelRequest> requests, float pixelRatio);
    // Draws a plan into the bound framebuffer whose pixel (0,0) is pixel (offsetX, offsetY) of the planned view.
    void draw(const LabelPlan& plan, int targetWidth, int targetHeight, double offsetX, double offsetY);

private:
    struct TextVertex {
        float x, y, u, v;
        uint8_t r, g, b, a;
    };
    void submit(const std::vector<TextVertex>& vertices, int targetWidth, int targetHeight);
    bool ensureFont(const std::vector<LabelRequest>& requests, float pixelSize);
    ImFontAtlas atlas_;
    ImFont* font_ = nullptr;
    float fontPx_ = 0;
    std::vector<uint32_t> codepoints_;
    ImVector<ImWchar> ranges_;
    gl::Texture texture_;
    gl::Program program_{"text"};
    gl::Buffer vertices_;
    gl::VertexArray vao_;
};

}  // namespace app::render
