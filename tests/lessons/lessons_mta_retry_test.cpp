// lessons_mta_retry_test.cpp - the retry clock of a real MTA: greylisting passed on the first retry
// after its delay, the story's 15-minute grid and its bounce at exactly arrival + 4h, and every
// preset's attempt times - as arithmetic and in a run against a destination that never answers.
#include "lessons/lessons_mta_util.hpp"
#include "sim/roles/mta_retry.hpp"
#include "sim/scenario/scenario_build.hpp"
#include "sim/scenario/scenario_retry.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;
using Times = std::vector<SimTime>;

namespace {

// lesson - A's provider (client, an MSA that does its own MX lookups, A's MX and MDA for the
// bounces) and B's MX and MDA. `top` goes before `domains:`, `mx_b` is the MX host's extra keys,
// `mx_link` its Internet link's extra keys, `tail` the send/timeline/expect sections.
std::string lesson(const std::string& top, const std::string& mx_b, const std::string& mx_link,
                   const std::string& tail) {
  return "seed: 3\n" + top + R"(
domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example)" + mx_b + R"( }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms)" + mx_link + R"( }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
)" + tail;
}

const char* kSend = R"(send:
  - { id: m, at: 1s, from: a@a.example, to: b@b.example, subject: Hi, body: "Hello B" }
)";

// arrival - when the MSA took the message (its "queued from" line).
SimTime arrival(World& w) {
  auto q = queue_lines(w, ": queued from client-a", "msa.a.example");
  REQUIRE(q.size() == 1);
  return q[0].at;
}

// relative - times minus an origin.
Times relative(const Times& ts, SimTime origin) {
  Times out;
  for (SimTime t : ts) out.push_back(t - origin);
  return out;
}

// attempt_cost - how long the MSA's first attempt took (from its start to its "deferred" line).
Duration attempt_cost(World& w) {
  auto starts = attempt_starts(w, "msa.a.example");
  auto deferred = queue_lines(w, ": deferred: ", "msa.a.example");
  REQUIRE(!starts.empty());
  REQUIRE(!deferred.empty());
  return deferred[0].at - starts[0];
}

// message_attempts - the MSA's attempts for b@b.example only (not for bounces it sends on).
Times message_attempts(World& w) {
  Times t;
  for (const QueueLine& q : queue_lines(w, ": attempt ", "msa.a.example"))
    if (q.rcpt == "b@b.example") t.push_back(q.at);
  return t;
}

// bounce_time - when the MSA gave up on b@b.example.
SimTime bounce_time(World& w) {
  for (const TraceEvent& e : events_of(w, TraceKind::Bounce, "msa.a.example"))
    if (e.rcpt == "b@b.example") return e.time;
  return -1;
}

// expected_bounce - the deadline, or the end of an attempt that was still running at it.
SimTime expected_bounce(World& w, Duration give_up) {
  const SimTime deadline = arrival(w) + give_up;
  Times t = message_attempts(w);
  REQUIRE(!t.empty());
  return std::max(deadline, t.back() + attempt_cost(w));
}

// every - n times start, start + step, ...
Times every(SimTime start, Duration step, std::size_t n) {
  Times t;
  for (std::size_t i = 0; i < n; ++i) t.push_back(start + step * Duration(i));
  return t;
}

// preview_without_bouncing_attempt - the lesson preview's attempts before the one that bounces.
Times preview(scenario::RetryPreset p) {
  Times t = scenario::schedule_preview(scenario::retry_preset(p), 100000);
  t.pop_back();
  return t;
}

}  // namespace

// ---------------------------------------------------------------- greylisting

