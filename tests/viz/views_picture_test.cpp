// views_picture_test.cpp - the story screen rendered on the CPU: tokens have their class colour
// where the canvas puts them, and the picture is written as build/views_story*.png to look at.
#include <catch2/catch.hpp>

#include "views_harness.hpp"
#include "views_raster.hpp"
#include "views_scene.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {

// near_colour - is some pixel within r of (x, y) close to colour c?
bool near_colour(const test::Image& img, float x, float y, int r, ImU32 c) {
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) {
      int px = static_cast<int>(x) + dx, py = static_cast<int>(y) + dy;
      if (px < 0 || py < 0 || px >= img.w || py >= img.h) continue;
      std::uint32_t p = img.at(px, py);
      int d = 0;
      for (int k = 0; k < 3; ++k) d += std::abs(static_cast<int>((p >> (8 * k)) & 0xFF) - static_cast<int>((c >> (8 * k)) & 0xFF));
      if (d < 30) return true;
    }
  return false;
}

// hop_point - a token's point on screen.
CanvasPoint hop_point(const Scene& s, const UiState& ui, const SceneToken& t) {
  CanvasPoint a{}, b{};
  for (const SceneHost& h : s.hosts) {
    if (h.name == t.from) a = canvas_to_screen(ui, h.x, h.y);
    if (h.name == t.to) b = canvas_to_screen(ui, h.x, h.y);
  }
  return {a.x + (b.x - a.x) * t.frac, a.y + (b.y - a.y) * t.frac};
}

}  // namespace

TEST_CASE("the story screen: a 451 reply is amber where it travels, a command is neutral", "[picture]") {
  Harness h(1280, 800, true);
  Scene s = test::story_scene();
  UiState ui;
  ui.font_mono = h.mono, ui.font_big = h.big;
  h.frame([&] { draw_main(s, ui); }, true);
  h.frame([&] { draw_main(s, ui); }, true);
  test::Image img = test::rasterize(ImGui::GetDrawData());
  test::write_png(img, std::string(SMTPSIM_BINARY_DIR) + "/views_story.png");
  CanvasPoint rep = hop_point(s, ui, s.tokens[1]);
  CHECK(near_colour(img, rep.x, rep.y + 13, 3, 0xFF23A5EB));  // IM_COL32(235,165,35): 4xx amber
  CanvasPoint cmd = hop_point(s, ui, s.tokens[0]);
  CHECK(near_colour(img, cmd.x, cmd.y - 13, 3, 0xFFE6E1E1));  // IM_COL32(225,225,230): command
  CHECK_FALSE(near_colour(img, cmd.x, cmd.y - 13, 3, 0xFF23A5EB));

  ui.presenter = true;
  h.frame([&] { draw_main(s, ui); }, true);
  h.frame([&] { draw_main(s, ui); }, true);
  test::write_png(test::rasterize(ImGui::GetDrawData()), std::string(SMTPSIM_BINARY_DIR) + "/views_story_presenter.png");
}
