// views_raster.cpp - ImDrawData -> pixels on the CPU (barycentric fill, nearest texel, src-alpha
// blending, clip rects), enough to look at the panels and to test colours at positions.
#include "views_raster.hpp"

#include <algorithm>
#include <cmath>

#include <stb_image_write.h>

namespace smtpsim::viz::test {

namespace {

// channel - byte k of a packed colour.
inline float channel(std::uint32_t c, int k) { return static_cast<float>((c >> (8 * k)) & 0xFF); }

}  // namespace

Image rasterize(const ImDrawData* dd) {
  Image img;
  img.w = static_cast<int>(dd->DisplaySize.x), img.h = static_cast<int>(dd->DisplaySize.y);
  img.px.assign(static_cast<std::size_t>(img.w) * img.h, 0xFF1E1E1E);
  unsigned char* tex;
  int tw, th;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&tex, &tw, &th);
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* cl = dd->CmdLists[l];
    for (const ImDrawCmd& cmd : cl->CmdBuffer) {
      if (cmd.UserCallback) continue;
      int cx0 = std::max(0, static_cast<int>(cmd.ClipRect.x)), cy0 = std::max(0, static_cast<int>(cmd.ClipRect.y));
      int cx1 = std::min(img.w, static_cast<int>(cmd.ClipRect.z)), cy1 = std::min(img.h, static_cast<int>(cmd.ClipRect.w));
      for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
        const ImDrawVert* v[3];
        for (int k = 0; k < 3; ++k) v[k] = &cl->VtxBuffer[cmd.VtxOffset + cl->IdxBuffer[cmd.IdxOffset + e + k]];
        float area = (v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) -
                     (v[2]->pos.x - v[0]->pos.x) * (v[1]->pos.y - v[0]->pos.y);
        if (std::fabs(area) < 1e-6f) continue;
        int x0 = std::max(cx0, static_cast<int>(std::floor(std::min({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x}))));
        int x1 = std::min(cx1, static_cast<int>(std::ceil(std::max({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x}))));
        int y0 = std::max(cy0, static_cast<int>(std::floor(std::min({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y}))));
        int y1 = std::min(cy1, static_cast<int>(std::ceil(std::max({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y}))));
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) {
            float px = x + 0.5f, py = y + 0.5f;
            float w0 = ((v[1]->pos.x - px) * (v[2]->pos.y - py) - (v[2]->pos.x - px) * (v[1]->pos.y - py)) / area;
            float w1 = ((v[2]->pos.x - px) * (v[0]->pos.y - py) - (v[0]->pos.x - px) * (v[2]->pos.y - py)) / area;
            float w2 = 1 - w0 - w1;
            if (w0 < 0 || w1 < 0 || w2 < 0) continue;
            float u = w0 * v[0]->uv.x + w1 * v[1]->uv.x + w2 * v[2]->uv.x;
            float t = w0 * v[0]->uv.y + w1 * v[1]->uv.y + w2 * v[2]->uv.y;
            int tx = std::clamp(static_cast<int>(u * tw), 0, tw - 1), ty = std::clamp(static_cast<int>(t * th), 0, th - 1);
            const unsigned char* tp = tex + 4 * (static_cast<std::size_t>(ty) * tw + tx);
            float c[4];
            for (int k = 0; k < 4; ++k)
              c[k] = (w0 * channel(v[0]->col, k) + w1 * channel(v[1]->col, k) + w2 * channel(v[2]->col, k)) * tp[k] / 255.f;
            float a = c[3] / 255.f;
            std::uint32_t& d = img.px[static_cast<std::size_t>(y) * img.w + x];
            std::uint32_t out = 0xFF000000;
            for (int k = 0; k < 3; ++k)
              out |= static_cast<std::uint32_t>(std::clamp(c[k] * a + channel(d, k) * (1 - a), 0.f, 255.f)) << (8 * k);
            d = out;
          }
      }
    }
  }
  return img;
}

bool write_png(const Image& img, const std::string& path) {
  return stbi_write_png(path.c_str(), img.w, img.h, 4, img.px.data(), img.w * 4) != 0;
}

}  // namespace smtpsim::viz::test
