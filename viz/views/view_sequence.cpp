// view_sequence.cpp - one connection as Wireshark's flow graph: the client and the server as two
// lanes, every command and reply an arrow between them, slanted by its travel time, with the time
// it left and how long it took; connection and TLS events as notes across the lanes; the part of
// the conversation inside TLS on a tinted band with a lock. Follows the clock: an arrow still in
// flight stops where it is now. The connection comes from the selection or the picker.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// picker - the connection combo and the legend line.
void picker(const Scene& s, UiState& ui) {
  const SceneSequence& q = s.sequence;
  std::size_t at = 0;
  for (std::size_t i = 0; i < q.conns.size(); ++i)
    if (q.conns[i] == q.conn) at = i;
  ImGui::TextUnformatted("Connection");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
  if (ImGui::BeginCombo("##seqconn", q.conn_labels.empty() ? "(none yet)" : q.conn_labels[at].c_str())) {
    for (std::size_t i = 0; i < q.conns.size(); ++i)
      if (ImGui::Selectable(q.conn_labels[i].c_str(), q.conns[i] == q.conn)) ui.sequence_conn = q.conns[i], ui.selected_conn = q.conns[i];
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("C: command  S: reply  slant = time on the wire  (or click a token on the network)");
}

// ms_text - a travel time as "+20ms" / "+1.2s".
std::string travel_text(SimTime d) {
  char b[32];
  if (d < 1000) std::snprintf(b, sizeof b, "+%lldus", static_cast<long long>(d));
  else if (d < 1'000'000) std::snprintf(b, sizeof b, "+%.0fms", double(d) / 1000.0);
  else std::snprintf(b, sizeof b, "+%.1fs", double(d) / 1e6);
  return b;
}

}  // namespace

