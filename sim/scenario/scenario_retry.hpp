// scenario_retry.hpp - retry schedules of a lesson: the presets and the arithmetic that turns a
// RetrySpec into "when is the next attempt", as documented in scenario_spec.hpp.
#pragma once
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// RetryCursor - per message (or per recipient) schedule state an MTA queue keeps.
struct RetryCursor {
  std::size_t stage = 0;  // index into RetrySpec::stages
  int in_stage = 0;       // failures already spent in that stage
};

// retry_gap - the gap after one more failure at message age `age`; advances the cursor.
Duration retry_gap(const RetrySpec& spec, RetryCursor& cursor, Duration age);

// next_attempt_time - after a temporary failure at `now` of a message first tried at `first`:
// kNever when the message must bounce now (age >= give_up_after), else the start of the next
// attempt (rounded up to the next queue-run tick when queue_run > 0). Advances the cursor.
SimTime next_attempt_time(const RetrySpec& spec, RetryCursor& cursor, SimTime first, SimTime now);

// should_warn - whether a delay warning is due at this age (the caller sends it once).
bool should_warn(const RetrySpec& spec, Duration age);

// schedule_preview - the attempt times of a message that always fails, from 0 until it bounces
// (at most `limit` entries; the last one is the bouncing attempt). For FORMAT.md and tests.
std::vector<SimTime> schedule_preview(const RetrySpec& spec, std::size_t limit = 200);

}  // namespace smtpsim::scenario
