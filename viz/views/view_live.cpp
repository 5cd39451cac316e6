// view_live.cpp - the live mode's line under the clock (`smtpsim-viz --live`, issue 13): a red LIVE
// badge, the wall clock, how many real clients came, and where to point them (the bound ports),
// plus the tooltip that says why rewinding controls are off.
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// ports_text - "msa.a.example:587 -> 127.0.0.1:40125, ..." from the ready line; when every port
// is on 127.0.0.1 the address is said once in front: "127.0.0.1: msa.a.example:587 -> 40125, ...".
std::string ports_text(const std::string& ready) {
  std::istringstream in(ready);
  std::vector<std::pair<std::string, std::string>> ports;  // HOST:PORT, ADDR:LOCALPORT
  std::string word;
  in >> word;  // "ready"
  bool all_v4_loopback = true;
  while (in >> word) {
    auto eq = word.find('=');
    if (eq == std::string::npos) continue;
    ports.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    all_v4_loopback = all_v4_loopback && ports.back().second.rfind("127.0.0.1:", 0) == 0;
  }
  std::string out = all_v4_loopback && !ports.empty() ? "127.0.0.1: " : "";
  for (std::size_t i = 0; i < ports.size(); ++i)
    out += (i ? ",  " : "") + ports[i].first + " -> " +
           (all_v4_loopback ? ports[i].second.substr(10) : ports[i].second);
  return out;
}

}  // namespace

void draw_live_status(const Scene& s, UiState& ui) {
  (void)ui;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  const char* badge = " LIVE ";
  ImVec2 sz = ImGui::CalcTextSize(badge);
  dl->AddRectFilled(p, ImVec2(p.x + sz.x, p.y + sz.y), s.live_speed > 0 ? col::k5xx : IM_COL32(120, 120, 130, 255), 3);
  canvas_text(dl, p, IM_COL32(255, 255, 255, 255), badge);
  ImGui::Dummy(sz);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Live: the simulation's clock follows the wall clock (x%.4g), and real mail clients\n"
                      "on this machine can connect to the lesson's servers at the ports shown here.",
                      s.live_speed > 0 ? s.live_speed : s.speed);
  ImGui::SameLine();
  ImGui::Text("wall clock %s%s  real clients: %llu (%zu connected)", s.live_wall.c_str(),
              s.live_speed > 0 ? "" : "  (paused: clients are still answered)",
              static_cast<unsigned long long>(s.live_connections), s.live_open);
  std::string ports = ports_text(s.live_ready);
  if (!ports.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(col::kTls), "mail to %s", ports.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Point swaks, curl or a mail client at these loopback ports, for example\n"
                        "  swaks --server 127.0.0.1 --port PORT --to b@b.example\n"
                        "and watch the message cross the network.");
  }
}

void live_tooltip(const char* what) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::SetTooltip("%s is off in live mode: real clients' bytes cannot be sent again, so the run\n"
                    "cannot be rewound or jumped ahead. The clock follows the wall clock.", what);
}

}  // namespace smtpsim::viz
