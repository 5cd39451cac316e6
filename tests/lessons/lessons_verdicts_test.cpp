// lessons_verdicts_test.cpp - expectations decided while a lesson runs (ScenarioRun::verdicts):
// each flips to pass or fail at the moment the trace settles it (a delivery, a deadline that
// passes), a negative waits for its window's end, and every decided verdict agrees with the final
// report, which is the same as a run that never asked (same trace hash, same words).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

using namespace smtpsim;
using St = scenario::ExpectVerdict::Status;
namespace fs = std::filesystem;

namespace {

// lesson - a lesson of scenarios/lessons, loaded.
scenario::ScenarioSpec lesson(const std::string& name) {
  auto l = scenario::load_scenario_file(std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/" + name);
  INFO(l.format());
  REQUIRE(l.ok());
  return *l.spec;
}

// step_until - run event by event until expectation i is decided; false if the run ends first.
bool step_until(scenario::ScenarioRun& run, std::size_t i) {
  while (run.verdicts()[i].status == St::Pending)
    if (!run.step()) return false;
  return true;
}

}  // namespace

// nth_time - the time of the nth trace event that satisfies pred (-1: fewer).
template <class Pred>
SimTime nth_time(World& w, int nth, Pred pred) {
  for (const TraceEvent& e : w.trace.events())
    if (pred(e) && --nth == 0) return e.time;
  return -1;
}

TEST_CASE("story: each expectation flips when the trace settles it - the delivery, the 4th attempt, the 3rd 451") {
  scenario::ScenarioRun run(lesson("story.yaml"));
  REQUIRE(run.verdicts().size() == 9);
  for (const auto& v : run.verdicts()) CHECK(v.status == St::Pending);
  std::vector<SimTime> flipped(9, -1);  // when each was first seen decided, stepping event by event
  while (run.now() < hours(1) + minutes(10) && run.step())
    for (std::size_t i = 0; i < 9; ++i)
      if (flipped[i] < 0 && run.verdicts()[i].status != St::Pending) flipped[i] = run.now();
  World& w = run.world();
  const auto& v = run.verdicts();

  // expect[0]: delivered between 1h and 1h20m - passes the moment the MDA stores it
  const SimTime delivered = nth_time(w, 1, [](const TraceEvent& e) { return e.kind == TraceKind::Delivery; });
  REQUIRE(delivered > hours(1));
  CHECK(v[0].status == St::Pass);
  CHECK(v[0].at == delivered);
  CHECK(flipped[0] == delivered);
  CHECK_THAT(v[0].result.detail, Catch::Matchers::StartsWith("delivered at " + format_time(delivered)));
  // expect[1]: at least 4 attempts - at the 4th, long before the run ends
  const SimTime fourth = nth_time(w, 4, [](const TraceEvent& e) {
    return e.kind == TraceKind::Queue && e.state == QueueState::Attempt;
  });
  REQUIRE(fourth > 0);
  CHECK(v[1].status == St::Pass);
  CHECK(v[1].at == fourth);
  // expect[2]: 451 after RCPT from mx2, at least 3 times - at the third
  const SimTime third = nth_time(w, 3, [](const TraceEvent& e) {
    return e.kind == TraceKind::Reply && e.code == 451 && e.host == "mx2.b.example";
  });
  REQUIRE(third > 0);
  CHECK(v[2].status == St::Pass);
  CHECK(v[2].at == third);
  CHECK(third < delivered);
  // expect[4]: TLS between client-c and its MSA - when their handshake is done
  const SimTime tls = nth_time(w, 1, [](const TraceEvent& e) {
    return e.kind == TraceKind::Tls && e.text.rfind("done", 0) == 0 && e.host == "client-c";
  });
  REQUIRE(tls > 0);
  CHECK(v[4].status == St::Pass);
  CHECK(v[4].at == tls);
  // expect[3]: B's client fetches it within 10 minutes of the delivery - at its next poll
  CHECK(v[3].status == St::Pass);
  CHECK(v[3].at > delivered);
  CHECK(v[3].at < delivered + minutes(10));
  // the negative over the whole run and the end-state checks wait for the end
  CHECK(v[5].status == St::Pending);  // no 5xx from the MSA: its window is the whole run
  for (std::size_t i : {6, 7, 8}) CHECK(v[i].status == St::Pending);  // lost, duplicates, queued: the end

  run.run_to_end();
  scenario::RunReport rep = run.finish();
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].status != St::Pending) CHECK((v[i].status == St::Pass) == rep.expectations[i].pass);
  CHECK(rep.ok());
}

