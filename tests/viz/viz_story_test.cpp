// viz_story_test.cpp - the story on screen, checked against the run it plays (issue 11's last
// gaps): expectations turn green or red in the lesson card as the run decides them; the tokens on
// the balancer's hops carry the commands and replies they forward; the tokens of one pipelined
// chunk stack so each can be read and pointed at; the "Deferred" card shows with the deferral.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "sim/scenario/scenario_load.hpp"
#include "views_harness.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {
const std::string kLessons = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/";

// scene_at - the scene of a lesson at virtual time t (pauses jumped over).
Scene scene_at(Playback& pb, SimTime t) {
  pb.set_auto_continue(true);
  pb.seek(t);
  Scene s;
  SceneBuilder().build(pb, s);
  return s;
}

// first_time - the time of the first trace event of kind k satisfying pred (-1: none).
template <class Pred>
SimTime first_time(Playback& pb, TraceKind k, Pred pred) {
  for (const TraceEvent& e : pb.world().trace.events())
    if (e.kind == k && pred(e)) return e.time;
  return -1;
}
}  // namespace

TEST_CASE("story: the lesson card's expectations turn green as the run decides them, not at the end") {
  Playback pb;
  REQUIRE(pb.open(kLessons + "story.yaml"));
  Scene end = scene_at(pb, pb.end());
  const SimTime delivered = first_time(pb, TraceKind::Delivery, [](const TraceEvent&) { return true; });
  REQUIRE(delivered > hours(1));

  Playback p2;
  REQUIRE(p2.open(kLessons + "story.yaml"));
  Scene before = scene_at(p2, delivered - 1);
  REQUIRE(before.expects.size() == 9);
  CHECK(before.expects[0].status == "pending");  // delivered between 1h and 1h20m
  CHECK(before.expects[4].status == "pass");     // TLS client-c <-> MSA: decided in the first second
  CHECK(before.expects[2].status == "pass");     // the third 451 came at 00:31
  CHECK(before.expects[4].detail.find("TLS session") != std::string::npos);
  Scene at = scene_at(p2, delivered);
  CHECK_FALSE(at.finished);
  CHECK(at.expects[0].status == "pass");
  CHECK(at.expects[0].detail.rfind("delivered at " + format_time(delivered), 0) == 0);
  CHECK(at.expects[8].status == "pending");  // queued: 0 - about the end of the run

  // The card draws them: PASS beside the delivery, "wait" beside what is still open.
  Harness h;
  UiState ui;
  std::string text = h.frame([&] { draw_lesson(at, ui); });
  CHECK(text.find("PASS") != std::string::npos);
  CHECK(text.find("wait") != std::string::npos);
  // At the end every one is decided, as the report says.
  for (const SceneExpect& e : end.expects) CHECK(e.status == "pass");
}

TEST_CASE("story: a deadline that passes turns the card's expectation red then") {
  scenario::LoadResult lr = scenario::load_scenario_file(kLessons + "story.yaml");
  REQUIRE(lr.ok());
  scenario::ScenarioSpec spec = *lr.spec;
  spec.expectations[0].window = {0, minutes(30)};  // delivered by 30m: the delivery comes after 1h
  Playback pb;
  REQUIRE(pb.open_spec(spec));
  CHECK(scene_at(pb, minutes(30)).expects[0].status == "pending");
  Scene s = scene_at(pb, minutes(31));
  CHECK(s.expects[0].status == "fail");
  CHECK(s.expects[0].detail.rfind("never delivered", 0) == 0);
}