TEST_CASE("greylisting: 451 4.7.1 to the first attempt, delivered by the first retry after the delay") {
  SECTION("postgrey's 5 minutes, story retries: the 15-minute retry passes") {
    Lesson l = run_lesson(lesson("", ", greylisting: true", "", kSend));
    INFO(l.problems());
    REQUIRE(l.report.ok());
    World& w = l.world();
    std::vector<TraceEvent> replies;
    for (const TraceEvent& e : events_of(w, TraceKind::Reply, "mx.b.example"))
      if (e.code == 451) replies.push_back(e);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].text.find("4.7.1") != std::string::npos);
    const SimTime a = arrival(w);
    CHECK(relative(message_attempts(w), a) == Times{0, minutes(15)});
    SimTime delivered = events_of(w, TraceKind::Delivery, "mda.b.example").at(0).time;
    CHECK(delivered - a > minutes(15));
    CHECK(delivered - a < minutes(15) + sec(1));
  }
  SECTION("a 20-minute greylist: the 15-minute retry is refused again, the 30-minute one passes") {
    Lesson l = run_lesson(lesson("", ", greylisting: { delay: 20m }", "", kSend));
    INFO(l.problems());
    REQUIRE(l.report.ok());
    World& w = l.world();
    int refused = 0;
    for (const TraceEvent& e : events_of(w, TraceKind::Reply, "mx.b.example")) refused += e.code == 451;
    CHECK(refused == 2);
    CHECK(relative(message_attempts(w), arrival(w)) == Times{0, minutes(15), minutes(30)});
  }
  SECTION("postfix retries: 300 s after a first attempt that ended past the queue run is 10 minutes") {
    // The first attempt ends a little after arrival; +300 s rounds up to the queue run at 10m,
    // which is past postgrey's 5 minutes: one retry suffices.
    Lesson l = run_lesson(lesson("retry: postfix", ", greylisting: true", "", kSend));
    INFO(l.problems());
    REQUIRE(l.report.ok());
    Times t = message_attempts(l.world());
    REQUIRE(t.size() == 2);
    CHECK(t[1] == minutes(10));
  }
}

// ---------------------------------------------------------------- the story's four hours

TEST_CASE("destination down for 4 hours: 16 attempts on the 15-minute grid, the DSN at exactly arrival + 4h") {
  Lesson l = run_lesson(lesson("", "", ", state: down", std::string(kSend) + R"(expect:
  - { bounced: b@b.example, status: 4.4.1 }
  - { not_delivered: b@b.example }
  - { lost: 0 }
)"));
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  const SimTime a = arrival(w);
  CHECK(times_text(relative(message_attempts(w), a)) == times_text(every(0, minutes(15), 16)));  // 0 .. 3h45m
  CHECK(bounce_time(w) == a + hours(4));

  // The sender's mailbox has the bounce, RFC 3464 shaped.
  auto box = mailbox(w, "mda.a.example", "a@a.example");
  REQUIRE(box.size() == 1);
  CHECK(box[0].get("Return-Path").value_or("?") == "<>");
  auto reports = dsns(box);
  REQUIRE(reports.size() == 1);
  const mail::ParsedDsn& d = reports[0];
  CHECK(d.reporting_mta == "msa.a.example");
  REQUIRE(d.recipients.size() == 1);
  CHECK(d.recipients[0].final_recipient == "b@b.example");
  CHECK(d.recipients[0].action == mail::DsnAction::Failed);
  CHECK(d.recipients[0].status == "4.4.1");  // persistent transient failure (RFC 3463 3.1), as Postfix
  const std::string mx_ip = ipv4_to_string(w.net.host_ip(*w.net.find_host("mx.b.example")));
  CHECK(d.recipients[0].diagnostic_code == "X-smtpsim; connect to mx.b.example[" + mx_ip + "]:25: Connection timed out");
  CHECK(d.recipients[0].remote_mta.empty());
  CHECK(d.human_text.find("16 times") != std::string::npos);
  CHECK(d.returned_type == "message/rfc822");
  // It reached the mailbox right after it was made (msa -> mx.a.example -> mda.a.example).
  SimTime stored = -1;
  for (const TraceEvent& e : events_of(w, TraceKind::Delivery, "mda.a.example")) stored = e.time;
  CHECK(stored > a + hours(4));
  CHECK(stored < a + hours(4) + sec(1));
}

TEST_CASE("a destination that answers 451 for 4 hours bounces the same way, with its reply as Diagnostic-Code") {
  Lesson l = run_lesson(lesson("", "", "", std::string(kSend) + R"(timeline:
  - { at: 0s, host: mx.b.example, behaviour: { rcpt: "451 4.3.0 Try again later" } }
)"));
  World& w = l.world();
  const SimTime a = arrival(w);
  CHECK(relative(message_attempts(w), a).size() == 16);
  CHECK(bounce_time(w) == a + hours(4));
  auto reports = dsns(mailbox(w, "mda.a.example", "a@a.example"));
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].recipients[0].status == "4.3.0");
  CHECK(reports[0].recipients[0].remote_mta == "mx.b.example");
  CHECK(reports[0].recipients[0].diagnostic_code == "smtp; 451 4.3.0 Try again later");
}

// ---------------------------------------------------------------- presets as arithmetic

