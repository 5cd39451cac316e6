// app_presenter.cpp - presenter mode's fonts and style.
#include "viz/app/app_presenter.hpp"

#include <imgui.h>

#include "viz/app/app_fonts.hpp"

namespace smtpsim::viz {

void presenter_fonts(UiState& ui, bool presenter, bool scale_only) {
  ImGuiIO& io = ImGui::GetIO();
  load_fonts(ui, presenter && !scale_only ? kPresenterScale : 1.0f);
  ui.font_canvas = nullptr;
  if (presenter && !scale_only && ui.font_big)  // DejaVu is there: a middle size for the network's labels
    ui.font_canvas = io.Fonts->AddFontFromFileTTF("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 15.0f * kPresenterCanvasScale);
  io.FontGlobalScale = presenter && scale_only ? kPresenterScale : 1.0f;
}

void presenter_style(bool presenter) {
  ImGuiStyle st;
  ImGui::StyleColorsDark(&st);
  if (presenter) {
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1);
    st.Colors[ImGuiCol_WindowBg] = black;
    st.Colors[ImGuiCol_ChildBg] = black;
    st.Colors[ImGuiCol_PopupBg] = ImVec4(0.08f, 0.08f, 0.08f, 1);
    st.Colors[ImGuiCol_Text] = white;
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.82f, 0.82f, 0.82f, 1);
    st.Colors[ImGuiCol_Border] = ImVec4(1, 1, 1, 0.6f);
    st.Colors[ImGuiCol_Separator] = ImVec4(1, 1, 1, 0.6f);
    st.Colors[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.16f, 0.16f, 1);
    st.Colors[ImGuiCol_Button] = ImVec4(0.10f, 0.30f, 0.70f, 1);
    st.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.20f, 0.45f, 0.95f, 1);
    st.Colors[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.55f, 1.00f, 1);
    st.WindowBorderSize = 2;
    st.FrameBorderSize = 1;
    st.ScaleAllSizes(1.5f);
  }
  ImGui::GetStyle() = st;
}

}  // namespace smtpsim::viz
