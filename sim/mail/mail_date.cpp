// mail_date.cpp - civil calendar arithmetic and RFC 5322 date-time formatting/parsing.
#include "sim/mail/mail_date.hpp"
#include "sim/core/ascii.hpp"
#include "sim/mail/mail_cfws.hpp"

#include <cstdio>

namespace smtpsim::mail {

namespace {

constexpr const char* kDays[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// floor_div - division rounding toward negative infinity.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

constexpr auto iequal = ascii_iequals;

// Cursor - a tiny scanner over date text (skips FWS and comments between tokens).
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  // skip_cfws - whitespace, CRLF folds and (possibly nested) comments.
  void skip_cfws() {
    while (i < s.size()) {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { ++i; continue; }
      if (c == '(') {
        i = skip_comment(s, i);
        continue;
      }
      break;
    }
  }
  // number - 1..max_digits decimal digits; -1 if none.
  int number(std::size_t min_digits, std::size_t max_digits, std::size_t* ndigits = nullptr) {
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < max_digits) v = v * 10 + (s[i++] - '0');
    if (ndigits) *ndigits = i - start;
    if (i - start < min_digits) { i = start; return -1; }
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') { i = start; return -1; }  // too many digits
    return v;
  }
  // word - a run of letters.
  std::string_view word() {
    std::size_t start = i;
    while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
    return s.substr(start, i - start);
  }
  bool eat(char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  }
  bool done() const { return i >= s.size(); }
};

// zone_from_name - RFC 5322 4.3 obsolete zone names; nullopt if unknown. Military single letters
// are treated as "-0000" (unknown), as 4.3 advises.
std::optional<int> zone_from_name(std::string_view z) {
  struct Z { const char* name; int minutes; };
  static constexpr Z zones[] = {{"UT", 0},       {"GMT", 0},      {"UTC", 0},      {"Z", 0},
                                {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
                                {"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60}};
  for (const Z& e : zones)
    if (iequal(z, e.name)) return e.minutes;
  if (z.size() == 1 && ((z[0] >= 'A' && z[0] <= 'I') || (z[0] >= 'K' && z[0] <= 'Z') ||
                        (z[0] >= 'a' && z[0] <= 'i') || (z[0] >= 'k' && z[0] <= 'z')))
    return 0;
  return std::nullopt;
}

// format_offset - "+0100", "-0530".
std::string format_offset(int offset_minutes) {
  char buf[8];
  int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%c%02d%02d", offset_minutes < 0 ? '-' : '+', (a / 60) % 100, a % 60);
  return buf;
}

}  // namespace

bool is_leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t year, int month) {
  static constexpr int kLen[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap_year(year) ? 29 : kLen[month - 1];
}

// The two conversions follow the well-known era-based algorithm (eras of 400 years = 146097 days,
// years starting on March 1 so the leap day is the last day of the year).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;                                   // [0, 399]
  const std::int64_t mp = (m + 9) % 12;                                     // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;                      // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilTime civil_from_days(std::int64_t z) {
  CivilTime c;
  std::int64_t days = z;
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;                                 // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                               // [0, 11]
  c.day = int(doy - (153 * mp + 2) / 5 + 1);
  c.month = int(mp < 10 ? mp + 3 : mp - 9);
  c.year = int(yoe + era * 400 + (c.month <= 2));
  std::int64_t wd = (days + 4) % 7;  // 1970-01-01 was a Thursday
  if (wd < 0) wd += 7;
  c.weekday = int(wd);
  return c;
}

CivilTime civil_from_unix(std::int64_t unix_seconds, int offset_minutes) {
  std::int64_t local = unix_seconds + std::int64_t(offset_minutes) * 60;
  std::int64_t days = floor_div(local, 86400);
  std::int64_t secs = local - days * 86400;
  CivilTime c = civil_from_days(days);
  c.hour = int(secs / 3600);
  c.minute = int(secs / 60 % 60);
  c.second = int(secs % 60);
  c.offset_minutes = offset_minutes;
  return c;
}

std::int64_t unix_from_civil(const CivilTime& c) {
  return days_from_civil(c.year, c.month, c.day) * 86400 + std::int64_t(c.hour) * 3600 +
         std::int64_t(c.minute) * 60 + c.second - std::int64_t(c.offset_minutes) * 60;
}

std::string format_rfc5322_date(std::int64_t unix_seconds, int offset_minutes) {
  CivilTime c = civil_from_unix(unix_seconds, offset_minutes);
  if (c.year < 0 || c.year > 9999) {  // outside the fixed-width fast path below
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d ", kDays[c.weekday], c.day,
                  kMonths[c.month - 1], static_cast<int>(c.year), c.hour, c.minute, c.second);
    return buf + format_offset(offset_minutes);
  }
  // "Mon, 02 Mar 2026 09:15:00 +0100" digit by digit (every Received and Date header has one).
  auto two = [](std::string& s, int v) { s += char('0' + v / 10); s += char('0' + v % 10); };
  std::string s;
  s.reserve(31);
  s.append(kDays[c.weekday]).append(", ");
  two(s, c.day);
  s.append(" ").append(kMonths[c.month - 1]).append(" ");
  two(s, int(c.year / 100));
  two(s, int(c.year % 100));
  s += ' ';
  two(s, c.hour);
  s += ':';
  two(s, c.minute);
  s += ':';
  two(s, c.second);
  s += ' ';
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  s += offset_minutes < 0 ? '-' : '+';
  two(s, (a / 60) % 100);
  two(s, a % 60);
  return s;
}

std::optional<ParsedDate> parse_rfc5322_date(std::string_view text) {
  Cursor cur{text};
  cur.skip_cfws();
  // [ day-of-week "," ]
  std::size_t save = cur.i;
  std::string_view dow = cur.word();
  int weekday = -1;
  if (!dow.empty()) {
    for (int k = 0; k < 7; ++k)
      if (iequal(dow, kDays[k])) weekday = k;
    if (weekday < 0) return std::nullopt;
    cur.skip_cfws();
    if (!cur.eat(',')) return std::nullopt;
  } else {
    cur.i = save;
  }
  cur.skip_cfws();
  CivilTime c;
  c.day = cur.number(1, 2);
  if (c.day < 0) return std::nullopt;
  cur.skip_cfws();
  std::string_view mon = cur.word();
  c.month = 0;
  for (int k = 0; k < 12; ++k)
    if (iequal(mon, kMonths[k])) c.month = k + 1;
  if (c.month == 0) return std::nullopt;
  cur.skip_cfws();
  std::size_t ydigits = 0;
  int year = cur.number(2, 4, &ydigits);
  if (year < 0) return std::nullopt;
  if (ydigits == 2) year += year < 50 ? 2000 : 1900;   // RFC 5322 4.3
  else if (ydigits == 3) year += 1900;
  c.year = year;
  cur.skip_cfws();
  c.hour = cur.number(2, 2);
  cur.skip_cfws();
  if (c.hour < 0 || !cur.eat(':')) return std::nullopt;
  cur.skip_cfws();
  c.minute = cur.number(2, 2);
  if (c.minute < 0) return std::nullopt;
  std::size_t before_sec = cur.i;
  cur.skip_cfws();
  if (cur.eat(':')) {
    cur.skip_cfws();
    c.second = cur.number(2, 2);
    if (c.second < 0) return std::nullopt;
  } else {
    cur.i = before_sec;
    c.second = 0;
  }
  cur.skip_cfws();
  int offset = 0;
  if (cur.i < text.size() && (text[cur.i] == '+' || text[cur.i] == '-')) {
    bool neg = text[cur.i] == '-';
    ++cur.i;
    int hhmm = cur.number(4, 4);
    if (hhmm < 0 || hhmm % 100 > 59) return std::nullopt;
    offset = (hhmm / 100) * 60 + hhmm % 100;
    if (neg) offset = -offset;
  } else {
    std::string_view z = cur.word();
    auto zo = zone_from_name(z);
    if (!zo) return std::nullopt;
    offset = *zo;
  }
  cur.skip_cfws();
  if (!cur.done()) return std::nullopt;
  if (c.hour > 23 || c.minute > 59 || c.second > 60) return std::nullopt;
  if (c.day < 1 || c.day > days_in_month(c.year, c.month)) return std::nullopt;
  c.offset_minutes = offset;
  // A leap second (60) is accepted and counted as the next second.
  if (weekday >= 0) {
    CivilTime check = civil_from_days(days_from_civil(c.year, c.month, c.day));
    if (check.weekday != weekday) return std::nullopt;
  }
  return ParsedDate{unix_from_civil(c), offset};
}

MailClock::MailClock() : MailClock(*parse(kDefaultBase)) {}

MailClock::MailClock(std::int64_t base_unix_seconds, int offset_minutes)
    : base_(base_unix_seconds), offset_(offset_minutes) {}

std::optional<MailClock> MailClock::parse(std::string_view s) {
  Cursor cur{s};
  while (!cur.done() && (s[cur.i] == ' ' || s[cur.i] == '\t')) ++cur.i;
  CivilTime c;
  c.year = cur.number(4, 4);
  if (c.year < 0 || !cur.eat('-')) return std::nullopt;
  c.month = cur.number(2, 2);
  if (c.month < 1 || c.month > 12 || !cur.eat('-')) return std::nullopt;
  c.day = cur.number(2, 2);
  if (c.day < 1 || c.day > days_in_month(c.year, c.month)) return std::nullopt;
  if (!cur.eat(' ') && !cur.eat('T')) return std::nullopt;
  c.hour = cur.number(2, 2);
  if (c.hour < 0 || c.hour > 23 || !cur.eat(':')) return std::nullopt;
  c.minute = cur.number(2, 2);
  if (c.minute < 0 || c.minute > 59) return std::nullopt;
  c.second = 0;
  if (cur.eat(':')) {
    c.second = cur.number(2, 2);
    if (c.second < 0 || c.second > 59) return std::nullopt;
  }
  while (!cur.done() && s[cur.i] == ' ') ++cur.i;
  int offset = 0;
  if (!cur.done()) {
    if (s[cur.i] == '+' || s[cur.i] == '-') {
      bool neg = s[cur.i] == '-';
      ++cur.i;
      std::size_t save = cur.i;
      int hhmm = cur.number(4, 4);
      if (hhmm < 0) {  // also "+01:00"
        cur.i = save;
        int h = cur.number(2, 2);
        if (h < 0 || !cur.eat(':')) return std::nullopt;
        int m = cur.number(2, 2);
        if (m < 0) return std::nullopt;
        hhmm = h * 100 + m;
      }
      if (hhmm % 100 > 59 || hhmm / 100 > 23) return std::nullopt;
      offset = (hhmm / 100) * 60 + hhmm % 100;
      if (neg) offset = -offset;
    } else {
      std::string_view z = cur.word();
      if (!(iequal(z, "Z") || iequal(z, "UTC") || iequal(z, "GMT"))) return std::nullopt;
    }
    while (!cur.done() && s[cur.i] == ' ') ++cur.i;
    if (!cur.done()) return std::nullopt;
  }
  c.offset_minutes = offset;
  return MailClock(unix_from_civil(c), offset);
}

std::int64_t MailClock::unix_seconds(SimTime t) const { return base_ + floor_div(t, 1000000); }

SimTime MailClock::sim_time(std::int64_t unix) const { return (unix - base_) * 1000000; }

CivilTime MailClock::civil(SimTime t) const { return civil_from_unix(unix_seconds(t), offset_); }

std::string MailClock::rfc5322(SimTime t) const { return format_rfc5322_date(unix_seconds(t), offset_); }

std::string MailClock::compact(SimTime t) const {
  CivilTime c = civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  return buf;
}

std::string MailClock::iso(SimTime t) const {
  CivilTime c = civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf + format_offset(offset_);
}

}  // namespace smtpsim::mail
