// inspect_scene_test.cpp - the inspect tabs' data (issue 12) from real lesson runs: the sequence
// diagram of the story's submission, the story message across its hops with its Received chain,
// the TLS hop's ciphertext beside its plaintext, a bounce's report parts, the mailboxes after
// POP3, the charts' counts against the trace, and that capturing changes nothing in the run.
#include <catch2/catch.hpp>

#include <algorithm>

#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_inspect.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
const std::string kLessons = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/";

// scene_at - the scene with `tab` open at time t (capture on when capture).
Scene scene_at(Playback& pb, const std::string& lesson, SimTime t, UiState& ui, bool capture) {
  REQUIRE(pb.open(kLessons + lesson));
  if (capture) pb.set_capture(true);
  pb.set_auto_continue(true);
  pb.seek(t);
  Scene s;
  SceneBuilder().build(pb, s);
  InspectBuilder().build(pb, ui, s);
  return s;
}

// submission_conn - the connection on which client-c said EHLO.
std::uint64_t submission_conn(Playback& pb) {
  for (const TraceEvent& e : pb.world().trace.events())
    if (e.kind == TraceKind::Command && e.host == "client-c" && e.text.rfind("EHLO", 0) == 0) return e.conn;
  return 0;
}
}  // namespace

TEST_CASE("sequence: the story's submission connection, EHLO .. QUIT with times, TLS marked", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabSequence;
  Scene s = scene_at(pb, "story.yaml", minutes(3), ui, false);
  ui.sequence_conn = submission_conn(pb);
  REQUIRE(ui.sequence_conn != 0);
  s = Scene{};
  SceneBuilder().build(pb, s);
  InspectBuilder().build(pb, ui, s);
  const SceneSequence& q = s.sequence;
  CHECK(q.conn == ui.sequence_conn);
  CHECK(q.client == "client-c");
  CHECK(q.server == "msa.a.example");
  std::vector<std::string> cmds;
  for (const SceneArrow& a : q.arrows)
    if (a.kind == "command") cmds.push_back(a.text.substr(0, a.text.find_first_of(" :")));
  REQUIRE(cmds.size() >= 6);
  CHECK(cmds.front() == "EHLO");
  CHECK(cmds.back() == "QUIT");
  CHECK(std::find(cmds.begin(), cmds.end(), "STARTTLS") != cmds.end());
  CHECK(std::find(cmds.begin(), cmds.end(), "DATA") != cmds.end());
  REQUIRE(q.tls_us > 0);
  bool tls_after = false;
  for (const SceneArrow& a : q.arrows) {
    if (a.kind != "command" && a.kind != "reply") continue;
    CHECK(a.from_client == (a.kind == "command"));
    // Every arrow arrived one link latency or more later: client-c <-> msa is 20 ms.
    CHECK(a.arrive_us - a.sent_us >= msec(20));
    CHECK(a.tls == (a.sent_us >= q.tls_us));
    tls_after = tls_after || (a.tls && a.text.rfind("AUTH", 0) == 0);
  }
  CHECK(tls_after);  // AUTH went inside TLS
  // The first reply is the greeting 220, the last the 221 to QUIT.
  auto first_reply = std::find_if(q.arrows.begin(), q.arrows.end(), [](const SceneArrow& a) { return a.kind == "reply"; });
  REQUIRE(first_reply != q.arrows.end());
  CHECK(first_reply->code == 220);
}

TEST_CASE("sequence follows the clock: nothing after now", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabSequence;
  Scene s = scene_at(pb, "story.yaml", minutes(1) + msec(100), ui, false);
  REQUIRE(s.sequence.conn != 0);
  for (const SceneArrow& a : s.sequence.arrows) CHECK(a.sent_us <= s.t_us);
  CHECK(s.sequence.arrows.size() < 10);
}

