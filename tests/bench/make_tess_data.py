#!/usr/bin/env python3
"""GeoJSON fixtures for the whole-process tessellation timing (run_tessellate_bench.sh, #10/#13): one polygon per
file, in EPSG:4326-sized units around (114, 22.5). Plain Python (no GDAL), deterministic.

  make_tess_data.py OUT_DIR

Writes ring_2k, ring_200k (one noisy-star ring), holes_2k (2k vertices, 4 holes), holes_200k (200k vertices,
400 holes; the same shape 100x finer), coast_1m (a 1M-vertex coastline-like ring) and holes_5000 (a square with
5000 small holes)."""
import json
import math
import os
import random
import sys


def noisy_star(n, seed, cx=114.0, cy=22.5, radius=0.1):
    """Star-shaped ring whose radius has detail at every scale (amplitude ~ wavelength^0.75), like a coastline."""
    rng = random.Random(seed)
    octaves = [(2 << k, 0.2 * 2.0 ** (-0.75 * (k + 1)), rng.uniform(0, 2 * math.pi)) for k in range(16)]
    octaves = [o for o in octaves if o[0] * 4 <= n]
    spacing = 2 * math.pi / n
    ring = []
    for i in range(n):
        a = spacing * i
        f = 1 + sum(amp * math.sin(freq * a + ph) for freq, amp, ph in octaves) + 2 * spacing * (rng.random() - 0.5)
        ring.append((cx + radius * f * math.cos(a), cy + radius * f * math.sin(a)))
    return ring


def circle(n, cx, cy, r):
    return [(cx + r * math.cos(-2 * math.pi * i / n), cy + r * math.sin(-2 * math.pi * i / n)) for i in range(n)]


def star_with_holes(shell, holes, hole_vertices, seed):
    rings = [noisy_star(shell, seed)]
    side = math.ceil(math.sqrt(holes))
    cell = 0.06 / side
    for k in range(holes):
        cx = 114.0 - 0.03 + cell * (k % side + 0.5)
        cy = 22.5 - 0.03 + cell * (k // side + 0.5)
        rings.append(circle(hole_vertices, cx, cy, cell * 0.3))
    return rings


def grid_of_holes(cols, rows, cell=0.0001):
    x0, y0 = 114.0, 22.5
    rings = [[(x0, y0), (x0 + cols * cell, y0), (x0 + cols * cell, y0 + rows * cell), (x0, y0 + rows * cell)]]
    for j in range(rows):
        for i in range(cols):
            x, y = x0 + (i + 0.25) * cell, y0 + (j + 0.25) * cell
            rings.append([(x, y), (x + cell / 2, y), (x + cell / 2, y + cell / 2), (x, y + cell / 2)])
    return rings


def write(path, rings):
    coords = [[[round(x, 9), round(y, 9)] for x, y in r + r[:1]] for r in rings]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": os.path.basename(path)},
         "geometry": {"type": "Polygon", "coordinates": coords}}]}
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    fixtures = {
        "ring_2k": lambda: [noisy_star(2000, 1)],
        "ring_200k": lambda: [noisy_star(200000, 1)],
        "holes_2k": lambda: star_with_holes(1600, 4, 100, 7),
        "holes_200k": lambda: star_with_holes(160000, 400, 100, 7),
        "coast_1m": lambda: [noisy_star(1000000, 3)],
        "holes_5000": lambda: grid_of_holes(100, 50),
    }
    for name, make in fixtures.items():
        path = os.path.join(out, name + ".geojson")
        if not os.path.exists(path):
            write(path, make())
        print(path)


if __name__ == "__main__":
    main()
