// The markup layer on disk: round trip of every kind, what other GIS tools see, atomic replacement, clear errors.
#include "markup/markup_store.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using geo::MarkupItem;
using geo::MarkupKind;

namespace {

MarkupItem item(
    MarkupKind kind, std::vector<double> lonLat, std::string text, std::array<uint8_t, 4> color, float width) {
    MarkupItem m;
    m.kind = kind;
    m.lonLat = std::move(lonLat);
    m.text = std::move(text);
    m.color = color;
    m.width = width;
    m.author = "规划师 li";
    m.created = "2026-12-03T18:55:00Z";
    return m;
}

// One item of every kind, with CJK text, translucent colours and widths that are not exact in decimal.
std::vector<MarkupItem> everyKind() {
    return {
        item(MarkupKind::Freehand,
             {114.3512345678901, 22.7, 114.352, 22.7011, 114.3533, 22.6999},
             "",
             {230, 40, 40, 255},
             3.0f),
        item(MarkupKind::Arrow, {114.36, 22.71, 114.37, 22.72}, "看这里", {0, 128, 255, 128}, 2.7f),
        item(MarkupKind::Polygon, {114.30, 22.70, 114.32, 22.70, 114.32, 22.72}, "", {18, 52, 86, 0}, 0.1f),
        item(MarkupKind::Text,
             {114.345678912345, 22.698765432198},
             "坪山河 拆迁范围待定（会议纪要）",
             {255, 255, 0, 200},
             18.0f),
        item(MarkupKind::MeasureLine, {114.3, 22.7, 114.31, 22.71, 114.33, 22.70}, "3.41 km", {1, 2, 3, 4}, 4.25f),
        item(MarkupKind::MeasureArea,
             {114.3, 22.7, 114.31, 22.7, 114.31, 22.71, 114.3, 22.71},
             "1.23 公顷 (18.5 亩)",
             {250, 251, 252, 253},
             1.5f),
    };
}

std::vector<std::string> listFolder(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Writes a GeoPackage with one layer `layerName` whose features carry the given kind and colour strings.
void writeForeignGpkg(const std::string& path, const std::string& layerName, const char* kind, const char* color) {
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer(layerName.c_str(), &srs, wkbPoint, nullptr);
    ASSERT_TRUE(layer);
    OGRFieldDefn kindField("kind", OFTString), colorField("color", OFTString);
    layer->CreateField(&kindField);
    layer->CreateField(&colorField);
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField("kind", kind);
    f->SetField("color", color);
    f->SetGeometryDirectly(new OGRPoint(114.3, 22.7));
    ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
}

template <typename E>
std::string errorOf(const std::string& path) {
    try {
        geo::loadMarkup(path);
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("wrong exception type: ") + e.what();
    }
    return "no exception";
}

}  // namespace

TEST(MarkupKindTest, NamesRoundTripAndUnknownIsRejected) {
    for (int k = 0; k <= 5; ++k) {
        MarkupKind parsed = MarkupKind::Freehand;
        ASSERT_TRUE(geo::parseMarkupKind(geo::markupKindName(static_cast<MarkupKind>(k)), parsed)) << k;
        EXPECT_EQ(static_cast<int>(parsed), k);
    }
    EXPECT_STREQ(geo::markupKindName(MarkupKind::MeasureArea), "measure_area");
    EXPECT_STREQ(geo::markupKindName(MarkupKind::Text), "text");
    MarkupKind out = MarkupKind::Arrow;
    EXPECT_FALSE(geo::parseMarkupKind("Text", out));
    EXPECT_FALSE(geo::parseMarkupKind("", out));
    EXPECT_EQ(out, MarkupKind::Arrow);
}

TEST(MarkupStoreTest, RoundTripsEveryKindExactly) {
    const std::string path = test::scratchDir("markup_roundtrip") + "/会议.markup.gpkg";
    const auto items = everyKind();
    geo::saveMarkup(path, items);
    size_t skipped = 99;
    const auto back = geo::loadMarkup(path, &skipped);
    EXPECT_EQ(skipped, 0u);
    ASSERT_EQ(back.size(), items.size());
    for (size_t i = 0; i < items.size(); ++i) EXPECT_EQ(back[i], items[i]) << "item " << i;
}

TEST(MarkupStoreTest, OtherGisToolsSeeTypedGeometriesInWgs84) {
    const std::string path = test::scratchDir("markup_ogr") + "/notes.gpkg";
    geo::saveMarkup(path, everyKind());
    geo::ensureGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_STREQ(ds->GetDriver()->GetDescription(), "GPKG");
    ASSERT_EQ(ds->GetLayerCount(), 1);
    OGRLayer* layer = ds->GetLayerByName("markup");
    ASSERT_TRUE(layer);
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    ASSERT_TRUE(srs);
    EXPECT_STREQ(srs->GetAuthorityName(nullptr), "EPSG");
    EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "4326");
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (const char* name : {"kind", "text", "color", "author", "created"}) {
        int i = defn->GetFieldIndex(name);
        ASSERT_GE(i, 0) << name;
        EXPECT_EQ(defn->GetFieldDefn(i)->GetType(), OFTString) << name;
    }
    ASSERT_GE(defn->GetFieldIndex("width"), 0);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("width"))->GetType(), OFTReal);

    const OGRwkbGeometryType expected[] = {
        wkbLineString, wkbLineString, wkbPolygon, wkbPoint, wkbLineString, wkbPolygon};
    const char* kinds[] = {"freehand", "arrow", "polygon", "text", "measure_line", "measure_area"};
    ASSERT_EQ(layer->GetFeatureCount(), 6);
    int i = 0;
    for (auto& f : *layer) {
        ASSERT_LT(i, 6);
        ASSERT_TRUE(f->GetGeometryRef());
        EXPECT_EQ(wkbFlatten(f->GetGeometryRef()->getGeometryType()), expected[i]) << i;
        EXPECT_STREQ(f->GetFieldAsString("kind"), kinds[i]);
        if (expected[i] == wkbPolygon) {
            const OGRLinearRing* ring = f->GetGeometryRef()->toPolygon()->getExteriorRing();
            EXPECT_TRUE(ring->get_IsClosed()) << "stored rings are closed";
        }
        ++i;
    }
    layer->ResetReading();
    OGRFeatureUniquePtr arrow(layer->GetFeature(2));
    ASSERT_TRUE(arrow);
    EXPECT_STREQ(arrow->GetFieldAsString("color"), "#0080FF80");
    EXPECT_STREQ(arrow->GetFieldAsString("text"), "看这里");
    // x is longitude in the file, whatever EPSG:4326's official axis order says.
    EXPECT_DOUBLE_EQ(arrow->GetGeometryRef()->toLineString()->getX(1), 114.37);
}

