#include "style/style.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace geo {

namespace {
// A qualitative palette readable on screen and in print (ColorBrewer "Set2"/"Dark2"-like hues, chosen by hand).
constexpr Rgba kPalette[] = {
    {0x1b, 0x9e, 0x77, 255}, {0xd9, 0x5f, 0x02, 255}, {0x75, 0x70, 0xb3, 255}, {0xe7, 0x29, 0x8a, 255},
    {0x66, 0xa6, 0x1e, 255}, {0xe6, 0xab, 0x02, 255}, {0xa6, 0x76, 0x1d, 255}, {0x1f, 0x78, 0xb4, 255},
    {0xb2, 0xdf, 0x8a, 255}, {0xfb, 0x9a, 0x99, 255}, {0xca, 0xb2, 0xd6, 255}, {0x66, 0x66, 0x66, 255},
};
constexpr size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
}  // namespace

std::optional<Rgba> parseColor(const std::string& text) {
    if (text.size() != 7 && text.size() != 9) return std::nullopt;
    if (text[0] != '#') return std::nullopt;
    unsigned v[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < (text.size() - 1) / 2; ++i) {
        unsigned byte = 0;
        for (int k = 0; k < 2; ++k) {
            char c = text[1 + 2 * i + k];
            int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                                   : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                                            : -1;
            if (d < 0) return std::nullopt;
            byte = byte * 16 + d;
        }
        v[i] = byte;
    }
    return Rgba{uint8_t(v[0]), uint8_t(v[1]), uint8_t(v[2]), uint8_t(v[3])};
}

std::string toHex(Rgba c) {
    char buf[16];
    if (c.a == 255)
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    else
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
    return buf;
}

Style defaultStyle(size_t layerIndex) {
    Style s;
    Rgba base = kPalette[layerIndex % kPaletteSize];
    s.stroke = base;
    s.fill = Rgba{uint8_t((base.r + 255 * 2) / 3), uint8_t((base.g + 255 * 2) / 3), uint8_t((base.b + 255 * 2) / 3),
                  200};
    return s;
}

void categorize(Style& style, const FeatureTable& table, const std::string& field) {
    style.categoryField = field;
    style.categories.clear();
    int col = table.columnIndex(field);
    if (col < 0) return;
    std::map<std::string, size_t> counts;
    const Column& c = table.columns[col];
    for (size_t i = 0; i < c.size(); ++i) counts[c.display(i)]++;
    size_t i = 0;
    for (auto& [value, n] : counts) {
        if (i >= 64) break;
        style.categories.push_back({value, kPalette[i % kPaletteSize]});
        ++i;
    }
}

std::vector<Rgba> featureColors(const Style& style, const FeatureTable& table) {
    std::vector<Rgba> out(table.featureCount(), style.fill);
    int col = style.categoryField.empty() ? -1 : table.columnIndex(style.categoryField);
    if (col < 0) return out;
    std::map<std::string, Rgba, std::less<>> lookup;
    for (auto& cc : style.categories) lookup[cc.value] = cc.color;
    const Column& c = table.columns[col];
    for (size_t i = 0; i < c.size(); ++i) {
        auto it = lookup.find(c.display(i));
        if (it != lookup.end()) out[i] = Rgba{it->second.r, it->second.g, it->second.b, style.fill.a};
    }
    return out;
}

FeaturePaint featurePaint(const Style& style, const FeatureTable& table, const std::vector<uint8_t>& spotlight) {
    FeaturePaint out;
    const bool spot = !spotlight.empty() && spotlight.size() == table.featureCount();
    const bool categorized = !style.categoryField.empty() && !style.categories.empty();
    out.perFeatureFill = categorized || spot;
    if (!out.perFeatureFill) return out;
    auto dim = [&](Rgba c, size_t f) {
        if (spot && spotlight[f] == 0) c.a = 0;  // hidden (timeline)
        else if (spot && spotlight[f] == 1) c.a = static_cast<uint8_t>(c.a * kDimmedAlpha);
        return c;
    };
    const std::vector<Rgba> colors = featureColors(style, table);
    out.fill.resize(colors.size());
    out.stroke.assign(table.featureCount(), style.stroke);
    out.perFeatureStroke = spot;
    for (size_t f = 0; f < colors.size(); ++f) {
        out.fill[f] = dim(colors[f], f);
        if (table.kinds[f] == GeomKind::Line && !style.categoryField.empty()) {
            out.stroke[f] = colors[f];
            out.stroke[f].a = style.stroke.a;
            out.perFeatureStroke = true;
        }
        out.stroke[f] = dim(out.stroke[f], f);
    }
    if (!out.perFeatureStroke) out.stroke.clear();
    return out;
}

bool hasDashes(const Style& style) { return !style.dashField.empty() && !style.dashValues.empty(); }

bool hasPerFeatureSymbology(const Style& style) {
    bool symbols = false;
    for (const auto& c : style.categories) symbols |= c.symbol != Symbol::Circle;
    return (!style.categoryField.empty() && symbols) || (!style.patternField.empty() && !style.patterns.empty()) ||
           hasDashes(style);
}

std::vector<uint8_t> featureSymbology(const Style& style, const FeatureTable& table) {
    std::vector<uint8_t> out(table.featureCount(), 0);
    int cat = style.categoryField.empty() ? -1 : table.columnIndex(style.categoryField);
    int pat = style.patternField.empty() ? -1 : table.columnIndex(style.patternField);
    int dash = hasDashes(style) ? table.columnIndex(style.dashField) : -1;
    std::map<std::string, uint8_t, std::less<>> symbols, patterns;
    for (auto& c : style.categories) symbols[c.value] = static_cast<uint8_t>(c.symbol);
    for (auto& p : style.patterns) patterns[p.value] = static_cast<uint8_t>(p.pattern);
    for (size_t i = 0; i < table.featureCount(); ++i) {
        uint8_t v = 0;
        if (cat >= 0)
            if (auto it = symbols.find(table.columns[cat].display(i)); it != symbols.end()) v |= it->second << 4;
        if (pat >= 0)
            if (auto it = patterns.find(table.columns[pat].display(i)); it != patterns.end()) v |= it->second;
        if (dash >= 0 && !table.columns[dash].isNull(i) &&
            std::find(style.dashValues.begin(), style.dashValues.end(), table.columns[dash].display(i)) !=
                style.dashValues.end())
            v |= kDashedOutline;
        out[i] = v;
    }
    return out;
}

}  // namespace geo
