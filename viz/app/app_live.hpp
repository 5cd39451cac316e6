// app_live.hpp - smtpsim-viz's live mode: the window around a LivePlayback (issue 13).
#pragma once
#include <string>

#include "viz/app/app_args.hpp"

namespace smtpsim::viz {

// run_live - open the window, start the lesson live (print the `ready` line), draw until the
// window closes, SIGINT/SIGTERM or --for; write --scene/--screenshot at the end (and the scene
// every --scene-every). Returns the exit status (0, or 2 for a bad lesson, flag or port).
int run_live(const AppArgs& args, const std::string& lesson);

}  // namespace smtpsim::viz
