// cli_progress.hpp - the progress line of long runs on a terminal: virtual time reached out of the
// planned end, a bar, and the event rate. Wall-clock time is measured here (sim/cli only).
#pragma once
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "sim/core/time.hpp"

namespace smtpsim::cli {

// WallClock - wall time since construction, for the summary's wall time and the event rate.
class WallClock {
 public:
  WallClock() : start_(std::chrono::steady_clock::now()) {}
  // seconds - wall seconds elapsed.
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// render_progress - one progress line (no CR/newline): "[#####.....]  42%  virtual 01:20:00 /
// 03:00:00  1.2M events  350k events/s"; when `open_end` (the run goes until the mail is quiet and
// the horizon is only a maximum) there is no bar: "virtual 01:20:00, running until the mail is
// quiet (at most 30d)  ...".
std::string render_progress(SimTime now, SimTime horizon, bool open_end, std::uint64_t events,
                            double events_per_second, std::size_t bar_width = 24);

// ProgressLine - draws render_progress on a terminal, no more than ~10 times a second and only once
// the run has taken longer than `delay_seconds`, and erases itself at the end.
class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool enabled, double delay_seconds = 0.5);
  ~ProgressLine();
  // update - the run reached `now` of `horizon` with `events` trace events so far.
  void update(SimTime now, SimTime horizon, bool open_end, std::uint64_t events);
  // clear - erase the line (before printing results).
  void clear();

 private:
  std::ostream& out_;
  bool enabled_;
  double delay_;
  WallClock clock_;
  double last_draw_ = -1;
  bool drawn_ = false;
};

}  // namespace smtpsim::cli
