// lessons_mta_chaos_test.cpp - hundreds of seeded random fault schedules over a multi-hop network
// (clients -> MSA -> cluster of 3 -> 2 MX -> MDA), each run until the mail is quiet: no message
// may be lost, every accepted (message, recipient) must end delivered, bounced with its DSN on the
// way, or still queued, and a duplicate must be explained by a connection lost after end of DATA.
#include "lessons/lessons_mta_util.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>

#include "sim/core/rng.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// The network. No TLS on the hops: the subject here is custody of mail, and handshakes are the cost.
// Latencies keep every host's shortest way to the Internet its own link (routes are fixed by
// latency, down links included): no back door through another MX or cluster member.
const char* kTopology = R"(
until: { quiet: true, grace: 10m, max: 3d }
retry: story
domains:
  a.example: { mx: mx.a.example, users: { a: apple, a2: apple2 } }
  b.example:
    mx: [ { host: mx1.b.example, pref: 10 }, { host: mx2.b.example, pref: %MX2PREF% } ]
    users: { b: banana, c: cherry }
hosts:
  - { name: client-a,      role: mua, user: a@a.example,  submit: msa.a.example, tls: none }
  - { name: client-a2,     role: mua, user: a2@a.example, submit: msa.a.example, tls: none }
  - { name: msa.a.example, role: msa, relay_to: cluster, tls: none, tls_policy: none }
  - { name: cluster,       role: cluster, members: [out1, out2, out3], health_check: 10s, tls: none, tls_policy: none, balance: %BALANCE% }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example, tls: none, tls_policy: none }
  - { name: mda.a.example, role: mda, mailboxes: [a.example], tls: none }
  - { name: mx1.b.example, role: mx,  deliver_to: mda.b.example, tls: none, tls_policy: none }
  - { name: mx2.b.example, role: mx,  deliver_to: mda.b.example, tls: none, tls_policy: none }
  - { name: mda.b.example, role: mda, mailboxes: [b.example], tls: none }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [client-a2, msa.a.example], latency: 15ms }
  - { between: [msa.a.example, cluster], latency: 1ms }
  - { between: [cluster, out1], latency: 1ms }
  - { between: [cluster, out2], latency: 1ms }
  - { between: [cluster, out3], latency: 1ms }
  - { between: [out1, internet], latency: 10ms }
  - { between: [out2, internet], latency: 10ms }
  - { between: [out3, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example], latency: 1ms }
  - { between: [internet, mx1.b.example], latency: 20ms }
  - { between: [internet, mx2.b.example], latency: 30ms }
  - { between: [mx1.b.example, mda.b.example], latency: 20ms }
  - { between: [mx2.b.example, mda.b.example], latency: 20ms }
  - { between: [internet, dns], latency: 5ms }
)";

// Links that may be cut or made lossy, hosts that may crash, servers whose behaviour may change.
const char* kLinks[][2] = {{"client-a", "msa.a.example"}, {"msa.a.example", "cluster"}, {"cluster", "out1"},
                           {"cluster", "out2"}, {"cluster", "out3"}, {"out1", "internet"}, {"out2", "internet"},
                           {"out3", "internet"}, {"internet", "mx1.b.example"}, {"internet", "mx2.b.example"},
                           {"mx1.b.example", "mda.b.example"}, {"mx2.b.example", "mda.b.example"},
                           {"internet", "dns"}, {"internet", "mx.a.example"}};
const char* kCrashable[] = {"client-a", "client-a2", "msa.a.example", "cluster", "out1", "out2", "out3", "mx1.b.example", "mx2.b.example",
                            "mda.b.example", "dns", "mx.a.example", "mda.a.example"};
const char* kServers[] = {"msa.a.example", "out1", "out2", "out3", "mx1.b.example", "mx2.b.example", "mda.b.example"};
const char* kBSide[] = {"mx1.b.example", "mx2.b.example", "mda.b.example"};
// Permanent refusals, only once each ("times: 1") and only on B's side: the bounces they cause go
// back through A's side (MSA, cluster), and a relay that refused a bounce for good would drop it,
// rightly (RFC 5321 6.1) - but then there is no DSN to find.
const char* kRefusals[][2] = {
    {"{ rcpt: { reply: \"550 5.7.1 Rejected by policy\", times: 1 } }", "{ rcpt: normal }"},
    {"{ dot: { reply: \"554 5.6.0 Content rejected\", times: 1 } }", "{ dot: normal }"},
};
// Temporary behaviours, anywhere: a change and how it is undone.
const char* kBehaviours[][2] = {
    {"{ rcpt: \"451 4.3.0 Try again later\" }", "{ rcpt: normal }"},
    {"{ dot: \"451 4.3.0 Queue file write error\" }", "{ dot: normal }"},
    {"{ mail: \"421 4.3.2 Service shutting down\" }", "{ mail: normal }"},
    {"{ greylisting: true }", "{ greylisting: false }"},
    {"{ drop_after_data: true }", "{ drop_after_data: false }"},
    {"{ drop_mid_data: true }", "{ drop_mid_data: false }"},
    {"{ close_with_421: true }", "{ close_with_421: false }"},
    {"{ storage_full: true }", "{ storage_full: false }"},
    {"{ tarpit: 20s }", "{ tarpit: off }"},
};

