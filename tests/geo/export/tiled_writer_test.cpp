// TiledImageWriter: the exported GeoTIFF carries its CRS and geotransform, and a CRS that cannot be written fails
// the export instead of producing an image without one.
#include <gtest/gtest.h>

#include <filesystem>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "export/tiled_writer.hpp"
#include "support/test_support.hpp"

namespace {

std::string scratchForThisTest() {
    return test::scratchDir(std::string("tiled_writer_") +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
}

const std::array<double, 6> kGeoTransform = {538000.0, 2.0, 0.0, 2512000.0, 0.0, -2.0};

TEST(TiledImageWriter, GeoTiffCarriesItsCrsAndGeoTransform) {
    const std::string path = scratchForThisTest() + "/map.tif";
    {
        geo::TiledImageWriter writer(path, geo::ExportFormat::GeoTiff, 32, 16, kGeoTransform,
                                     geo::Crs::fromUser("EPSG:4547"), 96);
        writer.writeTile(0, 0, 32, 16, std::vector<uint8_t>(32 * 16 * 4, 200));
        writer.finish();
    }
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(ds);
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    ASSERT_NE(srs, nullptr);
    ASSERT_NE(srs->GetAuthorityCode(nullptr), nullptr);
    EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "4547");
    double gt[6];
    ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
    for (int i = 0; i < 6; ++i) EXPECT_DOUBLE_EQ(gt[i], kGeoTransform[i]) << i;
}

TEST(TiledImageWriter, MissingCrsFailsWithCrsErrorAndLeavesNothing) {
    const std::string dir = scratchForThisTest();
    const std::string path = dir + "/map.tif";
    try {
        geo::TiledImageWriter writer(path, geo::ExportFormat::GeoTiff, 32, 16, kGeoTransform, geo::Crs(), 96);
        FAIL() << "a GeoTIFF without a CRS was written";
    } catch (const geo::CrsError& e) {
        EXPECT_EQ(e.path, path);
        EXPECT_NE(std::string(e.what()).find("CRS"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "the temporary tile file was left behind";
}

}  // namespace
