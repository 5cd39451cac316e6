// scenario_check.cpp - after a run: each expectation checked against the trace, the mailboxes,
// the clients' inboxes and the ledger, with the evidence (or its absence) in words.
#include <algorithm>

#include "sim/scenario/scenario_match.hpp"
#include "sim/core/ascii.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace smtpsim::scenario {

namespace {

bool ieq(const std::string& a, const std::string& b) { return ascii_iequals(a, b); }

// status_matches - "5.1.1" against a pattern like "5.x.x" or "5.1.1" ("" matches anything).
bool status_matches(const std::string& pattern, const std::string& status) {
  if (pattern.empty()) return true;
  std::size_t i = 0, j = 0;
  while (i < pattern.size() && j < status.size()) {
    if (pattern[i] == 'x' || pattern[i] == 'X') {
      while (j < status.size() && status[j] != '.') ++j;
      ++i;
      continue;
    }
    if (pattern[i] != status[j]) return false;
    ++i;
    ++j;
  }
  return i == pattern.size() && j == status.size();
}

}  // namespace

// ExpectationChecker - evaluates expectations of one finished run.
class ExpectationChecker {
 public:
  explicit ExpectationChecker(ScenarioRun& r) : run_(r), w_(r.world()) {
    ReplyTracker t;
    for (const TraceEvent& e : w_.trace.events()) answered_.push_back(t.observe(e));
  }

  ExpectResult check(const Expectation& x) {
    ExpectResult r;
    r.expectation = x;
    switch (x.kind) {
      case Expectation::Kind::Delivered:
      case Expectation::Kind::NotDelivered: delivered(x, r); break;
      case Expectation::Kind::Bounced:
      case Expectation::Kind::Warned: dsn(x, r); break;
      case Expectation::Kind::Reply:
      case Expectation::Kind::NoReply: replies(x, r); break;
      case Expectation::Kind::Attempts: attempts(x, r); break;
      case Expectation::Kind::FetchedBy: fetched(x, r); break;
      case Expectation::Kind::Lost: count(x, r, ledger().lost, "lost"); break;
      case Expectation::Kind::Duplicates: count(x, r, ledger().duplicates, "duplicate deliveries"); break;
      case Expectation::Kind::Queued: queued(x, r); break;
      case Expectation::Kind::Tls: tls(x, r); break;
    }
    return r;
  }

  const LedgerSummary& ledger() {
    if (!ledger_) ledger_ = w_.ledger.summarize();
    return *ledger_;
  }

 private:
  bool msg_ok(int message, const std::string& msgid) const {
    if (message == 0) return true;
    auto ids = run_.message_ids(message);
    return std::find(ids.begin(), ids.end(), msgid) != ids.end();
  }

  // dsn_about - whether the notification with Message-ID dsn_msgid reports on send entry `message`.
  bool dsn_about(int message, const std::string& dsn_msgid) const {
    for (const DsnLink& l : w_.ledger.dsn_links())
      if (l.dsn_msgid == dsn_msgid && msg_ok(message, l.original.msgid)) return true;
    return false;
  }

  // last_word - what became of (message, rcpt) when it was not delivered: the last queue line.
  std::string last_word(const Expectation& x) const {
    std::string last;
    for (const TraceEvent& e : w_.trace.events())
      if (e.kind == TraceKind::Queue && ieq(e.rcpt, x.rcpt) && msg_ok(x.message, e.msg))
        last = "[" + format_time(e.time) + "] " + e.host + " " + e.text;
    return last.empty() ? "no MTA ever queued it" : "last queue event: " + last;
  }

  void delivered(const Expectation& x, ExpectResult& r) {
    const TraceEvent* hit = nullptr;
    const TraceEvent* outside = nullptr;
    for (const TraceEvent& e : w_.trace.events()) {
      if (e.kind != TraceKind::Delivery || !ieq(e.rcpt, x.rcpt) || !msg_ok(x.message, e.msg)) continue;
      if (!x.host.empty() && !ieq(x.host, e.host)) continue;
      if (x.window.contains(e.time)) { hit = &e; break; }
      if (!outside) outside = &e;
    }
    if (x.kind == Expectation::Kind::Delivered) {
      r.pass = hit != nullptr;
      if (hit) r.detail = "delivered at " + format_time(hit->time) + " by " + hit->host;
      else if (outside) r.detail = "delivered, but at " + format_time(outside->time) + ", outside " + x.window.to_string();
      else r.detail = "never delivered; " + last_word(x);
    } else {
      r.pass = hit == nullptr;
      r.detail = hit ? "delivered at " + format_time(hit->time) + " by " + hit->host : "not delivered";
    }
  }

