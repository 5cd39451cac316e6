// lessons_mta_route_test.cpp - how a sending MTA finds the next hop (RFC 5321 5.1, RFC 7505):
// MX preference and fallback, seeded shuffling of equal preferences, null MX, NXDOMAIN and
// SERVFAIL - each a whole run, checked by virtual time and by what reached the mailboxes.
#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// lesson - A's provider (client, MSA doing its own MX lookups, A's MX and MDA) and B's side with
// two MX hosts and an MDA; `b_domain` is b.example's mx part, `extra` goes at the end, `mx1_link`
// adds keys to mx1's Internet link, `domains` adds domain lines.
std::string lesson(const std::string& b_domain, const std::string& extra, const std::string& mx1_link = "",
                   const std::string& domains = "") {
  return R"(
seed: 5
domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { )" + b_domain + R"(, users: { b: banana } }
)" + domains + R"(hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx1.b.example, role: mx,  deliver_to: mda.b.example, accepts: [b.example] }
  - { name: mx2.b.example, role: mx,  deliver_to: mda.b.example, accepts: [b.example] }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx1.b.example], latency: 20ms)" + mx1_link + R"( }
  - { between: [internet, mx2.b.example], latency: 30ms }
  - { between: [mx1.b.example, mda.b.example], latency: 50ms }
  - { between: [mx2.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
)" + extra;
}

const char* kTwoPrefs = "mx: [ { host: mx1.b.example, pref: 10 }, { host: mx2.b.example, pref: 20 } ]";
const char* kEqualPrefs = "mx: [ { host: mx1.b.example, pref: 10 }, { host: mx2.b.example, pref: 10 } ]";

const char* kSendToB = R"(send:
  - { id: m, at: 1s, from: a@a.example, to: b@b.example, subject: Hi, body: "Hello B" }
)";

// first_connect - the host name the MSA's first delivery connection went to.
std::string first_connect(World& w, const std::string& from = "msa.a.example") {
  for (const TraceEvent& e : w.trace.events())
    if (e.kind == TraceKind::ConnOpen && e.host == from && e.dst_port == 25) return e.peer;
  return {};
}

// connects - every SYN the host sent to port 25, as (time, peer).
std::vector<std::pair<SimTime, std::string>> connects(World& w, const std::string& from) {
  std::vector<std::pair<SimTime, std::string>> out;
  for (const TraceEvent& e : w.trace.events())
    if (e.kind == TraceKind::ConnOpen && e.host == from && e.dst_port == 25 && e.code == 0)
      out.push_back({e.time, e.peer});
  return out;
}

// delivered_at - when b@b.example got its first message (-1 if never).
SimTime delivered_at(World& w) {
  for (const TraceEvent& e : events_of(w, TraceKind::Delivery))
    if (e.rcpt == "b@b.example") return e.time;
  return -1;
}

// received_by - the "by" hosts of the one message in b's mailbox, first hop first.
std::vector<std::string> received_by(World& w) {
  auto box = mailbox(w, "mda.b.example", "b@b.example");
  REQUIRE(box.size() == 1);
  std::vector<std::string> by;
  for (const auto& h : mail::parse_received_chain(box[0])) by.push_back(h.by);
  return by;
}

// bounce_report - the one DSN in a@a.example's mailbox, parsed.
mail::ParsedDsn bounce_report(World& w) {
  auto reports = dsns(mailbox(w, "mda.a.example", "a@a.example"));
  REQUIRE(reports.size() == 1);
  return reports[0];
}

}  // namespace

TEST_CASE("MX fallback: the primary (pref 10) is unreachable, the backup (pref 20) gets it in the same attempt") {
  Lesson l = run_lesson(lesson(kTwoPrefs, kSendToB, ", state: down"));
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  // One attempt: the SYNs to mx1 go unanswered for the connect timeout (30 s), then mx2 answers.
  auto c = connects(w, "msa.a.example");
  REQUIRE(c.size() >= 2);
  CHECK(c[0].second == "mx1.b.example");
  CHECK(c[1].second == "mx2.b.example");
  CHECK(c[1].first - c[0].first == sec(30));
  CHECK(attempt_starts(w, "msa.a.example").size() == 1);
  SimTime t = delivered_at(w);
  CHECK(t > c[1].first);
  CHECK(t < c[1].first + sec(2));
  CHECK(received_by(w) == std::vector<std::string>{"msa.a.example", "mx2.b.example", "mda.b.example"});
}

TEST_CASE("MX fallback: a crashed primary is skipped the same way; with both up the primary always wins") {
  SECTION("primary crashed") {
    Lesson l = run_lesson(lesson(kTwoPrefs, std::string(kSendToB) + "timeline:\n  - { at: 0s, crash: mx1.b.example }\n"));
    INFO(l.problems());
    REQUIRE(l.report.ok());
    CHECK(received_by(l.world()) == std::vector<std::string>{"msa.a.example", "mx2.b.example", "mda.b.example"});
  }
  SECTION("both up, any seed") {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      Lesson l = run_lesson(lesson(kTwoPrefs, kSendToB), seed);
      INFO("seed " << seed << "\n" << l.problems());
      REQUIRE(l.report.ok());
      CHECK(first_connect(l.world()) == "mx1.b.example");
      CHECK(received_by(l.world())[1] == "mx1.b.example");
    }
  }
}

