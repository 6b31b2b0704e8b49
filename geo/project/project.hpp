#pragma once
// The project model and its file (*.atlas.json). Paths inside the file are relative to the file where
// possible; in memory they are absolute. A malformed file or one from a newer version raises FormatError and
// changes nothing; saves are atomic (temporary file, then rename).
#include <cstdint>
#include <string>
#include <vector>

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

// One step of a story: a view (or "fit these projects"), which layers show, which projects are spotlighted
// (the rest of the catalog is dimmed), and a title and caption (multi-line Chinese text welcome).
struct Slide {
    std::string title;
    std::string caption;
    ProjectView view;                         // used when fitProjects is empty
    std::vector<std::string> fitProjects;     // catalog ids to fit the view to
    std::vector<std::string> visibleLayers;   // layer names; empty = leave visibility as it is
    std::vector<std::string> highlight;       // catalog ids in the spotlight; empty = no spotlight
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
    bool operator==(const Project&) const = default;

    // The layer with this id, or null.
    const ProjectLayer* findLayer(LayerId id) const;
    ProjectLayer* findLayer(LayerId id);
    // Index of the layer with this id in draw order, or -1.
    int layerIndex(LayerId id) const;
};

// Gives every layer whose id is 0 a fresh one (above the largest in use), so ids are unique and non-zero.
void assignLayerIds(Project& project);

// Loaded layers get ids 1..n.
Project loadProject(const std::string& path);
Project parseProject(const std::string& jsonText, const std::string& baseDir, const std::string& pathForErrors);
std::string serializeProject(const Project& project, const std::string& baseDir);
// Writes path.tmp then renames over path; throws IoError and leaves any existing file untouched on failure.
void saveProject(const Project& project, const std::string& path);
void writeFileAtomically(const std::string& path, const std::string& content);

}  // namespace geo
