#!/usr/bin/python3
"""Fixtures and image checks for the PostGIS test and benchmark (tests/app/postgis_test.sh, #11).

  postgis_check.py grid OUT.gpkg N
      Layer "grid" in EPSG:4547: N x N squares of 80 m on a 100 m pitch from (530000, 2510000), fid = 1 + i*N + j
      for column i and row j, with a name, a category (4 values) and an integer ring number.
  postgis_check.py iou A.png B.png MIN
      The covered pixels (not the white background) of two renders: prints their IoU and how many pixels
      differ; exits 1 when the IoU is below MIN or nothing is covered.

Runs with Debian's /usr/bin/python3, python3-gdal and python3-numpy.
"""
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

X0, Y0, PITCH, CELL = 530000.0, 2510000.0, 100.0, 80.0


def make_grid(path, n):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("grid", srs, ogr.wkbPolygon, ["FID=fid", "GEOMETRY_NAME=geom"])
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("category", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("ring", ogr.OFTInteger))
    categories = ["居住 residential", "工业 industrial", "绿地 green", "公共 public"]
    layer.StartTransaction()
    for i in range(n):
        for j in range(n):
            x, y = X0 + i * PITCH, Y0 + j * PITCH
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetFID(1 + i * n + j)
            f.SetField("name", f"cell {i}-{j}")
            f.SetField("category", categories[(i + j) % 4])
            f.SetField("ring", max(abs(i - n // 2), abs(j - n // 2)))
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                f"POLYGON(({x} {y},{x + CELL} {y},{x + CELL} {y + CELL},{x} {y + CELL},{x} {y}))"))
            layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None


def covered(path):
    img = gdal.Open(path).ReadAsArray()  # bands x rows x cols
    rgb = img[:3].astype(np.int32)
    return np.any(rgb != 255, axis=0), rgb


def iou(a_path, b_path, minimum):
    a, a_rgb = covered(a_path)
    b, b_rgb = covered(b_path)
    if a.shape != b.shape:
        print(f"sizes differ: {a.shape} vs {b.shape}")
        return 1
    union = np.count_nonzero(a | b)
    value = np.count_nonzero(a & b) / union if union else 0.0
    differing = np.count_nonzero(np.any(a_rgb != b_rgb, axis=0))
    print(f"IoU {value:.4f} of {union} covered pixels; {differing} pixels differ")
    return 0 if union and value >= minimum else 1


def main(argv):
    if len(argv) == 4 and argv[1] == "grid":
        make_grid(argv[2], int(argv[3]))
        return 0
    if len(argv) == 5 and argv[1] == "iou":
        return iou(argv[2], argv[3], float(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
