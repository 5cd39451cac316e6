// scenario_actions_file.hpp - reading an `--actions` file: a YAML list of what a person does to a
// running lesson, in file order, each when the clock reaches its `at`:
//   - { at: 20m, link: [internet, mx1.b.example], state: up }     a lesson timeline entry
//   - { at: 2m, send: { from: a@a.example, to: b@b.example } }     a lesson send entry
//   - { at: 30m, rewind_to: 10m }                                  a view verb (named by the caller)
// Timeline and send entries are read by the lesson loader's own readers and checked against the
// lesson (unknown hosts, users and links get the same messages as in a lesson file); verbs are
// only collected here (their values are checked by whoever knows them, e.g. the visualizer).
// Problems come back as `file:line:column: message`, never half a list.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// ActionsEntry - one entry of the list: exactly one of timeline, message or verb.
struct ActionsEntry {
  SimTime at = 0;
  SourcePos pos;                          // where the entry starts
  std::optional<TimelineEntry> timeline;  // a fault, behaviour, DNS change or note
  std::optional<MessageSpec> message;     // `send:` (its id, via and index as apply() sets them)
  std::string verb;                       // a caller's verb (rewind_to, screenshot, ...)
  std::string value;                      // the verb's value as written (a scalar)
  SourcePos value_pos;
};

struct ActionsFile {
  std::vector<ActionsEntry> entries;    // set only when there is no error
  std::vector<Diagnostic> diagnostics;  // by position
  bool ok() const;
  // format - every diagnostic on its own line.
  std::string format() const;
};

// load_actions_string - read `text` (named `name` in messages) against `lesson`; `verbs` are the
// keys the caller handles itself, each with a scalar value.
ActionsFile load_actions_string(std::string_view text, const std::string& name, const ScenarioSpec& lesson,
                                const std::vector<std::string>& verbs);
// load_actions_file - the same for a file (cannot open it: a diagnostic too).
ActionsFile load_actions_file(const std::string& path, const ScenarioSpec& lesson,
                              const std::vector<std::string>& verbs);

}  // namespace smtpsim::scenario
