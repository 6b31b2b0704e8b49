// Uploads on worker threads (#10, gl::UploadContext, render::preUpload): a layer whose buffers a worker uploaded
// through a shared context draws exactly the picture of the same layer uploaded on the main thread, the worker
// releases its CPU copy, buffers dropped on a thread without a context are still deleted, and the context current
// on the calling thread is the same after an upload as before.
#include <gtest/gtest.h>

#include <epoxy/egl.h>

#include <cmath>
#include <sstream>
#include <thread>

#include "gl/gl_support.hpp"
#include "layer/vector_layer.hpp"
#include "render/gpu_layer.hpp"
#include "render/map_renderer.hpp"
#include "render/render_target.hpp"
#include "support/test_support.hpp"

namespace {

constexpr double kLat0 = 22.70, kLon0 = 114.33;
constexpr double kDegLatPerM = 1.0 / 110770.0, kDegLonPerM = 1.0 / 102730.0;

// rows x cols squares with a hole (12-20 m, 30 m apart), "status" alternating; and a point at every corner cell.
std::string squares(int rows, int cols) {
    std::ostringstream js;
    js.precision(12);
    js << R"({"type":"FeatureCollection","features":[)";
    auto at = [&](double x, double y) {
        js << "[" << kLon0 + x * kDegLonPerM << "," << kLat0 + y * kDegLatPerM << "]";
    };
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const int i = r * cols + c;
            const double cx = c * 30.0, cy = r * 30.0, h = 6 + (i * 37 % 9) * 0.5;
            js << (i ? "," : "") << R"({"type":"Feature","properties":{"status":")" << (i % 2 ? "planned" : "built")
               << R"("},"geometry":{"type":"Polygon","coordinates":[[)";
            at(cx - h, cy - h), js << ",", at(cx + h, cy - h), js << ",", at(cx + h, cy + h), js << ",";
            at(cx - h, cy + h), js << ",", at(cx - h, cy - h);
            js << "],[";
            at(cx - 2, cy - 2), js << ",", at(cx - 2, cy + 2), js << ",", at(cx + 2, cy + 2), js << ",";
            at(cx + 2, cy - 2), js << ",", at(cx - 2, cy - 2);
            js << "]]}}";
        }
    js << R"(,{"type":"Feature","properties":{"status":"site"},"geometry":{"type":"MultiPoint","coordinates":[)";
    at(0, 0), js << ",", at(30.0 * (cols - 1), 0), js << ",", at(0, 30.0 * (rows - 1)), js << ",";
    at(30.0 * (cols - 1), 30.0 * (rows - 1));
    js << "]}}]}";
    return js.str();
}

std::vector<uint8_t> draw(const test::LoadedScene& s, const geo::View& v) {
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    target.ensure(v.width, v.height, 4);
    renderer.render(target, v, s.drawItems(), {250, 250, 245, 255}, 1.0f);
    std::vector<uint8_t> rgba;
    target.readPixels(rgba);
    return rgba;
}

class UploadTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::scratchDir(std::string("upload_") +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        path_ = dir_ + "/squares.geojson";
        test::writeText(path_, squares(12, 16));
        layer_ = test::fillOnlyLayer(path_, "squares");
        layer_.style.fill = {30, 90, 160, 255};
        layer_.style.strokeEnabled = true;
        layer_.style.stroke = {10, 20, 40, 255};
        layer_.style.strokeWidth = 1.0f;
        layer_.style.patternField = "status";
        layer_.style.patterns = {{"planned", geo::Pattern::Hatched}};
        layer_.style.pointSize = 12.0f;
        wide_ = layer_;
        wide_.name = "wide";
        wide_.style.fillEnabled = false;
        wide_.style.strokeWidth = 3.0f;  // the capsule pass: positions and validity through buffer textures
        wide_.style.stroke = {220, 60, 0, 255};
        view_ = test::fitLayerView(path_, "squares", "EPSG:4547", 480, 360);
    }
    std::string dir_, path_;
    geo::ProjectLayer layer_, wide_;
    geo::View view_;
};

}  // namespace

TEST_F(UploadTest, ALayerUploadedOnAWorkerDrawsTheMainThreadsPicture) {
    auto reference = test::loadScene({layer_, wide_}, "EPSG:4547");  // uploaded on the main thread as adopted
    const std::vector<uint8_t> expected = draw(*reference, view_);

    test::LoadedScene viaWorker;
    viaWorker.project.layers = {layer_, wide_};
    for (auto& l : viaWorker.project.layers) l.id = 0;
    geo::assignLayerIds(viaWorker.project);
    viaWorker.crs = geo::Crs::fromUser("EPSG:4547");
    viaWorker.scene.reconcile(viaWorker.project);
    std::vector<app::render::LoadedLayer> loaded(2);
    std::vector<EGLContext> workerContextAfter(2, EGL_NO_CONTEXT);
    std::vector<size_t> positionsBefore(2), positionsAfter(2);
    std::thread worker([&] {  // a thread with no context of its own, like the viewer's workers
        for (size_t i = 0; i < loaded.size(); ++i) {
            loaded[i] = app::render::loadLayer(viaWorker.project.layers[i], viaWorker.crs, nullptr);
            positionsBefore[i] = loaded[i].staging.positions.size();
            app::render::preUpload(loaded[i], test::uploadContext());
            positionsAfter[i] = loaded[i].staging.positions.size();
            eglBindAPI(EGL_OPENGL_API);  // the current context is per API, and a new thread starts with OpenGL ES
            workerContextAfter[i] = eglGetCurrentContext();
        }
    });
    worker.join();
    for (size_t i = 0; i < loaded.size(); ++i) {
        ASSERT_TRUE(loaded[i].geometry) << "uploaded on the worker";
        EXPECT_GT(positionsBefore[i], 0u);
        EXPECT_EQ(positionsAfter[i], 0u) << "the worker's CPU copy is released once uploaded";
        EXPECT_EQ(workerContextAfter[i], EGL_NO_CONTEXT) << "the worker is left with no context current";
        const GLuint positions = loaded[i].geometry->positions.id();
        EXPECT_EQ(glIsBuffer(positions), GL_TRUE) << "the main context sees the worker's buffers";
        const geo::ProjectLayer& l = viaWorker.project.layers[i];
        viaWorker.scene.adopt(*viaWorker.scene.find(l.id), std::move(loaded[i]), l, viaWorker.crs);
        EXPECT_EQ(glIsBuffer(positions), GL_TRUE) << "taken over by the layer, not deleted";
    }
    const std::vector<uint8_t> seen = draw(viaWorker, view_);
    ASSERT_EQ(seen.size(), expected.size());
    size_t differing = 0;
    for (size_t i = 0; i < seen.size(); ++i) differing += seen[i] != expected[i];
    EXPECT_EQ(differing, 0u) << "the same buffers, the same picture";
    // And the picture is not empty: fills, hatching, wide strokes and point symbols all drew something.
    size_t inked = 0;
    for (size_t i = 0; i < seen.size(); i += 4) inked += seen[i] < 200;
    EXPECT_GT(inked, seen.size() / 4 / 20);
}

