// app_args.hpp - the command line of smtpsim-viz:
//   smtpsim-viz [LESSON] [--at T] [--speed X] [--size WxH] [--screenshot OUT.png] [--scene OUT.json]
//               [--play-to-end] [--actions FILE] [--save-lesson OUT.yaml]
//               [--tab NAME] [--inspect MSGID] [--hop N] [--view V] [--conn N]
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/time.hpp"

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
};

// parse_args - false with `error` set on a bad command line.
bool parse_args(int argc, char** argv, AppArgs& out, std::string& error);
// usage - the help text.
const char* usage();
// default_lesson - scenarios/lessons/story.yaml near the executable or the source tree ("" = none).
std::string default_lesson(const char* argv0);

}  // namespace smtpsim::viz
