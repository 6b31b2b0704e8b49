#include "catalog/catalog.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace geo {

const std::array<SectionTitle, kSectionCount>& planSections() {
    static const std::array<SectionTitle, kSectionCount> kSections = {{
        {1, "经济发展", "Economy"},
        {2, "科技创新", "Innovation"},
        {3, "产业发展", "Industry"},
        {4, "改革开放", "Reform and opening-up"},
        {5, "城市建设", "Urban construction"},
        {6, "文化体育", "Culture and sports"},
        {7, "民生保障", "Livelihoods"},
        {8, "生态环境", "Ecology"},
        {9, "社会治理", "Governance"},
    }};
    return kSections;
}

const std::vector<std::string>& catalogCategories() {
    static const std::vector<std::string> kCategories = {
        "industrial park", "land consolidation", "urban village renewal", "cultural site", "transport",
        "public facility", "innovation platform", "ecology",            "commercial",    "other"};
    return kCategories;
}

const std::vector<std::string>& catalogStatuses() {
    static const std::vector<std::string> kStatuses = {"planned", "preparing", "under construction", "completed",
                                                       "operating"};
    return kStatuses;
}

const std::vector<std::string>& locationAccuracies() {
    static const std::vector<std::string> kAccuracies = {"surveyed", "anchored", "approximate", "schematic"};
    return kAccuracies;
}

namespace {

struct FieldSpec {
    const char* name;
    ColumnType type;
    int CatalogColumns::*member;
};

const FieldSpec kFields[] = {
    {"id", ColumnType::Text, &CatalogColumns::id},
    {"name_zh", ColumnType::Text, &CatalogColumns::nameZh},
    {"name_en", ColumnType::Text, &CatalogColumns::nameEn},
    {"section", ColumnType::Integer, &CatalogColumns::section},
    {"section_title_zh", ColumnType::Text, &CatalogColumns::sectionTitleZh},
    {"section_title_en", ColumnType::Text, &CatalogColumns::sectionTitleEn},
    {"category", ColumnType::Text, &CatalogColumns::category},
    {"status", ColumnType::Text, &CatalogColumns::status},
    {"plan_year", ColumnType::Integer, &CatalogColumns::planYear},
    {"summary_zh", ColumnType::Text, &CatalogColumns::summaryZh},
    {"location_accuracy", ColumnType::Text, &CatalogColumns::locationAccuracy},
    {"source", ColumnType::Text, &CatalogColumns::source},
};

const char* typeName(ColumnType t) {
    return t == ColumnType::Integer ? "integer" : t == ColumnType::Real ? "real" : "text";
}

bool contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

// Optional: checked for its type when present, never reported missing.
const FieldSpec kLocationSource = {"location_source", ColumnType::Text, &CatalogColumns::locationSource};

CatalogColumns columnsOf(const FeatureTable& t) {
    CatalogColumns c;
    for (const FieldSpec& f : kFields) c.*(f.member) = t.columnIndex(f.name);
    c.locationSource = t.columnIndex(kLocationSource.name);
    return c;
}

}  // namespace

