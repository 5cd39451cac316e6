// views.hpp - the panels, as free functions over a Scene (read only) and UiState (the small
// UI-only state plus the requests the panels make). The app loop hands requests to playback;
// a panel never calls the simulation itself.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_action.hpp"
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

  // -- hands-on (issue 12, hands-engine applies them, hands-ui's menus and compose dialog make them)
  std::vector<scenario::Action> actions;   // apply now, in order, through ScenarioRun::apply
  std::optional<int> switch_branch;        // make this branch (SceneBranch::id) current
  std::optional<std::string> save_lesson;  // write the current branch as a lesson file to this path

  // -- inspect (issue 12, inspect helper)
  bool capture = false;                    // keep bytes and messages per hop (the message inspector)

  // -- teach (issue 12, teach helper: predict and presenter)
  std::optional<int> predict_pick;        // predict mode: the choice picked (index into ScenePredict::choices)
  std::optional<int> predict_code;        // predict mode: a reply code typed
  bool predict_skip = false;              // predict mode: show the reply without answering
  bool snapshot = false;                  // save a PNG of the window and the transcript so far (key S)
};

// HandsUi - the hands-on panels' own state (issue 12): which right-click menu is open on what,
// its fields, the compose dialog's form, the branch list (viz/views/view_hands.hpp).
struct HandsUi {
  std::string menu_kind;         // the open menu: "" none, link host dns
  std::string menu_a, menu_b;    // link: its ends; host / dns: the host
  bool menu_pending = false;     // open the menu next frame (a right click, or --actions open_menu)
  float menu_x = -1, menu_y = -1;// where it opens (screen pixels; -1: at the mouse)
  int latency_ms = 200;          // the menu's latency field
  int loss_pct = 20;             // the menu's loss field (percent)
  int tarpit_s = 30;             // the menu's tarpit field (seconds)
  char reply_line[128] = "451 4.3.0 Try again later";  // a refusal of one's own
  bool compose_open = false;     // the compose dialog
  std::string compose_client;    // the client (mua) it sends through
  char from[128] = "", to[512] = "", subject[256] = "", body[2048] = "";
  int size = 0;                  // >0: a generated body of about this many bytes (padding)
  std::string compose_error;     // why the last Send was refused
  bool branches_open = false;    // the branch list
  char save_path[512] = "my-experiment.yaml";
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

  // Added by the panels (viz-views):
  std::uint64_t hovered_seq = 0; // the token under the mouse in the last frame (0 = none)
  std::string hovered_host;      // the host under the mouse in the last frame
  std::uint64_t transcript_conn = 0;  // transcript filter by connection (0 = all)
  bool transcript_follow = true; // the transcript scrolls with the clock until the user scrolls up
  float canvas_x = 0, canvas_y = 0, canvas_w = 0, canvas_h = 0;  // the canvas' screen rect, last frame

  // -- hands-on (issue 12)
  HandsUi hands;

  // -- inspect (issue 12)
  int bottom_tab = 0;              // the bottom pane's tab shown: a BottomTab
  int open_tab = -1;               // a tab to bring to the front next frame (-1 = none)
  std::uint64_t sequence_conn = 0; // the sequence diagram's connection (0 = follow selected_conn)
  std::string inspect_msg;         // the inspected message's Message-ID ("" = the first one)
  int inspect_hop = -1;            // its hop shown (-1 = the last so far)
  std::uint64_t inspect_conn = 0;  // with inspect_msg "": the message this connection carried
  int inspect_view = -1;           // the inspector's view to bring up: 0 header 1 body 2 raw 3 wire (-1 = none)
  std::uint64_t canvas_conn = 0;   // selected_conn before the canvas drew (a click there opens a tab)

  // -- teach (issue 12)
  bool predict = false;          // predict mode on (key P, `predict: on`)
  bool show_keys = false;        // the keyboard help window (key H or ?)
  char predict_input[8] = {};    // the reply code being typed in predict mode
  ImFont* font_canvas = nullptr; // presenter mode: the network's labels (1.5x, so the map stays uncrowded)
  std::string status;            // one line for the top bar ("saved smtpsim-story-....png"), set by the app
};

// BottomTab - the bottom pane's tabs, in order.
enum BottomTab { kTabTranscript = 0, kTabSequence, kTabMessage, kTabMailboxes, kTabCharts, kTabCount };

// CanvasPoint - a point on screen (pixels).
struct CanvasPoint { float x = 0, y = 0; };
// canvas_to_screen - where the layout point (x, y) (0..1 across and down) lands on screen, with
// the last frame's canvas rect, pan and zoom. Tokens sit at lerp(from, to, frac) of these points.
CanvasPoint canvas_to_screen(const UiState& ui, float x, float y);

