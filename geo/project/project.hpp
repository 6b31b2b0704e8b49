#pragma once
// The project model and its file (*.atlas.json). Paths inside the file are relative to the file where
// possible; in memory they are absolute. A malformed file or one from a newer version raises FormatError and
// changes nothing; saves are atomic (temporary file, then rename).
#include <cstdint>
#include <string>
#include <vector>

#include "project/markup.hpp"
#include "source/source_options.hpp"
#include "style/style.hpp"

namespace geo {

constexpr int kProjectVersion = 1;

// A layer's identity inside an open project: assigned when the layer enters a document, stable while it is
// open (across edits, reordering, undo and redo), never written to the file.
using LayerId = uint64_t;

struct ProjectLayer {
    LayerId id = 0;
    std::string name;        // shown in the layers panel
    std::string source;      // absolute path in memory
    std::string layer;       // layer inside the source ("" = first; "raster" = the raster bands)
    // How to read it: an assigned CRS, a GCJ-02 datum, spreadsheet columns, CAD control points (file keys "crs",
    // "datum", "xField", "yField", "controlPoints"; the database filter is the viewer's, never saved).
    SourceOptions options;
    bool visible = true;
    float opacity = 1.0f;
    Style style;
    std::string attribution;  // data credit shown on the map
    // Drawn only at map scales 1:N with minScale <= N <= maxScale (0 = no limit), like QGIS's scale-dependent
    // visibility: e.g. stations hidden at the district overview.
    double minScale = 0, maxScale = 0;
    bool visibleAtScale(double denominator) const {
        return denominator <= 0 || ((minScale <= 0 || denominator >= minScale) && (maxScale <= 0 || denominator <= maxScale));
    }
    bool operator==(const ProjectLayer&) const = default;
};

struct ProjectView {
    double lon = 0, lat = 0;  // centre in WGS84
    double scale = 0;         // 1:N at the centre; 0 = fit all layers
    bool operator==(const ProjectView&) const = default;
};

struct Bookmark {
    std::string name;
    ProjectView view;
    std::string crs;  // display CRS the bookmark was made in
    bool operator==(const Bookmark&) const = default;
};

// A swipe comparison: a vertical divider across the map, some layers only left of it, some only right (e.g. this
// year's imagery against the plan); every other layer on both sides.
struct Swipe {
    bool enabled = false;
    double position = 0.5;            // the divider, as a fraction of the map width from the left
    std::vector<std::string> left;    // layer names drawn only left of the divider
    std::vector<std::string> right;   // layer names drawn only right of it
    bool operator==(const Swipe&) const = default;
};

// The timeline over the plan-project catalog: only projects planned up to `year` and at `phase` show on the map,
// in the projects panel and in slides.
struct Timeline {
    bool enabled = false;
    int year = 0;        // plan_year <= year; 0 = every year
    std::string phase;   // a catalog status (planned, preparing, under construction, completed, operating); "" = all
    bool operator==(const Timeline&) const = default;
};

// One step of a story: a view (or "fit these projects"), which layers show, which projects are spotlighted
// (the rest of the catalog is dimmed), and a title and caption (multi-line Chinese text welcome).
struct Slide {
    std::string title;
    std::string caption;
    ProjectView view;                         // used when fitProjects is empty
    std::vector<std::string> fitProjects;     // catalog ids to fit the view to
    std::vector<std::string> visibleLayers;   // layer names; empty = leave visibility as it is
    std::vector<std::string> highlight;       // catalog ids in the spotlight; empty = no spotlight
    std::string phase;                        // a catalog status the slide fixes (timeline); "" = every phase
    Swipe swipe;                              // the slide's swipe comparison (enabled = shown)
    bool operator==(const Slide&) const = default;
};

struct Project {
    std::string title;
    std::string language;  // of generated slides: "zh", "en", or "" for both (bilingual meetings)
    std::string displayCrs = "EPSG:3857";
    ProjectView view;
    std::vector<ProjectLayer> layers;  // draw order: first is drawn first (bottom)
    std::vector<Bookmark> bookmarks;
    std::vector<Slide> slides;
    Swipe swipe;
    Timeline timeline;
    std::vector<MarkupItem> markup;  // saved beside the project file as <name>.markup.gpkg
    bool operator==(const Project&) const = default;

    // The layer with this id, or null.
    const ProjectLayer* findLayer(LayerId id) const;
    ProjectLayer* findLayer(LayerId id);
    // Index of the layer with this id in draw order, or -1.
    int layerIndex(LayerId id) const;
};

// What a slide shows of the timeline and the swipe (null slide: the project's own).
inline Timeline timelineFor(const Project& p, const Slide* s) {
    return s ? Timeline{!s->phase.empty(), 0, s->phase} : p.timeline;
}
inline const Swipe& swipeFor(const Project& p, const Slide* s) { return s ? s->swipe : p.swipe; }

// Gives every layer whose id is 0 a fresh one (above the largest in use), so ids are unique and non-zero.
void assignLayerIds(Project& project);

// The markup file that goes with a project file: "plan.atlas.json" -> "plan.markup.gpkg" in the same folder.
std::string markupPathFor(const std::string& projectPath);

// Loaded layers get ids 1..n. A project with markup reads its markup file too (errors name that file).
Project loadProject(const std::string& path);
Project parseProject(const std::string& jsonText, const std::string& baseDir, const std::string& pathForErrors);
// `markupFile` is the name written under "markup" when the project has markup (saveProject passes the file it
// writes beside the project).
std::string serializeProject(const Project& project, const std::string& baseDir, const std::string& markupFile = "");
// Writes the markup file (when there is markup, or one to empty), then the project through a temporary renamed
// over path (core/atomic_file.hpp: a kill at any point leaves the old file or the new one); throws IoError and
// leaves any existing file untouched on failure.
void saveProject(const Project& project, const std::string& path);
void writeFileAtomically(const std::string& path, const std::string& content);

}  // namespace geo
