// scenario_retry_test.cpp - retry schedules: the presets' attempt times for a destination that
// never answers, and every way a lesson file can write its own schedule.
#include <catch2/catch.hpp>

#include "scenario/scenario_test_util.hpp"
#include "sim/scenario/scenario_retry.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;
using Times = std::vector<SimTime>;

namespace {

// first_n - the first n attempt times of a preview.
Times first_n(const RetrySpec& r, std::size_t n) {
  Times t = schedule_preview(r);
  if (t.size() > n) t.resize(n);
  return t;
}

// retry_of - the default retry schedule of a lesson whose only content is `retry: <text>`.
LoadResult retry_of(const std::string& text) {
  return test::load("retry: " + text + "\nhosts:\n  - { name: r, role: router }\n");
}

}  // namespace

TEST_CASE("story: every 15 minutes, the bounce after 4 hours") {
  RetrySpec r = retry_preset(RetryPreset::Story);
  Times t = schedule_preview(r);
  REQUIRE(t.size() == 17);  // 0, 15m, ... 4h: the 4h attempt fails and the message bounces
  for (std::size_t i = 0; i < t.size(); ++i) CHECK(t[i] == minutes(15) * Duration(i));
  CHECK_FALSE(should_warn(r, days(1)));
}

TEST_CASE("postfix: 300s doubling to 4000s, on 300s queue runs, for 5 days") {
  RetrySpec r = retry_preset(RetryPreset::Postfix);
  CHECK(first_n(r, 6) == Times{0, sec(300), sec(900), sec(2100), sec(4500), sec(8700)});
  Times t = schedule_preview(r, 1000);
  CHECK(t.back() >= days(5));
  CHECK(t[t.size() - 2] < days(5));
  for (std::size_t i = 1; i < t.size(); ++i) CHECK(t[i] % sec(300) == 0);
}

TEST_CASE("sendmail: 30 minutes apart on 15-minute queue runs, warned at 4h") {
  RetrySpec r = retry_preset(RetryPreset::Sendmail);
  CHECK(first_n(r, 4) == Times{0, minutes(30), minutes(60), minutes(90)});
  CHECK_FALSE(should_warn(r, hours(4) - 1));
  CHECK(should_warn(r, hours(4)));
  RetryCursor c;
  // a failure at 00:07 retries at the first queue run 30 minutes later or after: 00:45
  CHECK(next_attempt_time(r, c, 0, minutes(7)) == minutes(45));
  CHECK(next_attempt_time(r, c, 0, days(5)) == kNever);
}

TEST_CASE("exim: F,2h,15m; G,16h,1h,1.5; F,4d,6h") {
  RetrySpec r = retry_preset(RetryPreset::Exim);
  Times t = schedule_preview(r, 1000);
  Times want;
  for (int i = 0; i <= 8; ++i) want.push_back(minutes(15) * i);  // 0 .. 2h
  want.push_back(hours(3));                                     // then 1h, x1.5 each time
  want.push_back(hours(4) + minutes(30));
  want.push_back(hours(6) + minutes(45));
  want.push_back(hours(10) + minutes(7) + sec(30));
  want.push_back(hours(15) + minutes(11) + sec(15));
  REQUIRE(t.size() > want.size());
  CHECK(Times(t.begin(), t.begin() + long(want.size())) == want);
  CHECK(t.back() >= days(4));
  CHECK(t.back() - t[t.size() - 2] == hours(6));  // the last stage: every 6h
  CHECK(should_warn(r, hours(24)));
}

