// scene_json.hpp - a Scene as JSON (what `smtpsim-viz --scene OUT.json` writes), so tests can
// check what is on screen without reading pixels.
#pragma once
#include <string>

#include "viz/scene/scene.hpp"

namespace smtpsim::viz {

// scene_json - t_us, hosts, links, tokens, queues, transcript size, markers, card, expectations.
std::string scene_json(const Scene& s);

}  // namespace smtpsim::viz