// Plan - one random lesson: its text and what it contains, for messages on failure.
struct Plan {
  std::string text;
  int faults = 0;
  int messages = 0;
};

std::string secs(std::uint64_t s) { return std::to_string(s) + "s"; }

// make_plan - the lesson of one seed: a few messages in the first hour, faults that all end by
// 2h30m (or, one run in ten, a B-side outage past the 4-hour give-up so bounces happen too).
Plan make_plan(std::uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ull + 17);
  Plan p;
  std::string top = kTopology;
  auto put = [&](const std::string& key, const std::string& v) { top.replace(top.find(key), key.size(), v); };
  put("%MX2PREF%", rng.chance(0.5) ? "10" : "20");
  put("%BALANCE%", rng.chance(0.5) ? "round-robin" : "least-queue");
  p.text = "seed: " + std::to_string(seed) + top;

  // Messages: 2-6, to one or two of B's users, sometimes to a user B does not have.
  std::string send = "send:\n";
  p.messages = 2 + int(rng.below(5));
  for (int i = 0; i < p.messages; ++i) {
    const bool second = rng.chance(0.5);
    std::string to = rng.chance(0.5) ? "b@b.example" : "c@b.example";
    if (rng.chance(0.3)) to = "[b@b.example, c@b.example]";
    bool unknown = rng.chance(0.1);
    if (unknown) to = "[b@b.example, ghost@b.example]";
    send += "  - { id: m" + std::to_string(i) + ", at: " + secs(1 + rng.below(3600)) + ", from: " +
            (second ? "a2@a.example" : "a@a.example") + ", to: " + to + ", subject: \"chaos " +
            std::to_string(i) + "\", body: \"message " + std::to_string(i) + "\"" +
            (unknown ? ", unknown_ok: true" : "") + " }\n";
  }

  // Faults: each has a start in the first two hours and an end by 2h30m.
  std::vector<std::pair<std::uint64_t, std::string>> tl;
  auto window = [&](std::uint64_t max_len) {
    std::uint64_t start = rng.below(7200);
    std::uint64_t end = std::min<std::uint64_t>(start + 1 + rng.below(max_len), 9000);
    return std::make_pair(start, end);
  };
  p.faults = 3 + int(rng.below(8));
  for (int f = 0; f < p.faults; ++f) {
    switch (rng.below(5)) {
      case 4: {
        // A lossy, slow stretch of a link: lost chunks are resent, so it shows as delay.
        const auto* l = kLinks[rng.below(std::size(kLinks))];
        auto [s, e] = window(3600);
        std::string link = std::string("[") + l[0] + ", " + l[1] + "]";
        tl.push_back({s, "{ at: " + secs(s) + ", link: " + link + ", loss: " + std::to_string(10 + rng.below(40)) +
                             "%, latency: " + std::to_string(50 + rng.below(500)) + "ms }"});
        tl.push_back({e, "{ at: " + secs(e) + ", link: " + link + ", loss: 0, latency: 20ms }"});
        break;
      }
      case 0: {
        const auto* l = kLinks[rng.below(std::size(kLinks))];
        auto [s, e] = window(3600);
        std::string link = std::string("[") + l[0] + ", " + l[1] + "]";
        tl.push_back({s, "{ at: " + secs(s) + ", link: " + link + ", state: down }"});
        tl.push_back({e, "{ at: " + secs(e) + ", link: " + link + ", state: up }"});
        break;
      }
      case 1: {
        const char* h = kCrashable[rng.below(std::size(kCrashable))];
        auto [s, e] = window(3600);
        tl.push_back({s, std::string("{ at: ") + secs(s) + ", crash: " + h + " }"});
        tl.push_back({e, std::string("{ at: ") + secs(e) + ", restart: " + h + " }"});
        break;
      }
      case 2: {
        const char* kinds[] = {"servfail", "timeout", "servfail"};
        const char* name = rng.chance(0.7) ? "b.example" : "a.example";
        auto [s, e] = window(2400);
        tl.push_back({s, std::string("{ at: ") + secs(s) + ", dns: { name: " + name + ", fault: " +
                             kinds[rng.below(3)] + " } }"});
        tl.push_back({e, std::string("{ at: ") + secs(e) + ", dns: { name: " + name + ", fault: none } }"});
        break;
      }
      default: {
        const bool refuse = rng.chance(0.2);
        const char* h = refuse ? kBSide[rng.below(std::size(kBSide))] : kServers[rng.below(std::size(kServers))];
        const auto* b = refuse ? kRefusals[rng.below(std::size(kRefusals))] : kBehaviours[rng.below(std::size(kBehaviours))];
        auto [s, e] = window(3600);
        tl.push_back({s, std::string("{ at: ") + secs(s) + ", host: " + h + ", behaviour: " + b[0] + " }"});
        tl.push_back({e, std::string("{ at: ") + secs(e) + ", host: " + h + ", behaviour: " + b[1] + " }"});
        break;
      }
    }
  }
  if (rng.chance(0.1)) {
    // A long outage behind B's MX hosts: what they hold for longer than 4 hours bounces, and the
    // DSNs come home to a.example across the Internet. (Cutting the MX hosts off the Internet
    // instead would strand their own bounces too: those would expire, and be dropped, unseen.)
    std::uint64_t s = rng.below(1800);
    tl.push_back({s, "{ at: " + secs(s) + ", link: [mx1.b.example, mda.b.example], state: down }"});
    tl.push_back({s, "{ at: " + secs(s) + ", link: [mx2.b.example, mda.b.example], state: down }"});
    tl.push_back({s + 18000, "{ at: " + secs(s + 18000) + ", link: [mx1.b.example, mda.b.example], state: up }"});
    tl.push_back({s + 18000, "{ at: " + secs(s + 18000) + ", link: [mx2.b.example, mda.b.example], state: up }"});
    ++p.faults;
  }
  std::stable_sort(tl.begin(), tl.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string timeline = "timeline:\n";
  for (const auto& [t, line] : tl) timeline += "  - " + line + "\n";
  p.text += send + timeline;
  return p;
}

