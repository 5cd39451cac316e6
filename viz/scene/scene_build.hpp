// scene_build.hpp - turning the playback's run into a Scene each frame: hosts laid out in mail-flow
// order with labels a newcomer reads, links by state, tokens in flight on the hops sim/net timed,
// queue rows with their retry clocks, the transcript (idle POP3 polls folded), timeline marks,
// the narration card, expectations and mailboxes.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "viz/playback/playback.hpp"
#include "viz/scene/scene.hpp"

namespace smtpsim::viz {

// HostPlace - a host's place on the canvas and the words drawn with it.
struct HostPlace {
  std::string name, role, label, icon, cluster, tooltip;
  float x = 0, y = 0;
};

// layout_hosts - every host of the lesson, left to right in mail-flow order (sender, submission,
// outbound cluster, Internet with DNS below, MX, MDA, POP3, recipient); a host's `layout` in the
// file wins (scene_layout.cpp).
std::vector<HostPlace> layout_hosts(const scenario::ScenarioSpec& spec);
// default_label - what a host is, for a reader who does not know the names.
std::string default_label(const scenario::HostSpec& h);
// role_tooltip - one glossary line for a role.
std::string role_tooltip(const std::string& role);

// SceneBuilder - keeps what does not change between frames of one run (the layout).
class SceneBuilder {
 public:
  // build - the whole Scene for the playback's current moment.
  void build(Playback& pb, Scene& s);
  // tokens - only the tokens in flight at t (also used by tests).
  static void tokens(const Playback& pb, World& w, SimTime t, std::vector<SceneToken>& out);

 private:
  const scenario::ScenarioSpec* spec_ = nullptr;
  std::vector<HostPlace> places_;
  std::vector<HostId> ids_;
  std::string lessons_dir_;
  std::vector<SceneLesson> lessons_;
};

// build_hands - the Scene's hands-on section: menu facts per host, DNS names as answered now, the
// users and their clients, the retry presets (scene_hands.cpp; issue 12).
void build_hands(Playback& pb, Scene& s);

// list_lessons - the lessons (*.yaml) in a directory with their titles, by file name.
std::vector<SceneLesson> list_lessons(const std::string& dir);

}  // namespace smtpsim::viz
