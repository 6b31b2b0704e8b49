#include "store/feature_table.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>

namespace geo {

void Column::pushNull() {
    valid_.push_back(0);
    if (type == ColumnType::Integer) ints_.push_back(0);
    if (type == ColumnType::Real) reals_.push_back(0.0);
    if (type == ColumnType::Text) textOffsets_.push_back(chars_.size());
}

void Column::append(const Column& other) {
    valid_.insert(valid_.end(), other.valid_.begin(), other.valid_.end());
    ints_.insert(ints_.end(), other.ints_.begin(), other.ints_.end());
    reals_.insert(reals_.end(), other.reals_.begin(), other.reals_.end());
    const uint64_t base = chars_.size();
    for (size_t i = 1; i < other.textOffsets_.size(); ++i) textOffsets_.push_back(base + other.textOffsets_[i]);
    chars_ += other.chars_;
}

void FeatureTable::append(const FeatureTable& other) {
    const uint32_t vertices = static_cast<uint32_t>(vertexCount()), rings = static_cast<uint32_t>(ringCount()),
                   parts = static_cast<uint32_t>(partCount());
    xy.insert(xy.end(), other.xy.begin(), other.xy.end());
    for (uint32_t e : other.ringEnds) ringEnds.push_back(vertices + e);
    for (uint32_t e : other.partEnds) partEnds.push_back(rings + e);
    for (uint32_t e : other.featureEnds) featureEnds.push_back(parts + e);
    kinds.insert(kinds.end(), other.kinds.begin(), other.kinds.end());
    fids.insert(fids.end(), other.fids.begin(), other.fids.end());
    for (size_t c = 0; c < columns.size() && c < other.columns.size(); ++c) columns[c].append(other.columns[c]);
}

void Column::pushInteger(int64_t v) {
    if (type != ColumnType::Integer) return pushText(std::to_string(v));
    valid_.push_back(1);
    ints_.push_back(v);
}

void Column::pushReal(double v) {
    if (type != ColumnType::Real) return pushText(std::to_string(v));
    valid_.push_back(1);
    reals_.push_back(v);
}

void Column::pushText(std::string_view v) {
    valid_.push_back(1);
    if (type == ColumnType::Integer) {
        ints_.push_back(std::strtoll(std::string(v).c_str(), nullptr, 10));
        return;
    }
    if (type == ColumnType::Real) {
        reals_.push_back(std::strtod(std::string(v).c_str(), nullptr));
        return;
    }
    chars_.append(v);
    textOffsets_.push_back(chars_.size());
}

std::string Column::display(size_t row) const {
    if (isNull(row)) return {};
    switch (type) {
        case ColumnType::Integer:
            return std::to_string(ints_[row]);
        case ColumnType::Real: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.10g", reals_[row]);
            return buf;
        }
        case ColumnType::Text:
            return std::string(text(row));
    }
    return {};
}

double Column::number(size_t row) const {
    if (isNull(row)) return NAN;
    if (type == ColumnType::Integer) return static_cast<double>(ints_[row]);
    if (type == ColumnType::Real) return reals_[row];
    return NAN;
}

size_t Column::memoryBytes() const {
    return valid_.capacity() + ints_.capacity() * 8 + reals_.capacity() * 8 + textOffsets_.capacity() * 8 +
           chars_.capacity();
}

void FeatureTable::reserveFeatures(int64_t claimed) {
    if (claimed <= 0) return;
    const size_t n = static_cast<size_t>(std::min(claimed, kMaxReservedFeatures));
    featureEnds.reserve(n);
    partEnds.reserve(n);
    ringEnds.reserve(n + n / 8);
    fids.reserve(n);
    kinds.reserve(n);
}

void FeatureTable::beginFeature(int64_t fid, GeomKind kind) {
    fids.push_back(fid);
    kinds.push_back(kind);
}

int FeatureTable::columnIndex(std::string_view name) const {
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == name) return static_cast<int>(i);
    return -1;
}

BBox FeatureTable::featureBox(size_t feature) const {
    BBox b;
    uint32_t p0 = partBegin(feature), p1 = partEnd(feature);
    if (p0 == p1) return b;
    uint32_t v0 = vertexBegin(ringBegin(p0)), v1 = vertexEnd(ringEnd(p1 - 1) - 1);
    for (uint32_t v = v0; v < v1; ++v)
        if (std::isfinite(xy[2 * v])) b.add(xy[2 * v], xy[2 * v + 1]);
    return b;
}

BBox FeatureTable::extent() const {
    BBox b;
    for (size_t v = 0; v < vertexCount(); ++v)
        if (std::isfinite(xy[2 * v])) b.add(xy[2 * v], xy[2 * v + 1]);
    return b;
}

GeomKind FeatureTable::uniformKind() const {
    GeomKind k = GeomKind::None;
    for (GeomKind f : kinds) {
        if (f == GeomKind::None) continue;
        if (k == GeomKind::None)
            k = f;
        else if (k != f)
            return GeomKind::None;
    }
    return k;
}

size_t FeatureTable::memoryBytes() const {
    size_t n = xy.capacity() * 8 + (ringEnds.capacity() + partEnds.capacity() + featureEnds.capacity()) * 4 +
               kinds.capacity() + fids.capacity() * 8;
    for (const auto& c : columns) n += c.memoryBytes();
    return n;
}

}  // namespace geo

namespace geo {

void appendCodepoints(std::string_view s, std::vector<uint32_t>& out) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        uint32_t cp = 0;
        int len = 1;
        if (c < 0x80) {
            cp = c;
        } else if ((c >> 5) == 0x6) {
            cp = c & 0x1F, len = 2;
        } else if ((c >> 4) == 0xE) {
            cp = c & 0x0F, len = 3;
        } else if ((c >> 3) == 0x1E) {
            cp = c & 0x07, len = 4;
        } else {
            ++i;
            continue;
        }
        if (i + len > s.size()) break;
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
}

std::vector<uint32_t> collectCodepoints(const FeatureTable& table) {
    std::vector<uint8_t> seen(0x110000 / 8, 0);
    std::vector<uint32_t> cps;
    std::vector<uint32_t> scratch;
    auto add = [&](std::string_view s) {
        scratch.clear();
        appendCodepoints(s, scratch);
        for (uint32_t cp : scratch) {
            if (cp >= 0x110000 || (seen[cp >> 3] & (1u << (cp & 7)))) continue;
            seen[cp >> 3] |= static_cast<uint8_t>(1u << (cp & 7));
            cps.push_back(cp);
        }
    };
    for (const Column& c : table.columns) {
        add(c.name);
        if (c.type != ColumnType::Text) continue;
        for (size_t r = 0; r < c.size(); ++r)
            if (!c.isNull(r)) add(c.text(r));
    }
    std::sort(cps.begin(), cps.end());
    return cps;
}

}  // namespace geo
