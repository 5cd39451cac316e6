// view_lesson.cpp - the lesson beside the network: title and summary, the narration card of now
// (step i of n, previous/next, a Continue button when the player paused on it), the expectations
// turning green or red as they are decided, and the summary line once the run is finished.
#include <string>
#include <vector>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// expectation - one expectation with its status mark; the detail on hover.
void expectation(const SceneExpect& e) {
  ImU32 c = e.status == "pass" ? col::k2xx : e.status == "fail" ? col::k5xx : IM_COL32(150, 150, 160, 255);
  const char* mark = e.status == "pass" ? "PASS" : e.status == "fail" ? "FAIL" : "wait";
  ImGui::TextColored(to_vec4(c), "%s", mark);
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(e.status == "pending" ? IM_COL32(170, 170, 180, 255) : IM_COL32(235, 235, 240, 255)));
  ImGui::TextWrapped("%s", e.text.c_str());
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered() && !e.detail.empty()) ImGui::SetTooltip("%s", e.detail.c_str());
}

// card_terms - the glossary terms of the card as small chips with their explanation on hover
// (computed once per card text).
void card_terms(const std::string& text) {
  static std::string last;
  static std::vector<std::string> terms;
  if (text != last) {
    last = text;
    terms = glossary_terms_in(text);
  }
  if (terms.empty()) return;
  ImGui::TextDisabled("Words (hover):");
  for (const std::string& t : terms) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(t.c_str()).x + 12) ImGui::NewLine();
    ImGui::SmallButton(t.c_str());
    term_tooltip(t);
  }
}

}  // namespace

// draw_lesson - title, summary or card, navigation, expectations, summary line.
void draw_lesson(const Scene& s, UiState& ui) {
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(to_vec4(col::k3xx), "%s", s.title.c_str());
  if (s.card.index < 0) {
    ImGui::TextWrapped("%s", s.summary.c_str());
    ImGui::Spacing();
    ImGui::TextDisabled("Press Play: the first card comes with the first step.");
  } else {
    ImGui::Separator();
    ImGui::TextDisabled("Step %d of %d", s.card.index + 1, s.card.count);
    ImGui::Text("%s", s.card.title.c_str());
    ImGui::Spacing();
    ImGui::TextWrapped("%s", s.card.text.c_str());  // wraps long lines; '\n' from `|` blocks stay
    card_terms(s.card.title + " " + s.card.text);
  }
  ImGui::Spacing();
  if (s.card.pausing) {
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(col::k3xx));
    if (ImGui::Button("Continue >", ImVec2(-1, 0)) && !s.playing) ui.req.toggle_play = true;  // playing clears the pause
    ImGui::PopStyleColor();
    ImGui::TextDisabled("The story stopped here so you can look around.");
  }
  ImGui::BeginDisabled(s.card.index <= 0);
  if (ImGui::Button("< previous card")) ui.req.prev_card = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(s.card.count > 0 && s.card.index + 1 >= s.card.count);
  if (ImGui::Button("next card >")) ui.req.next_card = true;
  ImGui::EndDisabled();

  if (!s.expects.empty()) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextDisabled("What the lesson checks");
    for (const SceneExpect& e : s.expects) expectation(e);
  }
  if (s.finished && !s.summary_line.empty()) {
    ImGui::Separator();
    bool failed = false;
    for (const SceneExpect& e : s.expects) failed |= e.status == "fail";
    ImGui::TextColored(to_vec4(failed ? col::k5xx : col::k2xx), "%s", s.summary_line.c_str());
    if (!s.summary.empty()) ImGui::TextWrapped("%s", s.summary.c_str());
  }
  ImGui::PopTextWrapPos();
}

}  // namespace smtpsim::viz
