// lessons_mta_custody_test.cpp - the at-least-once window of SMTP (RFC 5321 6.1): when the sender
// cannot know whether the end of DATA was answered 250, it sends again, and a duplicate is the
// price of losing nothing. Each way of falling into that window is played at the exact moment, and
// the ledger must explain the duplicate.
#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// kChain - client -> MSA -> relay -> B's MX -> MDA; the relay speaks plain SMTP to B's MX, 30 ms
// away, so its end-of-data dot can be found on the wire and a fault placed while it is in flight.
const char* kChain = R"(
seed: 12
domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,        role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example,   role: msa, relay_to: relay.a.example }
  - { name: relay.a.example, role: mta, tls_policy: none }
  - { name: mx.a.example,    role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example,   role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,    role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example,   role: mda, mailboxes: [b.example] }
  - { name: dns,             role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, relay.a.example], latency: 1ms }
  - { between: [relay.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: m, at: 1s, from: a@a.example, to: b@b.example, subject: Once, body: "exactly once?" }
)";

// dot_time - when the relay put the end-of-data dot of its first transaction on the wire to B's MX.
SimTime dot_time() {
  Lesson l = run_lesson(kChain);
  REQUIRE(l.report.ok());
  REQUIRE(l.report.ledger.delivered == 1);
  for (const TraceEvent& e : l.world().trace.events())
    if (e.kind == TraceKind::BytesSent && e.host == "relay.a.example" && e.peer == "mx.b.example" &&
        e.data.size() >= 5 && e.data.compare(e.data.size() - 5, 5, "\r\n.\r\n") == 0)
      return e.time;
  FAIL("the relay never sent an end-of-data dot");
  return 0;
}

// submit_dot_time - the same for the client's submission to the MSA, sent in plain text here.
SimTime submit_dot_time(const std::string& text) {
  Lesson l = run_lesson(text);
  REQUIRE(l.report.ok());
  REQUIRE(l.report.ledger.delivered == 1);
  for (const TraceEvent& e : l.world().trace.events())
    if (e.kind == TraceKind::BytesSent && e.host == "client-a" && e.data.size() >= 5 &&
        e.data.compare(e.data.size() - 5, 5, "\r\n.\r\n") == 0)
      return e.time;
  FAIL("the client never sent an end-of-data dot");
  return 0;
}

// at - a timeline time in microseconds.
std::string at(SimTime t) { return std::to_string(t) + "us"; }

// b_deliveries - the ledger line of the message for b@b.example.
LedgerLine b_line(Lesson& l) {
  for (const LedgerLine& line : l.report.ledger.lines)
    if (line.key.rcpt == "b@b.example" && !line.is_dsn) return line;
  FAIL("no ledger line for b@b.example");
  return {};
}

}  // namespace

TEST_CASE("at-least-once: the sender crashes while its end-of-data dot is in flight") {
  const SimTime dot = dot_time();
  // The dot reaches B's MX 30 ms after it left and B's MX stores the message and answers at once;
  // the relay is gone at 45 ms, so the 250 (due at 60 ms) finds nobody. The relay's durable spool
  // still has the message; after the restart it sends it again, and B gets it twice. The ledger
  // must know why. (A crash before the dot arrives loses the connection's bytes in flight: then
  // B never had it, and one copy arrives - the case below.)
  Lesson l = run_lesson(std::string(kChain) + "timeline:\n  - { at: " + at(dot + msec(45)) +
                        ", crash: relay.a.example }\n  - { at: " + at(dot + minutes(1)) +
                        ", restart: relay.a.example }\n");
  INFO(l.problems());
  CHECK(l.report.ledger.problems.empty());
  LedgerLine line = b_line(l);
  CHECK(line.fate == Fate::Delivered);
  CHECK(line.deliveries == 2);
  CHECK(line.cause.find("relay.a.example lost the connection to mx.b.example after the end of DATA") !=
        std::string::npos);
  CHECK(mailbox(l.world(), "mda.b.example", "b@b.example").size() == 2);
  CHECK(l.report.ledger.duplicates == 1);
}

