// view_error.cpp - a bad lesson's diagnostics (file:line:col: what) in a clear panel instead of a
// crash, and the lesson picker (the lessons with their titles; a click requests open_lesson).
#include <string_view>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// picker - one selectable line per lesson: name and title.
void picker(const Scene& s, UiState& ui) {
  ImGui::TextColored(to_vec4(col::k3xx), "Open a lesson");
  if (s.lessons.empty()) {
    ImGui::TextDisabled("No lessons found (smtpsim list shows them; start smtpsim-viz FILE.yaml).");
    return;
  }
  for (const SceneLesson& l : s.lessons) {
    bool cur = l.path == s.file;
    if (ImGui::Selectable(l.name.c_str(), cur, ImGuiSelectableFlags_AllowItemOverlap)) {
      ui.req.open_lesson = l.path;
      ui.show_picker = false;
    }
    ImGui::SameLine(180);
    ImGui::TextDisabled("%s", l.title.c_str());
  }
}

}  // namespace

// draw_error - the diagnostics (one line each, file:line:col first), then the picker.
void draw_error(const Scene& s, UiState& ui) {
  if (!s.error.empty()) {
    ImGui::TextColored(to_vec4(col::k5xx), "This lesson could not be opened");
    ImGui::Separator();
    ImGui::PushTextWrapPos(0);
    std::string_view rest = s.error;
    while (!rest.empty()) {
      std::size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      ImGui::TextWrapped("%.*s", static_cast<int>(line.size()), line.data());
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    ImGui::PopTextWrapPos();
    ImGui::TextDisabled("Fix the file at that line and column, then open it again (or pick another lesson).");
    ImGui::Spacing();
    ImGui::Separator();
  }
  picker(s, ui);
  if (s.error.empty() && ImGui::Button("Close")) ui.show_picker = false;
}

}  // namespace smtpsim::viz
