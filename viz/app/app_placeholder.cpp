// app_placeholder.cpp - a minimal draw_main standing in until the panels' own (viz/views/
// view_main.cpp) is merged: clock and controls, the network with tokens in flight, the card,
// queues and transcript, or the error panel. Built only while view_main.cpp does not exist.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "sim/core/time.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {
// token_colour - by reply class (2xx green, 3xx blue, 4xx amber, 5xx red), commands white.
ImU32 token_colour(const SceneToken& t) {
  if (t.kind == "reply") {
    int c = t.code / 100;
    if (t.code == 1) c = 2;  // POP3 +OK
    if (t.code == 2 && t.text.rfind("-ERR", 0) == 0) c = 5;
    return c == 2 ? IM_COL32(90, 200, 110, 255) : c == 3 ? IM_COL32(100, 160, 255, 255)
         : c == 4 ? IM_COL32(240, 180, 50, 255) : c == 5 ? IM_COL32(235, 80, 70, 255) : IM_COL32(200, 200, 200, 255);
  }
  if (t.kind == "data") return IM_COL32(230, 220, 160, 255);
  if (t.kind == "dns") return IM_COL32(180, 140, 230, 255);
  if (t.kind == "bytes") return IM_COL32(140, 140, 150, 255);
  return IM_COL32(240, 240, 240, 255);
}

// countdown - "in 14m29s" / "3h59m ago" for a time relative to now.
std::string countdown(SimTime at, SimTime now) {
  if (at == kNever) return "-";
  SimTime d = at - now;
  bool past = d < 0;
  if (past) d = -d;
  long s = long(d / 1000000);
  char b[64];
  if (s >= 3600) std::snprintf(b, sizeof b, "%ldh%02ldm%02lds", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(b, sizeof b, "%ldm%02lds", s / 60, s % 60);
  return past ? std::string(b) + " ago" : "in " + std::string(b);
}

void clock_bar(const Scene& s, UiState& ui, float w) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(w, 92));
  ImGui::Begin("clock", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
  ImGui::TextUnformatted(s.title.c_str());
  if (ui.font_big) ImGui::PushFont(ui.font_big);
  ImGui::Text("%s", format_time(s.t_us).c_str());
  if (ui.font_big) ImGui::PopFont();
  ImGui::SameLine();
  if (ImGui::Button(s.playing ? "Pause" : "Play")) ui.req.toggle_play = true;
  ImGui::SameLine();
  if (ImGui::Button("< back")) ui.req.step_back = true;
  ImGui::SameLine();
  if (ImGui::Button("step >")) ui.req.step_exchange = true;
  ImGui::SameLine();
  float speed = float(s.speed);
  ImGui::SetNextItemWidth(140);
  if (ImGui::SliderFloat("speed", &speed, 0.1f, 10000.0f, "%.1fx", ImGuiSliderFlags_Logarithmic)) ui.req.speed = speed;
  ImGui::SameLine();
  bool skip = ui.skip_idle;
  if (ImGui::Checkbox("skip idle", &skip)) { ui.skip_idle = skip; ui.req.toggle_skip_idle = true; }
  if (s.skipping_idle) { ImGui::SameLine(); ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), ">> skipping quiet time"); }
  // Timeline with marks.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float tw = w - 20, y = p.y + 6;
  dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + tw, y), IM_COL32(120, 120, 130, 255), 2);
  double end = std::max<double>(1, double(s.end_us));
  for (const SceneMarker& m : s.markers) {
    float x = p.x + float(double(m.t_us) / end) * tw;
    ImU32 c = m.kind == "fault" ? IM_COL32(235, 80, 70, 255) : m.kind == "deferred" ? IM_COL32(240, 180, 50, 255)
            : m.kind == "delivered" ? IM_COL32(90, 200, 110, 255) : m.kind == "card" ? IM_COL32(100, 160, 255, 255)
            : IM_COL32(200, 200, 200, 255);
    dl->AddLine(ImVec2(x, y - 5), ImVec2(x, y + 5), c, 2);
  }
  float nx = p.x + float(double(s.t_us) / end) * tw;
  dl->AddTriangleFilled(ImVec2(nx - 5, y - 8), ImVec2(nx + 5, y - 8), ImVec2(nx, y), IM_COL32(255, 255, 255, 255));
  ImGui::InvisibleButton("timeline", ImVec2(tw, 14));
  if (ImGui::IsItemClicked()) ui.req.seek = SimTime(double(ImGui::GetIO().MousePos.x - p.x) / tw * end);
  ImGui::End();
}

