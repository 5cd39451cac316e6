// app_window.cpp - GLFW + OpenGL 3.3 core + ImGui 1.86 backends; PNG screenshots via glReadPixels
// of the back buffer before the swap (rows flipped) and libstb's stbi_write_png.
#include "viz/app/app_window.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <vector>

extern "C" int stbi_write_png(char const* filename, int w, int h, int comp, const void* data, int stride_in_bytes);

namespace smtpsim::viz {

namespace {
std::string g_glfw_error;
void on_glfw_error(int code, const char* text) { g_glfw_error = "GLFW error " + std::to_string(code) + ": " + text; }
}  // namespace

std::string no_display_message() {
  return "smtpsim-viz: no display to open a window on (" + (g_glfw_error.empty() ? std::string("DISPLAY not set") : g_glfw_error) +
         ").\nRun it under a virtual display, for example:\n"
         "  xvfb-run -a -s '-screen 0 1280x800x24' smtpsim-viz scenarios/lessons/story.yaml\n"
         "or run the lesson without a window: smtpsim run scenarios/lessons/story.yaml\n";
}

void Window::close() {
  if (imgui_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
  }
  if (win_) {
    glfwDestroyWindow(win_);
    glfwTerminate();
  }
  imgui_ = false;
  win_ = nullptr;
}

bool Window::open(int width, int height, const std::string& title, std::string& error) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    error = no_display_message();
    return false;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  win_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!win_) {
    error = no_display_message();
    glfwTerminate();
    return false;
  }
  glfwMakeContextCurrent(win_);
  glfwSwapInterval(0);
  ImGui_ImplGlfw_InitForOpenGL(win_, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  imgui_ = true;
  last_ = glfwGetTime();
  return true;
}

bool Window::should_close() const { return glfwWindowShouldClose(win_); }

void Window::set_title(const std::string& title) { glfwSetWindowTitle(win_, title.c_str()); }

double Window::begin_frame() {
  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  double now = glfwGetTime();
  double dt = now - last_;
  last_ = now;
  return dt;
}

void Window::reload_fonts(const std::function<void()>& load) {
  if (imgui_) ImGui_ImplOpenGL3_DestroyFontsTexture();
  load();
  if (imgui_) ImGui_ImplOpenGL3_CreateFontsTexture();
}

bool Window::end_frame(const std::string& screenshot) {
  ImGui::Render();
  int w = 0, h = 0;
  glfwGetFramebufferSize(win_, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(0.12f, 0.13f, 0.15f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  bool ok = true;
  if (!screenshot.empty()) {
    std::vector<unsigned char> px(std::size_t(w) * std::size_t(h) * 4), flipped(px.size());
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    const std::size_t row = std::size_t(w) * 4;
    for (int y = 0; y < h; ++y)
      std::copy(px.begin() + std::ptrdiff_t(std::size_t(h - 1 - y) * row),
                px.begin() + std::ptrdiff_t(std::size_t(h - y) * row), flipped.begin() + std::ptrdiff_t(std::size_t(y) * row));
    for (std::size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    ok = stbi_write_png(screenshot.c_str(), w, h, 4, flipped.data(), int(row)) != 0;
  }
  glfwSwapBuffers(win_);
  return ok;
}

}  // namespace smtpsim::viz