TEST_CASE("equal MX preferences are shuffled by the seeded RNG: seeds differ, a seed repeats itself") {
  std::map<std::string, int> firsts;
  std::map<std::uint64_t, std::string> by_seed;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    Lesson l = run_lesson(lesson(kEqualPrefs, kSendToB), seed);
    INFO("seed " << seed << "\n" << l.problems());
    REQUIRE(l.report.ok());
    std::string first = first_connect(l.world());
    REQUIRE((first == "mx1.b.example" || first == "mx2.b.example"));
    CHECK(received_by(l.world())[1] == first);  // the first one tried took it
    firsts[first]++;
    by_seed[seed] = first;
  }
  INFO("mx1 first " << firsts["mx1.b.example"] << " times, mx2 first " << firsts["mx2.b.example"] << " times");
  CHECK(firsts["mx1.b.example"] >= 3);  // 16 fair coin flips: fewer than 3 of one side is a 0.2% event
  CHECK(firsts["mx2.b.example"] >= 3);
  for (std::uint64_t seed : {2u, 7u, 11u}) {
    Lesson again = run_lesson(lesson(kEqualPrefs, kSendToB), seed);
    CHECK(first_connect(again.world()) == by_seed[seed]);
  }
}

TEST_CASE("null MX (RFC 7505): bounced at once with 556 5.1.10, no connection attempted") {
  std::string text = lesson(kTwoPrefs, R"(send:
  - { id: m, at: 1s, from: a@a.example, to: x@nomail.example, subject: Hi, body: "Hello", unknown_ok: true }
expect:
  - { bounced: x@nomail.example, status: 5.1.10, by: 2s }
  - { lost: 0 }
)", "", "  nomail.example: { null_mx: true }\n");
  Lesson l = run_lesson(text);
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  CHECK(connects(w, "msa.a.example").size() == 1);  // only the bounce's own delivery, to mx.a.example
  CHECK(connects(w, "msa.a.example")[0].second == "mx.a.example");
  CHECK(attempt_starts(w, "msa.a.example").size() == 2);  // the message once, then its bounce
  mail::ParsedDsn d = bounce_report(w);
  REQUIRE(d.recipients.size() == 1);
  CHECK(d.recipients[0].final_recipient == "x@nomail.example");
  CHECK(d.recipients[0].action == mail::DsnAction::Failed);
  CHECK(d.recipients[0].status == "5.1.10");
  // The MTA found it itself (in DNS): its words, without the codes the Status field carries.
  CHECK(d.recipients[0].diagnostic_code ==
        "X-smtpsim; Recipient address rejected: Domain nomail.example does not accept mail (nullMX)");
  CHECK(d.recipients[0].remote_mta.empty());  // nobody was reached
}

TEST_CASE("NXDOMAIN: the domain does not exist - bounced at once (5.1.2), never retried") {
  std::string text = lesson(kTwoPrefs, R"(send:
  - { id: m, at: 1s, from: a@a.example, to: x@nowhere.example, subject: Hi, body: "Hello", unknown_ok: true }
expect:
  - { bounced: x@nowhere.example, status: 5.1.2, by: 2s }
  - { lost: 0 }
)");
  Lesson l = run_lesson(text);
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  CHECK(queue_lines(w, "deferred", "msa.a.example").empty());
  mail::ParsedDsn d = bounce_report(w);
  REQUIRE(d.recipients.size() == 1);
  CHECK(d.recipients[0].status == "5.1.2");
  CHECK(d.recipients[0].diagnostic_code.find("nowhere.example") != std::string::npos);
  CHECK(d.recipients[0].diagnostic_code.find("Host not found") != std::string::npos);
}

TEST_CASE("SERVFAIL: a temporary DNS failure defers; the first retry after it clears delivers") {
  // The fault is on from the start and cleared at 20m: attempts at 1s+0, +15m (both SERVFAIL),
  // then +30m finds the MX and delivers.
  std::string text = lesson(kTwoPrefs, std::string(kSendToB) + R"(timeline:
  - { at: 0s,  dns: { name: b.example, fault: servfail } }
  - { at: 20m, dns: { name: b.example, fault: none } }
)");
  Lesson l = run_lesson(text);
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  auto deferred = queue_lines(w, "deferred: 451 4.4.3 Host or domain name lookup failed: b.example (SERVFAIL",
                              "msa.a.example");
  CHECK(deferred.size() == 2);
  std::vector<SimTime> starts = attempt_starts(w, "msa.a.example");
  REQUIRE(starts.size() == 3);
  CHECK(starts[1] - starts[0] == minutes(15));
  CHECK(starts[2] - starts[0] == minutes(30));
  SimTime t = delivered_at(w);
  CHECK(t > starts[2]);
  CHECK(t < starts[2] + sec(2));
  CHECK(dsns(mailbox(w, "mda.a.example", "a@a.example")).empty());  // no warning, no bounce
}

TEST_CASE("DNS timeout counts as temporary too; a recipient domain with a dead MX list defers, not bounces") {
  std::string text = lesson(kTwoPrefs, std::string(kSendToB) + R"(timeline:
  - { at: 0s,  dns: { name: b.example, fault: timeout } }
  - { at: 10m, dns: { name: b.example, fault: none } }
)");
  Lesson l = run_lesson(text);
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  CHECK(queue_lines(w, "deferred: 451 4.4.3 Host or domain name lookup failed: b.example (DNS timeout",
                    "msa.a.example").size() == 1);
  CHECK(attempt_starts(w, "msa.a.example").size() == 2);
  CHECK(delivered_at(w) > minutes(15));
}