TEST_CASE("retry presets as arithmetic: attempt_times of a destination that never answers") {
  SECTION("story: every 15 minutes from each attempt's start, never at 4h") {
    for (Duration cost : {Duration(0), sec(30), minutes(5)})
      CHECK(attempt_times(*retry_preset("story"), cost) == every(0, minutes(15), 16));
  }
  SECTION("sendmail: queue runs every 15m, MinQueueAge 30m from the end of the last attempt") {
    const RetrySchedule p = *retry_preset("sendmail");
    // Instant failures: the run exactly 30 minutes later qualifies.
    Times instant = attempt_times(p, 0);
    CHECK(Times(instant.begin(), instant.begin() + 4) == Times{0, minutes(30), minutes(60), minutes(90)});
    CHECK(instant.size() == 240);  // 0 .. 4d23h30m: the 5-day timeout returns it
    // Real failures take time: the run 30 minutes after the start is 29m30s after the end, too
    // early for MinQueueAge, so sendmail tries every 45 minutes.
    CHECK(attempt_times(p, sec(30)) == every(0, minutes(45), 160));
  }
  SECTION("postfix: 300 s doubling to 4000 s, on 300 s queue runs") {
    const RetrySchedule p = *retry_preset("postfix");
    Times t = attempt_times(p, 0);
    CHECK(Times(t.begin(), t.begin() + 7) == Times{0, sec(300), sec(900), sec(2100), sec(4500), sec(8700), sec(12900)});
    for (std::size_t i = 6; i < t.size(); ++i) CHECK(t[i] - t[i - 1] == sec(4200));  // 4000 s, on a 300 s run
    CHECK(t.back() < days(5));
    CHECK(t.back() + sec(4200) >= days(5));
    Times slow = attempt_times(p, sec(30));
    CHECK(Times(slow.begin(), slow.begin() + 7) == Times{0, sec(600), sec(1500), sec(3000), sec(5700), sec(9900), sec(14100)});
  }
  SECTION("exim: F,2h,15m; G,16h,1h,1.5; F,4d,6h") {
    Times t = attempt_times(*retry_preset("exim"), 0);
    Times want = every(0, minutes(15), 9);  // 0 .. 2h
    for (SimTime x : {hours(3), hours(4) + minutes(30), hours(6) + minutes(45), hours(10) + minutes(7) + sec(30),
                      hours(15) + minutes(11) + sec(15), hours(22) + minutes(46) + sec(52) + msec(500)})
      want.push_back(x);
    REQUIRE(t.size() > want.size());
    CHECK(Times(t.begin(), t.begin() + long(want.size())) == want);
    for (std::size_t i = want.size(); i < t.size(); ++i) CHECK(t[i] - t[i - 1] == hours(6));
    CHECK(t.back() < days(4));
    CHECK(t.back() + hours(6) >= days(4));
  }
}

TEST_CASE("retry presets: the MTA's schedules and the lesson file's are the same schedules") {
  using scenario::RetryPreset;
  const std::pair<const char*, RetryPreset> presets[] = {
      {"story", RetryPreset::Story}, {"sendmail", RetryPreset::Sendmail},
      {"postfix", RetryPreset::Postfix}, {"exim", RetryPreset::Exim}};
  for (const auto& [name, p] : presets) {
    INFO(name);
    const RetrySchedule mta = *retry_preset(name);
    const RetrySchedule from_file = scenario::to_retry_preset(scenario::retry_preset(p));
    // The lesson preview lists the attempt that bounces too; the MTA bounces at the deadline instead.
    CHECK(attempt_times(mta, 0) == preview(p));
    for (Duration cost : {Duration(0), sec(30), minutes(7)}) CHECK(attempt_times(from_file, cost) == attempt_times(mta, cost));
    CHECK(from_file.give_up_after == mta.give_up_after);
    CHECK(from_file.warn_after == mta.warn_after);
  }
}

TEST_CASE("a lesson's own stages: `attempts` ends a stage early, `max_interval` caps only its own stage") {
  const std::string retry =
      "retry: { stages: [ { every: 5m, attempts: 2 }, { first: 10m, backoff: 3, max_interval: 40m, until: 3h }, "
      "{ every: 2h } ], give_up_after: 8h }";
  auto loaded = scenario::load_scenario_string(retry + "\nhosts:\n  - { name: r, role: router }\n", "r.yaml");
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  const RetrySchedule p = scenario::to_retry_preset(loaded.spec->retry);
  const Times want{0,           minutes(5),  minutes(10),           minutes(20),           minutes(50),
                   hours(1) + minutes(30),   hours(2) + minutes(10), hours(2) + minutes(50), hours(3) + minutes(30),
                   hours(5) + minutes(30),   hours(7) + minutes(30)};
  CHECK(times_text(attempt_times(p, 0)) == times_text(want));
  Times preview = scenario::schedule_preview(loaded.spec->retry);
  preview.pop_back();
  CHECK(attempt_times(p, 0) == preview);
  // And an MTA keeps to it, attempt by attempt (each attempt's own 30 s added to its wait).
  Lesson l = run_lesson(lesson(retry, "", ", state: down", kSend));
  World& w = l.world();
  CHECK(times_text(relative(message_attempts(w), arrival(w))) == times_text(attempt_times(p, attempt_cost(w))));
  CHECK(bounce_time(w) == expected_bounce(w, hours(8)));
}

