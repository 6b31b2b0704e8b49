#!/usr/bin/python3
"""Fixtures and an independent check for `planatlas analyze overlap` (tests/app/analyze_test.sh).

  analyze_check.py make DIR
      subject.gpkg (layer "projects", WGS84: squares, a multipolygon, a polygon with a hole, a self-intersecting
      bowtie, a line and a point), eco.gpkg (layer "eco", EPSG:4547, two rectangles overlapping each other),
      farm.gpkg (layers "farmland" in WGS84 with an invalid bowtie, and "roads" with a line), subject.atlas.json.
  analyze_check.py check REPORT.csv|xlsx SUBJECT[@LAYER] CONSTRAINT[@LAYER] ...
      Recomputes every row with OGR's own geometry methods (GEOS underneath, but called independently of
      Plan Atlas): transform to EPSG:4547, MakeValid, Union of each constraint layer, Intersection, GetArea.
      Every area and overlap must agree within 0.5 %; prints one line per failure and exits 1 on any.
  analyze_check.py constraint DIR
      pingshan_zone.gpkg: two overlapping polygons over central Pingshan, for the bundled project.

Runs with Debian's /usr/bin/python3 and python3-gdal (a python3 first on PATH may lack the bindings).
"""
import csv
import os
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.PushErrorHandler("CPLQuietErrorHandler")  # GEOS's "Self-intersection at ..." notices from IsValid

X0, Y0 = 530000.0, 2511000.0  # EPSG:4547 metres, near 114.29E 22.70N


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def wkt_local(wkt, to_wgs84):
    """A WKT in local metres (offset by X0, Y0) as a geometry in EPSG:4547, or WGS84 when to_wgs84."""
    g = ogr.CreateGeometryFromWkt(wkt)
    _shift(g)
    if to_wgs84:
        g.Transform(osr.CoordinateTransformation(srs(4547), srs(4326)))
    return g


def _shift(g):
    for i in range(g.GetGeometryCount()):
        _shift(g.GetGeometryRef(i))
    for i in range(g.GetPointCount()):
        x, y = g.GetX(i), g.GetY(i)
        g.SetPoint_2D(i, x + X0, y + Y0)


def write_layer(path, name, epsg, fields, features, mode="w"):
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path) if mode == "w" else ogr.Open(path, 1)
    lyr = ds.CreateLayer(name, srs(epsg), ogr.wkbUnknown)
    for f in fields:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    for values, geom in features:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for f, v in zip(fields, values):
            feat.SetField(f, v)
        feat.SetGeometry(geom)
        lyr.CreateFeature(feat)
    ds = None


def make(d):
    os.makedirs(d, exist_ok=True)
    for f in ("subject.gpkg", "eco.gpkg", "farm.gpkg"):
        if os.path.exists(os.path.join(d, f)):
            os.remove(os.path.join(d, f))
    w = lambda wkt: wkt_local(wkt, True)  # noqa: E731
    subject = [
        (("A", "方块"), w("POLYGON((0 0,100 0,100 100,0 100,0 0))")),
        (("B", "两块, \"多边形\""), w("MULTIPOLYGON(((200 0,300 0,300 100,200 100,200 0)),((400 0,450 0,450 50,400 50,400 0)))")),
        (("C", "带洞"), w("POLYGON((0 200,100 200,100 300,0 300,0 200),(40 240,40 260,60 260,60 240,40 240))")),
        (("D", "自相交"), w("POLYGON((0 400,100 500,100 400,0 500,0 400))")),
        (("L", "线"), w("LINESTRING(0 0,100 100)")),
        (("P", "点"), w("POINT(50 50)")),
        (("E", "无冲突"), w("POLYGON((1000 1000,1100 1000,1100 1100,1000 1000))")),
    ]
    write_layer(os.path.join(d, "subject.gpkg"), "projects", 4326, ["id", "name_zh"], subject)
    loc = lambda wkt: wkt_local(wkt, False)  # noqa: E731
    eco = [
        (("e1",), loc("POLYGON((50 -50,150 -50,150 50,50 50,50 -50))")),
        (("e2",), loc("POLYGON((20 -50,80 -50,80 30,20 30,20 -50))")),
        (("e3",), loc("POLYGON((250 25,425 25,425 75,250 75,250 25))")),
        (("e4",), loc("POLYGON((30 230,70 230,70 270,30 270,30 230))")),
        (("e5",), loc("POLYGON((0 400,100 400,100 450,0 450,0 400))")),
    ]
    write_layer(os.path.join(d, "eco.gpkg"), "eco", 4547, ["id"], eco)
    farm = [
        (("f1",), w("POLYGON((0 0,100 100,100 0,0 100,0 0))")),
        (("f2",), w("MULTIPOLYGON(((-10 190,110 190,110 310,-10 310,-10 190)),((2000 0,2010 0,2010 10,2000 0)))")),
    ]
    write_layer(os.path.join(d, "farm.gpkg"), "farmland", 4326, ["id"], farm)
    write_layer(os.path.join(d, "farm.gpkg"), "roads", 4326, ["id"], [(("r1",), w("LINESTRING(0 0,300 300)"))], "a")
    with open(os.path.join(d, "subject.atlas.json"), "w", encoding="utf-8") as f:
        f.write('{"version": 1, "title": "analyze test", "crs": "EPSG:4547", "layers": ['
                '{"name": "plan", "source": "subject.gpkg", "layer": "projects"}]}\n')


