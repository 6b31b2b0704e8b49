#include "project/history.hpp"
#include "tiles/tile_source.hpp"

#include <algorithm>
#include <utility>

namespace geo {

History::History(Project project, size_t maxSteps) : current_(std::move(project)), maxSteps_(std::max<size_t>(1, maxSteps)) {}

bool History::apply(const Command& command) {
    Project next = current_;
    command.apply(next);
    if (next == current_) return false;
    const bool merge = mergeOpen_ && !command.mergeKey.empty() && !undo_.empty() && undo_.back().mergeKey == command.mergeKey;
    if (!merge) {
        undo_.push_back({command.label, command.mergeKey, std::move(current_)});
        if (undo_.size() > maxSteps_) undo_.erase(undo_.begin());
    }
    current_ = std::move(next);
    redo_.clear();
    mergeOpen_ = !command.mergeKey.empty();
    ++revision_;
    return true;
}

// Undo and redo are the same move between the two stacks: the step's value becomes current, and the current
// value goes on the other stack under the step's name.
bool History::travel(std::vector<Step>& from, std::vector<Step>& to) {
    if (from.empty()) return false;
    Step s = std::move(from.back());
    from.pop_back();
    to.push_back({s.label, s.mergeKey, std::move(current_)});
    current_ = std::move(s.project);
    mergeOpen_ = false;
    ++revision_;
    return true;
}

bool History::undo() { return travel(undo_, redo_); }

bool History::redo() { return travel(redo_, undo_); }

void History::reset(Project project) {
    current_ = std::move(project);
    undo_.clear();
    redo_.clear();
    mergeOpen_ = false;
    ++revision_;
}

namespace cmd {

namespace {
template <typename T>
void moveItem(std::vector<T>& v, size_t index, int delta) {
    long to = static_cast<long>(index) + delta;
    if (index >= v.size() || to < 0 || to >= static_cast<long>(v.size())) return;
    T item = std::move(v[index]);
    v.erase(v.begin() + static_cast<long>(index));
    v.insert(v.begin() + to, std::move(item));
}

// Applies `f` to the layer with `id`, if there is one.
template <typename F>
std::function<void(Project&)> onLayer(LayerId id, F f) {
    return [id, f = std::move(f)](Project& p) {
        if (ProjectLayer* l = p.findLayer(id)) f(*l);
    };
}

std::string layerKey(const char* what, LayerId id) { return std::string(what) + ":" + std::to_string(id); }
}  // namespace

Command addLayers(std::vector<ProjectLayer> layers) {
    std::string label = layers.size() == 1 ? "add layer " + layers[0].name : "add " + std::to_string(layers.size()) + " layers";
    return {label, "", [layers = std::move(layers)](Project& p) {
                for (const auto& l : layers)
                    if (l.id != 0 && p.layerIndex(l.id) < 0) p.layers.push_back(l);
            }};
}

Command removeLayer(LayerId id) {
    return {"remove layer", "", [id](Project& p) {
                int i = p.layerIndex(id);
                if (i >= 0) p.layers.erase(p.layers.begin() + i);
            }};
}

Command moveLayer(LayerId id, int delta) {
    return {"move layer", "", [id, delta](Project& p) {
                int i = p.layerIndex(id);
                if (i >= 0) moveItem(p.layers, static_cast<size_t>(i), delta);
            }};
}

Command setLayerVisible(LayerId id, bool visible) {
    return {visible ? "show layer" : "hide layer", "", onLayer(id, [visible](ProjectLayer& l) { l.visible = visible; })};
}

Command setLayerOpacity(LayerId id, float opacity) {
    opacity = std::clamp(opacity, 0.0f, 1.0f);
    return {"layer opacity", layerKey("opacity", id), onLayer(id, [opacity](ProjectLayer& l) { l.opacity = opacity; })};
}

Command setLayerStyle(LayerId id, Style style, const std::string& what) {
    return {"layer " + what, layerKey("style", id),
            onLayer(id, [style = std::move(style)](ProjectLayer& l) { l.style = style; })};
}

Command setLayerSource(LayerId id, std::string source) {
    return {"repoint layer", "", onLayer(id, [source = std::move(source)](ProjectLayer& l) { l.source = source; })};
}

Command setLayerOptions(LayerId id, SourceOptions options) {
    options.filter = BBox{};  // the viewer's, never part of the project
    options.simplifyTolerance = 0;
    return {"layer source options", "", onLayer(id, [options = std::move(options)](ProjectLayer& l) { l.options = options; })};
}

Command chooseBasemap(std::vector<ProjectLayer> layers, const std::string& label) {
    return {label, "", [layers = std::move(layers)](Project& p) {
                int top = -1;
                for (size_t i = 0; i < p.layers.size(); ++i)
                    if (isTileSourceString(p.layers[i].source)) {
                        p.layers[i].visible = false;
                        top = int(i);
                    }
                for (ProjectLayer l : layers) {
                    auto same = std::find_if(p.layers.begin(), p.layers.end(),
                                             [&](const ProjectLayer& o) { return o.source == l.source; });
                    if (same != p.layers.end()) {
                        same->visible = true;
                        top = std::max(top, int(same - p.layers.begin()));
                        continue;
                    }
                    l.visible = true;
                    p.layers.insert(p.layers.begin() + (top + 1), l);
                    ++top;
                }
                assignLayerIds(p);
            }};
}

Command showOnlyLayers(std::vector<std::string> names) {
    return {"slide layers", "", [names = std::move(names)](Project& p) {
                if (names.empty()) return;
                for (auto& l : p.layers) l.visible = std::find(names.begin(), names.end(), l.name) != names.end();
            }};
}

Command setDisplayCrs(std::string crs) {
    return {"display CRS " + crs, "", [crs = std::move(crs)](Project& p) { p.displayCrs = crs; }};
}

Command addBookmark(Bookmark bookmark) {
    return {"add bookmark", "", [b = std::move(bookmark)](Project& p) { p.bookmarks.push_back(b); }};
}

Command renameBookmark(size_t index, std::string name) {
    return {"rename bookmark", "bookmark-name:" + std::to_string(index), [index, name = std::move(name)](Project& p) {
                if (index < p.bookmarks.size()) p.bookmarks[index].name = name;
            }};
}

Command removeBookmark(size_t index) {
    return {"delete bookmark", "", [index](Project& p) {
                if (index < p.bookmarks.size()) p.bookmarks.erase(p.bookmarks.begin() + static_cast<long>(index));
            }};
}

Command moveBookmark(size_t index, int delta) {
    return {"move bookmark", "", [index, delta](Project& p) { moveItem(p.bookmarks, index, delta); }};
}

Command addSlide(Slide slide) {
    return {"add slide", "", [s = std::move(slide)](Project& p) { p.slides.push_back(s); }};
}

Command setSlide(size_t index, Slide slide) {
    return {"edit slide", "slide:" + std::to_string(index), [index, s = std::move(slide)](Project& p) {
                if (index < p.slides.size()) p.slides[index] = s;
            }};
}

Command removeSlide(size_t index) {
    return {"delete slide", "", [index](Project& p) {
                if (index < p.slides.size()) p.slides.erase(p.slides.begin() + static_cast<long>(index));
            }};
}

Command moveSlide(size_t index, int delta) {
    return {"move slide", "", [index, delta](Project& p) { moveItem(p.slides, index, delta); }};
}

Command duplicateSlide(size_t index) {
    return {"duplicate slide", "", [index](Project& p) {
                if (index < p.slides.size()) p.slides.insert(p.slides.begin() + static_cast<long>(index) + 1, p.slides[index]);
            }};
}

Command setSlides(std::vector<Slide> slides, const std::string& what) {
    return {what, "", [s = std::move(slides)](Project& p) { p.slides = s; }};
}

Command setTitle(std::string title) {
    return {"project title", "title", [t = std::move(title)](Project& p) { p.title = t; }};
}

Command setStoryLanguage(std::string language) {
    return {"story language", "", [l = std::move(language)](Project& p) { p.language = l; }};
}

Command setSwipe(Swipe swipe) {
    swipe.position = std::clamp(swipe.position, 0.0, 1.0);
    return {"swipe", "swipe", [s = std::move(swipe)](Project& p) { p.swipe = s; }};
}

Command setTimeline(Timeline timeline) {
    return {"timeline", "timeline", [t = std::move(timeline)](Project& p) { p.timeline = t; }};
}

Command addMarkup(MarkupItem item) {
    std::string label = std::string("add ") + markupKindName(item.kind);
    return {label, "", [m = std::move(item)](Project& p) { p.markup.push_back(m); }};
}

Command removeMarkup(size_t index) {
    return {"delete markup", "", [index](Project& p) {
                if (index < p.markup.size()) p.markup.erase(p.markup.begin() + static_cast<long>(index));
            }};
}

Command clearMarkup() {
    return {"clear markup", "", [](Project& p) { p.markup.clear(); }};
}

}  // namespace cmd

}  // namespace geo
