// views_clock_test.cpp - the clock bar: big time, transport buttons and the timeline produce the
// right requests when clicked; racing is visible; the timeline seeks to the clicked time.
#include <catch2/catch.hpp>

#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

TEST_CASE("the clock shows virtual time and its buttons make requests", "[clock]") {
  Harness h;
  Scene s = test::story_scene();
  s.t_us = minutes(16) + msec(421);
  UiState ui;
  auto draw = [&] { draw_clock(s, ui); };
  std::string text = h.frame(draw);
  CHECK(text.find("00:16:00.421") != std::string::npos);
  CHECK(text.find("skipping quiet time") == std::string::npos);

  struct Case { const char* label; bool Requests::*flag; };
  const Case cases[] = {{" Play  ", &Requests::toggle_play}, {"Step >", &Requests::step_event},
                        {"Next cmd/reply >>", &Requests::step_exchange}, {"<< Back", &Requests::step_back}};
  for (const Case& c : cases) {
    INFO(c.label);
    auto at = h.find(c.label, draw, 0, 120);
    REQUIRE(at);
    ui.req = {};
    h.click(at->x, at->y, draw);
    CHECK(ui.req.*c.flag);
    ui.req = {};
  }
  auto preset = h.find("x600", draw, 0, 120);
  REQUIRE(preset);
  h.click(preset->x, preset->y, draw);
  REQUIRE(ui.req.speed);
  CHECK(*ui.req.speed == 600);

  s.skipping_idle = true;
  h.mouse(-100, -100);
  text = h.frame(draw);
  CHECK(text.find("skipping quiet time") != std::string::npos);
}

TEST_CASE("clicking the timeline seeks to the time under the mouse", "[clock]") {
  Harness h;
  Scene s = test::story_scene();  // end 5h
  UiState ui;
  auto draw = [&] { draw_clock(s, ui); };
  auto at = h.find("##timeline", draw, 0, 160, 4);
  REQUIRE(at);
  // the timeline spans the window's content width: find its ends by seeking at both edges
  ui.req = {};
  h.mouse(0, at->y);
  h.frame(draw);
  h.click(h.w * 0.25f, at->y, draw);
  REQUIRE(ui.req.seek);
  double frac = static_cast<double>(*ui.req.seek) / static_cast<double>(hours(5));
  CHECK(frac == Approx(0.25).margin(0.01));
  ui.req = {};
  h.click(h.w * 0.75f, at->y, draw);
  REQUIRE(ui.req.seek);
  CHECK(static_cast<double>(*ui.req.seek) / static_cast<double>(hours(5)) == Approx(0.75).margin(0.01));
}
