// views.hpp - the panels, as free functions over a Scene (read only) and UiState (the small
// UI-only state plus the requests the panels make). The app loop hands requests to playback;
// a panel never calls the simulation itself.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "viz/scene/scene.hpp"

struct ImFont;

namespace smtpsim::viz {

// Requests - what the person asked for this frame; playback applies them after the frame.
struct Requests {
  bool toggle_play = false;
  bool step_event = false;       // one trace event forward
  bool step_exchange = false;    // to the next command or reply
  bool step_back = false;        // one event back (re-simulates)
  bool next_card = false, prev_card = false;
  bool toggle_skip_idle = false;
  std::optional<double> speed;   // new speed (virtual s per wall s)
  std::optional<SimTime> seek;   // scrub the timeline to this time (re-simulates when backwards)
  std::optional<std::string> open_lesson;  // lesson picker: a path
};

// UiState - UI-only state: selection, filters, pan and zoom, panel visibility.
struct UiState {
  std::string selected_host;     // highlighted on the canvas and filtering the transcript
  std::uint64_t selected_conn = 0;
  std::uint64_t selected_seq = 0;// transcript line / token clicked
  std::string transcript_filter; // host name or "" for all
  float pan_x = 0, pan_y = 0, zoom = 1;
  bool skip_idle = true;
  bool show_picker = false;
  bool presenter = false;
  Requests req;                  // cleared by the app after each frame
  ImFont* font_mono = nullptr;   // DejaVu Sans Mono (transcript); null: the default font
  ImFont* font_big = nullptr;    // DejaVu Sans, large (the clock, presenter mode); null: default
};

// draw_<panel> - one function per panel (viz/views/view_<panel>.cpp).
void draw_topology(const Scene& s, UiState& ui);    // hosts, links, tokens in flight
void draw_clock(const Scene& s, UiState& ui);       // time, controls, timeline with markers
void draw_transcript(const Scene& s, UiState& ui);  // lines following the clock, filter
void draw_queues(const Scene& s, UiState& ui);      // rows with next-attempt and give-up countdowns
void draw_lesson(const Scene& s, UiState& ui);      // title, card, expectations, summary
void draw_error(const Scene& s, UiState& ui);       // a bad lesson's diagnostics
// draw_main - the whole window: every panel laid out (viz/views/view_main.cpp).
void draw_main(const Scene& s, UiState& ui);
// reply_tooltip - the tutor: when the last item is hovered, the catalogue's words for `code`.
void reply_tooltip(int code, const std::string& enhanced = "");

}  // namespace smtpsim::viz
