// teach_keys_test.cpp - the keyboard does what its help says (Space, arrows, + -, F, P, S, H, 1..4),
// not while a text field has the keyboard; the predict panel's buttons answer; presenter mode's
// fonts are a re-built atlas at >= 2x, not a scaled small one.
#include <catch2/catch.hpp>

#include <imgui.h>

#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/app/app_presenter.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {
// Key indices as a backend maps them (1.86: io.KeyMap from ImGuiKey_ to the backend's key codes).
constexpr int kSpace = 32, kRight = 262, kLeft = 263, kEsc = 256;

void map_keys() {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyMap[ImGuiKey_Space] = kSpace;
  io.KeyMap[ImGuiKey_RightArrow] = kRight;
  io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
  io.KeyMap[ImGuiKey_Escape] = kEsc;
}

// press - one frame with this key down (or this character typed), then one with it up; returns
// the requests the first frame made.
Requests press(Harness& h, const Scene& s, UiState& ui, int key, ImWchar ch = 0, bool shift = false) {
  ImGuiIO& io = ImGui::GetIO();
  ui.req = {};
  if (key) io.KeysDown[key] = true;
  if (ch) io.AddInputCharacter(ch);
  io.KeyShift = shift;
  h.frame([&] { handle_keys(s, ui); });
  Requests r = ui.req;
  if (key) io.KeysDown[key] = false;
  io.KeyShift = false;
  ui.req = {};
  h.frame([&] { handle_keys(s, ui); });
  return r;
}

// waiting_scene - the story scene with a predict question open.
Scene waiting_scene() {
  Scene s = test::story_scene();
  s.predict.on = true;
  s.predict.waiting = true;
  s.predict.server = "mx2.b.example";
  s.predict.client = "out1.fra";
  s.predict.command = "RCPT TO:<b@b.example>";
  s.predict.numeric = true;
  s.predict.choices = {{"250 2.1.5", "Ok"}, {"550 5.1.1", "<{address}>: Recipient address rejected: User unknown"},
                       {"451 4.3.0", "Try again later"}, {"451 4.7.1", "Greylisted"}};
  return s;
}
}  // namespace

TEST_CASE("keys: each key makes the request its help line says", "[keys]") {
  Harness h;
  map_keys();
  Scene s = test::story_scene();  // speed 600
  UiState ui;
  CHECK(press(h, s, ui, kSpace).toggle_play);
  Requests r = press(h, s, ui, kRight);
  CHECK(r.step_exchange);
  CHECK_FALSE(r.step_event);
  r = press(h, s, ui, kRight, 0, true);
  CHECK(r.step_event);
  CHECK(press(h, s, ui, kLeft).step_back);
  r = press(h, s, ui, 0, '+');
  REQUIRE(r.speed);
  CHECK(*r.speed == 1200);
  r = press(h, s, ui, 0, '-');
  REQUIRE(r.speed);
  CHECK(*r.speed == 300);
  CHECK(press(h, s, ui, 0, 's').snapshot);
  CHECK_FALSE(ui.presenter);
  press(h, s, ui, 0, 'f');
  CHECK(ui.presenter);
  press(h, s, ui, 0, 'F');
  CHECK_FALSE(ui.presenter);
  press(h, s, ui, 0, 'p');
  CHECK(ui.predict);
  press(h, s, ui, 0, '?');
  CHECK(ui.show_keys);
  press(h, s, ui, kEsc);
  CHECK_FALSE(ui.show_keys);
  // Digits answer only while a question is open.
  CHECK_FALSE(press(h, s, ui, 0, '2').predict_pick);
  Scene w = waiting_scene();
  r = press(h, w, ui, 0, '2');
  REQUIRE(r.predict_pick);
  CHECK(*r.predict_pick == 1);
  CHECK_FALSE(press(h, w, ui, 0, '5').predict_pick);  // only 4 choices
}

TEST_CASE("keys: the help lists every key, and --help's text is the same table", "[keys]") {
  std::string text = keys_help_text();
  for (const KeyHelp& k : keys_help()) {
    CHECK(text.find(k.key) != std::string::npos);
    CHECK(text.find(k.what) != std::string::npos);
  }
  Harness h;
  UiState ui;
  ui.show_keys = true;
  h.frame([&] { draw_keys_help(ui); }, true);
  CHECK(ui.show_keys);
}

