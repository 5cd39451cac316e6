// views_harness.hpp - an ImGui context without GL for the panel tests: frames with a simulated
// mouse, the text the frame drew (ImGui's log, which the canvas also writes to), and item search
// by hovering (ImGui 1.86 has no test engine).
#pragma once
#include <functional>
#include <optional>
#include <string>

#include <imgui.h>

namespace smtpsim::viz::test {

class Harness {
 public:
  // app_fonts: DejaVu Sans 15 / Mono 13 / Sans 28 as the app loads them (mono, big set).
  Harness(float w = 1280, float h = 800, bool app_fonts = false);
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // frame - one frame: draw() runs inside a full-screen window "test" (unless bare); returns the
  // text drawn inside it (before any tooltip closes the log).
  std::string frame(const std::function<void()>& draw, bool bare = false);
  // mouse - where the mouse is and whether the left button is down for the next frame.
  void mouse(float x, float y, bool down = false);
  // click - three frames: hover, press, release at (x, y).
  void click(float x, float y, const std::function<void()>& draw, bool bare = false);
  // find - a point where the item with this label (an ID in the "test" window) is hovered,
  // scanning the region on a grid; nullopt when none.
  std::optional<ImVec2> find(const char* label, const std::function<void()>& draw, float y0 = 0, float y1 = 800,
                             float step = 5);
  float w, h;
  ImFont* mono = nullptr;
  ImFont* big = nullptr;
};

}  // namespace smtpsim::viz::test
