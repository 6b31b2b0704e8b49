#!/usr/bin/python3
"""Builds assets/pingshan2024_projects.gpkg (layer `projects`) from the table below.

The projects are those named in Pingshan District's 2024 work plan (坪山区2024年重点工作), grouped by its nine
sections. No public survey data of the sites exists offline. Where an open-data feature marks the site, the
geometry is placed on it: the OpenStreetMap railway stations in assets/shenzhen_rail_stations_osm.gpkg (ODbL 1.0,
© OpenStreetMap contributors; built by make_stations.py). Everything else is placed by hand from general knowledge
of the district (streets, stations, parks). Each feature says which in two fields:
  location_accuracy: anchored    = placed on a named open-data feature (the site is that station, or a line
                                   through those stations);
                     approximate = the site is there within a few hundred metres;
                     schematic   = the right part of the district, shape and extent illustrative only;
                     (surveyed   = from survey data: none here.)
  location_source:   what the geometry rests on, in words. A phrase "OSM station NAME" or
                     "OSM stations A > B > C" (then "; remarks") names stations of the stations file; tests check
                     that the feature lies within 100 m of every station it names, and a line passes them in order.
`summary_zh` paraphrases what the plan asks for; it is not a quotation. Geometry: polygons are drawn as
regular shapes around the chosen centre (radius in metres), lines through hand-placed vertices or stations.

Run with Debian's python3 (python3-gdal):  /usr/bin/python3 assets/catalog/make_catalog.py
It checks that every feature with scope 'pingshan' lies inside the district outline (anchored features: within
100 m of it, as the outline is AMap's ~2017 shape on a ~100 m grid) and fails otherwise. Output is reproducible.
"""
import math
import os
import sys

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = os.path.dirname(HERE)
OUT = os.path.join(ASSETS, "pingshan2024_projects.gpkg")
DISTRICT = os.path.join(ASSETS, "pingshan_district_wgs84.geojson")
STATIONS = os.path.join(ASSETS, "shenzhen_rail_stations_osm.gpkg")
SOURCE = "坪山区2024年重点工作计划"

SECTIONS = {
    1: ("经济发展", "Economy"),
    2: ("科技创新", "Innovation"),
    3: ("产业发展", "Industry"),
    4: ("改革开放", "Reform and opening-up"),
    5: ("城市建设", "Urban construction"),
    6: ("文化体育", "Culture and sports"),
    7: ("民生保障", "Livelihoods"),
    8: ("生态环境", "Ecology"),
    9: ("社会治理", "Governance"),
}

# The 坪山 云巴 (SkyShuttle) line as OSM maps its stops, in line order from BYD to the high-speed-rail station.
# OSM tags the first eight `monorail`; 文化聚落, 站前路东 and 坪山高铁站 are `train` points on the same alignment.
YUNBA_LINE = ["比亚迪北", "龙背", "自然博物馆西", "未来城", "燕子岭", "综合保税区", "中芯国际", "坪山中心", "文化聚落",
              "站前路东", "坪山高铁站"]