std::string catalogProblems(const FeatureTable& t) {
    std::string problems;
    auto add = [&](const std::string& p) { problems += (problems.empty() ? "" : "\n") + p; };
    std::vector<std::string> missing;
    for (const FieldSpec& f : kFields) {
        int i = t.columnIndex(f.name);
        if (i < 0) {
            missing.push_back(f.name);
            continue;
        }
        // Integers stored as text are accepted only when the type is right; a real for an integer is wrong.
        if (t.columns[i].type != f.type)
            add(std::string("field ") + f.name + " must be " + typeName(f.type) + ", not " + typeName(t.columns[i].type));
    }
    if (int i = t.columnIndex(kLocationSource.name); i >= 0 && t.columns[i].type != kLocationSource.type)
        add(std::string("field ") + kLocationSource.name + " must be text, not " + typeName(t.columns[i].type));
    if (!missing.empty()) {
        std::string list;
        for (auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        add("missing field" + std::string(missing.size() > 1 ? "s: " : ": ") + list);
    }
    if (!problems.empty()) return problems;
    CatalogColumns c = columnsOf(t);
    auto checkSet = [&](int col, const std::vector<std::string>& allowed, const char* name) {
        for (size_t r = 0; r < t.featureCount(); ++r)
            if (t.columns[col].isNull(r) || !contains(allowed, t.columns[col].text(r))) {
                add(std::string("field ") + name + ": '" + std::string(t.columns[col].display(r)) + "' (row " +
                    std::to_string(r + 1) + ") is not one of the allowed values");
                return;
            }
    };
    checkSet(c.category, catalogCategories(), "category");
    checkSet(c.status, catalogStatuses(), "status");
    checkSet(c.locationAccuracy, locationAccuracies(), "location_accuracy");
    for (size_t r = 0; r < t.featureCount(); ++r) {
        const Column& s = t.columns[c.section];
        if (s.isNull(r) || s.integer(r) < 1 || s.integer(r) > kSectionCount) {
            add("field section: row " + std::to_string(r + 1) + " is not a section number 1-9");
            break;
        }
    }
    return problems;
}

bool isCatalog(const FeatureTable& table) { return catalogProblems(table).empty(); }

bool looksLikeCatalog(const FeatureTable& table) {
    int found = 0;
    for (const FieldSpec& f : kFields) found += table.columnIndex(f.name) >= 0;
    return found >= 3;
}

CatalogColumns validateCatalog(const FeatureTable& table, const std::string& path, const std::string& layer) {
    std::string problems = catalogProblems(table);
    if (!problems.empty()) throw FormatError(path, layer, "not a plan-project catalog:\n" + problems);
    return columnsOf(table);
}

bool matchesFilter(const FeatureTable& t, const CatalogColumns& c, size_t row, const CatalogFilter& f) {
    if (!f.sections.empty() && !f.sections.count(static_cast<int>(t.columns[c.section].integer(row)))) return false;
    if (!f.categories.empty() && !f.categories.count(std::string(t.columns[c.category].text(row)))) return false;
    if (!f.statuses.empty() && !f.statuses.count(std::string(t.columns[c.status].text(row)))) return false;
    if (f.maxYear > 0 && (t.columns[c.planYear].isNull(row) || t.columns[c.planYear].integer(row) > f.maxYear))
        return false;
    if (!f.phase.empty() && t.columns[c.status].text(row) != f.phase) return false;
    if (!f.query.empty()) {
        std::string_view zh = t.columns[c.nameZh].text(row);
        if (zh.find(f.query) == std::string_view::npos &&
            lower(t.columns[c.nameEn].text(row)).find(lower(f.query)) == std::string::npos &&
            lower(t.columns[c.id].text(row)) != lower(f.query))
            return false;
    }
    return true;
}

std::pair<int, int> planYearRange(const FeatureTable& t, const CatalogColumns& c) {
    int lo = 0, hi = 0;
    for (size_t r = 0; r < t.featureCount(); ++r) {
        if (t.columns[c.planYear].isNull(r)) continue;
        int y = static_cast<int>(t.columns[c.planYear].integer(r));
        if (!lo || y < lo) lo = y;
        if (!hi || y > hi) hi = y;
    }
    return {lo, hi};
}

std::vector<uint32_t> filterProjects(const FeatureTable& t, const CatalogColumns& c, const CatalogFilter& f) {
    std::vector<uint32_t> rows;
    for (size_t r = 0; r < t.featureCount(); ++r)
        if (matchesFilter(t, c, r, f)) rows.push_back(static_cast<uint32_t>(r));
    std::stable_sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
        int64_t sa = t.columns[c.section].integer(a), sb = t.columns[c.section].integer(b);
        if (sa != sb) return sa < sb;
        return t.columns[c.id].text(a) < t.columns[c.id].text(b);
    });
    return rows;
}

CatalogCounts countProjects(const FeatureTable& t, const CatalogColumns& c, const CatalogFilter& f) {
    CatalogCounts out;
    out.perCategory.assign(catalogCategories().size(), 0);
    out.perStatus.assign(catalogStatuses().size(), 0);
    CatalogFilter noSection = f, noCategory = f, noStatus = f;
    noSection.sections.clear();
    noCategory.categories.clear();
    noStatus.statuses.clear();
    for (size_t r = 0; r < t.featureCount(); ++r) {
        if (matchesFilter(t, c, r, f)) ++out.matching;
        if (matchesFilter(t, c, r, noSection)) {
            int64_t s = t.columns[c.section].integer(r);
            if (s >= 1 && s <= kSectionCount) ++out.perSection[s - 1];
        }
        if (matchesFilter(t, c, r, noCategory)) {
            auto& cats = catalogCategories();
            auto it = std::find(cats.begin(), cats.end(), t.columns[c.category].text(r));
            if (it != cats.end()) ++out.perCategory[it - cats.begin()];
        }
        if (matchesFilter(t, c, r, noStatus)) {
            auto& sts = catalogStatuses();
            auto it = std::find(sts.begin(), sts.end(), t.columns[c.status].text(r));
            if (it != sts.end()) ++out.perStatus[it - sts.begin()];
        }
    }
    return out;
}

}  // namespace geo
