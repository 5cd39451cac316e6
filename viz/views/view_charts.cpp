// view_charts.cpp - charts over virtual time, from the trace up to the clock: how many recipients
// each MTA's queue holds, and the running counts of deliveries, deferrals and bounces (ImGui's
// PlotLines; ImPlot is not packaged).
#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// plot - one series as a line with its name and latest value, scaled 0..max (at least 1).
void plot(const SceneSeries& s, const char* what, ImU32 color, float w, float h) {
  char label[160];
  float now = s.values.empty() ? 0 : s.values.back();
  std::snprintf(label, sizeof label, "%s: %s now %.0f, peak %.0f", s.name.c_str(), what, now, s.max);
  ImGui::PushStyleColor(ImGuiCol_PlotLines, color);
  ImGui::PlotLines("##p", s.values.data(), int(s.values.size()), 0, nullptr, 0.f, std::max(1.f, s.max) * 1.1f, ImVec2(w, h));
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::TextUnformatted(label);
}

}  // namespace

// draw_charts - the queue depths, then the three outcome counts.
void draw_charts(const Scene& s, UiState&) {
  const SceneCharts& c = s.charts;
  TimeText tt(c.to_us);
  ImGui::Text("From 00:00:00 to %s (the clock): %d delivered, %d deferred, %d bounced", tt.c_str(), c.delivered, c.deferred, c.bounced);
  ImGui::SameLine();
  help_marker("Deferred: a try failed with a temporary error (4xx, no answer) and the message waits for its next try. "
              "Bounced: it failed for good and the sender gets a delivery status notification.");
  ImGui::BeginChild("##charts", ImVec2(0, 0), false);
  const float fh = ImGui::GetFontSize();
  const float w = std::max(ImGui::GetContentRegionAvail().x * 0.55f, fh * 20), h = fh * 2.6f;
  int id = 0;
  ImGui::TextColored(to_vec4(col::kCommand), "Queue depth per MTA (recipients waiting)");
  if (c.queues.empty()) ImGui::TextDisabled("   no MTA has queued mail yet");
  for (const SceneSeries& q : c.queues) {
    ImGui::PushID(id++);
    plot(q, "waiting", col::k3xx, w, h);
    ImGui::PopID();
  }
  ImGui::Spacing();
  ImGui::TextColored(to_vec4(col::kCommand), "Outcomes so far (running totals)");
  ImGui::PushID(id++);
  plot(c.deliveries, "stored in a mailbox", col::k2xx, w, h);
  ImGui::PopID();
  ImGui::PushID(id++);
  plot(c.deferrals, "tries that failed temporarily", col::k4xx, w, h);
  ImGui::PopID();
  ImGui::PushID(id++);
  plot(c.bounces, "failed for good, sender told", col::k5xx, w, h);
  ImGui::PopID();
  ImGui::EndChild();
}

}  // namespace smtpsim::viz