TEST_CASE("a file's own schedules") {
  SECTION("every") {
    LoadResult l = retry_of("{ every: 30m, warn_after: 1h, give_up_after: 1d }");
    REQUIRE(l.ok());
    const RetrySpec& r = l.spec->retry;
    CHECK(r.preset == RetryPreset::Custom);
    CHECK(first_n(r, 3) == Times{0, minutes(30), hours(1)});
    CHECK(r.warn_after == hours(1));
    CHECK(r.give_up_after == days(1));
  }
  SECTION("intervals: a list, the last repeating") {
    LoadResult l = retry_of("{ intervals: [5m, 10m, 30m], give_up_after: 2h }");
    REQUIRE(l.ok());
    CHECK(schedule_preview(l.spec->retry) ==
          Times{0, minutes(5), minutes(15), minutes(45), minutes(75), minutes(105), minutes(135)});
  }
  SECTION("first + backoff + max_interval") {
    LoadResult l = retry_of("{ first: 5m, backoff: 2, max_interval: 30m, give_up_after: 2h }");
    REQUIRE(l.ok());
    CHECK(first_n(l.spec->retry, 6) ==
          Times{0, minutes(5), minutes(15), minutes(35), minutes(65), minutes(95)});
  }
  SECTION("stages, Exim style") {
    LoadResult l = retry_of("{ stages: [ { every: 10m, until: 30m }, { first: 1h, backoff: 2 } ], "
                            "give_up_after: 6h }");
    REQUIRE(l.ok());
    CHECK(schedule_preview(l.spec->retry) ==
          Times{0, minutes(10), minutes(20), minutes(30), hours(1) + minutes(30),
                hours(3) + minutes(30), hours(7) + minutes(30)});
  }
  SECTION("a preset with changes is a custom schedule built on it") {
    LoadResult l = retry_of("{ preset: postfix, give_up_after: 2h, warn_after: never }");
    REQUIRE(l.ok());
    const RetrySpec& r = l.spec->retry;
    CHECK(r.preset == RetryPreset::Custom);
    CHECK(r.queue_run == sec(300));
    CHECK(r.stages[0].factor == 2.0);
    CHECK(r.give_up_after == hours(2));
    CHECK(r.warn_after == kNever);
  }
  SECTION("a preset named in a map is that preset") {
    LoadResult l = retry_of("{ preset: exim }");
    REQUIRE(l.ok());
    CHECK(l.spec->retry.preset == RetryPreset::Exim);
  }
}

TEST_CASE("schedules that cannot work are refused") {
  using Lines = std::vector<std::string>;
  CHECK(test::diag_lines(retry_of("{ every: 10m, first: 5m }")) ==
        Lines{"1:10: every: cannot be combined with first/backoff in retry (every = a fixed "
              "interval; first + backoff = growing)"});
  CHECK(test::diag_lines(retry_of("{ every: 10m, intervals: [1m] }")) ==
        Lines{"1:8: retry: give one schedule: every (fixed), first + backoff (growing), intervals "
              "(a list) or stages (Exim style)"});
  CHECK(test::diag_lines(retry_of("{ backoff: 2 }")) ==
        Lines{"1:10: backoff: needs first: (the first interval, like first: 5m)"});
  CHECK(test::diag_lines(retry_of("{ every: 10m, max_interval: 1h }")) ==
        Lines{"1:22: max_interval: only applies with backoff:"});
  CHECK(test::diag_lines(retry_of("{ every: 0s }")) == Lines{"1:17: every: must be longer than 0"});
  CHECK(test::diag_lines(retry_of("{ intervals: [] }")) == Lines{"1:21: intervals: is empty"});
  CHECK(test::diag_lines(retry_of("{ stages: [ { every: 1m, until: 1h }, { every: 5m, until: 30m } ] }")) ==
        Lines{"1:66: until: stages must end later and later (this one ends at 30m, the one before at 1h)"});
  CHECK(test::diag_lines(retry_of("{ stages: [ { until: 1h } ] }")) ==
        Lines{"1:20: retry stage: needs every: (fixed) or first: + backoff: (growing)"});
  CHECK(test::diag_lines(retry_of("{ first: 1m, backoff: 1000 }")) ==
        Lines{"1:30: backoff: must be from 1 to 100 (1 = a fixed interval, 2 = doubling), got 1000"});
  CHECK(test::diag_lines(retry_of("sometimes")) ==
        Lines{"1:8: retry: expected one of story, sendmail, postfix, exim, got 'sometimes'"});
  LoadResult late = retry_of("{ every: 1h, warn_after: 5h, give_up_after: 4h }");
  REQUIRE(late.ok());  // a warning, not an error
  CHECK(test::diag_lines(late) ==
        Lines{"1:33: warning: warn_after: 5h is not before give_up_after 4h: the sender is never "
              "warned before the bounce"});
}

TEST_CASE("hosts inherit the file's schedule unless they have their own") {
  LoadResult l = test::load(
      "retry: sendmail\nhosts:\n  - { name: m1, role: mta, relay_to: m2 }\n"
      "  - { name: m2, role: mta, relay_to: m1, retry: { every: 1m, give_up_after: 10m } }\n"
      "links:\n  - { between: [m1, m2] }\n");
  INFO(l.format());
  REQUIRE(l.ok());
  const MtaOptions* m1 = l.spec->find_host("m1")->as<MtaOptions>();
  const MtaOptions* m2 = l.spec->find_host("m2")->as<MtaOptions>();
  CHECK_FALSE(m1->out.own_retry);
  CHECK(m1->out.retry.preset == RetryPreset::Sendmail);
  CHECK(m2->out.own_retry);
  CHECK(m2->out.retry.give_up_after == minutes(10));
}