void network(const Scene& s, UiState&, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("The network", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  ImVec2 a = ImGui::GetContentRegionAvail();
  auto at = [&](float x, float y) { return ImVec2(o.x + x * a.x, o.y + y * a.y); };
  auto find = [&](const std::string& n) -> const SceneHost* {
    for (const SceneHost& h : s.hosts) if (h.name == n) return &h;
    return nullptr;
  };
  for (const SceneLink& l : s.links) {
    const SceneHost *ha = find(l.a), *hb = find(l.b);
    if (!ha || !hb) continue;
    ImU32 c = l.state == "down" ? IM_COL32(235, 80, 70, 255) : l.state == "lossy" ? IM_COL32(240, 180, 50, 255) : IM_COL32(110, 115, 130, 255);
    dl->AddLine(at(ha->x, ha->y), at(hb->x, hb->y), c, l.state == "down" ? 1.0f : 2.0f);
    if (l.state == "down") {
      ImVec2 m = at((ha->x + hb->x) / 2, (ha->y + hb->y) / 2);
      dl->AddText(ImVec2(m.x - 4, m.y - 8), c, "X");
    }
  }
  for (const SceneHost& h : s.hosts) {
    ImVec2 c = at(h.x, h.y);
    ImU32 fill = !h.up ? IM_COL32(120, 40, 40, 255) : !h.used ? IM_COL32(50, 52, 58, 255) : IM_COL32(60, 80, 110, 255);
    ImU32 text = h.used ? IM_COL32(235, 235, 240, 255) : IM_COL32(120, 120, 125, 255);
    float r = h.icon == "cloud" ? 26.0f : 14.0f;
    if (h.icon == "cloud") dl->AddCircleFilled(c, r, fill);
    else dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), fill, 4);
    if (h.queue_depth > 0) {
      char q[16];
      std::snprintf(q, sizeof q, "%d", h.queue_depth);
      dl->AddCircleFilled(ImVec2(c.x + r, c.y - r), 8, IM_COL32(240, 180, 50, 255));
      dl->AddText(ImVec2(c.x + r - 4, c.y - r - 7), IM_COL32(0, 0, 0, 255), q);
    }
    if (h.mailbox_count > 0) dl->AddText(ImVec2(c.x - 6, c.y - 7), IM_COL32(255, 255, 255, 255), "@");
    const std::string& label = h.label.empty() ? h.name : h.label;
    ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, 150);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.85f, ImVec2(c.x - std::min(ts.x, 150.0f) * 0.42f, c.y + r + 2), text,
                label.c_str(), nullptr, 150);
  }
  for (const SceneToken& t : s.tokens) {
    const SceneHost *hf = find(t.from), *ht = find(t.to);
    if (!hf || !ht) continue;
    ImVec2 p = at(hf->x + (ht->x - hf->x) * t.frac, hf->y + (ht->y - hf->y) * t.frac);
    std::string label = (t.tls ? "[lock] " : "") + t.text.substr(0, 28);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddRectFilled(ImVec2(p.x - 3, p.y - 16), ImVec2(p.x + ts.x + 3, p.y - 16 + ts.y), token_colour(t), 3);
    dl->AddText(ImVec2(p.x, p.y - 16), IM_COL32(0, 0, 0, 255), label.c_str());
    dl->AddCircleFilled(p, 4, token_colour(t));
  }
  ImGui::End();
}

