// The viewer's document on a real GL context (EGL, llvmpipe) and worker pool: every command reaches the scene,
// undo/redo round trips, display-CRS switches leave nothing stale, exports survive layer changes, and the UI's
// export writes what `planatlas export` writes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <fstream>
#include <map>
#include <thread>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "export/image_writer.hpp"
#include "gl/gl_support.hpp"
#include "render/export_pipeline.hpp"
#include "render/map_renderer.hpp"
#include "render/render_target.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"
#include "ui/document.hpp"
#include "ui/ui_export.hpp"

namespace {

namespace fs = std::filesystem;
using app::render::LoadStatus;
using app::ui::Document;
using app::ui::WorkerPool;

class DocumentTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::useGlContext();
        doc.open(geo::loadProject(projectPath()), projectPath());
        settle();
    }
    static std::string projectPath() { return test::assetPath("pingshan2024.atlas.json"); }

    // Runs background work and hands results in until nothing is loading or queued.
    void settle() {
        for (int i = 0; i < 10000; ++i) {
            pool.waitIdle();
            pool.pump();
            doc.update();
            if (doc.loading() == 0 && pool.pending() == 0) return;
        }
        FAIL() << "the document did not settle";
    }
    const geo::ProjectLayer& layerNamed(const std::string& part) const {
        for (const auto& l : doc.project().layers)
            if (l.name.find(part) != std::string::npos) return l;
        throw std::runtime_error("no layer named like " + part);
    }
    const app::render::SceneLayer& sceneOf(const geo::ProjectLayer& l) const { return *doc.scene().find(l.id); }
    size_t catalogRow(const std::string& id) const {
        const auto* c = doc.scene().catalogLayer(doc.project());
        const geo::FeatureTable& t = c->vectorData->source.table;
        for (size_t r = 0; r < t.featureCount(); ++r)
            if (t.columns[c->catalogColumns.id].text(r) == id) return r;
        throw std::runtime_error("no project " + id);
    }
    bool allReadyIn(const std::string& crs) const {
        for (const auto& l : doc.project().layers)
            if (!sceneOf(l).readyIn(geo::Crs::fromUser(crs))) return false;
        return true;
    }

    WorkerPool pool{2};
    Document doc{pool};
};

TEST_F(DocumentTest, OpenLoadsEveryLayerByIdInTheDisplayCrs) {
    ASSERT_FALSE(doc.project().layers.empty());
    std::set<geo::LayerId> ids;
    for (const auto& l : doc.project().layers) {
        EXPECT_NE(l.id, 0u);
        ids.insert(l.id);
        EXPECT_EQ(sceneOf(l).status, LoadStatus::Ready) << l.name << ": " << sceneOf(l).error;
    }
    EXPECT_EQ(ids.size(), doc.project().layers.size());
    EXPECT_TRUE(allReadyIn(doc.project().displayCrs));
    EXPECT_FALSE(doc.history().canUndo());
}

TEST_F(DocumentTest, StyleCommandRecoloursWithoutReloadingAndUndoRestores) {
    const geo::ProjectLayer& l = layerNamed("Pingshan District");
    const geo::Style before = l.style;
    const auto gpu = sceneOf(l).gpuVector;
    geo::Style red = before;
    red.fill = {255, 0, 0, 255};
    ASSERT_TRUE(doc.apply(geo::cmd::setLayerStyle(l.id, red)));
    settle();
    EXPECT_EQ(sceneOf(l).style, red);
    EXPECT_EQ(sceneOf(l).gpuVector, gpu);  // same buffers: a style edit never re-reads or re-tessellates
    ASSERT_TRUE(doc.undo());
    EXPECT_EQ(doc.project().findLayer(l.id)->style, before);
    EXPECT_EQ(sceneOf(l).style, before);
    ASSERT_TRUE(doc.redo());
    EXPECT_EQ(sceneOf(l).style, red);
}

TEST_F(DocumentTest, VisibilityOpacityAndOrderShapeTheDrawList) {
    const geo::Crs& crs = doc.displayCrs();
    const size_t all = doc.scene().drawItems(doc.project(), crs).size();
    const geo::LayerId places = layerNamed("Places").id;
    doc.apply(geo::cmd::setLayerVisible(places, false));
    EXPECT_EQ(doc.scene().drawItems(doc.project(), crs).size(), all - 1);
    doc.undo();
    doc.apply(geo::cmd::setLayerOpacity(places, 0.4f));
    auto items = doc.scene().drawItems(doc.project(), crs);
    auto drawn = std::find_if(items.begin(), items.end(), [&](const auto& i) { return i.layer == places; });
    ASSERT_NE(drawn, items.end());
    EXPECT_FLOAT_EQ(drawn->opacity, 0.4f);
    const auto bottom = items.front().vector;
    doc.apply(geo::cmd::moveLayer(doc.project().layers.front().id, +1));
    items = doc.scene().drawItems(doc.project(), crs);
    EXPECT_EQ(items[1].vector, bottom);  // the bottom layer now draws second
    int steps = 0;
    while (doc.undo()) ++steps;
    EXPECT_EQ(steps, 2);
    EXPECT_FLOAT_EQ(doc.project().findLayer(places)->opacity, 1.0f);
}

