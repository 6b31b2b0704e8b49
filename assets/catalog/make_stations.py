#!/usr/bin/python3
"""Builds assets/shenzhen_rail_stations_osm.gpkg (layer `stations`) from the geodata kit's copy of the
OpenStreetMap railway stations (../shared/data/shenzhen_rail_stations_osm.gpkg; its README section names the
upstream file, commit and checksum). ODbL 1.0, © OpenStreetMap contributors: this file is a derivative database
and stays under ODbL; credit it wherever it, or a map made from it, is shown.

What changes from the kit's file (nothing else does: same points, same coordinates, same names):
  * a field `type` for the map: 地铁站 (OSM station=subway), 铁路站 (train), 云巴站 (monorail), 有轨电车站 (tram,
    tram_stop: the Longhua tram, far west of Pingshan);
  * the 坪山 云巴 stops are tagged twice in OSM (a `train` and a `monorail` point, same name, same place): the
    `train` twin is dropped, so each stop is one point and one label;
  * 文化聚落 and 站前路东 are tagged only `train`, but lie on the 云巴 alignment between 坪山中心 and 坪山高铁站,
    1.3-1.9 km apart in the town centre, where no heavy-rail line has stops: typed 云巴站 (`station` keeps OSM's
    `train`, so the override is visible in the data).
  * invisible direction marks (U+200E, U+200F) are removed from names (OSM has 洪湖 and 通新岭 with a trailing
    U+200E; a font has no glyph for it).
The unnamed `train` points and 礼宾楼 inside BYD's campus (lat ~22.68) keep OSM's tag (铁路站).

Run with Debian's python3 (python3-gdal):  /usr/bin/python3 assets/catalog/make_stations.py [KIT_FILE]
The output is byte-for-byte reproducible.
"""
import os
import sys

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = os.path.dirname(HERE)
OUT = os.path.join(ASSETS, "shenzhen_rail_stations_osm.gpkg")
KIT = os.path.join(ASSETS, "..", "..", "shared", "data", "shenzhen_rail_stations_osm.gpkg")

TYPES = {"subway": "地铁站", "train": "铁路站", "monorail": "云巴站", "tram": "有轨电车站", "tram_stop": "有轨电车站"}
YUNBA_TAGGED_TRAIN = {"文化聚落", "站前路东"}


def main():
    src_path = sys.argv[1] if len(sys.argv) > 1 else KIT
    src = ogr.Open(src_path)
    if src is None:
        sys.exit(f"cannot open {src_path} (the geodata kit's stations file)")
    rows = []
    for f in src.GetLayer("stations"):
        g = f.GetGeometryRef()
        name = f.GetField("name")
        if name is not None:
            name = name.replace("\u200e", "").replace("\u200f", "")
        rows.append((name, f.GetField("station"), g.GetX(), g.GetY()))
    monorail = {(n, round(x, 6), round(y, 6)) for n, s, x, y in rows if s == "monorail"}
    kept, dropped = [], 0
    for n, s, x, y in rows:  # the kit's order: station, name, x, y
        if s == "train" and (n, round(x, 6), round(y, 6)) in monorail:
            dropped += 1
            continue
        t = "云巴站" if s == "train" and n in YUNBA_TAGGED_TRAIN else TYPES[s]
        kept.append((n, s, t, x, y))
    if os.path.exists(OUT):
        os.remove(OUT)
    os.environ["OGR_CURRENT_DATE"] = "2000-01-01T00:00:00.000Z"  # reproducible file, as the kit's
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("stations", srs, ogr.wkbPoint)
    for name in ("name", "station", "type"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for n, s, t, x, y in kept:
        f = ogr.Feature(layer.GetLayerDefn())
        if n is not None:
            f.SetField("name", n)
        f.SetField("station", s)
        f.SetField("type", t)
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(x, y)
        f.SetGeometry(p)
        layer.CreateFeature(f)
    ds = None
    counts = {t: sum(1 for k in kept if k[2] == t) for t in sorted(set(TYPES.values()))}
    print(f"{OUT}: {len(kept)} stations ({dropped} train twins of 云巴 stops dropped): {counts}")


if __name__ == "__main__":
    main()
