// scenario_check.cpp - each expectation checked against what the run's evidence collector saw
// (scenario_evidence.hpp: works with trace recording off), the mailboxes, the clients' inboxes and
// the ledger, with the evidence (or its absence) in words: after the run (finish), and while it
// goes on (verdicts: decided as soon as what happened settles it, by the same rules). A negative
// check (not delivered, no reply, no TLS) passes only when the thing it watches took place at all.
#include <algorithm>
#include <optional>
#include <set>

#include "sim/scenario/scenario_evidence.hpp"
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
  ExpectationChecker(ScenarioRun& r, const ExpectationEvidence& ev) : run_(r), w_(r.world()), ev_(ev) {}

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

  // decided - x's verdict when what happened by `now` settles it for good (nullopt: still open),
  // from the same check as finish(): a count that only grows has passed "at least" or failed "at
  // most"/"exactly"; a thing seen in the window (a delivery, a notification, a fetch, TLS) stays
  // seen; a window that has ended (now past its end) settles what it watched; the end state (lost,
  // duplicates, queued) and a negative that has not ended waits for finish().
  std::optional<ExpectResult> decided(const Expectation& x, SimTime now) {
    using K = Expectation::Kind;
    if (x.kind == K::Lost || x.kind == K::Duplicates || x.kind == K::Queued) return std::nullopt;
    counted_ = 0;
    hit_ = false;
    ExpectResult r = check(x);
    const bool closed = now > x.window.to;
    bool settled = false;
    switch (x.kind) {
      case K::Delivered: case K::Bounced: case K::Warned: settled = r.pass || closed; break;
      case K::FetchedBy: settled = r.pass; break;  // `within` counts from the delivery, not a window
      case K::NotDelivered: settled = hit_ || (closed && r.pass); break;  // unsubmitted: maybe later
      case K::Reply: case K::Attempts:
        settled = closed || (x.count.op == CountCheck::Op::AtLeast ? r.pass : counted_ > x.count.n);
        break;
      case K::NoReply: case K::Tls: settled = closed || counted_ > 0; break;  // seen once: for good
      default: break;
    }
    if (!settled) return std::nullopt;
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
    for (const TraceEvent& e : ev_.events())
      if (e.kind == TraceKind::Queue && ieq(e.rcpt, x.rcpt) && msg_ok(x.message, e.msg))
        last = "[" + format_time(e.time) + "] " + e.host + " " + e.text;
    return last.empty() ? "no MTA ever queued it" : "last queue event: " + last;
  }

  void delivered(const Expectation& x, ExpectResult& r) {
    const TraceEvent* hit = nullptr;
    const TraceEvent* outside = nullptr;
    for (const TraceEvent& e : ev_.events()) {
      if (e.kind != TraceKind::Delivery || !ieq(e.rcpt, x.rcpt) || !msg_ok(x.message, e.msg)) continue;
      if (!x.host.empty() && !ieq(x.host, e.host)) continue;
      if (x.window.contains(e.time)) { hit = &e; break; }
      if (!outside) outside = &e;
    }
    hit_ = hit != nullptr;
    if (x.kind == Expectation::Kind::Delivered) {
      r.pass = hit != nullptr;
      if (hit) r.detail = "delivered at " + format_time(hit->time) + " by " + hit->host;
      else if (outside) r.detail = "delivered, but at " + format_time(outside->time) + ", outside " + x.window.to_string();
      else r.detail = "never delivered; " + last_word(x);
    } else if (hit) {
      r.detail = "delivered at " + format_time(hit->time) + " by " + hit->host;
    } else if (std::string why; !submitted(x, why)) {
      // Not delivered proves nothing when the message never entered the mail system.
      r.detail = "nothing was submitted: " + why;
    } else {
      r.pass = true;
      r.detail = "handed to a server, not delivered" + (x.window.whole_run() ? std::string() : " " + x.window.to_string()) +
                 "; " + last_word(x);
    }
  }

  // submitted - (message, rcpt) was handed to a server: an MTA accepted it (the ledger knows the
  // pair), or its client offered it in an SMTP session (refused or not). why: what happened instead.
  bool submitted(const Expectation& x, std::string& why) {
    for (const LedgerLine& l : ledger().lines)
      if (!l.is_dsn && ieq(l.key.rcpt, x.rcpt) && msg_ok(x.message, l.key.msgid)) return true;
    const std::string what = (x.message ? "message " + std::to_string(x.message) : std::string("no message")) +
                             " for " + x.rcpt;
    why = what + " never reached a server";
    for (const auto& m : w_.muas())
      for (const OutboxEntry& o : m->outbox()) {
        if (!msg_ok(x.message, o.message_id)) continue;
        bool to_rcpt = std::any_of(o.msg.recipients.begin(), o.msg.recipients.end(),
                                   [&](const auto& rc) { return ieq(rc.address, x.rcpt); });
        if (!to_rcpt) continue;
        if (o.tries > 0 && o.last_reply.rfind("connect: ", 0) != 0) return true;  // offered in a session
        why = what + ": " + m->name() + " never got it to its submission server (" +
              (o.tries == 0 ? std::string("not tried") : std::to_string(o.tries) + " tries, last " + o.last_reply) + ")";
      }
    return false;
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
      for (const TraceEvent& e : ev_.events()) {
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
    std::int64_t exchanged = 0;  // final reply lines between the watched ends in the window, any kind
    std::int64_t tried = 0;      // connections opened (first SYN sent) to the watched server: said, not evidence
    SimTime first = -1;
    const auto& ev = ev_.events();
    for (std::size_t i = 0; i < ev.size(); ++i) {
      const TraceEvent& e = ev[i];
      if (e.kind == TraceKind::ConnOpen && e.code == 0 && x.window.contains(e.time) && (x.host.empty() || ieq(x.host, e.peer)) &&
          (x.peer.empty() || ieq(x.peer, e.host)))
        ++tried;
      if (e.kind != TraceKind::Reply || !x.window.contains(e.time)) continue;
      if (!x.host.empty() && !ieq(x.host, e.host)) continue;
      if (!x.peer.empty() && !ieq(x.peer, e.peer)) continue;
      ++exchanged;
      if (x.code && e.code != x.code) continue;
      if (x.code_class && e.code / 100 != x.code_class) continue;
      if (!x.command.empty() && ev_.answered(i) != x.command) continue;
      if (first < 0) first = e.time;
      ++n;
    }
    counted_ = n;
    if (x.kind == Expectation::Kind::NoReply) {
      // Evidence: the server said something on these sessions (a SYN nobody answered is no session).
      r.pass = n == 0 && exchanged > 0;
      if (n > 0) {
        r.detail = "seen " + std::to_string(n) + " time(s), first at " + format_time(first);
      } else if (!r.pass) {
        r.detail = "nothing was exchanged: no reply at all" + ends_text(x.host, x.peer) +
                   (x.window.whole_run() ? std::string() : " " + x.window.to_string()) +
                   (tried ? " (" + std::to_string(tried) + " connection(s) opened, none answered)" : std::string()) +
                   ", so its absence proves nothing";
      } else {
        r.detail = "never seen in " + std::to_string(exchanged) + " reply line(s)" + ends_text(x.host, x.peer);
      }
    } else {
      r.pass = x.count.matches(n);
      r.detail = "seen " + std::to_string(n) + " time(s)" + (first >= 0 ? ", first at " + format_time(first) : "") +
                 "; expected " + x.count.to_string();
    }
  }

  // attempts - attempts counted as the queue events count them (one try at one scheduled time, per
  // MTA); the evidence names each MTA with its own attempt numbers, so it reads like its queue lines.
  void attempts(const Expectation& x, ExpectResult& r) {
    std::int64_t n = 0;
    std::vector<std::pair<std::string, std::string>> per_host;  // host, "#1 00:01:00, #2 00:16:00"
    for (const TraceEvent& e : ev_.events()) {
      if (e.kind != TraceKind::Queue || e.state != QueueState::Attempt || !msg_ok(x.message, e.msg)) continue;
      if (!x.rcpt.empty() && !ieq(x.rcpt, e.rcpt)) continue;
      if (!x.host.empty() && !ieq(x.host, e.host)) continue;
      if (!x.window.contains(e.time)) continue;
      ++n;
      auto h = std::find_if(per_host.begin(), per_host.end(), [&](const auto& p) { return p.first == e.host; });
      if (h == per_host.end()) h = per_host.insert(per_host.end(), {e.host, ""});
      if (n <= 24) h->second += (h->second.empty() ? "#" : ", #") + std::to_string(e.attempt) + " " + format_time(e.time).substr(0, 8);
    }
    counted_ = n;
    r.pass = x.count.matches(n);
    std::string t;
    for (const auto& [host, list] : per_host) t += (t.empty() ? ": " : "; ") + host + " " + list;
    r.detail = std::to_string(n) + " attempt(s)" + t + "; expected " + x.count.to_string();
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
      for (const TraceEvent& e : ev_.events())
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

  // tls - sessions between the ends (accepted connections) and those of them that finished a TLS
  // handshake, counted per connection (both ends report one handshake).
  void tls(const Expectation& x, ExpectResult& r) {
    auto ends = [&](const TraceEvent& e) {
      return (x.host.empty() || ieq(x.host, e.host) || ieq(x.host, e.peer)) &&
             (x.peer.empty() || ieq(x.peer, e.host) || ieq(x.peer, e.peer));
    };
    std::set<std::uint64_t> sessions, secured;
    std::string version;
    for (const TraceEvent& e : ev_.events()) {
      if (!ends(e) || !x.window.contains(e.time)) continue;
      if (e.kind == TraceKind::ConnAccept) sessions.insert(e.conn);
      if (e.kind != TraceKind::Tls || e.text.rfind("done", 0) != 0) continue;
      if (!x.tls_version.empty() && e.text.find(x.tls_version) == std::string::npos) continue;
      secured.insert(e.conn);
      version = e.text.substr(5);
    }
    for (std::uint64_t c : secured) sessions.insert(c);  // a session accepted before the window
    const std::size_t n = secured.size();
    counted_ = std::int64_t(n);
    const std::string of = " of " + std::to_string(sessions.size()) + " session(s)" + ends_text(x.host, x.peer);
    if (x.tls_used) {
      r.pass = n > 0;
      r.detail = n ? std::to_string(n) + " TLS session(s) (" + version + ")" + of : "no TLS session" + of;
    } else if (sessions.empty()) {
      r.detail = "no session at all" + ends_text(x.host, x.peer) + ", so the absence of TLS proves nothing";
    } else {
      r.pass = n == 0;
      r.detail = n ? std::to_string(n) + " TLS session(s) (" + version + ")" + of : "no TLS in " + of.substr(4);
    }
  }

  // ends_text - " between H and P" / " from H" / " to P" / "" for the detail lines.
  static std::string ends_text(const std::string& host, const std::string& peer) {
    if (!host.empty() && !peer.empty()) return " between " + host + " and " + peer;
    if (!host.empty()) return " from " + host;
    if (!peer.empty()) return " to " + peer;
    return "";
  }

  ScenarioRun& run_;
  World& w_;
  const ExpectationEvidence& ev_;
  std::optional<LedgerSummary> ledger_;
  std::int64_t counted_ = 0;  // what the last check counted (replies, attempts, TLS sessions)
  bool hit_ = false;          // the last delivered check found a delivery in the window
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
  ExpectationEvidence none(w.trace);  // a run built without expectations: nothing to read
  ExpectationChecker c(*this, evidence_ ? *evidence_ : none);
  rep.ledger = c.ledger();
  for (const Expectation& x : spec_.expectations) {
    ExpectResult r = c.check(x);
    (r.pass ? rep.passed : rep.failed)++;
    rep.expectations.push_back(std::move(r));
  }
  return rep;
}

// verdicts - the pending expectations looked at again when the trace has grown or a window has
// ended since the last call; a decided one keeps its verdict and the time it was decided.
const std::vector<ExpectVerdict>& ScenarioRun::verdicts() {
  if (verdicts_.size() != spec_.expectations.size()) {
    verdicts_.assign(spec_.expectations.size(), ExpectVerdict{});
    for (std::size_t i = 0; i < verdicts_.size(); ++i) verdicts_[i].result.expectation = spec_.expectations[i];
  }
  if (!evidence_) return verdicts_;
  const SimTime t = now();
  const std::uint64_t events = world().trace.count();
  if (events == verdicts_events_ && t <= verdicts_close_) return verdicts_;
  verdicts_events_ = events;
  verdicts_close_ = kNever;
  ExpectationChecker c(*this, *evidence_);
  for (std::size_t i = 0; i < verdicts_.size(); ++i) {
    ExpectVerdict& v = verdicts_[i];
    if (v.status != ExpectVerdict::Status::Pending) continue;
    const Expectation& x = spec_.expectations[i];
    if (std::optional<ExpectResult> r = c.decided(x, t)) {
      v.status = r->pass ? ExpectVerdict::Status::Pass : ExpectVerdict::Status::Fail;
      v.at = t;
      v.result = std::move(*r);
    } else if (x.window.to >= t) {
      verdicts_close_ = std::min(verdicts_close_, x.window.to);
    }
  }
  return verdicts_;
}

}  // namespace smtpsim::scenario
