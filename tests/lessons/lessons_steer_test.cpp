// lessons_steer_test.cpp - a run changed by hand while it runs (ScenarioRun::apply) is replayed
// exactly by a run built from the spec plus its records, and by the lesson saved with them
// (save_as_lesson), through the runner and through `smtpsim run`.
#include <catch2/catch.hpp>

#include <regex>

#include "cli_harness.hpp"
#include "sim/scenario/scenario_action.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/scenario_save.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;

namespace {

const std::string kStoryPath = SMTPSIM_SOURCE_DIR "/scenarios/lessons/story.yaml";

// load_text - a lesson from text; fails the test with the loader's messages if it is not valid.
ScenarioSpec load_text(const std::string& text) {
  auto loaded = load_scenario_string(text, "saved.yaml");
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  return *loaded.spec;
}

// hash_of - run a spec to its end; its trace hash.
std::string hash_of(const ScenarioSpec& spec) {
  ScenarioRun run(spec);
  run.run_to_end();
  return run.finish().trace_hash;
}

// steered - the story changed by hand four times: at a pause between instants (a slower link), in
// the middle of an instant (a new message), later a behaviour change and a DNS fault.
struct Steered {
  std::vector<AppliedAction> actions;
  std::string hash;
  bool mid_instant = false;
};
Steered steer(const ScenarioSpec& spec) {
  ScenarioRun run(spec);
  run.run_until(sec(30));
  TimelineEntry slow;
  slow.action = LinkAction{"internet", "mx2.b.example", std::nullopt, msec(900), std::nullopt, std::nullopt};
  slow.note = "the backup MX's line gets slow";
  run.apply(slow);
  // into the submission (STARTTLS, AUTH), then to a point where more events of this instant wait
  run.run_until(sec(61));
  Steered out;
  for (int i = 0; i < 500 && run.step(); ++i)
    if (run.next_event_time() == run.now() && i > 20) {
      out.mid_instant = true;
      break;
    }
  MessageSpec m;
  m.from = "a@a.example";
  m.to = {"b@b.example"};
  m.subject = "And \"dinner\"?";
  m.body = "Hi B,\nor dinner instead?\n\nA";
  run.apply(m);
  run.run_to_event(run.executed() + 40);
  TimelineEntry grey;
  BehaviourChange b;
  b.host = "mx2.b.example";
  b.greylisting = true;
  ReplyOverride r;
  r.command = "MAIL";
  r.line = "421 4.3.2 System not accepting network messages";
  r.times = 1;
  b.replies.push_back(r);
  grey.action = b;
  run.apply(grey);
  run.run_until(minutes(20));
  TimelineEntry dns;
  dns.action = DnsFaultAction{"b.example", DnsFaultKind::ServFail};
  run.apply(dns);
  run.run_to_end();
  out.actions = run.actions();
  out.hash = run.finish().trace_hash;
  return out;
}

}  // namespace

TEST_CASE("a steered run is replayed exactly from the spec plus its recorded actions") {
  auto loaded = load_scenario_file(kStoryPath);
  REQUIRE(loaded.ok());
  const ScenarioSpec& spec = *loaded.spec;
  Steered s = steer(spec);
  REQUIRE(s.actions.size() == 4);
  CHECK(s.mid_instant);
  CHECK(s.actions[0].at == sec(30));
  CHECK(std::holds_alternative<MessageSpec>(s.actions[1].action));
  CHECK(std::get<MessageSpec>(s.actions[1].action).id == "extra-2");
  CHECK(s.actions[1].after_event > s.actions[0].after_event);
  CHECK(s.actions[2].after_event == s.actions[1].after_event + 40);
  CHECK(s.hash != hash_of(spec));  // the actions changed the run, so equal hashes below mean something
  CHECK(steer(spec).hash == s.hash);
  CHECK(hash_of(with_actions(spec, s.actions)) == s.hash);

  SECTION("rewind: a rebuilt run stepped to an event index is where the steered run was") {
    ScenarioRun again(with_actions(spec, s.actions));
    REQUIRE(again.run_to_event(s.actions[2].after_event));
    ScenarioRun plain(spec);
    plain.run_to_event(s.actions[2].after_event);
    CHECK(again.executed() == s.actions[2].after_event);
    CHECK(again.now() >= s.actions[1].at);
    CHECK(again.message_ids(2).size() == 1);  // the new message was sent on the way
    CHECK(plain.message_ids(2).empty());
  }
}

TEST_CASE("save as lesson keeps the text and replays to the same trace hash, through the CLI too") {
  const std::string original = clitest::read_file(kStoryPath);
  const ScenarioSpec spec = load_text(original);
  Steered s = steer(spec);
  const std::string saved = save_as_lesson(original, s.actions);
  // every original line is still there, in order, and the new ones are one flow mapping each
  auto before = clitest::lines(original), after = clitest::lines(saved);
  std::size_t j = 0;
  for (const std::string& l : after)
    if (j < before.size() && l == before[j]) ++j;
  CHECK(j == before.size());
  CHECK(after.size() == before.size() + 4);
  CHECK(saved.find("  - { at: 30s, after_event: " + std::to_string(s.actions[0].after_event) +
                   ", link: [internet, mx2.b.example], latency: 900ms, note: \"the backup MX's line gets slow\" }") !=
        std::string::npos);
  CHECK(saved.find("  - { id: extra-2, at: ") != std::string::npos);
  const ScenarioSpec back = load_text(saved);
  CHECK(back.timeline.size() == spec.timeline.size() + 3);
  CHECK(back.messages.size() == 2);
  CHECK(back.narration.size() == spec.narration.size());
  CHECK(back.expectations.size() == spec.expectations.size());
  CHECK(hash_of(back) == s.hash);

  clitest::Scratch dir;
  std::string file = dir.write("steered.yaml", saved);
  clitest::Result r = dir.run({"run", file});
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex("trace hash ([0-9a-f]{16})")));
  CHECK(m[1].str() == s.hash);
}

