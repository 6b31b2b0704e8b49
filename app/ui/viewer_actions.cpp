// The viewer: actions queued by the panels during a frame, applied after it.
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

void Viewer::applyActions() {
    Actions a = std::exchange(actions_, Actions{});
    for (auto& p : inbox_.dropped) a.addPaths.push_back(p);
    inbox_.dropped.clear();
    for (const auto& p : a.addPaths) {
        try {
            doc_.addLayers(geo::layersFromSource(p, doc_.layers().size()));
            pendingFit_ = doc_.layers().size() == 1;
        } catch (const geo::Error& e) {
            doc_.report(Message::Error, e.what());
            state_.unreadErrors++;
        }
    }
    if (a.remove) {
        doc_.removeLayer(*a.remove);
        state_.selectedLayer = -1;
    }
    if (a.move) {
        doc_.moveLayer(a.move->first, a.move->second);
        state_.selectedLayer = static_cast<int>(a.move->first) + a.move->second;
    }
    if (a.cancel) doc_.cancelLoad(*a.cancel);
    if (a.categorize && *a.categorize < doc_.layers().size()) {
        auto& slot = *doc_.layers()[*a.categorize];
        if (a.categorizeField.empty()) {
            slot.config.style.categoryField.clear();
            slot.config.style.categories.clear();
        } else if (slot.vectorData) {
            geo::categorize(slot.config.style, slot.vectorData->source.table, a.categorizeField);
            for (auto& c : slot.config.style.categories) fonts_.addText(c.value);
        }
        doc_.restyle(*a.categorize);
    }
    if (a.restyle) doc_.restyle(*a.restyle);
    if (a.zoomTo && *a.zoomTo < doc_.layers().size()) {
        view_.fit(doc_.layers()[*a.zoomTo]->displayExtent);
        mapDirty_ = true;
    }
    if (a.zoomAll) pendingFit_ = true;
    if (a.select) {
        if (!(state_.selected == *a.select)) mapDirty_ = true;  // the selected feature's label goes first
        state_.selected = *a.select;
        state_.scrollTableToSelection = true;
    }
    if (a.flyToSelection && state_.selected.valid()) {
        updateHighlights();
        if (selectedHighlight_) startFlight(selectedHighlight_->displayExtent);
    }
    if (a.remove || a.move) {
        state_.selected = state_.hovered = FeatureRef{};
        state_.tableLayer = -1;
    }
    if (a.repoint) doc_.repoint(a.repoint->first, a.repoint->second);
    auto& bookmarks = doc_.bookmarks();
    auto& slides = doc_.slides();
    if (a.addBookmark) {
        std::string name = state_.bookmarkName[0] ? state_.bookmarkName.data() : "Bookmark " + std::to_string(bookmarks.size() + 1);
        bookmarks.push_back({name, currentProjectView(), doc_.displayCrs().definition()});
        fonts_.addText(name);
        state_.bookmarkName[0] = 0;
    }
    if (a.gotoBookmark) gotoBookmark(*a.gotoBookmark);
    if (a.removeBookmark && *a.removeBookmark < bookmarks.size()) bookmarks.erase(bookmarks.begin() + long(*a.removeBookmark));
    if (a.moveBookmark) std::swap(bookmarks[a.moveBookmark->first], bookmarks[a.moveBookmark->first + a.moveBookmark->second]);
    if (a.addSlide) {
        geo::Slide s;
        s.title = "Slide " + std::to_string(slides.size() + 1);
        s.view = currentProjectView();
        for (const auto& l : doc_.layers())
            if (l->config.visible) s.visibleLayers.push_back(l->config.name);
        int catalog = findCatalogLayer(doc_.layers());
        if (catalog >= 0 && state_.selected.layer == catalog) {  // the selected project goes into the spotlight
            const auto& slot = *doc_.layers()[catalog];
            s.highlight.push_back(std::string(slot.vectorData->source.table.columns[slot.catalogColumns.id].text(state_.selected.feature)));
        }
        slides.push_back(s);
        state_.editingSlide = static_cast<int>(slides.size()) - 1;
    }
    if (a.generateStory) {
        int catalog = findCatalogLayer(doc_.layers());
        if (catalog >= 0) {
            const auto& slot = *doc_.layers()[catalog];
            std::vector<std::string> dossiers;
            if (state_.selected.layer == catalog)
                dossiers.push_back(std::string(slot.vectorData->source.table.columns[slot.catalogColumns.id].text(state_.selected.feature)));
            slides = geo::generateStory(slot.vectorData->source.table, slot.catalogColumns, dossiers);
            for (const auto& sl : slides) fonts_.addText(sl.title + sl.caption);
        }
    }
    if (a.gotoSlide) applySlide(*a.gotoSlide, true);
    if (a.duplicateSlide && *a.duplicateSlide < slides.size())
        slides.insert(slides.begin() + long(*a.duplicateSlide) + 1, slides[*a.duplicateSlide]);
    if (a.removeSlide && *a.removeSlide < slides.size()) {
        slides.erase(slides.begin() + long(*a.removeSlide));
        state_.editingSlide = -1;
    }
    if (a.moveSlide) std::swap(slides[a.moveSlide->first], slides[a.moveSlide->first + a.moveSlide->second]);
    if (a.startPresentation && !state_.presenting) enterPresentation();
    if (a.cancelExport && export_) {
        export_.reset();  // the writer removes its partial file
        doc_.report(Message::Info, "export cancelled");
    }
    if (a.startExport && !export_) {
        geo::View out = view_;
        out.width = state_.exportWidth;
        out.height = state_.exportHeight;
        out.fit(view_.extent(), 0.0);
        double dpi = geo::kScreenDpi * std::max(1.0, double(out.width) / std::max(1, view_.width)) * pixelRatio();
        // The file name's extension wins over the radio buttons when it names a format.
        std::string ext = std::filesystem::path(state_.exportPath.data()).extension().string();
        if (ext == ".tif" || ext == ".tiff") state_.exportFormat = 1;
        if (ext == ".pdf") state_.exportFormat = 2;
        if (ext == ".png") state_.exportFormat = 0;
        geo::ExportFormat fmt = state_.exportFormat == 1 ? geo::ExportFormat::GeoTiff
                                : state_.exportFormat == 2 ? geo::ExportFormat::Pdf
                                                           : geo::ExportFormat::Png;
        try {
            export_ = std::make_unique<ExportSession>(*renderer_, doc_.layers(), out, doc_.displayCrs(),
                                                      doc_.settings().title, std::string(state_.exportPath.data()), fmt,
                                                      dpi, state_.exportDecorations);
        } catch (const std::exception& e) {
            doc_.report(Message::Error, std::string("cannot export: ") + e.what());
            state_.unreadErrors++;
        }
    }
    // Serializing the project to compare it is only worth doing when the answer matters (not every frame).
    auto dirty = [&] { return !savedSnapshot_.empty() && snapshot() != savedSnapshot_; };
    if (a.save) {
        if (doc_.path().empty() || doc_.path() == platform::defaultProjectPath()) {
            state_.saveAsDialog = true;  // never overwrite the bundled project silently
        } else {
            save(doc_.path());
        }
    }
    if (a.saveAs) save(*a.saveAs);
    if (a.openProject) {
        if (!openConfirmed_ && dirty()) {
            std::snprintf(state_.projectPath.data(), state_.projectPath.size(), "%s", a.openProject->c_str());
            state_.afterPrompt = 2;
            state_.unsavedPrompt = true;
        } else {
            open(*a.openProject);
        }
        openConfirmed_ = false;
    }
    if (a.quit) {
        if (!quitConfirmed_ && dirty()) {
            state_.afterPrompt = 1;
            state_.unsavedPrompt = true;
        } else {
            quit_ = true;
        }
    }
    if (a.setCrs) changeCrs(*a.setCrs);
    if (a.styleOrVisibilityChanged) mapDirty_ = true;
}

}  // namespace app::ui::detail