TEST(MarkupStoreTest, EmptyListWritesAValidEmptyLayer) {
    const std::string path = test::scratchDir("markup_empty") + "/empty.gpkg";
    geo::saveMarkup(path, {});
    EXPECT_TRUE(geo::loadMarkup(path).empty());
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    ASSERT_TRUE(ds->GetLayerByName("markup"));
    EXPECT_EQ(ds->GetLayerByName("markup")->GetFeatureCount(), 0);
}

TEST(MarkupStoreTest, ItemsWithoutGeometryAreSkippedAndCounted) {
    const std::string path = test::scratchDir("markup_skip") + "/skip.gpkg";
    auto items = everyKind();
    items[1].lonLat.clear();
    items[3].lonLat.clear();
    geo::saveMarkup(path, items);
    size_t skipped = 0;
    const auto back = geo::loadMarkup(path, &skipped);
    EXPECT_EQ(skipped, 2u);
    ASSERT_EQ(back.size(), 4u);
    EXPECT_EQ(back[0], items[0]);
    EXPECT_EQ(back[1], items[2]);
    EXPECT_EQ(back[3], items[5]);
}

TEST(MarkupStoreTest, SavingReplacesThePreviousFileAndLeavesNoTemporary) {
    const std::string dir = test::scratchDir("markup_replace");
    const std::string path = dir + "/plan.markup.gpkg";
    geo::saveMarkup(path, everyKind());
    auto fewer = everyKind();
    fewer.resize(2);
    fewer[0].text = "第二次";
    geo::saveMarkup(path, fewer);
    EXPECT_EQ(geo::loadMarkup(path), fewer);
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"plan.markup.gpkg"});
}

