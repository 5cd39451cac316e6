// views_inspect_test.cpp - the inspect panels (issue 12) drawn headless from the real story run:
// what each tab shows and the bottom pane's tabs (draw_main's other windows are not in the
// harness's log, so the tab test checks the state it leaves).
#include <catch2/catch.hpp>

#include "views_harness.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_inspect.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {
const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

// story - the story at t with ui's tab built (capture on for the message tab).
Scene story(Playback& pb, SimTime t, const UiState& ui) {
  REQUIRE(pb.open(kStory));
  if (ui.bottom_tab == kTabMessage) pb.set_capture(true);
  pb.set_auto_continue(true);
  pb.seek(t);
  Scene s;
  SceneBuilder().build(pb, s);
  InspectBuilder().build(pb, ui, s);
  return s;
}

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("the sequence panel draws the submission's arrows with their times", "[inspect][views]") {
  Harness h;
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabSequence;
  Scene s = story(pb, minutes(3), ui);
  std::string text = h.frame([&] { draw_sequence(s, ui); });
  CHECK(has(text, "client-c  (client)"));
  CHECK(has(text, "msa.a.example  (server)"));
  CHECK(has(text, "C: EHLO client-c"));
  CHECK(has(text, "S: 220"));
  CHECK(has(text, "+20ms"));
  CHECK(has(text, "TLS: from here on the wire carries ciphertext only"));
  CHECK(has(text, "00:01:00."));
}

TEST_CASE("the inspector at the last hop lists the Received chain and the envelope", "[inspect][views]") {
  Harness h(1280, 1400);
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMessage;
  Scene s = story(pb, hours(2), ui);
  std::string text = h.frame([&] { draw_inspector(s, ui); });
  CHECK(has(text, "4 Received lines on this hop"));
  CHECK(has(text, "4. Received: from"));
  CHECK(has(text, "Subject: Lunch on Friday?"));
  CHECK(has(text, "POP3 downloads the message as it is"));  // the last hop has no envelope
  CHECK(!ui.inspect_msg.empty());                           // the pick is kept
  ui.inspect_hop = 0;                                       // the first hop: the envelope, no Received yet
  text = h.frame([&] { draw_inspector(s, ui); });
  CHECK(has(text, "MAIL FROM:<a@a.example>"));
  CHECK(has(text, "RCPT TO:<b@b.example>"));
  CHECK(has(text, "0 Received lines on this hop"));
}

TEST_CASE("the inspector asks playback for the capture when it is off", "[inspect][views]") {
  Harness h;
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMailboxes;  // built without capture
  Scene s = story(pb, minutes(5), ui);
  ui.bottom_tab = kTabMessage;
  std::string text = h.frame([&] { draw_inspector(s, ui); });
  CHECK(ui.req.capture);
  pb.apply(ui.req);
  CHECK(pb.capturing());
  CHECK(pb.now() == minutes(5));
  CHECK(!pb.capture().hops().empty());
}

TEST_CASE("the mailboxes panel shows what POP3 did", "[inspect][views]") {
  Harness h;
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMailboxes;
  Scene s = story(pb, hours(2), ui);
  std::string text = h.frame([&] { draw_mailboxes(s, ui); });
  INFO(text);
  CHECK(has(text, "Mailbox b@b.example on mda.b.example: 0 messages on the server"));
  CHECK(has(text, "Lunch on Friday?"));
  CHECK(has(text, "deleted: fetched by client-b at 01:"));
}

TEST_CASE("the charts panel shows the counts up to the clock", "[inspect][views]") {
  Harness h;
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabCharts;
  Scene s = story(pb, hours(2), ui);
  std::string text = h.frame([&] { draw_charts(s, ui); });
  CHECK(has(text, std::to_string(s.charts.deferred) + " deferred"));
  CHECK(has(text, "1 delivered"));
  CHECK(has(text, "deferrals"));
  CHECK(has(text, "tries that failed for now (4xx, no answer): now " + std::to_string(s.charts.deferred)));
}

TEST_CASE("the bottom pane's tabs: open_tab brings one up and draw_main draws it", "[inspect][views]") {
  Harness h;
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabCharts;
  Scene s = story(pb, hours(2), ui);
  ui.bottom_tab = kTabTranscript;
  ui.open_tab = kTabCharts;
  h.frame([&] { draw_main(s, ui); });
  if (ui.open_tab >= 0) h.frame([&] { draw_main(s, ui); });  // a new tab bar selects on its second frame
  CHECK(ui.bottom_tab == kTabCharts);
  CHECK(ui.open_tab == -1);
  h.frame([&] { draw_main(s, ui); });
  CHECK(ui.bottom_tab == kTabCharts);  // stays
  inspect_connection(ui, 3);
  h.frame([&] { draw_main(s, ui); });
  h.frame([&] { draw_main(s, ui); });
  CHECK(ui.open_tab == -1);
  CHECK(ui.bottom_tab == kTabSequence);
  CHECK(ui.sequence_conn == 3);
}