def constraint(d):
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "pingshan_zone.gpkg")
    if os.path.exists(path):
        os.remove(path)
    g1 = ogr.CreateGeometryFromWkt("POLYGON((114.33 22.68,114.37 22.68,114.37 22.71,114.33 22.71,114.33 22.68))")
    g2 = ogr.CreateGeometryFromWkt("POLYGON((114.355 22.69,114.39 22.69,114.39 22.72,114.355 22.72,114.355 22.69))")
    write_layer(path, "zone", 4326, ["id"], [(("z1",), g1), (("z2",), g2)])


def split(spec):
    if "@" in spec and "/" not in spec[spec.rfind("@"):]:
        return spec[:spec.rfind("@")], spec[spec.rfind("@") + 1:]
    return spec, None


def polygons_4547(spec):
    """[(id, name_zh, geometry in EPSG:4547 made valid, polygons only)] for the polygon features of a layer."""
    path, name = split(spec)
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(name) if name else ds.GetLayer(0)
    source = lyr.GetSpatialRef().Clone()
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to4547 = osr.CoordinateTransformation(source, srs(4547))
    defn = lyr.GetLayerDefn()
    out = []
    for feat in lyr:
        g = feat.GetGeometryRef()
        if g is None or ogr.GT_Flatten(g.GetGeometryType()) not in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
            continue
        g = g.Clone()
        g.Transform(to4547)
        if not g.IsValid():
            g = polygonal(g.MakeValid())
        fid_text = str(feat.GetFID())
        ident = feat.GetField("id") if defn.GetFieldIndex("id") >= 0 else fid_text
        name_zh = feat.GetField("name_zh") if defn.GetFieldIndex("name_zh") >= 0 else ""
        out.append((ident if ident is not None else fid_text, name_zh or "", g))
    return out


def polygonal(g):
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
        return g
    mp = ogr.Geometry(ogr.wkbMultiPolygon)
    for i in range(g.GetGeometryCount()):
        part = polygonal(g.GetGeometryRef(i).Clone())
        if ogr.GT_Flatten(part.GetGeometryType()) == ogr.wkbPolygon:
            mp.AddGeometry(part)
        elif ogr.GT_Flatten(part.GetGeometryType()) == ogr.wkbMultiPolygon:
            for j in range(part.GetGeometryCount()):
                mp.AddGeometry(part.GetGeometryRef(j).Clone())
    return mp


def read_report(path):
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        return rows[0], rows[1:]
    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    defn = lyr.GetLayerDefn()
    header = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows = []
    for feat in lyr:
        for i in range(2, defn.GetFieldCount()):
            if defn.GetFieldDefn(i).GetType() not in (ogr.OFTReal, ogr.OFTInteger, ogr.OFTInteger64):
                raise SystemExit("%s: column %s is not numeric" % (path, header[i]))
        rows.append([feat.GetFieldAsString(i) for i in range(defn.GetFieldCount())])
    return header, rows


def close(got, want, what, failures):
    if abs(got - want) > max(0.005 * abs(want), 0.01):
        failures.append("%s: report %.3f, OGR %.3f" % (what, got, want))


def check(report, subject_spec, constraint_specs):
    header, rows = read_report(report)
    subject = polygons_4547(subject_spec)
    unions = []
    for spec in constraint_specs:
        u = None
        for _, _, g in polygons_4547(spec):
            u = g.Clone() if u is None else u.Union(g)
        unions.append(u)
    failures = []
    if len(rows) != len(subject):
        failures.append("%d rows, OGR finds %d polygon features" % (len(rows), len(subject)))
    want_cols = 3 + 2 * len(constraint_specs)
    if len(header) != want_cols or header[:3] != ["id", "name_zh", "area_m2"]:
        failures.append("header %s" % header)
    for row, (ident, name_zh, g) in zip(rows, subject):
        if row[0] != ident or row[1] != name_zh:
            failures.append("row %s/%s, OGR %s/%s" % (row[0], row[1], ident, name_zh))
        area = g.GetArea()
        close(float(row[2]), area, "%s area_m2" % ident, failures)
        for c, u in enumerate(unions):
            overlap = g.Intersection(u).GetArea() if u is not None else 0.0
            close(float(row[3 + 2 * c]), overlap, "%s %s" % (ident, header[3 + 2 * c]), failures)
            pct = 100.0 * overlap / area if area > 0 else 0.0
            close(float(row[4 + 2 * c]), pct, "%s %s" % (ident, header[4 + 2 * c]), failures)
    for f in failures:
        print("FAIL " + f)
    overlapping = sum(1 for r in rows if any(float(r[3 + 2 * c]) > 0 for c in range(len(unions))))
    print("checked %d rows x %d constraints against OGR (%d overlap)" % (len(rows), len(unions), overlapping))
    return 1 if failures else 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "make":
        make(sys.argv[2])
    elif cmd == "constraint":
        constraint(sys.argv[2])
    elif cmd == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4:]))
    else:
        sys.exit(__doc__)
