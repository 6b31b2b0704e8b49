#pragma once
// A Shapefile's attribute table (.dbf) checked before GDAL reads it. GDAL opens a .dbf whose header is cut or empty
// as a layer without fields, and one whose header claims more records than the file holds as a layer without
// features, and says nothing either time; a planner must hear that the attributes are missing and why.
#include <string>

namespace geo {

// What is wrong with the .dbf beside `shpPath`, as one line naming it ("" when its header is sound, or when there
// is no .dbf: a missing sidecar is reported elsewhere).
std::string dbfDamage(const std::string& shpPath);

// The Shapefile read as if it had no .dbf: its .shp, .shx, .prj and .cpg linked (not copied) into a private
// temporary folder under the same names. The folder goes with this object.
class ShapeWithoutDbf {
public:
    // Throws IoError when the folder or a link cannot be made.
    explicit ShapeWithoutDbf(const std::string& shpPath);
    ~ShapeWithoutDbf();
    ShapeWithoutDbf(const ShapeWithoutDbf&) = delete;
    ShapeWithoutDbf& operator=(const ShapeWithoutDbf&) = delete;
    // The linked .shp.
    const std::string& path() const { return path_; }

private:
    std::string dir_, path_;
};

}  // namespace geo
