// viz_scene_test.cpp - the visualizer's scene, built headless from the real story run: hosts in
// mail-flow order with labels, tokens placed exactly where sim/net's timing puts them, queue rows
// from the MTAs' queues, folded POP3 polls, narration pauses, rewinding, and the trace hash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "sim/scenario/scenario_load.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_json.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

const SceneHost& host(const Scene& s, const std::string& name) {
  for (const SceneHost& h : s.hosts)
    if (h.name == name) return h;
  FAIL("no host " << name);
  return s.hosts.front();
}

// first_event - the first trace event of this kind with this text.
const TraceEvent* first_event(Playback& pb, TraceKind k, const std::string& text) {
  for (const TraceEvent& e : pb.world().trace.events())
    if (e.kind == k && e.text == text) return &e;
  return nullptr;
}
}  // namespace

TEST_CASE("story at 10m: the message is deferred on one cluster member, next attempt 00:16:00.421") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(minutes(10));
  Scene s;
  SceneBuilder().build(pb, s);
  CHECK(s.t_us == minutes(10));
  REQUIRE(s.queues.size() == 1);
  const SceneQueueRow& q = s.queues[0];
  CHECK(q.host.rfind("out", 0) == 0);
  CHECK(q.rcpt == "b@b.example");
  CHECK(q.state == "deferred");
  CHECK(q.attempt == 1);
  CHECK(q.next_attempt_us == 960421755);  // 00:16:00.421
  CHECK(format_time(q.next_attempt_us) == "00:16:00.421");
  CHECK(q.give_up_us == q.arrival_us + hours(4));
  CHECK(q.last_attempt_us == q.arrival_us);
  CHECK(q.last_reply.find("451 4.3.0") != std::string::npos);
  REQUIRE(q.planned_us.size() >= 2);
  CHECK(q.planned_us[1] - q.planned_us[0] == minutes(15));
  // The queue depth drawn on the host agrees.
  CHECK(host(s, q.host).queue_depth == 1);
  // Before the first mail arrives, nothing is queued and the card is the first step.
  Playback pb0;
  REQUIRE(pb0.open(kStory));
  Scene s0;
  SceneBuilder().build(pb0, s0);
  CHECK(s0.queues.empty());
  CHECK(s0.card.index == -1);  // before the first event: the lesson's summary
  CHECK(s0.card.text == pb0.spec().lesson.summary);
  pb0.set_auto_continue(true);
  pb0.seek(sec(1));
  SceneBuilder().build(pb0, s0);
  CHECK(s0.card.index == 0);
  CHECK(s0.card.title == "Submission");
}

TEST_CASE("hosts: every one (members, the Internet), in mail-flow order, with labels a newcomer reads") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(sec(1));
  Scene s;
  SceneBuilder().build(pb, s);
  CHECK(s.hosts.size() == pb.spec().hosts.size());
  CHECK(host(s, "client-c").label == "C: A's mail client");
  CHECK(host(s, "client-c").icon == "laptop");
  CHECK(host(s, "internet").icon == "cloud");
  CHECK(host(s, "out2.fra").cluster == "cluster-fra");
  CHECK(host(s, "out2.fra").label == "MTA out2.fra");
  const char* flow[] = {"client-c", "msa.a.example", "cluster-fra", "internet", "mx1.b.example", "mda.b.example",
                        "pop.b.example", "client-b"};
  for (std::size_t i = 1; i < std::size(flow); ++i) CHECK(host(s, flow[i - 1]).x < host(s, flow[i]).x);
  CHECK(host(s, "dns").y > host(s, "internet").y);
  // A's own MX never carries a byte in this lesson: drawn greyed.
  CHECK_FALSE(host(s, "mx.a.example").used);
  CHECK(host(s, "mx1.b.example").used);
  // Links by state: mx1's link is down at the start.
  bool down = false;
  for (const SceneLink& l : s.links)
    if ((l.a == "internet" && l.b == "mx1.b.example") || (l.b == "internet" && l.a == "mx1.b.example")) down = l.state == "down";
  CHECK(down);
}

