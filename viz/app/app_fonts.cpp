// app_fonts.cpp - DejaVu fonts into the ImGui atlas.
#include "viz/app/app_fonts.hpp"

#include <imgui.h>

#include <filesystem>

namespace smtpsim::viz {

namespace {
constexpr const char* kSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kMono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
}  // namespace

void load_fonts(UiState& ui, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  std::error_code ec;
  bool sans = std::filesystem::exists(kSans, ec), mono = std::filesystem::exists(kMono, ec);
  if (sans) io.Fonts->AddFontFromFileTTF(kSans, 15.0f * scale);
  else io.Fonts->AddFontDefault();
  ui.font_mono = mono ? io.Fonts->AddFontFromFileTTF(kMono, 13.0f * scale) : nullptr;
  ui.font_big = sans ? io.Fonts->AddFontFromFileTTF(kSans, 28.0f * scale) : nullptr;
}

}  // namespace smtpsim::viz
