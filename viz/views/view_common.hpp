// view_common.hpp - small helpers the panels share: colours by reply class, time text without
// allocation, text drawn on a draw list that tests can read back (ImGui's log), a lock icon.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <imgui.h>

#include "sim/core/time.hpp"

namespace smtpsim::viz {

// Colours shared by the canvas, the transcript, the queues and the legend.
namespace col {
inline constexpr ImU32 kCommand = IM_COL32(225, 225, 230, 255);
inline constexpr ImU32 k2xx = IM_COL32(70, 175, 85, 255);
inline constexpr ImU32 k3xx = IM_COL32(80, 140, 230, 255);
inline constexpr ImU32 k4xx = IM_COL32(235, 165, 35, 255);
inline constexpr ImU32 k5xx = IM_COL32(220, 70, 65, 255);
inline constexpr ImU32 kData = IM_COL32(245, 230, 190, 255);
inline constexpr ImU32 kDns = IM_COL32(175, 120, 220, 255);
inline constexpr ImU32 kTls = IM_COL32(95, 200, 190, 255);
inline constexpr ImU32 kSelect = IM_COL32(255, 235, 60, 255);
inline constexpr ImU32 kDark = IM_COL32(25, 25, 30, 255);
}  // namespace col

// reply_color - colour of a reply by class (2xx green, 3xx blue, 4xx amber, 5xx red; POP3 +OK
// green, -ERR red); commands and unknown codes are neutral.
ImU32 reply_color(int code);
// kind_color - colour of a token or transcript line by kind (command reply data dns ...).
ImU32 kind_color(std::string_view kind, int code);
// to_vec4 - an ImU32 colour as ImVec4 for ImGui::TextColored.
ImVec4 to_vec4(ImU32 c);

// TimeText - "HH:MM:SS.mmm" in a fixed buffer (no heap), hours grow past 99.
struct TimeText {
  char buf[32];
  explicit TimeText(SimTime t);
  const char* c_str() const { return buf; }
};

// canvas_text - text on a draw list, also written to ImGui's log when logging is on (the tests
// read what the canvas shows from the log, as they do for ordinary widgets).
void canvas_text(ImDrawList* dl, ImVec2 pos, ImU32 color, const char* b, const char* e = nullptr);
// draw_lock - a small padlock centred at c (TLS), size s pixels high.
void draw_lock(ImDrawList* dl, ImVec2 c, float s, ImU32 color);
// help_marker - a "(?)" that shows `text` when hovered (for controls a newcomer may not know).
void help_marker(const char* text);

}  // namespace smtpsim::viz