# (id, section, name_zh, name_en, category, status, geometry, location_accuracy, scope, summary_zh)
# geometry: ("poly", lon, lat, radius_m, sides) | ("line", [(lon, lat), ...]) | ("point", lon, lat)
#         | ("station", name): the OSM station's point | ("stations", [names]): a line through them, in order
#         | ("poly_near", station, east_m, north_m, radius_m, sides): a polygon centred that far from the station
P = [
    ("E01", 1, "坑梓市级先进制造业园区", "Kengzi municipal advanced-manufacturing park", "industrial park", "under construction",
     ("poly", 114.392, 22.748, 700, 6), "schematic", "pingshan", "推进市级先进制造业园区建设，承接重大产业项目落地。"),
    ("E02", 1, "龙田市级先进制造业园区", "Longtian municipal advanced-manufacturing park", "industrial park", "under construction",
     ("poly", 114.366, 22.738, 600, 6), "schematic", "pingshan", "建设市级先进制造业园区，完善园区配套。"),
    ("E03", 1, "石井市级先进制造业园区", "Shijing municipal advanced-manufacturing park", "industrial park", "preparing",
     ("poly", 114.412, 22.712, 600, 6), "schematic", "pingshan", "谋划推进先进制造业园区，拓展产业空间。"),
    ("E04", 1, "高新区先导区“工业上楼”项目", "Hi-tech zone pilot area high-rise industrial buildings", "industrial park", "under construction",
     ("poly", 114.360, 22.722, 450, 4), "schematic", "pingshan", "推进“工业上楼”厂房建设，提供高品质产业空间。"),
    ("E05", 1, "重大集成电路项目", "Major integrated-circuit project", "industrial park", "under construction",
     ("poly", 114.372, 22.728, 400, 4), "schematic", "pingshan", "加快重大集成电路项目建设投产。"),
    ("E06", 1, "比亚迪全球新能源汽车研发中心", "BYD global new-energy vehicle R&D centre", "innovation platform", "under construction",
     ("poly_near", "比亚迪北", 0, -350, 450, 5), "approximate", "pingshan", "支持比亚迪建设全球研发中心。"),
    ("E07", 1, "比亚迪动力电池研发中心", "BYD power-battery R&D centre", "innovation platform", "under construction",
     ("poly", 114.343, 22.683, 350, 5), "schematic", "pingshan", "推进动力电池研发中心建设。"),
    ("E08", 1, "中芯国际小二期", "SMIC small phase-2 project", "industrial park", "under construction",
     ("poly_near", "中芯国际", 0, 0, 350, 4), "approximate", "pingshan", "推进中芯国际小二期项目建设。"),
    ("E09", 1, "湾区智能网联测试场（升级）", "Bay Area connected-vehicle test field (upgrade)", "innovation platform", "under construction",
     ("poly", 114.402, 22.728, 500, 4), "schematic", "pingshan", "升级湾区智能网联汽车测试场。"),
    ("E10", 1, "地铁19号线一期", "Metro Line 19 phase 1", "transport", "under construction",
     ("line", [(114.300, 22.688), (114.322, 22.690), (114.345, 22.697), (114.365, 22.712), (114.383, 22.735), (114.392, 22.752)]),
     "schematic", "pingshan", "加快地铁19号线一期建设。"),
    ("E11", 1, "坪山体育公园", "Pingshan sports park", "public facility", "preparing",
     ("poly", 114.338, 22.705, 400, 8), "schematic", "pingshan", "规划建设体育公园。"),
    ("E12", 1, "轨道站点商圈", "Commercial districts around rail stations", "commercial", "planned",
     ("poly", 114.326, 22.687, 350, 8), "schematic", "pingshan", "依托轨道站点打造商圈。"),
    ("I01", 2, "高新南核心启动区", "Gaoxin South core start-up area", "innovation platform", "under construction",
     ("poly", 114.383, 22.700, 650, 6), "schematic", "pingshan", "建设高新南核心启动区。"),
    ("I02", 2, "环深圳技术大学科技创新带", "Innovation belt around Shenzhen Technology University", "innovation platform", "preparing",
     ("poly", 114.396, 22.698, 900, 8), "schematic", "pingshan", "打造环深圳技术大学科技创新带。"),
    ("I03", 2, "国家医疗器械计量测试中心", "National medical-device metrology test centre", "innovation platform", "preparing",
     ("point", 114.390, 22.708), "schematic", "pingshan", "推进国家级医疗器械计量测试中心建设。"),
    ("I04", 2, "零一学院东部基地", "01 Academy eastern base", "innovation platform", "preparing",
     ("point", 114.404, 22.700), "schematic", "pingshan", "建设零一学院东部基地。"),
    ("I05", 2, "人才研修院东部分院", "Talent institute eastern branch", "public facility", "preparing",
     ("point", 114.356, 22.703), "schematic", "pingshan", "建设人才研修院东部分院。"),
    ("I06", 2, "坪山工匠园", "Pingshan craftsmen's park", "public facility", "preparing",
     ("poly", 114.370, 22.706, 250, 5), "schematic", "pingshan", "建设坪山工匠园。"),
    ("N01", 3, "碧岭北土地整备", "Biling North land consolidation zone", "land consolidation", "under construction",
     ("poly", 114.298, 22.676, 700, 7), "schematic", "pingshan", "推进碧岭北片区土地整备。"),
    ("N02", 3, "沙田二期土地整备", "Shatian phase-2 land consolidation zone", "land consolidation", "under construction",
     ("poly", 114.414, 22.752, 600, 7), "schematic", "pingshan", "推进沙田二期土地整备。"),
    ("N03", 3, "智能网联汽车测试基地", "Connected-vehicle test base", "innovation platform", "preparing",
     ("poly", 114.420, 22.735, 450, 4), "schematic", "pingshan", "建设智能网联汽车测试基地。"),
    ("N04", 3, "无人系统测试基地", "Unmanned-systems test base", "innovation platform", "preparing",
     ("poly", 114.325, 22.662, 450, 4), "schematic", "pingshan", "建设无人系统测试基地。"),
    ("N05", 3, "比亚迪储能全球总部", "BYD energy-storage global HQ", "industrial park", "preparing",
     ("poly", 114.366, 22.684, 300, 5), "schematic", "pingshan", "推动比亚迪储能全球总部落地。"),
    ("N06", 3, "新型储能产业园", "New energy-storage industrial park", "industrial park", "preparing",
     ("poly", 114.397, 22.738, 500, 6), "schematic", "pingshan", "建设新型储能产业园。"),
    ("N07", 3, "数字产业创新中心", "Digital-industry innovation centre", "innovation platform", "preparing",
     ("point", 114.350, 22.712), "schematic", "pingshan", "建设数字产业创新中心。"),
    ("R01", 4, "坪山综合保税区", "Pingshan comprehensive bonded zone", "industrial park", "operating",
     ("poly_near", "综合保税区", 0, 0, 550, 4), "approximate", "pingshan", "推动综合保税区提质发展。"),
    ("R02", 4, "河套合作区拓展区", "Hetao cooperation-zone extension", "innovation platform", "planned",
     ("poly", 114.376, 22.716, 450, 6), "schematic", "pingshan", "承接河套深港科技创新合作区拓展。"),
    ("U01", 5, "沙田北片区", "Shatian North district", "other", "planned",
     ("poly", 114.404, 22.760, 550, 6), "schematic", "pingshan", "推进沙田北片区规划建设。"),
    ("U02", 5, "站前商务区", "Station-front business district", "commercial", "preparing",
     ("poly_near", "站前路东", -270, -70, 450, 6), "schematic", "pingshan", "打造高铁站前商务区。"),
    ("U03", 5, "中心公园东片区", "Central Park East district", "other", "preparing",
     ("poly", 114.352, 22.700, 400, 6), "schematic", "pingshan", "推进中心公园东片区开发。"),
    ("U04", 5, "大万坪环片区", "Dawan–Pinghuan district", "other", "planned",
     ("poly_near", "坪环", -330, 270, 550, 6), "schematic", "pingshan", "推进大万坪环片区城市更新。"),
    ("U05", 5, "太阳村城中村改造试点", "Taiyang Village urban-village renewal pilot", "urban village renewal", "preparing",
     ("poly", 114.3645, 22.6975, 250, 5), "schematic", "pingshan", "开展太阳村城中村改造试点。"),
    ("U06", 5, "坪山万象商业中心", "Pingshan MixC commercial centre", "commercial", "under construction",
     ("poly", 114.347, 22.696, 200, 4), "schematic", "pingshan", "推进坪山万象商业中心建设。"),
    ("U07", 5, "坪山城市会客厅", "Pingshan city parlour", "public facility", "under construction",
     ("poly", 114.344, 22.708, 250, 6), "schematic", "pingshan", "建设坪山城市会客厅。"),
    ("U08", 5, "坪山高铁站扩容改造", "Pingshan high-speed-rail station expansion", "transport", "preparing",
     ("station", "坪山高铁站"), "anchored", "pingshan", "推进坪山高铁站扩容改造。"),
    ("U09", 5, "深汕铁路（坪山段）", "Shenzhen–Shanwei railway (Pingshan section)", "transport", "under construction",
     ("line", [(114.275, 22.672), (114.300, 22.680), (114.325, 22.684), (114.360, 22.686), (114.400, 22.690), (114.437, 22.700)]),
     "schematic", "pingshan", "配合推进深汕铁路建设。"),
    ("U10", 5, "深大城际（坪山段）", "Shenzhen–Dayawan intercity (Pingshan section)", "transport", "under construction",
     ("line", [(114.285, 22.700), (114.310, 22.694), (114.325, 22.686), (114.350, 22.672), (114.385, 22.660)]),
     "schematic", "pingshan", "配合推进深大城际建设。"),
    ("U11", 5, "深汕西高速改扩建", "Shenshan West expressway widening", "transport", "under construction",
     ("line", [(114.270, 22.655), (114.300, 22.665), (114.335, 22.668), (114.370, 22.672), (114.410, 22.680), (114.437, 22.690)]),
     "schematic", "pingshan", "推进深汕西高速改扩建。"),
    ("U12", 5, "外环高速三期", "Outer Ring expressway phase 3", "transport", "under construction",
     ("line", [(114.300, 22.722), (114.330, 22.736), (114.360, 22.749), (114.385, 22.758), (114.410, 22.768)]),
     "schematic", "pingshan", "推进外环高速三期建设。"),
    ("U13", 5, "绿梓大道北延", "Lüzi Avenue northern extension", "transport", "preparing",
     ("line", [(114.388, 22.725), (114.391, 22.745), (114.394, 22.765), (114.396, 22.778)]), "schematic", "pingshan",
     "推进绿梓大道北段建设。"),
    ("U14", 5, "坪山大道综合改造", "Pingshan Avenue renovation", "transport", "under construction",
     ("line", [(114.300, 22.693), (114.325, 22.697), (114.345, 22.702), (114.370, 22.713), (114.392, 22.727)]),
     "schematic", "pingshan", "实施坪山大道综合改造提升。"),
    ("U15", 5, "对口帮扶：百色市田东县", "Paired assistance: Tiandong County, Baise", "other", "operating",
     ("point", 107.126, 23.597), "approximate", "external", "做好对口帮扶协作工作。"),
    ("U16", 5, "对口帮扶：百色市德保县", "Paired assistance: Debao County, Baise", "other", "operating",
     ("point", 106.615, 23.323), "approximate", "external", "做好对口帮扶协作工作。"),
    ("U17", 5, "对口帮扶：汕尾市陆河县", "Paired assistance: Luhe County, Shanwei", "other", "operating",
     ("point", 115.657, 23.302), "approximate", "external", "做好对口帮扶协作工作。"),
    ("U18", 5, "对口帮扶：汕头市龙湖区", "Paired assistance: Longhu District, Shantou", "other", "operating",
     ("point", 116.716, 23.372), "approximate", "external", "做好对口帮扶协作工作。"),
    ("U19", 5, "对口帮扶：深汕特别合作区鹅埠", "Paired assistance: Ebu, Shenshan cooperation zone", "other", "operating",
     ("point", 115.117, 22.888), "approximate", "external", "做好对口帮扶协作工作。"),
    ("C01", 6, "深圳自然博物馆", "Shenzhen Natural History Museum", "public facility", "under construction",
     ("poly_near", "自然博物馆西", 300, 0, 350, 8), "approximate", "pingshan", "加快深圳自然博物馆建设。"),
    ("C02", 6, "坪山体育聚落", "Pingshan sports cluster", "public facility", "preparing",
     ("poly", 114.3395, 22.7125, 250, 8), "schematic", "pingshan", "建设坪山体育聚落。"),
    ("C03", 6, "坪山科技文化中心", "Pingshan science, technology and culture centre", "public facility", "preparing",
     ("point", 114.349, 22.706), "schematic", "pingshan", "建设坪山科技文化中心。"),
    ("C04", 6, "龙田街道文体中心", "Longtian sub-district culture and sports centre", "public facility", "preparing",
     ("point", 114.372, 22.743), "schematic", "pingshan", "建设龙田街道文体中心。"),
    ("C05", 6, "马峦山—坪山河运动带", "Maluanshan–Pingshan River sports belt", "ecology", "preparing",
     ("line", [(114.352, 22.648), (114.350, 22.665), (114.346, 22.682), (114.350, 22.698), (114.368, 22.712)]),
     "schematic", "pingshan", "打造马峦山—坪山河运动带。"),
    ("C06", 6, "马峦山古村落", "Maluanshan ancient villages", "cultural site", "operating",
     ("poly", 114.362, 22.646, 300, 7), "approximate", "pingshan", "保护活化马峦山古村落。"),
    ("C07", 6, "马峦山戏剧城邦", "Maluanshan drama city", "cultural site", "preparing",
     ("point", 114.371, 22.652), "schematic", "pingshan", "打造马峦山戏剧城邦。"),
    ("C08", 6, "江岭长守戏剧谷", "Jiangling Changshou drama valley", "cultural site", "preparing",
     ("point", 114.352, 22.655), "schematic", "pingshan", "建设江岭长守戏剧谷。"),
    ("C09", 6, "东江纵队纪念馆（红色文化）", "East River Column memorial (red culture)", "cultural site", "operating",
     ("station", "东纵纪念馆"), "approximate", "pingshan", "传承东纵红色文化。"),
    ("C10", 6, "大万世居（客家文化）", "Dawan Shiju Hakka walled village", "cultural site", "operating",
     ("point", 114.331, 22.698), "approximate", "pingshan", "保护利用客家围屋等历史建筑。"),
    ("C11", 6, "龙田世居（客家文化）", "Longtian Shiju Hakka walled village", "cultural site", "operating",
     ("point", 114.376, 22.739), "approximate", "pingshan", "保护利用客家围屋等历史建筑。"),
    ("L01", 7, "深圳技术大学", "Shenzhen Technology University", "public facility", "operating",
     ("poly", 114.396, 22.698, 500, 8), "approximate", "pingshan", "支持深圳技术大学高水平建设。"),
    ("L02", 7, "深圳市第一职业技术学校（坪山）", "Shenzhen No. 1 Vocational School (Pingshan)", "public facility", "under construction",
     ("point", 114.384, 22.718), "schematic", "pingshan", "推进市第一职校建设。"),
    ("L03", 7, "坪山区中心医院", "Pingshan district central hospital", "public facility", "operating",
     ("point", 114.370, 22.720), "approximate", "pingshan", "提升区中心医院医疗服务能力。"),
    ("L04", 7, "坪山区人民医院（创三甲）", "Pingshan district people's hospital (tier-3A upgrade)", "public facility", "operating",
     ("point", 114.343, 22.694), "approximate", "pingshan", "推动区人民医院创建三甲医院。"),
    ("L05", 7, "南方医科大学深圳口腔医学园", "Southern Medical University Shenzhen stomatology park", "public facility", "under construction",
     ("poly", 114.388, 22.688, 250, 6), "schematic", "pingshan", "建设南方医科大学深圳口腔医学园。"),
    ("L06", 7, "社区健康服务中心（新建）", "New community health centres", "public facility", "under construction",
     ("point", 114.305, 22.684), "schematic", "pingshan", "新建一批社区健康服务中心。"),
    ("L07", 7, "坪山区社会福利中心", "Pingshan welfare complex", "public facility", "preparing",
     ("point", 114.363, 22.700), "schematic", "pingshan", "建设社会福利综合体。"),
    ("G01", 8, "坪山河碧道", "Pingshan River corridor", "ecology", "under construction",
     ("line", [(114.342, 22.662), (114.346, 22.683), (114.352, 22.700), (114.372, 22.716), (114.398, 22.730), (114.425, 22.748)]),
     "approximate", "pingshan", "建设坪山河碧道，提升水环境。"),
    ("G02", 8, "超级充电站", "Super-charging stations", "transport", "under construction",
     ("point", 114.358, 22.710), "schematic", "pingshan", "建设超级充电站，完善新能源基础设施。"),
    ("G03", 8, "云巴线路", "SkyShuttle (云巴) line", "transport", "preparing",
     ("stations", YUNBA_LINE), "anchored", "pingshan", "推进云巴线路建设。"),
]

