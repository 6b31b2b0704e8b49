#pragma once
// Per-layer style: a description only; app/render turns it into draw calls.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/feature_table.hpp"

namespace geo {

struct Rgba {
    uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Rgba&) const = default;
};

// "#RRGGBB" or "#RRGGBBAA"; nullopt when malformed.
std::optional<Rgba> parseColor(const std::string& text);
std::string toHex(Rgba c);

// Point symbols (also used in legends).
enum class Symbol : uint8_t { Circle = 0, Square = 1, Triangle = 2, Diamond = 3 };
// Fill patterns, e.g. for a status: solid, or a faint fill with diagonal hatching (sparse or dense).
enum class Pattern : uint8_t { Solid = 0, Hatched = 1, DenseHatched = 2 };

struct CategoryColor {
    std::string value;
    Rgba color;
    Symbol symbol = Symbol::Circle;
    bool operator==(const CategoryColor&) const = default;
};

struct CategoryPattern {
    std::string value;
    Pattern pattern = Pattern::Solid;
    bool operator==(const CategoryPattern&) const = default;
};

struct Style {
    Rgba fill{0x9e, 0xc9, 0xe2, 0xff};
    Rgba stroke{0x2b, 0x4c, 0x7e, 0xff};
    bool fillEnabled = true;
    bool strokeEnabled = true;
    float strokeWidth = 1.0f;  // pixels at scale 1
    float pointSize = 8.0f;    // symbol diameter in pixels at scale 1
    std::string categoryField;  // empty: single symbol
    std::vector<CategoryColor> categories;
    std::string labelField;  // empty: no labels
    std::string patternField;  // empty: every fill solid
    std::vector<CategoryPattern> patterns;
    // Features whose `dashField` value is one of `dashValues` get a dashed outline (polygons, lines) and a
    // broken symbol outline (points): e.g. location_accuracy = schematic, so an illustrative shape is not read
    // as a surveyed boundary. Empty field: every outline solid.
    std::string dashField;
    std::vector<std::string> dashValues;
    bool operator==(const Style&) const = default;
};

// A stable default colour for the n-th layer, so new layers are told apart.
Style defaultStyle(size_t layerIndex);

// Sets style.categoryField and fills style.categories with one colour per distinct value of `field`: the first
// 64 values in byte order, each with a palette colour. No "other" category is made: features whose value is past
// the 64th keep the style's fill (see featureColors). An unknown field leaves style.categories empty.
void categorize(Style& style, const FeatureTable& table, const std::string& field);

// The fill colour of each feature under `style` (the style's fill when not categorized or value unknown).
std::vector<Rgba> featureColors(const Style& style, const FeatureTable& table);

// What each feature is painted with under `style` and a spotlight (one byte per feature: 2 shown, 1 dimmed to
// kDimmedAlpha of its alpha, 0 hidden; empty: every feature shown). Both backends (the GL layers and the CPU
// painter) colour features from this.
// - Fills: the style's fill, or a category's colour with the fill's alpha. (Both backends then tint polygon fills
//   and dots of a per-feature fill by the fill's alpha once more, as the GL layers always have: translucent
//   categorized polygons keep their look.)
// - Strokes: the style's stroke; line features of a categorized style take their category's colour (the stroke's
//   alpha); with a spotlight every outline dims with its feature.
// perFeatureFill / perFeatureStroke are false when every entry is the style's own colour (then the vectors are empty).
struct FeaturePaint {
    std::vector<Rgba> fill, stroke;
    bool perFeatureFill = false, perFeatureStroke = false;
};
constexpr float kDimmedAlpha = 0.15f;
FeaturePaint featurePaint(const Style& style, const FeatureTable& table, const std::vector<uint8_t>& spotlight = {});

// Per feature: pattern in the low 3 bits, kDashedOutline (bit 3) for a dashed outline, symbol in the high 4 bits
// (the GPU reads one byte per vertex).
constexpr uint8_t kDashedOutline = 0x08;
std::vector<uint8_t> featureSymbology(const Style& style, const FeatureTable& table);
// True when the style can dash some outline (dashField and dashValues set).
bool hasDashes(const Style& style);
bool hasPerFeatureSymbology(const Style& style);

}  // namespace geo
