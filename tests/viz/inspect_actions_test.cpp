// inspect_actions_test.cpp - the --actions view verbs of the inspect tabs (issue 12): tab, inspect,
// inspect_view and sequence open the panels without a mouse (CI and screenshots), and bad values
// get file:line:column answers.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "viz/playback/playback_actions.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_inspect.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

// actions_file - text written to a temporary file; returns its path.
std::string actions_file(const std::string& name, const std::string& text) {
  std::string path = "/tmp/smtpsim_inspect_" + name + ".yaml";
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("actions: tab, inspect, inspect_view and sequence open the inspect panels", "[inspect][actions]") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);  // as the app does: narration pauses do not stop an actions file
  UiState ui;
  ActionTarget t{pb, ui, {}};
  ActionScript script;
  REQUIRE(script.load(actions_file("ok", "- { at: 3m, sequence: 1 }\n"
                                         "- { at: 10m, tab: charts }\n"
                                         "- { at: 1h10m, inspect: \"first 1\" }\n"
                                         "- { at: 1h10m, inspect_view: wire }\n"),
                      pb.lesson()));
  script.drive_to(t, minutes(5));
  CHECK(ui.bottom_tab == kTabSequence);
  CHECK(ui.sequence_conn == 1);
  CHECK(!pb.capturing());
  script.drive_to(t, minutes(20));
  CHECK(ui.bottom_tab == kTabCharts);
  script.drive_to(t, hours(1) + minutes(11));
  CHECK(ui.bottom_tab == kTabMessage);
  CHECK(ui.inspect_msg.empty());  // "first": the builder picks the latest message
  CHECK(ui.inspect_hop == 0);
  CHECK(ui.inspect_view == 3);
  CHECK(pb.capturing());  // the inspector needs the bytes: the run was re-simulated with them
  Scene s;
  SceneBuilder().build(pb, s);
  InspectBuilder().build(pb, ui, s);
  REQUIRE(!s.message.hops.empty());
  CHECK(s.message.hops[0].from == "client-c");
  CHECK(s.message.subject == "Lunch on Friday?");
}

TEST_CASE("actions: a bad tab or view is answered with file:line:column", "[inspect][actions]") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  ActionScript script;
  std::string path = actions_file("bad", "- { at: 1m, tab: inbox }\n- { at: 2m, inspect_view: hex }\n");
  CHECK(!script.load(path, pb.lesson()));
  CHECK(script.error().find(path + ":1:") != std::string::npos);
  CHECK(script.error().find("tab: expected transcript, sequence, message, mailboxes or charts, got 'inbox'") != std::string::npos);
  CHECK(script.error().find(path + ":2:") != std::string::npos);
  CHECK(script.error().find("inspect_view: expected header, body, raw or wire") != std::string::npos);
}