# What each re-anchored geometry rests on. Features not listed get the default of their accuracy (below).
LOCATION_SOURCE = {
    "G03": "OSM stations " + " > ".join(YUNBA_LINE) + "; straight between stops (the track curves); the operating "
           "云巴 line as OSM maps it; 文化聚落, 站前路东 and 坪山高铁站 are tagged train in OSM",
    "U08": "OSM station 坪山高铁站; the station itself (77 m outside AMap's 2017 district outline)",
    "C01": "around OSM station 自然博物馆西; the 云巴 stop named after the museum, which lies east of it; "
           "extent illustrative",
    "C09": "at OSM station 东纵纪念馆; the Line 16 station named after the memorial",
    "E06": "next to OSM station 比亚迪北; BYD's Pingshan campus, south of the 云巴 stop 'BYD North'; extent illustrative",
    "E08": "around OSM station 中芯国际; the 云巴 stop named after the SMIC plant; extent illustrative",
    "R01": "around OSM station 综合保税区; the 云巴 stop named after the bonded zone; extent illustrative",
    "L01": "around OSM station 技术大学; the Line 16 station named after the university; extent illustrative",
    "I02": "around OSM station 技术大学; a belt around 深圳技术大学 (L01), hand-drawn",
    "U02": "around OSM station 站前路东; east of 坪山高铁站 along 站前路, hand-drawn",
    "U04": "around OSM station 坪环; the Line 16 station of 坪环, hand-drawn",
}
DEFAULT_SOURCE = {
    "approximate": "hand-placed from general knowledge of the district",
    "schematic": "hand-placed from general knowledge of the district; shape illustrative",
}
EXTERNAL_SOURCE = "hand-placed at the county or district seat from general knowledge"