void card(const Scene& s, UiState& ui, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("The lesson", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  if (s.card.index >= 0) ImGui::Text("Step %d of %d", s.card.index + 1, s.card.count);
  ImGui::TextWrapped("%s", s.card.title.c_str());
  ImGui::Separator();
  ImGui::TextWrapped("%s", s.card.text.c_str());
  if (s.card.pausing) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "Paused here: press Play to go on.");
  if (ImGui::Button("< card")) ui.req.prev_card = true;
  ImGui::SameLine();
  if (ImGui::Button("card >")) ui.req.next_card = true;
  ImGui::Separator();
  ImGui::TextUnformatted("What must happen:");
  for (const SceneExpect& e : s.expects) {
    ImVec4 c = e.status == "pass" ? ImVec4(0.4f, 0.85f, 0.45f, 1) : e.status == "fail" ? ImVec4(0.95f, 0.35f, 0.3f, 1) : ImVec4(0.7f, 0.7f, 0.7f, 1);
    ImGui::TextColored(c, "%s %s", e.status == "pass" ? "[ok]" : e.status == "fail" ? "[x]" : "[ ]", e.text.c_str());
  }
  if (!s.summary_line.empty()) ImGui::TextWrapped("%s", s.summary_line.c_str());
  ImGui::End();
}

void bottom(const Scene& s, UiState& ui, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(ImVec2(size.x * 0.5f, size.y));
  ImGui::Begin("Queues", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  if (s.queues.empty()) ImGui::TextDisabled("No mail waiting in any queue.");
  for (const SceneQueueRow& q : s.queues) {
    ImGui::Text("%s: %s  to %s  %s  attempt %d", q.host.c_str(), q.qid.c_str(), q.rcpt.c_str(), q.state.c_str(), q.attempt);
    if (!q.last_reply.empty()) ImGui::TextWrapped("  last reply: %s", q.last_reply.c_str());
    ImGui::Text("  next try %s   give up %s", countdown(q.next_attempt_us, s.t_us).c_str(), countdown(q.give_up_us, s.t_us).c_str());
  }
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(pos.x + size.x * 0.5f, pos.y));
  ImGui::SetNextWindowSize(ImVec2(size.x * 0.5f, size.y));
  ImGui::Begin("Transcript", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  if (ui.font_mono) ImGui::PushFont(ui.font_mono);
  std::size_t from = s.transcript.size() > 200 ? s.transcript.size() - 200 : 0;
  for (std::size_t i = from; i < s.transcript.size(); ++i) {
    const SceneLine& l = s.transcript[i];
    ImGui::Text("%s %s%s%s %s%s", format_time(l.t_us).c_str(), l.host.c_str(), l.peer.empty() ? "" : " > ", l.peer.c_str(),
                l.text.c_str(), l.folded ? (" (x" + std::to_string(l.folded + 1) + ")").c_str() : "");
  }
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 40) ImGui::SetScrollHereY(1.0f);
  if (ui.font_mono) ImGui::PopFont();
  ImGui::End();
}
}  // namespace

void draw_main(const Scene& s, UiState& ui) {
  ImVec2 d = ImGui::GetIO().DisplaySize;
  if (!s.error.empty()) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(d);
    ImGui::Begin("This lesson cannot be opened", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
    ImGui::TextWrapped("%s", s.error.c_str());
    ImGui::End();
    return;
  }
  clock_bar(s, ui, d.x);
  float top = 92, bottom_h = d.y * 0.3f, card_w = d.x * 0.27f;
  network(s, ui, ImVec2(0, top), ImVec2(d.x - card_w, d.y - top - bottom_h));
  card(s, ui, ImVec2(d.x - card_w, top), ImVec2(card_w, d.y - top - bottom_h));
  bottom(s, ui, ImVec2(0, d.y - bottom_h), ImVec2(d.x, bottom_h));
}

}  // namespace smtpsim::viz