TEST_CASE("save as lesson: flow lists, block lists at column 0, and missing sections") {
  const std::string base = clitest::small_lesson();
  const ScenarioSpec spec = load_text(base);
  REQUIRE(spec.timeline.empty());
  AppliedAction crash{sec(5), 17, TimelineEntry{}};
  std::get<TimelineEntry>(crash.action).action = HostAction{"mx.b.example", HostAction::Op::Crash};
  MessageSpec extra;
  extra.id = "second";
  extra.from = spec.messages.at(0).from;
  extra.to = spec.messages.at(0).to;
  extra.via = spec.messages.at(0).via;
  AppliedAction send{sec(7), 30, extra};
  const std::vector<AppliedAction> acts{crash, send};

  SECTION("a missing timeline section is created; the block send list is extended") {
    ScenarioSpec back = load_text(save_as_lesson(base, acts));
    REQUIRE(back.timeline.size() == 1);
    CHECK(back.timeline[0].after_event == 17u);
    CHECK(std::holds_alternative<HostAction>(back.timeline[0].action));
    REQUIRE(back.messages.size() == spec.messages.size() + 1);
    CHECK(back.messages.back().id == "second");
    CHECK(back.messages.back().after_event == 30u);
    CHECK(back.messages.back().at == sec(7));
  }
  SECTION("flow lists get the entries before their closing bracket") {
    std::string text = base + "\ntimeline: [ { at: 1s, note: \"first\" } ]   # trailing comment\n";
    std::string saved = save_as_lesson(text, acts);
    CHECK(saved.find("# trailing comment") != std::string::npos);
    ScenarioSpec back = load_text(saved);
    REQUIRE(back.timeline.size() == 2);
    CHECK(back.timeline[0].note == "first");
    CHECK(back.timeline[1].after_event == 17u);
    std::string empty_flow = base + "\ntimeline: []\n";
    CHECK(load_text(save_as_lesson(empty_flow, acts)).timeline.size() == 1);
  }
  SECTION("a block list at column 0 keeps its indentation") {
    std::string text = base + "\ntimeline:\n- { at: 1s, note: \"first\" }\n# the end\n";
    std::string saved = save_as_lesson(text, acts);
    CHECK(saved.find("\n- { at: 5s, after_event: 17, crash: mx.b.example }\n") != std::string::npos);
    CHECK(load_text(saved).timeline.size() == 2);
  }
  SECTION("an empty section spelled null or ~ is filled in place, not written twice") {
    for (const char* spelling : {"timeline: null   # none yet\n", "timeline: ~\n", "timeline:\n"}) {
      std::string text = base + "\n" + spelling + "# the end\n";
      std::string saved = save_as_lesson(text, acts);
      INFO(saved);
      std::size_t n = 0;
      for (std::size_t at = saved.find("\ntimeline:"); at != std::string::npos; at = saved.find("\ntimeline:", at + 1)) ++n;
      CHECK(n == 1);
      CHECK(saved.find("null") == std::string::npos);
      ScenarioSpec back = load_text(saved);
      REQUIRE(back.timeline.size() == 1);
      CHECK(back.timeline[0].after_event == 17u);
    }
  }
}

TEST_CASE("after_event is read from timeline and send entries, and refused with repeat") {
  const std::string base = clitest::small_lesson();
  std::string text = base + "\ntimeline:\n  - { at: 2s, after_event: 12, crash: mx.b.example }\n";
  CHECK(load_text(text).timeline.at(0).after_event == 12u);
  auto bad = load_scenario_string(base + "\ntimeline:\n  - { at: 2s, after_event: -1, crash: mx.b.example }\n", "x.yaml");
  CHECK_FALSE(bad.ok());
  std::string rep = base;
  std::size_t pos = rep.find("send:\n");
  REQUIRE(pos != std::string::npos);
  rep.insert(pos + 6, "  - { id: again, from: a@a.example, to: b@b.example, repeat: 2, every: 1s, after_event: 3 }\n");
  auto withrep = load_scenario_string(rep, "x.yaml");
  CHECK_FALSE(withrep.ok());
  CHECK(withrep.format().find("after_event: places one message exactly") != std::string::npos);
}

TEST_CASE("duration_text writes what the loader reads back") {
  CHECK(duration_text(0) == "0");
  CHECK(duration_text(sec(30)) == "30s");
  CHECK(duration_text(hours(1) + minutes(5)) == "1h5m");
  CHECK(duration_text(sec(1) + msec(250) + 17) == "1s250ms17us");
  CHECK(duration_text(hours(49)) == "2d1h");
}
