// view_predict.cpp - predict mode's panel: while a reply is hidden, who is about to answer what,
// the choices (buttons 1..4, keys 1..4), a field to type the code, Skip; after an answer, right or
// not, the reply that came and the tutor's explanation; always the score.
#include <algorithm>
#include <cstdlib>
#include <string>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// score_line - "Score: 3 of 5 right" (or how predict mode works, before the first question).
void score_line(const ScenePredict& p) {
  if (p.asked == 0) ImGui::TextDisabled("Predict mode: the run stops before each reply and asks what comes.");
  else ImGui::TextDisabled("Score: %d of %d right", p.right, p.asked);
}

// question - the open question: the exchange so far and the choices.
void question(const ScenePredict& p, UiState& ui) {
  ImGui::TextColored(to_vec4(col::kSelect), "What does %s answer?", p.server.c_str());
  if (p.command.empty()) ImGui::TextWrapped("%s has just connected: the server speaks first.", p.client.c_str());
  else {
    ImGui::TextDisabled("%s sent:", p.client.c_str());
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(col::kCommand), "%s", p.command.c_str());
  }
  ImGui::Spacing();
  float label_w = 0;  // the buttons as wide as the widest label: the rest of the line for the text
  for (std::size_t i = 0; i < p.choices.size(); ++i)
    label_w = std::max(label_w, ImGui::CalcTextSize((std::to_string(i + 1) + "  " + p.choices[i].label).c_str()).x);
  label_w += ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetFontSize();
  for (std::size_t i = 0; i < p.choices.size(); ++i) {
    const ScenePredictChoice& c = p.choices[i];
    std::string b = std::to_string(i + 1) + "  " + c.label;  // unique: it starts with its number
    if (ImGui::Button(b.c_str(), ImVec2(label_w, 0))) ui.req.predict_pick = int(i);
    ImGui::SameLine();
    ImGui::TextWrapped("%s", c.text.empty() ? "(no text)" : c.text.c_str());
  }
  if (p.numeric) {
    ImGui::TextDisabled("or type the code:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000").x + ImGui::GetStyle().FramePadding.x * 2);
    bool enter = ImGui::InputText("##code", ui.predict_input, sizeof ui.predict_input,
                                  ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button("Check") || enter) && ui.predict_input[0]) {
      ui.req.predict_code = std::atoi(ui.predict_input);
      ui.predict_input[0] = 0;
    }
    ImGui::SameLine();
  }
  if (ImGui::Button("Skip: show the reply")) ui.req.predict_skip = true;
}

// verdict - the last answer: right or not, the reply, the tutor's explanation.
void verdict(const ScenePredict& p) {
  if (p.guess == "skipped") ImGui::TextColored(to_vec4(col::k3xx), "Skipped.");
  else if (p.was_right) ImGui::TextColored(to_vec4(col::k2xx), "Right!");
  else ImGui::TextColored(to_vec4(col::k5xx), "Not quite - you said %s.", p.guess.c_str());
  int code = reply_code_in(p.reply);
  ImGui::TextDisabled("The reply:");
  ImGui::SameLine();
  ImGui::TextColored(to_vec4(reply_color(code)), "%s", p.reply.c_str());
  ImGui::TextWrapped("%s", p.explanation.c_str());
}

}  // namespace

// draw_predict - the panel's content in the current window.
void draw_predict(const Scene& s, UiState& ui) {
  const ScenePredict& p = s.predict;
  if (!p.on) return;
  ImGui::PushTextWrapPos(0);
  if (p.waiting) question(p, ui);
  else if (p.answered) {
    verdict(p);
    if (!s.playing && !s.finished) ImGui::TextDisabled("Press Play (Space) to go on.");
  }
  score_line(p);
  ImGui::PopTextWrapPos();
}

}  // namespace smtpsim::viz
