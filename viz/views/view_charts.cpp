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

// plot - one series: its name and values above a line scaled 0..max (at least 1), full width.
void plot(const SceneSeries& s, const char* what, ImU32 color, float h) {
  float now = s.values.empty() ? 0 : s.values.back();
  ImGui::TextColored(to_vec4(color), "%s", s.name.c_str());
  ImGui::SameLine();
  ImGui::Text("%s: now %.0f, peak %.0f", what, now, s.max);
  ImGui::PushStyleColor(ImGuiCol_PlotLines, color);
  ImGui::PlotLines("##p", s.values.data(), int(s.values.size()), 0, nullptr, 0.f, std::max(1.f, s.max) * 1.15f,
                   ImVec2(ImGui::GetContentRegionAvail().x, h));
  ImGui::PopStyleColor();
}

}  // namespace

// draw_charts - the queue depths on the left, the three outcome counts on the right.
void draw_charts(const Scene& s, UiState&) {
  const SceneCharts& c = s.charts;
  TimeText tt(c.to_us);
  ImGui::Text("From 00:00:00 (left) to %s, the clock (right): %d delivered, %d deferred, %d bounced", tt.c_str(), c.delivered,
              c.deferred, c.bounced);
  ImGui::SameLine();
  help_marker("Deferred: a try failed with a temporary error (4xx, no answer) and the message waits for its next try. "
              "Bounced: it failed for good and the sender gets a delivery status notification.");
  const float h = ImGui::GetFontSize() * 2.2f;
  int id = 0;
  if (!ImGui::BeginTable("##charts", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchSame)) return;
  ImGui::TableNextColumn();
  ImGui::TextColored(to_vec4(col::kCommand), "Queue depth per MTA (recipients waiting to be passed on)");
  if (c.queues.empty()) ImGui::TextDisabled("no MTA has queued mail yet");
  for (const SceneSeries& q : c.queues) {
    ImGui::PushID(id++);
    plot(q, "waiting", col::k3xx, h);
    ImGui::PopID();
  }
  ImGui::TableNextColumn();
  ImGui::TextColored(to_vec4(col::kCommand), "Outcomes so far (running totals)");
  ImGui::PushID(id++);
  plot(c.deliveries, "stored in a mailbox", col::k2xx, h);
  ImGui::PopID();
  ImGui::PushID(id++);
  plot(c.deferrals, "tries that failed for now (4xx, no answer)", col::k4xx, h);
  ImGui::PopID();
  ImGui::PushID(id++);
  plot(c.bounces, "failed for good, sender told", col::k5xx, h);
  ImGui::PopID();
  ImGui::EndTable();
}

}  // namespace smtpsim::viz
