// view_common.cpp - the panels' shared helpers (colours, time text, loggable canvas text, lock).
#include "viz/views/view_common.hpp"

#include <cstdio>
#include <cstring>

#include <imgui_internal.h>

namespace smtpsim::viz {

// reply_color - colour by reply class.
ImU32 reply_color(int code) {
  if (code == 1) return col::k2xx;  // POP3 +OK
  if (code == 2) return col::k5xx;  // POP3 -ERR
  if (code >= 200 && code < 300) return col::k2xx;
  if (code >= 300 && code < 400) return col::k3xx;
  if (code >= 400 && code < 500) return col::k4xx;
  if (code >= 500 && code < 600) return col::k5xx;
  return col::kCommand;
}

// kind_color - colour by token/line kind.
ImU32 kind_color(std::string_view kind, int code) {
  if (kind == "reply") return reply_color(code);
  if (kind == "data") return col::kData;
  if (kind == "dns") return col::kDns;
  if (kind == "tls") return col::kTls;
  if (kind == "fault" || kind == "bounce") return col::k5xx;
  if (kind == "delivery") return col::k2xx;
  if (kind == "queue") return col::k4xx;
  return col::kCommand;
}

// to_vec4 - ImU32 -> ImVec4.
ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// TimeText - HH:MM:SS.mmm without allocating.
TimeText::TimeText(SimTime t) {
  if (t < 0) t = 0;
  long long ms = t / 1000;
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, (ms / 60000) % 60,
                (ms / 1000) % 60, ms % 1000);
}

// canvas_text - AddText plus a log line for the tests.
void canvas_text(ImDrawList* dl, ImVec2 pos, ImU32 color, const char* b, const char* e) {
  if (!e) e = b + std::strlen(b);
  dl->AddText(pos, color, b, e);
  if (GImGui->LogEnabled) ImGui::LogText("%.*s\n", static_cast<int>(e - b), b);
}

// draw_lock - padlock: a shackle arc over a body.
void draw_lock(ImDrawList* dl, ImVec2 c, float s, ImU32 color) {
  float w = s * 0.7f, h = s * 0.5f;
  ImVec2 b0(c.x - w / 2, c.y - h / 2 + s * 0.12f), b1(c.x + w / 2, c.y + h / 2 + s * 0.12f);
  dl->PathArcTo(ImVec2(c.x, b0.y), w * 0.32f, 3.14159f, 2 * 3.14159f, 8);
  dl->PathStroke(color, 0, s * 0.12f + 1);
  dl->AddRectFilled(b0, b1, color, 1.5f);
}

// help_marker - "(?)" with a tooltip.
void help_marker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

}  // namespace smtpsim::viz
