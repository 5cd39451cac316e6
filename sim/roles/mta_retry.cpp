// mta_retry.cpp - the built-in retry presets and the arithmetic of their schedules.
#include "sim/roles/mta_retry.hpp"

#include <cmath>

namespace smtpsim {

std::optional<RetrySchedule> retry_preset(std::string_view name) {
  RetrySchedule p;
  p.name = std::string(name);
  if (name == "story") {
    p.description = "The story's rule: retry every 15 minutes; after 4 hours notify the sender and stop.";
    p.rules = {{hours(4), minutes(15), 1.0}};
    p.give_up_after = hours(4);
    p.from_start = true;
  } else if (name == "sendmail") {
    p.description = "sendmail: a queue run every 15 minutes (-q15m) and MinQueueAge 30m: a run skips a "
                    "message tried less than 30 minutes ago, counted from the end of that attempt (sendmail "
                    "stamps the queue file when the attempt is over). An attempt that takes any time at all ends "
                    "after its run began, so the run 30 minutes later finds it a little too young: retries land "
                    "on the next run after 30 minutes, every third run, 45 minutes apart. Warn after 4 hours "
                    "(Timeout.queuewarn), return after 5 days (Timeout.queuereturn).";
    p.rules = {{days(5), minutes(30), 1.0}};
    p.queue_run = minutes(15);
    p.min_queue_age = minutes(30);
    p.warn_after = hours(4);
    p.give_up_after = days(5);
  } else if (name == "postfix") {
    p.description = "Postfix: first retry after 300 s, the wait doubles up to 4000 s "
                    "(minimal/maximal_backoff_time), on deferred-queue scans every 300 s "
                    "(queue_run_delay); no delay warning; bounce after 5 days.";
    p.rules = {{days(5), sec(300), 2.0, 0, sec(4000)}};
    p.queue_run = sec(300);
    p.give_up_after = days(5);
  } else if (name == "exim") {
    p.description = "Exim: F,2h,15m; G,16h,1h,1.5; F,4d,6h - every 15 minutes for 2 hours, then "
                    "from 1 hour growing 1.5x until 16 hours, then every 6 hours; bounce after 4 days.";
    p.rules = {{hours(2), minutes(15), 1.0}, {hours(16), hours(1), 1.5}, {days(4), hours(6), 1.0}};
    p.warn_after = hours(24);
    p.give_up_after = days(4);
  } else {
    return std::nullopt;
  }
  return p;
}

std::vector<std::string> retry_preset_names() { return {"story", "sendmail", "postfix", "exim"}; }

std::optional<SimTime> next_attempt(const RetrySchedule& p, SimTime arrival, SimTime last_end, RetryState& st) {
  if (p.rules.empty()) return std::nullopt;
  Duration age = last_end - arrival;
  // Phases only move forward: past their `until`, or with their failures used up.
  std::size_t phase = std::min(st.phase, p.rules.size() - 1);
  int in_phase = phase == st.phase ? st.in_phase : 0;
  while (phase + 1 < p.rules.size() &&
         (age >= p.rules[phase].until || (p.rules[phase].attempts > 0 && in_phase >= p.rules[phase].attempts))) {
    ++phase;
    in_phase = 0;
  }
  const RetryRule& r = p.rules[phase];
  if (st.wait == 0 || in_phase == 0) {
    st.wait = r.interval;  // entering a phase: its first wait
  } else {
    st.wait = Duration(std::llround(double(st.wait) * r.factor));
  }
  st.phase = phase;
  st.in_phase = in_phase + 1;
  if (r.max_interval && st.wait > r.max_interval) st.wait = r.max_interval;
  if (p.max_interval && st.wait > p.max_interval) st.wait = p.max_interval;
  SimTime next = last_end + st.wait;
  if (p.min_queue_age && next < last_end + p.min_queue_age) next = last_end + p.min_queue_age;
  if (p.queue_run > 0) next = ((next + p.queue_run - 1) / p.queue_run) * p.queue_run;
  if (next - arrival >= p.give_up_after) return std::nullopt;
  return next;
}

std::vector<SimTime> attempt_times(const RetrySchedule& p, Duration attempt_cost) {
  std::vector<SimTime> out;
  RetryState st;
  SimTime t = 0;
  while (out.size() < 10000) {
    out.push_back(t);
    ++st.attempts;
    auto n = next_attempt(p, 0, p.from_start ? t : t + attempt_cost, st);
    if (!n) break;
    t = *n;
  }
  return out;
}

std::string describe(const RetrySchedule& p) {
  std::string s;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const RetryRule& r = p.rules[i];
    if (i) s += "; ";
    s += r.factor == 1.0 ? "every " + format_duration_exact(r.interval)
                         : "from " + format_duration_exact(r.interval) + " x" + std::to_string(r.factor).substr(0, 3);
    if (Duration cap = r.max_interval ? r.max_interval : p.max_interval; cap && r.factor != 1.0)
      s += " (max " + format_duration_exact(cap) + ")";
    if (r.attempts > 0) s += " for " + std::to_string(r.attempts) + " attempt" + (r.attempts == 1 ? "" : "s") + " or";
    s += " until " + format_duration_exact(r.until);
  }
  if (p.queue_run) s += "; queue runs every " + format_duration_exact(p.queue_run);
  if (p.warn_after) s += "; warn after " + format_duration_exact(*p.warn_after);
  s += "; bounce after " + format_duration_exact(p.give_up_after);
  return s;
}

}  // namespace smtpsim