CATEGORIES = ["industrial park", "land consolidation", "urban village renewal", "cultural site", "transport",
              "public facility", "innovation platform", "ecology", "commercial", "other"]
STATUSES = ["planned", "preparing", "under construction", "completed", "operating"]
ACCURACIES = ["surveyed", "anchored", "approximate", "schematic"]


def load_stations():
    """name -> (lon, lat) of the named stations; a name given twice (both platforms) keeps the first point."""
    ds = ogr.Open(STATIONS)
    if ds is None:
        sys.exit(f"cannot open {STATIONS}: run make_stations.py first")
    out = {}
    for f in ds.GetLayer("stations"):
        name = f.GetField("name")
        if name and name not in out:
            g = f.GetGeometryRef()
            out[name] = (g.GetX(), g.GetY())
    return out


def location_source(p):
    if p[0] in LOCATION_SOURCE:
        return LOCATION_SOURCE[p[0]]
    return EXTERNAL_SOURCE if p[8] == "external" else DEFAULT_SOURCE[p[7]]


def polygon(lon, lat, radius_m, sides):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    dlat = radius_m / 110574.0
    dlon = radius_m / (111320.0 * math.cos(math.radians(lat)))
    for k in range(sides + 1):
        a = 2 * math.pi * (k % sides) / sides + math.pi / sides
        ring.AddPoint_2D(round(lon + dlon * math.cos(a), 6), round(lat + dlat * math.sin(a), 6))
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


