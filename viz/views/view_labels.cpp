// view_labels.cpp - placing and drawing the network canvas' host labels (see view_labels.hpp).
#include "viz/views/view_labels.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>


namespace smtpsim::viz {

namespace {

std::vector<CanvasLabel>& placed() {
  static std::vector<CanvasLabel> v;
  return v;
}

// text_w - the width of a piece of text at a font size.
float text_w(std::string_view t, float size) {
  return ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.f, t.data(), t.data() + t.size()).x;
}

// split_half - a text cut at the space nearest its middle ("B's mail client" -> "B's mail", "client").
std::pair<std::string_view, std::string_view> split_half(std::string_view t) {
  std::size_t best = std::string_view::npos;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] == ' ' && (best == std::string_view::npos || std::abs(int(i) * 2 - int(t.size())) < std::abs(int(best) * 2 - int(t.size()))))
      best = i;
  if (best == std::string_view::npos) return {t, {}};
  return {t.substr(0, best), t.substr(best + 1)};
}

// boxed - the label at `top` (the centre of its top edge) with its box.
CanvasLabel boxed(std::size_t host, ImVec2 top, std::string_view l1, float s1, std::string_view l2, float s2) {
  CanvasLabel c;
  c.host = host, c.line1 = l1, c.line2 = l2, c.size = s1, c.size2 = s2;
  const float w = std::max(text_w(l1, s1), l2.empty() ? 0.f : text_w(l2, s2));
  c.min = ImVec2(top.x - w / 2, top.y);
  c.max = ImVec2(top.x + w / 2, top.y + s1 + (l2.empty() ? 0.f : s2));
  return c;
}

// overlaps - whether two boxes come closer than `gap` pixels.
bool overlaps(ImVec2 a0, ImVec2 a1, ImVec2 b0, ImVec2 b1, float gap) {
  return a0.x < b1.x + gap && b0.x < a1.x + gap && a0.y < b1.y + gap && b0.y < a1.y + gap;
}

}  // namespace

const std::vector<CanvasLabel>& canvas_labels() { return placed(); }
void canvas_labels_clear() { placed().clear(); }

const std::vector<CanvasLabel>& draw_host_labels(ImDrawList* dl, const Scene& s, const std::vector<ImVec2>& pos, float r) {
  std::vector<CanvasLabel>& out = placed();
  out.clear();
  const float fs = ImGui::GetFontSize();
  std::vector<CanvasLabel> cand;  // (small: a handful per host)
  for (int pass = 0; pass < 2; ++pass)  // used hosts first: theirs are the names the story needs
    for (std::size_t i = 0; i < s.hosts.size(); ++i) {
      const SceneHost& h = s.hosts[i];
      if (h.used != (pass == 0)) continue;
      const ImVec2 c = pos[i], top(c.x, c.y + r + 3);
      // room: the gap to the nearest host on about the same row, whose label would sit beside this
      // one (each label gets half of it each way; hosts stacked in a column are left to the box test)
      float room = 1e9f;
      for (std::size_t j = 0; j < s.hosts.size(); ++j)
        if (j != i && std::fabs(pos[j].y - c.y) < fs * 1.2f && std::fabs(pos[j].x - c.x) > 1)
          room = std::min(room, std::fabs(pos[j].x - c.x));
      room -= 8;
      const std::string_view full = h.role == "cluster" ? std::string_view("balancer")
                                                        : std::string_view(h.label.empty() ? h.name : h.label);
      const std::size_t colon = h.role == "cluster" ? std::string_view::npos : full.find(": ");
      const bool has_short = colon != std::string_view::npos && colon > 0;
      const std::string_view shrt = has_short ? full.substr(0, colon) : full;
      const std::string_view desc = has_short ? full.substr(colon + 2) : std::string_view();
      const auto halves = split_half(full);
      cand.clear();
      for (float k : {1.f, 0.85f, 0.72f}) {
        const float z = fs * k;
        cand.push_back(boxed(i, top, full, z, {}, 0));
        if (has_short) {
          if (k == 1.f) cand.push_back(boxed(i, top, shrt, z, desc, z * 0.85f));
          cand.push_back(boxed(i, top, shrt, z, {}, 0));
        } else if (!halves.second.empty()) {
          cand.push_back(boxed(i, top, halves.first, z, halves.second, z));
        }
      }
      const CanvasLabel* pick = nullptr;
      for (const CanvasLabel& l : cand) {
        if (l.max.x - l.min.x > room) continue;
        bool clear = true;
        for (const CanvasLabel& o : out) clear = clear && !overlaps(l.min, l.max, o.min, o.max, 3);
        for (std::size_t j = 0; j < s.hosts.size() && clear; ++j)
          if (j != i && s.hosts[j].used) clear = !overlaps(l.min, l.max, ImVec2(pos[j].x - r, pos[j].y - r), ImVec2(pos[j].x + r, pos[j].y + r), 1);
        if (clear) {
          pick = &l;
          break;
        }
      }
      if (!pick && h.used) pick = &cand.back();  // no room: the smallest form, still named
      if (pick) out.push_back(*pick);
    }
  for (const CanvasLabel& l : out) {
    const SceneHost& h = s.hosts[l.host];
    const ImU32 colr = IM_COL32(235, 235, 240, h.used ? 255 : 89);
    const float cx = (l.min.x + l.max.x) / 2;
    const float w1 = text_w(l.line1, l.size);
    dl->AddText(ImGui::GetFont(), l.size, ImVec2(cx - w1 / 2, l.min.y), colr, l.line1.data(), l.line1.data() + l.line1.size());
    ImGui::LogText("%.*s\n", static_cast<int>(l.line1.size()), l.line1.data());  // as canvas_text: the tests read it
    if (!l.line2.empty()) {
      const float w2 = text_w(l.line2, l.size2);
      const ImU32 c2 = l.size2 < l.size ? IM_COL32(235, 235, 240, h.used ? 204 : 71) : colr;  // a description: dimmer
      dl->AddText(ImGui::GetFont(), l.size2, ImVec2(cx - w2 / 2, l.min.y + l.size), c2, l.line2.data(), l.line2.data() + l.line2.size());
    }
  }
  return out;
}

}  // namespace smtpsim::viz