TEST_CASE("message: the story message at its last hop has 4 Received lines naming the hops in order", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMessage;
  Scene s = scene_at(pb, "story.yaml", hours(2), ui, true);
  REQUIRE(s.captured);
  const SceneMessage& m = s.message;
  REQUIRE(!m.msgid.empty());
  CHECK(m.subject == "Lunch on Friday?");
  CHECK(m.header_from.find("a@a.example") != std::string::npos);
  CHECK(m.header_to.find("b@b.example") != std::string::npos);
  REQUIRE(m.hops.size() >= 5);
  // Hop by hop: client -> MSA -> an outbound member -> mx1 -> MDA, then the reader's download.
  CHECK(m.hops[0].from == "client-c");
  CHECK(m.hops[0].to == "msa.a.example");
  CHECK(m.hops[0].mail_from == "a@a.example");
  CHECK(m.hops[0].rcpt_to == std::vector<std::string>{"b@b.example"});
  CHECK(m.hops[1].to.rfind("out", 0) == 0);
  CHECK(m.hops[2].to == "mx1.b.example");
  CHECK(m.hops[3].to == "mda.b.example");
  CHECK(m.hops.back().kind == "fetched");
  CHECK(m.hops.back().to == "client-b");
  // The chain grows by one Received per server: 0 on the first hop, 4 at the last.
  for (std::size_t i = 0; i < 4; ++i) CHECK(m.hops[i].received.size() == i);
  const std::vector<std::string>& rc = m.hops.back().received;
  REQUIRE(rc.size() == 4);
  const char* by[] = {"mda.b.example", "mx1.b.example", "out", "msa.a.example"};  // newest on top
  for (std::size_t i = 0; i < 4; ++i) CHECK(rc[i].find(std::string("by ") + by[i]) != std::string::npos);
  // Every hop's bytes carry the body the client wrote.
  for (const SceneMsgHop& h : m.hops) CHECK(h.raw.find("are you free for lunch on Friday?") != std::string::npos);
}

TEST_CASE("message: the TLS submission hop's wire is ciphertext, the endpoints see plaintext", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMessage;
  Scene s = scene_at(pb, "story.yaml", minutes(5), ui, true);
  REQUIRE(!s.message.hops.empty());
  const SceneMsgHop& h = s.message.hops[0];
  CHECK(h.tls);
  CHECK(h.conn != 0);
  REQUIRE(h.wire.size() > h.raw.size());
  const std::string before = h.wire.substr(0, h.wire_plain), after = h.wire.substr(h.wire_plain);
  CHECK(before.find("EHLO client-c") != std::string::npos);
  CHECK(before.find("STARTTLS") != std::string::npos);
  CHECK(after.find("Lunch on Friday") == std::string::npos);
  CHECK(after.find("AUTH") == std::string::npos);
  CHECK(h.raw.find("Subject: Lunch on Friday?") != std::string::npos);
}

TEST_CASE("message: a bounce shows its multipart/report parts separately", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMessage;
  Scene s = scene_at(pb, "permanent-550.yaml", pb.open(kLessons + "permanent-550.yaml") ? pb.end() : 0, ui, true);
  const SceneMessage& all = s.message;
  auto dsn = std::find_if(all.choice_labels.begin(), all.choice_labels.end(),
                          [](const std::string& l) { return l.rfind("[bounce]", 0) == 0; });
  REQUIRE(dsn != all.choice_labels.end());
  ui.inspect_msg = all.choices[std::size_t(dsn - all.choice_labels.begin())];
  Scene s2;
  SceneBuilder().build(pb, s2);
  InspectBuilder().build(pb, ui, s2);
  REQUIRE(s2.message.dsn);
  REQUIRE(!s2.message.hops.empty());
  CHECK(s2.message.hops.front().kind == "made");
  CHECK(s2.message.hops.front().mail_from.empty());  // the null reverse path
  const std::vector<SceneMsgPart>& parts = s2.message.hops.back().parts;
  REQUIRE(parts.size() >= 2);
  CHECK(parts[0].type == "text/plain");
  CHECK(parts[1].type == "message/delivery-status");
  CHECK(parts[1].text.find("Status: 5.1.1") != std::string::npos);
}