def resolve(spec, stations):
    """A spec that names stations, rewritten with their coordinates ("station" -> "point", "stations" -> "line",
    "poly_near" -> "poly")."""
    kind = spec[0]
    if kind == "station":
        return ("point", *stations[spec[1]])
    if kind == "stations":
        return ("line", [stations[n] for n in spec[1]])
    if kind == "poly_near":
        _, name, east, north, radius, sides = spec
        lon, lat = stations[name]
        return ("poly", round(lon + east / (111320.0 * math.cos(math.radians(lat))), 6),
                round(lat + north / 110574.0, 6), radius, sides)
    return spec


def geometry(spec):
    kind = spec[0]
    if kind == "poly":
        return polygon(*spec[1:])
    if kind == "line":
        g = ogr.Geometry(ogr.wkbLineString)
        for x, y in spec[1]:
            g.AddPoint_2D(x, y)
        return g
    g = ogr.Geometry(ogr.wkbPoint)
    g.AddPoint_2D(spec[1], spec[2])
    return g


def metres_outside(g, district):
    """Largest distance in metres of g's vertices from the district (0 inside); a local equirectangular metric."""
    worst = 0.0
    pts = [g.GetPoint_2D(i) for i in range(g.GetPointCount())] if g.GetGeometryType() != ogr.wkbPolygon else []
    for x, y in pts:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(x, y)
        if district.Contains(p):
            continue
        # Nearest point of the outline, searched on the outline's vertices densified to ~10 m.
        ring = district.GetGeometryRef(0).Clone()
        ring.Segmentize(0.0001)
        k = math.cos(math.radians(y))
        d = min(math.hypot((x - q[0]) * 111320.0 * k, (y - q[1]) * 110574.0)
                for q in (ring.GetPoint_2D(i) for i in range(ring.GetPointCount())))
        worst = max(worst, d)
    return worst