TEST_CASE("story: tokens on the balancer's hops carry the commands and replies they forward") {
  Playback pb;
  REQUIRE(pb.open(kLessons + "story.yaml"));
  scene_at(pb, minutes(2));
  World& w = pb.world();
  const auto& ev = w.trace.events();
  // Every chunk the balancer (cluster-fra) wrote, mid-hop: its token must be named, not "N bytes".
  std::vector<SimTime> mids;
  for (const HopSpan& hop : pb.hops())
    if (w.net.host_name(hop.sender) == "cluster-fra" && !hop.fin && hop.bytes > 0) mids.push_back((hop.depart + hop.arrive) / 2);
  REQUIRE(mids.size() > 10);
  int named = 0, commands = 0, replies = 0;
  std::set<std::string> forwarded;  // the command lines the balancer's tokens carried
  for (SimTime t : mids) {
    Playback at;
    REQUIRE(at.open(kLessons + "story.yaml"));
    Scene s = scene_at(at, t);
    for (const SceneToken& tk : s.tokens) {
      if (tk.from != "cluster-fra") continue;
      INFO(format_time(t) << " " << tk.from << " -> " << tk.to << ": " << tk.text);
      // named by what it forwards; only the TLS handshake (MSA <-> member, end to end) is no command
      if (tk.kind != "command" && tk.kind != "reply") {
        CHECK(tk.text.rfind("TLS handshake (", 0) == 0);
        continue;
      }
      ++named;
      const TraceEvent& e = at.world().trace.events()[tk.seq];
      CHECK(e.text == tk.text);
      if (tk.kind == "command") {
        ++commands;
        forwarded.insert(tk.text);
        // the member it goes to receives exactly this line on the other leg, after this moment
        CHECK(tk.to.rfind("out", 0) == 0);
        CHECK(e.host == "msa.a.example");
      } else {
        ++replies;
        CHECK(tk.to == "msa.a.example");
        CHECK(e.host.rfind("out", 0) == 0);  // written by the member, forwarded by the balancer
      }
    }
  }
  CHECK(named >= int(mids.size()) / 2);
  CHECK(commands > 3);
  CHECK(replies > 3);
  // Independent of the index: each line a balancer token carried to a member is one the
  // members' servers received (their own copies, rx).
  std::set<std::string> received;
  for (const TraceEvent& e : ev)
    if (e.kind == TraceKind::Command && e.rx && e.host.rfind("out", 0) == 0) received.insert(e.text);
  REQUIRE(!forwarded.empty());
  for (const std::string& line : forwarded) {
    INFO(line);
    CHECK(received.count(line) == 1);
  }
}

TEST_CASE("pipelining-latency: the commands of one pipelined chunk stack, each readable and hoverable") {
  Playback pb;
  REQUIRE(pb.open(kLessons + "pipelining-latency.yaml"));
  scene_at(pb, pb.end());
  // A chunk that carries three or more commands (MAIL, RCPT..., DATA written at once).
  const HopSpan* chunk = nullptr;
  for (const HopSpan& hop : pb.hops()) {
    const auto* named = pb.wire_events(WireKey{hop.conn, pb.world().net.host_name(hop.sender), hop.written});
    if (named && named->size() >= 3 && hop.arrive - hop.depart > msec(100) &&  // the satellite hop
        pb.world().trace.events()[named->front()].kind == TraceKind::Command) {
      chunk = &hop;
      break;
    }
  }
  REQUIRE(chunk);
  const SimTime t = (chunk->depart + chunk->arrive) / 2;
  Playback at;
  REQUIRE(at.open(kLessons + "pipelining-latency.yaml"));
  Scene s = scene_at(at, t);
  std::vector<const SceneToken*> mine;
  for (const SceneToken& tk : s.tokens)
    if (tk.conn == chunk->conn && tk.kind == "command") mine.push_back(&tk);
  REQUIRE(mine.size() >= 3);
  // one token per command: a write that left as two chunks (the TLS handshake's last flight and
  // the first record after it) names only its last chunk
  std::set<std::uint64_t> seqs;
  for (const SceneToken& tk : s.tokens)
    if (tk.kind == "command" || tk.kind == "reply") CHECK(seqs.insert(tk.seq).second);

  Harness h;
  UiState ui;
  auto draw = [&] { draw_topology(s, ui); };
  h.frame(draw);
  // Walk the mouse up the column through the chunk's point on the link: every command of the
  // chunk is found there, each at its own height (stacked, none under another).
  const SceneToken& first = *mine.front();
  CanvasPoint a{}, b{};
  for (const SceneHost& host : s.hosts) {
    if (host.name == first.from) a = canvas_to_screen(ui, host.x, host.y);
    if (host.name == first.to) b = canvas_to_screen(ui, host.x, host.y);
  }
  const float x = a.x + (b.x - a.x) * first.frac, y = a.y + (b.y - a.y) * first.frac;
  std::map<std::uint64_t, std::pair<float, float>> rows;  // seq -> lowest/highest y it was hovered at
  for (float yy = y + 5; yy > y - 160; yy -= 2) {
    h.mouse(x, yy);
    h.frame(draw);
    if (!ui.hovered_seq) continue;
    auto [it, fresh] = rows.try_emplace(ui.hovered_seq, std::make_pair(yy, yy));
    if (!fresh) it->second.first = std::min(it->second.first, yy), it->second.second = std::max(it->second.second, yy);
  }
  for (const SceneToken* tk : mine) {
    INFO(tk->text);
    CHECK(rows.count(tk->seq) == 1);
  }
  // in trace order, each next command sits higher (further from the link) than the one before
  for (std::size_t i = 1; i < mine.size(); ++i)
    if (rows.count(mine[i]->seq) && rows.count(mine[i - 1]->seq))
      CHECK(rows[mine[i]->seq].second < rows[mine[i - 1]->seq].first);
}