// draw_main - the whole screen (viz/views/view_main.cpp): top bar with title, clock, transport and
// timeline; the network with the narration card beside it; queues and transcript below. Fits
// 1280x800; presenter mode keeps the network, the clock and the card, larger.
// (The app's keyboard shortcuts live in viz/app/app_main.cpp.)
void draw_main(const Scene& s, UiState& ui);

// draw_<panel> - one function per panel (viz/views/view_<panel>.cpp). Each draws into the current
// window (draw_main gives each its own child window; tests draw them inside a plain window).
void draw_topology(const Scene& s, UiState& ui);    // hosts, links, tokens in flight
void draw_clock(const Scene& s, UiState& ui);       // time, controls, timeline with markers
void draw_transcript(const Scene& s, UiState& ui);  // lines following the clock, filter
void draw_queues(const Scene& s, UiState& ui);      // rows with next-attempt and give-up countdowns
void draw_lesson(const Scene& s, UiState& ui);      // title, card, expectations, summary
void draw_error(const Scene& s, UiState& ui);       // a bad lesson's diagnostics
void draw_predict(const Scene& s, UiState& ui);     // predict mode: the question, the choices, the score
void draw_keys_help(UiState& ui);                   // the keyboard help window (when ui.show_keys)

// KeyHelp - one keyboard shortcut: the key and what it does. keys_help() is the one table that
// handle_keys() implements, --help prints and the window's help shows.
struct KeyHelp { const char* key; const char* what; };
const std::vector<KeyHelp>& keys_help();
// keys_help_text - the table as text for --help.
std::string keys_help_text();
// handle_keys - the keyboard (viz/views/view_keys.cpp): turns this frame's key presses into
// requests and UI changes (presenter, predict, help). Call once per frame inside the frame.
void handle_keys(const Scene& s, UiState& ui);
// draw_live_status - live mode (issue 13, view_live.cpp): LIVE, the wall clock, real clients, the
// ports to point a mail client at (one line under the clock).
void draw_live_status(const Scene& s, UiState& ui);
// live_tooltip - live mode: on hovering a disabled control, why `what` is not possible live.
void live_tooltip(const char* what);
void draw_sequence(const Scene& s, UiState& ui);    // one connection as a flow graph (issue 12)
void draw_inspector(const Scene& s, UiState& ui);   // one message across its hops (issue 12)
void draw_mailboxes(const Scene& s, UiState& ui);   // each user's messages and what POP3 did (issue 12)
void draw_charts(const Scene& s, UiState& ui);      // queue depth and outcomes over time (issue 12)
// inspect_message - select a message for the inspector and bring its tab up (hop -1 = the last).
void inspect_message(UiState& ui, const std::string& msgid, int hop = -1);
// inspect_connection - select a connection for the sequence diagram and bring its tab up.
void inspect_connection(UiState& ui, std::uint64_t conn);
// reply_tooltip - the tutor: when the last item is hovered, the catalogue's words for `code`.
void reply_tooltip(int code, const std::string& enhanced = "");
// reply_tooltip_text - the tutor's words for a code as one text (what reply_tooltip shows).
std::string reply_tooltip_text(int code, const std::string& enhanced = "");
// term_tooltip - the glossary: when the last item is hovered, a short explanation of a term
// (MSA, MTA, MX, MDA, POP3, octet, UIDL, AUTHORIZATION, ...); false when the term is unknown.
bool term_tooltip(const std::string& term);
// term_text - the glossary's one line for a term ("" when unknown).
std::string term_text(const std::string& term);
// glossary_terms_in - the glossary terms a text mentions (one- and two-word spellings, aliases
// too: "deferred" -> "deferral"), each once, in order of first mention.
std::vector<std::string> glossary_terms_in(const std::string& text);
// reply_code_in - the reply code and enhanced status written at the start of a text
// ("451 4.3.0 Try again" -> 451, "4.3.0"); code 0 when the text does not start with one.
int reply_code_in(const std::string& text, std::string* enhanced = nullptr);

// QueueRowText - what a queue row says about its clocks, at virtual time `now`.
struct QueueRowText {
  std::string next;     // "in 14m29s" / "now" / "" (no attempt planned)
  std::string give_up;  // "give up in 3h59m" / "" (no deadline)
  std::string why;      // "next try = start of the previous attempt 00:01:00.421 + 15m = 00:16:00.421"
  std::string why_short;// "= last try began 00:01:00 + 15m" (the row's second line under the countdown)
};
QueueRowText queue_row_text(const SceneQueueRow& r, SimTime now);

}  // namespace smtpsim::viz
