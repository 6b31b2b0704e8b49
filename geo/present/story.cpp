#include "present/story.hpp"

#include <algorithm>

namespace geo {

namespace {

const char* const kChineseNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};

bool external(const FeatureTable& t, size_t row) {
    int scope = t.columnIndex("scope");
    return scope >= 0 && !t.columns[scope].isNull(row) && t.columns[scope].text(row) == "external";
}

// The text in the story's language: Chinese, English, or both ("中文 · English", or on two lines).
struct Words {
    const std::string& language;
    std::string pick(const std::string& zh, const std::string& en, const char* both) const {
        if (language == "zh") return zh;
        if (language == "en") return en;
        return zh + both + en;
    }
};

}  // namespace

std::vector<Slide> generateStory(const FeatureTable& t, const CatalogColumns& c, const std::vector<std::string>& dossiers,
                                 const std::string& language) {
    const Words w{language};
    std::vector<Slide> slides;
    std::vector<std::string> district;  // every project inside the district: the "whole district" view
    for (size_t r = 0; r < t.featureCount(); ++r)
        if (!external(t, r)) district.push_back(std::string(t.columns[c.id].text(r)));

    Slide title;
    const std::string count = std::to_string(t.featureCount());
    title.title = w.pick("坪山区2024年重点工作", "Pingshan 2024 work plan", " · ");
    title.caption = w.pick(count + " 个项目，九大篇章", count + " projects in nine sections", "\n");
    title.fitProjects = district;
    slides.push_back(title);

    for (const auto& sec : planSections()) {
        Slide s;
        s.title = w.pick(std::string(kChineseNumbers[sec.number - 1]) + "、" + sec.zh, sec.en, " · ");
        if (language == "en") s.title = std::to_string(sec.number) + ". " + sec.en;
        std::vector<std::string> names;
        for (size_t r = 0; r < t.featureCount(); ++r) {
            if (t.columns[c.section].integer(r) != sec.number) continue;
            std::string id(t.columns[c.id].text(r));
            s.highlight.push_back(id);
            if (!external(t, r)) s.fitProjects.push_back(id);
            names.push_back(std::string(t.columns[language == "en" ? c.nameEn : c.nameZh].text(r)));
        }
        if (s.highlight.empty()) {
            s.caption = w.pick("本篇章无具体选址项目", "No mapped sites in this section", "\n");
            s.fitProjects = district;
        } else {
            const std::string n = std::to_string(names.size());
            s.caption = language == "zh"   ? n + " 个项目："
                        : language == "en" ? n + " projects: "
                                           : n + " 个项目 / projects：";
            const char* comma = language == "en" ? ", " : "、";
            for (size_t i = 0; i < names.size() && i < 6; ++i) s.caption += (i ? comma : "") + names[i];
            if (names.size() > 6) s.caption += language == "en" ? ", …" : "等";
            if (s.fitProjects.empty()) s.fitProjects = district;
        }
        slides.push_back(s);
    }

    for (const auto& id : dossiers) {
        for (size_t r = 0; r < t.featureCount(); ++r) {
            if (t.columns[c.id].text(r) != id) continue;
            Slide s;
            const auto text = [&](int column) { return std::string(t.columns[column].text(r)); };
            s.title = text(language == "en" ? c.nameEn : c.nameZh);
            s.caption = language.empty() ? text(c.nameEn) + "\n" : std::string();
            s.caption += text(c.category) + " · " + text(c.status) + " · " +
                         text(language == "en" ? c.sectionTitleEn : c.sectionTitleZh) + "\n";
            if (language != "en") s.caption += text(c.summaryZh) + "\n";  // the summary is in Chinese only
            s.caption += w.pick("位置", "location", " ") + ": " + text(c.locationAccuracy);
            if (c.locationSource >= 0 && !t.columns[c.locationSource].isNull(r)) s.caption += " — " + text(c.locationSource);
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