def fit_inside(p, spec, district, inner):
    """The geometry of a Pingshan project, kept inside the district: lines are clipped to the district (a
    railway's Pingshan section); a schematic polygon that sticks out is shrunk, then moved toward the centre,
    and the change is printed. An anchored feature stays where its stations are (within 100 m of the outline);
    an approximate site that falls outside is an error."""
    g = geometry(spec)
    if p[8] != "pingshan" or district.Contains(g):
        return g
    if p[7] == "anchored":
        d = metres_outside(g, district)
        if d > 100:
            sys.exit(f"{p[0]} {p[2]}: anchored, but {d:.0f} m outside the district outline")
        print(f"  {p[0]} {p[2]}: anchored, up to {d:.0f} m outside the district outline (kept)")
        return g
    kind = spec[0]
    if kind == "line":
        clipped = g.Intersection(inner)
        if clipped.GetGeometryType() in (ogr.wkbLineString, ogr.wkbMultiLineString) and not clipped.IsEmpty():
            return clipped
        sys.exit(f"{p[0]}: line does not cross the district")
    if kind == "poly" and p[7] == "schematic":
        _, lon, lat, radius, sides = spec
        c = inner.Centroid()
        for step in range(0, 40):
            r = radius * (0.6 if step else 1.0)
            t = min(1.0, step * 0.025)
            x, y = lon + (c.GetX() - lon) * t, lat + (c.GetY() - lat) * t
            cand = polygon(x, y, r, sides)
            if district.Contains(cand):
                print(f"  {p[0]} {p[2]}: schematic shape adjusted to fit the district (r={r:.0f} m, moved {t:.0%})")
                return cand
    sys.exit(f"{p[0]} {p[2]}: outside the district")


