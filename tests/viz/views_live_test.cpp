// views_live_test.cpp - the clock bar in live mode (issue 13): the LIVE line says where to point a
// mail client; step back, stepping and the timeline make no requests (nothing rewinds live),
// while play/pause still does.
#include <catch2/catch.hpp>

#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

TEST_CASE("live: the clock bar shows LIVE and the ports, and refuses to rewind", "[clock][live]") {
  Harness h;
  Scene plain = test::story_scene();
  Scene s = plain;
  s.live = true;
  s.live_ready = "ready msa.a.example:587=127.0.0.1:40125 pop.b.example:110=127.0.0.1:40126";
  s.live_wall = "23:41:07";
  s.live_connections = 3;
  s.live_open = 1;
  s.end_us = s.t_us + sec(30);
  UiState ui;
  auto draw = [&] { draw_clock(s, ui); };
  std::string text = h.frame(draw);
  CHECK(text.find("LIVE") != std::string::npos);
  CHECK(text.find("wall clock 23:41:07") != std::string::npos);
  CHECK(text.find("real clients: 3 (1 connected)") != std::string::npos);
  CHECK(text.find("mail to 127.0.0.1: msa.a.example:587 -> 40125,  pop.b.example:110 -> 40126") != std::string::npos);
  s.live_ready = "ready mx.b.example:25=[::1]:2525";
  CHECK(h.frame(draw).find("mail to mx.b.example:25 -> [::1]:2525") != std::string::npos);
  s.live_ready = "ready msa.a.example:587=127.0.0.1:40125 pop.b.example:110=127.0.0.1:40126";

  // Where Back and Step are in an ordinary run; in live mode they sit on the row of Play.
  UiState ui_plain;
  auto draw_plain = [&] { draw_clock(plain, ui_plain); };
  auto back = h.find("<< Back", draw_plain, 0, 140);
  auto step = h.find("Step >", draw_plain, 0, 140);
  auto play = h.find(" Play  ", draw, 0, 140);
  REQUIRE(back);
  REQUIRE(step);
  REQUIRE(play);
  CHECK(play->y > back->y);  // the LIVE line pushed the transport row down
  for (auto at : {back, step}) {
    ui.req = {};
    h.click(at->x, play->y, draw);
    CHECK_FALSE(ui.req.step_back);
    CHECK_FALSE(ui.req.step_event);
    CHECK_FALSE(ui.req.step_exchange);
  }
  ui.req = {};
  h.click(play->x, play->y, draw);
  CHECK(ui.req.toggle_play);  // pausing live stops the clock, not the sockets

  auto tl = h.find("##timeline", draw, 0, 200);
  REQUIRE(tl);
  ui.req = {};
  h.click(tl->x + 50, tl->y, draw);
  CHECK_FALSE(ui.req.seek);
}
