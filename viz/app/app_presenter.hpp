// app_presenter.hpp - presenter mode's look (issue 12 item 10): the font atlas re-built at a larger
// size (crisp glyphs, not a scaled-up small atlas) and a high-contrast style. The window re-uploads
// the atlas texture (Window::reload_fonts); the layout (side panels hidden, the card large) is
// draw_main's.
#pragma once
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// kPresenterScale - presenter text size over normal text size (the test wants >= 2x on screen).
inline constexpr float kPresenterScale = 2.2f;
// kPresenterCanvasScale - the network's labels in presenter mode (the map has no room for 2.2x).
inline constexpr float kPresenterCanvasScale = 1.5f;

// presenter_fonts - re-create the atlas (not built yet) at normal or presenter size; `scale_only`
// keeps the normal atlas and scales it instead (blurry: only for the test that tells them apart).
void presenter_fonts(UiState& ui, bool presenter, bool scale_only = false);
// presenter_style - the style for presenter mode (white on black, borders, larger spacing) or the
// normal dark style.
void presenter_style(bool presenter);

}  // namespace smtpsim::viz