TEST_CASE("predict panel: buttons answer, the typed code is text and not a key", "[keys][predict]") {
  Harness h;
  map_keys();
  Scene s = waiting_scene();
  UiState ui;
  auto draw = [&] {
    draw_predict(s, ui);
    handle_keys(s, ui);
  };
  std::string text = h.frame(draw);
  CHECK(text.find("What does mx2.b.example answer?") != std::string::npos);
  CHECK(text.find("RCPT TO:<b@b.example>") != std::string::npos);
  CHECK(text.find("User unknown") != std::string::npos);
  auto b = h.find("3  451 4.3.0", [&] { draw_predict(s, ui); });
  REQUIRE(b);
  ui.req = {};
  h.click(b->x, b->y, [&] { draw_predict(s, ui); });
  REQUIRE(ui.req.predict_pick);
  CHECK(*ui.req.predict_pick == 2);

  // Click into the code field, type "45": digits go into the field, not to the choices.
  auto field = h.find("##code", [&] { draw_predict(s, ui); });
  REQUIRE(field);
  h.click(field->x, field->y, draw);
  ui.req = {};
  ImGui::GetIO().AddInputCharacter('4');
  h.frame(draw);
  ImGui::GetIO().AddInputCharacter('5');
  h.frame(draw);
  CHECK_FALSE(ui.req.predict_pick);
  CHECK(std::string(ui.predict_input) == "45");
  auto check = h.find("Check", [&] { draw_predict(s, ui); });
  REQUIRE(check);
  h.click(check->x, check->y, draw);
  REQUIRE(ui.req.predict_code);
  CHECK(*ui.req.predict_code == 45);

  // After the answer: the verdict, the reply and the tutor's words, the score.
  s.predict.waiting = false;
  s.predict.answered = true;
  s.predict.was_right = false;
  s.predict.guess = "45";
  s.predict.reply = "451 4.3.0 Try again later";
  s.predict.explanation = "451: 4xx transient failure";
  s.predict.asked = 3;
  s.predict.right = 2;
  text = h.frame([&] { draw_predict(s, ui); });
  CHECK(text.find("Not quite - you said 45.") != std::string::npos);
  CHECK(text.find("451 4.3.0 Try again later") != std::string::npos);
  CHECK(text.find("4xx transient failure") != std::string::npos);
  CHECK(text.find("Score: 2 of 3 right") != std::string::npos);
}

TEST_CASE("presenter fonts: a re-built atlas at >= 2x the normal size, not a scale", "[presenter]") {
  Harness h;
  UiState ui;
  presenter_fonts(ui, false);
  unsigned char* px;
  int w0, h0, w1, h1;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->GetTexDataAsRGBA32(&px, &w0, &h0);
  const float normal = io.Fonts->Fonts[0]->FontSize;
  presenter_fonts(ui, true);
  io.Fonts->GetTexDataAsRGBA32(&px, &w1, &h1);
  CHECK(io.Fonts->Fonts[0]->FontSize >= 2 * normal);
  CHECK(io.FontGlobalScale == 1.0f);
  CHECK(std::size_t(w1) * std::size_t(h1) > std::size_t(w0) * std::size_t(h0) * 2);  // the glyphs are drawn larger
  REQUIRE(ui.font_big);
  CHECK(ui.font_big->FontSize >= 2 * 28);
  float size = 0;
  h.frame([&] { size = ImGui::GetFontSize(); });
  CHECK(size >= 2 * normal);
  presenter_fonts(ui, true, true);  // the test-only blurry way: small atlas, scaled
  io.Fonts->GetTexDataAsRGBA32(&px, &w1, &h1);
  CHECK(io.Fonts->Fonts[0]->FontSize == normal);
  CHECK(io.FontGlobalScale >= 2.0f);
  presenter_fonts(ui, false);
  io.Fonts->GetTexDataAsRGBA32(&px, &w1, &h1);
}
