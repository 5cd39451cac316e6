// views_save_test.cpp - "Save as lesson" from the window says what it did: where the branch went,
// or why it could not be written (a failed save used to look like one that worked). The branch
// list draws Scene::save_status under its Save button.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/views/view_hands.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

TEST_CASE("saving a branch from the window reports success and failure in the branch list", "[hands]") {
  Playback pb;
  REQUIRE(pb.open(std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml"));
  pb.seek(minutes(20));
  pb.act(hands::link_state("internet", "mx1.b.example", true));
  SceneBuilder sb;
  Scene s;
  sb.build(pb, s);
  CHECK(s.save_status.empty());

  Requests bad;
  bad.save_lesson = "/nonexistent-dir-smtpsim/saved.yaml";
  pb.apply(bad);
  sb.build(pb, s);
  CHECK(s.save_failed);
  CHECK(s.save_status == "not saved: cannot write '/nonexistent-dir-smtpsim/saved.yaml'");

  const std::string good = (std::filesystem::temp_directory_path() / "smtpsim-views-save-test.yaml").string();
  std::filesystem::remove(good);
  Requests ok;
  ok.save_lesson = good;
  pb.apply(ok);
  sb.build(pb, s);
  CHECK_FALSE(s.save_failed);
  CHECK(s.save_status == "saved to " + good + " (1 action(s)); smtpsim run " + good + " replays it");
  std::ifstream in(good);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find("link: [internet, mx1.b.example], state: up") != std::string::npos);
  std::filesystem::remove(good);
}
