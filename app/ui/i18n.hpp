#pragma once
// The UI language: 简体中文 or English, one table (i18n.cpp), no doubled labels.
//
// Every string the UI shows goes through tr(english): in English it is returned as it is, in Chinese the table's
// translation (a test checks every tr("…") literal in app/ has one). ImGui IDs that must survive a language
// switch use "###id" after the text. Main thread only.
#include <string>
#include <vector>

namespace app::ui {

enum class Language { Chinese, English };

void setLanguage(Language language);
Language language();
// "zh…" in LC_ALL, LC_MESSAGES or LANG (the first set, in that order) → Chinese; else English.
Language languageFromLocale();

const char* tr(const char* english);
// tr() with printf-style arguments, e.g. trf("%zu of %zu projects", n, total).
std::string trf(const char* english, ...);
// Every translation the table has (the font atlas must cover them).
std::vector<std::string> allTranslations();
// True when the table has a Chinese text for `english` (tests).
bool hasTranslation(const std::string& english);

}  // namespace app::ui