def main():
    src = ogr.Open(DISTRICT)  # keep the dataset alive while its feature is used
    feature = src.GetLayer(0).GetNextFeature()
    district = feature.GetGeometryRef().Clone()
    inner = district.Buffer(-0.0005)  # ~50 m inside, so clipped lines stay strictly within the outline
    stations = load_stations()
    for p in P:
        assert p[4] in CATEGORIES and p[5] in STATUSES and p[1] in SECTIONS and p[7] in ACCURACIES, p[0]
    geoms = {p[0]: fit_inside(p, resolve(p[6], stations), district, inner) for p in P}
    if os.path.exists(OUT):
        os.remove(OUT)
    os.environ["OGR_CURRENT_DATE"] = "2024-01-01T00:00:00.000Z"  # reproducible file
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("projects", srs, ogr.wkbUnknown)  # points, lines and polygons
    fields = [("id", ogr.OFTString), ("name_zh", ogr.OFTString), ("name_en", ogr.OFTString), ("section", ogr.OFTInteger),
              ("section_title_zh", ogr.OFTString), ("section_title_en", ogr.OFTString), ("category", ogr.OFTString),
              ("status", ogr.OFTString), ("plan_year", ogr.OFTInteger), ("summary_zh", ogr.OFTString),
              ("location_accuracy", ogr.OFTString), ("location_source", ogr.OFTString), ("scope", ogr.OFTString),
              ("source", ogr.OFTString)]
    for name, t in fields:
        layer.CreateField(ogr.FieldDefn(name, t))
    for p in P:
        f = ogr.Feature(layer.GetLayerDefn())
        pid, sec, zh, en, cat, status, geom, acc, scope, summary = p
        values = {"id": pid, "name_zh": zh, "name_en": en, "section": sec, "section_title_zh": SECTIONS[sec][0],
                  "section_title_en": SECTIONS[sec][1], "category": cat, "status": status, "plan_year": 2024,
                  "summary_zh": summary, "location_accuracy": acc, "location_source": location_source(p),
                  "scope": scope,
                  "source": SOURCE + "（第" + "一二三四五六七八九"[sec - 1] + "部分；摘要为转述，非原文）"}
        for k, v in values.items():
            f.SetField(k, v)
        f.SetGeometry(geoms[pid])
        layer.CreateFeature(f)
    ds = None
    counts = {a: sum(1 for p in P if p[7] == a) for a in ACCURACIES}
    print(f"{OUT}: {len(P)} projects in {len({p[1] for p in P})} of 9 sections; location_accuracy {counts}")


if __name__ == "__main__":
    main()
