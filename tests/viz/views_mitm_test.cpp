// views_mitm_test.cpp - a man in the middle by hand (issue 12's link menu): the scene draws eve on
// the link she was spliced into, the link's menu offers to put one there, change what it does or
// unplug it, a right click on either half of the cable opens the whole link's menu, and what the
// menu makes is the Action the loader makes from `link: [a, b], mitm: ...`.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_load.hpp"
#include "views_harness.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/views/view_hands.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {

const std::string kLessons = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/";

// text_of - an Action as a saved lesson writes it.
std::string text_of(const scenario::Action& a) { return scenario::action_yaml({0, 0, a}); }

// story_with_eve - the story with eve put on B's primary MX's link at 5 minutes.
scenario::ScenarioSpec story_with_eve() {
  std::ifstream in(kLessons + "story.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::size_t t = text.find("\ntimeline:\n");
  REQUIRE(t != std::string::npos);
  text.insert(t + 11, "  - { at: 5m, link: [internet, mx1.b.example], mitm: strip_starttls }\n");
  auto r = scenario::load_scenario_string(text, "story+eve.yaml");
  INFO(r.format());
  REQUIRE(r.ok());
  return *r.spec;
}

const hands::Item* item(const std::vector<hands::Item>& items, const std::string& label) {
  for (const auto& i : items)
    if (i.label == label) return &i;
  return nullptr;
}
const SceneHost* host(const Scene& s, const std::string& name) {
  for (const SceneHost& h : s.hosts)
    if (h.name == name) return &h;
  return nullptr;
}

}  // namespace

TEST_CASE("eve put on a link by hand: drawn on it, and the link's menu changes or unplugs her", "[hands][mitm]") {
  Playback pb;
  REQUIRE(pb.open_spec(story_with_eve()));
  pb.set_auto_continue(true);
  pb.seek(minutes(2));
  SceneBuilder sb;
  Scene s;
  sb.build(pb, s);
  CHECK(host(s, "eve") == nullptr);  // not yet
  auto before = hands::link_items(s, "internet", "mx1.b.example");
  const hands::Item* put = item(before, "Put a man in the middle that strips STARTTLS");
  REQUIRE(put);
  CHECK(put->menu == "Man in the middle");
  CHECK(text_of(put->action) == text_of(hands::link_mitm("internet", "mx1.b.example", scenario::LinkMitm::StripStartTls)));
  CHECK(text_of(put->action).find("link: [internet, mx1.b.example], mitm: strip_starttls") != std::string::npos);

  pb.seek(minutes(6));
  sb.build(pb, s);
  const SceneHost* eve = host(s, "eve");
  REQUIRE(eve);
  CHECK(eve->role == "mitm");
  CHECK(eve->label == "Eve: man in the middle");
  CHECK(eve->ip == "198.51.100.66");
  int halves = 0;
  for (const SceneLink& l : s.links)
    if (l.a == "eve" || l.b == "eve") {
      ++halves;
      CHECK(l.lesson_a == "internet");
      CHECK(l.lesson_b == "mx1.b.example");
      CHECK(l.mitm == "eve");
      CHECK(l.mitm_mode == "strip_starttls");
      CHECK(l.mitm_by_hand);
      CHECK(l.state == "down");  // the story's cut applies to the whole cable
    }
  CHECK(halves == 2);
  auto now = hands::link_items(s, "internet", "mx1.b.example");
  CHECK(item(now, "Put a man in the middle that strips STARTTLS") == nullptr);
  CHECK(item(now, "eve now strips STARTTLS") == nullptr);  // she already does
  REQUIRE(item(now, "eve now only reads"));
  REQUIRE(item(now, "Unplug eve"));
  CHECK(item(now, "Restore the link"));  // the cable's own items still apply to the whole link
  CHECK(text_of(item(now, "Unplug eve")->action) ==
        text_of(hands::link_mitm("internet", "mx1.b.example", scenario::LinkMitm::Off)));

  // A right click on either half opens the menu of the link as written.
  for (const char* other : {"internet", "mx1.b.example"}) {
    Harness h;  // a new window each time (the first menu would still be open)
    UiState ui;
    auto draw = [&] { draw_topology(s, ui); };
    h.frame(draw);
    const SceneHost* o = host(s, other);
    CanvasPoint pa = canvas_to_screen(ui, eve->x, eve->y), pb2 = canvas_to_screen(ui, o->x, o->y);
    h.mouse((pa.x + pb2.x) / 2, (pa.y + pb2.y) / 2);
    h.frame(draw);
    ImGui::GetIO().MouseDown[1] = true;
    h.frame(draw);
    ImGui::GetIO().MouseDown[1] = false;
    h.frame(draw);
    INFO(other);
    CHECK(ui.hands.menu_kind == "link");
    CHECK(((ui.hands.menu_a == "internet" && ui.hands.menu_b == "mx1.b.example") ||
           (ui.hands.menu_b == "internet" && ui.hands.menu_a == "mx1.b.example")));
  }

  // Put on another link by hand: eve2, and she survives a rewind (the run is re-simulated with the
  // hand action replayed at its place).
  pb.act(hands::link_mitm("out1.fra", "internet", scenario::LinkMitm::Relay));
  sb.build(pb, s);
  REQUIRE(host(s, "eve2"));
  pb.seek(minutes(5) + sec(30));
  sb.build(pb, s);
  CHECK(host(s, "eve2") == nullptr);
  CHECK(host(s, "eve"));
  pb.seek(minutes(6));
  sb.build(pb, s);
  CHECK(host(s, "eve2"));
  now = hands::link_items(s, "internet", "mx1.b.example");

  // Unplugged: eve leaves the canvas, the cable is whole again.
  pb.act(item(now, "Unplug eve")->action);
  sb.build(pb, s);
  CHECK(host(s, "eve") == nullptr);
  bool whole = false;
  for (const SceneLink& l : s.links) {
    CHECK(l.a != "eve");
    CHECK(l.b != "eve");
    whole = whole || (l.a == "internet" && l.b == "mx1.b.example");
  }
  CHECK(whole);
  CHECK(item(hands::link_items(s, "internet", "mx1.b.example"), "Put a man in the middle that strips STARTTLS"));
}

TEST_CASE("a lesson's own man in the middle is named in the link's menu but not offered for change", "[hands][mitm]") {
  Playback pb;
  REQUIRE(pb.open(kLessons + "starttls-stripped.yaml"));
  pb.seek(sec(1));
  SceneBuilder sb;
  Scene s;
  sb.build(pb, s);
  auto items = hands::link_items(s, "internet", "mx.b.example");
  CHECK(item(items, "Cut the link"));
  for (const auto& i : items) CHECK(i.menu != "Man in the middle");
  bool named = false;
  for (const SceneLink& l : s.links)
    if (l.a == "eve" || l.b == "eve") {
      named = true;
      CHECK(l.mitm == "eve");
      CHECK_FALSE(l.mitm_by_hand);
      CHECK(l.lesson_a + l.lesson_b == "internetmx.b.example");
    }
  CHECK(named);
}
