// scenario_save.hpp - "save as lesson": the original lesson text with a run's hand-made actions
// added, so `smtpsim run` on the result replays the run exactly.
#pragma once
#include <string>
#include <vector>

#include "sim/scenario/scenario_action.hpp"

namespace smtpsim::scenario {

// save_as_lesson - `original` (the lesson file's text) with every timeline action appended to its
// top-level `timeline:` and every new message to its `send:`, one flow mapping per line. The rest
// of the text (comments, narration, expectations) is kept byte for byte. Handles block lists
// (`- ...` lines, appended after the section's last entry), flow lists (`[ ... ]`, entries added
// before the closing bracket) and a missing or empty section (created at the end of the file).
std::string save_as_lesson(const std::string& original, const std::vector<AppliedAction>& actions);

}  // namespace smtpsim::scenario
