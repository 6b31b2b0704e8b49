#include <imgui.h>

#include <string>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

void drawMessagesPanel(UiState& state, const std::deque<Message>& messages, Actions& actions) {
    ImGui::SetNextWindowSize(ImVec2(560, 260), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin((std::string(tr("Messages")) + "###messages").c_str(), &state.showMessages)) {
        ImGui::End();
        return;
    }
    state.unreadErrors = 0;
    if (ImGui::SmallButton(tr("Clear"))) actions.clearMessages = true;
    ImGui::Separator();
    ImGui::BeginChild("##log");
    for (const auto& m : messages) {
        ImVec4 color = m.level == Message::Error     ? ImVec4(0.95f, 0.35f, 0.35f, 1)
                       : m.level == Message::Warning ? ImVec4(0.95f, 0.75f, 0.3f, 1)
                                                     : ImGui::GetStyleColorVec4(ImGuiCol_Text);
        ImGui::PushStyleColor(ImGuiCol_Text, color);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(m.text.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace app::ui
