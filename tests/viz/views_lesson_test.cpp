// views_lesson_test.cpp - the lesson panel, the error panel and the picker, and the whole layout.
#include <catch2/catch.hpp>

#include <imgui_internal.h>

#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

TEST_CASE("a pausing card shows Continue, which asks to play on", "[lesson]") {
  Harness h(400, 600);
  Scene s = test::story_scene();
  UiState ui;
  auto draw = [&] { draw_lesson(s, ui); };
  std::string text = h.frame(draw);
  CHECK(text.find("Step 3 of 5") != std::string::npos);
  CHECK(text.find("mx1 does not answer, mx2 says 451.\nThe next attempt is in 15 minutes.") != std::string::npos);
  CHECK(text.find("PASS") != std::string::npos);
  CHECK(text.find("FAIL") != std::string::npos);
  auto at = h.find("Continue >", draw, 0, 600);
  REQUIRE(at);
  h.click(at->x, at->y, draw);
  CHECK(ui.req.toggle_play);
  ui.req = {};
  auto next = h.find("next card >", draw, 0, 600);
  REQUIRE(next);
  h.click(next->x, next->y, draw);
  CHECK(ui.req.next_card);

  s.card.pausing = false;
  h.mouse(-100, -100);
  text = h.frame(draw);
  CHECK(text.find("Continue") == std::string::npos);
  s.finished = true;
  s.summary_line = "lesson story: 2 of 3 expectations passed";
  text = h.frame(draw);
  CHECK(text.find("lesson story: 2 of 3 expectations passed") != std::string::npos);
}

TEST_CASE("a bad lesson shows file:line:col and the picker opens another", "[error]") {
  Harness h(800, 600);
  Scene s;
  s.error = "scenarios/lessons/bad.yaml:3:5: unknown key 'hsots' (did you mean 'hosts'?)";
  s.lessons = test::story_scene().lessons;
  UiState ui;
  auto draw = [&] { draw_error(s, ui); };
  std::string text = h.frame(draw);
  CHECK(text.find("bad.yaml:3:5: unknown key 'hsots'") != std::string::npos);
  CHECK(text.find("Greylisting") != std::string::npos);
  auto at = h.find("greylisting", draw, 0, 600, 3);
  REQUIRE(at);
  h.click(at->x, at->y, draw);
  REQUIRE(ui.req.open_lesson);
  CHECK(*ui.req.open_lesson == "scenarios/lessons/greylisting.yaml");
}

TEST_CASE("the main layout fits 1280x800 and presenter mode keeps network, clock and card", "[main]") {
  Harness h(1280, 800);
  Scene s = test::story_scene();
  UiState ui;
  auto draw = [&] { draw_main(s, ui); };
  h.frame(draw, true);
  h.frame(draw, true);
  for (const char* n : {"##top", "##network", "##lesson", "##queues", "##transcript"}) {
    INFO(n);
    ImGuiWindow* w = ImGui::FindWindowByName(n);
    REQUIRE(w);
    CHECK(w->Pos.x >= 0);
    CHECK(w->Pos.y >= 0);
    CHECK(w->Pos.x + w->Size.x <= 1280.5f);
    CHECK(w->Pos.y + w->Size.y <= 800.5f);
    CHECK(w->Size.y >= 60);
  }
  ImGuiWindow* net = ImGui::FindWindowByName("##network");
  CHECK(net->Size.x >= 800);
  CHECK(net->Size.y >= 280);
  ui.presenter = true;
  h.frame(draw, true);
  h.frame(draw, true);
  CHECK(ImGui::FindWindowByName("##transcript")->Active == false);
  CHECK(ImGui::FindWindowByName("##network")->Active);
}
