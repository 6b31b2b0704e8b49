#pragma once
// Repairs to a freshly read table that a map needs and a file does not promise, each counted so that the reader
// can say what was changed (nothing is dropped without a word).
#include <cstddef>
#include <string>

#include "store/feature_table.hpp"

namespace geo {

// Beyond this, in any unit, a coordinate is absurd (10 million km; CAD drawings in millimetres included).
constexpr double kAbsurdCoordinate = 1e10;

// A vertex no map can draw: not finite, beyond kAbsurdCoordinate, or, in a geographic CRS, longitude beyond 540
// or latitude beyond 90 degrees.
bool unusableVertex(double x, double y, bool geographic);

struct VertexRepair {
    size_t vertices = 0;  // unusable vertices removed
    size_t features = 0;  // features that lost any
    size_t emptied = 0;   // of those, features left without geometry
};

// Removes unusable vertices. A ring left empty goes; a polygon part whose outer ring went goes with its holes; a
// feature with no part left keeps its row (attributes) as a feature without geometry. Rings that lose some vertices
// keep the rest (a line then joins across the gap). Nothing changes (and nothing is copied) when all are usable.
VertexRepair dropUnusableVertices(FeatureTable& t, bool geographic);

// One line for a warning: "N vertices with non-finite or absurd coordinates not drawn (in M features, K left without
// geometry)"; "" when nothing was removed.
std::string describe(const VertexRepair& r, bool geographic);

}  // namespace geo

namespace geo {
// Features with something a map can show: a point, or a line or ring through two or more distinct vertices.
// (A polygon of one repeated point has neither an area nor an outline.)
size_t drawableFeatureCount(const FeatureTable& t);
// drawableFeatureCount(t) > 0, stopping at the first (a load's "nothing to draw" check on 10M features).
bool anyDrawableFeature(const FeatureTable& t);
}  // namespace geo
