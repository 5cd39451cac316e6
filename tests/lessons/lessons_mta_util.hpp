// lessons_mta_util.hpp - helpers for the "MTAs that behave like real ones" tests: run an inline
// lesson to its end, read mailboxes, take DSNs apart, and list what the queues did, by time.
#pragma once
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/export/export_transcript.hpp"
#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_received.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace smtpsim::mta_test {

// Lesson - one inline lesson, loaded, run to its end and checked.
struct Lesson {
  std::unique_ptr<scenario::ScenarioRun> run;
  scenario::RunReport report;

  World& world() { return run->world(); }
  // problems - the report's failed expectations and ledger problems, one per line (for INFO).
  std::string problems() const {
    std::string s;
    for (const auto& e : report.expectations)
      if (!e.pass) s += "FAIL " + e.expectation.describe() + " - " + e.detail + "\n";
    for (const auto& p : report.ledger.problems) s += p + "\n";
    return s + report.summary_line();
  }
};

// start_lesson - load `text` (which must be valid) and build and start its world, not yet run.
inline Lesson start_lesson(const std::string& text, std::optional<std::uint64_t> seed = std::nullopt) {
  auto loaded = scenario::load_scenario_string(text, "mta.yaml");
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  Lesson l;
  scenario::RunOptions o;
  o.seed = seed;
  l.run = std::make_unique<scenario::ScenarioRun>(*loaded.spec, o);
  return l;
}

// finish_lesson - run a started lesson to its end and check it.
inline void finish_lesson(Lesson& l) {
  l.run->run_to_end();
  l.report = l.run->finish();
}

// run_lesson - start_lesson, then finish_lesson.
inline Lesson run_lesson(const std::string& text, std::optional<std::uint64_t> seed = std::nullopt) {
  Lesson l = start_lesson(text, seed);
  finish_lesson(l);
  return l;
}

// transcript - the run's trace as people read it (for INFO on failure).
inline std::string transcript(World& w) { return exporter::format_transcript(w.trace.events()); }

// mailbox - every message in `user`'s mailbox on the MDA host `mda`, in delivery order.
inline std::vector<mail::Message> mailbox(World& w, const std::string& mda, const std::string& user) {
  std::vector<mail::Message> out;
  MtaHost* h = w.mta(mda);
  REQUIRE(h);
  REQUIRE(h->config().store);
  REQUIRE(h->config().directory);
  mail::Lookup u = h->config().directory->lookup(user);
  REQUIRE(u.found());
  const std::string box = u.user->mailbox;
  mail::ListResult l = h->config().store->list(box);
  for (const auto& m : l.messages) out.push_back(mail::Message::parse(*h->config().store->read(box, m.uid)));
  return out;
}

// dsns - the delivery status reports among messages.
inline std::vector<mail::ParsedDsn> dsns(const std::vector<mail::Message>& msgs) {
  std::vector<mail::ParsedDsn> out;
  for (const auto& m : msgs)
    if (auto d = mail::parse_dsn(m)) out.push_back(*d);
  return out;
}

// QueueLine - one Queue trace event: when, where, and what.
struct QueueLine {
  SimTime at;
  std::string host, rcpt, text;
};

// queue_lines - the Queue events whose text contains `has` (all when empty), from `host` ("" = any).
inline std::vector<QueueLine> queue_lines(World& w, const std::string& has, const std::string& host = "") {
  std::vector<QueueLine> out;
  for (const TraceEvent& e : w.trace.events())
    if (e.kind == TraceKind::Queue && (host.empty() || e.host == host) &&
        (has.empty() || e.text.find(has) != std::string::npos))
      out.push_back({e.time, e.host, e.rcpt, e.text});
  return out;
}

// attempt_starts - when `host` started delivery attempts (the "attempt N for" queue lines).
inline std::vector<SimTime> attempt_starts(World& w, const std::string& host) {
  std::vector<SimTime> t;
  for (const QueueLine& q : queue_lines(w, ": attempt ", host)) t.push_back(q.at);
  return t;
}

// events_of - trace events of one kind (at a host when given).
inline std::vector<TraceEvent> events_of(World& w, TraceKind k, const std::string& host = "") {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : w.trace.events())
    if (e.kind == k && (host.empty() || e.host == host)) out.push_back(e);
  return out;
}

// times_text - "0s, 15m, 30m" for readable failure messages.
inline std::string times_text(const std::vector<SimTime>& ts) {
  std::string s;
  for (SimTime t : ts) s += (s.empty() ? "" : ", ") + format_duration(t);
  return s;
}

}  // namespace smtpsim::mta_test
