// playback_branches.hpp - the branches of a run played in the window: branch 0 is the lesson as
// written (never changed); acting on it starts branch 1; acting on a branch at a point before
// its last action (after a rewind) starts a new branch that keeps the actions made up to that
// point, while the old branch keeps the rest and stays listed. A branch is only a list of
// AppliedActions: playing it means re-simulating with_actions(lesson, its actions). Also the
// words a hand action is shown with on the timeline.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/scenario_action.hpp"

namespace smtpsim::viz {

// Branch - one line of hand actions on top of the lesson.
struct Branch {
  int id = 0;
  int parent = -1;                 // the branch it forked from (-1: branch 0)
  SimTime fork_at = 0;             // where it forked (virtual time)
  std::uint64_t fork_event = 0;    // ... and after how many events
  std::vector<scenario::AppliedAction> actions;
};

class Branches {
 public:
  Branches() { reset(); }
  // reset - only branch 0, the lesson as written, current.
  void reset();
  const std::vector<Branch>& all() const { return list_; }
  const Branch& current() const { return list_[std::size_t(current_)]; }
  int current_id() const { return current_; }
  const std::vector<scenario::AppliedAction>& actions() const { return current().actions; }
  // must_fork - whether acting after `n` events forks: always on branch 0 (the lesson stays as
  // written), and on a branch holding actions made after event n (it was rewound).
  bool must_fork(std::uint64_t n) const;
  // fork - a new current branch holding the current branch's actions made up to event n
  // (after_event <= n); returns its id.
  int fork(std::uint64_t n, SimTime t);
  // add - record an applied action on the current branch.
  void add(const scenario::AppliedAction& a);
  // switch_to - make branch `id` current; false when there is no such branch.
  bool switch_to(int id);
  // label - "branch 2: link internet - mx1.b.example cut at 00:02:00.000".
  std::string label(int id) const;

 private:
  std::vector<Branch> list_;
  int current_ = 0;
};

// action_text - a hand action in words for the timeline: "link internet - mx1.b.example cut",
// "out1.fra crashes", "mx1.b.example: greylisting on", "send a@a.example -> b@b.example".
std::string action_text(const scenario::Action& a);

}  // namespace smtpsim::viz
