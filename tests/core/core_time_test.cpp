// core_time_test.cpp - durations parse and print the way lesson files and transcripts write them.
#include <catch2/catch.hpp>

#include "sim/core/time.hpp"

using namespace smtpsim;

TEST_CASE("parse_duration reads the forms people write") {
  CHECK(parse_duration("250ms") == msec(250));
  CHECK(parse_duration("15m") == minutes(15));
  CHECK(parse_duration("4h") == hours(4));
  CHECK(parse_duration("1h5m") == hours(1) + minutes(5));
  CHECK(parse_duration("2d") == days(2));
  CHECK(parse_duration("100us") == 100);
  CHECK(parse_duration("0") == 0);
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("15"));
  CHECK_FALSE(parse_duration("m15"));
  CHECK_FALSE(parse_duration("15 m"));
  CHECK_FALSE(parse_duration("-5m"));
  CHECK_FALSE(parse_duration("5x"));
}

TEST_CASE("format_time and format_duration") {
  CHECK(format_time(0) == "00:00:00.000");
  CHECK(format_time(minutes(15) + msec(120)) == "00:15:00.120");
  CHECK(format_time(hours(4) + sec(1)) == "04:00:01.000");
  CHECK(format_duration(hours(1) + minutes(5)) == "1h5m");
  CHECK(format_duration(msec(250)) == "250ms");
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(minutes(14) + sec(29) + msec(180)) == "14m29s");
  CHECK(format_duration(hours(1) + sec(30)) == "1h");
  CHECK(format_duration(sec(3) + msec(20)) == "3s20ms");
}

TEST_CASE("format_duration_exact keeps every unit it has") {
  CHECK(format_duration_exact(sec(4000)) == "1h6m40s");  // Postfix's maximal_backoff_time
  CHECK(format_duration_exact(hours(1) + sec(30)) == "1h0m30s");
  CHECK(format_duration_exact(hours(4)) == "4h");
  CHECK(format_duration_exact(days(5)) == "5d");
  CHECK(format_duration_exact(minutes(15)) == "15m");
  CHECK(format_duration_exact(sec(1) + msec(500)) == "1s500ms");
  CHECK(format_duration_exact(days(1) + sec(1)) == "1d0h0m1s");
  CHECK(format_duration_exact(0) == "0s");
  CHECK(format_duration_exact(-sec(90)) == "-1m30s");
  for (Duration d : {sec(4000), hours(1) + sec(30), days(1) + sec(1), msec(1500)})
    CHECK(parse_duration(format_duration_exact(d)) == d);  // what it prints reads back the same
}

TEST_CASE("parse_duration rejects values that overflow 64-bit microseconds") {
  CHECK(parse_duration("100000000d") == days(100000000));  // 8.64e18 us (~273,000 years): fits
  CHECK_FALSE(parse_duration("1000000000d"));                // 8.64e19 us: does not
  CHECK_FALSE(parse_duration("100000000d100000000d"));      // each fits, the sum does not
  CHECK(parse_duration("1000000000h") == hours(1000000000));
}
