// time.hpp - virtual time: integer microseconds since the start of a run, and its text forms.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace smtpsim {

using SimTime = std::int64_t;   // microseconds since the run started
using Duration = std::int64_t;  // microseconds

inline constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

constexpr Duration usec(std::int64_t n) { return n; }
constexpr Duration msec(std::int64_t n) { return n * 1000; }
constexpr Duration sec(std::int64_t n) { return n * 1000'000; }
constexpr Duration minutes(std::int64_t n) { return n * 60'000'000; }
constexpr Duration hours(std::int64_t n) { return n * 3600'000'000LL; }
constexpr Duration days(std::int64_t n) { return n * 86400'000'000LL; }

// format_time - "HH:MM:SS.mmm" (hours grow past 99 when needed), as the transcript prints it.
std::string format_time(SimTime t);

// format_duration - a human form with at most two adjacent units: "250ms", "15m", "1h5m", "4h",
// "2d", "14m29s" (14m29s180ms rounds down; a zero unit ends it: 1h0m30s -> "1h").
std::string format_duration(Duration d);

// format_duration_exact - every unit from the largest to the smallest non-zero one, nothing
// dropped: 4000s -> "1h6m40s", 3630s -> "1h0m30s", 4h -> "4h", 1500ms -> "1s500ms". For
// explanations where the exact figure matters (a retry preset's 4000 s maximal backoff).
std::string format_duration_exact(Duration d);

// parse_duration - reads "250ms", "15m", "4h", "1h5m", "2d", "30s", "100us", "0"; nullopt if invalid.
std::optional<Duration> parse_duration(std::string_view text);

}  // namespace smtpsim