TEST_CASE("story: the Deferred card shows with the deferral, and the player stops on it there") {
  Playback pb;
  REQUIRE(pb.open(kLessons + "story.yaml"));
  pb.set_playing(true);
  std::vector<std::pair<int, SimTime>> stops;  // card, time
  for (int i = 0; i < 400000 && stops.size() < 3 && !pb.finished(); ++i) {
    pb.tick(1.0 / 30);
    if (!pb.playing()) {
      stops.push_back({pb.pause_card(), pb.now()});
      pb.set_playing(true);
    }
  }
  REQUIRE(stops.size() == 3);
  CHECK(stops[0].first == 0);  // Submission
  CHECK(stops[1].first == 1);  // The outbound cluster: queued
  CHECK(stops[2].first == 2);  // Deferred ...
  const SimTime deferred = first_time(pb, TraceKind::Queue, [](const TraceEvent& e) { return e.state == QueueState::Deferred; });
  REQUIRE(deferred > minutes(1) + sec(1));
  CHECK(stops[2].second == deferred);  // ... at the deferral itself

  // Scrubbing: just before the deferral the cluster's card is shown, at it the Deferred card.
  Playback at;
  REQUIRE(at.open(kLessons + "story.yaml"));
  Scene s1 = scene_at(at, deferred - 1);
  CHECK(s1.card.title == "The outbound cluster");
  Scene s2 = scene_at(at, deferred);
  CHECK(s2.card.title == "Deferred");
  CHECK(scene_at(at, minutes(10)).card.title == "Deferred");
}

TEST_CASE("skip idle crosses a quiet stretch in its set wall time, at one pace, landing on the next event") {
  Playback pb;
  REQUIRE(pb.open(kLessons + "story.yaml"));
  pb.set_auto_continue(true);
  pb.seek(minutes(2));  // after the deferral: quiet until B's client polls its mailbox
  REQUIRE_FALSE(pb.in_flight(pb.now()));
  pb.set_speed(1);
  pb.set_skip_wall(0.6);
  pb.set_playing(true);
  int frames = 0;
  std::vector<SimTime> steps;
  SimTime last = pb.now();
  pb.tick(1.0 / 30);
  while (pb.skipping() && frames < 1000) {
    steps.push_back(pb.now() - last);
    last = pb.now();
    ++frames;
    pb.tick(1.0 / 30);
  }
  const SimTime gap = last - minutes(2);
  INFO("crossed " << format_duration(gap) << " in " << frames << " frames");
  REQUIRE(gap > minutes(1));
  CHECK(frames >= 17);  // visibly: about 0.6 s of frames at 30 per second ...
  CHECK(frames <= 19);  // ... not a slowing crawl towards the event
  CHECK(pb.in_flight(pb.now()));  // it stopped where bytes move again
  for (std::size_t i = 1; i + 1 < steps.size(); ++i) CHECK(steps[i] == steps[0]);  // one pace
}
