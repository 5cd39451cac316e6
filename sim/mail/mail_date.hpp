// mail_date.hpp - RFC 5322 dates from virtual time: a fixed wall-clock base plus SimTime.
//
// The simulation never reads the real clock. A MailClock maps virtual microseconds to a civil
// date: base wall time (default 2026-03-02 09:00:00 +0000) + t. The proleptic Gregorian
// calendar arithmetic is done here (days <-> civil date), independent of the C library,
// the TZ environment and std::chrono clocks.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace smtpsim::mail {

// CivilTime - a broken-down local date and time.
struct CivilTime {
  int year = 1970;
  int month = 1;    // 1..12
  int day = 1;      // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int weekday = 4;  // 0 = Sunday .. 6 = Saturday
  int offset_minutes = 0;  // zone offset east of UTC
  bool operator==(const CivilTime&) const = default;
};

// days_from_civil - days since 1970-01-01 of a proleptic Gregorian date (any year).
std::int64_t days_from_civil(std::int64_t year, int month, int day);
// civil_from_days - the inverse of days_from_civil (weekday filled in, time fields zero).
CivilTime civil_from_days(std::int64_t days);
// is_leap_year - Gregorian leap year rule.
bool is_leap_year(std::int64_t year);
// days_in_month - 28..31.
int days_in_month(std::int64_t year, int month);

// civil_from_unix - unix seconds shown at a zone offset.
CivilTime civil_from_unix(std::int64_t unix_seconds, int offset_minutes);
// unix_from_civil - a local civil time (with its offset) to unix seconds.
std::int64_t unix_from_civil(const CivilTime& c);

// format_rfc5322_date - "Mon, 02 Mar 2026 09:15:00 +0000" (RFC 5322 3.3, two-digit day).
std::string format_rfc5322_date(std::int64_t unix_seconds, int offset_minutes);

// ParsedDate - a date-time read back from a header.
struct ParsedDate {
  std::int64_t unix_seconds = 0;
  int offset_minutes = 0;
};
// parse_rfc5322_date - reads RFC 5322 date-time including obsolete forms (no day name, 2/3-digit
// years, named zones UT/GMT/EST..., trailing comments like "(UTC)"); nullopt if invalid.
std::optional<ParsedDate> parse_rfc5322_date(std::string_view text);

class MailClock {
 public:
  static constexpr std::string_view kDefaultBase = "2026-03-02 09:00:00 +0000";

  // MailClock - the default base, 2026-03-02 09:00:00 +0000.
  MailClock();
  // MailClock - base instant (unix seconds) shown at a zone offset (minutes east of UTC).
  MailClock(std::int64_t base_unix_seconds, int offset_minutes);
  // parse - "YYYY-MM-DD HH:MM[:SS] [+-HHMM|Z|UTC]" (the zone defaults to +0000); the time is
  // local to the zone. Also "YYYY-MM-DDTHH:MM:SS". nullopt if invalid.
  static std::optional<MailClock> parse(std::string_view base);

  std::int64_t base_unix() const { return base_; }
  int offset_minutes() const { return offset_; }

  // unix_seconds - wall-clock seconds at virtual time t (floor).
  std::int64_t unix_seconds(SimTime t) const;
  // sim_time - the virtual time of a unix instant (inverse of unix_seconds, whole seconds).
  SimTime sim_time(std::int64_t unix_seconds) const;
  // civil - the local civil time at t.
  CivilTime civil(SimTime t) const;
  // rfc5322 - "Mon, 02 Mar 2026 09:15:00 +0000" at t.
  std::string rfc5322(SimTime t) const;
  // compact - "20260302091500" (local) at t, used in Message-IDs.
  std::string compact(SimTime t) const;
  // iso - "2026-03-02 09:15:00 +0000" at t (the form parse() reads).
  std::string iso(SimTime t) const;

 private:
  std::int64_t base_;
  int offset_;
};

}  // namespace smtpsim::mail
