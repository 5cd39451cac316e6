// scenario_runner.hpp - runs a lesson: builds its world, sends its messages, plays its timeline
// of faults, marks its narration steps, and at the end checks its expectations and mail
// conservation. The CLI runs it to the end; the visualizer steps it, changes it and reads it.
//
// Steering (apply): a hand-made action is applied at the point the run is paused at - virtual
// time now() after executed() events - and recorded (actions()). Order, defined once: a lesson's
// timeline entry at time T runs as a scheduled event at T; an applied action runs exactly between
// event executed()-1 and event executed(), and is recorded with that index (`after_event: N` in a
// saved lesson). At one index, timeline changes come first, then new messages, each in the order
// they were applied (a new message made while paused is sent when the run resumes, at that point).
// A run built from with_actions(spec, actions()) replays every record at the same index, so it
// gives the same trace, byte for byte.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_action.hpp"
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

// ExpectVerdict - one expectation as the run has decided it so far: pending until what happened
// settles it (a delivery in its window passes it at once; a deadline that passes fails it; a
// negative settles only at its window's end or the run's end, in finish()).
struct ExpectVerdict {
  enum class Status : unsigned char { Pending, Pass, Fail };
  Status status = Status::Pending;
  SimTime at = -1;       // the virtual time it was decided (-1: pending)
  ExpectResult result;   // the verdict with its evidence once decided (result.expectation always)
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

  // run_until - advance the simulation to virtual time t (recorded actions replay on the way).
  void run_until(SimTime t);
  // step - run the next event (after any action due at this point); false when none is pending.
  bool step();
  // run_to_event - step until executed() == n (or nothing is pending); true if it got there.
  bool run_to_event(std::uint64_t n);
  // now / executed - the virtual time, and how many events have run (the next event's index).
  SimTime now() const { return built_.world->sched.now(); }
  std::uint64_t executed() const { return built_.world->sched.executed(); }
  // next_event_time - when the next event happens (for "skip idle"); nullopt when none is pending.
  std::optional<SimTime> next_event_time();

  // apply - change the world now (see the header comment); recorded in actions().
  void apply(Action action);
  // fire_pending - apply the records due at this point now (what apply() and step() do first):
  // a re-simulation that stopped at a recorded action's index reaches the state after it.
  void fire_pending() { fire_due(); }
  // actions - every action applied by hand in this run, in order.
  const std::vector<AppliedAction>& actions() const { return actions_; }
  // run_to_end - run until the file's `until`, or until the mail is quiet plus the grace time.
  void run_to_end(const std::function<void(SimTime now, SimTime horizon)>& progress = {});
  // finish - check the expectations and the ledger (after run_to_end or run_until).
  RunReport finish();
  // verdicts - the expectations as decided by now(), one per spec().expectations entry; a decided
  // one never changes and agrees with finish() (scenario_check.cpp).
  const std::vector<ExpectVerdict>& verdicts();

  // message_ids - the Message-IDs a `send` entry (1-based index) produced, in order.
  std::vector<std::string> message_ids(int index) const;
  // current_step - the narration step in effect now (-1 before the first).
  int current_step() const { return step_; }

 private:
  // Replay - a record of the spec (after_event set) waiting for its index.
  struct Replay {
    std::uint64_t after_event;
    SimTime at;
    bool message;       // a MessageSpec (fired after the timeline changes of the same index)
    std::size_t index;  // into spec_.timeline or spec_.messages
  };
  void schedule_sends();
  void schedule_timeline();
  void send(const MessageSpec& m);
  void apply_entry(const TimelineEntry& t);
  // fire_due - apply what is due at executed(): recorded entries, then held new messages.
  void fire_due();
  // advance - run_until honouring the replay points.
  void advance(SimTime t);
  // apply_behaviour - a behaviour change on an SMTP or POP3 host, or on every member of a
  // cluster (scenario_behaviour.cpp).
  std::string apply_behaviour(World& w, const BehaviourChange& b);
  // apply_retry - a sending host's (or each cluster member's) retry preset (scenario_behaviour.cpp).
  std::string apply_retry(World& w, const RetryAction& r);
  void watch_narration(const TraceEvent& e);

  ScenarioSpec spec_;
  RunOptions opts_;
  BuiltWorld built_;
  std::map<int, std::vector<std::string>> msgids_;   // send index -> Message-IDs
  std::map<std::uint64_t, std::vector<std::string>> conn_cmds_;  // reply matching
  std::vector<Replay> replays_;                       // sorted by (after_event, message, order)
  std::size_t replay_next_ = 0;
  std::vector<AppliedAction> actions_;
  std::vector<MessageSpec> held_;                     // new messages made while paused
  int extra_messages_ = 0;                            // messages added by apply()
  SimTime last_action_ = 0;
  SimTime planned_end_ = kNever;
  int step_ = -1;
  std::size_t narration_sub_ = 0;
  std::shared_ptr<ExpectationEvidence> evidence_;  // what the expectations read (scenario_evidence.hpp)
  std::vector<ExpectVerdict> verdicts_;           // verdicts(): decided so far
  std::uint64_t verdicts_events_ = ~0ull;         // the trace's count when they were last looked at
  SimTime verdicts_close_ = kNever;               // the earliest window end among the pending ones
  friend class ExpectationChecker;
};

}  // namespace smtpsim::scenario