// The folder is read-only: the save fails, the previous file is untouched and no temporary is left. Root ignores
// permissions, so as root the save runs in a child process that has dropped to the unprivileged "nobody" user.
TEST(MarkupStoreTest, ReadOnlyFolderThrowsAndKeepsThePreviousFile) {
    const std::string dir = test::scratchDir("markup_readonly");
    const std::string path = dir + "/notes.gpkg";
    const auto before = everyKind();
    geo::saveMarkup(path, before);
    ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
    auto attempt = [&]() -> int {  // 0: IoError naming the file, 1: no error, 2: another error
        try {
            geo::saveMarkup(path, {});
        } catch (const geo::IoError& e) {
            return std::string(e.what()).find(path) != std::string::npos ? 0 : 2;
        } catch (...) {
            return 2;
        }
        return 1;
    };
    int result = -1;
    if (::geteuid() != 0) {
        result = attempt();
    } else {
        pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
            ::_exit(attempt());
        }
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFEXITED(status));
        result = WEXITSTATUS(status);
        if (result == 3) {
            ::chmod(dir.c_str(), 0755);
            GTEST_SKIP() << "cannot drop root privileges here";
        }
    }
    ::chmod(dir.c_str(), 0755);
    EXPECT_EQ(result, 0) << "expected IoError naming the file (1: saved anyway, 2: other error)";
    EXPECT_EQ(geo::loadMarkup(path), before);
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"notes.gpkg"});
}

TEST(MarkupStoreTest, FailedReplaceRemovesTheTemporary) {
    const std::string dir = test::scratchDir("markup_rename");
    const std::string path = dir + "/occupied.gpkg";
    fs::create_directories(path + "/inside");  // a non-empty folder cannot be replaced by a file
    EXPECT_THROW(geo::saveMarkup(path, everyKind()), geo::IoError);
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"occupied.gpkg"});
    EXPECT_TRUE(fs::is_directory(path + "/inside"));
}

TEST(MarkupStoreTest, MissingFolderIsAnIoError) {
    const std::string path = test::scratchDir("markup_nofolder") + "/no/such/folder/notes.gpkg";
    EXPECT_THROW(geo::saveMarkup(path, everyKind()), geo::IoError);
}

TEST(MarkupStoreTest, ClearErrorsForBadFiles) {
    const std::string dir = test::scratchDir("markup_errors");

    std::string msg = errorOf<geo::IoError>(dir + "/missing.gpkg");
    EXPECT_NE(msg.find("missing.gpkg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not found"), std::string::npos) << msg;

    const std::string garbage = dir + "/garbage.gpkg";
    std::string bytes;
    for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>((i * 7919 + 13) % 251));
    test::writeText(garbage, bytes);
    msg = errorOf<geo::FormatError>(garbage);
    EXPECT_NE(msg.find("garbage.gpkg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not a GeoPackage"), std::string::npos) << msg;

    const std::string other = dir + "/districts.gpkg";
    writeForeignGpkg(other, "districts", "text", "#FF0000FF");
    msg = errorOf<geo::FormatError>(other);
    EXPECT_NE(msg.find("districts.gpkg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("no layer named \"markup\""), std::string::npos) << msg;

    const std::string unknownKind = dir + "/kind.gpkg";
    writeForeignGpkg(unknownKind, "markup", "scribble", "#FF0000FF");
    msg = errorOf<geo::FormatError>(unknownKind);
    EXPECT_NE(msg.find("kind.gpkg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("unknown kind \"scribble\""), std::string::npos) << msg;

    const std::string badColour = dir + "/colour.gpkg";
    writeForeignGpkg(badColour, "markup", "text", "red");
    msg = errorOf<geo::FormatError>(badColour);
    EXPECT_NE(msg.find("colour.gpkg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bad colour \"red\""), std::string::npos) << msg;

    // Six-digit colours from other tools are read as opaque.
    const std::string opaque = dir + "/opaque.gpkg";
    writeForeignGpkg(opaque, "markup", "text", "#10a0FF");
    const auto items = geo::loadMarkup(opaque);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].color, (std::array<uint8_t, 4>{0x10, 0xA0, 0xFF, 0xFF}));
    EXPECT_EQ(items[0].kind, MarkupKind::Text);
    EXPECT_EQ(items[0].lonLat, (std::vector<double>{114.3, 22.7}));
}

TEST(MarkupStoreTest, AuthorAndTimestamp) {
    EXPECT_FALSE(geo::osUserName().empty());
    EXPECT_TRUE(std::regex_match(geo::isoNowUtc(), std::regex(R"(20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-6]\dZ)")))
        << geo::isoNowUtc();
}