// draw_sequence - the picker, the lane heads, then the arrows in a scrolling child.
void draw_sequence(const Scene& s, UiState& ui) {
  picker(s, ui);
  const SceneSequence& q = s.sequence;
  if (!q.conn) {
    ImGui::TextDisabled("No connection has been opened yet. Play the lesson a little further.");
    return;
  }
  const float fh = ImGui::GetFontSize();
  const float row = fh * 1.9f;
  const float width = ImGui::GetContentRegionAvail().x;
  const float time_w = fh * 7.5f;
  const float lane_l = time_w + fh * 2, lane_r = std::max(lane_l + fh * 20, width - fh * 16);
  // Lane heads (outside the scrolling part, so they stay visible).
  ImVec2 o = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto head = [&](float x, const std::string& name, const char* role) {
    std::string t = name + "  (" + role + ")";
    float tw = ImGui::CalcTextSize(t.c_str()).x;
    canvas_text(dl, ImVec2(o.x + x - tw / 2, o.y), col::kCommand, t.c_str());
  };
  canvas_text(dl, ImVec2(o.x, o.y), IM_COL32(150, 150, 160, 255), "sent at");
  head(lane_l, q.client, "client");
  head(lane_r, q.server, "server");
  ImGui::Dummy(ImVec2(width, fh * 1.3f));

  ImGui::BeginChild("##seqrows", ImVec2(0, 0), false);
  if (ui.font_mono) ImGui::PushFont(ui.font_mono);
  dl = ImGui::GetWindowDrawList();
  o = ImGui::GetCursorScreenPos();
  const float total = row * float(q.arrows.size()) + fh;
  ImGui::Dummy(ImVec2(width - fh, total));
  const float top = ImGui::GetWindowPos().y, bottom = top + ImGui::GetWindowSize().y;
  // Lanes, and the TLS band from the first row inside TLS.
  int tls_row = -1;
  for (std::size_t i = 0; i < q.arrows.size(); ++i)
    if (q.arrows[i].tls) { tls_row = int(i); break; }
  if (tls_row >= 0) {
    float y0 = o.y + row * float(tls_row) - fh * 0.2f;
    dl->AddRectFilled(ImVec2(o.x + lane_l, y0), ImVec2(o.x + lane_r, o.y + total), IM_COL32(95, 200, 190, 28));
    draw_lock(dl, ImVec2(o.x + lane_r + fh * 0.9f, std::max(y0, top) + fh * 0.7f), fh, col::kTls);
    canvas_text(dl, ImVec2(o.x + lane_r + fh * 1.8f, std::max(y0, top) + fh * 0.1f), col::kTls, "TLS: from here on the wire carries ciphertext only");
  }
  dl->AddLine(ImVec2(o.x + lane_l, o.y), ImVec2(o.x + lane_l, o.y + total), IM_COL32(120, 120, 130, 255), 2);
  dl->AddLine(ImVec2(o.x + lane_r, o.y), ImVec2(o.x + lane_r, o.y + total), IM_COL32(120, 120, 130, 255), 2);
  for (std::size_t i = 0; i < q.arrows.size(); ++i) {
    const SceneArrow& a = q.arrows[i];
    const float y = o.y + row * float(i);
    if (y + row < top || y > bottom) continue;  // only the rows in view
    TimeText tt(a.sent_us);
    canvas_text(dl, ImVec2(o.x, y + fh * 0.35f), IM_COL32(150, 150, 160, 255), tt.c_str());
    const bool sel = a.seq && a.seq == ui.selected_seq;
    if (a.kind == "conn" || a.kind == "tls") {
      std::string t = (a.kind == "tls" ? "[tls] " : "[tcp] ") + a.text;
      float tw = ImGui::CalcTextSize(t.c_str()).x;
      float x = o.x + (lane_l + lane_r) / 2 - tw / 2;
      dl->AddRectFilled(ImVec2(x - 4, y + fh * 0.3f), ImVec2(x + tw + 4, y + fh * 1.45f), col::kDark);
      canvas_text(dl, ImVec2(x, y + fh * 0.35f), kind_color(a.kind, a.code), t.c_str());
      continue;
    }
    const float xa = o.x + (a.from_client ? lane_l : lane_r), xb = o.x + (a.from_client ? lane_r : lane_l);
    const float ya = y + fh * 1.2f, yb = y + row * 0.95f;
    float frac = 1;
    if (a.arrive_us > a.sent_us && s.t_us < a.arrive_us) frac = float(double(s.t_us - a.sent_us) / double(a.arrive_us - a.sent_us));
    frac = std::clamp(frac, 0.f, 1.f);
    const ImU32 c = sel ? col::kSelect : kind_color(a.kind, a.code);
    ImVec2 p0(xa, ya), p1(xa + (xb - xa) * frac, ya + (yb - ya) * frac);
    dl->AddLine(p0, p1, c, sel ? 2.5f : 1.5f);
    if (frac >= 1) {
      float dir = xb > xa ? -1.f : 1.f;
      dl->AddTriangleFilled(p1, ImVec2(p1.x + dir * fh * 0.7f, p1.y - fh * 0.45f), ImVec2(p1.x + dir * fh * 0.7f, p1.y + fh * 0.15f), c);
    }
    std::string t = (a.from_client ? "C: " : "S: ") + a.text;
    float tw = ImGui::CalcTextSize(t.c_str()).x;
    float tx = std::min(xa, xb) + fh;
    if (!a.from_client) tx = std::max(std::min(xa, xb) + fh, std::max(xa, xb) - fh - tw);
    canvas_text(dl, ImVec2(tx, y), c, t.c_str());
    if (a.arrive_us > a.sent_us) {
      std::string d = frac < 1 ? "in flight" : travel_text(a.arrive_us - a.sent_us);
      canvas_text(dl, ImVec2(o.x + lane_r + fh * 0.6f, y + fh * 0.35f), IM_COL32(150, 150, 160, 255), d.c_str());
    }
    // A click on the row selects its line (the transcript and the network highlight it too).
    ImVec2 mp = ImGui::GetIO().MousePos;
    if (ImGui::IsWindowHovered() && mp.y >= y && mp.y < y + row && mp.x >= o.x + lane_l && mp.x <= o.x + lane_r) {
      if (a.kind == "reply" && a.code) ImGui::SetTooltip("%s", reply_tooltip_text(a.code).c_str());
      if (ImGui::IsMouseClicked(0)) ui.selected_seq = a.seq;
    }
  }
  if (ui.transcript_follow && ImGui::GetScrollMaxY() > 0) ImGui::SetScrollY(ImGui::GetScrollMaxY());
  if (ui.font_mono) ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace smtpsim::viz
