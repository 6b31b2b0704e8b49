// `planatlas analyze overlap`: arguments → the subject layer from the project → the constraint files →
// geo::computeOverlap on a worker thread (progress on stderr for long runs) → geo::writeOverlapReport.
#include "cli/analyze_command.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "analysis/overlap.hpp"
#include "analysis/report.hpp"
#include "catalog/catalog.hpp"
#include "cli/args.hpp"
#include "cli/reach_check.hpp"
#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "project/project.hpp"
#include "source/vector_source.hpp"

namespace fs = std::filesystem;

namespace app::cli {

namespace {

constexpr const char* kUsage =
    "usage: planatlas analyze overlap --project FILE [--layer NAME] --against FILE[@LAYER] [--against ...] "
    "--out REPORT.csv|xlsx";

struct OverlapOptions {
    std::string project, out;
    std::optional<std::string> layer;
    std::vector<std::string> against;
    bool offline = false;  // --offline: refuse network sources
};

OverlapOptions parseOverlapOptions(int argc, char** argv) {
    Args args(argc, argv, 3);
    OverlapOptions o;
    auto project = args.take("--project");
    o.layer = args.take("--layer");
    while (auto a = args.take("--against")) o.against.push_back(*a);
    auto out = args.take("--out");
    o.offline = args.flag("--offline");
    if (!args.rest().empty()) throw UsageError(std::string("unexpected argument '") + args.rest()[0] + "'; " + kUsage);
    if (!project) throw UsageError(std::string("--project FILE is required; ") + kUsage);
    if (o.against.empty()) throw UsageError(std::string("give at least one --against FILE[@LAYER]; ") + kUsage);
    if (!out) throw UsageError(std::string("--out REPORT.csv|xlsx is required; ") + kUsage);
    std::string ext = fs::path(*out).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".csv" && ext != ".xlsx") throw UsageError("--out must end in .csv or .xlsx");
    o.project = *project;
    o.out = *out;
    return o;
}

// The subject: the project layer named `name`, or the first vector layer that is a valid plan-project catalog.
geo::VectorData readSubject(const geo::Project& project, const OverlapOptions& o, std::string& layerName) {
    for (const geo::ProjectLayer& l : project.layers) {
        if (o.layer ? l.name != *o.layer : geo::isTileLayer(l) || geo::isRasterLayer(l)) continue;
        if (o.layer && (geo::isTileLayer(l) || geo::isRasterLayer(l)))
            throw geo::FormatError(o.project, l.name, "the layer is a raster or basemap; the overlap needs polygons");
        geo::VectorData d = geo::readVectorLayer(l.source, l.layer, nullptr, l.options);
        if (!o.layer && !geo::isCatalog(d.table)) continue;
        layerName = l.name;
        return d;
    }
    if (!o.layer)
        throw geo::FormatError(o.project, "", "the project has no plan-project catalog layer; name one with --layer");
    std::string names;
    for (const geo::ProjectLayer& l : project.layers) names += (names.empty() ? "" : ", ") + l.name;
    throw geo::FormatError(o.project, *o.layer, "no layer of that name in the project (it has: " + names + ")");
}

// FILE@LAYER as in the viewer's layer arguments; the constraint's name is LAYER, else the file's stem.
geo::VectorData readConstraint(const std::string& spec, std::string& name) {
    std::string path = spec, layer;
    const size_t at = spec.rfind('@');
    if (at != std::string::npos && at > 0 && spec.find('/', at) == std::string::npos) {
        path = spec.substr(0, at);
        layer = spec.substr(at + 1);
    }
    name = layer.empty() ? fs::path(path).stem().string() : layer;
    return geo::readVectorLayer(path, layer);
}

// Runs the overlap on a worker thread; once it has run for 2 s, prints progress every 2 s.
geo::OverlapResult runWithProgress(const geo::VectorData& subject, const std::vector<geo::OverlapInput>& inputs) {
    geo::JobProgress progress;
    auto future = std::async(std::launch::async,
                             [&] { return geo::computeOverlap(subject.table, subject.crs, inputs, &progress); });
    const auto start = std::chrono::steady_clock::now();
    while (future.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr,
                     "planatlas analyze: %3.0f%% %s (%.0f s)\n",
                     100.0 * progress.fraction(),
                     progress.stage().c_str(),
                     seconds);
    }
    return future.get();
}

int runOverlap(int argc, char** argv) {
    const OverlapOptions o = parseOverlapOptions(argc, argv);
    const geo::Project project = geo::loadProject(o.project);
    geo::Project reads = project;  // what the analysis may read: the project's layers and every --against
    for (const std::string& spec : o.against) {
        geo::ProjectLayer l;
        l.name = spec;
        const size_t at = spec.rfind('@');  // FILE@LAYER, as readConstraint splits it
        l.source = at != std::string::npos && at > 0 && spec.find('/', at) == std::string::npos ? spec.substr(0, at) : spec;
        reads.layers.push_back(l);
    }
    announceReach(reads, o.offline);
    std::string subjectName;
    const geo::VectorData subject = readSubject(project, o, subjectName);
    std::vector<geo::VectorData> tables;
    std::vector<std::string> names;
    tables.reserve(o.against.size());  // OverlapInput points into it
    for (const std::string& spec : o.against) {
        names.emplace_back();
        tables.push_back(readConstraint(spec, names.back()));
    }
    std::vector<geo::OverlapInput> inputs;
    for (size_t i = 0; i < tables.size(); ++i) inputs.push_back({names[i], &tables[i].table, tables[i].crs});
    for (const std::string& w : subject.warnings) std::fprintf(stderr, "planatlas analyze: warning: %s\n", w.c_str());
    for (const geo::VectorData& t : tables)
        for (const std::string& w : t.warnings) std::fprintf(stderr, "planatlas analyze: warning: %s\n", w.c_str());

    const geo::OverlapResult result = runWithProgress(subject, inputs);
    geo::writeOverlapReport(result, o.out);

    size_t overlapping = 0;
    for (const geo::OverlapRow& row : result.rows) {
        bool any = false;
        for (double m2 : row.overlapM2) any = any || m2 > 0;
        overlapping += any;
    }
    std::string constraintList;
    for (const std::string& n : result.constraints) constraintList += (constraintList.empty() ? "" : ", ") + n;
    std::fprintf(stderr,
                 "planatlas analyze: %zu polygon features of %s against %zu constraint layer%s (%s): %zu overlap; "
                 "repaired %zu subject and %zu constraint geometries; skipped %zu non-polygons; wrote %s\n",
                 result.rows.size(),
                 subjectName.c_str(),
                 result.constraints.size(),
                 result.constraints.size() == 1 ? "" : "s",
                 constraintList.c_str(),
                 overlapping,
                 result.repairedSubject,
                 result.repairedConstraint,
                 result.skippedNonPolygon,
                 o.out.c_str());
    if (result.untransformable)
        std::fprintf(stderr,
                     "planatlas analyze: warning: %zu features could not be transformed to EPSG:4547 and count as "
                     "empty\n",
                     result.untransformable);
    return 0;
}

}  // namespace

int runAnalyze(int argc, char** argv) {
    return runCommand("analyze", [&]() -> int {
        if (argc < 3 || std::string(argv[2]) != "overlap")
            throw UsageError(
                std::string(argc < 3 ? "missing analysis" : "unknown analysis '" + std::string(argv[2]) + "'") + "; " +
                kUsage);
        return runOverlap(argc, argv);
    });
}

}  // namespace app::cli
