// playback_branches_test.cpp - actions by hand in the window's run (issue 12): applied at the
// current moment, marked on the timeline, kept through rewind and replay; rewinding and acting
// forks a branch, the old one can be switched back to; every branch's trace is the trace of
// `smtpsim run` on the lesson saved from it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/scenario/scenario_load.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

// run_hash - the trace hash `smtpsim run` gets for a spec.
std::string run_hash(const scenario::ScenarioSpec& spec) {
  scenario::ScenarioRun r(spec);
  r.run_to_end();
  return r.finish().trace_hash;
}

// link_entry - a link going up or down, as the right-click menu makes it.
scenario::TimelineEntry link_entry(const std::string& a, const std::string& b, bool up) {
  scenario::LinkAction l;
  l.a = a;
  l.b = b;
  l.up = up;
  scenario::TimelineEntry e;
  e.action = l;
  return e;
}

// delivered_at - when b@b.example's message reached the MDA in the playback's run (-1: never).
SimTime delivered_at(Playback& pb) {
  for (const TraceEvent& e : pb.world().trace.events())
    if (e.kind == TraceKind::Delivery && e.text.find("b@b.example") != std::string::npos) return e.time;
  return -1;
}

// play_out - run the playback to its end; its trace hash.
std::string play_out(Playback& pb) {
  pb.advance_to(pb.end());
  REQUIRE(pb.finished());
  return pb.report().trace_hash;
}
}  // namespace

TEST_CASE("an action by hand: applied now, marked, replayed through rewinds, same trace as the saved lesson") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  const std::string lesson_hash = run_hash(pb.lesson());
  const SimTime lesson_end = pb.end();

  pb.seek(minutes(20));
  Requests req;
  req.actions.push_back(link_entry("internet", "mx1.b.example", true));  // restore the cut link early
  pb.apply(req);
  // Applied at this moment: the link is up now, and branch 1 holds the action.
  Scene s;
  SceneBuilder b;
  b.build(pb, s);
  CHECK(s.t_us == minutes(20));
  auto link = std::find_if(s.links.begin(), s.links.end(),
                           [](const SceneLink& l) { return l.b == "mx1.b.example" || l.a == "mx1.b.example"; });
  REQUIRE(link != s.links.end());
  CHECK(link->state == "up");
  REQUIRE(s.branches.size() == 2);
  CHECK(s.branches[1].current);
  CHECK(s.branches[1].label == "branch 1: link internet - mx1.b.example restored at 00:20:00.000");
  auto mark = std::find_if(s.markers.begin(), s.markers.end(), [](const SceneMarker& m) { return m.kind == "action"; });
  REQUIRE(mark != s.markers.end());
  CHECK(mark->t_us == minutes(20));
  CHECK(mark->text == "link internet - mx1.b.example restored");
  // The run learnt its new, shorter future.
  CHECK(pb.end() < lesson_end);

  const std::string h1 = play_out(pb);
  CHECK(h1 != lesson_hash);
  CHECK(h1 == run_hash(scenario::with_actions(pb.lesson(), pb.branches().actions())));
  const SimTime early = delivered_at(pb);
  CHECK(early > minutes(20));
  CHECK(early < minutes(45));  // the attempt after the restore, not the one after 1h

  // Rewind to before the action and play on: the same branch, the same trace.
  pb.seek(minutes(5));
  CHECK(pb.branches().current_id() == 1);
  CHECK(play_out(pb) == h1);
  // Step back a few events and forward again: still the same.
  pb.seek(minutes(25));
  for (int i = 0; i < 3; ++i) pb.step_back();
  CHECK(play_out(pb) == h1);

  // The saved lesson replays to the same hash.
  scenario::LoadResult lr = scenario::load_scenario_string(pb.saved_lesson_text(), "saved.yaml");
  REQUIRE(lr.ok());
  CHECK(run_hash(*lr.spec) == h1);
}

TEST_CASE("rewind, a different fault: a new branch; the old one switched back to replays as before") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  const std::string lesson_hash = run_hash(pb.lesson());

  pb.seek(minutes(20));
  pb.act(link_entry("internet", "mx1.b.example", true));
  const std::string h1 = play_out(pb);

  // Back to 10 minutes, before the restore: cut B's MDA off instead.
  pb.seek(minutes(10));
  pb.act(link_entry("internet", "mda.b.example", false));
  REQUIRE(pb.branches().all().size() == 3);
  CHECK(pb.branches().current_id() == 2);
  CHECK(pb.branches().current().parent == 1);
  REQUIRE(pb.branches().actions().size() == 1);  // the restore at 20m stays with branch 1
  CHECK(pb.branches().actions()[0].at == minutes(10));
  const std::string h2 = play_out(pb);
  CHECK(h2 != h1);
  CHECK(h2 != lesson_hash);
  CHECK(h2 == run_hash(scenario::with_actions(pb.lesson(), pb.branches().actions())));
  const std::string saved2 = pb.saved_lesson_text();
  CHECK(saved2.find("mda.b.example], state: down") != std::string::npos);
  CHECK(saved2.find("mx1.b.example], state: up }") == std::string::npos);  // only the branch taken

  // Switch back to branch 1 (re-simulated), then to the lesson as written.
  Requests req;
  req.switch_branch = 1;
  pb.apply(req);
  CHECK(pb.branches().current_id() == 1);
  CHECK(play_out(pb) == h1);
  REQUIRE(pb.switch_branch(0));
  CHECK(pb.branches().actions().empty());
  CHECK(play_out(pb) == lesson_hash);
  CHECK(pb.saved_lesson_text() == pb.lesson_text());
  CHECK_FALSE(pb.switch_branch(7));
}

TEST_CASE("acting on a branch at its end adds to it; acting on the lesson as written forks branch 1") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(minutes(2));
  pb.act(link_entry("internet", "mx2.b.example", false));
  pb.seek(minutes(3));
  pb.act(link_entry("internet", "mx2.b.example", true));
  CHECK(pb.branches().all().size() == 2);
  CHECK(pb.branches().actions().size() == 2);
  CHECK(pb.branches().actions()[1].after_event > pb.branches().actions()[0].after_event);
  // Acting again on branch 0 makes another branch; branch 0 itself never changes.
  pb.switch_branch(0);
  pb.act(link_entry("internet", "mx2.b.example", false));
  CHECK(pb.branches().all().size() == 3);
  CHECK(pb.branches().all()[0].actions.empty());
}