TEST_F(DocumentTest, RemoveThenUndoReloadsTheLayerUnderItsId) {
    const geo::ProjectLayer layer = layerNamed("Plan projects");
    doc.apply(geo::cmd::removeLayer(layer.id));
    EXPECT_EQ(doc.scene().find(layer.id), nullptr);
    EXPECT_EQ(doc.scene().catalogLayer(doc.project()), nullptr);
    ASSERT_TRUE(doc.undo());
    settle();
    ASSERT_NE(doc.scene().find(layer.id), nullptr);
    EXPECT_EQ(sceneOf(layer).status, LoadStatus::Ready);
    EXPECT_EQ(*doc.project().findLayer(layer.id), layer);
    EXPECT_NE(doc.scene().catalogLayer(doc.project()), nullptr);
}

TEST_F(DocumentTest, RepointLoadsTheNewSourceAndUndoTheOld) {
    const geo::ProjectLayer layer = layerNamed("Pingshan District");
    const uint64_t revision = sceneOf(layer).contentRevision;
    doc.apply(geo::cmd::setLayerSource(layer.id, test::assetPath("shenzhen_districts.gpkg")));
    settle();
    EXPECT_EQ(sceneOf(layer).status, LoadStatus::Ready);
    EXPECT_GT(sceneOf(layer).vectorData->source.table.featureCount(), 1u);  // all districts now
    EXPECT_GT(sceneOf(layer).contentRevision, revision);
    doc.undo();
    settle();
    EXPECT_EQ(sceneOf(layer).source.source, layer.source);
    EXPECT_EQ(sceneOf(layer).vectorData->source.table.featureCount(), 1u);
}

TEST_F(DocumentTest, ABrokenSourceFailsThatLayerOnlyWithTheCause) {
    const geo::LayerId id = layerNamed("Pingshan District").id;
    doc.apply(geo::cmd::setLayerSource(id, "/nonexistent/pingshan.geojson"));
    settle();
    EXPECT_EQ(doc.scene().find(id)->status, LoadStatus::Failed);
    EXPECT_NE(doc.scene().find(id)->error.find("/nonexistent/pingshan.geojson"), std::string::npos);
    ASSERT_FALSE(doc.messages().empty());
    EXPECT_EQ(doc.messages().back().level, app::ui::Message::Error);
    for (const auto& l : doc.project().layers)
        if (l.id != id) EXPECT_EQ(sceneOf(l).status, LoadStatus::Ready);
}

TEST_F(DocumentTest, BookmarkAndSlideCommandsUndo) {
    const geo::Project before = doc.project();
    doc.apply(geo::cmd::addBookmark({"南布", {114.33, 22.70, 8000}, "EPSG:3857"}));
    doc.apply(geo::cmd::setSlide(0, geo::Slide{"新标题"}));
    doc.apply(geo::cmd::removeSlide(1));
    EXPECT_EQ(doc.project().bookmarks.back().name, "南布");
    EXPECT_EQ(doc.project().slides.size(), before.slides.size() - 1);
    while (doc.undo()) {
    }
    EXPECT_EQ(doc.project(), before);
}

TEST_F(DocumentTest, SavedProjectLoadsEqual) {
    doc.apply(geo::cmd::setLayerOpacity(layerNamed("Places").id, 0.5f));
    doc.apply(geo::cmd::setDisplayCrs("EPSG:4547"));
    doc.apply(geo::cmd::addBookmark({"坑梓", {114.38, 22.75, 12000}, "EPSG:4547"}));
    const std::string path = test::scratchDir("document_save") + "/saved.atlas.json";
    geo::saveProject(doc.project(), path);
    geo::Project loaded = geo::loadProject(path);
    geo::Project expected = doc.project();
    ASSERT_EQ(loaded.layers.size(), expected.layers.size());
    for (size_t i = 0; i < loaded.layers.size(); ++i) loaded.layers[i].id = expected.layers[i].id;
    EXPECT_EQ(loaded, expected);
}

