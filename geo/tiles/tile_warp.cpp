#include "tiles/tile_warp.hpp"

#include <cmath>

#include "crs/gcj02.hpp"

namespace geo {

TileWarp::TileWarp(const TileGrid& grid, const Crs& display, bool gcj02) : grid_(grid), gcj02_(gcj02) {
    Crs gridCrs = Crs::fromUser(grid.crs);
    if (gcj02_) {
        Crs lonLat = Crs::wgs84();
        gridToLonLat_ = std::make_shared<Transformer>(gridCrs, lonLat);
        lonLatToDisplay_ = std::make_shared<Transformer>(lonLat, display);
        plain_ = false;
    } else {
        gridToDisplay_ = std::make_shared<Transformer>(gridCrs, display);
        // The same CRS however it is spelt ("EPSG:3857", "epsg:3857"): one EPSG code is one CRS.
        plain_ = gridToDisplay_->identity() || gridCrs.definition() == display.definition() ||
                 (gridCrs.epsg() != 0 && gridCrs.epsg() == display.epsg());
    }
}

void TileWarp::gridToDisplay(double* xy, size_t n) const {
    if (gcj02_) {
        gridToLonLat_->transform(xy, n);
        for (size_t i = 0; i < n; ++i) {
            double& lon = xy[2 * i];
            double& lat = xy[2 * i + 1];
            if (std::isfinite(lon) && std::isfinite(lat)) gcj02ToWgs84(lon, lat, lon, lat);
        }
        lonLatToDisplay_->transform(xy, n);
    } else if (!plain_) {
        gridToDisplay_->transform(xy, n);
    }
}

TileMesh TileWarp::mesh(const TileKey& k, int n) const {
    TileMesh m;
    BBox b = grid_.tileBounds(k);
    if (b.empty()) return m;
    if (plain_) n = 1;
    n = std::max(1, n);
    size_t side = size_t(n) + 1;
    std::vector<double> xy(side * side * 2);
    for (size_t j = 0; j < side; ++j)
        for (size_t i = 0; i < side; ++i) {
            xy[(j * side + i) * 2] = b.minX + b.width() * double(i) / n;
            xy[(j * side + i) * 2 + 1] = b.maxY - b.height() * double(j) / n;
        }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        gridToDisplay(xy.data(), side * side);
    }
    std::vector<bool> ok(side * side);
    for (size_t p = 0; p < side * side; ++p) {
        ok[p] = std::isfinite(xy[2 * p]) && std::isfinite(xy[2 * p + 1]);
        if (ok[p]) m.bounds.add(xy[2 * p], xy[2 * p + 1]);
    }
    if (m.bounds.empty()) return m;
    m.originX = m.bounds.centerX();
    m.originY = m.bounds.centerY();
    m.vertices.resize(side * side * 4);
    for (size_t j = 0; j < side; ++j)
        for (size_t i = 0; i < side; ++i) {
            size_t p = j * side + i;
            float* v = &m.vertices[p * 4];
            v[0] = ok[p] ? float(xy[2 * p] - m.originX) : 0.0f;
            v[1] = ok[p] ? float(xy[2 * p + 1] - m.originY) : 0.0f;
            v[2] = float(double(i) / n);
            v[3] = float(double(j) / n);
        }
    for (size_t j = 0; j < size_t(n); ++j)
        for (size_t i = 0; i < size_t(n); ++i) {
            uint32_t a = uint32_t(j * side + i), bb = a + 1, c = a + uint32_t(side), d = c + 1;
            if (!(ok[a] && ok[bb] && ok[c] && ok[d])) continue;
            m.indices.insert(m.indices.end(), {a, bb, c, bb, d, c});
        }
    return m;
}

int TileWarp::density(const TileKey& k, int maxN) const {
    if (plain_) return 1;
    BBox b = grid_.tileBounds(k);
    if (b.empty()) return 1;
    for (int n = 1; n < maxN; n *= 2) {
        // Corners of every cell, then the cells' centres.
        const size_t side = size_t(n) + 1;
        std::vector<double> xy;
        xy.reserve((side * side + size_t(n) * n) * 2);
        for (size_t j = 0; j < side; ++j)
            for (size_t i = 0; i < side; ++i) {
                xy.push_back(b.minX + b.width() * double(i) / n);
                xy.push_back(b.maxY - b.height() * double(j) / n);
            }
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                xy.push_back(b.minX + b.width() * (i + 0.5) / n);
                xy.push_back(b.maxY - b.height() * (j + 0.5) / n);
            }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            gridToDisplay(xy.data(), xy.size() / 2);
        }
        BBox shown;
        for (size_t p = 0; p < side * side; ++p) shown.add(xy[2 * p], xy[2 * p + 1]);
        const double pixel = std::max(shown.width(), shown.height()) / std::max(grid_.tileWidth, grid_.tileHeight);
        double worst = 0;
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                auto at = [&](size_t pi, size_t pj, int c) { return xy[(pj * side + pi) * 2 + size_t(c)]; };
                const size_t ci = side * side + size_t(j) * n + size_t(i);
                for (int c = 0; c < 2; ++c) {
                    double mid = 0.25 * (at(i, j, c) + at(i + 1, j, c) + at(i, j + 1, c) + at(i + 1, j + 1, c));
                    worst = std::max(worst, std::abs(xy[ci * 2 + size_t(c)] - mid));
                }
            }
        if (std::isfinite(worst) && worst < 0.1 * pixel) return n;
    }
    return maxN;
}

BBox TileWarp::toGrid(const BBox& display) const {
    if (display.empty()) return display;
    if (plain_) return display;
    // Sample the box's edges and interior (a display box can bulge in the grid CRS), then invert point by point.
    const int s = 16;
    std::vector<double> xy;
    xy.reserve(size_t((s + 1) * (s + 1) * 2));
    for (int j = 0; j <= s; ++j)
        for (int i = 0; i <= s; ++i) {
            xy.push_back(display.minX + display.width() * i / s);
            xy.push_back(display.minY + display.height() * j / s);
        }
    size_t n = xy.size() / 2;
    std::lock_guard<std::mutex> lock(mutex_);
    if (gcj02_) {
        lonLatToDisplay_->inverse(xy.data(), n);
        for (size_t i = 0; i < n; ++i) {
            double& lon = xy[2 * i];
            double& lat = xy[2 * i + 1];
            if (std::isfinite(lon) && std::isfinite(lat)) wgs84ToGcj02(lon, lat, lon, lat);
        }
        gridToLonLat_->inverse(xy.data(), n);
    } else {
        gridToDisplay_->inverse(xy.data(), n);
    }
    BBox out;
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1])) out.add(xy[2 * i], xy[2 * i + 1]);
    return out;
}

double TileWarp::gridUnitsPerDisplayUnit(const BBox& display) const {
    if (plain_ || display.empty()) return 1.0;
    // A small cross at the centre, its size a hundredth of the box.
    double cx = display.centerX(), cy = display.centerY();
    double d = 0.01 * std::max(display.width(), display.height());
    BBox probe{cx - d, cy - d, cx + d, cy + d};
    BBox g = toGrid(probe);
    if (g.empty()) return 1.0;
    return std::sqrt((g.width() * g.height()) / (probe.width() * probe.height()));
}

}  // namespace geo
