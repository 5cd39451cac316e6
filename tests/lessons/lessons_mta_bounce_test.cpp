// lessons_mta_bounce_test.cpp - permanent failures as real MTAs handle them: 550 user unknown
// bounces at once with an RFC 3464 report, a relay loop ends in 554 5.4.6 and a bounce, and a
// bounce that cannot be delivered is never bounced again.
#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// kProviders - A's provider (client, MSA doing MX lookups, MX, MDA) and B's MX and MDA; the MX
// accepts any b.example address and only the MDA knows who exists (the backscatter set-up).
const char* kProviders = R"(
seed: 4
domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
)";

// replies_of - the replies a host sent with this code.
std::vector<TraceEvent> replies_of(World& w, const std::string& host, int code) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : events_of(w, TraceKind::Reply, host))
    if (e.code == code) out.push_back(e);
  return out;
}

// commands_of - the commands a client host sent that start with `prefix` (not the copies it
// recorded as a server, rx).
std::vector<TraceEvent> commands_of(World& w, const std::string& host, const std::string& prefix) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : events_of(w, TraceKind::Command, host))
    if (!e.rx && e.text.rfind(prefix, 0) == 0) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("550 user unknown: an immediate RFC 3464 bounce with the remote reply, and no retry") {
  Lesson l = run_lesson(std::string(kProviders) + R"(send:
  - { id: m, at: 1s, from: a@a.example, to: [b@b.example, nobody@b.example], subject: "Lunch", body: "Friday?", unknown_ok: true }
expect:
  - { delivered: b@b.example, message: m }
  - { bounced: nobody@b.example, status: 5.1.1, by: 3s }
  - { lost: 0 }
  - { queued: 0 }
)");
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();

  // The MDA refused the unknown recipient at RCPT; the MX bounced it on the spot, once.
  auto refused = replies_of(w, "mda.b.example", 550);
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].text.find("5.1.1") != std::string::npos);
  std::vector<QueueLine> tries;
  for (const QueueLine& q : queue_lines(w, ": attempt ", "mx.b.example"))
    if (q.rcpt == "nobody@b.example") tries.push_back(q);
  CHECK(tries.size() == 1);
  CHECK(queue_lines(w, "deferred", "mx.b.example").empty());
  auto bounces = events_of(w, TraceKind::Bounce, "mx.b.example");
  REQUIRE(bounces.size() == 1);
  CHECK(bounces[0].rcpt == "nobody@b.example");
  CHECK(bounces[0].time - refused[0].time < msec(50));  // when the session ends, not on a timer

  // The notification went out with the null reverse path.
  CHECK(commands_of(w, "mx.b.example", "MAIL FROM:<>").size() == 1);

  auto box = mailbox(w, "mda.a.example", "a@a.example");
  REQUIRE(box.size() == 1);
  const mail::Message& m = box[0];
  INFO(m.serialize());
  CHECK(m.get("Return-Path").value_or("") == "<>");
  CHECK(m.get("From").value_or("").rfind("MAILER-DAEMON@mx.b.example", 0) == 0);
  CHECK(m.get("Subject").value_or("") == "Undelivered Mail Returned to Sender");
  const std::string ct = m.get("Content-Type").value_or("");
  CHECK(ct.find("multipart/report") != std::string::npos);
  CHECK(ct.find("report-type=delivery-status") != std::string::npos);
  std::string err;
  auto d = mail::parse_dsn(m, &err);
  INFO(err);
  REQUIRE(d);
  CHECK(d->reporting_mta == "mx.b.example");
  CHECK(!d->arrival_date.empty());
  REQUIRE(d->recipients.size() == 1);  // b@b.example was delivered: not in the report
  const mail::ParsedDsnRecipient& r = d->recipients[0];
  CHECK(r.final_recipient == "nobody@b.example");
  CHECK(r.action == mail::DsnAction::Failed);
  CHECK(r.status == "5.1.1");
  CHECK(r.remote_mta == "mda.b.example");
  // Diagnostic-Code is the remote server's reply, word for word.
  CHECK(r.diagnostic_code == "smtp; " + refused[0].text.substr(0, refused[0].text.find("\r")));
  CHECK(!r.last_attempt_date.empty());
  CHECK(r.will_retry_until.empty());
  CHECK(d->human_text.find("nobody@b.example") != std::string::npos);
  CHECK(d->returned_type == "message/rfc822");
  CHECK(d->returned.find("Subject: Lunch") != std::string::npos);
}