// Regression (#8): after a display-CRS switch the selection highlight and fly-to used old-CRS coordinates.
TEST_F(DocumentTest, AfterACrsSwitchNothingOldIsDrawnPickedOrFlownTo) {
    const auto* catalog = doc.scene().catalogLayer(doc.project());
    const geo::LayerId id = catalog->id;
    const size_t row = catalogRow("N01");
    const geo::BBox before = doc.scene().featureExtent(id, row, doc.displayCrs());
    ASSERT_TRUE(doc.apply(geo::cmd::setDisplayCrs("EPSG:4547")));
    const geo::Crs gk = geo::Crs::fromUser("EPSG:4547");
    EXPECT_EQ(doc.displayCrs(), gk);
    // While reprojecting, no layer is drawn in the old CRS.
    EXPECT_TRUE(doc.scene().drawItems(doc.project(), gk).size() < doc.project().layers.size() || allReadyIn("EPSG:4547"));
    settle();
    ASSERT_TRUE(allReadyIn("EPSG:4547"));
    const geo::BBox after = doc.scene().featureExtent(id, row, doc.displayCrs());
    const geo::BBox expected = geo::transformBox(before, geo::Transformer(geo::Crs::fromUser("EPSG:3857"), gk));
    EXPECT_NEAR(after.centerX(), expected.centerX(), 5.0);
    EXPECT_NEAR(after.centerY(), expected.centerY(), 5.0);
    EXPECT_GT(after.centerY(), 2.4e6);  // GK northing, not Web Mercator
    // The highlight comes from the layer's buffers in the new CRS: drawn where the feature is.
    geo::View v;
    v.width = v.height = 200;
    v.fit(after, 0.2);
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    target.ensure(v.width, v.height, 1);
    renderer.render(target, v, {}, {255, 255, 255, 255}, 1.0f);
    renderer.drawHighlight(v, *catalog->gpuVector, row, {{0, 0, 255, 255}, 4.0f, true}, 1.0f);
    std::vector<uint8_t> rgba;
    target.readPixels(rgba);
    size_t blue = 0;
    double sx = 0, sy = 0;
    for (int y = 0; y < v.height; ++y)
        for (int x = 0; x < v.width; ++x) {
            const uint8_t* p = &rgba[(size_t(y) * v.width + x) * 4];
            if (p[2] > 200 && p[0] < 120) ++blue, sx += x, sy += y;
        }
    ASSERT_GT(blue, 100u);
    EXPECT_NEAR(sx / blue, v.width / 2.0, 20);
    EXPECT_NEAR(sy / blue, v.height / 2.0, 20);
    // Picking at the feature's centre finds it, in the new CRS.
    const geo::ProjectLayer& l = *doc.project().findLayer(id);
    auto picked = doc.scene().pick(*catalog, l, v, gk, v.width / 2.0, v.height / 2.0, 4.0);
    ASSERT_TRUE(picked.has_value());
    EXPECT_EQ(*picked, row);
}

TEST_F(DocumentTest, RapidCrsSwitchesAndUndoEndInTheLastOne) {
    doc.apply(geo::cmd::setDisplayCrs("EPSG:4547"));
    doc.apply(geo::cmd::setDisplayCrs("EPSG:4326"));
    settle();
    EXPECT_TRUE(allReadyIn("EPSG:4326"));
    doc.undo();
    doc.undo();
    settle();
    EXPECT_EQ(doc.displayCrs().id(), "EPSG:3857");
    EXPECT_TRUE(allReadyIn("EPSG:3857"));
}

TEST_F(DocumentTest, ResultsForALayerRemovedOrRepointedWhileLoadingAreDropped) {
    geo::Project p = geo::loadProject(projectPath());
    doc.open(p, projectPath());  // every layer loading again
    const geo::LayerId removed = layerNamed("Places").id, repointed = layerNamed("Pingshan District").id;
    doc.apply(geo::cmd::removeLayer(removed));
    doc.apply(geo::cmd::setLayerSource(repointed, test::assetPath("shenzhen_districts.gpkg")));
    settle();
    EXPECT_EQ(doc.scene().find(removed), nullptr);
    const auto* s = doc.scene().find(repointed);
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->status, LoadStatus::Ready) << s->error;
    EXPECT_EQ(s->source.source, test::assetPath("shenzhen_districts.gpkg"));
    ASSERT_TRUE(s->vectorData);
    EXPECT_GT(s->vectorData->source.table.featureCount(), 1u);  // the new source's result, not the old one's
}

std::vector<uint8_t> readRgba(const std::string& path, int& w, int& h) { return geo::readImageRgba(path, w, h); }

