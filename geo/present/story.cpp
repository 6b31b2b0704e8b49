#include "present/story.hpp"

#include <algorithm>

namespace geo {

namespace {

const char* const kChineseNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};

bool external(const FeatureTable& t, size_t row) {
    int scope = t.columnIndex("scope");
    return scope >= 0 && !t.columns[scope].isNull(row) && t.columns[scope].text(row) == "external";
}

}  // namespace

std::vector<Slide> generateStory(const FeatureTable& t, const CatalogColumns& c, const std::vector<std::string>& dossiers) {
    std::vector<Slide> slides;
    std::vector<std::string> district;  // every project inside the district: the "whole district" view
    for (size_t r = 0; r < t.featureCount(); ++r)
        if (!external(t, r)) district.push_back(std::string(t.columns[c.id].text(r)));

    Slide title;
    title.title = "坪山区2024年重点工作 · Pingshan 2024 work plan";
    title.caption = std::to_string(t.featureCount()) + " 个项目，九大篇章\n" + std::to_string(t.featureCount()) +
                    " projects in nine sections";
    title.fitProjects = district;
    slides.push_back(title);

    for (const auto& sec : planSections()) {
        Slide s;
        s.title = std::string(kChineseNumbers[sec.number - 1]) + "、" + sec.zh + " · " + sec.en;
        std::vector<std::string> names;
        for (size_t r = 0; r < t.featureCount(); ++r) {
            if (t.columns[c.section].integer(r) != sec.number) continue;
            std::string id(t.columns[c.id].text(r));
            s.highlight.push_back(id);
            if (!external(t, r)) s.fitProjects.push_back(id);
            names.push_back(std::string(t.columns[c.nameZh].text(r)));
        }
        if (s.highlight.empty()) {
            s.caption = "本篇章无具体选址项目\nNo mapped sites in this section";
            s.fitProjects = district;
        } else {
            s.caption = std::to_string(names.size()) + " 个项目 / projects：";
            for (size_t i = 0; i < names.size() && i < 6; ++i) s.caption += (i ? "、" : "") + names[i];
            if (names.size() > 6) s.caption += "等";
            if (s.fitProjects.empty()) s.fitProjects = district;
        }
        slides.push_back(s);
    }

    for (const auto& id : dossiers) {
        for (size_t r = 0; r < t.featureCount(); ++r) {
            if (t.columns[c.id].text(r) != id) continue;
            Slide s;
            s.title = std::string(t.columns[c.nameZh].text(r));
            s.caption = std::string(t.columns[c.nameEn].text(r)) + "\n" + std::string(t.columns[c.category].text(r)) +
                        " · " + std::string(t.columns[c.status].text(r)) + " · " +
                        std::string(t.columns[c.sectionTitleZh].text(r)) + "\n" +
                        std::string(t.columns[c.summaryZh].text(r)) + "\n位置 location: " +
                        std::string(t.columns[c.locationAccuracy].text(r));
            if (c.locationSource >= 0 && !t.columns[c.locationSource].isNull(r))
                s.caption += " — " + std::string(t.columns[c.locationSource].text(r));
            s.fitProjects = {id};
            s.highlight = {id};
            slides.push_back(s);
            break;
        }
    }
    return slides;
}

bool SlideDeck::next() { return goTo(index_ + 1); }
bool SlideDeck::previous() { return index_ > 0 && goTo(index_ - 1); }
bool SlideDeck::first() { return goTo(0); }
bool SlideDeck::last() { return count_ > 0 && goTo(count_ - 1); }

bool SlideDeck::goTo(size_t index) {
    if (count_ == 0 || index >= count_ || index == index_) return false;
    index_ = index;
    return true;
}

void SlideDeck::resize(size_t count) {
    count_ = count;
    if (index_ >= count_) index_ = count_ ? count_ - 1 : 0;
}

}  // namespace geo
