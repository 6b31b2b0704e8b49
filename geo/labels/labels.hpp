#pragma once
// Label placement: deterministic, collision-free, by priority. Pure geometry in screen pixels, so the viewer
// and the headless renderer place the same labels for the same view (and tiles of one export share one
// placement).
#include <cstdint>
#include <string>
#include <vector>

#include "store/feature_table.hpp"

namespace geo {

enum class LabelAnchor : uint8_t { Point, Line, Area };

struct LabelCandidate {
    double x = 0, y = 0;         // anchor in screen pixels (y down)
    float width = 0, height = 0;  // text box in pixels
    double priority = 0;          // higher first (selected > larger > others)
    LabelAnchor anchor = LabelAnchor::Point;
    float offset = 0;             // distance from a point symbol's centre, pixels
    uint32_t layer = 0, feature = 0;  // ties are broken by these, so placement is stable
};

struct PlacedLabel {
    size_t candidate;  // index into the candidates passed in
    double x, y;       // top-left of the text box, screen pixels
};

// Places candidates greedily in priority order; each tries its positions (areas and lines: centred; points:
// right, left, above, below) and takes the first that overlaps no placed label (with `padding` pixels between)
// and stays inside the width x height viewport. Labels that fit nowhere are dropped.
std::vector<PlacedLabel> placeLabels(const std::vector<LabelCandidate>& candidates, int width, int height,
                                     float padding);

// A label anchor per feature in the table's CRS: for polygons the centre of the box of the part whose outer ring
// has the largest box; for lines the point halfway along the first part's length (not its middle vertex); for
// points the first point. +inf when the feature has no geometry.
std::vector<double> labelAnchors(const FeatureTable& table, std::vector<LabelAnchor>& kinds);

}  // namespace geo
