#!/usr/bin/python3
"""Synthetic data for vsicurl_test.sh, made in the test (no files from outside the repository):
  buildings.fgb   50,000 small rectangles over Pingshan (lon 114.28..114.45, lat 22.62..22.78), EPSG:4326,
                  FlatGeobuf with its packed Hilbert R-tree (SPATIAL_INDEX=YES);
  image.tif       an 8000 x 8000 RGB raster over the same box: colour ramps with grain, so it compresses like
                  imagery (the test turns it into a JPEG COG).
Deterministic (fixed seed). Debian's /usr/bin/python3 with python3-gdal and python3-numpy.
Usage: make_http_data.py OUT_DIR
"""
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
out = sys.argv[1]
rng = np.random.default_rng(20241203)
lon0, lat0, lon1, lat1 = 114.28, 22.62, 114.45, 22.78

srs = osr.SpatialReference()
srs.ImportFromEPSG(4326)
srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ds = ogr.GetDriverByName("FlatGeobuf").CreateDataSource(out + "/buildings.fgb")
layer = ds.CreateLayer("buildings", srs, ogr.wkbPolygon, ["SPATIAL_INDEX=YES"])
layer.CreateField(ogr.FieldDefn("height", ogr.OFTReal))
n = 50000
x = rng.uniform(lon0, lon1, n)
y = rng.uniform(lat0, lat1, n)
w = rng.uniform(0.00008, 0.00025, n)
h = rng.uniform(0.00008, 0.00025, n)
height = rng.uniform(3, 120, n)
defn = layer.GetLayerDefn()
for i in range(n):
    f = ogr.Feature(defn)
    f.SetField("height", float(height[i]))
    x0, y0, x1, y1 = x[i], y[i], x[i] + w[i], y[i] + h[i]
    f.SetGeometry(ogr.CreateGeometryFromWkt(
        "POLYGON((%.8f %.8f,%.8f %.8f,%.8f %.8f,%.8f %.8f,%.8f %.8f))" % (x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)))
    layer.CreateFeature(f)
ds = None

size = 8000
img = gdal.GetDriverByName("GTiff").Create(out + "/image.tif", size, size, 3, gdal.GDT_Byte,
                                           ["TILED=YES", "COMPRESS=DEFLATE"])
img.SetGeoTransform((lon0, (lon1 - lon0) / size, 0, lat1, 0, -(lat1 - lat0) / size))
img.SetProjection(srs.ExportToWkt())
ramp = np.linspace(0, 200, size).astype(np.float32)
block = 500
for row in range(0, size, block):
    rows = np.arange(row, row + block, dtype=np.float32)[:, None] / size * 200
    grain = rng.integers(0, 40, (block, size), dtype=np.uint8)
    img.GetRasterBand(1).WriteArray((ramp[None, :] * np.ones((block, 1), np.float32) + grain).clip(0, 255).astype(np.uint8), 0, row)
    img.GetRasterBand(2).WriteArray((rows * np.ones((1, size), np.float32) + grain).clip(0, 255).astype(np.uint8), 0, row)
    img.GetRasterBand(3).WriteArray(((ramp[None, :] + rows) / 2 + grain).clip(0, 255).astype(np.uint8), 0, row)
img = None
