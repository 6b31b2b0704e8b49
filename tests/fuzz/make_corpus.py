#!/usr/bin/python3
"""Writes the generated part of the seed corpora (WKB and GeoPackage blobs, FlatGeobuf, GeoJSON) for the fuzz_*
targets into corpus/<target>/. Run with Debian's python3 (python3-gdal): /usr/bin/python3 make_corpus.py"""
import os
import struct

from osgeo import gdal, ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
gdal.UseExceptions()

WKT = [
    "POINT (114.35 22.69)",
    "POINT Z (114.35 22.69 10)",
    "LINESTRING (114.30 22.70,114.32 22.71,114.33 22.69)",
    "POLYGON ((114.30 22.70,114.32 22.70,114.32 22.72,114.30 22.72,114.30 22.70),"
    "(114.305 22.705,114.31 22.705,114.31 22.71,114.305 22.705))",
    "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))",
    "MULTIPOINT ((1 2),(3 4))",
    "MULTILINESTRING ((0 0,1 1),(2 2,3 3,4 2))",
    "GEOMETRYCOLLECTION (POINT (1 2),POLYGON ((0 0,1 0,1 1,0 0)),LINESTRING (0 0,1 1))",
    "POLYGON ZM ((0 0 1 2,4 0 1 2,4 4 1 2,0 4 1 2,0 0 1 2))",
    "CURVEPOLYGON (CIRCULARSTRING (0 0,1 1,2 0,1 -1,0 0))",
    "POLYGON EMPTY",
    "POINT EMPTY",
]


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pieces(blobs):
    """As FuzzedDataProvider.ConsumeRandomLengthString reads them: backslashes doubled, '\\' + other ends one."""
    return b"\\n".join(b.replace(b"\\", b"\\\\") for b in blobs)


def wkb(wkt, order=ogr.wkbNDR, iso=True):
    g = ogr.CreateGeometryFromWkt(wkt)
    return bytes(g.ExportToIsoWkb(order) if iso else g.ExportToWkb(order))


def gpkg_blob(wkt, envelope=True):
    g = ogr.CreateGeometryFromWkt(wkt)
    body = bytes(g.ExportToIsoWkb(ogr.wkbNDR))
    if not envelope or g.IsEmpty():
        flags = 0x01 | (0x10 if g.IsEmpty() else 0)
        return b"GP\x00" + bytes([flags]) + struct.pack("<i", 4326) + body
    minx, maxx, miny, maxy = g.GetEnvelope()
    return b"GP\x00\x03" + struct.pack("<i", 4326) + struct.pack("<4d", minx, maxx, miny, maxy) + body


def vector():
    # Mode byte: %4 == 1 WKB pieces, 2 raw GeoPackage blobs; +8 reads with the feature loop.
    for i, wkt in enumerate(WKT):
        for mode in (1, 9):
            write("vector", "wkb_%02d_%d" % (i, mode), bytes([mode]) + pieces([wkb(wkt)]))
    write("vector", "wkb_xdr", bytes([1]) + pieces([wkb(WKT[3], ogr.wkbXDR), wkb(WKT[0], ogr.wkbXDR)]))
    write("vector", "wkb_mixed", bytes([1]) + pieces([wkb(w) for w in WKT[:4]]))
    for i, wkt in enumerate(WKT[:9]):
        write("vector", "gpkgblob_%02d" % i, bytes([2]) + pieces([gpkg_blob(wkt, i % 2 == 0)]))
    write("vector", "gpkgblob_loop", bytes([10]) + pieces([gpkg_blob(WKT[3]), gpkg_blob(WKT[4], False)]))
    # EWKB as PostGIS writes it (Z flag and SRID) inside a blob.
    ewkb = struct.pack("<BII", 1, 0x20000001 | 0x80000000, 4326) + struct.pack("<3d", 114.3, 22.7, 5)
    write("vector", "ewkb_point", bytes([1]) + pieces([ewkb]))
    # GeoJSON.
    gj = b'{"type":"FeatureCollection","features":[' \
         b'{"type":"Feature","properties":{"name":"\xe5\x9d\xaa\xe5\xb1\xb1","n":1,"r":2.5},' \
         b'"geometry":{"type":"Polygon","coordinates":[[[114.30,22.70],[114.32,22.70],[114.32,22.72],[114.30,22.70]],' \
         b'[[114.305,22.705],[114.31,22.705],[114.31,22.71],[114.305,22.705]]]}},' \
         b'{"type":"Feature","properties":{"name":null},"geometry":{"type":"Point","coordinates":[114.35,22.69]}},' \
         b'{"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]}},' \
         b'{"type":"Feature","properties":{},"geometry":null}]}'
    write("vector", "geojson_mixed", b"\x00" + gj)
    write("vector", "geojson_crs", b"\x00" + b'{"type":"FeatureCollection","crs":{"type":"name","properties":'
          b'{"name":"urn:ogc:def:crs:EPSG::4547"}},"features":[{"type":"Feature","properties":{},"geometry":'
          b'{"type":"Polygon","coordinates":[[[500000,2500000],[501000,2500000],[501000,2501000],[500000,2500000]]]}}]}')
    write("vector", "geojson_huge", b"\x00" + b'{"type":"Feature","properties":{},"geometry":{"type":"Polygon",'
          b'"coordinates":[[[1e300,1e300],[-1e300,1e300],[0,-1e300],[1e300,1e300]]]}}')
    write("vector", "geojson_geometry", b"\x00" + b'{"type":"GeometryCollection","geometries":'
          b'[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}')
    # FlatGeobuf (mode 3), with and without the Arrow stream.
    path = "/vsimem/seed.fgb"
    ds = ogr.GetDriverByName("FlatGeobuf").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    lyr = ds.CreateLayer("t", srs, ogr.wkbUnknown, ["SPATIAL_INDEX=NO"])
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for wkt in WKT[:4]:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", "a")
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None
    f = gdal.VSIFOpenL(path, "rb")
    data = gdal.VSIFReadL(1, 1 << 20, f)
    gdal.VSIFCloseL(f)
    write("vector", "fgb_mixed", b"\x03" + data)
    write("vector", "fgb_mixed_loop", b"\x0b" + data)


