// scenario_action.hpp - a change made to a running lesson by hand (a fault, a behaviour, a DNS
// change, a new message), the record of when it was made, and how records become lesson text.
//
// An action is what a `timeline:` entry does (a TimelineEntry) or what a `send:` entry does (a
// MessageSpec). ScenarioRun::apply takes one at the current point of the run and records it as an
// AppliedAction: the virtual time and the number of events that had run (`after_event`). A run
// built from the spec plus its records (with_actions) replays them at exactly those points.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// Action - a timeline entry's change (its `at` is ignored: it happens now) or a new message.
using Action = std::variant<TimelineEntry, MessageSpec>;

// AppliedAction - one action as it was applied: when, after how many events, and what.
struct AppliedAction {
  SimTime at = 0;                 // virtual time it was applied at
  std::uint64_t after_event = 0;  // Scheduler::executed() when it was applied
  Action action;
};

// with_actions - `spec` with the records appended: timeline entries and messages carrying
// `after_event` (messages get the next send index and an id if they have none).
ScenarioSpec with_actions(const ScenarioSpec& spec, const std::vector<AppliedAction>& actions);

// duration_text - a duration as the lesson format writes it: "0", "30s", "1h5m", "1s250ms17us".
std::string duration_text(Duration d);

// action_yaml - one record as a YAML flow mapping on one line, in the lesson's key spelling:
//   { at: 1m30s, after_event: 412, link: [internet, mx1.b.example], state: down }
//   { id: extra-1, at: 2m, after_event: 977, from: a@a.example, to: [b@b.example], subject: "Hi" }
std::string action_yaml(const AppliedAction& a);

}  // namespace smtpsim::scenario
