// time.cpp - formatting and parsing of virtual times and durations.
#include "sim/core/time.hpp"

#include <cstdio>
#include <limits>

namespace smtpsim {

std::string format_time(SimTime t) {
  bool neg = t < 0;
  if (neg) t = -t;
  std::int64_t ms = t / 1000;
  std::int64_t h = ms / 3600000, m = (ms / 60000) % 60, s = (ms / 1000) % 60, f = ms % 1000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%02lld:%02lld:%02lld.%03lld", neg ? "-" : "", (long long)h,
                (long long)m, (long long)s, (long long)f);
  return buf;
}

namespace {
// kUnits - the units durations are written in, largest first (both formatters walk them).
struct Unit { Duration size; const char* name; };
constexpr Unit kUnits[] = {{days(1), "d"}, {hours(1), "h"}, {minutes(1), "m"},
                           {sec(1), "s"},  {msec(1), "ms"}, {1, "us"}};
}  // namespace

std::string format_duration(Duration d) {
  if (d == 0) return "0s";
  std::string out;
  if (d < 0) { out = "-"; d = -d; }
  // At most the two largest units, like people say it: "14m29s", not "14m29s180ms".
  int shown = 0;
  for (const Unit& u : kUnits) {
    if (shown > 0) ++shown;  // a unit after the first counts even when it is zero
    if (d >= u.size) {
      out += std::to_string(d / u.size);
      out += u.name;
      d %= u.size;
      if (shown == 0) shown = 1;
    }
    if (shown >= 2) break;
  }
  return out;
}

std::string format_duration_exact(Duration d) {
  if (d == 0) return "0s";
  std::string out;
  if (d < 0) { out = "-"; d = -d; }
  bool started = false;
  for (const Unit& u : kUnits) {
    if (d == 0) break;  // nothing smaller left: no trailing "0s"
    if (d >= u.size || started) {
      out += std::to_string(d / u.size);
      out += u.name;
      d %= u.size;
      started = true;
    }
  }
  return out;
}

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return Duration{0};
  Duration total = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    std::int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 1'000'000'000LL) return std::nullopt;
      ++i;
    }
    std::size_t j = i;
    while (j < text.size() && ((text[j] >= 'a' && text[j] <= 'z'))) ++j;
    std::string_view unit = text.substr(i, j - i);
    Duration scale;
    if (unit == "us") scale = 1;
    else if (unit == "ms") scale = msec(1);
    else if (unit == "s") scale = sec(1);
    else if (unit == "m" || unit == "min") scale = minutes(1);
    else if (unit == "h") scale = hours(1);
    else if (unit == "d") scale = days(1);
    else return std::nullopt;
    // Reject what would overflow int64 microseconds ("1000000000d") instead of wrapping.
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    if (n > (kMax - total) / scale) return std::nullopt;
    total += n * scale;
    any = true;
    i = j;
  }
  if (!any) return std::nullopt;
  return total;
}

}  // namespace smtpsim
