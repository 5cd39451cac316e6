// view_transcript.cpp - the transcript: one line per command, reply or event up to the clock,
// following it (auto-scroll until the user scrolls up), filterable by host or connection; a click
// selects the line's host, connection and token and jumps the clock there; repeated idle polls
// arrive folded from the scene builder and show once with "xN"; reply codes explain themselves.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// passes - does the line pass the host and connection filters?
bool passes(const SceneLine& l, const UiState& ui) {
  if (!ui.transcript_filter.empty() && l.host != ui.transcript_filter && l.peer != ui.transcript_filter) return false;
  return ui.transcript_conn == 0 || l.conn == ui.transcript_conn;
}

// prefix - "C:" for a command, "S:" for a reply, else a short tag naming what kind of event it is.
const char* prefix(const SceneLine& l) {
  static const std::pair<const char*, const char*> kTags[] = {
      {"command", "C:"},      {"reply", "S:"},         {"conn", "[tcp]"},     {"tls", "[tls]"},
      {"queue", "[queue]"},   {"delivery", "[mailbox]"}, {"bounce", "[bounce]"}, {"fault", "[network]"},
      {"dns", "[dns]"},       {"note", "[story]"}};
  for (const auto& [k, t] : kTags)
    if (l.kind == k) return t;
  return "  ";
}

// filters - the host and connection pickers and the follow toggle.
void filters(const Scene& s, UiState& ui) {
  ImGui::TextUnformatted("Transcript");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(190);
  if (ImGui::BeginCombo("##host", ui.transcript_filter.empty() ? "all hosts" : ui.transcript_filter.c_str())) {
    if (ImGui::Selectable("all hosts", ui.transcript_filter.empty())) ui.transcript_filter.clear();
    for (const SceneHost& h : s.hosts)
      if (h.used && ImGui::Selectable(h.name.c_str(), ui.transcript_filter == h.name)) ui.transcript_filter = h.name;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(130);
  char cur[32];
  std::snprintf(cur, sizeof cur, ui.transcript_conn ? "connection %llu" : "all connections",
                static_cast<unsigned long long>(ui.transcript_conn));
  if (ImGui::BeginCombo("##conn", cur)) {
    if (ImGui::Selectable("all connections", ui.transcript_conn == 0)) ui.transcript_conn = 0;
    std::vector<std::uint64_t> conns;  // only while the list is open
    for (const SceneLine& l : s.transcript)
      if (l.conn) conns.push_back(l.conn);
    std::sort(conns.begin(), conns.end());
    conns.erase(std::unique(conns.begin(), conns.end()), conns.end());
    for (std::uint64_t c : conns) {
      char n[32];
      std::snprintf(n, sizeof n, "connection %llu", static_cast<unsigned long long>(c));
      if (ImGui::Selectable(n, ui.transcript_conn == c)) ui.transcript_conn = c;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("follow the clock", &ui.transcript_follow);
  ImGui::SameLine();
  ImGui::TextDisabled("C: client command   S: server reply   (click a line to jump there)");
}

// line_tooltip - a reply: the command it answers and the tutor; a command: the glossary's words.
void line_tooltip(const Scene& s, const SceneLine& l) {
  std::string body;
  if (l.kind == "reply") {
    if (l.answers) {
      auto it = std::lower_bound(s.transcript.begin(), s.transcript.end(), l.answers,
                                 [](const SceneLine& x, std::uint64_t q) { return x.seq < q; });
      if (it != s.transcript.end() && it->seq == l.answers) body = "answers: " + it->text + "\n\n";
    }
    std::string enh;
    if (int code = reply_code_in(l.text, &enh)) body += reply_tooltip_text(code, enh);
  } else if (l.kind == "command") {
    std::size_t e = l.text.find_first_of(" :");
    body = term_text(l.text.substr(0, e));
  }
  if (body.empty()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 34);
  ImGui::TextUnformatted(body.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

}  // namespace

// draw_transcript - filters, then the lines in a scrolling child.
void draw_transcript(const Scene& s, UiState& ui) {
  filters(s, ui);
  static std::vector<int> shown;  // indices of the lines passing the filters (reused buffer)
  shown.clear();
  for (int i = 0; i < static_cast<int>(s.transcript.size()); ++i)
    if (passes(s.transcript[i], ui)) shown.push_back(i);

  ImGui::BeginChild("##lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (ui.font_mono) ImGui::PushFont(ui.font_mono);
  if (ImGui::IsWindowHovered() && ImGui::GetIO().MouseWheel > 0) ui.transcript_follow = false;  // the user scrolls up
  const float fh = ImGui::GetTextLineHeightWithSpacing();
  int hovered = -1;
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(shown.size()), fh);
  while (clip.Step()) {
    for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
      const SceneLine& l = s.transcript[shown[k]];
      ImGui::PushID(shown[k]);
      bool sel = l.seq == ui.selected_seq && l.seq != 0;
      ImVec2 pos = ImGui::GetCursorPos();
      if (ImGui::Selectable("##l", sel, ImGuiSelectableFlags_AllowItemOverlap, ImVec2(0, 0))) {
        ui.selected_seq = l.seq;
        ui.selected_conn = l.conn;
        ui.selected_host = l.host;
        ui.req.seek = l.t_us;
        ui.transcript_follow = false;
      }
      if (ImGui::IsItemHovered()) hovered = shown[k];
      ImGui::SetCursorPos(pos);
      TimeText tt(l.t_us);
      ImGui::TextDisabled("%s", tt.c_str());
      ImGui::SameLine();
      if (l.peer.empty()) ImGui::Text("%-22s", l.host.c_str());
      else ImGui::Text("%s -> %s", l.host.c_str(), l.peer.c_str());
      ImGui::SameLine();
      ImGui::TextColored(to_vec4(kind_color(l.kind, l.code)), "%s %s", prefix(l), l.text.c_str());
      if (l.folded > 0) {
        ImGui::SameLine();
        ImGui::TextColored(to_vec4(col::k3xx), "x%d", l.folded + 1);
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("%d identical idle polls folded into this line (nothing new in the mailbox)", l.folded + 1);
      }
      ImGui::PopID();
    }
  }
  clip.End();
  if (hovered >= 0) line_tooltip(s, s.transcript[hovered]);
  if (ui.transcript_follow) ImGui::SetScrollHereY(1.0f);
  if (ui.font_mono) ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace smtpsim::viz
