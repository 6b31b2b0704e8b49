#pragma once
// Polygon triangulation by ear clipping with hole bridging, over the columnar store's flat coordinates.
//
// Contract: rings go in (first the shell, then holes, any orientation, closed or not); triangle indices come
// out, indexing the caller's vertex array (so one tessellation serves every display CRS). Degenerate input
// (fewer than three distinct vertices, zero area) produces no triangles and is counted, never a crash.
// Invalid rings (self-intersecting, or a hole crossing the shell) are triangulated as far as the clipping gets,
// then forced. A part is counted as `forced`, so the caller can report it, when the relaxed clipping pass was
// needed or when its triangles' area differs from its rings' area (shell minus bridged holes): that is how a
// self-intersection shows (a bow-tie's lobes cancel in the signed area). The check is linear, not a pairwise
// edge test, so a self-intersecting ring whose triangles happen to add up exactly would go uncounted.
// Holes that lie wholly outside the shell are ignored and not counted.
#include <cstdint>
#include <vector>

#include "store/feature_table.hpp"

namespace geo {

struct TessStats {
    size_t polygons = 0;   // polygon parts seen
    size_t skipped = 0;    // parts that produced no triangles (degenerate)
    size_t forced = 0;     // parts drawn approximately (invalid rings): relaxed pass or area mismatch
    size_t holesDropped = 0;  // holes beyond kMaxHoles (smallest dropped first)
};

constexpr size_t kMaxHoles = 1000;

class Tessellator {
public:
    // rings: [first vertex, end vertex) pairs into xy (interleaved doubles); the first ring is the shell.
    // Appends triangles (3 indices each) to `out`. Returns false when the part was skipped.
    bool triangulate(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings,
                     std::vector<uint32_t>& out, TessStats& stats);

private:
    struct Node {
        double x, y;
        uint32_t index;
        int prev, next;
    };
    // The steps of triangulate, in order.
    int addShell(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings);
    int addHoles(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings, int outer,
                 TessStats& stats);
    double ringArea2(int start, int& count) const;
    int clipEars(int ear, int count, std::vector<uint32_t>& out, double& trianglesArea2);

    int addRing(const double* xy, uint32_t begin, uint32_t end, bool clockwise);
    int insertAfter(int after, double x, double y, uint32_t index);
    void unlink(int n);
    int eliminateHoles(int outer, std::vector<int>& holes);
    int findBridge(int hole, int outer) const;
    int splitPolygon(int a, int b);
    bool isEar(int ear, int pass) const;
    int removeDegenerate(int start, int& count);
    double cross(int a, int b, int c) const;
    bool pointInTriangle(const Node& a, const Node& b, const Node& c, const Node& p) const;

    std::vector<Node> nodes_;
};

// Triangulates every polygon part of a table. Returns triangle indices into table.xy. When `partEnds` is given
// it receives, for every part of the table (polygon or not), the end of that part's indices in the result.
std::vector<uint32_t> tessellatePolygons(const FeatureTable& table, TessStats& stats,
                                         std::vector<uint32_t>* partEnds = nullptr);

}  // namespace geo