// An export renders across frames while the UI goes on: the layers it draws may be removed, reprojected or
// restyled meanwhile. It keeps what it composed (shared GPU objects, copied styles): the file is the same as an
// export without interruptions. (CI also runs this under AddressSanitizer.)
TEST_F(DocumentTest, ExportKeepsGoingWhileItsLayerIsRemoved) {
    const std::string dir = test::scratchDir("export_interrupted");
    app::ui::UiExportSettings settings{dir + "/calm.png", 0, 512, 384, false};
    geo::View screen;
    screen.width = 512;
    screen.height = 384;
    screen.fit(doc.scene().combinedExtent(doc.project(), doc.displayCrs(), true));
    app::render::MapRenderer renderer;
    auto spec = app::ui::exportSpecForScreen(doc, screen, 1.0f, settings);
    spec.tileSize = 128;
    app::render::ExportJob(renderer, doc.project(), doc.scene(), spec).run();

    spec.path = dir + "/interrupted.png";
    app::render::ExportJob job(renderer, doc.project(), doc.scene(), spec);
    ASSERT_TRUE(job.step());
    const auto* catalog = doc.scene().catalogLayer(doc.project());
    std::weak_ptr<const app::render::GpuVectorLayer> buffers = catalog->gpuVector;
    doc.apply(geo::cmd::removeLayer(catalog->id));
    doc.apply(geo::cmd::setDisplayCrs("EPSG:4326"));
    settle();
    ASSERT_TRUE(job.step());
    EXPECT_FALSE(buffers.expired());  // still held by the export
    while (job.step()) {
    }
    job.finish();
    int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    auto calm = readRgba(dir + "/calm.png", w1, h1), interrupted = readRgba(dir + "/interrupted.png", w2, h2);
    ASSERT_EQ(w1, w2);
    ASSERT_EQ(h1, h2);
    EXPECT_TRUE(test::compareImages(interrupted, calm).withinTolerance());
    EXPECT_TRUE(fs::exists(dir + "/interrupted.json"));
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// File > Export and `planatlas export` are one pipeline: the same frame gives the same sidecar and picture.
TEST_F(DocumentTest, UiExportWritesTheSameSidecarAsTheCli) {
    const std::string dir = test::scratchDir("ui_vs_cli");
    geo::View screen;
    screen.width = 400;
    screen.height = 300;
    screen.fit(doc.scene().combinedExtent(doc.project(), doc.displayCrs(), true));
    app::ui::UiExportSettings settings{dir + "/ui.png", 1, 800, 600, true};  // the extension wins over "GeoTIFF"
    auto spec = app::ui::exportSpecForScreen(doc, screen, 1.0f, settings);
    EXPECT_EQ(spec.format, geo::ExportFormat::Png);
    app::render::MapRenderer renderer;
    app::render::ExportJob(renderer, doc.project(), doc.scene(), spec).run();

    const geo::BBox e = spec.view.extent();
    char cmd[2048];
    std::snprintf(cmd, sizeof cmd,
                  "'%s' export --project '%s' --bbox %.10f,%.10f,%.10f,%.10f --size 800x600 --dpi %.10f "
                  "--out '%s/cli.png' 2>'%s/cli.log'",
                  PLANATLAS_BINARY, projectPath().c_str(), e.minX, e.minY, e.maxX, e.maxY, spec.dpi, dir.c_str(),
                  dir.c_str());
    ASSERT_EQ(std::system(cmd), 0) << cmd;
    nlohmann::json ui = readJson(dir + "/ui.json"), cli = readJson(dir + "/cli.json");
    EXPECT_EQ(ui["file"], "ui.png");
    EXPECT_EQ(cli["file"], "cli.png");
    for (const char* key : {"project", "crs", "size", "dpi", "credits", "layers", "planatlas_version"})
        EXPECT_EQ(ui[key], cli[key]) << key;
    // The credits line of the picture, as text: every drawn layer's attribution.
    const std::string credits = ui["credits"];
    for (const auto& l : doc.project().layers)
        if (l.visible && !l.attribution.empty()) EXPECT_NE(credits.find(l.attribution), std::string::npos) << l.name;
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(ui["extent"][i].get<double>(), cli["extent"][i].get<double>(), 1e-3);
    int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    auto a = readRgba(dir + "/ui.png", w1, h1), b = readRgba(dir + "/cli.png", w2, h2);
    ASSERT_EQ(w1, w2);
    EXPECT_TRUE(test::compareImages(a, b).withinTolerance());
}

}  // namespace

namespace {
// Pixels of a render of `items` for `v` that differ from white.
size_t inkedPixels(const geo::View& v, const std::vector<app::render::DrawItem>& items) {
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    target.ensure(v.width, v.height, 1);
    renderer.render(target, v, items, {255, 255, 255, 255}, 1.0f);
    std::vector<uint8_t> rgba;
    target.readPixels(rgba);
    size_t n = 0;
    for (size_t i = 0; i < rgba.size(); i += 4) n += rgba[i] < 250 || rgba[i + 1] < 250 || rgba[i + 2] < 250;
    return n;
}
}  // namespace

