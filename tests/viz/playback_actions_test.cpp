// playback_actions_test.cpp - an --actions file driving the window's playback headless: entries
// in file order at their times, lesson entries through Playback::act (branches as by hand), view
// verbs from the table, bad values at file:line:column.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "sim/scenario/scenario_load.hpp"
#include "viz/playback/playback_actions.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
const std::string kSrc = SMTPSIM_SOURCE_DIR;
const std::string kStory = kSrc + "/scenarios/lessons/story.yaml";

// temp_file - text written to a file in the build tree; its path.
std::string temp_file(const std::string& name, const std::string& text) {
  std::string p = std::string(SMTPSIM_BINARY_DIR) + "/" + name;
  std::ofstream(p) << text;
  return p;
}
}  // namespace

TEST_CASE("actions file, headless: an action, a rewind to before it, a different fault -> branch 2 only is saved") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  UiState ui;
  ActionTarget t{pb, ui, {}};
  ActionScript script;
  REQUIRE(script.load(kSrc + "/tests/viz/actions/rewind-other-fault.yaml", pb.lesson()));
  CHECK(script.size() == 5);
  CHECK(script.drive_to(t, pb.end()) == 2);  // two screenshot entries, no window to take them
  CHECK(script.done());
  REQUIRE(pb.branches().all().size() == 3);
  CHECK(pb.branches().current_id() == 2);
  CHECK(pb.branches().all()[1].actions.size() == 1);
  REQUIRE(pb.branches().actions().size() == 1);
  CHECK(pb.branches().actions()[0].at == minutes(10));
  const std::string saved = pb.saved_lesson_text();
  CHECK(saved.find("host: mx2.b.example, behaviour: { rcpt: normal }") != std::string::npos);
  CHECK(saved.find("mx1.b.example], state: up }") == std::string::npos);
  // The saved lesson replays to the playback's trace.
  pb.advance_to(pb.end());
  scenario::LoadResult lr = scenario::load_scenario_string(saved, "saved.yaml");
  REQUIRE(lr.ok());
  scenario::ScenarioRun r(*lr.spec);
  r.run_to_end();
  CHECK(r.finish().trace_hash == pb.report().trace_hash);
}

TEST_CASE("actions file: view verbs set the UI state, a send is composed at its time") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  UiState ui;
  ActionTarget t{pb, ui, {}};
  ActionScript script;
  REQUIRE(script.load(temp_file("he_verbs.yaml",
                                "- { at: 30s, presenter: on }\n"
                                "- { at: 40s, predict: on }\n"
                                "- { at: 2m, send: { from: a@a.example, to: b@b.example, subject: \"Second\" } }\n"
                                "- { at: 3m, presenter: off }\n"),
                      pb.lesson()));
  script.drive_to(t, minutes(2) + sec(30));
  CHECK(ui.presenter);
  CHECK(ui.predict);
  REQUIRE(pb.branches().actions().size() == 1);
  CHECK(pb.branches().actions()[0].at == minutes(2));
  CHECK(std::get<scenario::MessageSpec>(pb.branches().actions()[0].action).subject == "Second");
  script.drive_to(t, minutes(4));
  CHECK_FALSE(ui.presenter);
  // The composed message is sent, and the saved lesson carries it in send:.
  pb.advance_to(pb.end());
  CHECK(pb.report().submitted == 2);
  CHECK(pb.saved_lesson_text().find("{ id: extra-2, at: 2m, after_event: ") != std::string::npos);
}

TEST_CASE("actions file: a bad verb value or entry is an error at file:line:column, nothing applied") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  ActionScript script;
  std::string p = temp_file("he_bad.yaml", "- { at: 30s, presenter: loud }\n- { at: 1m, rewind_to: soon }\n");
  CHECK_FALSE(script.load(p, pb.lesson()));
  CHECK(script.error() == p + ":1:25: presenter: expected on or off, got 'loud'\n" + p +
                              ":2:24: rewind_to: expected a time like 10m or 1h5m, got 'soon'");
  CHECK(script.size() == 0);
  CHECK_FALSE(script.load(temp_file("he_bad2.yaml", "- { at: 30s, crash: nowhere }\n"), pb.lesson()));
  CHECK(script.error().find("he_bad2.yaml:1:21: crash: unknown host 'nowhere'") != std::string::npos);
}
