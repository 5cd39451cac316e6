// lessons_retry_switch_test.cpp - a timeline entry that switches a sending host's retry preset
// while the run goes (`{ at: 5m, host: cluster-fra, retry: postfix }`, issue 12's "switch retry
// preset" menu item): the attempt already planned stays, the ones after follow the new preset;
// the loader's messages; applied by hand and saved, it replays to the same hash.
#include <catch2/catch.hpp>

#include "sim/scenario/scenario_action.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/scenario_save.hpp"

#include <fstream>
#include <sstream>

using namespace smtpsim;
using namespace smtpsim::scenario;

namespace {

const std::string kStoryPath = SMTPSIM_SOURCE_DIR "/scenarios/lessons/story.yaml";

std::string story_text() {
  std::ifstream f(kStoryPath);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// with_entry - the story with one more timeline entry (a flow mapping).
std::string with_entry(const std::string& entry) {
  std::string t = story_text();
  std::size_t at = t.find("\nnarration:");
  REQUIRE(at != std::string::npos);
  return t.insert(at, "  - " + entry + "\n");
}

// attempts - the times the outbound cluster's members started delivery attempts.
std::vector<SimTime> attempts(ScenarioRun& run) {
  std::vector<SimTime> out;
  for (const TraceEvent& e : run.world().trace.events())
    if (e.kind == TraceKind::Queue && e.host.rfind("out", 0) == 0 && e.text.find(": attempt ") != std::string::npos)
      out.push_back(e.time);
  return out;
}

std::vector<SimTime> attempts_of(const ScenarioSpec& spec, std::string* hash = nullptr) {
  ScenarioRun run(spec);
  run.run_to_end();
  if (hash) *hash = run.finish().trace_hash;
  return attempts(run);
}

ScenarioSpec load_ok(const std::string& text) {
  LoadResult r = load_scenario_string(text, "t.yaml");
  INFO(r.format());
  REQUIRE(r.ok());
  return *r.spec;
}

std::string first_error(const std::string& text) {
  LoadResult r = load_scenario_string(text, "t.yaml");
  REQUIRE_FALSE(r.ok());
  return r.diagnostics.front().message;
}

}  // namespace

TEST_CASE("retry: switching the cluster to sendmail keeps the planned attempt, then follows sendmail") {
  std::vector<SimTime> before = attempts_of(load_ok(story_text()));
  REQUIRE(before.size() >= 3);
  CHECK(before[2] - before[1] == minutes(15));  // the story's fixed 15 minutes
  ScenarioSpec switched = load_ok(with_entry("{ at: 5m, host: cluster-fra, retry: sendmail }"));
  ScenarioRun run(switched);
  run.run_to_end();
  std::vector<SimTime> after = attempts(run);
  REQUIRE(after.size() >= 3);
  CHECK(after[0] == before[0]);
  CHECK(after[1] == before[1]);  // planned under the story's schedule before the switch
  CHECK(after[2] != before[2]);  // sendmail: queue runs every 15m, at least 30m between tries
  CHECK(after[2] - after[1] >= minutes(30));
  bool told = false;
  for (const TraceEvent& e : run.world().trace.events())
    if (e.kind == TraceKind::Fault && e.text.find("cluster-fra (members out1.fra, out2.fra, out3.fra) now retries like sendmail") == 0)
      told = true;
  CHECK(told);
}

TEST_CASE("retry: the loader's words for a bad preset, a host that sends nothing, a missing host") {
  CHECK(first_error(with_entry("{ at: 5m, host: cluster-fra, retry: qmail }")).find("qmail") != std::string::npos);
  CHECK(first_error(with_entry("{ at: 5m, host: client-c, retry: postfix }")) ==
        "host: 'client-c' is an mua host; only hosts that send mail on (msa, mta, cluster, mx) have a retry schedule");
  CHECK(first_error(with_entry("{ at: 5m, retry: postfix }")) ==
        "timeline entry: retry: needs host: (the sending host whose schedule changes)");
  CHECK(first_error(with_entry("{ at: 5m, host: out1.fra, retry: { every: 5m } }")).find("retry: expected a preset") == 0);
}

TEST_CASE("retry: applied by hand, saved as a lesson, replayed to the same hash") {
  ScenarioSpec spec = load_ok(story_text());
  ScenarioRun run(spec);
  run.run_until(minutes(3));
  TimelineEntry e;
  e.action = RetryAction{"out1.fra", RetryPreset::Postfix};
  run.apply(e);
  run.apply(TimelineEntry{0, RetryAction{"cluster-fra", RetryPreset::Exim}, "", std::nullopt, {}});
  run.run_to_end();
  const std::string hash = run.finish().trace_hash;
  const std::string saved = save_as_lesson(story_text(), run.actions());
  CHECK(saved.find("host: out1.fra, retry: postfix }") != std::string::npos);
  CHECK(saved.find("host: cluster-fra, retry: exim }") != std::string::npos);
  std::string replayed;
  attempts_of(load_ok(saved), &replayed);
  CHECK(replayed == hash);
  std::string plain;
  attempts_of(spec, &plain);
  CHECK(plain != hash);
}