// The timeline hides catalog projects outside its phase: not drawn, not labelled, not picked; undo shows them.
TEST_F(DocumentTest, TimelineHidesOtherPhasesFromTheMapLabelsAndPicking) {
    const auto* catalog = doc.scene().catalogLayer(doc.project());
    ASSERT_NE(catalog, nullptr);
    const geo::FeatureTable& t = catalog->vectorData->source.table;
    const int status = catalog->catalogColumns.status;
    // A polygon project that is under construction (hidden by "planned") and its box.
    size_t row = t.featureCount();
    for (size_t r = 0; r < t.featureCount() && row == t.featureCount(); ++r)
        if (t.kinds[r] == geo::GeomKind::Polygon && t.columns[status].text(r) == "under construction") row = r;
    ASSERT_LT(row, t.featureCount());
    const geo::LayerId id = catalog->id;
    geo::View v;
    v.width = v.height = 160;
    v.fit(doc.scene().featureExtent(id, row, doc.displayCrs()), 0.1);
    const geo::ProjectLayer& l = *doc.project().findLayer(id);
    const std::vector<app::render::DrawItem> only = {doc.scene().drawItem(*catalog, l)};
    const size_t shown = inkedPixels(v, only);
    ASSERT_GT(shown, 500u);
    ASSERT_TRUE(doc.scene().pick(*catalog, l, v, doc.displayCrs(), 80, 80, 4.0).has_value());

    geo::Timeline planned{true, 0, "planned"};
    ASSERT_TRUE(doc.apply(geo::cmd::setTimeline(planned)));
    settle();
    const auto* after = doc.scene().catalogLayer(doc.project());
    const geo::ProjectLayer& l2 = *doc.project().findLayer(id);
    EXPECT_TRUE(doc.scene().hiddenByTimeline(*after, row));
    size_t hidden = 0;
    for (size_t r = 0; r < t.featureCount(); ++r) {
        const bool isPlanned = t.columns[status].text(r) == "planned";
        EXPECT_EQ(doc.scene().hiddenByTimeline(*after, r), !isPlanned) << r;
        hidden += !isPlanned;
    }
    EXPECT_GT(hidden, 0u);
    // Nothing of the hidden project is drawn (other projects may overlap its box: compare with the fill gone).
    EXPECT_LT(inkedPixels(v, {doc.scene().drawItem(*after, l2)}), shown / 4);
    auto picked = doc.scene().pick(*after, l2, v, doc.displayCrs(), 80, 80, 4.0);
    EXPECT_TRUE(!picked || t.columns[status].text(*picked) == "planned");
    for (const auto& r : doc.scene().collectLabels(doc.project(), v, doc.displayCrs()))
        if (r.layer == static_cast<uint32_t>(doc.project().layerIndex(id))) EXPECT_EQ(t.columns[status].text(r.feature), "planned");
    // A slide's phase overrides the project's timeline while presenting; clearing it restores the project's.
    doc.setTimelineOverride(geo::Timeline{true, 0, "under construction"});
    settle();
    EXPECT_FALSE(doc.scene().hiddenByTimeline(*doc.scene().catalogLayer(doc.project()), row));
    doc.setTimelineOverride(std::nullopt);
    settle();
    EXPECT_TRUE(doc.scene().hiddenByTimeline(*doc.scene().catalogLayer(doc.project()), row));
    ASSERT_TRUE(doc.undo());
    settle();
    EXPECT_FALSE(doc.scene().hiddenByTimeline(*doc.scene().catalogLayer(doc.project()), row));
    EXPECT_EQ(inkedPixels(v, {doc.scene().drawItem(*doc.scene().catalogLayer(doc.project()), *doc.project().findLayer(id))}), shown);
}

// Retry reads a failed layer again from the same source (a server back up, a file put back), without an undo step.
TEST_F(DocumentTest, RetryReloadsAFailedLayerFromTheSameSource) {
    const geo::LayerId id = layerNamed("Pingshan District").id;
    const std::string original = doc.project().findLayer(id)->source;
    const std::string dir = test::scratchDir("document_retry");
    const std::string moved = dir + "/pingshan.geojson";
    doc.apply(geo::cmd::setLayerSource(id, moved));
    settle();
    ASSERT_EQ(doc.scene().find(id)->status, LoadStatus::Failed);
    const bool couldUndo = doc.history().canUndo();
    fs::copy_file(original, moved);
    doc.retry(id);
    settle();
    EXPECT_EQ(doc.scene().find(id)->status, LoadStatus::Ready) << doc.scene().find(id)->error;
    EXPECT_TRUE(doc.scene().find(id)->readyIn(doc.displayCrs()));
    EXPECT_EQ(doc.history().canUndo(), couldUndo);
    EXPECT_EQ(doc.project().findLayer(id)->source, moved);
}

