// view_clock.cpp - the clock bar: virtual time large (HH:MM:SS.mmm), transport (step back, play/
// pause, step event, step command/reply), speed 0.1x..10,000x (log slider + presets), "skip idle"
// (visibly racing), and the scrubbable timeline marked with faults, attempts, deferrals,
// deliveries, bounces, fetches and cards, with its legend.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// MarkerStyle - how one marker kind is drawn and named in the legend.
struct MarkerStyle {
  const char* kind;
  const char* legend;
  ImU32 color;
  int shape;  // 0 tick, 1 triangle, 2 diamond, 3 square, 4 cross, 5 circle
};

constexpr MarkerStyle kStyles[] = {
    {"fault", "fault", col::k5xx, 1},          {"repair", "repair", col::k2xx, 1},
    {"attempt", "attempt", col::k3xx, 0},      {"deferred", "deferred (4xx)", col::k4xx, 2},
    {"delivered", "delivered", col::k2xx, 3},  {"bounced", "bounced", col::k5xx, 4},
    {"fetch", "fetched (POP3)", col::kTls, 5}, {"card", "narration", IM_COL32(200, 200, 210, 255), 0},
    {"action", "by hand", IM_COL32(235, 110, 225, 255), 6},  // hands-on (issue 12): a flag above the track
};
constexpr int kHandStyle = 8;

// style_of - the style for a marker kind (a neutral tick for unknown kinds).
const MarkerStyle& style_of(const std::string& kind) {
  for (const MarkerStyle& m : kStyles)
    if (kind == m.kind) return m;
  return kStyles[7];
}

// draw_mark - one marker glyph centred at (x, y), size r.
void draw_mark(ImDrawList* dl, const MarkerStyle& st, float x, float y, float r) {
  switch (st.shape) {
    case 1: dl->AddTriangleFilled(ImVec2(x, y - r), ImVec2(x + r, y + r), ImVec2(x - r, y + r), st.color); break;
    case 2: dl->AddQuadFilled(ImVec2(x, y - r), ImVec2(x + r, y), ImVec2(x, y + r), ImVec2(x - r, y), st.color); break;
    case 3: dl->AddRectFilled(ImVec2(x - r * 0.8f, y - r * 0.8f), ImVec2(x + r * 0.8f, y + r * 0.8f), st.color); break;
    case 4:
      dl->AddLine(ImVec2(x - r, y - r), ImVec2(x + r, y + r), st.color, 2.5f);
      dl->AddLine(ImVec2(x - r, y + r), ImVec2(x + r, y - r), st.color, 2.5f);
      break;
    case 5: dl->AddCircleFilled(ImVec2(x, y), r * 0.8f, st.color, 12); break;
    case 6:  // a flag planted on the track: something done by hand
      dl->AddLine(ImVec2(x, y + r * 1.2f), ImVec2(x, y - r * 2.2f), st.color, 2);
      dl->AddTriangleFilled(ImVec2(x, y - r * 2.2f), ImVec2(x + r * 1.6f, y - r * 1.6f), ImVec2(x, y - r), st.color);
      break;
    default: dl->AddLine(ImVec2(x, y - r * 1.2f), ImVec2(x, y + r * 1.2f), st.color, 2); break;
  }
}

// timeline_end - the time the timeline spans to.
SimTime timeline_end(const Scene& s) {
  SimTime e = std::max<SimTime>(s.end_us, s.t_us);
  for (const SceneMarker& m : s.markers) e = std::max(e, m.t_us);
  return std::max<SimTime>(e, sec(1));
}

// tick_step - a round tick interval giving at most `max_ticks` ticks over `span`.
Duration tick_step(Duration span, int max_ticks) {
  static const Duration kSteps[] = {msec(100), sec(1), sec(10), sec(30), minutes(1), minutes(5), minutes(10),
                                    minutes(15), minutes(30), hours(1), hours(2), hours(6), hours(12), days(1)};
  for (Duration d : kSteps)
    if (span / d <= max_ticks) return d;
  return days(7);
}

// transport - the buttons and the speed.
void transport(const Scene& s, UiState& ui) {
  ImGui::BeginDisabled(s.live);  // live: real clients' bytes cannot be sent again (live_tooltip says so)
  if (ImGui::Button("<< Back")) ui.req.step_back = true;
  ImGui::EndDisabled();
  if (s.live) live_tooltip("Step back");
  else if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step back one event (the run is simulated again from the start)");
  ImGui::SameLine();
  if (ImGui::Button(s.playing ? " Pause " : " Play  ")) ui.req.toggle_play = true;
  ImGui::SameLine();
  ImGui::BeginDisabled(s.live);
  if (ImGui::Button("Step >")) ui.req.step_event = true;
  ImGui::EndDisabled();
  if (s.live) live_tooltip("Stepping");
  else if (ImGui::IsItemHovered()) ImGui::SetTooltip("One event forward (a packet arrives, a timer fires, ...)");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.live);
  if (ImGui::Button("Next cmd/reply >>")) ui.req.step_exchange = true;
  ImGui::EndDisabled();
  if (s.live) live_tooltip("Stepping");
  else if (ImGui::IsItemHovered()) ImGui::SetTooltip("Forward to the next SMTP/POP3 command or reply");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150);
  float sp = static_cast<float>(s.speed);
  if (ImGui::SliderFloat("##speed", &sp, 0.1f, 10000.f, "x%.4g", ImGuiSliderFlags_Logarithmic))
    ui.req.speed = static_cast<double>(sp);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Speed: virtual seconds per real second (x600: ten minutes pass in one second)");
  static const double kPresets[] = {1, 10, 60, 600, 3600};
  static const char* kNames[] = {"x1", "x10", "x60", "x600", "x3600"};
  for (int i = 0; i < 5; ++i) {
    ImGui::SameLine(0, 3);
    bool on = std::fabs(s.speed - kPresets[i]) < 1e-6;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::SmallButton(kNames[i])) ui.req.speed = kPresets[i];
    if (on) ImGui::PopStyleColor();
  }
  ImGui::SameLine();
  bool skip = ui.skip_idle;
  if (ImGui::Checkbox("skip idle", &skip)) {
    ui.skip_idle = skip;
    ui.req.toggle_skip_idle = true;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("When nothing happens (waiting 15 minutes for a retry), race the clock to the next event");
  if (s.skipping_idle) {
    ImGui::SameLine();
    bool blink = std::fmod(ImGui::GetTime(), 0.6) < 0.4;
    ImGui::TextColored(to_vec4(blink ? col::k4xx : col::kCommand), ">> skipping quiet time >>");
  }
}

}  // namespace