// Verdict - what one run got wrong, in sentences (empty: all well), plus its numbers.
struct Verdict {
  std::vector<std::string> wrong;
  int recipients = 0, delivered = 0, bounced = 0, queued = 0, duplicates = 0, dsns = 0;
};

// check_run - the conservation rules over a finished run.
Verdict check_run(Lesson& l) {
  Verdict v;
  World& w = l.world();
  const LedgerSummary& s = l.report.ledger;
  v.recipients = s.recipients;
  v.delivered = s.delivered;
  v.bounced = s.bounced;
  v.queued = s.queued;
  v.duplicates = s.duplicates;
  v.dsns = s.dsn_sent;
  for (const std::string& p : s.problems) v.wrong.push_back(p);
  if (s.lost != 0) v.wrong.push_back(std::to_string(s.lost) + " lost");

  std::map<LedgerKey, const LedgerLine*> by_key;
  for (const LedgerLine& line : s.lines) by_key[line.key] = &line;
  for (const LedgerLine& line : s.lines) {
    const std::string what = line.key.msgid + " for " + line.key.rcpt;
    if (line.fate == Fate::Lost) continue;  // counted above
    if (line.deliveries > 1 && line.cause.find("after the end of DATA") == std::string::npos)
      v.wrong.push_back("duplicate without an explanation: " + what);
    if (line.is_dsn || line.fate != Fate::Bounced) continue;
    // A bounced recipient: its DSN exists and is delivered or still on its way.
    bool home = false;
    for (const DsnLink& d : w.ledger.dsn_links()) {
      if (d.original.msgid != line.key.msgid || d.original.rcpt != line.key.rcpt || d.action != "failed") continue;
      auto it = by_key.find({d.dsn_msgid, d.to});
      if (it != by_key.end() && (it->second->fate == Fate::Delivered || it->second->fate == Fate::Queued)) home = true;
    }
    if (!home) v.wrong.push_back("bounced without a DSN delivered or queued: " + what + " (" + line.cause + ")");
  }

  // What the clients were told was sent is what the ledger knows was accepted.
  for (const auto& m : w.muas())
    for (const OutboxEntry& o : m->outbox()) {
      if (o.state != OutboxEntry::State::Sent) continue;
      bool known = false;
      for (const LedgerLine& line : s.lines) known |= line.key.msgid == o.message_id && !line.is_dsn;
      if (!known) v.wrong.push_back("client " + m->name() + " was told " + o.message_id + " was sent; the ledger never saw it");
    }

  // The mailboxes hold exactly the deliveries the ledger counted.
  std::map<std::string, int> ledger_count;
  for (const LedgerLine& line : s.lines) ledger_count[line.key.rcpt] += line.deliveries;
  for (const char* user : {"b@b.example", "c@b.example"}) {
    int n = int(mailbox(w, "mda.b.example", user).size());
    if (n != ledger_count[user])
      v.wrong.push_back(std::string(user) + ": " + std::to_string(n) + " messages in the mailbox, ledger counted " +
                        std::to_string(ledger_count[user]));
  }
  for (const char* user : {"a@a.example", "a2@a.example"}) {
    int n = int(mailbox(w, "mda.a.example", user).size());
    if (n != ledger_count[user])
      v.wrong.push_back(std::string(user) + ": " + std::to_string(n) + " messages in the mailbox, ledger counted " +
                        std::to_string(ledger_count[user]));
  }
  // A quiet end leaves no queue behind.
  if (!w.busy())
    for (const auto& m : w.mtas())
      if (m->queue_depth()) v.wrong.push_back(m->name() + " still holds " + std::to_string(m->queue_depth()) + " message(s)");
  return v;
}

}  // namespace