TEST_CASE("relay loop: two MTAs relaying to each other stop at 50 Received headers with 554 5.4.6") {
  Lesson l = run_lesson(R"(
seed: 2
domains:
  a.example: { mx: mda.a.example, users: { a: apple } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa, relay_to: loop1 }
  - { name: loop1,         role: mta, relay_to: loop2, local_domains: [a.example] }
  - { name: loop2,         role: mta, relay_to: loop1 }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, loop1], latency: 1ms }
  - { between: [loop1, loop2], latency: 2ms }
  - { between: [loop1, mda.a.example], latency: 1ms }
  - { between: [loop1, dns], latency: 1ms }
send:
  - { id: m, at: 1s, from: a@a.example, to: c@c.example, subject: "Round and round", body: "hi", unknown_ok: true }
expect:
  - { bounced: c@c.example, status: 5.4.6 }
  - { lost: 0 }
  - { queued: 0 }
)");
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  auto r554 = replies_of(w, "loop1", 554);
  auto r554b = replies_of(w, "loop2", 554);
  r554.insert(r554.end(), r554b.begin(), r554b.end());
  REQUIRE(r554.size() == 1);
  CHECK(r554[0].text.find("5.4.6") != std::string::npos);
  // msa.a.example added Received #1, every loop hop one more; the 50th copy was refused.
  const std::string msgid = l.run->message_ids(1).at(0);
  int hops = 0;
  for (const auto& q : queue_lines(w, ": queued from "))
    if (q.rcpt == "c@c.example" && (q.host == "loop1" || q.host == "loop2")) ++hops;
  CHECK(hops == 49);
  // The sender learns it: the bounce reached a@a.example, carrying the looping copy.
  auto reports = dsns(mailbox(w, "mda.a.example", "a@a.example"));
  REQUIRE(reports.size() == 1);
  const mail::ParsedDsnRecipient& r = reports[0].recipients.at(0);
  CHECK(r.status == "5.4.6");
  CHECK(r.diagnostic_code.find("554 5.4.6") != std::string::npos);
  mail::Message returned = mail::Message::parse(reports[0].returned);
  CHECK(returned.count("Received") == 50);
  // And the loop really stopped: nothing moved after the bounce was stored.
  CHECK(w.sched.now() - events_of(w, TraceKind::Delivery, "mda.a.example").back().time <= minutes(11));
}

TEST_CASE("never bounce a bounce: a DSN to an unknown sender is dropped with a note") {
  // A message whose sender does not exist (forged): B's MDA refuses its recipient, B's MX bounces
  // it to the forged sender, and A's MDA refuses that too. A's MX must not answer the bounce.
  Lesson l = start_lesson(kProviders);
  World& w = l.world();
  const std::string data =
      "From: <ghost@a.example>\r\nTo: <nobody@b.example>\r\nSubject: spam\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\n"
      "Message-ID: <forged.1@a.example>\r\n\r\nbuy now\r\n";
  w.mta("mx.b.example")->inject("ghost@a.example", {"nobody@b.example"}, data, false);
  finish_lesson(l);
  INFO(l.problems());
  CHECK(l.report.ledger.problems.empty());
  CHECK(l.report.ledger.lost == 0);

  // One bounce (from mx.b.example), one refusal of it (mda.a.example 550), then silence.
  auto b1 = events_of(w, TraceKind::Bounce, "mx.b.example");
  REQUIRE(b1.size() == 1);
  CHECK(replies_of(w, "mda.a.example", 550).size() == 1);
  auto b2 = events_of(w, TraceKind::Bounce, "mx.a.example");
  REQUIRE(b2.size() == 1);  // the DSN itself failed for good...
  bool noted = false;
  for (const TraceEvent& e : events_of(w, TraceKind::Note, "mx.a.example"))
    noted |= e.text.find("not bouncing a bounce") != std::string::npos;
  CHECK(noted);  // ...and was dropped with a note,
  CHECK(queue_lines(w, "delivery status notification created here", "mx.a.example").empty());  // not bounced
  // mx.a.example sent one transaction only: the bounce it was relaying, with MAIL FROM:<>.
  auto mails = commands_of(w, "mx.a.example", "MAIL FROM");
  REQUIRE(mails.size() == 1);
  CHECK(mails[0].text.rfind("MAIL FROM:<>", 0) == 0);
  CHECK(w.mta("mx.a.example")->queue_depth() == 0);
  CHECK(w.mta("mx.b.example")->queue_depth() == 0);
  // The ledger knows where both ended.
  bool dsn_line = false;
  for (const LedgerLine& line : l.report.ledger.lines)
    if (line.is_dsn) {
      dsn_line = true;
      CHECK(line.fate == Fate::Bounced);
    }
  CHECK(dsn_line);
}