// ---------------------------------------------------------------- presets in real runs

TEST_CASE("retry presets in a run: a destination that never answers, attempt by attempt") {
  const std::string down = ", state: down";
  SECTION("story") {
    Lesson l = run_lesson(lesson("retry: story", "", down, kSend));
    World& w = l.world();
    const SimTime a = arrival(w);
    CHECK(relative(message_attempts(w), a) == attempt_times(*retry_preset("story"), attempt_cost(w)));
    CHECK(bounce_time(w) == a + hours(4));
  }
  SECTION("sendmail: every 45 minutes on the quarter hours, a warning after 4h, returned after 5 days") {
    Lesson l = run_lesson(lesson("retry: sendmail", "", down, kSend));
    World& w = l.world();
    const SimTime a = arrival(w);
    Times want{a};
    for (SimTime t = minutes(45); t < a + days(5); t += minutes(45)) want.push_back(t);
    CHECK(times_text(message_attempts(w)) == times_text(want));
    // The last run (at 5d) started a second before the deadline: the bounce follows its failure.
    CHECK(bounce_time(w) == expected_bounce(w, days(5)));
    CHECK(bounce_time(w) == days(5) + attempt_cost(w));
    // The delay warning went out after the first failed attempt past 4 hours (the 4h30m run).
    auto reports = dsns(mailbox(w, "mda.a.example", "a@a.example"));
    REQUIRE(reports.size() == 2);
    const mail::ParsedDsnRecipient& warn = reports[0].recipients.at(0);
    CHECK(warn.action == mail::DsnAction::Delayed);
    CHECK(warn.status == "4.4.1");
    CHECK(warn.diagnostic_code.find("Connection timed out") != std::string::npos);
    CHECK(!warn.will_retry_until.empty());
    auto warned = queue_lines(w, "delay warning", "msa.a.example");
    REQUIRE(warned.size() == 1);
    CHECK(warned[0].at == hours(4) + minutes(30) + attempt_cost(w));
    CHECK(reports[1].recipients.at(0).action == mail::DsnAction::Failed);
  }
  SECTION("postfix: 300 s doubling to 4000 s on 300 s queue runs, returned after 5 days") {
    Lesson l = run_lesson(lesson("retry: postfix", "", down, kSend));
    World& w = l.world();
    const SimTime a = arrival(w);
    const Duration c = attempt_cost(w);
    REQUIRE(a + c < sec(300));
    Times want{a, sec(600), sec(1500), sec(3000), sec(5700), sec(9900)};  // waits 300, 600, 1200, 2400, 4000
    while (want.back() + sec(4200) < a + days(5)) want.push_back(want.back() + sec(4200));
    CHECK(times_text(message_attempts(w)) == times_text(want));
    CHECK(bounce_time(w) == expected_bounce(w, days(5)));
    CHECK(dsns(mailbox(w, "mda.a.example", "a@a.example")).size() == 1);  // no delay warning
  }
  SECTION("exim: the three rules, a warning after 24h, returned after 4 days") {
    Lesson l = run_lesson(lesson("retry: exim", "", down, kSend));
    World& w = l.world();
    const SimTime a = arrival(w);
    const Times t = relative(message_attempts(w), a);
    CHECK(t == attempt_times(*retry_preset("exim"), attempt_cost(w)));
    // Spelled out: 15 minutes (+ the attempt's own 30 s) for 2 hours, then growing gaps, then 6 h.
    REQUIRE(t.size() > 12);
    CHECK(t[1] - t[0] == minutes(15) + attempt_cost(w));
    CHECK(t[9] - t[8] == hours(1) + attempt_cost(w));
    CHECK(t[10] - t[9] == hours(1) + minutes(30) + attempt_cost(w));
    CHECK(t.back() - t[t.size() - 2] == hours(6) + attempt_cost(w));
    CHECK(bounce_time(w) == expected_bounce(w, days(4)));
    auto reports = dsns(mailbox(w, "mda.a.example", "a@a.example"));
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].recipients.at(0).action == mail::DsnAction::Delayed);
    CHECK(reports[1].recipients.at(0).action == mail::DsnAction::Failed);
  }
}