// Issue #13: every small file of the malformed-input corpus (tests/app/malformed/make_corpus.py), added to an open
// session the way the viewer adds a file, either loads or fails with a message naming it; the layers already open
// stay as they were (the same loaded data, still ready), and undo takes the addition back.
TEST_F(DocumentTest, MalformedFilesAddedToAnOpenSessionLeaveItsLayersIntact) {
    const std::string dir = test::scratchDir("document_malformed");
    const std::string script = test::sourceDir() + "/tests/app/malformed/make_corpus.py";
    ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + dir + " >/dev/null").c_str()), 0);
    std::map<geo::LayerId, const void*> before;
    for (const auto& l : doc.project().layers)
        before[l.id] = sceneOf(l).vectorData ? static_cast<const void*>(sceneOf(l).vectorData.get())
                                             : static_cast<const void*>(sceneOf(l).gpuRaster.get());
    size_t tried = 0, failedCases = 0;
    for (const auto& c : readJson(dir + "/cases.json")) {
        const std::string name = c["file"], expect = c["expect"];
        const std::string path = dir + "/" + name;
        if (name.find(".atlas.json") != std::string::npos) continue;  // projects are opened, not added
        if (fs::file_size(path) > (1u << 20)) continue;  // the large geometry cases are the render test's
        SCOPED_TRACE(name);
        ++tried;
        doc.clearMessages();
        const size_t layerCount = doc.project().layers.size();
        bool added = false;
        try {
            added = doc.apply(geo::cmd::addLayers(doc.newLayers(path)));
        } catch (const geo::Error& e) {
            doc.report(app::ui::Message::Error, e.what());  // as Viewer::applyLayerActions does
        }
        settle();
        for (const auto& [id, data] : before) {
            const auto* s = doc.scene().find(id);
            ASSERT_NE(s, nullptr);
            EXPECT_EQ(s->status, LoadStatus::Ready);
            EXPECT_EQ(s->vectorData ? static_cast<const void*>(s->vectorData.get())
                                    : static_cast<const void*>(s->gpuRaster.get()),
                      data);
        }
        bool drawn = false;
        for (size_t i = layerCount; i < doc.project().layers.size(); ++i) {
            const auto& s = sceneOf(doc.project().layers[i]);
            drawn = drawn || (s.status == LoadStatus::Ready && !s.nothingToDraw);
        }
        const std::string stem = fs::path(name).stem().string();
        bool said = false;  // a message (error, or a warning that nothing draws) names the file or its layer
        for (const auto& m : doc.messages()) said = said || m.text.find(stem) != std::string::npos;
        if (!drawn) {
            ++failedCases;
            EXPECT_TRUE(said) << "nothing drawn and no message naming the file";
        }
        if (expect == "draw") EXPECT_TRUE(drawn);
        if (expect == "error") EXPECT_FALSE(drawn);
        if (added) {
            ASSERT_TRUE(doc.undo());
            settle();
        }
        EXPECT_EQ(doc.project().layers.size(), before.size());
    }
    EXPECT_GE(tried, 40u);
    EXPECT_GE(failedCases, 20u);  // the corpus is mostly damage: most of it must be refused
}

// Issues #10 and #13: a 200000 x 200000 GeoTIFF without overviews (sparse, made here) added to the session loads as
// a bounded sample (the first picture; ctest's TIMEOUT fails a return to minutes-long reads), the Messages window
// says how to make it sharp (gdaladdo), and zooming in reads a sharper window of it in the background.
TEST_F(DocumentTest, HugeRasterWithoutOverviewsShowsASampleFirstThenDetail) {
    const std::string dir = test::scratchDir("document_huge_raster");
    const std::string path = dir + "/huge.tif";
    {
        geo::ensureGdal();
        const char* options[] = {"TILED=YES", "SPARSE_OK=YES", "COMPRESS=DEFLATE", "BIGTIFF=YES", nullptr};
        GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
        GDALDatasetUniquePtr ds(gtiff->Create(path.c_str(), 200000, 200000, 1, GDT_Byte, const_cast<char**>(options)));
        ASSERT_TRUE(ds);
        double gt[6] = {400000, 1, 0, 2600000, 0, -1};  // EPSG:4547, 1 m pixels
        ds->SetGeoTransform(gt);
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        ds->SetSpatialRef(&srs);
        ds->GetRasterBand(1)->SetNoDataValue(0);
        std::vector<uint8_t> px(size_t(3000) * 3000, 200);
        ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 98500, 98500, 3000, 3000, px.data(), 3000, 3000, GDT_Byte,
                                                 0, 0, nullptr),
                  CE_None);
    }
    doc.clearMessages();
    ASSERT_TRUE(doc.apply(geo::cmd::addLayers(doc.newLayers(path))));
    settle();
    const geo::ProjectLayer& l = doc.project().layers.back();
    const auto& s = sceneOf(l);
    ASSERT_EQ(s.status, LoadStatus::Ready) << s.error;
    ASSERT_TRUE(s.gpuRaster);
    EXPECT_LE(s.rasterResolution, s.displayExtent.width() / 4096 * 1.01) << "the first picture: the usual 4096 px";
    bool told = false;
    for (const auto& m : doc.messages()) told = told || m.text.find("gdaladdo") != std::string::npos;
    EXPECT_TRUE(told) << "no message suggests building overviews";
    // Zoomed in on the data at about 2 m a pixel (display CRS): a sharper window is read in the background.
    double centre[2] = {400000 + 100000, 2600000 - 100000};
    geo::Transformer(geo::Crs::fromUser("EPSG:4547"), doc.displayCrs()).transform(centre, 1);
    geo::View view;
    view.width = 800;
    view.height = 600;
    view.centerX = centre[0];
    view.centerY = centre[1];
    view.resolution = 2.0;
    doc.refreshRasterDetail(view);
    settle();
    ASSERT_TRUE(s.detail.gpu);
    EXPECT_LE(s.detail.resolution, 2.0);
}

