// core_scheduler_test.cpp - the discrete-event scheduler: ordering, cancellation and slot reuse,
// stepping, run_until's clock, stop points, pending counts.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/core/scheduler.hpp"

using namespace smtpsim;

namespace {
// Log - "name@time" entries written by events.
struct Log {
  Scheduler& s;
  std::vector<std::string> out;
  Callback add(std::string name) {
    return [this, name] { out.push_back(name + "@" + std::to_string(s.now())); };
  }
};
}  // namespace

TEST_CASE("events run in time order; equal times run in the order scheduled") {
  Scheduler s;
  Log log{s, {}};
  s.schedule_at(30, log.add("c"));
  s.schedule_at(10, log.add("a1"));
  s.schedule_at(20, log.add("b"));
  s.schedule_at(10, log.add("a2"));
  s.schedule_at(10, log.add("a3"));
  s.run();
  CHECK(log.out == std::vector<std::string>{"a1@10", "a2@10", "a3@10", "b@20", "c@30"});
  CHECK(s.now() == 30);
  CHECK(s.executed() == 5);
}

TEST_CASE("events scheduled from events: same time goes after everything already queued for it") {
  Scheduler s;
  Log log{s, {}};
  s.schedule_at(5, [&] {
    log.out.push_back("first@5");
    s.schedule_in(0, log.add("nested"));
    s.schedule_at(1, log.add("past"));  // clamped to now
  });
  s.schedule_at(5, log.add("second"));
  s.run();
  CHECK(log.out == std::vector<std::string>{"first@5", "second@5", "nested@5", "past@5"});
}

TEST_CASE("cancel: pending, twice, after it ran, and a reused slot") {
  Scheduler s;
  Log log{s, {}};
  EventId a = s.schedule_at(10, log.add("a"));
  EventId b = s.schedule_at(20, log.add("b"));
  CHECK(s.pending() == 2);
  CHECK(s.is_pending(a));
  CHECK(s.cancel(a));
  CHECK_FALSE(s.is_pending(a));
  CHECK(s.pending() == 1);
  CHECK_FALSE(s.cancel(a));  // twice
  // The freed slot is reused by the next event; the old id must not reach it.
  EventId c = s.schedule_at(15, log.add("c"));
  CHECK(c.slot == a.slot);
  CHECK_FALSE(c == a);
  CHECK_FALSE(s.cancel(a));
  CHECK(s.is_pending(c));
  s.run();
  CHECK(log.out == std::vector<std::string>{"c@15", "b@20"});
  CHECK_FALSE(s.cancel(b));  // after it ran
  CHECK_FALSE(s.is_pending(b));
  CHECK_FALSE(s.cancel(EventId{}));
  CHECK_FALSE(s.cancel(EventId{999, 12345}));
  CHECK(s.pending() == 0);
}

TEST_CASE("an event can cancel a later one and itself is no longer pending while it runs") {
  Scheduler s;
  Log log{s, {}};
  EventId later = s.schedule_at(20, log.add("later"));
  EventId self;
  self = s.schedule_at(10, [&] {
    CHECK_FALSE(s.is_pending(self));
    CHECK(s.cancel(later));
    CHECK_FALSE(s.cancel(self));
  });
  s.run();
  CHECK(log.out.empty());
  CHECK(s.executed() == 1);
}

TEST_CASE("step runs exactly one event and moves the clock to it") {
  Scheduler s;
  Log log{s, {}};
  CHECK_FALSE(s.step());
  s.schedule_at(7, log.add("a"));
  EventId x = s.schedule_at(8, log.add("x"));
  s.schedule_at(9, log.add("b"));
  s.cancel(x);
  CHECK(s.next_time() == 7);
  CHECK(s.step());
  CHECK(s.now() == 7);
  CHECK(s.next_time() == 9);  // skips the cancelled one
  CHECK(s.step());
  CHECK(s.now() == 9);
  CHECK_FALSE(s.step());
  CHECK_FALSE(s.next_time());
  CHECK(log.out == std::vector<std::string>{"a@7", "b@9"});
}

