// cli_progress.cpp - the progress line of long runs on a terminal.
#include "sim/cli/cli_progress.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace smtpsim::cli {

namespace {

// short_count - 950, 12.3k, 4.5M.
std::string short_count(double n) {
  char buf[32];
  if (n < 1000) std::snprintf(buf, sizeof buf, "%.0f", n);
  else if (n < 1e6) std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  else if (n < 1e9) std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else std::snprintf(buf, sizeof buf, "%.1fG", n / 1e9);
  return buf;
}

// clock_text - "01:20:00" (whole seconds; hours grow past 99).
std::string clock_text(SimTime t) { return format_time(t).substr(0, format_time(t).size() - 4); }

}  // namespace

// render_progress - the text of one progress line (see the header).
std::string render_progress(SimTime now, SimTime horizon, bool open_end, std::uint64_t events,
                            double events_per_second, std::size_t bar_width) {
  std::string line;
  if (open_end || horizon <= 0 || horizon == kNever) {
    // No known end: the run goes on until the mail is quiet, so there is nothing to fill a bar with.
    line = "virtual " + clock_text(now) + ", running until the mail is quiet";
    if (horizon > 0 && horizon != kNever) line += " (at most " + format_duration(horizon) + ")";
  } else {
    double frac = std::clamp(double(now) / double(horizon), 0.0, 1.0);
    line = "[";
    auto filled = static_cast<std::size_t>(frac * double(bar_width) + 0.5);
    line.append(std::min(filled, bar_width), '#');
    line.append(bar_width - std::min(filled, bar_width), '.');
    char pct[16];
    std::snprintf(pct, sizeof pct, "] %3d%%", int(frac * 100.0));
    line += pct;
    line += "  virtual " + clock_text(now) + " / " + clock_text(horizon);
  }
  line += "  " + short_count(double(events)) + " events  " + short_count(events_per_second) + " events/s";
  return line;
}

// ProgressLine - drawing starts only after delay_seconds of wall time.
ProgressLine::ProgressLine(std::ostream& out, bool enabled, double delay_seconds)
    : out_(out), enabled_(enabled), delay_(delay_seconds) {}

// ~ProgressLine - never leave a half line on the terminal.
ProgressLine::~ProgressLine() { clear(); }

// ProgressLine::update - redraw, at most ten times a second.
void ProgressLine::update(SimTime now, SimTime horizon, bool open_end, std::uint64_t events) {
  if (!enabled_) return;
  double t = clock_.seconds();
  if (t < delay_ || (last_draw_ >= 0 && t - last_draw_ < 0.1)) return;
  last_draw_ = t;
  out_ << "\r\033[K" << render_progress(now, horizon, open_end, events, double(events) / std::max(t, 1e-6))
       << std::flush;
  drawn_ = true;
}

// ProgressLine::clear - erase the line if one is drawn.
void ProgressLine::clear() {
  if (!drawn_) return;
  out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace smtpsim::cli