TEST_CASE("tokens: EHLO placed on the client-c -> msa link exactly by latency + serialisation") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(sec(61));
  const TraceEvent* ehlo = first_event(pb, TraceKind::Command, "EHLO client-c");
  REQUIRE(ehlo);
  // client-c <-> msa: 20 ms, 10 Mbit/s; "EHLO client-c\r\n" is 15 bytes = 12 us on the wire.
  const SimTime arrive = ehlo->time + 20000 + 12;
  Playback at;
  REQUIRE(at.open(kStory));
  at.set_auto_continue(true);
  at.seek(ehlo->time + 5000);
  Scene s;
  SceneBuilder().build(at, s);
  const SceneToken* tk = nullptr;
  for (const SceneToken& t : s.tokens)
    if (t.text == "EHLO client-c") tk = &t;
  REQUIRE(tk);
  CHECK(tk->kind == "command");
  CHECK(tk->from == "client-c");
  CHECK(tk->to == "msa.a.example");
  CHECK(tk->frac == Approx(5000.0 / double(arrive - ehlo->time)).epsilon(1e-4));
  // Just after it arrives it is gone.
  at.seek(arrive);
  Scene s2;
  SceneBuilder().build(at, s2);
  for (const SceneToken& t : s2.tokens) CHECK(t.text != "EHLO client-c");
}

TEST_CASE("tokens in flight at T are exactly the commands and replies whose hops span T") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  for (SimTime t : {SimTime(60'100'000), SimTime(60'400'000), SimTime(91'000'000), SimTime(960'500'000)}) {
    pb.seek(t);
    Scene s;
    SceneBuilder().build(pb, s);
    std::set<std::pair<std::uint64_t, std::string>> want, got;  // (event index, hop from)
    const auto& ev = pb.world().trace.events();
    for (std::size_t i = 0; i < ev.size(); ++i) {
      const TraceEvent& e = ev[i];
      if (e.kind != TraceKind::Command && e.kind != TraceKind::Reply) continue;
      for (const HopSpan& h : pb.hops())
        if (h.conn == e.conn && pb.world().net.host_name(h.sender) == e.host && h.written == e.time &&
            h.depart <= t && t < h.arrive)
          want.insert({i, pb.world().net.host_name(h.from)});
    }
    for (const SceneToken& tk : s.tokens)
      if (tk.kind == "command" || tk.kind == "reply") got.insert({tk.seq, tk.from});
    INFO("t=" << format_time(t));
    CHECK(got == want);
  }
}

TEST_CASE("pipelined replies name the command they answer") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(minutes(2));
  const auto& ev = pb.world().trace.events();
  int paired = 0;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].kind != TraceKind::Reply) continue;
    auto a = pb.answers(i);
    if (!a) continue;
    ++paired;
    CHECK(ev[*a].kind == TraceKind::Command);
    CHECK(ev[*a].conn == ev[i].conn);
    if (ev[i].text.rfind("354", 0) == 0) CHECK(ev[*a].text == "DATA");
  }
  CHECK(paired > 10);
}

