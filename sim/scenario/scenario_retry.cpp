// scenario_retry.cpp - retry presets in the lesson file's form (derived from the MTA's table) and
// schedule arithmetic.
#include "sim/scenario/scenario_retry.hpp"
#include "sim/roles/mta_retry.hpp"

#include <cmath>

namespace smtpsim::scenario {

// retry_preset - a built-in preset as the MTA defines it (sim/roles/mta_retry.cpp, the one table),
// in the lesson file's form: one stage per rule, the last one running until give_up_after.
RetrySpec retry_preset(RetryPreset p) {
  const smtpsim::RetrySchedule s = *smtpsim::retry_preset(to_string(p == RetryPreset::Custom ? RetryPreset::Story : p));
  RetrySpec r;
  r.preset = p;
  for (const smtpsim::RetryRule& rule : s.rules) {
    RetryStage st;
    st.interval = rule.interval;
    st.factor = rule.factor;
    st.max_interval = rule.max_interval ? rule.max_interval : s.max_interval;
    st.until = rule.until;
    st.attempts = rule.attempts;
    r.stages.push_back(st);
  }
  r.stages.back().until = kNever;
  r.queue_run = s.queue_run;
  r.warn_after = s.warn_after ? *s.warn_after : kNever;
  r.give_up_after = s.give_up_after;
  return r;
}

// retry_gap - walk past exhausted stages, then interval * factor^k capped at max_interval.
Duration retry_gap(const RetrySpec& spec, RetryCursor& cursor, Duration age) {
  if (spec.stages.empty()) return minutes(15);
  while (cursor.stage + 1 < spec.stages.size()) {
    const RetryStage& s = spec.stages[cursor.stage];
    bool expired = age >= s.until || (s.attempts > 0 && cursor.in_stage >= s.attempts);
    if (!expired) break;
    ++cursor.stage;
    cursor.in_stage = 0;
  }
  const RetryStage& s = spec.stages[cursor.stage];
  double gap = double(s.interval) * std::pow(s.factor, cursor.in_stage);
  if (s.max_interval > 0 && gap > double(s.max_interval)) gap = double(s.max_interval);
  if (gap > double(days(365))) gap = double(days(365));
  ++cursor.in_stage;
  Duration g = Duration(std::llround(gap));
  return g > 0 ? g : 1;
}

// next_attempt_time - bounce when too old, else now + gap rounded up to a queue-run tick.
SimTime next_attempt_time(const RetrySpec& spec, RetryCursor& cursor, SimTime first, SimTime now) {
  Duration age = now - first;
  if (age >= spec.give_up_after) return kNever;
  SimTime t = now + retry_gap(spec, cursor, age);
  if (spec.queue_run > 0) t = ((t + spec.queue_run - 1) / spec.queue_run) * spec.queue_run;
  return t;
}

// should_warn - age past warn_after (never when the warning is off).
bool should_warn(const RetrySpec& spec, Duration age) {
  return spec.warn_after != kNever && age >= spec.warn_after;
}

// schedule_preview - attempts of an always-failing message that instantly fails each time.
std::vector<SimTime> schedule_preview(const RetrySpec& spec, std::size_t limit) {
  std::vector<SimTime> out;
  RetryCursor cursor;
  SimTime t = 0;
  while (out.size() < limit) {
    out.push_back(t);
    SimTime next = next_attempt_time(spec, cursor, 0, t);
    if (next == kNever) break;
    t = next;
  }
  return out;
}

}  // namespace smtpsim::scenario