TEST_CASE("mailboxes: after POP3 the story message is shown fetched by client-b and deleted", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMailboxes;
  Scene s = scene_at(pb, "story.yaml", hours(2), ui, false);
  const SceneMailbox* b = nullptr;
  for (const SceneMailbox& mb : s.mailboxes)
    if (mb.host == "mda.b.example") b = &mb;
  REQUIRE(b);
  REQUIRE(b->messages.size() == 1);
  const SceneMailbox::Msg& m = b->messages[0];
  CHECK(m.subject == "Lunch on Friday?");
  CHECK(m.from.find("a@a.example") != std::string::npos);
  CHECK(!m.msgid.empty());
  CHECK(m.fetched);
  CHECK(m.deleted);
  CHECK(m.fetched_by == "client-b");
  CHECK(m.fetched_us > hours(1));
  // Before the download it sat on the server, new.
  Playback at;
  Scene before;
  for (SimTime t = hours(1); t < hours(2); t += minutes(1)) {
    REQUIRE(at.open(kLessons + "story.yaml"));
    at.set_auto_continue(true);
    at.seek(t);
    before = Scene{};
    SceneBuilder().build(at, before);
    InspectBuilder().build(at, ui, before);
    bool stored = false;
    for (const SceneMailbox& mb : before.mailboxes)
      if (mb.host == "mda.b.example" && !mb.messages.empty() && !mb.messages[0].fetched) stored = true;
    if (stored) break;
  }
  bool seen_new = false;
  for (const SceneMailbox& mb : before.mailboxes)
    if (mb.host == "mda.b.example" && mb.messages.size() == 1) seen_new = !mb.messages[0].fetched && !mb.messages[0].deleted;
  CHECK(seen_new);
}

TEST_CASE("mailboxes: leave-on-server keeps the fetched message on the server", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabMailboxes;
  Scene s = scene_at(pb, "pop3-leave-on-server.yaml", pb.open(kLessons + "pop3-leave-on-server.yaml") ? pb.end() : 0, ui, false);
  int left = 0;
  for (const SceneMailbox& mb : s.mailboxes)
    for (const auto& m : mb.messages) left += m.fetched && !m.deleted;
  CHECK(left >= 1);
}

TEST_CASE("charts: counts and queue depth agree with the trace", "[inspect]") {
  Playback pb;
  UiState ui;
  ui.bottom_tab = kTabCharts;
  Scene s = scene_at(pb, "story.yaml", hours(2), ui, false);
  int deferred = 0, delivered = 0, bounced = 0;
  for (const TraceEvent& e : pb.world().trace.events()) {
    deferred += e.kind == TraceKind::Queue && e.state == QueueState::Deferred;
    delivered += e.kind == TraceKind::Delivery;
    bounced += e.kind == TraceKind::Bounce;
  }
  const SceneCharts& c = s.charts;
  CHECK(c.deferred == deferred);
  CHECK(c.deferred >= 3);
  CHECK(c.delivered == delivered);
  CHECK(c.bounced == bounced);
  CHECK(c.deferrals.values.back() == float(deferred));
  CHECK(c.to_us == s.t_us);
  // The outbound member held the message for about an hour, then handed it on.
  auto out = std::find_if(c.queues.begin(), c.queues.end(), [](const SceneSeries& q) { return q.name.rfind("out", 0) == 0; });
  REQUIRE(out != c.queues.end());
  CHECK(out->max == 1);
  CHECK(out->values.back() == 0);
  CHECK(out->values[std::size_t(double(out->values.size()) * 0.25)] == 1);  // at 30m: waiting
}

TEST_CASE("capturing for the inspector does not change the run", "[inspect]") {
  Playback plain, captured;
  REQUIRE(plain.open(kLessons + "story.yaml"));
  REQUIRE(captured.open(kLessons + "story.yaml"));
  captured.set_capture(true);
  plain.set_auto_continue(true);
  captured.set_auto_continue(true);
  plain.seek(plain.end());
  captured.seek(minutes(30));
  captured.set_capture(false);
  captured.set_capture(true);  // switched mid-run: re-simulated to the same moment
  captured.seek(captured.end());
  CHECK(plain.report().trace_hash == captured.report().trace_hash);
  CHECK(captured.capture().hops().size() >= 4);
  CHECK(plain.capture().hops().empty());
}
