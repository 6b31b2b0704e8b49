#!/usr/bin/python3
"""Writes the malformed-input corpus (issue #13) into a folder: every format Plan Atlas reads, damaged the ways a
colleague's or a download's files are (truncated, garbage, empty, wrong magic, missing sidecars, absurd numbers,
pathological geometry, wrong encodings) plus project files that are too big, too deep or too many layers.

Usage: /usr/bin/python3 make_corpus.py OUT_DIR        (python3-gdal)
Writes OUT_DIR/cases.json: [{"file": name, "expect": "draw" | "error" | "either", "stderr": [fragments],
"names": name}], where "draw" is exit 0 with ink on the image, "error" exit 1 with one line naming `names` (the file,
or for a project the layer source at fault), "either" one of the two, and every fragment must appear on stderr (the
warning or error that says what was dropped or wrong)."""
import json
import math
import os
import random
import shutil
import struct
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

OUT = sys.argv[1]
CASES = []
RNG = random.Random(13)

# A small grid of squares in Pingshan, Shenzhen (lon/lat).
X0, Y0, STEP = 114.30, 22.68, 0.01


def case(name, expect, *stderr, names=None):
    """`names`: what the error line must name, when not the file itself (a project's broken layer source)."""
    CASES.append({"file": name, "expect": expect, "stderr": list(stderr), "names": names or name})


