// mail_date_test.cpp - civil calendar arithmetic and RFC 5322 dates from the virtual clock.
#include <catch2/catch.hpp>

#include "sim/core/time.hpp"
#include "sim/mail/mail_date.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

TEST_CASE("days_from_civil and civil_from_days agree with known dates") {
  struct Row { int y, m, d; long long days; int wd; };
  const Row rows[] = {
      {1970, 1, 1, 0, 4},          // Thursday
      {1969, 12, 31, -1, 3},
      {2000, 2, 29, 11016, 2},     // leap day of a 400-year leap year, Tuesday
      {2000, 3, 1, 11017, 3},
      {1900, 3, 1, -25508, 4},     // 1900 is not a leap year
      {2024, 2, 29, 19782, 4},
      {2026, 3, 2, 20514, 1},      // the default epoch, a Monday
      {2038, 1, 19, 24855, 2},
      {2100, 3, 1, 47541, 1},      // 2100 is not a leap year
      {1600, 1, 1, -135140, 6},
  };
  for (const Row& r : rows) {
    INFO(r.y << "-" << r.m << "-" << r.d);
    CHECK(days_from_civil(r.y, r.m, r.d) == r.days);
    CivilTime c = civil_from_days(r.days);
    CHECK(c.year == r.y);
    CHECK(c.month == r.m);
    CHECK(c.day == r.d);
    CHECK(c.weekday == r.wd);
  }
}

TEST_CASE("round trip over 800 years of days") {
  for (long long d = days_from_civil(1600, 1, 1); d <= days_from_civil(2400, 12, 31); d += 1) {
    CivilTime c = civil_from_days(d);
    if (days_from_civil(c.year, c.month, c.day) != d || c.day > days_in_month(c.year, c.month)) {
      FAIL("mismatch at day " << d);
    }
  }
  SUCCEED();
}

TEST_CASE("leap year rule") {
  CHECK(is_leap_year(2024));
  CHECK(is_leap_year(2000));
  CHECK_FALSE(is_leap_year(1900));
  CHECK_FALSE(is_leap_year(2026));
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2026, 2) == 28);
  CHECK(days_in_month(2026, 4) == 30);
  CHECK(days_in_month(2026, 13) == 0);
}

TEST_CASE("MailClock formats virtual time on the default 2026-03-02 09:00:00 +0000 base") {
  MailClock clock;
  CHECK(clock.rfc5322(0) == "Mon, 02 Mar 2026 09:00:00 +0000");
  CHECK(clock.rfc5322(minutes(15)) == "Mon, 02 Mar 2026 09:15:00 +0000");
  CHECK(clock.rfc5322(minutes(15) + msec(999)) == "Mon, 02 Mar 2026 09:15:00 +0000");  // floor
  CHECK(clock.rfc5322(hours(4) + sec(1)) == "Mon, 02 Mar 2026 13:00:01 +0000");
  CHECK(clock.rfc5322(hours(15)) == "Tue, 03 Mar 2026 00:00:00 +0000");
  CHECK(clock.rfc5322(days(5)) == "Sat, 07 Mar 2026 09:00:00 +0000");
  CHECK(clock.rfc5322(days(30)) == "Wed, 01 Apr 2026 09:00:00 +0000");
  CHECK(clock.rfc5322(-sec(1)) == "Mon, 02 Mar 2026 08:59:59 +0000");
  CHECK(clock.compact(minutes(15)) == "20260302091500");
  CHECK(clock.iso(minutes(15)) == "2026-03-02 09:15:00 +0000");
  CHECK(clock.unix_seconds(0) == 1772442000);
  CHECK(clock.sim_time(1772442000 + 900) == minutes(15));
}