TEST_CASE("playing stops on a card's pause_on; play-to-end gives smtpsim run's trace hash") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_playing(true);
  for (int i = 0; i < 100000 && pb.playing(); ++i) pb.tick(1.0 / 30);
  REQUIRE_FALSE(pb.finished());
  CHECK(pb.pause_card() == 0);  // "Submission": 250 after DATA on the MSA
  Scene s;
  SceneBuilder().build(pb, s);
  CHECK(s.card.pausing);
  CHECK(s.card.title == "Submission");
  const auto& evs = pb.world().trace.events();
  auto lr_it = std::find_if(evs.rbegin(), evs.rend(), [](const TraceEvent& e) { return e.kind == TraceKind::Reply; });
  REQUIRE(lr_it != evs.rend());
  const TraceEvent& last = *lr_it;
  CHECK(last.kind == TraceKind::Reply);
  CHECK(last.text.rfind("250", 0) == 0);
  CHECK(last.host == "msa.a.example");

  // Continue to the end with cards continuing by themselves, skip idle on.
  pb.set_auto_continue(true);
  pb.set_playing(true);
  int frames = 0;
  while (!pb.finished() && frames < 200000) {
    pb.tick(1.0 / 30);
    if (!pb.playing()) pb.set_playing(true);
    ++frames;
  }
  REQUIRE(pb.finished());
  CHECK(frames < 20000);
  scenario::LoadResult lr = scenario::load_scenario_file(kStory);
  scenario::ScenarioRun ref(*lr.spec);
  ref.run_to_end();
  scenario::RunReport want = ref.finish();
  const scenario::RunReport& got = pb.report();
  CHECK(got.trace_hash == want.trace_hash);
  CHECK(got.ok());
  Scene end;
  SceneBuilder().build(pb, end);
  CHECK(end.finished);
  CHECK(end.summary_line == want.summary_line());
  for (const SceneExpect& e : end.expects) CHECK(e.status == "pass");
}

TEST_CASE("step back re-simulates to the previous event; scrubbing back and forth agrees") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(sec(60) + msec(200));
  for (int i = 0; i < 5; ++i) pb.step_event();
  std::uint64_t n = pb.executed();
  SimTime t_before = pb.now();
  std::size_t events_before = pb.world().trace.events().size();
  pb.step_event();
  REQUIRE(pb.executed() == n + 1);
  pb.step_back();
  CHECK(pb.executed() == n);
  CHECK(pb.now() == t_before);
  CHECK(pb.world().trace.events().size() == events_before);
  // Scrub: to 30m, back to 10m, the scene equals a fresh run's at 10m.
  pb.seek(minutes(30));
  pb.seek(minutes(10));
  Playback fresh;
  REQUIRE(fresh.open(kStory));
  fresh.set_auto_continue(true);
  fresh.seek(minutes(10));
  Scene a, b;
  SceneBuilder().build(pb, a);
  SceneBuilder().build(fresh, b);
  CHECK(scene_json(a) == scene_json(b));
}

TEST_CASE("transcript: idle POP3 polls are folded; the JSON carries the contract's fields") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(minutes(55));
  Scene s;
  SceneBuilder().build(pb, s);
  int polls = 0, folded = 0;
  for (const SceneLine& l : s.transcript)
    if (l.text.find("checks its mailbox") != std::string::npos) {
      ++polls;
      folded += l.folded;
    }
  CHECK(polls > 0);
  CHECK(folded > 0);
  for (const SceneLine& l : s.transcript) CHECK(l.t_us <= s.t_us);
  std::string j = scene_json(s);
  for (const char* key : {"\"t_us\"", "\"hosts\"", "\"links\"", "\"tokens\"", "\"queues\"", "\"card\"",
                          "\"next_attempt_us\"", "\"give_up_us\"", "\"frac\""})
    CHECK(j.find(key) != std::string::npos);
}

TEST_CASE("a bad lesson: the error names file:line:col, nothing crashes") {
  const std::string path = std::string(SMTPSIM_BINARY_DIR) + "/viz_bad_lesson.yaml";
  {
    std::ofstream f(path);
    f << "lesson:\n  title: bad\nhosts:\n  - { name: a, role: nonsense }\n";
  }
  Playback pb;
  CHECK_FALSE(pb.open(path));
  CHECK(pb.error().find("viz_bad_lesson.yaml:4:") != std::string::npos);
  Scene s;
  SceneBuilder().build(pb, s);
  CHECK(s.error == pb.error());
  pb.tick(1);  // no run: nothing happens
  pb.step_back();
}