  void dsn(const Expectation& x, ExpectResult& r) {
    const std::string action = x.kind == Expectation::Kind::Bounced ? "failed" : "delayed";
    std::string seen;
    for (const DsnLink& l : w_.ledger.dsn_links()) {
      if (l.action != action || !ieq(l.original.rcpt, x.rcpt) || !msg_ok(x.message, l.original.msgid)) continue;
      if (!status_matches(x.status, l.status)) {
        seen = "a notification with status " + l.status + " (expected " + x.status + ")";
        continue;
      }
      std::string to = x.dsn_to.empty() ? l.to : x.dsn_to;
      for (const TraceEvent& e : w_.trace.events()) {
        if (e.kind != TraceKind::Delivery || e.msg != l.dsn_msgid || !ieq(e.rcpt, to)) continue;
        if (x.window.contains(e.time)) {
          r.pass = true;
          r.detail = "notification (" + action + ", " + l.status + ") made by " + l.host + " at " + format_time(l.at) +
                     ", in " + to + "'s mailbox at " + format_time(e.time);
          return;
        }
        seen = "the notification reached " + to + " at " + format_time(e.time) + ", outside " + x.window.to_string();
      }
      if (seen.empty()) seen = "a notification was made by " + l.host + " at " + format_time(l.at) + " but never reached " + to;
    }
    r.pass = false;
    r.detail = seen.empty() ? "no " + action + " notification about " + x.rcpt + " was made; " + last_word(x) : seen;
  }

  void replies(const Expectation& x, ExpectResult& r) {
    std::int64_t n = 0;
    SimTime first = -1;
    const auto& ev = w_.trace.events();
    for (std::size_t i = 0; i < ev.size(); ++i) {
      const TraceEvent& e = ev[i];
      if (e.kind != TraceKind::Reply || !is_final_reply_line(e) || !x.window.contains(e.time)) continue;
      if (x.code && e.code != x.code) continue;
      if (x.code_class && e.code / 100 != x.code_class) continue;
      if (!x.host.empty() && !ieq(x.host, e.host)) continue;
      if (!x.peer.empty() && !ieq(x.peer, e.peer)) continue;
      if (!x.command.empty() && answered_[i] != x.command) continue;
      if (first < 0) first = e.time;
      ++n;
    }
    if (x.kind == Expectation::Kind::NoReply) {
      r.pass = n == 0;
      r.detail = n == 0 ? "never seen" : "seen " + std::to_string(n) + " time(s), first at " + format_time(first);
    } else {
      r.pass = x.count.matches(n);
      r.detail = "seen " + std::to_string(n) + " time(s)" + (first >= 0 ? ", first at " + format_time(first) : "") +
                 "; expected " + x.count.to_string();
    }
  }

  void attempts(const Expectation& x, ExpectResult& r) {
    std::int64_t n = 0;
    std::vector<std::string> times;
    for (const TraceEvent& e : w_.trace.events()) {
      if (e.kind != TraceKind::Queue || !msg_ok(x.message, e.msg)) continue;
      if (!x.rcpt.empty() && !ieq(x.rcpt, e.rcpt)) continue;
      if (!x.host.empty() && !ieq(x.host, e.host)) continue;
      if (!x.window.contains(e.time)) continue;
      auto p = e.text.find(": attempt ");
      if (p == std::string::npos) continue;
      ++n;
      if (times.size() < 24) times.push_back(format_time(e.time).substr(0, 8));
    }
    r.pass = x.count.matches(n);
    std::string t;
    for (const auto& s : times) t += (t.empty() ? "" : " ") + s;
    r.detail = std::to_string(n) + " attempt(s)" + (t.empty() ? "" : " at " + t) + "; expected " + x.count.to_string();
  }