def style():
    # Mode byte %3: 0 a colour, 1 a categorized style over a table (FuzzedDataProvider bytes), 2 a KML file.
    for i, c in enumerate([b"#ff8000", b"#FF800080", b"#12345", b"#gg0000", b"red", b"#00000000"]):
        write("style", "color_%d" % i, b"\x00" + c)
    rnd = __import__("random").Random(13)
    for i in range(4):
        write("style", "symbology_%d" % i, b"\x01" + bytes(rnd.randrange(256) for _ in range(64 << i)))
    kml = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Style id="red"><LineStyle><color>ff0000ff</color><width>3</width></LineStyle><PolyStyle><color>7f00ff00</color></PolyStyle></Style>
<Folder><name>sites</name>
<Placemark><name>a</name><styleUrl>#red</styleUrl><Polygon><outerBoundaryIs><LinearRing><coordinates>114.3,22.7 114.32,22.7 114.32,22.72 114.3,22.7</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>b</name><Style><IconStyle><color>ff00ffff</color></IconStyle><LineStyle><width>1e300</width></LineStyle></Style><Point><coordinates>114.35,22.69</coordinates></Point></Placemark>
</Folder></Document></kml>
"""
    write("style", "kml_styles", b"\x02" + kml)
    write("style", "kml_inline", b"\x02" + kml.replace(b"<styleUrl>#red</styleUrl>", b"<Style><LineStyle><width>-2</width></LineStyle></Style>"))


def table_points():
    # Mode byte %3: 0 one cell, 1 a sheet built from FuzzedDataProvider bytes, 2 a CSV file.
    cells = ["114.35", "+22.7", "114°21'30\"E", "22度42分0秒N", "-114 21 30", "114°21.5'", "北纬22.5",
             "东经114:21:30", "1e308", "W 114 21", "114°21′30″", " 22.5 ", "１１４", "114.5.5", "60 60 60"]
    for i, c in enumerate(cells):
        write("table_points", "cell_%02d" % i, b"\x00" + c.encode())
    rnd = __import__("random").Random(11)
    for i in range(4):
        write("table_points", "sheet_%d" % i, b"\x01" + bytes(rnd.randrange(256) for _ in range(64 << i)))
    csvs = [
        "name,经度,纬度\n坪山,114.35,22.69\n碧岭,\"114°21'30\"\"E\",22度42分0秒N\n空,,\n",
        "id,X坐标,Y坐标\n1,2510000.5,38500000.25\n2,2511000,38501000\n",
        "lon,lat\n114.3,22.7\n200,100\nabc,1\n",
        "WKT,name\n\"POINT (114.3 22.7)\",a\n\"POLYGON ((0 0,1 0,1 1,0 0))\",b\n",
        "x,y\n500000,2500000\n501000,2501000\n",
    ]
    for i, c in enumerate(csvs):
        # The options bytes come from the end of the input (the provider's integers): none here, so no CRS.
        write("table_points", "csv_%d" % i, b"\x02" + c.encode())


def tessellate():
    rnd = __import__("random").Random(7)
    for i in range(8):
        write("tessellate", "random_%d" % i, bytes(rnd.randrange(256) for _ in range(32 << (i % 5))))


def gcj02():
    for i, (lon, lat) in enumerate([(114.35, 22.69), (72.004, 0.8293), (137.8347, 55.8271), (0.0, 0.0)]):
        write("gcj02", "point_%d" % i, struct.pack("<dd", lon, lat) + b"\x01")


if __name__ == "__main__":
    vector()
    style()
    table_points()
    tessellate()
    gcj02()