// chaos_runs - how many schedules: 2000 (CI's bounded run), or SMTPSIM_CHAOS_RUNS for a long one
// (SMTPSIM_CHAOS_RUNS=10000 test_lessons chaos).
std::uint64_t chaos_runs() {
  const char* v = std::getenv("SMTPSIM_CHAOS_RUNS");
  if (!v || !*v) return 2000;
  char* end = nullptr;
  unsigned long long n = std::strtoull(v, &end, 10);
  if (*end != '\0' || n == 0) FAIL("SMTPSIM_CHAOS_RUNS must be a positive number, got '" << v << "'");
  return n;
}

TEST_CASE("chaos: 2000 seeded fault schedules (SMTPSIM_CHAOS_RUNS for more), no mail lost, every recipient accounted for") {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::uint64_t runs = chaos_runs();
  Verdict total;
  int with_dups = 0, with_bounces = 0, with_queued = 0, faults = 0;
  std::vector<std::string> failures;
  std::map<std::string, int> causes;
  for (std::uint64_t seed = 1; seed <= runs; ++seed) {
    Plan p = make_plan(seed);
    faults += p.faults;
    Lesson l = run_lesson(p.text);
    Verdict v = check_run(l);
    for (const LedgerLine& line : l.report.ledger.lines)
      if (line.fate == Fate::Bounced && !line.is_dsn) {
        std::string c = line.cause;
        auto said = c.find("said: ");
        if (said != std::string::npos) c = c.substr(said + 6);
        causes[c.substr(0, 24)]++;
      }
    total.recipients += v.recipients;
    total.delivered += v.delivered;
    total.bounced += v.bounced;
    total.queued += v.queued;
    total.duplicates += v.duplicates;
    total.dsns += v.dsns;
    with_dups += v.duplicates > 0;
    with_bounces += v.bounced > 0;
    with_queued += v.queued > 0;
    if (!v.wrong.empty()) {
      std::string s = "seed " + std::to_string(seed) + ":";
      for (const auto& x : v.wrong) s += "\n    " + x;
      failures.push_back(s);
      if (failures.size() <= 2) {
        // Keep the evidence of the first failures for people: the lesson and its transcript.
        std::ofstream(std::string(SMTPSIM_BINARY_DIR) + "/chaos-" + std::to_string(seed) + ".yaml") << p.text;
        std::ofstream(std::string(SMTPSIM_BINARY_DIR) + "/chaos-" + std::to_string(seed) + ".transcript.txt")
            << transcript(l.world());
      }
    }
  }
  const double secs_taken =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::string all;
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) all += failures[i] + "\n";
  INFO(failures.size() << " of " << runs << " runs broke a rule:\n" << all);
  CHECK(failures.empty());
  WARN("chaos: " << runs << " runs, " << faults << " faults, " << total.recipients << " recipients: "
                 << total.delivered << " delivered, " << total.bounced << " bounced, " << total.queued
                 << " queued, " << total.duplicates << " explained duplicates (" << with_dups << " runs), "
                 << total.dsns << " DSNs; " << with_bounces << " runs with bounces; " << secs_taken << " s"
                 << [&] {
                      std::string c = "; bounce causes:";
                      for (const auto& [cause, n] : causes) c += " " + std::to_string(n) + " x \"" + cause + "...\"";
                      return c;
                    }());
  // The schedules must actually exercise the rules, not just pass them (rates of the 2000-run figures).
  CHECK(total.delivered > 3 * runs);
  CHECK(with_bounces >= int(runs / 10));
  CHECK(with_dups >= int(runs / 100));
  CHECK(with_queued == 0);  // every run ends quiet: faults end, mail moves on or bounces
}