// Workers upload layers through a context shared with the drawing one (the viewer's hidden window; here EGL): the
// document's map is the picture of main-thread uploads, through a supersession, a display-CRS switch (re-staged on
// workers) and a document dropped with its loads in flight.
TEST_F(DocumentTest, WorkersUploadThroughTheSharedContextToTheSamePicture) {
    WorkerPool pool2{2};
    Document doc2{pool2};
    doc2.setUploadContext(&test::uploadContext());
    auto settle2 = [&] {
        for (int i = 0; i < 10000; ++i) {
            pool2.waitIdle();
            pool2.pump();
            doc2.update();
            if (doc2.loading() == 0 && pool2.pending() == 0) return true;
        }
        return false;
    };
    doc2.open(geo::loadProject(projectPath()), projectPath());
    const geo::LayerId repointed = layerNamed("Pingshan District").id;  // same ids: the same project opened
    const std::string source = doc2.project().findLayer(repointed)->source;
    doc2.apply(geo::cmd::setLayerSource(repointed, test::assetPath("shenzhen_districts.gpkg")));  // supersedes
    doc2.apply(geo::cmd::setLayerSource(repointed, source));                                     // and again
    ASSERT_TRUE(settle2());

    auto picture = [](const Document& d) {
        geo::View v;
        v.width = 400;
        v.height = 300;
        v.fit(d.scene().combinedExtent(d.project(), d.displayCrs(), true));
        app::render::MapRenderer renderer;
        app::render::RenderTarget target;
        target.ensure(v.width, v.height, 4);
        renderer.render(target, v, d.scene().drawItems(d.project(), d.displayCrs()), {250, 250, 245, 255}, 1.0f);
        std::vector<uint8_t> rgba;
        target.readPixels(rgba);
        return rgba;
    };
    auto check = [&](const char* when) {
        size_t vectors = 0;
        for (const auto& l : doc2.project().layers) {
            const auto* s = doc2.scene().find(l.id);
            ASSERT_NE(s, nullptr);
            ASSERT_EQ(s->status, LoadStatus::Ready) << when << ": " << l.name << ": " << s->error;
            if (!s->gpuVector) continue;
            ++vectors;
            EXPECT_TRUE(s->uploadedOnWorker) << when << ": " << l.name;
            EXPECT_FALSE(sceneOf(l).uploadedOnWorker) << "the reference document uploads on the main thread";
        }
        EXPECT_GE(vectors, 3u);
        const auto seen = picture(doc2), expected = picture(doc);
        ASSERT_EQ(seen.size(), expected.size());
        size_t differing = 0;
        for (size_t i = 0; i < seen.size(); ++i) differing += seen[i] != expected[i];
        EXPECT_EQ(differing, 0u) << when;
    };
    check("opened");
    ASSERT_TRUE(doc2.apply(geo::cmd::setDisplayCrs("EPSG:4547")));
    ASSERT_TRUE(doc.apply(geo::cmd::setDisplayCrs("EPSG:4547")));
    ASSERT_TRUE(settle2());
    settle();
    check("after a CRS switch");

    {  // dropped while loading: results finished on workers are deleted through the upload context
        WorkerPool pool3{2};
        Document doc3{pool3};
        doc3.setUploadContext(&test::uploadContext());
        doc3.open(geo::loadProject(projectPath()), projectPath());
    }
    EXPECT_EQ(glGetError(), GLenum(GL_NO_ERROR));
}

// Writes `n` small squares (field "n") as a Shapefile: a format that keeps its feature count and is read by the
// feature loop (a limit is exact).
static std::string writeSquaresShapefile(const std::string& dir, int n) {
    const std::string path = dir + "/grid.shp";
    geo::ensureGdal();  // drivers registered (the test may run alone)
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    if (!drv) throw std::runtime_error("no Shapefile driver");
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("grid", &wgs, wkbPolygon, nullptr);
    OGRFieldDefn field("n", OFTInteger);
    layer->CreateField(&field);
    for (int i = 0; i < n; ++i) {
        const double x = 114.30 + (i % 50) * 0.002, y = 22.70 + (i / 50) * 0.002, h = 0.0006;
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("n", i);
        OGRLinearRing ring;
        ring.addPoint(x - h, y - h);
        ring.addPoint(x + h, y - h);
        ring.addPoint(x + h, y + h);
        ring.addPoint(x - h, y + h);
        ring.closeRings();
        OGRPolygon poly;
        poly.addRing(&ring);
        f->SetGeometry(&poly);
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("cannot write " + path);
    }
    return path;
}

