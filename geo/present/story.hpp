#pragma once
// Stories for meetings: slides generated from the plan-project catalog, and the slide-navigation state.
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "project/project.hpp"

namespace geo {

// A title slide for the district, one slide per plan section (its projects spotlighted and fitted; a section
// without mapped sites shows the district and says so), then one dossier slide per project id in `dossiers`.
// Projects outside the district (scope "external") are spotlighted but not fitted, so a section slide stays on
// Pingshan. Unknown ids in `dossiers` are skipped.
// `language` is the project's: "zh" Chinese only, "en" English only, "" both (bilingual meetings).
std::vector<Slide> generateStory(const FeatureTable& catalog, const CatalogColumns& columns,
                                 const std::vector<std::string>& dossiers = {}, const std::string& language = "");

// Which slide is showing. Moves clamp at the ends (a clicker pressed once too often stays on the last slide).
class SlideDeck {
public:
    explicit SlideDeck(size_t count = 0) : count_(count) {}
    size_t count() const { return count_; }
    size_t index() const { return index_; }
    bool empty() const { return count_ == 0; }
    // Each returns true when the slide changed.
    bool next();
    bool previous();
    bool first();
    bool last();
    bool goTo(size_t index);
    void resize(size_t count);  // keeps the index inside the new count

private:
    size_t count_ = 0, index_ = 0;
};

}  // namespace geo
