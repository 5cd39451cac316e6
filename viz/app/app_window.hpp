// app_window.hpp - the GLFW window with an OpenGL 3.3 core context and ImGui's glfw/opengl3
// backends, one frame at a time, and screenshots read back from the frame just drawn.
#pragma once
#include <functional>
#include <string>

struct GLFWwindow;

namespace smtpsim::viz {

class Window {
 public:
  Window() = default;
  ~Window() { close(); }
  // close - shut the backends and the window (before ImGui's context is destroyed).
  void close();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // open - the window and ImGui (fonts are loaded by the caller before the first frame); false
  // with `error` when there is no display.
  bool open(int width, int height, const std::string& title, std::string& error);
  bool should_close() const;
  void set_title(const std::string& title);
  // begin_frame - poll input, start an ImGui frame; returns the wall seconds since the last one.
  double begin_frame();
  // end_frame - render; with a path, save the frame as PNG first (false on a write error).
  bool end_frame(const std::string& screenshot = "");
  // reload_fonts - between frames: drop the font texture, let `load` re-create the atlas (presenter
  // mode's larger fonts), build it and upload it again.
  void reload_fonts(const std::function<void()>& load);

 private:
  GLFWwindow* win_ = nullptr;
  bool imgui_ = false;
  double last_ = 0;
};

// display_help - what to tell a person who has no display.
std::string no_display_message();

}  // namespace smtpsim::viz
