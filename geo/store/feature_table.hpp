#pragma once
// The columnar feature store: one table per layer, no heap object per feature.
//
//   xy          x0,y0,x1,y1,...            every vertex of every ring, doubles, in the table's CRS
//   ringEnds    one-past-last vertex of each ring (a point is a ring of one vertex; a line part is one ring)
//   partEnds    one-past-last ring of each part (polygon: shell first, then its holes)
//   featureEnds one-past-last part of each feature (a feature with no geometry has no parts)
//   kinds       the geometry kind of each feature (a KML or GeoJSON layer may mix kinds)
//   columns     one typed column per attribute, strings as one UTF-8 buffer plus offsets
//
// Polygon rings are stored closed when the source closes them (OGR does); consumers must not rely on it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bbox.hpp"

namespace geo {

enum class GeomKind : uint8_t { None = 0, Point = 1, Line = 2, Polygon = 3 };

enum class ColumnType : uint8_t { Integer, Real, Text };

class Column {
public:
    Column(std::string name_, ColumnType type_) : name(std::move(name_)), type(type_) { textOffsets_.push_back(0); }

    std::string name;
    ColumnType type;

    void pushNull();
    void pushInteger(int64_t v);
    void pushReal(double v);
    void pushText(std::string_view v);

    size_t size() const { return valid_.size(); }
    bool isNull(size_t row) const { return !valid_[row]; }
    int64_t integer(size_t row) const { return ints_[row]; }
    double real(size_t row) const { return reals_[row]; }
    std::string_view text(size_t row) const {
        return std::string_view(chars_).substr(textOffsets_[row], textOffsets_[row + 1] - textOffsets_[row]);
    }
    // The value as text, "" for null, whatever the type.
    std::string display(size_t row) const;
    // The value as a number for sorting (text columns: NaN).
    double number(size_t row) const;
    size_t memoryBytes() const;
    // Appends `other`'s rows (a column of the same name and type, e.g. read by another thread).
    void append(const Column& other);

private:
    std::vector<uint8_t> valid_;
    std::vector<int64_t> ints_;
    std::vector<double> reals_;
    std::vector<uint64_t> textOffsets_;
    std::string chars_;
};

struct FeatureTable {
    std::vector<double> xy;
    std::vector<uint32_t> ringEnds;
    std::vector<uint32_t> partEnds;
    std::vector<uint32_t> featureEnds;
    std::vector<GeomKind> kinds;
    std::vector<int64_t> fids;
    std::vector<Column> columns;

    size_t featureCount() const { return featureEnds.size(); }
    size_t vertexCount() const { return xy.size() / 2; }
    size_t ringCount() const { return ringEnds.size(); }
    size_t partCount() const { return partEnds.size(); }

    uint32_t partBegin(size_t feature) const { return feature ? featureEnds[feature - 1] : 0; }
    uint32_t partEnd(size_t feature) const { return featureEnds[feature]; }
    uint32_t ringBegin(size_t part) const { return part ? partEnds[part - 1] : 0; }
    uint32_t ringEnd(size_t part) const { return partEnds[part]; }
    uint32_t vertexBegin(size_t ring) const { return ring ? ringEnds[ring - 1] : 0; }
    uint32_t vertexEnd(size_t ring) const { return ringEnds[ring]; }

    // Room for `claimed` features, as a source counts them: at most kMaxReservedFeatures up front, since a damaged
    // or hostile header can claim 2^31 or more (a 1 KB FlatGeobuf asked for 32 GB); past that the arrays grow as
    // features arrive.
    static constexpr int64_t kMaxReservedFeatures = 1 << 20;
    void reserveFeatures(int64_t claimed);
    // Builders used by readers and tests: start a feature, add parts and rings, close the feature.
    void beginFeature(int64_t fid, GeomKind kind);
    void addVertex(double x, double y) {
        xy.push_back(x);
        xy.push_back(y);
    }
    void endRing() { ringEnds.push_back(static_cast<uint32_t>(vertexCount())); }
    void endPart() { partEnds.push_back(static_cast<uint32_t>(ringCount())); }
    void endFeature() { featureEnds.push_back(static_cast<uint32_t>(partCount())); }

    int columnIndex(std::string_view name) const;
    BBox featureBox(size_t feature) const;
    BBox extent() const;
    // Kind shared by all features, or None when kinds are mixed or the table is empty.
    GeomKind uniformKind() const;
    size_t memoryBytes() const;
    // Appends `other`'s features after this table's (same columns in the same order, e.g. the second half of a
    // layer read by another thread).
    void append(const FeatureTable& other);
};

}  // namespace geo

namespace geo {
// Every distinct Unicode code point in the table's text columns and column names (sorted), so a UI can make
// sure its font covers the data.
std::vector<uint32_t> collectCodepoints(const FeatureTable& table);
// Appends the code points of a UTF-8 string (invalid bytes are skipped).
void appendCodepoints(std::string_view utf8, std::vector<uint32_t>& out);
}  // namespace geo