TEST_CASE("a notification's NOTIFY=NEVER recipient gets no bounce; NOTIFY=FAILURE gets one") {
  Lesson l = run_lesson(std::string(kProviders) + R"(send:
  - { id: quiet, at: 1s, from: a@a.example, to: nobody@b.example, subject: q, body: q, unknown_ok: true, dsn: { notify: never } }
  - { id: loud, at: 2s, from: a@a.example, to: nobody2@b.example, subject: l, body: l, unknown_ok: true, dsn: { notify: [failure], ret: hdrs } }
)");
  World& w = l.world();
  auto reports = dsns(mailbox(w, "mda.a.example", "a@a.example"));
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].recipients.at(0).final_recipient == "nobody2@b.example");
  CHECK(reports[0].returned_type == "text/rfc822-headers");  // RET=HDRS
  CHECK(l.report.ledger.lost == 0);
  CHECK(l.report.ledger.bounced == 2);
  int links = 0;
  for (const DsnLink& d : w.ledger.dsn_links()) links += d.original.rcpt == "nobody2@b.example";
  CHECK(links == 1);
  for (const DsnLink& d : w.ledger.dsn_links()) CHECK(d.original.rcpt != "nobody@b.example");
}

TEST_CASE("a bounce goes to the sender exactly as the envelope had it, quoted local part and all") {
  // B's MX sends in plain text here, so the bounce's bytes can be read on the wire.
  std::string text = kProviders;
  const std::string mx_b = "deliver_to: mda.b.example }";
  text.replace(text.find(mx_b), mx_b.size(), "deliver_to: mda.b.example, tls_policy: none }");
  Lesson l = start_lesson(text);
  World& w = l.world();
  const std::string data =
      "From: \"Odd\" <\"odd user\"@a.example>\r\nTo: <nobody@b.example>\r\nSubject: q\r\n"
      "Date: Mon, 02 Mar 2026 09:00:00 +0000\r\nMessage-ID: <quoted.1@a.example>\r\n\r\nhi\r\n";
  w.mta("mx.b.example")->inject("\"odd user\"@a.example", {"nobody@b.example"}, data, false);
  finish_lesson(l);
  // The bounce's transaction names the same mailbox, not a doubly quoted one.
  auto rcpts = commands_of(w, "mx.b.example", "RCPT TO:<\"odd user\"@a.example>");
  CHECK(rcpts.size() == 1);
  bool header = false;
  for (const TraceEvent& e : w.trace.events())
    if (e.kind == TraceKind::BytesSent && e.host == "mx.b.example" &&
        e.data.find("\r\nTo: \"odd user\"@a.example\r\n") != std::string::npos)
      header = true;
  CHECK(header);
}

TEST_CASE("a behaviour with `times: 1` refuses the next command only, even among pipelined ones") {
  std::string text = kProviders;
  const std::string users = "users: { b: banana } }";
  text.replace(text.find(users), users.size(), "users: { b: banana, c: cherry } }");
  Lesson l = run_lesson(text + R"(send:
  - { id: both, at: 1m, from: a@a.example, to: [b@b.example, c@b.example], subject: two, body: "two" }
  - { id: later, at: 2m, from: a@a.example, to: b@b.example, subject: later, body: "later" }
timeline:
  - { at: 0s, host: mx.b.example, behaviour: { rcpt: { reply: "550 5.7.1 Not today", times: 1 } } }
expect:
  - { bounced: b@b.example, message: both, status: 5.7.1 }
  - { delivered: c@b.example, message: both }
  - { delivered: b@b.example, message: later }
  - { lost: 0 }
)");
  INFO(l.problems());
  CHECK(l.report.ok());
  CHECK(replies_of(l.world(), "mx.b.example", 550).size() == 1);
}