TEST_CASE("MailClock bases with zones and leap days") {
  auto berlin = MailClock::parse("2026-03-02 10:00:00 +0100");
  REQUIRE(berlin);
  CHECK(berlin->base_unix() == 1772442000);  // the same instant as 09:00 UTC
  CHECK(berlin->rfc5322(0) == "Mon, 02 Mar 2026 10:00:00 +0100");

  auto ny = MailClock::parse("2026-03-01 23:30 -0500");
  REQUIRE(ny);
  CHECK(ny->rfc5322(hours(1)) == "Mon, 02 Mar 2026 00:30:00 -0500");

  auto india = MailClock::parse("2026-03-02T14:30:00+05:30");
  REQUIRE(india);
  CHECK(india->rfc5322(0) == "Mon, 02 Mar 2026 14:30:00 +0530");

  auto leap = MailClock::parse("2024-02-28 23:00:00 Z");
  REQUIRE(leap);
  CHECK(leap->rfc5322(hours(1)) == "Thu, 29 Feb 2024 00:00:00 +0000");
  CHECK(leap->rfc5322(hours(25)) == "Fri, 01 Mar 2024 00:00:00 +0000");

  auto nonleap = MailClock::parse("2100-02-28 12:00:00");
  REQUIRE(nonleap);
  CHECK(nonleap->rfc5322(days(1)) == "Mon, 01 Mar 2100 12:00:00 +0000");

  auto y2k = MailClock::parse("1999-12-31 23:59:59 UTC");
  REQUIRE(y2k);
  CHECK(y2k->rfc5322(sec(1)) == "Sat, 01 Jan 2000 00:00:00 +0000");

  for (const char* bad : {"", "2026-02-29 09:00:00", "2026-13-01 00:00", "2026-03-02", "2026-03-02 24:00",
                          "2026-03-02 09:00:00 +2400", "2026-03-02 09:00:00 CET", "26-03-02 09:00",
                          "2026-03-02 09:00:00 +0000 junk"}) {
    INFO(bad);
    CHECK_FALSE(MailClock::parse(bad));
  }
}

TEST_CASE("parse_rfc5322_date reads current and obsolete forms") {
  const std::int64_t t = 1772442900;  // Mon, 02 Mar 2026 09:15:00 +0000
  struct Row { const char* text; std::int64_t unix; int offset; };
  const Row rows[] = {
      {"Mon, 02 Mar 2026 09:15:00 +0000", t, 0},
      {"Mon, 2 Mar 2026 09:15:00 +0000", t, 0},
      {"2 Mar 2026 09:15:00 +0000", t, 0},
      {"Mon, 02 Mar 2026 10:15:00 +0100", t, 60},
      {"Mon, 02 Mar 2026 04:15:00 -0500", t, -300},
      {"Mon, 02 Mar 2026 09:15 +0000", t, 0},
      {"Mon, 02 Mar 2026 09:15:00 +0000 (UTC)", t, 0},
      {"Mon, 02 Mar 2026 09:15:00 GMT", t, 0},
      {"Mon, 02 Mar 2026 04:15:00 EST", t, -300},
      {"Mon, 02 Mar 26 09:15:00 +0000", t, 0},
      {"mon, 02 mar 2026 09:15:00 +0000", t, 0},
      {"Mon,\r\n 02 Mar 2026 09:15:00 +0000", t, 0},
      {"Thu, 01 Jan 1970 00:00:00 +0000", 0, 0},
      {"Thu, 29 Feb 2024 12:00:00 +0000", 1709208000, 0},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    auto d = parse_rfc5322_date(r.text);
    REQUIRE(d);
    CHECK(d->unix_seconds == r.unix);
    CHECK(d->offset_minutes == r.offset);
  }
  for (const char* bad : {"", "yesterday", "Tue, 02 Mar 2026 09:15:00 +0000" /* wrong weekday */,
                          "Mon, 32 Mar 2026 09:15:00 +0000", "Mon, 02 Foo 2026 09:15:00 +0000",
                          "Thu, 29 Feb 2026 09:15:00 +0000", "Mon, 02 Mar 2026 25:15:00 +0000",
                          "Mon, 02 Mar 2026 09:15:00", "Mon, 02 Mar 2026 09:15:00 +00", "Mon 02 Mar 2026 09:15:00 +0000",
                          "Mon, 02 Mar 2026 09:15:00 +0000 trailing"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc5322_date(bad));
  }
}

TEST_CASE("format and parse are inverse over a range of instants and zones") {
  for (std::int64_t unix = -86400LL * 365 * 30; unix < 86400LL * 365 * 100; unix += 86400LL * 7 + 3607) {
    for (int off : {0, 60, -300, 330, -720, 840}) {
      std::string s = format_rfc5322_date(unix, off);
      auto back = parse_rfc5322_date(s);
      if (!back || back->unix_seconds != unix || back->offset_minutes != off) FAIL(s);
    }
  }
  SUCCEED();
}
