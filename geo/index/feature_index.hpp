#pragma once
// A uniform-grid spatial index over feature bounding boxes, and picking (which feature is under a point) in
// the table's own CRS. Callers transform the cursor into the table's CRS, so no per-CRS copy is needed.
#include <cstdint>
#include <optional>
#include <vector>

#include "store/feature_table.hpp"

namespace geo {

class FeatureIndex {
public:
    FeatureIndex() = default;
    explicit FeatureIndex(const FeatureTable& table);
    // Features whose boxes intersect `box` (each once, ascending).
    std::vector<uint32_t> query(const BBox& box) const;
    const BBox& box(size_t feature) const { return boxes_[feature]; }
    size_t memoryBytes() const;

private:
    BBox extent_;
    int nx_ = 0, ny_ = 0;
    std::vector<BBox> boxes_;
    std::vector<uint32_t> cellStart_, ids_;  // compressed cell lists
    void cellRange(const BBox& b, int& x0, int& y0, int& x1, int& y1) const;
};

// Even-odd test over all rings of a part (so holes are outside).
bool pointInPart(const FeatureTable& t, uint32_t part, double x, double y);
// Distance from (x, y) to the nearest segment (or vertex) of a feature's rings.
double distanceToOutline(const FeatureTable& t, size_t feature, double x, double y);

// The feature under (x, y): a point symbol within `pointRadius`, else a line within `tolerance`, else the
// smallest polygon containing the point (or within `tolerance` of its outline). Units are the table's.
std::optional<size_t> pickFeature(const FeatureTable& t, const FeatureIndex& index, double x, double y, double tolerance,
                                  double pointRadius);

}  // namespace geo
