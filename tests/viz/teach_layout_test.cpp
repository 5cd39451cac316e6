// teach_layout_test.cpp - presenter and predict mode laid out at 1280x800 with the app's fonts (the
// story at ten minutes, and at predict mode's first question): nothing in the top bar runs past the
// window's right edge, no two host labels on the canvas touch, and predict mode's question never
// covers the network canvas (and shows all its choices without scrolling).
#include <catch2/catch.hpp>

#include <imgui.h>
#include <imgui_internal.h>

#include "views_harness.hpp"
#include "viz/app/app_presenter.hpp"
#include "viz/playback/playback.hpp"
#include "viz/playback/playback_predict.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/views/view_labels.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {
const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

// set_mode - the app's fonts and style for normal or presenter mode, as Teach::between_frames.
void set_mode(UiState& ui, bool presenter) {
  ui.presenter = presenter;
  presenter_fonts(ui, presenter);
  unsigned char* px;
  int w, h;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  presenter_style(presenter);
}

// draw - a few frames of the whole screen (auto-sized windows take their size on the second).
void draw(Harness& h, const Scene& s, UiState& ui) {
  for (int i = 0; i < 4; ++i) {
    h.frame([&] { draw_main(s, ui); }, true);
    ui.req = {};
  }
}

// right_edge - the rightmost vertex a window drew (its text, buttons, marks), in pixels.
float right_edge(const char* window) {
  ImGuiWindow* w = ImGui::FindWindowByName(window);
  REQUIRE(w);
  float x = 0;
  for (const ImDrawVert& v : w->DrawList->VtxBuffer) x = std::max(x, v.pos.x);
  return x;
}

// rect_of - a window's rectangle on screen.
ImRect rect_of(const char* window) {
  ImGuiWindow* w = ImGui::FindWindowByName(window);
  REQUIRE(w);
  return w->Rect();
}

// story_at - the story's scene at t (optionally at predict mode's first question after it whose
// command starts with `verb`, skipping the others; "" = the first question).
Scene story_at(SimTime t, bool predict, const std::string& verb = "") {
  static Playback pb;  // (the scene's strings stay alive for canvas_labels)
  static Predictor pr;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(t);
  pb.set_auto_continue(false);
  pr.attach(pb);
  pr.set_on(predict);
  if (predict) {
    pb.set_speed(10000);
    pb.set_playing(true);
    for (int i = 0; i < 100000; ++i) {
      if (pr.waiting()) {
        Scene q;
        pr.fill(q);
        if (q.predict.command.rfind(verb, 0) == 0) break;
        pr.skip();
      }
      if (!pb.playing()) pb.set_playing(true);
      pb.tick(0.1);
    }
    REQUIRE(pr.waiting());
  }
  Scene s;
  SceneBuilder().build(pb, s);
  pr.fill(s);
  return s;
}
}  // namespace

TEST_CASE("presenter mode: the top bar fits 1280 pixels, the canvas' labels keep apart", "[presenter]") {
  Harness h(1280, 800);
  const Scene s = story_at(minutes(10), false);
  for (bool presenter : {false, true}) {
    INFO((presenter ? "presenter" : "normal"));
    UiState ui;
    set_mode(ui, presenter);
    draw(h, s, ui);
    CHECK(right_edge("##top") <= 1282.f);  // (the window border's anti-aliased edge)  // nothing clipped at the right edge (speed buttons, legend)

    const std::vector<CanvasLabel>& labels = canvas_labels();
    int used = 0;
    for (const SceneHost& host : s.hosts) used += host.used;
    int named = 0;
    for (const CanvasLabel& l : labels) named += s.hosts[l.host].used;
    CHECK(named == used);  // every host the story uses is named
    for (std::size_t a = 0; a < labels.size(); ++a)
      for (std::size_t b = a + 1; b < labels.size(); ++b) {
        const CanvasLabel &p = labels[a], &q = labels[b];
        INFO(s.hosts[p.host].name << " / " << s.hosts[q.host].name);
        const bool apart = p.max.x + 2 <= q.min.x || q.max.x + 2 <= p.min.x || p.max.y + 2 <= q.min.y || q.max.y + 2 <= p.min.y;
        CHECK(apart);
      }
    if (presenter) {  // presenter text stays large: no label shrunk below the normal size
      for (const CanvasLabel& l : labels) CHECK(l.size >= 15.0f * 0.72f * kPresenterCanvasScale - 0.01f);
    }
  }
}

TEST_CASE("predict mode: the question never covers the network, and shows every choice", "[predict][presenter]") {
  Harness h(1280, 800);
  for (const char* verb : {"", "RCPT", "."}) {  // the greeting; the longest choices; after a score
    for (bool presenter : {false, true}) {
      const Scene s = story_at(0, true, verb);
      REQUIRE(s.predict.waiting);
      REQUIRE(s.predict.command.rfind(verb, 0) == 0);
      REQUIRE(s.predict.choices.size() == 4);
      INFO((presenter ? "presenter " : "normal ") << s.predict.command);
      UiState ui;
      ui.predict = true;
      set_mode(ui, presenter);
      draw(h, s, ui);
      const ImRect q = rect_of("##predict"), net = rect_of("##network"), card = rect_of("##lesson");
      CHECK(q.GetHeight() > 100);
      CHECK_FALSE(q.Overlaps(net));
      CHECK_FALSE(q.Overlaps(card));
      CHECK(q.Max.y <= 800.5f);
      CHECK(q.Max.x <= 1280.5f);
      ImGuiWindow* w = ImGui::FindWindowByName("##predict");
      CHECK(w->ScrollMax.y == 0);  // all of it shows: the choices, the code field, Skip
      CHECK(right_edge("##predict") <= q.Max.x + 2.f);
    }
  }
}
