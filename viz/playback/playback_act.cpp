// playback_act.cpp - the hands-on half of Playback: applying an action by hand at the current
// moment (a right-click menu, the compose dialog and an --actions file all come here), forking
// and switching branches by re-simulation, and writing the current branch as a lesson.
#include <fstream>

#include "sim/scenario/scenario_save.hpp"
#include "viz/playback/playback.hpp"

namespace smtpsim::viz {

// act - fork first when needed; the live run is the branch's run from then on.
void Playback::act(const scenario::Action& a) {
  if (!run_) return;
  const std::uint64_t n = executed();
  const SimTime t = now_;
  if (branches_.must_fork(n)) {
    bool diverged = false;  // the live run would still replay the old branch's later actions
    for (const scenario::AppliedAction& x : branches_.actions())
      if (x.after_event > n) diverged = true;
    branches_.fork(n, t);
    spec_ = scenario::with_actions(*base_, branches_.actions());
    if (diverged) resim_to(n, t);
  }
  // A replay applies the actions recorded at one point timeline entries first, then messages
  // (scenario_runner.cpp). A change made after a message composed at this same point would run in
  // the other order live: re-simulate to here instead, so the window shows what the saved lesson replays.
  bool reorder = false;
  if (std::holds_alternative<scenario::TimelineEntry>(a))
    for (const scenario::AppliedAction& x : branches_.actions())
      if (x.after_event == n && std::holds_alternative<scenario::MessageSpec>(x.action)) reorder = true;
  run_->apply(a);
  branches_.add(run_->actions().back());
  spec_ = scenario::with_actions(*base_, branches_.actions());
  if (reorder) resim_to(n, t);
  report_.reset();
  // The future changed: learn the new end, timeline marks and busy moments from a headless run
  // of the branch (the same run: it replays the actions at the same points).
  do_prerun();
}

bool Playback::switch_branch(int id) {
  if (!run_ || !branches_.switch_to(id)) return false;
  const SimTime t = now_;
  const bool was = playing_;
  spec_ = scenario::with_actions(*base_, branches_.actions());
  do_prerun();
  rebuild();
  rewinding_ = true;
  run_->run_until(std::min(t, end_));
  rewinding_ = false;
  now_ = run_->world().sched.now();
  playing_ = was && !finished();
  return true;
}

std::string Playback::saved_lesson_text() const {
  return scenario::save_as_lesson(text_, branches_.actions());
}

std::string Playback::save_lesson(const std::string& path) const {
  if (text_.empty()) return "no lesson file text to save from";
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << saved_lesson_text();
  f.flush();
  if (!f) return "cannot write '" + path + "'";
  return {};
}

}  // namespace smtpsim::viz