// draw_clock - big time + state, transport row, timeline, legend.
void draw_clock(const Scene& s, UiState& ui) {
  TimeText tt(s.t_us);
  if (ui.font_big) ImGui::PushFont(ui.font_big);
  else ImGui::SetWindowFontScale(2.0f);
  ImGui::TextUnformatted(tt.c_str());
  if (ui.font_big) ImGui::PopFont();
  else ImGui::SetWindowFontScale(1.0f);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Virtual time since the story began (hours:minutes:seconds.milliseconds)");
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s  x%.4g%s", s.finished ? "finished" : s.playing ? "playing" : "paused", s.speed,
                      s.finished ? "" : "");
  if (s.live) draw_live_status(s, ui);
  transport(s, ui);
  ImGui::EndGroup();

  // the timeline: click or drag to jump there
  const SimTime end = timeline_end(s);
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  float w = std::max(ImGui::GetContentRegionAvail().x, 100.f), h = 30;
  ImGui::InvisibleButton("##timeline", ImVec2(w, h));
  ImGuiIO& io = ImGui::GetIO();
  auto time_at = [&](float x) {
    double f = std::clamp((x - p0.x) / w, 0.f, 1.f);
    return static_cast<SimTime>(f * static_cast<double>(end));
  };
  if (!s.live && ImGui::IsItemActive() && (ImGui::IsItemActivated() || io.MouseDelta.x != 0))
    ui.req.seek = time_at(io.MousePos.x);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float ym = p0.y + h * 0.45f;
  dl->AddRectFilled(ImVec2(p0.x, ym - 3), ImVec2(p0.x + w, ym + 3), IM_COL32(70, 75, 90, 255), 3);
  auto x_of = [&](SimTime t) { return p0.x + w * static_cast<float>(static_cast<double>(t) / static_cast<double>(end)); };
  dl->AddRectFilled(ImVec2(p0.x, ym - 3), ImVec2(x_of(s.t_us), ym + 3), IM_COL32(110, 150, 220, 255), 3);
  Duration step = tick_step(end, static_cast<int>(w / 80));
  for (SimTime t = 0; t <= end; t += step) {
    float x = x_of(t);
    dl->AddLine(ImVec2(x, ym + 4), ImVec2(x, ym + 8), IM_COL32(150, 150, 160, 255));
    TimeText lt(t);
    lt.buf[step >= minutes(1) ? 5 : 8] = 0;  // "01:15" or "00:00:30"
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.85f, ImVec2(x + 2, ym + 4), IM_COL32(150, 150, 160, 255), lt.c_str());
  }
  const SceneMarker* near = nullptr;
  float near_d = 6;
  for (const SceneMarker& m : s.markers) {
    float x = x_of(m.t_us);
    draw_mark(dl, style_of(m.kind), x, ym, 5);
    float d = std::fabs(io.MousePos.x - x) - (m.kind == "action" ? 2.f : 0.f);  // a hand flag wins a tie
    if (ImGui::IsItemHovered() && d < near_d) near = &m, near_d = d;
  }
  float xc = x_of(s.t_us);
  dl->AddTriangleFilled(ImVec2(xc - 6, p0.y), ImVec2(xc + 6, p0.y), ImVec2(xc, p0.y + 8), col::kSelect);
  dl->AddLine(ImVec2(xc, p0.y), ImVec2(xc, p0.y + h), col::kSelect, 2);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    TimeText at(time_at(io.MousePos.x));
    if (s.live) ImGui::TextUnformatted("live: the clock follows the wall clock; jumping in time is not possible");
    else ImGui::Text("click to jump to %s", at.c_str());
    if (near) {
      TimeText mt(near->t_us);
      ImGui::TextColored(to_vec4(style_of(near->kind).color), "%s  %s", mt.c_str(), style_of(near->kind).legend);
      ImGui::TextUnformatted(near->text.c_str());
    }
    ImGui::EndTooltip();
  }

  // legend (the hand flag only once something was done by hand)
  const float fh = ImGui::GetFontSize();
  const bool by_hand = std::any_of(s.markers.begin(), s.markers.end(), [](const SceneMarker& m) { return m.kind == "action"; });
  for (int i = 0; i <= kHandStyle; ++i) {
    if (i == 7 || (i == kHandStyle && !by_hand)) continue;
    if (i) ImGui::SameLine(0, 14);
    ImVec2 q = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(fh, fh));
    draw_mark(dl, kStyles[i], q.x + fh / 2, q.y + fh / 2 + (i == kHandStyle ? fh * 0.25f : 0.f), fh * 0.35f);
    ImGui::SameLine(0, 3);
    ImGui::TextDisabled("%s", kStyles[i].legend);
  }
}

}  // namespace smtpsim::viz
