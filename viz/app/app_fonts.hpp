// app_fonts.hpp - the window's fonts (DejaVu from fonts-dejavu-core) added to ImGui's atlas; also
// used by the headless benchmark and tests, which need no GL.
#pragma once
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// load_fonts - DejaVu Sans (UI), DejaVu Sans Mono (transcript) and a large DejaVu Sans (clock)
// into the current ImGui context's atlas; falls back to ImGui's font when the files are missing.
// Sets ui.font_mono / ui.font_big. Does not build the atlas.
void load_fonts(UiState& ui, float scale = 1.0f);

}  // namespace smtpsim::viz
