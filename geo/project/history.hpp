#pragma once
// Project edits as commands, with undo and redo.
//
// A Command is a named change to a Project value. The History owns the current project and changes it only by
// applying commands; it keeps the project as it was before each step, so every command is undoable without
// writing an inverse, and undo/redo restore exactly the value that was there (layer ids included). Projects are
// small (settings, not data), so a step costs a copy of the settings.
//
// Continuous edits (dragging an opacity slider, picking a colour) carry a `mergeKey`: consecutive commands with
// the same key fold into one undo step until endGesture() is called (the mouse was released) or another command,
// undo or redo comes between.
#include <functional>
#include <string>
#include <vector>

#include "project/project.hpp"

namespace geo {

struct Command {
    std::string label;     // for the Edit menu: "Undo <label>"
    std::string mergeKey;  // empty: never merges
    std::function<void(Project&)> apply;
};

class History {
public:
    explicit History(Project project = {}, size_t maxSteps = 200);

    const Project& project() const { return current_; }
    // Bumps on every change of the project value (apply, undo, redo, reset): caches compare it.
    uint64_t revision() const { return revision_; }

    // Applies `command`; returns false (and records nothing) when it left the project unchanged.
    bool apply(const Command& command);
    bool undo();
    bool redo();
    bool canUndo() const { return !undo_.empty(); }
    bool canRedo() const { return !redo_.empty(); }
    std::string undoLabel() const { return undo_.empty() ? std::string() : undo_.back().label; }
    std::string redoLabel() const { return redo_.empty() ? std::string() : redo_.back().label; }
    void endGesture() { mergeOpen_ = false; }
    // Replaces the project and forgets every step (opening a file).
    void reset(Project project);

private:
    struct Step {
        std::string label, mergeKey;
        Project project;  // the value before the step (undo stack) or after it (redo stack)
    };
    bool travel(std::vector<Step>& from, std::vector<Step>& to);

    Project current_;
    std::vector<Step> undo_, redo_;
    size_t maxSteps_;
    uint64_t revision_ = 1;
    bool mergeOpen_ = false;
};

// The commands of the viewer. Layers are named by id; a command naming a layer or index that is not there
// changes nothing.
namespace cmd {
Command addLayers(std::vector<ProjectLayer> layers);  // each with a unique, non-zero id
Command removeLayer(LayerId id);
Command moveLayer(LayerId id, int delta);  // +1 draws it one later (higher in the stack)
Command setLayerVisible(LayerId id, bool visible);
Command setLayerOpacity(LayerId id, float opacity);
Command setLayerStyle(LayerId id, Style style, const std::string& what = "style");
Command setLayerSource(LayerId id, std::string source);
// How the layer's source is read: assigned CRS, datum, spreadsheet columns, control points (the layer reloads).
Command setLayerOptions(LayerId id, SourceOptions options);
// Shows the layers named in `names` and hides the others (a slide's visible layers); empty changes nothing.
Command showOnlyLayers(std::vector<std::string> names);
// The basemap: every tile layer (geo/tiles) is hidden, then each of `layers` is shown: the project's own layer of
// that source when it has one, else the layer is added above the topmost tile layer (or at the bottom). Empty =
// no basemap. Layers added keep their ids (give them fresh ones); a zero id gets one.
Command chooseBasemap(std::vector<ProjectLayer> layers, const std::string& label);
Command setDisplayCrs(std::string crs);
Command addBookmark(Bookmark bookmark);
Command renameBookmark(size_t index, std::string name);
Command removeBookmark(size_t index);
Command moveBookmark(size_t index, int delta);
Command addSlide(Slide slide);
Command setSlide(size_t index, Slide slide);
Command removeSlide(size_t index);
Command moveSlide(size_t index, int delta);
Command duplicateSlide(size_t index);
Command setSlides(std::vector<Slide> slides, const std::string& what = "slides");
Command setTitle(std::string title);
Command setStoryLanguage(std::string language);  // "zh", "en", "" (both)
// Swipe comparison and timeline (dragging the divider or the year slider merges into one step).
Command setSwipe(Swipe swipe);
Command setTimeline(Timeline timeline);
// Markup: meeting notes on the map.
Command addMarkup(MarkupItem item);
Command removeMarkup(size_t index);
Command clearMarkup();
}  // namespace cmd

}  // namespace geo