// A large file shows a preview, its first features, while the whole is read, in stages of ten times as many
// features while the file holds over five times as many; the whole replaces them. (Lowered thresholds stand in for a
// file of 16 MiB and over 200k features.)
TEST_F(DocumentTest, ALargeLayerShowsAPreviewOfItsFirstFeaturesThenTheWhole) {
    const std::string path = writeSquaresShapefile(test::scratchDir("document_preview"), 4000);
    WorkerPool pool2{1};
    Document doc2{pool2};
    doc2.setUploadContext(&test::uploadContext());
    doc2.setPreview(50, 0);
    geo::Project p;
    p.displayCrs = "EPSG:4547";
    p.layers.push_back(test::fillOnlyLayer(path, "grid"));
    doc2.open(p, "");
    const geo::LayerId id = doc2.project().layers[0].id;
    bool sawPartial = false;
    for (int i = 0; i < 20000 && (doc2.loading() > 0 || pool2.pending() > 0); ++i) {
        pool2.pump();  // no waitIdle: the preview may be seen before the whole arrives
        doc2.update();
        const auto* s = doc2.scene().find(id);
        if (s && s->partial) {
            sawPartial = true;
            EXPECT_TRUE(s->readyIn(doc2.displayCrs())) << "a preview is drawn";
            EXPECT_EQ(doc2.loading(), 1u) << "and still loading";
            EXPECT_TRUE(s->job);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(doc2.previewsShown(), 2u) << "50, then 500 (4000 > 5 x 500), not 5000";
    EXPECT_EQ(doc2.lastPreviewFeatures(), 500u) << "its first 500 features, after its first 50";
    const auto* s = doc2.scene().find(id);
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->status, LoadStatus::Ready) << s->error;
    EXPECT_FALSE(s->partial);
    EXPECT_EQ(s->vectorData->source.table.featureCount(), 4000u) << "then the whole";
    EXPECT_EQ(doc2.loading(), 0u);
    std::printf("preview seen while loading: %s\n", sawPartial ? "yes" : "no (both arrived in one pump)");

    // Small files, and previews turned off: none.
    for (auto [features, bytes] : {std::pair<size_t, uint64_t>{50, 1u << 30}, {0, 0}}) {
        WorkerPool pool3{1};
        Document doc3{pool3};
        doc3.setPreview(features, bytes);
        doc3.open(p, "");
        for (int i = 0; i < 10000 && (doc3.loading() > 0 || pool3.pending() > 0); ++i) {
            pool3.waitIdle();
            pool3.pump();
            doc3.update();
        }
        EXPECT_EQ(doc3.previewsShown(), 0u);
        EXPECT_EQ(doc3.scene().find(doc3.project().layers[0].id)->vectorData->source.table.featureCount(), 4000u);
    }
}

// A preview stands only while its layer loads: a failed or cancelled load takes it away (it is never reprojected
// or drawn as if it were the whole), and while it shows the layer needs no other work.
TEST(ScenePreview, AFailedLoadTakesThePreviewWithIt) {
    test::useGlContext();
    const std::string path = writeSquaresShapefile(test::scratchDir("scene_preview"), 400);
    geo::Project project;
    project.layers.push_back(test::fillOnlyLayer(path, "grid"));
    geo::assignLayerIds(project);
    const geo::ProjectLayer& l = project.layers[0];
    const geo::Crs gk = geo::Crs::fromUser("EPSG:4547"), merc = geo::Crs::fromUser("EPSG:3857");
    app::render::Scene scene;
    scene.reconcile(project);
    app::render::SceneLayer& s = *scene.find(l.id);
    s.status = LoadStatus::Loading;
    s.job = std::make_shared<geo::JobProgress>();
    geo::ProjectLayer head = l;
    head.options.featureLimit = 50;
    scene.adoptPreview(s, app::render::loadLayer(head, gk, nullptr), l, gk);
    EXPECT_TRUE(s.partial);
    EXPECT_TRUE(s.job) << "the whole is still being read";
    EXPECT_TRUE(s.readyIn(gk));
    EXPECT_EQ(s.vectorData->source.table.featureCount(), 50u);
    EXPECT_EQ(scene.drawItems(project, gk).size(), 1u) << "drawn meanwhile";
    EXPECT_EQ(scene.need(s, l, merc), app::render::Work::None) << "not reprojected: the whole comes in this CRS";
    scene.fail(s, "the read failed");
    EXPECT_FALSE(s.partial);
    EXPECT_FALSE(s.gpuVector);
    EXPECT_FALSE(s.vectorData);
    EXPECT_TRUE(scene.drawItems(project, gk).empty());
    EXPECT_NE(scene.need(s, l, merc), app::render::Work::Reproject) << "no preview to pass for the whole";
}
