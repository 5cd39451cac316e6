// views_harness.cpp - the no-GL ImGui harness for the panel tests.
#include "views_harness.hpp"

#include <imgui_internal.h>

namespace smtpsim::viz::test {

Harness::Harness(float w_, float h_, bool app_fonts) : w(w_), h(h_) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(w, h);
  io.DeltaTime = 1.f / 60;
  io.IniFilename = nullptr;
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL3 backend: >64K vertices per list
  if (app_fonts) {
    const char* sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    const char* mon = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
    io.Fonts->AddFontFromFileTTF(sans, 15.0f);
    mono = io.Fonts->AddFontFromFileTTF(mon, 13.0f);
    big = io.Fonts->AddFontFromFileTTF(sans, 28.0f);
  }
  unsigned char* px;
  int tw, th;
  io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
  io.MousePos = ImVec2(-1000, -1000);
}

Harness::~Harness() { ImGui::DestroyContext(); }

std::string Harness::frame(const std::function<void()>& draw, bool bare) {
  ImGui::NewFrame();
  std::string text;
  if (bare) {
    draw();
  } else {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(w, h));
    ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize);
    ImGui::LogToBuffer();
    draw();
    if (GImGui->LogEnabled) text = GImGui->LogBuffer.c_str();
    ImGui::LogFinish();
    ImGui::End();
  }
  ImGui::Render();
  return text;
}

void Harness::mouse(float x, float y, bool down) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(x, y);
  io.MouseDown[0] = down;
}

void Harness::click(float x, float y, const std::function<void()>& draw, bool bare) {
  mouse(x, y, false);
  frame(draw, bare);
  mouse(x, y, true);
  frame(draw, bare);
  mouse(x, y, false);
  frame(draw, bare);
}

std::optional<ImVec2> Harness::find(const char* label, const std::function<void()>& draw, float y0, float y1, float step) {
  ImGuiID id = 0;
  auto with_id = [&] {
    draw();
    id = ImGui::GetID(label);
  };
  for (float y = y0; y < y1; y += step)
    for (float x = 2; x < w; x += step * 2) {
      mouse(x, y, false);
      frame(with_id);
      if (GImGui->HoveredId == id && id != 0) return ImVec2(x, y);
    }
  return std::nullopt;
}

}  // namespace smtpsim::viz::test
