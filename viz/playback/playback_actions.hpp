// playback_actions.hpp - `--actions FILE`: a list of what a person does, applied to the playback
// in file order, each when the clock reaches its `at`. Lesson timeline and send entries go
// through Playback::act (the same call the right-click menus and the compose dialog make); view
// verbs come from one table (playback_actions.cpp, kVerbs): a new verb is one entry there.
//   rewind_to: T       seek back to T (acting afterwards forks a branch)
//   screenshot: FILE   a PNG of the window at this moment (the app renders it)
//   presenter: on|off  UiState::presenter        predict: on|off  UiState::predict
//   open_menu: link A B | host H | dns H   the right-click menu of a link, a host, the DNS host's zones
//   compose: on|off    the compose dialog        branches: on|off  the branch list
//   tab: NAME          a bottom tab (transcript sequence message mailboxes charts)
//   inspect: "ID [N]"  the message inspector on Message-ID (or first) at hop N (default the last)
//   inspect_view: V    the inspector's header body raw or wire view
//   sequence: N        the sequence diagram of connection N
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_actions_file.hpp"
#include "viz/playback/playback.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// ActionTarget - what an entry acts on: the run, the window's UI state, and the screenshots the
// app is asked to write (it renders a frame for each, in order, then clears the list).
struct ActionTarget {
  Playback& pb;
  UiState& ui;
  std::vector<std::string> screenshots;
};

// VerbDef - one view verb: its key, a check of its value ("" when fine, else what is expected),
// and what it does.
struct VerbDef {
  const char* name;
  std::string (*check)(const std::string& value);
  void (*apply)(ActionTarget& t, const std::string& value);
};

// verb_table - every view verb an --actions file may use.
const std::vector<VerbDef>& verb_table();

class ActionScript {
 public:
  // load - read the file against the lesson; false with error() holding `file:line:col: ...` lines.
  bool load(const std::string& path, const scenario::ScenarioSpec& lesson);
  const std::string& error() const { return error_; }
  bool done() const { return next_ >= entries_.size(); }
  // next_at - when the next entry is due (nullopt: none left).
  std::optional<SimTime> next_at() const;
  // run_due - apply, in order, every entry due now (its at reached, or the run over); stops after
  // a screenshot entry until the app has taken the picture (t.screenshots empty again).
  void run_due(ActionTarget& t);
  // drive_to - headless: play to time `until`, applying entries on the way (--at, --scene, tests);
  // screenshot entries are skipped (no window): returns how many.
  int drive_to(ActionTarget& t, SimTime until);
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<scenario::ActionsEntry> entries_;
  std::size_t next_ = 0;
  std::string error_;
};

}  // namespace smtpsim::viz