def path(name):
    return os.path.join(OUT, name)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def squares(n=9):
    out = []
    for i in range(n):
        x, y = X0 + (i % 3) * STEP, Y0 + (i // 3) * STEP
        s = STEP * 0.8
        out.append([[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]])
    return out


def geojson(features, extra=None):
    d = {"type": "FeatureCollection", "features": features}
    if extra:
        d.update(extra)
    return d


def poly_feature(ring, props=None, holes=()):
    return {"type": "Feature", "properties": props or {"name": "a"},
            "geometry": {"type": "Polygon", "coordinates": [ring] + list(holes)}}


def write_json(name, obj):
    with open(path(name), "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, allow_nan=True)


def good_geojson_text():
    return json.dumps(geojson([poly_feature(r, {"name": "sq%d" % i}) for i, r in enumerate(squares())]))


def wgs84():
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def ogr_write(name, driver, geoms_wkt, srs=None, fields=None, options=None, layer_options=None):
    """Writes one layer of WKT geometries (with a text field) through OGR."""
    drv = ogr.GetDriverByName(driver)
    ds = drv.CreateDataSource(path(name), options=options or [])
    lyr = ds.CreateLayer("data", srs=srs, geom_type=ogr.wkbUnknown, options=layer_options or [])
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for i, w in enumerate(geoms_wkt):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", (fields or {}).get(i, "f%d" % i))
        if w:
            f.SetGeometry(ogr.CreateGeometryFromWkt(w))
        lyr.CreateFeature(f)
    ds = None


def square_wkts(n=9):
    return ["POLYGON ((%s))" % ",".join("%r %r" % (p[0], p[1]) for p in r) for r in squares(n)]


def damage_variants(stem, ext, good_bytes):
    """Truncated, garbage, empty and wrong-magic copies of a good file."""
    write_bytes(stem + "_truncated" + ext, good_bytes[: max(1, len(good_bytes) // 2)])
    write_bytes(stem + "_garbage" + ext, bytes(RNG.getrandbits(8) for _ in range(4096)))
    write_bytes(stem + "_empty" + ext, b"")
    write_bytes(stem + "_wrongmagic" + ext, b"\x89PNG\r\n\x1a\n" + good_bytes[8:200])
    case(stem + "_truncated" + ext, "either")
    case(stem + "_garbage" + ext, "error")
    case(stem + "_empty" + ext, "error")
    case(stem + "_wrongmagic" + ext, "error")


def read(name):
    with open(path(name), "rb") as f:
        return f.read()


# [SECTION] GeoJSON


def make_geojson():
    write_bytes("gj_good.geojson", good_geojson_text().encode())
    case("gj_good.geojson", "draw")
    damage_variants("gj", ".geojson", good_geojson_text().encode())
    # Absurd numbers: every coordinate ~1e300 draws nothing; mixed with good squares, the bad ones are dropped.
    huge = [[1e300 * (1 + i), 1e300] for i in range(4)] + [[1e300, 1e300]]
    write_json("gj_all_1e300.geojson", geojson([poly_feature(huge)]))
    case("gj_all_1e300.geojson", "error", "gj_all_1e300.geojson", "absurd")
    write_json("gj_mixed_1e300.geojson", geojson([poly_feature(r) for r in squares()] + [poly_feature(huge)]))
    case("gj_mixed_1e300.geojson", "draw", "absurd")
    # NaN and Infinity are not JSON, but GDAL's parser takes them.
    bad = squares()[0]
    text = good_geojson_text()[:-2] + ', {"type":"Feature","properties":{},"geometry":{"type":"Polygon",' \
        '"coordinates":[[[NaN,22.7],[Infinity,22.7],[114.3,-Infinity],[NaN,NaN]]]}}]}'
    write_bytes("gj_nan_inf.geojson", text.encode())
    case("gj_nan_inf.geojson", "draw")
    nan_only = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":' \
        '{"type":"Point","coordinates":[NaN,NaN]}},{"type":"Feature","properties":{},"geometry":' \
        '{"type":"LineString","coordinates":[[Infinity,1],[2,-Infinity]]}}]}'
    write_bytes("gj_nan_only.geojson", nan_only.encode())
    case("gj_nan_only.geojson", "error", "gj_nan_only.geojson")
    # Rings of one point (and of two): nothing to fill; with a good square beside them, the square draws.
    write_json("gj_ring_one_point.geojson",
               geojson([poly_feature([[X0, Y0]]), poly_feature([[X0, Y0], [X0 + STEP, Y0]]),
                        poly_feature(squares()[4])]))
    case("gj_ring_one_point.geojson", "draw")
    write_json("gj_ring_one_point_only.geojson", geojson([poly_feature([[X0, Y0]])]))
    case("gj_ring_one_point_only.geojson", "error", "gj_ring_one_point_only.geojson")
    # A 200k-vertex ring (a circle), 100k parts (a MultiPolygon of small squares), a polygon with 5000 holes.
    n = 200000
    ring = [[X0 + 0.05 * math.cos(2 * math.pi * k / n), Y0 + 0.05 * math.sin(2 * math.pi * k / n)] for k in range(n)]
    ring.append(ring[0])
    write_json("gj_ring_200k.geojson", geojson([poly_feature(ring)]))
    case("gj_ring_200k.geojson", "draw")
    parts = []
    for k in range(100000):
        x, y = X0 + (k % 400) * 0.0005, Y0 + (k // 400) * 0.0005
        s = 0.0003
        parts.append([[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]])
    write_json("gj_parts_100k.geojson", geojson([{"type": "Feature", "properties": {},
                                                  "geometry": {"type": "MultiPolygon", "coordinates": parts}}]))
    case("gj_parts_100k.geojson", "draw")
    outer = [[X0, Y0], [X0 + 1, Y0], [X0 + 1, Y0 + 1], [X0, Y0 + 1], [X0, Y0]]
    holes = []
    for k in range(5000):
        x, y = X0 + 0.01 + (k % 70) * 0.014, Y0 + 0.01 + (k // 70) * 0.0135
        s = 0.005
        holes.append([[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]])
    write_json("gj_holes_5000.geojson", geojson([poly_feature(outer, holes=holes)]))
    case("gj_holes_5000.geojson", "draw")
    # JSON nested 100k deep where the coordinates should be.
    depth = 100000
    write_bytes("gj_nested_100k.geojson",
                ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":'
                 '{"type":"Polygon","coordinates":' + "[" * depth + "]" * depth + "}}]}").encode())
    case("gj_nested_100k.geojson", "error", "gj_nested_100k.geojson")
    # A CRS nobody knows.
    write_json("gj_unknown_crs.geojson",
               geojson([poly_feature(r) for r in squares()],
                       {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}}))
    case("gj_unknown_crs.geojson", "either", "gj_unknown_crs.geojson")
    # GBK bytes in a file that is UTF-8 by definition, and bytes that are no encoding at all.
    gbk = good_geojson_text().replace('"sq0"', '"@@"').encode().replace(b"@@", "坪山区".encode("gbk"))
    write_bytes("gj_gbk_in_utf8.geojson", gbk)
    case("gj_gbk_in_utf8.geojson", "draw")
    bad = good_geojson_text().replace('"sq1"', '"@@"').encode().replace(b"@@", b"\xff\xfe\xc0\x80\xed\xa0\x80")
    write_bytes("gj_bad_utf8.geojson", bad)
    case("gj_bad_utf8.geojson", "draw")
    write_json("gj_null_geometry.geojson", geojson([{"type": "Feature", "properties": {"a": 1}, "geometry": None}]))
    case("gj_null_geometry.geojson", "error", "gj_null_geometry.geojson")
    write_json("gj_not_features.geojson", {"type": "Topology", "objects": 12})
    case("gj_not_features.geojson", "error", "gj_not_features.geojson")


# [SECTION] Shapefile


def make_shapefiles():
    base = "shp_good"
    ogr_write(base + ".shp", "ESRI Shapefile", square_wkts(), srs=wgs84())
    case(base + ".shp", "draw")
    good = {ext: read(base + ext) for ext in (".shp", ".shx", ".dbf", ".prj")}

    def variant(stem, replace=None, drop=()):
        for ext, data in good.items():
            if ext in drop:
                continue
            write_bytes(stem + ext, (replace or {}).get(ext, data))

    variant("shp_no_shx", drop=(".shx",))
    case("shp_no_shx.shp", "error", "shp_no_shx", ".shx")
    variant("shp_no_dbf", drop=(".dbf",))
    case("shp_no_dbf.shp", "error", "shp_no_dbf", ".dbf")
    variant("shp_no_prj", drop=(".prj",))  # lon/lat without a .prj: assumed WGS 84, said so
    case("shp_no_prj.shp", "draw", "assumed EPSG:4326")
    variant("shp_truncated", {".shp": good[".shp"][: len(good[".shp"]) // 2]})
    case("shp_truncated.shp", "either", "shp_truncated")
    variant("shp_garbage", {".shp": bytes(RNG.getrandbits(8) for _ in range(len(good[".shp"])))})
    case("shp_garbage.shp", "error", "shp_garbage")
    variant("shp_empty", {".shp": b""})
    case("shp_empty.shp", "error", "shp_empty")
    variant("shp_shx_garbage", {".shx": good[".shx"][:100] + bytes(RNG.getrandbits(8) for _ in range(300))})
    case("shp_shx_garbage.shp", "either", "shp_shx_garbage")
    variant("shp_bad_prj", {".prj": b"PROJCS[\"nonsense\",GARBAGE[[["})
    case("shp_bad_prj.shp", "either", "shp_bad_prj")
    # Damaged attribute tables: the geometry draws, and the warning names the .dbf.
    dbf = good[".dbf"]
    variant("shp_dbf_cut", {".dbf": dbf[:20]})
    case("shp_dbf_cut.shp", "draw", "shp_dbf_cut.dbf")
    variant("shp_dbf_empty", {".dbf": b""})
    case("shp_dbf_empty.shp", "draw", "shp_dbf_empty.dbf")
    variant("shp_dbf_2g", {".dbf": dbf[:4] + struct.pack("<I", 2 ** 31) + dbf[8:]})
    case("shp_dbf_2g.shp", "draw", "shp_dbf_2g.dbf")
    # GBK attributes without a .cpg: recoded, and nothing breaks.
    ogr_write("shp_gbk.shp", "ESRI Shapefile", square_wkts(), srs=wgs84(), layer_options=["ENCODING=GBK"],
              fields={0: "坪山区", 1: "龙岗区"})
    for ext in (".cpg",):
        if os.path.exists(path("shp_gbk" + ext)):
            os.remove(path("shp_gbk" + ext))
    case("shp_gbk.shp", "draw")


# [SECTION] GeoPackage, FlatGeobuf, KML


def make_gpkg_fgb_kml():
    ogr_write("gpkg_good.gpkg", "GPKG", square_wkts(), srs=wgs84())
    case("gpkg_good.gpkg", "draw")
    damage_variants("gpkg", ".gpkg", read("gpkg_good.gpkg"))
    # Geometry blobs of garbage and a CRS id that the file does not define.
    shutil.copy(path("gpkg_good.gpkg"), path("gpkg_bad_blobs.gpkg"))
    ds = ogr.Open(path("gpkg_bad_blobs.gpkg"), 1)
    ds.ExecuteSQL("UPDATE data SET geom = X'47500003E6100000DEADBEEF'")
    ds = None
    case("gpkg_bad_blobs.gpkg", "error", "gpkg_bad_blobs.gpkg")
    shutil.copy(path("gpkg_good.gpkg"), path("gpkg_unknown_crs.gpkg"))
    ds = ogr.Open(path("gpkg_unknown_crs.gpkg"), 1)
    ds.ExecuteSQL("UPDATE gpkg_spatial_ref_sys SET definition = 'GARBAGE', organization = 'NONE', "
                  "organization_coordsys_id = 0 WHERE srs_id = 4326")
    ds = None
    case("gpkg_unknown_crs.gpkg", "either", "gpkg_unknown_crs.gpkg")
    huge = "POLYGON ((1e300 1e300,2e300 1e300,2e300 2e300,1e300 1e300))"
    ogr_write("gpkg_1e300.gpkg", "GPKG", [huge, huge], srs=wgs84())
    case("gpkg_1e300.gpkg", "error", "gpkg_1e300.gpkg", "absurd")

    ogr_write("fgb_good.fgb", "FlatGeobuf", square_wkts(), srs=wgs84())
    case("fgb_good.fgb", "draw")
    damage_variants("fgb", ".fgb", read("fgb_good.fgb"))

    kml_good = read_kml_good()
    write_bytes("kml_good.kml", kml_good)
    case("kml_good.kml", "draw")
    damage_variants("kml", ".kml", kml_good)
    write_bytes("kml_bad_coords.kml", kml_good.replace(b"114.3,", b"abc,", 3))
    case("kml_bad_coords.kml", "either")  # libkml skips tuples it cannot parse, without a word we could pass on
    deep = b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">' + b"<Folder>" * 50000 + \
        b"</Folder>" * 50000 + b"</kml>"
    write_bytes("kml_nested_50k.kml", deep)
    case("kml_nested_50k.kml", "error", "kml_nested_50k.kml")


def read_kml_good():
    placemarks = []
    for i, r in enumerate(squares()):
        coords = " ".join("%s,%s" % (round(p[0], 6), round(p[1], 6)) for p in r)
        placemarks.append('<Placemark><name>sq%d</name><Polygon><outerBoundaryIs><LinearRing><coordinates>%s'
                          '</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>' % (i, coords))
    return ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>%s'
            '</Document></kml>' % "".join(placemarks)).encode()


# [SECTION] CSV and XLSX with coordinate columns, DXF


def make_tables():
    rows = ["lon,lat,name"] + ["%r,%r,p%d" % (X0 + i * 0.01, Y0 + i * 0.005, i) for i in range(20)]
    write_bytes("csv_good.csv", ("\n".join(rows) + "\n").encode())
    case("csv_good.csv", "draw")
    write_bytes("csv_empty.csv", b"")
    case("csv_empty.csv", "error", "csv_empty.csv")
    write_bytes("csv_garbage.csv", bytes(RNG.getrandbits(8) for _ in range(4096)))
    case("csv_garbage.csv", "error", "csv_garbage.csv")
    write_bytes("csv_absurd.csv", ("\n".join(rows[:10] + ["nan,nan,x", "inf,-inf,y", "1e300,1e300,z"]) + "\n").encode())
    case("csv_absurd.csv", "draw")
    write_bytes("csv_all_absurd.csv", b"lon,lat,name\n1e300,1e300,a\n-1e300,2e300,b\nnan,inf,c\n")
    case("csv_all_absurd.csv", "error", "csv_all_absurd.csv")
    write_bytes("csv_no_coords.csv", b"alpha,beta\n1,2\n3,4\n")
    case("csv_no_coords.csv", "error", "csv_no_coords.csv")
    write_bytes("csv_gbk.csv", "经度,纬度,名称\n114.3,22.7,坪山\n114.31,22.71,龙岗\n".encode("gbk"))
    case("csv_gbk.csv", "either", "csv_gbk.csv")

    drv = ogr.GetDriverByName("XLSX")
    ds = drv.CreateDataSource(path("xlsx_good.xlsx"))
    lyr = ds.CreateLayer("sheet1", geom_type=ogr.wkbNone)
    for name, t in (("lon", ogr.OFTReal), ("lat", ogr.OFTReal), ("name", ogr.OFTString)):
        lyr.CreateField(ogr.FieldDefn(name, t))
    for i in range(20):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("lon", X0 + i * 0.01)
        f.SetField("lat", Y0 + i * 0.005)
        f.SetField("name", "p%d" % i)
        lyr.CreateFeature(f)
    ds = None
    case("xlsx_good.xlsx", "draw")
    damage_variants("xlsx", ".xlsx", read("xlsx_good.xlsx"))
    ds = drv.CreateDataSource(path("xlsx_absurd.xlsx"))
    lyr = ds.CreateLayer("sheet1", geom_type=ogr.wkbNone)
    for name in ("lon", "lat"):
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    for v in (1e300, -1e300, 5e299):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("lon", v)
        f.SetField("lat", v)
        lyr.CreateFeature(f)
    ds = None
    case("xlsx_absurd.xlsx", "error", "xlsx_absurd.xlsx")

    dxf = ogr.GetDriverByName("DXF").CreateDataSource(path("dxf_good.dxf"))
    lyr = dxf.CreateLayer("entities")
    for r in squares():
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt("LINESTRING (%s)" % ",".join("%r %r" % (p[0], p[1]) for p in r)))
        lyr.CreateFeature(f)
    dxf = None
    case("dxf_good.dxf", "draw")
    damage_variants("dxf", ".dxf", read("dxf_good.dxf"))


# [SECTION] GeoTIFF


def make_rasters():
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path("tif_good.tif"), 64, 64, 1, gdal.GDT_Byte)
    ds.SetGeoTransform([X0, 0.001, 0, Y0 + 0.064, 0, -0.001])
    ds.SetProjection(wgs84().ExportToWkt())
    ds.GetRasterBand(1).WriteRaster(0, 0, 64, 64, bytes((x * 4) % 256 for x in range(64 * 64)))
    ds = None
    case("tif_good.tif", "draw")
    damage_variants("tif", ".tif", read("tif_good.tif"))
    ds = drv.Create(path("tif_absurd_transform.tif"), 16, 16, 1, gdal.GDT_Byte)
    ds.SetGeoTransform([1e300, 1e299, 0, 1e300, 0, -1e299])
    ds.SetProjection(wgs84().ExportToWkt())
    ds = None
    case("tif_absurd_transform.tif", "error", "tif_absurd_transform.tif")
    ds = drv.Create(path("tif_no_crs.tif"), 16, 16, 1, gdal.GDT_Byte)
    ds.GetRasterBand(1).Fill(200)
    ds = None
    case("tif_no_crs.tif", "either", "tif_no_crs.tif")


# [SECTION] Project files


def make_projects():
    def project(name, layers, **extra):
        p = {"version": 1, "title": name, "crs": "EPSG:4326", "layers": layers}
        p.update(extra)
        write_json(name, p)

    project("proj_good.atlas.json", [{"name": "squares", "source": "gj_good.geojson"}])
    case("proj_good.atlas.json", "draw")
    for stem, data in (("proj_empty", b""), ("proj_garbage", bytes(RNG.getrandbits(8) for _ in range(2048))),
                       ("proj_truncated", read("proj_good.atlas.json")[:40]),
                       ("proj_bad_utf8", b'{"version":1,"title":"\xff\xfe","layers":[]}')):
        write_bytes(stem + ".atlas.json", data)
        case(stem + ".atlas.json", "error", stem + ".atlas.json")
    depth = 100000
    write_bytes("proj_nested_100k.atlas.json", ('{"version":1,"layers":' + "[" * depth + "]" * depth + "}").encode())
    case("proj_nested_100k.atlas.json", "error", "proj_nested_100k.atlas.json", "nested deeper than 64")
    # 50 MB of nested arrays: refused by its size before any parsing.
    with open(path("proj_50mb_nested.atlas.json"), "wb") as f:
        f.write(b'{"version":1,"layers":[],"x":')
        for _ in range(25):
            f.write(b"[" * 1000000)
        for _ in range(25):
            f.write(b"]" * 1000000)
        f.write(b"}")
    case("proj_50mb_nested.atlas.json", "error", "proj_50mb_nested.atlas.json", "over 16 MB are refused")
    project("proj_10000_layers.atlas.json",
            [{"name": "copy %d" % i, "source": "gj_good.geojson"} for i in range(10000)])
    case("proj_10000_layers.atlas.json", "draw")
    project("proj_missing_source.atlas.json", [{"name": "gone", "source": "no_such_file.geojson"}])
    case("proj_missing_source.atlas.json", "error", "no_such_file.geojson", names="no_such_file.geojson")
    project("proj_unknown_crs.atlas.json", [{"name": "squares", "source": "gj_good.geojson"}], crs="EPSG:999999")
    case("proj_unknown_crs.atlas.json", "error", "proj_unknown_crs.atlas.json")
    project("proj_layer_crs_garbage.atlas.json",
            [{"name": "squares", "source": "gj_good.geojson", "crs": "+proj=nonsense"}])
    case("proj_layer_crs_garbage.atlas.json", "error", "+proj=nonsense", names="gj_good.geojson")
    project("proj_wrong_types.atlas.json", [{"name": 12, "source": ["a"]}])
    case("proj_wrong_types.atlas.json", "error", "proj_wrong_types.atlas.json")


def main():
    os.makedirs(OUT, exist_ok=True)
    make_geojson()
    make_shapefiles()
    make_gpkg_fgb_kml()
    make_tables()
    make_rasters()
    make_projects()
    with open(path("cases.json"), "w") as f:
        json.dump(CASES, f, indent=1)
    print("%d cases in %s" % (len(CASES), OUT))


if __name__ == "__main__":
    main()
