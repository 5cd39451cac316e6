// view_labels.hpp - the network canvas' host labels, placed so that none touches another label
// or another used host's icon (a greyed one may be written over) (presenter mode's larger canvas font made them run into each other):
// the whole label, else its short form with or without its description line, else on two lines,
// else a size or two smaller. Kept out of view_topology.cpp, which draws everything else.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "viz/scene/scene.hpp"

namespace smtpsim::viz {

// CanvasLabel - where one host's label went: its lines, their size, the box they take.
struct CanvasLabel {
  std::size_t host = 0;          // index into Scene::hosts
  std::string_view line1, line2; // line2: the description or the second half ("" = one line)
  float size = 0, size2 = 0;     // font sizes of the lines
  ImVec2 min, max;               // the box on screen
};

// draw_host_labels - plan and draw the labels of s.hosts (icons at pos, radius r) in the current
// font, used hosts first; a used host always gets its smallest form when nothing fits, an unused
// (greyed) host none. Returns where each went (reused buffer; tests read it through canvas_labels).
const std::vector<CanvasLabel>& draw_host_labels(ImDrawList* dl, const Scene& s, const std::vector<ImVec2>& pos, float r);
// canvas_labels - the labels the last draw_host_labels placed.
const std::vector<CanvasLabel>& canvas_labels();
// canvas_labels_clear - no labels this frame (a crowded canvas).
void canvas_labels_clear();

}  // namespace smtpsim::viz
