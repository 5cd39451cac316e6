// view_keys.cpp - the keyboard, all in one place: the table of shortcuts (what --help prints and
// the help window shows), handle_keys() that turns a frame's key presses into requests, and the
// help window. Letters and signs are read as typed characters (any keyboard layout), the arrows
// and Space as keys; nothing is read while a text field has the keyboard.
#include <algorithm>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

const std::vector<KeyHelp>& keys_help() {
  static const std::vector<KeyHelp> k = {
      {"Space", "play / pause (in predict mode: go on after the answer)"},
      {"Right", "step to the next command or reply"},
      {"Shift+Right", "step one event"},
      {"Left", "step one event back"},
      {"+  -", "faster / slower (x2, /2)"},
      {"F", "presenter mode: large text, high contrast, only network, clock and card"},
      {"P", "predict mode: the run stops before each reply and asks what comes"},
      {"1 2 3 4", "predict mode: pick an answer"},
      {"S", "save a PNG of the window and the transcript so far (smtpsim-LESSON-TIME.png/.txt here)"},
      {"H  ?", "this list of keys"},
  };
  return k;
}

std::string keys_help_text() {
  std::string out = "keys in the window:\n";
  for (const KeyHelp& k : keys_help()) {
    std::string key = k.key;
    key.resize(std::max<std::size_t>(key.size(), 13), ' ');
    out += "  " + key + " " + k.what + "\n";
  }
  return out;
}

namespace {
// pressed - whether a named key went down this frame (no repeat).
bool pressed(ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), false); }
}  // namespace

void handle_keys(const Scene& s, UiState& ui) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;  // typing a reply code or a message: keys are text
  Requests& r = ui.req;
  if (pressed(ImGuiKey_Space)) r.toggle_play = true;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), true)) {
    if (io.KeyShift) r.step_event = true;
    else r.step_exchange = true;
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow), true)) r.step_back = true;
  if (pressed(ImGuiKey_Escape)) ui.show_keys = false;
  for (ImWchar c : io.InputQueueCharacters) {
    switch (c) {
      case '+': case '=': r.speed = (r.speed ? *r.speed : s.speed) * 2; break;
      case '-': case '_': r.speed = (r.speed ? *r.speed : s.speed) / 2; break;
      case 'f': case 'F': ui.presenter = !ui.presenter; break;
      case 'p': case 'P': ui.predict = !ui.predict; break;
      case 's': case 'S': r.snapshot = true; break;
      case 'h': case 'H': case '?': ui.show_keys = !ui.show_keys; break;
      case '1': case '2': case '3': case '4':
        if (s.predict.waiting && int(c - '1') < int(s.predict.choices.size())) r.predict_pick = int(c - '1');
        break;
      default: break;
    }
  }
}

void draw_keys_help(UiState& ui) {
  if (!ui.show_keys) return;
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(d.x / 2, d.y / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  if (ImGui::Begin("Keys", &ui.show_keys,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
      for (const KeyHelp& k : keys_help()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(to_vec4(col::kSelect), "%s", k.key);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.what);
      }
      ImGui::EndTable();
    }
    ImGui::TextDisabled("H, ? or Esc closes this list.");
  }
  ImGui::End();
}

}  // namespace smtpsim::viz