TEST_CASE("at-least-once: the sender crashes before its dot arrives - one copy, no doubt") {
  const SimTime dot = dot_time();
  Lesson l = run_lesson(std::string(kChain) + "timeline:\n  - { at: " + at(dot + msec(15)) +
                        ", crash: relay.a.example }\n  - { at: " + at(dot + minutes(1)) +
                        ", restart: relay.a.example }\n");
  INFO(l.problems());
  CHECK(l.report.ok());
  CHECK(b_line(l).deliveries == 1);
  CHECK(mailbox(l.world(), "mda.b.example", "b@b.example").size() == 1);
}

TEST_CASE("at-least-once: the link fails while the dot is in flight, longer than the stall timeout") {
  const SimTime dot = dot_time();
  // The dot was already on its way (a chunk's fate is decided when it is sent), B's MX stores the
  // message and answers 250 into a dead link; after 2 minutes without progress the relay's
  // connection times out, and its retry at 15 minutes delivers a second copy.
  Lesson l = run_lesson(std::string(kChain) + "timeline:\n  - { at: " + at(dot + msec(15)) +
                        ", link: [internet, mx.b.example], state: down }\n  - { at: " + at(dot + minutes(10)) +
                        ", link: [internet, mx.b.example], state: up }\n");
  INFO(l.problems());
  CHECK(l.report.ledger.problems.empty());
  LedgerLine line = b_line(l);
  CHECK(line.deliveries == 2);
  CHECK(line.cause.find("after the end of DATA") != std::string::npos);
}

TEST_CASE("at-least-once: a short outage while the dot is in flight costs nothing") {
  const SimTime dot = dot_time();
  // Back within the stall timeout: the 250 is retransmitted and arrives; one copy only.
  Lesson l = run_lesson(std::string(kChain) + "timeline:\n  - { at: " + at(dot + msec(15)) +
                        ", link: [internet, mx.b.example], state: down }\n  - { at: " + at(dot + sec(30)) +
                        ", link: [internet, mx.b.example], state: up }\n");
  INFO(l.problems());
  CHECK(l.report.ok());
  CHECK(b_line(l).deliveries == 1);
  CHECK(l.report.ledger.duplicates == 0);
}

TEST_CASE("at-least-once: the receiver stores the message and drops the connection before its 250") {
  Lesson l = run_lesson(std::string(kChain) + R"(timeline:
  - { at: 0s, host: mx.b.example, behaviour: { drop_after_data: true } }
  - { at: 5m, host: mx.b.example, behaviour: { drop_after_data: false } }
)");
  INFO(l.problems());
  CHECK(l.report.ledger.problems.empty());
  LedgerLine line = b_line(l);
  CHECK(line.deliveries == 2);  // the stored copy, and the one sent again at the 15-minute retry
  CHECK(line.cause.find("after the end of DATA") != std::string::npos);
  CHECK(mailbox(l.world(), "mda.b.example", "b@b.example").size() == 2);
}

TEST_CASE("at-least-once: the mail client crashes while the MSA's 250 is on its way") {
  // The client is 10 ms from its MSA: the dot arrives at +10 ms and is stored, the 250 would arrive
  // at +20 ms, the client is gone at +15 ms. Its outbox still has the message, so after the restart
  // it submits again - as Thunderbird would - and B gets two copies, which the ledger explains.
  std::string text = kChain;
  const std::string submit = "submit: msa.a.example }";
  text.replace(text.find(submit), submit.size(), "submit: msa.a.example, tls: none }");
  const std::string msa = "relay_to: relay.a.example }";  // no STARTTLS offered: AUTH in the clear is allowed
  text.replace(text.find(msa), msa.size(), "relay_to: relay.a.example, tls: none }");
  const SimTime dot = submit_dot_time(text);
  Lesson l = run_lesson(text + "timeline:\n  - { at: " + at(dot + msec(15)) + ", crash: client-a }\n  - { at: " +
                        at(dot + minutes(1)) + ", restart: client-a }\n");
  INFO(l.problems());
  CHECK(l.report.ledger.problems.empty());
  LedgerLine line = b_line(l);
  CHECK(line.deliveries == 2);
  CHECK(line.cause.find("client-a lost the connection to msa.a.example after the end of DATA") != std::string::npos);
  const auto& outbox = l.world().mua("client-a")->outbox();
  REQUIRE(outbox.size() == 1);
  CHECK(outbox[0].state == OutboxEntry::State::Sent);
  CHECK(outbox[0].tries == 2);
}
