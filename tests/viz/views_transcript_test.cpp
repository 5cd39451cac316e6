// views_transcript_test.cpp - the transcript: folded polls show once with their count, filters
// hide other hosts' lines, a click selects the line and seeks the clock to it.
#include <catch2/catch.hpp>

#include <imgui_internal.h>

#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {
// count - occurrences of needle in hay.
int count(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("folded idle polls appear once with their count", "[transcript]") {
  Harness h;
  Scene s = test::story_scene();
  UiState ui;
  std::string text = h.frame([&] { draw_transcript(s, ui); });
  CHECK(count(text, "+OK 0 messages") == 1);
  CHECK(text.find("x12") != std::string::npos);
  CHECK(text.find("S: 451 4.3.0 Try again later") != std::string::npos);
  CHECK(text.find("C: RCPT TO:<b@b.example>") != std::string::npos);
}

TEST_CASE("the host and connection filters hide other lines", "[transcript]") {
  Harness h;
  Scene s = test::story_scene();
  UiState ui;
  ui.transcript_filter = "client-c";
  std::string text = h.frame([&] { draw_transcript(s, ui); });
  CHECK(text.find("EHLO client-c") != std::string::npos);
  CHECK(text.find("451 4.3.0") == std::string::npos);
  ui.transcript_filter.clear();
  ui.transcript_conn = 7;
  text = h.frame([&] { draw_transcript(s, ui); });
  CHECK(text.find("EHLO client-c") == std::string::npos);
  CHECK(text.find("451 4.3.0") != std::string::npos);
}

TEST_CASE("clicking a line selects it and jumps the clock there", "[transcript]") {
  Harness h;
  Scene s = test::story_scene();
  UiState ui;
  auto draw = [&] { draw_transcript(s, ui); };
  h.frame(draw);
  // walk down the panel clicking until the 451 line is hit
  bool hit = false;
  float y = 20;
  for (; y < 200 && !hit; y += 4) {
    ui.req = {};
    h.click(400, y, draw);
    hit = ui.selected_seq == 101;
  }
  REQUIRE(hit);
  // hovering the reply opens the tutor's tooltip
  h.mouse(400, y - 4);
  h.frame(draw);
  h.frame(draw);
  ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
  REQUIRE(tip);
  CHECK(tip->Active);
  h.mouse(400, 790);
  h.frame(draw);
  h.frame(draw);
  CHECK_FALSE(ImGui::FindWindowByName("##Tooltip_00")->Active);
  REQUIRE(ui.req.seek);
  CHECK(*ui.req.seek == minutes(1) + sec(31));
  CHECK(ui.selected_host == "mx2.b.example");
  CHECK(ui.selected_conn == 7);
  CHECK_FALSE(ui.transcript_follow);
}
