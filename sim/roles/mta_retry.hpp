// mta_retry.hpp - retry schedules as data: the story's 15 min / 4 h rule and real MTAs' defaults.
//
// A preset answers three questions for a deferred message: when is the next attempt, when is the
// sender warned that delivery is delayed, and when does the MTA give up and bounce. The same data
// draws the retry timeline in the visualizer and in `smtpsim explain retry`.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim {

// RetryRule - one phase of a schedule: until `until` after arrival (and for at most `attempts`
// failures, when set), wait `interval` between attempts, multiplying it by `factor` after each
// attempt (1.0 = fixed), as Exim's F/G rules; a growing wait stops at `max_interval` (0 = none).
struct RetryRule {
  Duration until = 0;
  Duration interval = minutes(15);
  double factor = 1.0;
  int attempts = 0;          // failures this phase covers (0 = as many as fit before `until`)
  Duration max_interval = 0; // cap for this phase (the schedule's max_interval caps every phase)
};

struct RetrySchedule {
  std::string name;                    // "story", "sendmail", "postfix", "exim", or a custom name
  std::string description;             // one line for people
  std::vector<RetryRule> rules;        // phases in order; the last one runs until give_up_after
  Duration max_interval = 0;           // cap on a growing interval (postfix maximal_backoff_time); 0 = none
  Duration queue_run = 0;              // retries only happen at queue runs every queue_run (sendmail -q15m); 0 = any time
  Duration min_queue_age = 0;          // and not sooner than this after the previous attempt (sendmail MinQueueAge)
  std::optional<Duration> warn_after;  // send a "delayed" DSN once the message is this old
  Duration give_up_after = hours(4);   // bounce once the message is this old and still undelivered
  bool from_start = false;             // intervals count from the start of the last attempt
                                       // (a clean 15-minute grid), not from its end (real MTAs)
};

// retry_preset - the named built-in preset, or nullopt for an unknown name.
std::optional<RetrySchedule> retry_preset(std::string_view name);
// retry_preset_names - the built-in names, in the order people meet them.
std::vector<std::string> retry_preset_names();

// RetryState - what a queue entry remembers between attempts to follow its preset.
struct RetryState {
  int attempts = 0;        // attempts made so far
  std::size_t phase = 0;   // the rule the last wait came from
  int in_phase = 0;        // waits already taken from that rule
  Duration wait = 0;       // the last wait (grows in geometric phases)
};

// next_attempt - after an attempt that ended at `last_end` (st.attempts already counts it), when
// to try again for a message that arrived at `arrival`; nullopt when that would be at or after
// give_up_after (the MTA then bounces at arrival + give_up_after). Updates st.
std::optional<SimTime> next_attempt(const RetrySchedule& p, SimTime arrival, SimTime last_end, RetryState& st);

// attempt_times - the schedule of attempts for a destination that never answers, each attempt
// taking `attempt_cost`: what the visualizer draws and what the tests check against.
std::vector<SimTime> attempt_times(const RetrySchedule& p, Duration attempt_cost = 0);

// describe - "every 15m; bounce after 4h" style summary of a preset.
std::string describe(const RetrySchedule& p);

}  // namespace smtpsim
