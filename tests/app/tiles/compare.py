#!/usr/bin/python3
"""Compares two images of the same size (PNG or anything GDAL reads; RGB or RGBA) for the tile tests (#9).

Usage: compare.py A B [--max-shift PX] [--max-mean-diff LEVELS] [--min-opaque FRACTION] [--min-std LEVELS]
                      [--search PX] [--border PX]

Prints one JSON object:
  mean_abs_diff  mean absolute difference per channel (0-255) over the pixels opaque in both (alpha 255, or no
                 alpha band), at zero shift
  identical      the RGB(A) arrays are equal
  opaque_both    fraction of the pixels opaque in both
  shift_x/_y     the shift of B against A (B shows at x+shift_x, y+shift_y what A shows at x, y), found as the
                 integer shift in -search..search (default 4) with the least mean squared difference, refined to a
                 sub-pixel by a parabola through the neighbours on each axis; shift_px is its length
  at_limit       the best integer shift lies on the edge of the search window (the true shift may be larger)
  std_a/_b       standard deviation of the grey level over the opaque pixels (a blank image has ~0)
Exits 1 when a threshold given fails (at_limit fails --max-shift), 2 on bad input.
"""
import argparse
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def load(path):
    ds = gdal.Open(path)
    arr = ds.ReadAsArray().astype(np.float64)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.shape[0] in (2, 4):  # grey+alpha or RGBA
        rgb, alpha = arr[:-1], arr[-1] >= 255
    else:
        rgb, alpha = arr, np.ones(arr.shape[1:], dtype=bool)
    if rgb.shape[0] == 1:
        rgb = np.repeat(rgb, 3, axis=0)
    return rgb[:3], alpha


def msd(a, ma, b, mb, dx, dy, border):
    """Mean squared difference between A at (x, y) and B at (x+dx, y+dy) over the inner window."""
    h, w = ma.shape
    ys, xs = slice(border, h - border), slice(border, w - border)
    ys2, xs2 = slice(border + dy, h - border + dy), slice(border + dx, w - border + dx)
    m = ma[ys, xs] & mb[ys2, xs2]
    n = int(m.sum())
    if n == 0:
        return float("inf")
    d = a[:, ys, xs] - b[:, ys2, xs2]
    return float((d * d).sum(axis=0)[m].sum() / (3 * n))


def refine(lo, mid, hi):
    """Vertex of the parabola through (-1, lo), (0, mid), (1, hi), clamped to half a pixel."""
    den = lo - 2 * mid + hi
    if not np.isfinite(den) or den <= 0:
        return 0.0
    return float(np.clip(0.5 * (lo - hi) / den, -0.5, 0.5))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--max-shift", type=float)
    p.add_argument("--max-mean-diff", type=float)
    p.add_argument("--min-opaque", type=float)
    p.add_argument("--min-std", type=float)
    p.add_argument("--search", type=int, default=4)
    p.add_argument("--border", type=int, default=0, help="extra pixels left out at the edges")
    args = p.parse_args()
    try:
        a, ma = load(args.a)
        b, mb = load(args.b)
    except RuntimeError as e:
        print(json.dumps({"error": str(e)}))
        return 2
    if a.shape != b.shape:
        print(json.dumps({"error": "sizes differ: %s vs %s" % (a.shape[1:], b.shape[1:])}))
        return 2
    both = ma & mb
    res = {"a": args.a, "b": args.b, "width": a.shape[2], "height": a.shape[1],
           "opaque_both": float(both.mean()),
           "identical": bool(np.array_equal(a, b) and np.array_equal(ma, mb))}
    res["mean_abs_diff"] = float(np.abs(a - b).mean(axis=0)[both].mean()) if both.any() else None
    grey_a, grey_b = a.mean(axis=0), b.mean(axis=0)
    res["std_a"] = float(grey_a[ma].std()) if ma.any() else 0.0
    res["std_b"] = float(grey_b[mb].std()) if mb.any() else 0.0

    s = args.search
    border = s + args.border
    if min(a.shape[1:]) <= 2 * border + 8:
        print(json.dumps({"error": "images too small for a search of %d px" % s}))
        return 2
    table = {(dx, dy): msd(a, ma, b, mb, dx, dy, border) for dx in range(-s, s + 1) for dy in range(-s, s + 1)}
    (bx, by), best = min(table.items(), key=lambda kv: kv[1])
    fx = refine(table.get((bx - 1, by), np.inf), best, table.get((bx + 1, by), np.inf)) if abs(bx) < s else 0.0
    fy = refine(table.get((bx, by - 1), np.inf), best, table.get((bx, by + 1), np.inf)) if abs(by) < s else 0.0
    res["shift_x"], res["shift_y"] = bx + fx, by + fy
    res["shift_px"] = float(np.hypot(res["shift_x"], res["shift_y"]))
    res["at_limit"] = abs(bx) == s or abs(by) == s
    res["msd_at_shift"] = best

    failed = []
    if args.max_shift is not None and (res["at_limit"] or res["shift_px"] > args.max_shift):
        failed.append("shift %.2f px > %g%s" % (res["shift_px"], args.max_shift,
                                                 " (at the search limit)" if res["at_limit"] else ""))
    if args.max_mean_diff is not None and (res["mean_abs_diff"] is None or res["mean_abs_diff"] > args.max_mean_diff):
        failed.append("mean difference %s > %g" % (res["mean_abs_diff"], args.max_mean_diff))
    if args.min_opaque is not None and res["opaque_both"] < args.min_opaque:
        failed.append("opaque in both %.3f < %g" % (res["opaque_both"], args.min_opaque))
    if args.min_std is not None and min(res["std_a"], res["std_b"]) < args.min_std:
        failed.append("blank image: std %.1f / %.1f < %g" % (res["std_a"], res["std_b"], args.min_std))
    res["failed"] = failed
    print(json.dumps(res))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
