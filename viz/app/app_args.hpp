// app_args.hpp - the command line of smtpsim-viz:
//   smtpsim-viz [LESSON] [--at T] [--speed X] [--size WxH] [--screenshot OUT.png] [--scene OUT.json]
//               [--play-to-end] [--actions FILE] [--save-lesson OUT.yaml] [--presenter] [--predict]
//               [--tab NAME] [--inspect MSGID] [--hop N] [--view V] [--conn N]
//   smtpsim-viz --live LESSON --expose HOST:PORT=127.0.0.1:LOCALPORT ... [--gateway ...]
//               [--write-ca F] [--for T] [--scene F [--scene-every T]] [--screenshot F] (live mode)
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/time.hpp"
#include "sim/live/live_args.hpp"

namespace smtpsim::viz {

struct AppArgs {
  std::string lesson;                 // "" = the default (story)
  std::optional<SimTime> at;          // render at this virtual time
  std::optional<double> speed;        // virtual seconds per wall second
  int width = 1280, height = 800;
  std::string screenshot, scene;      // output files ("" = none)
  bool play_to_end = false;
  // inspect (issue 12): open a bottom tab (transcript sequence message mailboxes charts), a message
  // ("" = none, "first" = the first one) at a hop (1-based, 0 = the last), a connection.
  std::string tab, inspect;
  int hop = 0;
  std::string view;                   // the inspector's view: header body raw wire
  std::uint64_t conn = 0;
  std::string actions;                // --actions FILE: what a person does, applied as the clock goes
  std::string save_lesson;            // --save-lesson OUT.yaml: the current branch, written on exit
  bool help = false;
  bool presenter = false;             // start in presenter mode
  bool predict = false;               // start in predict mode (with --screenshot: at the first question after --at)
  bool presenter_scale_only = false;  // test only: presenter mode scales the small atlas (blurry)

  // -- live (issue 13): the lesson in real time, real clients on loopback (viz/app/app_live.cpp)
  bool live = false;
  live::Targets targets;              // --expose / --gateway (sim/live/live_args: smtpsim live's parser)
  std::string write_ca;               // --write-ca F
  std::optional<SimTime> run_for;     // --for T: close the window after T of wall time
  std::optional<SimTime> scene_every; // --scene-every T: rewrite --scene while running (else at exit)
};

// parse_args - false with `error` set on a bad command line.
bool parse_args(int argc, char** argv, AppArgs& out, std::string& error);
// usage - the help text.
const char* usage();
// default_lesson - scenarios/lessons/story.yaml near the executable or the source tree ("" = none).
std::string default_lesson(const char* argv0);

}  // namespace smtpsim::viz
