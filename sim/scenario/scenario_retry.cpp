// scenario_retry.cpp - retry presets (PROTOCOL.md "Retry presets") and schedule arithmetic.
#include "sim/scenario/scenario_retry.hpp"

#include <cmath>

namespace smtpsim::scenario {

namespace {

// stage - a RetryStage from its numbers.
RetryStage stage(Duration interval, double factor = 1.0, Duration max_interval = 0,
                 Duration until = kNever) {
  RetryStage s;
  s.interval = interval;
  s.factor = factor;
  s.max_interval = max_interval;
  s.until = until;
  return s;
}

}  // namespace

// retry_preset - the concrete schedule of each named preset.
RetrySpec retry_preset(RetryPreset p) {
  RetrySpec r;
  r.preset = p;
  switch (p) {
    case RetryPreset::Story:
    case RetryPreset::Custom:
      r.stages = {stage(minutes(15))};
      r.give_up_after = hours(4);
      break;
    case RetryPreset::Sendmail:
      // queue runner every 15 min (-q15m); MinQueueAge 30m skips messages tried less than 30m ago
      r.stages = {stage(minutes(30))};
      r.queue_run = minutes(15);
      r.warn_after = hours(4);    // Timeout.queuewarn
      r.give_up_after = days(5);  // Timeout.queuereturn
      break;
    case RetryPreset::Postfix:
      // minimal_backoff_time 300s doubling to maximal_backoff_time 4000s; queue_run_delay 300s
      r.stages = {stage(sec(300), 2.0, sec(4000))};
      r.queue_run = sec(300);
      r.give_up_after = days(5);  // maximal_queue_lifetime; delay_warning_time 0 = off
      break;
    case RetryPreset::Exim:
      // F,2h,15m; G,16h,1h,1.5; F,4d,6h
      r.stages = {stage(minutes(15), 1.0, 0, hours(2)), stage(hours(1), 1.5, 0, hours(16)),
                  stage(hours(6), 1.0, 0, days(4))};
      r.warn_after = hours(24);
      r.give_up_after = days(4);
      break;
  }
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
