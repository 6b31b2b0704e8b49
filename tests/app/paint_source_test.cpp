// What the CPU painter paints from (app/render/paint_source.hpp): the table's own vertices when they are in the
// display CRS, a reprojected copy otherwise. The window paints layers over its vertex limit only without a copy.
#include <gtest/gtest.h>

#include <memory>

#include "render/paint_source.hpp"

namespace {

std::shared_ptr<geo::VectorLayerData> square(const char* crs) {
    auto data = std::make_shared<geo::VectorLayerData>();
    data->source.crs = geo::Crs::fromUser(crs);
    geo::FeatureTable& t = data->source.table;
    t.beginFeature(0, geo::GeomKind::Polygon);
    const double ring[] = {114.0, 22.5, 114.1, 22.5, 114.1, 22.6, 114.0, 22.6, 114.0, 22.5};
    for (int i = 0; i < 10; i += 2) t.addVertex(ring[i], ring[i + 1]);
    t.endRing();
    t.endPart();
    t.endFeature();
    return data;
}

}  // namespace

TEST(PaintSource, PaintsTheTablesOwnVerticesInTheirCrsAndACopyInAnother) {
    auto data = square("EPSG:4326");
    const app::render::PaintSource same(data, geo::Crs::fromUser("EPSG:4326"), {});
    EXPECT_TRUE(same.makesNoCopy());
    EXPECT_EQ(same.displayXy(), data->source.table.xy.data());
    EXPECT_TRUE(same.makesNoCopy());

    const app::render::PaintSource other(data, geo::Crs::fromUser("EPSG:3857"), {});
    EXPECT_FALSE(other.makesNoCopy());
    const double* xy = other.displayXy();
    EXPECT_NE(xy, data->source.table.xy.data());
    EXPECT_NEAR(xy[0], 12690421.95, 0.01);  // 114 degrees east in Web Mercator metres
    EXPECT_FALSE(other.makesNoCopy());

    auto given = std::make_shared<const std::vector<double>>(data->source.table.xy);
    const app::render::PaintSource reprojected(data, geo::Crs::fromUser("EPSG:3857"), {}, given);
    EXPECT_TRUE(reprojected.makesNoCopy()) << "vertices given by the load: nothing more is made";
    EXPECT_EQ(reprojected.displayXy(), given->data());
}
