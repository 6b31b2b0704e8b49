// Tessellation benchmark (#10, #13): median of RUNS timings of geo::tessellatePolygons on generated fixtures
// (tests/geo/tessellate/tess_shapes.hpp), beside the old implementation (legacy_tessellate.cpp, reference only)
// where that finishes in reasonable time. Wall and CPU seconds (the process's, single-threaded here): on a shared
// machine the CPU time is the steadier figure.
//
//   bench_tessellate [RUNS] [--legacy-max N]   (default 3 runs; legacy timed up to N vertices, default 40000)
//
// Rows: one ring of 2k..200k vertices; 2k vertices + 4 holes vs 200k + 400 holes (the ratio is the #10 target,
// at most 3); a 1M-vertex coastline (Koch island) and a 1M-vertex noisy star; 5000 holes; 1M small polygons.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "geo/tessellate/tess_shapes.hpp"
#include "tessellate/tessellate.hpp"

namespace legacy {
struct TessStats {
    size_t polygons = 0, skipped = 0, forced = 0, holesDropped = 0;
};
std::vector<uint32_t> tessellatePolygons(const geo::FeatureTable& table, TessStats& stats);
}  // namespace legacy

namespace {

using namespace tess_shapes;

struct Timing {
    double wall = 0, cpu = 0;
};

Timing median(int runs, const std::function<void()>& f) {
    std::vector<double> wall, cpu;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        f();
        cpu.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
        wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

struct Row {
    Timing time;
    size_t triangles = 0;
    geo::TessStats stats;
};

Row timeNew(int runs, const geo::FeatureTable& t) {
    Row r;
    r.time = median(runs, [&] {
        r.stats = {};
        r.triangles = geo::tessellatePolygons(t, r.stats).size() / 3;
    });
    return r;
}

Timing timeLegacy(int runs, const geo::FeatureTable& t) {
    return median(runs, [&] {
        legacy::TessStats st;
        legacy::tessellatePolygons(t, st);
    });
}

void print(const char* name, size_t vertices, const Row& r, const Timing* legacy = nullptr) {
    std::printf("%-34s vertices=%-8zu wall=%-8.4f cpu=%-8.4f triangles=%-8zu forced=%zu skipped=%zu holes_dropped=%zu",
                name,
                vertices,
                r.time.wall,
                r.time.cpu,
                r.triangles,
                r.stats.forced,
                r.stats.skipped,
                r.stats.holesDropped);
    if (legacy) std::printf(" legacy_wall=%.4f legacy_cpu=%.4f", legacy->wall, legacy->cpu);
    std::printf("\n");
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 3;
    size_t legacyMax = 40000;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--legacy-max") && i + 1 < argc)
            legacyMax = std::strtoul(argv[++i], nullptr, 10);
        else
            runs = std::max(1, std::atoi(argv[i]));
    }
    std::printf("bench_tessellate: median of %d runs\n", runs);

    for (size_t n : {2000, 10000, 40000, 80000, 160000, 200000}) {
        auto t = tableOf({{noisyStar(n)}});
        const Row r = timeNew(runs, t);
        if (n > legacyMax) {
            print("ring (noisy star)", n, r);
            continue;
        }
        const Timing old = timeLegacy(runs, t);
        print("ring (noisy star)", n, r, &old);
    }

    auto small = starWithHoles(1600, 4, 100);
    auto large = starWithHoles(160000, 400, 100);
    auto ts = tableOf({small}), tl = tableOf({large});
    Row rs = timeNew(runs, ts), rl = timeNew(runs, tl);
    const Timing oldSmall = timeLegacy(runs, ts);
    print("star + 4 holes", vertexCount(small), rs, &oldSmall);
    print("star + 400 holes", vertexCount(large), rl);
    std::printf("ratio 200k+400 holes / 2k+4 holes, tessellation alone: wall %.0f cpu %.0f (vertices x100)\n",
                rl.time.wall / rs.time.wall,
                rl.time.cpu / std::max(rs.time.cpu, 1e-6));

    auto koch = kochIsland(6);
    print("coastline (Koch island, level 6)", koch.size(), timeNew(runs, tableOf({{koch}})));
    auto star = noisyStar(1000000, 3);
    print("coastline (noisy star)", star.size(), timeNew(runs, tableOf({{star}})));

    auto grid = gridOfHoles(100, 50);
    auto tg = tableOf({grid});
    const Timing oldGrid = timeLegacy(runs, tg);
    print("square + 5000 holes", vertexCount(grid), timeNew(runs, tg), &oldGrid);

    std::vector<Polygon> many;
    many.reserve(1000000);
    for (size_t i = 0; i < 1000000; ++i) {
        const double x = static_cast<double>(i % 1000) * 10, y = static_cast<double>(i / 1000) * 10;
        many.push_back({{{x, y}, {x + 6, y}, {x + 6, y + 3}, {x + 3, y + 3}, {x + 3, y + 6}, {x, y + 6}}});
    }
    auto tm = tableOf(many);
    const Timing oldMany = timeLegacy(runs, tm);
    print("1M small L-shaped polygons", tm.vertexCount(), timeNew(runs, tm), &oldMany);
    return 0;
}
