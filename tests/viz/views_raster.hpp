// views_raster.hpp - a tiny software renderer for ImDrawData (triangles, font atlas, clip rects,
// alpha blending) so the panel tests can look at pixels and write PNGs without GL or a display.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

namespace smtpsim::viz::test {

// Image - RGBA8 pixels, row-major.
struct Image {
  int w = 0, h = 0;
  std::vector<std::uint32_t> px;  // 0xAABBGGRR (as ImU32)
  // at - the pixel at (x, y).
  std::uint32_t at(int x, int y) const { return px[static_cast<std::size_t>(y) * w + x]; }
};

// rasterize - draw the last frame's ImDrawData (font atlas from io.Fonts) onto a dark background.
Image rasterize(const ImDrawData* dd);
// write_png - save an image (stb_image_write from libstb); false on error.
bool write_png(const Image& img, const std::string& path);

}  // namespace smtpsim::viz::test
