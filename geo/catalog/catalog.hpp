#pragma once
// The plan-project catalog: its schema (validated with an error that lists every problem), filters by section,
// category and status, and search by Chinese or English name. Works on any FeatureTable with the fields, so
// planners can load their own file.
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/feature_table.hpp"

namespace geo {

constexpr int kSectionCount = 9;

struct SectionTitle {
    int number;
    const char* zh;
    const char* en;
};
// The nine sections of the 2024 work plan, in order (section 9 has no sites but is always listed).
const std::array<SectionTitle, kSectionCount>& planSections();
const std::vector<std::string>& catalogCategories();  // the ten categories, in legend order
const std::vector<std::string>& catalogStatuses();    // planned ... operating, in lifecycle order
// How far a feature's geometry can be trusted, best first: surveyed, anchored (placed on a named open-data
// feature), approximate (within a few hundred metres), schematic (illustrative shape; drawn dashed).
const std::vector<std::string>& locationAccuracies();

// Column indices of a validated catalog table.
struct CatalogColumns {
    int id = -1, nameZh = -1, nameEn = -1, section = -1, sectionTitleZh = -1, sectionTitleEn = -1, category = -1,
        status = -1, planYear = -1, summaryZh = -1, locationAccuracy = -1, source = -1;
    int locationSource = -1;  // optional (catalogs made before it existed have none): -1 when absent
};

// Every required field with its type; "" when the table is a valid catalog, otherwise one line per problem
// (missing field, wrong type, value outside the allowed set with the first offending row). The optional
// location_source field, when present, must be text.
std::string catalogProblems(const FeatureTable& table);
bool isCatalog(const FeatureTable& table);
// True when the table has at least three of the catalog's fields (so a failed validation is worth reporting).
bool looksLikeCatalog(const FeatureTable& table);
// Throws FormatError(path, layer, problems) when the table is not a valid catalog.
CatalogColumns validateCatalog(const FeatureTable& table, const std::string& path = "", const std::string& layer = "");

struct CatalogFilter {
    std::set<int> sections;            // empty = all
    std::set<std::string> categories;  // empty = all
    std::set<std::string> statuses;    // empty = all
    std::string query;                 // substring of name_zh or name_en (English case-insensitive)
    // The timeline (geo::Timeline): planned up to this year (0 = every year), at exactly this phase ("" = all).
    int maxYear = 0;
    std::string phase;
};

bool matchesFilter(const FeatureTable& table, const CatalogColumns& c, size_t row, const CatalogFilter& f);
// The smallest and largest plan_year of the catalog (0, 0 when it has none): the timeline slider's range.
std::pair<int, int> planYearRange(const FeatureTable& table, const CatalogColumns& c);
// Rows passing the filter, ordered by section, then id.
std::vector<uint32_t> filterProjects(const FeatureTable& table, const CatalogColumns& c, const CatalogFilter& f);

struct CatalogCounts {
    std::array<size_t, kSectionCount> perSection{};  // rows matching everything but the section filter
    std::vector<size_t> perCategory;                 // aligned with catalogCategories(); all but the category filter
    std::vector<size_t> perStatus;                   // aligned with catalogStatuses(); all but the status filter
    size_t matching = 0;
};
// Counts for each filter value given the other filters, as a faceted search shows them.
CatalogCounts countProjects(const FeatureTable& table, const CatalogColumns& c, const CatalogFilter& f);

}  // namespace geo
