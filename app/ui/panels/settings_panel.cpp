// The settings window: edits a draft of the settings; Apply queues it, the viewer saves and applies it.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/i18n.hpp"
#include "ui/panels/settings_help.hpp"

namespace app::ui {

namespace {

// The window's text, in one place.
constexpr const char* kTitle = "Settings###settings";
constexpr const char* kLanguage = "Language";
constexpr const char* kFromLocale = "From the system locale";
constexpr const char* kChinese = "简体中文";
constexpr const char* kEnglish = "English";
constexpr const char* kUiScale = "UI scale";
constexpr const char* kAutoScale = "Automatic (from the monitor)";
constexpr const char* kBasemapKeys = "Basemap keys";
constexpr const char* kKeysNote = "Access keys of online basemaps, by host (also serves its subdomains); a tile URL says "
                                  "{key} where it goes. Stored in your settings file only (mode 0600), never in a project.";
constexpr const char* kKeyNameHint = "host, e.g. tianditu.gov.cn";
constexpr const char* kKeyHint = "key";
constexpr const char* kRemoveKey = "Remove this key";
constexpr const char* kAddKey = "Add this key";
constexpr const char* kCache = "Cache size (MiB)";
constexpr const char* kExportFolder = "Default export folder";
constexpr const char* kExportFolderHint = "(the last folder used)";
constexpr const char* kExportDpi = "Default export DPI";
constexpr const char* kApply = "Apply";
constexpr const char* kOk = "OK";
constexpr const char* kRevert = "Revert";
constexpr const char* kApplyTip = "Save the settings and apply them now";
constexpr const char* kWhere = "Saved in $XDG_CONFIG_HOME/planatlas/settings.json (~/.config/planatlas).";

template <size_t N>
void copyTo(std::array<char, N>& out, const std::string& text) {
    std::snprintf(out.data(), N, "%s", text.c_str());
}

void loadDraft(SettingsDraft& d, const platform::Settings& s) {
    d = SettingsDraft{};
    d.loaded = true;
    d.language = s.language == "zh" ? 1 : s.language == "en" ? 2 : 0;
    d.autoScale = s.uiScale <= 0;
    d.uiScale = s.uiScale > 0 ? s.uiScale : 1.0f;
    for (const auto& [name, key] : s.basemapKeys) {
        SettingsDraft::Key k;
        copyTo(k.name, name);
        copyTo(k.key, key);
        d.keys.push_back(k);
    }
    d.cacheSizeMiB = s.cacheSizeMiB;
    copyTo(d.exportFolder, s.defaultExportFolder);
    d.exportDpi = s.defaultExportDpi;
}

// The draft over the current settings (recent projects and the last folder are not edited here).
platform::Settings fromDraft(const SettingsDraft& d, const platform::Settings& current) {
    platform::Settings s = current;
    s.language = d.language == 1 ? "zh" : d.language == 2 ? "en" : "";
    s.uiScale = d.autoScale ? 0.0f : std::clamp(d.uiScale, platform::Settings::kMinUiScale, platform::Settings::kMaxUiScale);
    s.basemapKeys.clear();
    for (const auto& k : d.keys)
        if (k.name[0]) s.basemapKeys[k.name.data()] = k.key.data();
    s.cacheSizeMiB = std::max(0, d.cacheSizeMiB);
    s.defaultExportFolder = d.exportFolder.data();
    s.defaultExportDpi = std::clamp(d.exportDpi, platform::Settings::kMinDpi, platform::Settings::kMaxDpi);
    return s;
}

void tooltip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

void drawKeys(SettingsDraft& d) {
    ImGui::TextUnformatted(tr(kBasemapKeys));
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", tr(kKeysNote));
    ImGui::PopTextWrapPos();
    const float nameWidth = ImGui::GetFontSize() * 9;
    int remove = -1;
    for (size_t i = 0; i < d.keys.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        ImGui::SetNextItemWidth(nameWidth);
        ImGui::InputText("##name", d.keys[i].name.data(), d.keys[i].name.size());
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-ImGui::GetFrameHeightWithSpacing() * 1.5f);
        ImGui::InputText("##key", d.keys[i].key.data(), d.keys[i].key.size(), ImGuiInputTextFlags_Password);
        ImGui::SameLine();
        if (ImGui::SmallButton("×")) remove = static_cast<int>(i);
        tooltip(tr(kRemoveKey));
        ImGui::PopID();
    }
    if (remove >= 0) d.keys.erase(d.keys.begin() + remove);
    ImGui::SetNextItemWidth(nameWidth);
    ImGui::InputTextWithHint("##newname", tr(kKeyNameHint), d.newKeyName.data(), d.newKeyName.size());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-ImGui::GetFrameHeightWithSpacing() * 1.5f);
    ImGui::InputTextWithHint("##newkey", tr(kKeyHint), d.newKey.data(), d.newKey.size(), ImGuiInputTextFlags_Password);
    ImGui::SameLine();
    if (ImGui::SmallButton("+") && d.newKeyName[0]) {
        d.keys.push_back({d.newKeyName, d.newKey});
        d.newKeyName[0] = 0;
        d.newKey[0] = 0;
    }
    tooltip(tr(kAddKey));
}

}  // namespace

void drawSettingsWindow(UiState& state, const platform::Settings& current, Actions& actions) {
    SettingsDraft& d = state.settingsDraft;
    if (!state.showSettings) {
        d.loaded = false;  // the next opening shows the settings as they are then
        return;
    }
    if (!d.loaded) loadDraft(d, current);
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin(tr(kTitle), &state.showSettings)) {
        ImGui::End();
        return;
    }
    ImGui::TextUnformatted(tr(kLanguage));
    ImGui::RadioButton(tr(kFromLocale), &d.language, 0);
    ImGui::SameLine();
    ImGui::RadioButton(kChinese, &d.language, 1);
    ImGui::SameLine();
    ImGui::RadioButton(kEnglish, &d.language, 2);

    ImGui::Separator();
    ImGui::TextUnformatted(tr(kUiScale));
    ImGui::Checkbox(tr(kAutoScale), &d.autoScale);
    if (!d.autoScale) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
        ImGui::SliderFloat("##scale", &d.uiScale, platform::Settings::kMinUiScale, platform::Settings::kMaxUiScale,
                           "%.2fx");
    }

    ImGui::Separator();
    drawKeys(d);

    ImGui::Separator();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::InputInt(tr(kCache), &d.cacheSizeMiB, 64, 512);
    d.cacheSizeMiB = std::clamp(d.cacheSizeMiB, 0, 1 << 20);
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 11);
    ImGui::InputTextWithHint(tr(kExportFolder), tr(kExportFolderHint), d.exportFolder.data(), d.exportFolder.size());
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::InputInt(tr(kExportDpi), &d.exportDpi, 50, 100);
    d.exportDpi = std::clamp(d.exportDpi, platform::Settings::kMinDpi, platform::Settings::kMaxDpi);

    ImGui::Separator();
    if (ImGui::Button(tr(kOk))) {
        actions.applySettings = fromDraft(d, current);
        state.showSettings = false;
    }
    tooltip(tr(kApplyTip));
    ImGui::SameLine();
    if (ImGui::Button(tr(kApply))) actions.applySettings = fromDraft(d, current);
    tooltip(tr(kApplyTip));
    ImGui::SameLine();
    if (ImGui::Button(tr(kRevert))) d.loaded = false;
    ImGui::TextDisabled("%s", tr(kWhere));
    ImGui::End();
}

}  // namespace app::ui