TEST_CASE("run_until runs events up to t inclusive and leaves the clock at t") {
  Scheduler s;
  Log log{s, {}};
  s.schedule_at(10, log.add("a"));
  s.schedule_at(20, log.add("b"));
  s.schedule_at(21, log.add("c"));
  s.run_until(20);
  CHECK(log.out == std::vector<std::string>{"a@10", "b@20"});
  CHECK(s.now() == 20);
  s.run_until(20);
  CHECK(s.pending() == 1);
  s.run_until(1000);
  CHECK(s.now() == 1000);
  CHECK(log.out.size() == 3);
  s.run_until(500);  // never backwards
  CHECK(s.now() == 1000);
  s.schedule_in(5, log.add("d"));
  CHECK(s.next_time() == 1005);
}

TEST_CASE("stop_at_index pauses run and run_until; clearing it resumes") {
  Scheduler s;
  Log log{s, {}};
  for (int i = 1; i <= 6; ++i) s.schedule_at(i * 10, log.add("e" + std::to_string(i)));
  s.stop_at_index(2);
  s.run();
  CHECK(s.executed() == 2);
  CHECK(s.stopped_at_index());
  CHECK_FALSE(s.step());
  s.run_until(1000);
  CHECK(s.now() == 20);  // stopped early: the clock stays at the last event
  CHECK(s.pending() == 4);
  s.stop_at_index(4);
  s.run_until(1000);
  CHECK(s.executed() == 4);
  CHECK(s.now() == 40);
  s.stop_at_index(std::nullopt);
  CHECK_FALSE(s.stopped_at_index());
  s.run();
  CHECK(log.out.size() == 6);
  CHECK(s.now() == 60);
}

TEST_CASE("request_stop ends the current run after the running event") {
  Scheduler s;
  Log log{s, {}};
  s.schedule_at(1, log.add("a"));
  s.schedule_at(2, [&] { log.out.push_back("stop"); s.request_stop(); });
  s.schedule_at(3, log.add("c"));
  s.run_until(100);
  CHECK(log.out == std::vector<std::string>{"a@1", "stop"});
  CHECK(s.now() == 2);
  s.run();
  CHECK(log.out.size() == 3);
}

TEST_CASE("pending counts under a heavy schedule/cancel mix, and big callables") {
  Scheduler s;
  std::vector<EventId> ids;
  long sum = 0;
  for (int i = 0; i < 1000; ++i) ids.push_back(s.schedule_at(1000 - i, [&sum, i] { sum += i; }));
  for (int i = 0; i < 1000; i += 2) CHECK(s.cancel(ids[i]));
  CHECK(s.pending() == 500);
  struct Big {
    char pad[200];
    long* out;
    void operator()() const { *out += pad[0]; }
  };
  Big big{};
  big.pad[0] = 1;
  big.out = &sum;
  s.schedule_at(2000, big);  // too large for the inline buffer: heap-held
  CHECK(s.pending() == 501);
  s.run();
  long expect = 1;
  for (int i = 1; i < 1000; i += 2) expect += i;
  CHECK(sum == expect);
  CHECK(s.pending() == 0);
  CHECK(s.executed() == 501);
}

TEST_CASE("captured state is destroyed once: after running, on cancel, and with the scheduler") {
  auto token = std::make_shared<int>(0);
  {
    Scheduler s;
    EventId ran = s.schedule_at(1, [token] { ++*token; });
    EventId cancelled = s.schedule_at(2, [token] { *token += 100; });
    s.schedule_at(3, [token] { *token += 1000; });  // still pending when the scheduler goes
    CHECK(token.use_count() == 4);
    CHECK(s.cancel(cancelled));
    CHECK(token.use_count() == 3);
    s.run_until(1);
    CHECK(*token == 1);
    CHECK(token.use_count() == 2);
    CHECK_FALSE(s.is_pending(ran));
  }
  CHECK(token.use_count() == 1);
  CHECK(*token == 1);
}

TEST_CASE("a running event may schedule thousands more (storage grows while it runs)") {
  Scheduler s;
  std::vector<int> order;
  std::string big(40, 'x');  // a capture that fills most of the inline buffer
  s.schedule_at(0, [&s, &order, big] {
    for (int i = 0; i < 5000; ++i) s.schedule_in(i % 7, [&order, i] { order.push_back(i); });
    order.push_back(-static_cast<int>(big.size()));  // the capture is still intact after the growth
  });
  s.run();
  REQUIRE(order.size() == 5001);
  CHECK(order[0] == -40);
  // Time order, then scheduling order within a time.
  for (std::size_t k = 2; k < order.size(); ++k) {
    int a = order[k - 1], b = order[k];
    CHECK((a % 7 < b % 7 || (a % 7 == b % 7 && a < b)));
  }
}