TEST_CASE("a deadline that passes fails the expectation then, not at the end of the run") {
  scenario::ScenarioSpec spec = lesson("story.yaml");
  spec.expectations[0].window = {0, minutes(30)};  // delivered by 30m: it comes after 1h
  scenario::ScenarioRun run(spec);
  run.run_until(minutes(30));
  CHECK(run.verdicts()[0].status == St::Pending);  // an event at exactly 00:30:00 would still count
  REQUIRE(run.step());
  const scenario::ExpectVerdict& v = run.verdicts()[0];
  CHECK(v.status == St::Fail);
  CHECK(v.at == run.now());
  CHECK(v.at > minutes(30));
  CHECK(v.at < hours(1));
  CHECK_THAT(v.result.detail, Catch::Matchers::StartsWith("never delivered"));
  run.run_to_end();
  CHECK_FALSE(run.finish().expectations[0].pass);
}

TEST_CASE("a negative fails when the thing happens, and passes only at its window's end") {
  // mx2 greets (220) at some time g and answers RCPT with 451 at some later time f
  scenario::ScenarioSpec spec = lesson("story.yaml");
  SimTime greet = -1, first_451 = -1;
  {
    scenario::ScenarioRun probe(spec);
    probe.run_until(minutes(5));
    greet = nth_time(probe.world(), 1, [](const TraceEvent& e) {
      return e.kind == TraceKind::Reply && e.code == 220 && e.host == "mx2.b.example";
    });
    first_451 = nth_time(probe.world(), 1, [](const TraceEvent& e) {
      return e.kind == TraceKind::Reply && e.code == 451 && e.host == "mx2.b.example";
    });
  }
  REQUIRE(greet > 0);
  REQUIRE(first_451 > greet);
  scenario::Expectation x = spec.expectations[2];  // reply 451 after RCPT on mx2.b.example
  x.kind = scenario::Expectation::Kind::NoReply;

  SECTION("its window holds the 451: fails at the 451") {
    x.window = {0, first_451 + sec(10)};
    spec.expectations = {x};
    scenario::ScenarioRun run(spec);
    REQUIRE(step_until(run, 0));
    CHECK(run.verdicts()[0].status == St::Fail);
    CHECK(run.verdicts()[0].at == first_451);
  }
  SECTION("its window ends between the greeting and the 451: passes just after its end") {
    x.window = {0, (greet + first_451) / 2};
    spec.expectations = {x};
    scenario::ScenarioRun run(spec);
    run.run_until(x.window.to);
    CHECK(run.verdicts()[0].status == St::Pending);
    REQUIRE(step_until(run, 0));
    CHECK(run.verdicts()[0].status == St::Pass);
    CHECK(run.verdicts()[0].at > x.window.to);
    CHECK(run.verdicts()[0].at <= first_451);
    run.run_to_end();
    CHECK(run.finish().expectations[0].pass);
  }
}

TEST_CASE("every lesson: decided verdicts agree with the report, which asking does not change") {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(SMTPSIM_SOURCE_DIR) / "scenarios" / "lessons"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 17);
  for (const std::string& f : files) {
    DYNAMIC_SECTION(f) {
      scenario::ScenarioSpec spec = lesson(f);
      scenario::ScenarioRun plain(spec);
      plain.run_to_end();
      scenario::RunReport want = plain.finish();

      scenario::ScenarioRun run(spec);
      std::vector<scenario::ExpectVerdict> seen;
      run.run_to_end([&](SimTime, SimTime) { seen = run.verdicts(); });
      seen = run.verdicts();
      scenario::RunReport got = run.finish();
      CHECK(got.trace_hash == want.trace_hash);
      CHECK(got.summary_line() == want.summary_line());
      REQUIRE(got.expectations.size() == want.expectations.size());
      REQUIRE(seen.size() == want.expectations.size());
      int decided = 0;
      for (std::size_t i = 0; i < seen.size(); ++i) {
        INFO(want.expectations[i].expectation.describe() << " - " << want.expectations[i].detail);
        CHECK(got.expectations[i].detail == want.expectations[i].detail);
        if (seen[i].status == St::Pending) continue;
        ++decided;
        CHECK((seen[i].status == St::Pass) == want.expectations[i].pass);
        CHECK(seen[i].at >= 0);
        CHECK(seen[i].at <= got.end);
      }
      // each lesson with a delivery or count to watch decides at least one before the end
      if (std::any_of(spec.expectations.begin(), spec.expectations.end(), [](const scenario::Expectation& x) {
            return x.kind == scenario::Expectation::Kind::Delivered;
          }))
        CHECK(decided > 0);
    }
  }
}
