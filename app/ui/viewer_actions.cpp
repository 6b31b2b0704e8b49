// The viewer: actions queued by the panels during a frame, applied after it. Project changes are commands
// (undoable, through the document); the rest acts on the view, the selection or the session.
#include "ui/viewer_internal.hpp"

#include "present/story.hpp"
#include "source/postgis.hpp"

namespace app::ui::detail {

void Viewer::applyActions() {
    Actions a = std::exchange(actions_, Actions{});
    for (auto& p : dropped_) a.addPaths.push_back(p);
    dropped_.clear();
    for (const auto& c : a.commands) doc_.apply(c);
    if (a.undo) doc_.undo();
    if (a.redo) doc_.redo();
    if (a.clearMessages) {
        doc_.clearMessages();
        state_.unreadErrors = 0;
    }
    applyLayerActions(a);
    applySelection(a);
    if (a.addBookmark) addBookmarkHere();
    if (a.gotoBookmark) gotoBookmark(*a.gotoBookmark);
    if (a.addSlide) addSlideHere();
    if (a.generateStory) generateStory();
    if (a.gotoSlide) applySlide(*a.gotoSlide, true);
    if (a.startPresentation && !state_.presenting) enterPresentation();
    if (a.setCrs) changeCrs(*a.setCrs);
    applyFileActions(a);
}

void Viewer::applyLayerActions(Actions& a) {
    for (const auto& p : a.addPaths) {
        try {
            const bool first = doc_.project().layers.empty();
            std::vector<geo::ProjectLayer> layers = doc_.newLayers(p);
            for (auto& l : layers) {
                if (!a.addOptions.crs.empty()) l.options.crs = a.addOptions.crs;
                if (!a.addOptions.datum.empty()) l.options.datum = a.addOptions.datum;
            }
            doc_.apply(geo::cmd::addLayers(layers));
            pendingFit_ = pendingFit_ || first;
        } catch (const geo::Error& e) {
            doc_.report(Message::Error, e.what());
        }
    }
    if (a.listSource) {
        try {
            state_.listedLayers.clear();
            if (options_.offline && geo::isNetworkSource(*a.listSource))
                throw geo::IoError(geo::redactConnection(*a.listSource), "", "not read: --offline refuses network sources");
            for (const auto& info : geo::listLayers(*a.listSource)) state_.listedLayers.push_back({info.name, false});
            state_.listedSource = *a.listSource;
        } catch (const geo::Error& e) {
            doc_.report(Message::Error, e.what());
        }
    }
    if (a.cancel) doc_.cancelLoad(*a.cancel);
    if (a.retry) {
        const geo::ProjectLayer* l = doc_.project().findLayer(*a.retry);
        if (l && doc_.blocked(l->source) && !reach_.targets.empty()) reach_.ask = true;  // refused before: ask again
        else doc_.retry(*a.retry);
    }
    if (a.zoomTo) {
        const render::SceneLayer* s = doc_.scene().find(*a.zoomTo);
        if (s && s->readyIn(doc_.displayCrs())) {
            view_.fit(s->displayExtent);
            mapDirty_ = true;
        }
    }
    if (a.zoomAll) pendingFit_ = true;
}

void Viewer::applySelection(const Actions& a) {
    if (a.select) {
        if (!(state_.selected == *a.select)) {
            mapDirty_ = true;  // the selected feature's label goes first
            if (a.select->valid()) {  // its attributes show in the inspector
                state_.layout.rightOpen = state_.layout.selectRightTab = true;
                state_.layout.rightTab = RightTab::Info;
            }
        }
        state_.selected = *a.select;
        state_.scrollTableToSelection = true;
    }
    if (a.flyToSelection && state_.selected.valid()) flyToFeature(state_.selected);
}

void Viewer::addBookmarkHere() {
    const auto& bookmarks = doc_.project().bookmarks;
    std::string name = state_.bookmarkName[0] ? state_.bookmarkName.data()
                                              : std::string(tr("Bookmark")) + " " + std::to_string(bookmarks.size() + 1);
    doc_.apply(geo::cmd::addBookmark({name, currentProjectView(), doc_.displayCrs().definition()}));
    fonts_.addText(name);
    state_.bookmarkName[0] = 0;
}

// The catalog id of the selected feature, when a plan project is selected.
std::string Viewer::selectedProjectId() const {
    const render::SceneLayer* catalog = doc_.scene().catalogLayer(doc_.project());
    if (!catalog || state_.selected.layer != catalog->id || !state_.selected.valid()) return {};
    const geo::FeatureTable& t = catalog->vectorData->source.table;
    if (static_cast<size_t>(state_.selected.feature) >= t.featureCount()) return {};
    return std::string(t.columns[catalog->catalogColumns.id].text(static_cast<size_t>(state_.selected.feature)));
}

void Viewer::addSlideHere() {
    geo::Slide s;
    s.title = std::string(tr("Slide")) + " " + std::to_string(doc_.project().slides.size() + 1);
    s.view = currentProjectView();
    for (const auto& l : doc_.project().layers)
        if (l.visible) s.visibleLayers.push_back(l.name);
    if (std::string id = selectedProjectId(); !id.empty()) s.highlight.push_back(id);  // into the spotlight
    // The slide keeps the timeline's phase and the swipe comparison shown now.
    if (doc_.project().timeline.enabled) s.phase = doc_.project().timeline.phase;
    s.swipe = doc_.project().swipe;
    doc_.apply(geo::cmd::addSlide(s));
    state_.editingSlide = static_cast<int>(doc_.project().slides.size()) - 1;
}

void Viewer::generateStory() {
    const render::SceneLayer* catalog = doc_.scene().catalogLayer(doc_.project());
    if (!catalog) return;
    std::vector<std::string> dossiers;
    if (std::string id = selectedProjectId(); !id.empty()) dossiers.push_back(id);
    auto slides = geo::generateStory(catalog->vectorData->source.table, catalog->catalogColumns, dossiers,
                                     doc_.project().language);
    for (const auto& sl : slides) fonts_.addText(sl.title + sl.caption);
    doc_.apply(geo::cmd::setSlides(std::move(slides), "generate story"));
}

}  // namespace app::ui::detail
