// lessons_mta_cluster_test.cpp - an outbound cluster losing a member: the balancer takes it out of
// rotation, a durable spool resumes its queue after the restart and everything is delivered; a
// volatile spool loses what it held, and the ledger says so and why.
#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// lesson - A's MSA relays to a three-member cluster; B's MX is cut off for the first hour, so the
// members hold the mail. Six messages a minute apart before out2 crashes at 10m, three after;
// out2 restarts at 40m.
std::string lesson(const std::string& spool) {
  return R"(
seed: 9
domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa, relay_to: cluster }
  - { name: cluster,       role: cluster, members: [out1, out2, out3], balance: round-robin, health_check: 10s, spool: )" +
         spool + R"( }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, cluster], latency: 1ms }
  - { between: [cluster, out1], latency: 1ms }
  - { between: [cluster, out2], latency: 1ms }
  - { between: [cluster, out3], latency: 1ms }
  - { between: [out1, internet], latency: 10ms }
  - { between: [out2, internet], latency: 10ms }
  - { between: [out3, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms, state: down }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: early, at: 1s, from: a@a.example, to: b@b.example, subject: early, body: "before the crash", repeat: 6, every: 1m }
  - { id: late, at: 12m, from: a@a.example, to: b@b.example, subject: late, body: "after the crash", repeat: 3, every: 1m }
timeline:
  - { at: 10m, crash: out2 }
  - { at: 40m, restart: out2 }
  - { at: 1h,  link: [internet, mx.b.example], state: up }
)";
}

// accepted_by - the Message-IDs a host took into its spool, with the time.
std::vector<std::pair<SimTime, std::string>> accepted_by(World& w, const std::string& host) {
  std::vector<std::pair<SimTime, std::string>> out;
  for (const TraceEvent& e : w.trace.events())
    if (e.kind == TraceKind::Queue && e.host == host && e.text.find(": queued from ") != std::string::npos)
      out.push_back({e.time, e.msg});
  return out;
}

// balancer_notes - the balancer's notes containing `has`, with their times.
std::vector<SimTime> balancer_notes(World& w, const std::string& has) {
  std::vector<SimTime> out;
  for (const TraceEvent& e : events_of(w, TraceKind::Note, "cluster"))
    if (e.text.find(has) != std::string::npos) out.push_back(e.time);
  return out;
}

}  // namespace

TEST_CASE("cluster failover: a crashed member leaves rotation; its durable queue resumes and all is delivered") {
  Lesson l = run_lesson(lesson("durable"));
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  CHECK(l.report.ledger.recipients == 9);
  CHECK(l.report.ledger.delivered == 9);
  CHECK(l.report.ledger.duplicates == 0);

  // out2 held mail when it crashed.
  auto held = accepted_by(w, "out2");
  std::vector<std::string> held_at_crash;
  for (const auto& [t, id] : held)
    if (t < minutes(10)) held_at_crash.push_back(id);
  REQUIRE(held_at_crash.size() == 2);  // round robin: messages 2 and 5 of the six
  bool kept = false;
  for (const TraceEvent& e : events_of(w, TraceKind::Note, "out2"))
    kept |= e.text.find("durable spool keeps 2 message(s) through the crash") != std::string::npos;
  CHECK(kept);

  // The balancer found out at the first hand-off after the crash (a connect timeout) and took it out;
  // the health check brought it back within one interval of the restart.
  auto out = balancer_notes(w, "cluster member out2 taken out of rotation");
  REQUIRE(out.size() == 1);
  CHECK(out[0] > minutes(12));
  CHECK(out[0] < minutes(15));
  auto back = balancer_notes(w, "cluster member out2 is UP again");
  REQUIRE(back.size() == 1);
  CHECK(back[0] >= minutes(40));
  CHECK(back[0] <= minutes(40) + sec(10));
  // Nothing was handed to out2 while it was down or out of rotation.
  for (const auto& [t, id] : held) CHECK((t < minutes(10) || t > back[0]));
  // Every late message went to the other members.
  std::size_t late_elsewhere = 0;
  for (const char* m : {"out1", "out3"})
    for (const auto& [t, id] : accepted_by(w, m)) late_elsewhere += t > minutes(12);
  CHECK(late_elsewhere == 3);

  // At restart the queue is rescanned and retried at once (the mail is overdue), then delivered
  // once B's MX is back.
  std::vector<QueueLine> retried;
  for (const QueueLine& q : queue_lines(w, ": attempt ", "out2"))
    if (q.at >= minutes(40) && q.at < minutes(41)) retried.push_back(q);
  REQUIRE(retried.size() == 2);
  CHECK(retried[0].at == minutes(40));
  for (const std::string& id : held_at_crash) {
    INFO(id);
    bool sent = false;
    for (const TraceEvent& e : w.trace.events())
      if (e.kind == TraceKind::Queue && e.host == "out2" && e.msg == id && e.text.find(": sent to ") != std::string::npos) {
        sent = true;
        CHECK(e.time > hours(1));
        CHECK(e.time < hours(1) + minutes(16));
      }
    CHECK(sent);
  }
}

TEST_CASE("cluster failover with a volatile spool: the member's queue is lost, and the ledger says why") {
  Lesson l = run_lesson(lesson("volatile"));
  World& w = l.world();
  const LedgerSummary& s = l.report.ledger;
  CHECK_FALSE(l.report.ok());
  CHECK(s.recipients == 9);
  CHECK(s.lost == 2);
  CHECK(s.delivered == 7);
  REQUIRE(s.problems.size() == 2);
  std::set<std::string> lost_ids;
  for (const LedgerLine& line : s.lines)
    if (line.fate == Fate::Lost) {
      lost_ids.insert(line.key.msgid);
      CHECK(line.cause == "out2: volatile spool of out2 lost in a crash");
      CHECK(line.holders.empty());
    }
  for (const std::string& p : s.problems) CHECK(p.find("volatile spool of out2 lost in a crash") != std::string::npos);
  // Exactly what out2 held at 10m is gone; the sender was never told (no bounce exists for it).
  std::set<std::string> held;
  for (const auto& [t, id] : accepted_by(w, "out2"))
    if (t < minutes(10)) held.insert(id);
  CHECK(lost_ids == held);
  bool noted = false;
  for (const TraceEvent& e : events_of(w, TraceKind::Note, "out2"))
    noted |= e.text.find("volatile spool lost 2 message(s) (2 recipient(s)) in the crash") != std::string::npos;
  CHECK(noted);
  CHECK(dsns(mailbox(w, "mda.a.example", "a@a.example")).empty());
}
