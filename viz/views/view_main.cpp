// view_main.cpp - the whole screen, after the sketch in DESIGN.md: the top bar (title, the clock and
// its controls, the timeline), the network canvas with the narration card beside it, the queues
// and the transcript below. Sized from the display (fits 1280x800); presenter mode keeps only the
// network, the clock and the card. A bad lesson or the picker takes a centred window.
#include <algorithm>
#include <string>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/view_hands.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                    ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                    ImGuiWindowFlags_NoBringToFrontOnFocus;

// panel - begin a fixed window at (x, y) of size (w, h).
bool panel(const char* name, float x, float y, float w, float h, ImGuiWindowFlags extra = 0) {
  ImGui::SetNextWindowPos(ImVec2(x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  return ImGui::Begin(name, nullptr, kFixed | extra);
}

// fit_text - text cut to `width` pixels with "..." at its end (the whole text when it fits).
std::string fit_text(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  std::string t = text;
  while (!t.empty() && ImGui::CalcTextSize((t + "...").c_str()).x > width) t.pop_back();
  return t + "...";
}

// top_bar - title, lesson picker and presenter buttons, then the clock panel. The title gives way
// to the buttons (presenter mode's large font would otherwise run it under them).
void top_bar(const Scene& s, UiState& ui) {
  float right = ImGui::GetWindowContentRegionMax().x;
  const ImGuiStyle& st = ImGui::GetStyle();
  float buttons = 0;
  for (const char* b : {"Lessons...", "Presenter view", "Stop predicting", "Keys"})
    buttons += ImGui::CalcTextSize(b).x + st.FramePadding.x * 2 + st.ItemSpacing.x;
  // Compose and Branches sit after the title in the full view; presenter mode leaves them out.
  float hands = 0;
  if (!ui.presenter)
    for (const char* b : {"Compose...", "Branches (10)"}) hands += ImGui::CalcTextSize(b).x + st.FramePadding.x * 2 + st.ItemSpacing.x;
  const float title_w = std::max(right - buttons - hands - st.ItemSpacing.x * 2, 80.f);
  const std::string title = fit_text(s.title.empty() ? "smtpsim" : s.title, title_w);
  ImGui::TextColored(to_vec4(IM_COL32(235, 235, 240, 255)), "%s", title.c_str());
  if (!ui.status.empty()) {  // what the app just did ("saved smtpsim-story-....png and .txt")
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(col::kTls), "%s", ui.status.c_str());
  } else if (!ui.presenter && title == s.title &&
             ImGui::CalcTextSize((title + "  " + s.file).c_str()).x < title_w) {  // presenter: the title alone
    ImGui::SameLine();
    ImGui::TextDisabled("%s", s.file.c_str());
  }
  if (!ui.presenter) {
    ImGui::SameLine();
    draw_hands_buttons(s, ui);  // hands-on (issue 12): Compose..., Branches
  }
  ImGui::SameLine(std::max(right - buttons, 300.f));
  if (ImGui::SmallButton("Lessons...")) ui.show_picker = !ui.show_picker;
  ImGui::SameLine();
  if (ImGui::SmallButton(ui.presenter ? "Full view" : "Presenter view")) ui.presenter = !ui.presenter;
  ImGui::SameLine();
  if (ImGui::SmallButton(ui.predict ? "Stop predicting" : "Predict")) ui.predict = !ui.predict;
  ImGui::SameLine();
  if (ImGui::SmallButton("Keys")) ui.show_keys = !ui.show_keys;
  draw_clock(s, ui);
}

// bottom_tabs - the bottom pane: Transcript, Sequence, Message, Mailboxes, Charts (issue 12).
void bottom_tabs(const Scene& s, UiState& ui) {
  static const char* const kNames[kTabCount] = {"Transcript", "Sequence", "Message", "Mailboxes", "Charts"};
  if (!ImGui::BeginTabBar("##bottom")) return;
  for (int i = 0; i < kTabCount; ++i) {
    ImGuiTabItemFlags f = ui.open_tab == i ? ImGuiTabItemFlags_SetSelected : 0;
    if (!ImGui::BeginTabItem(kNames[i], nullptr, f)) continue;
    if (ui.open_tab == i) ui.open_tab = -1;  // shown: done (a new tab bar may need a frame)
    if (ui.open_tab < 0) ui.bottom_tab = i;
    switch (i) {
      case kTabTranscript: draw_transcript(s, ui); break;
      case kTabSequence: draw_sequence(s, ui); break;
      case kTabMessage: draw_inspector(s, ui); break;
      case kTabMailboxes: draw_mailboxes(s, ui); break;
      case kTabCharts: draw_charts(s, ui); break;
    }
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

// canvas_pick - a token clicked on the network opens its connection's sequence diagram, or for
// the message itself (a data token), the inspector on the message that connection carried.
void canvas_pick(const Scene& s, UiState& ui) {
  if (ui.selected_conn == ui.canvas_conn || !ui.selected_conn) return;
  for (const SceneToken& t : s.tokens)
    if (t.conn == ui.selected_conn && t.kind == "data") {
      ui.open_tab = ui.bottom_tab = kTabMessage;
      ui.inspect_msg.clear();  // the builder picks the message this connection carried
      ui.inspect_hop = -1;
      ui.inspect_conn = t.conn;
      return;
    }
  inspect_connection(ui, ui.selected_conn);
}

}  // namespace

// draw_main - lay the panels out over the whole display.
void draw_main(const Scene& s, UiState& ui) {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float fh = ImGui::GetFontSize();
  const float top = fh * 2 + (ui.font_big ? ImGui::GetFontSize() * 2.2f : fh * 2.2f) + 30 + fh + 34;
  const float card_w = ui.presenter ? std::clamp(d.x * 0.40f, 300.f, 900.f) : std::clamp(d.x * 0.28f, 300.f, 460.f);
  // The inspect tabs (sequence, message, mailboxes, charts) need room: the network gives some up.
  const float share = ui.bottom_tab == kTabTranscript ? 0.36f : 0.5f;
  const float bottom = ui.presenter ? 0.f : std::max(d.y * share, 220.f);
  const float mid = std::max(d.y - top - bottom, 200.f);

  if (panel("##top", 0, 0, d.x, top)) top_bar(s, ui);
  ImGui::End();
  ui.canvas_conn = ui.selected_conn;
  if (panel("##network", 0, top, d.x - card_w, mid, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
  {
    if (ui.presenter && ui.font_canvas) ImGui::PushFont(ui.font_canvas);
    draw_topology(s, ui);
    if (ui.presenter && ui.font_canvas) ImGui::PopFont();
  }
  canvas_pick(s, ui);
  ImGui::End();
  if (panel("##lesson", d.x - card_w, top, card_w, mid)) draw_lesson(s, ui);  // presenter: its fonts are larger
  ImGui::End();
  if (s.predict.on) {  // predict mode's question at the bottom left, over the transcript (its answer is hidden)
    const float w = std::min(d.x - card_w, ImGui::GetFontSize() * 46);
    ImGui::SetNextWindowPos(ImVec2(0, d.y), ImGuiCond_Always, ImVec2(0, 1));
    ImGui::SetNextWindowSizeConstraints(ImVec2(w, 0), ImVec2(w, d.y - top));
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (ImGui::Begin("##predict", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                              ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings))
      draw_predict(s, ui);
    ImGui::End();
  }
  if (!ui.presenter) {
    const float qh = std::clamp(fh * (4.5f + 2.2f * static_cast<float>(s.queues.size())), fh * 3, bottom * 0.5f);
    if (panel("##queues", 0, top + mid, d.x, qh)) draw_queues(s, ui);
    ImGui::End();
    if (panel("##transcript", 0, top + mid + qh, d.x, d.y - top - mid - qh, ImGuiWindowFlags_NoScrollbar))
      bottom_tabs(s, ui);
    ImGui::End();
  }
  draw_compose(s, ui);   // hands-on (issue 12)
  draw_branches(s, ui);
  if (!s.error.empty() || ui.show_picker) {
    ImGui::SetNextWindowPos(ImVec2(d.x / 2, d.y / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(d.x - 40, 760.f), 0));
    if (ImGui::Begin(s.error.empty() ? "Lessons" : "Error", nullptr,
                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove))
      draw_error(s, ui);
    ImGui::End();
  }
  draw_keys_help(ui);
}

}  // namespace smtpsim::viz
