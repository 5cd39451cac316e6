// scenario_runner.hpp - runs a lesson: builds its world, sends its messages, plays its timeline
// of faults, marks its narration steps, and at the end checks its expectations and mail
// conservation. The CLI runs it to the end; the visualizer steps it and reads it.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_build.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

struct RunOptions {
  std::optional<std::uint64_t> seed;  // overrides the file's seed
  std::optional<SimTime> until;       // overrides the file's run length
  bool keep_bytes = true;             // keep wire bytes in the trace (pcap, inspector)
  // before_start - called after the world is built and before it starts: add a terminal host
  // and link (`smtpsim talk`), attach exporters, subscribe to the trace.
  std::function<void(BuiltWorld&)> before_start;
};

// ExpectResult - one expectation's verdict, with the evidence in words.
struct ExpectResult {
  Expectation expectation;
  bool pass = false;
  std::string detail;
};

struct RunReport {
  std::string file;
  std::string title;
  std::uint64_t seed = 0;
  SimTime end = 0;
  std::uint64_t events = 0;
  std::string trace_hash;
  int submitted = 0;                // messages the clients had accepted by their MSA
  LedgerSummary ledger;
  std::vector<ExpectResult> expectations;
  int passed = 0, failed = 0;
  // ok - every expectation passed and no mail was lost or duplicated without explanation.
  bool ok() const { return failed == 0 && ledger.problems.empty(); }
  // summary_line - "messages: 1 submitted, 1 delivered, 0 bounced, 0 queued, 0 lost | expectations: 4 passed, 0 failed".
  std::string summary_line() const;
};

class ExpectationEvidence;

class ScenarioRun {
 public:
  ScenarioRun(const ScenarioSpec& spec, RunOptions opts = {});
  ~ScenarioRun();

  World& world() { return *built_.world; }
  const ScenarioSpec& spec() const { return spec_; }
  // end_time - where run_to_end stops (a fixed time, or computed when the mail goes quiet).
  SimTime planned_end() const { return planned_end_; }

  // run_until - advance the simulation to virtual time t.
  void run_until(SimTime t);
  // run_to_end - run until the file's `until`, or until the mail is quiet plus the grace time.
  void run_to_end(const std::function<void(SimTime now, SimTime horizon)>& progress = {});
  // finish - check the expectations and the ledger (after run_to_end or run_until).
  RunReport finish();

  // message_ids - the Message-IDs a `send` entry (1-based index) produced, in order.
  std::vector<std::string> message_ids(int index) const;
  // current_step - the narration step in effect now (-1 before the first).
  int current_step() const { return step_; }

 private:
  void schedule_sends();
  void schedule_timeline();
  void apply(const TimelineEntry& t);
  // apply_behaviour - a behaviour change on an SMTP or POP3 host, or on every member of a
  // cluster (scenario_behaviour.cpp).
  std::string apply_behaviour(World& w, const BehaviourChange& b);
  void watch_narration(const TraceEvent& e);

  ScenarioSpec spec_;
  RunOptions opts_;
  BuiltWorld built_;
  std::map<int, std::vector<std::string>> msgids_;   // send index -> Message-IDs
  std::map<std::uint64_t, std::vector<std::string>> conn_cmds_;  // reply matching
  SimTime last_action_ = 0;
  SimTime planned_end_ = kNever;
  int step_ = -1;
  std::size_t narration_sub_ = 0;
  std::shared_ptr<ExpectationEvidence> evidence_;  // what the expectations read (scenario_evidence.hpp)
  friend class ExpectationChecker;
};

}  // namespace smtpsim::scenario
