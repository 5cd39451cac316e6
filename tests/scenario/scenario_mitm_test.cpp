// scenario_mitm_test.cpp - a man in the middle put on a link at run time (timeline `mitm:`): what
// it does to the mail crossing the link, taking it off, saving it with a lesson, and the loader's
// refusals.
#include <catch2/catch.hpp>

#include "scenario/scenario_test_util.hpp"
#include "sim/roles/mitm_proxy.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/scenario_save.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;
using namespace smtpsim::scenario::test;

namespace {
// lesson - kBase, one message from a to b at 1m, and `timeline` (text after "timeline:\n").
std::string lesson(const std::string& timeline) {
  std::string t = std::string(kBase) +
                  "send:\n  - { id: m, at: 1m, from: a@a.example, to: b@b.example, subject: Hi, body: \"secret\" }\n"
                  "expect:\n  - { delivered: b@b.example, message: m }\n";
  if (!timeline.empty()) t += "timeline:\n" + timeline;
  return t;
}

// Outcome - what a lesson's run did: its report, whether msa -> mx used TLS, what eve read.
struct Outcome {
  RunReport report;
  bool tls_to_mx = false;
  std::vector<std::string> eve_lines;
  std::size_t eve_stripped = 0;
  bool eve_up = false;
};
Outcome run_lesson(const std::string& text) {
  auto loaded = load(text);
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.spec);
  run.run_to_end();
  Outcome o;
  for (const TraceEvent& e : run.world().trace.events())
    if (e.kind == TraceKind::Tls && e.code == 1 && e.host == "msa.a.example" && e.peer == "mx.b.example")
      o.tls_to_mx = true;
  if (MitmProxy* m = run.world().mitm("eve")) {
    o.eve_lines = m->lines();
    o.eve_stripped = m->stats().stripped;
    o.eve_up = run.world().net.host_up(*run.world().net.find_host("eve"));
  }
  o.report = run.finish();
  return o;
}

bool read_line(const Outcome& o, const std::string& prefix) {
  for (const std::string& l : o.eve_lines)
    if (l.rfind(prefix, 0) == 0) return true;
  return false;
}
}  // namespace

TEST_CASE("mitm: strip_starttls on a link sends the mail across it in plaintext, and eve reads it") {
  Outcome clean = run_lesson(lesson(""));
  CHECK(clean.report.ok());
  CHECK(clean.tls_to_mx);  // without eve the MTAs use STARTTLS

  Outcome o = run_lesson(lesson("  - { at: 0s, link: [internet, mx.b.example], mitm: strip_starttls }\n"));
  CHECK(o.report.ok());  // still delivered
  CHECK_FALSE(o.tls_to_mx);
  CHECK(o.eve_stripped >= 1);
  CHECK(read_line(o, "MAIL FROM:<a@a.example>"));
  CHECK(o.report.trace_hash != clean.report.trace_hash);
}

TEST_CASE("mitm: relay only reads the plaintext part; off unplugs eve and TLS is back") {
  Outcome relay = run_lesson(lesson("  - { at: 0s, link: [internet, mx.b.example], mitm: relay }\n"));
  CHECK(relay.tls_to_mx);                  // STARTTLS got through
  CHECK(read_line(relay, "EHLO"));         // eve saw the greeting exchange
  CHECK_FALSE(read_line(relay, "MAIL FROM"));  // and nothing inside TLS

  Outcome off = run_lesson(lesson("  - { at: 0s, link: [internet, mx.b.example], mitm: strip_starttls }\n"
                                  "  - { at: 30s, link: [mx.b.example, internet], mitm: off }\n"));
  CHECK(off.report.ok());
  CHECK(off.tls_to_mx);
  CHECK_FALSE(off.eve_up);
  CHECK(off.eve_lines.empty());

  // Put back with another mode: the same eve, up again, now stripping.
  Outcome back = run_lesson(lesson("  - { at: 0s, link: [internet, mx.b.example], mitm: relay }\n"
                                   "  - { at: 10s, link: [internet, mx.b.example], mitm: off }\n"
                                   "  - { at: 20s, link: [internet, mx.b.example], mitm: strip_starttls }\n"));
  CHECK(back.eve_up);
  CHECK_FALSE(back.tls_to_mx);
  CHECK(back.report.ok());
}

TEST_CASE("mitm: an action made by hand is saved with the lesson and replays to the same hash") {
  auto loaded = load(lesson(""));
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.spec);
  run.run_until(sec(30));
  TimelineEntry e;
  LinkAction a;
  a.a = "internet";
  a.b = "mx.b.example";
  a.mitm = LinkMitm::StripStartTls;
  e.action = a;
  run.apply(e);
  run.run_to_end();
  const std::string hash = run.finish().trace_hash;
  const std::string saved = save_as_lesson(lesson(""), run.actions());
  CHECK(saved.find("mitm: strip_starttls") != std::string::npos);
  Outcome replay = run_lesson(saved);
  CHECK(replay.report.trace_hash == hash);
  CHECK_FALSE(replay.tls_to_mx);
}

TEST_CASE("mitm: the loader's refusals") {
  auto first = [](const std::string& timeline) {
    auto r = load(lesson(timeline));
    auto lines = diag_lines(r);
    return lines.empty() ? std::string() : lines[0];
  };
  CHECK(first("  - { at: 0s, link: [internet, mx.b.example], mitm: sideways }\n") ==
        "27:53: mitm: expected one of strip_starttls, relay, impersonate, off, got 'sideways'");
  CHECK(first("  - { at: 0s, crash: mx.b.example, mitm: relay }\n").find("mitm: only applies to a link action") !=
        std::string::npos);
  CHECK(first("  - { at: 0s, link: [internet, nowhere], mitm: relay }\n").find("nowhere") != std::string::npos);
  std::string own = lesson("  - { at: 0s, link: [internet, mx.b.example], mitm: relay }\n");
  replace(own, "  - { name: dns, role: dns }\n",
          "  - { name: dns, role: dns }\n  - { name: mal, role: mitm, between: [internet, mx.b.example] }\n");
  auto r = load(own);
  CHECK_FALSE(r.ok());
  CHECK(r.format().find("mitm: the lesson's mitm host mal already sits on the link between internet and "
                        "mx.b.example") != std::string::npos);
}
