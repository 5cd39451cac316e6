// view_branches.cpp - the top bar's hands-on buttons (Compose..., Branches) and the branch list
// (issue 12): every branch of the run (the lesson as written, and each rewind-then-act) with the
// current one marked, a click to switch (Requests::switch_branch), and "Save as lesson..." with a
// path field (Requests::save_lesson: the current branch written as a lesson that `smtpsim run`
// replays to the same trace).
#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/view_hands.hpp"

namespace smtpsim::viz {

namespace {

// depth - how many forks lie between a branch and the lesson (for indenting the list).
int depth(const Scene& s, const SceneBranch& b) {
  int d = 0;
  int p = b.parent;
  while (p >= 0 && d < 32) {
    ++d;
    auto it = std::find_if(s.branches.begin(), s.branches.end(), [&](const SceneBranch& x) { return x.id == p; });
    if (it == s.branches.end()) break;
    p = it->parent;
  }
  return d;
}

// current_branch - the current branch's id (0 when none is listed).
int current_branch(const Scene& s) {
  for (const SceneBranch& b : s.branches)
    if (b.current) return b.id;
  return 0;
}

}  // namespace

void draw_hands_buttons(const Scene& s, UiState& ui) {
  if (ImGui::SmallButton("Compose...")) {
    if (ui.hands.compose_open) ui.hands.compose_open = false;
    else open_compose(s, ui);
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Send a new message now, from any client of the lesson");
  ImGui::SameLine();
  char label[48];
  std::snprintf(label, sizeof label, "Branches (%d)###branches", std::max<int>(1, static_cast<int>(s.branches.size())));
  if (ImGui::SmallButton(label)) ui.hands.branches_open = !ui.hands.branches_open;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("What you did by hand, and the runs you rewound and changed; save one as a lesson");
}

void draw_branches(const Scene& s, UiState& ui) {
  HandsUi& h = ui.hands;
  if (!h.branches_open) return;
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float fh = ImGui::GetFontSize();
  const float w = std::min(d.x - 40, fh * 36);
  // over the canvas' top-right corner: the clock, the timeline and the card stay in view
  const float x = ui.canvas_w > 0 ? ui.canvas_x + ui.canvas_w - w - 8 : d.x - w - 20;
  const float y = ui.canvas_w > 0 ? ui.canvas_y + 8 : fh * 9;
  ImGui::SetNextWindowPos(ImVec2(std::max(x, 0.f), y), ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(ImVec2(w, 0), ImGuiCond_Appearing);
  ImGui::SetNextWindowBgAlpha(1.f);
  if (!ImGui::Begin("Branches of this run", &h.branches_open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  ImGui::TextWrapped("Drag the timeline back and do something different: a new branch starts there. The old one "
                     "stays here; click it to go back to it.");
  ImGui::Separator();
  if (s.branches.empty()) {
    ImGui::Selectable("> branch 0: the lesson as written", true);
  } else {
    for (const SceneBranch& b : s.branches) {
      ImGui::PushID(b.id);
      ImGui::Indent(static_cast<float>(depth(s, b)) * fh);
      std::string label = (b.current ? "> " : "  ") + b.label + (b.current ? "   (you are here)" : "");
      if (b.label.empty()) label += b.id == 0 ? "branch 0: the lesson as written" : "branch " + std::to_string(b.id);
      if (ImGui::Selectable(label.c_str(), b.current) && !b.current) ui.req.switch_branch = b.id;
      if (ImGui::IsItemHovered()) {
        TimeText fork(b.fork_us);
        if (b.parent >= 0)
          ImGui::SetTooltip("forked from branch %d at %s; %d action(s) by hand%s", b.parent, fork.c_str(), b.actions,
                            b.current ? " (you are here)" : " - click to switch to it");
        else
          ImGui::SetTooltip("%d action(s) by hand%s", b.actions, b.current ? " (you are here)" : " - click to switch to it");
      }
      ImGui::Unindent(static_cast<float>(depth(s, b)) * fh);
      ImGui::PopID();
    }
  }
  ImGui::Separator();
  ImGui::Text("Save branch %d as a lesson", current_branch(s));
  ImGui::TextDisabled("the lesson's text with your actions appended; `smtpsim run FILE` replays it");
  ImGui::SetNextItemWidth(-fh * 5);
  ImGui::InputText("##save_path", h.save_path, sizeof h.save_path);
  ImGui::SameLine();
  bool ok = h.save_path[0] != 0;
  if (!ok) ImGui::BeginDisabled();
  if (ImGui::Button("Save")) ui.req.save_lesson = std::string(h.save_path);
  if (!ok) ImGui::EndDisabled();
  ImGui::End();
}

}  // namespace smtpsim::viz
