// app_args.hpp - the command line of smtpsim-viz:
//   smtpsim-viz [LESSON] [--at T] [--speed X] [--size WxH] [--screenshot OUT.png] [--scene OUT.json]
//               [--play-to-end] [--actions FILE] [--save-lesson OUT.yaml] [--presenter] [--predict]
#pragma once
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
  std::string actions;                // --actions FILE: what a person does, applied as the clock goes
  std::string save_lesson;            // --save-lesson OUT.yaml: the current branch, written on exit
  bool help = false;
  bool presenter = false;             // start in presenter mode
  bool predict = false;               // start in predict mode (with --screenshot: at the first question after --at)
  bool presenter_scale_only = false;  // test only: presenter mode scales the small atlas (blurry)
};

// parse_args - false with `error` set on a bad command line.
bool parse_args(int argc, char** argv, AppArgs& out, std::string& error);
// usage - the help text.
const char* usage();
// default_lesson - scenarios/lessons/story.yaml near the executable or the source tree ("" = none).
std::string default_lesson(const char* argv0);

}  // namespace smtpsim::viz