TEST_F(UploadTest, BuffersDroppedOnAThreadWithoutAContextAreDeleted) {
    test::useGlContext();
    app::render::LoadedLayer loaded = app::render::loadLayer(layer_, geo::Crs::fromUser("EPSG:4547"), nullptr);
    std::thread([&] { app::render::preUpload(loaded, test::uploadContext()); }).join();
    ASSERT_TRUE(loaded.geometry);
    const GLuint positions = loaded.geometry->positions.id(), indices = loaded.geometry->indices.id();
    ASSERT_EQ(glIsBuffer(positions), GL_TRUE);
    ASSERT_EQ(glIsBuffer(indices), GL_TRUE);
    // A superseded load: its result is dropped on the worker, which has no context current.
    std::thread([&] {
        eglBindAPI(EGL_OPENGL_API);
        ASSERT_EQ(eglGetCurrentContext(), EGL_NO_CONTEXT);
        loaded.geometry.reset();
    }).join();
    EXPECT_EQ(glIsBuffer(positions), GL_FALSE) << "deleted through the context it was made in";
    EXPECT_EQ(glIsBuffer(indices), GL_FALSE);
}

TEST_F(UploadTest, AnUploadOnTheMainThreadLeavesItsContextCurrent) {
    test::useGlContext();
    const EGLContext main = eglGetCurrentContext();
    ASSERT_NE(main, EGL_NO_CONTEXT);
    EGLContext inside = EGL_NO_CONTEXT;
    test::uploadContext().run([&] { inside = eglGetCurrentContext(); });
    EXPECT_NE(inside, main) << "the upload ran in the upload context";
    EXPECT_NE(inside, EGL_NO_CONTEXT);
    EXPECT_EQ(eglGetCurrentContext(), main) << "and the main context is current again";
    // Also when the work throws.
    EXPECT_THROW(test::uploadContext().run([] { throw std::runtime_error("failed upload"); }), std::runtime_error);
    EXPECT_EQ(eglGetCurrentContext(), main);
}

// A large layer is staged by two threads, each half of the ranks (split between cells), the second appended to the
// first (#10): the arrays one thread makes, value for value (offsets, cells, dots, features).
TEST_F(UploadTest, StagingByTwoThreadsMakesOneThreadsArrays) {
    const std::string path = dir_ + "/many.geojson";
    test::writeText(path, squares(60, 80));  // 4800 squares with holes, corner points
    auto data = geo::loadVectorLayer(path, "", nullptr);
    const geo::DisplayGeometry g = geo::reprojectLayer(*data, geo::Crs::fromUser("EPSG:4547"), nullptr);
    const app::render::VectorStaging one = app::render::stageVector(*data, g, 1);
    const app::render::VectorStaging two = app::render::stageVector(*data, g, 2);
    ASSERT_GT(one.cells.size(), 2u);
    EXPECT_EQ(one.triangles, two.triangles);
    EXPECT_EQ(one.strips, two.strips);
    EXPECT_EQ(one.rankTriangleStart, two.rankTriangleStart);
    EXPECT_EQ(one.rankStripStart, two.rankStripStart);
    EXPECT_EQ(one.rankSize, two.rankSize);
    EXPECT_EQ(one.dots, two.dots);
    EXPECT_EQ(one.rankFeature, two.rankFeature);
    EXPECT_EQ(one.rankVertices, two.rankVertices);
    ASSERT_EQ(one.cells.size(), two.cells.size());
    for (size_t i = 0; i < one.cells.size(); ++i) {
        EXPECT_EQ(one.cells[i].rankBegin, two.cells[i].rankBegin);
        EXPECT_EQ(one.cells[i].rankEnd, two.cells[i].rankEnd);
        EXPECT_EQ(one.cells[i].box.minX, two.cells[i].box.minX);
        EXPECT_EQ(one.cells[i].box.maxY, two.cells[i].box.maxY);
    }
    EXPECT_EQ(one.featureRankStart, two.featureRankStart);
    EXPECT_EQ(one.featureRanks, two.featureRanks);
    EXPECT_EQ(one.pointVertex, two.pointVertex);
    EXPECT_EQ(one.positions, two.positions);
}