  void fetched(const Expectation& x, ExpectResult& r) {
    Mua* mua = w_.mua(x.mua);
    if (!mua) { r.detail = "no mail client " + x.mua; return; }
    for (const FetchedMessage& f : mua->inbox()) {
      // With `message`, the notification about that message counts too: a sender fetching its
      // bounce is how a lesson shows that the DSN arrived.
      if (!msg_ok(x.message, f.message_id) && !(x.message != 0 && f.is_dsn && dsn_about(x.message, f.message_id)))
        continue;
      if (x.message == 0 && f.is_dsn) continue;
      SimTime delivered = -1;
      for (const TraceEvent& e : w_.trace.events())
        if (e.kind == TraceKind::Delivery && e.msg == f.message_id) { delivered = e.time; break; }
      if (x.within == kNever || (delivered >= 0 && f.at - delivered <= x.within)) {
        r.pass = true;
        r.detail = std::string(f.is_dsn ? "fetched the notification \"" : "fetched \"") + f.subject + "\" at " + format_time(f.at) +
                   (delivered >= 0 ? ", " + format_duration(f.at - delivered) + " after delivery" : "");
        return;
      }
      r.detail = "fetched at " + format_time(f.at) + ", " + format_duration(f.at - delivered) + " after delivery (too late)";
    }
    if (r.detail.empty())
      r.detail = x.mua + " fetched " + std::to_string(mua->inbox().size()) + " message(s) in " +
                 std::to_string(mua->fetch_sessions()) + " POP3 session(s), not this one";
  }

  void count(const Expectation& x, ExpectResult& r, std::int64_t n, const char* what) {
    r.pass = x.count.matches(n);
    r.detail = std::to_string(n) + " " + what + "; expected " + x.count.to_string();
    if (!r.pass)
      for (const auto& p : ledger().problems) r.detail += "\n    " + p;
  }

  void queued(const Expectation& x, ExpectResult& r) {
    std::int64_t n = 0;
    for (const auto& m : w_.mtas())
      if (x.host.empty() || ieq(x.host, m->name())) n += std::int64_t(m->queue_depth());
    r.pass = x.count.matches(n);
    r.detail = std::to_string(n) + " message(s) still queued" + (x.host.empty() ? "" : " on " + x.host) +
               "; expected " + x.count.to_string();
  }

  void tls(const Expectation& x, ExpectResult& r) {
    std::int64_t n = 0;
    std::string version;
    for (const TraceEvent& e : w_.trace.events()) {
      if (e.kind != TraceKind::Tls || e.text.rfind("done", 0) != 0) continue;
      bool ends = (x.host.empty() || ieq(x.host, e.host) || ieq(x.host, e.peer)) &&
                  (x.peer.empty() || ieq(x.peer, e.host) || ieq(x.peer, e.peer));
      if (!ends || !x.window.contains(e.time)) continue;
      if (!x.tls_version.empty() && e.text.find(x.tls_version) == std::string::npos) continue;
      ++n;
      version = e.text.substr(5);
    }
    n /= 2;  // both ends report a finished handshake
    r.pass = x.tls_used ? n > 0 : n == 0;
    r.detail = n ? std::to_string(n) + " TLS session(s) (" + version + ")" : "no TLS session";
  }

  ScenarioRun& run_;
  World& w_;
  std::vector<std::string> answered_;
  std::optional<LedgerSummary> ledger_;
};

RunReport ScenarioRun::finish() {
  RunReport rep;
  World& w = world();
  rep.file = spec_.file;
  rep.title = spec_.lesson.title;
  rep.seed = opts_.seed.value_or(spec_.seed);
  rep.end = w.sched.now();
  rep.events = w.trace.count();
  rep.trace_hash = w.trace.hash_hex();
  for (const auto& m : w.muas())
    for (const auto& o : m->outbox()) rep.submitted += o.state == OutboxEntry::State::Sent;
  ExpectationChecker c(*this);
  rep.ledger = c.ledger();
  for (const Expectation& x : spec_.expectations) {
    ExpectResult r = c.check(x);
    (r.pass ? rep.passed : rep.failed)++;
    rep.expectations.push_back(std::move(r));
  }
  return rep;
}

}  // namespace smtpsim::scenario
