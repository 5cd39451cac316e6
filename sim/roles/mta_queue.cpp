// mta_queue.cpp - the queue manager: per-recipient states, destinations, the retry clock, expiry.
#include <algorithm>

#include "sim/roles/mta_host.hpp"
#include "sim/core/ascii.hpp"

namespace smtpsim {

const char* to_string(RcptState s) {
  switch (s) {
    case RcptState::Queued: return "queued";
    case RcptState::InFlight: return "in flight";
    case RcptState::Deferred: return "deferred";
    case RcptState::Delivered: return "delivered";
    case RcptState::Bounced: return "bounced";
  }
  return "?";
}

namespace {
std::string domain_of(const std::string& addr) {
  auto at = addr.rfind('@');
  std::string d = at == std::string::npos ? std::string() : addr.substr(at + 1);
  for (char& c : d) c = ascii_lower(c);
  return d;
}
}  // namespace

// destination_of - the next-hop key a recipient is queued under ("local", "relay:H", "mx:D").
std::string MtaHost::destination_of(const std::string& rcpt) const {
  std::string d = domain_of(rcpt);
  if (is_local_domain(d)) return "local";
  auto t = cfg_.transport.find(d);
  if (t != cfg_.transport.end()) return "relay:" + t->second;
  if (!cfg_.relay_to.empty()) return "relay:" + cfg_.relay_to;
  return "mx:" + d;
}

// queue_event - one Queue trace event. An attempt is one delivery try of the message to the recipient
// at one scheduled time (which may contact several MX hosts): `attempt` counts them (r.retry.attempts),
// and so does `code`, for older readers. The give-up deadline is given while the MTA still holds it.
void MtaHost::queue_event(const QueueEntry& e, const QueueRcpt& r, QueueState state,
                          std::initializer_list<std::string_view> text, SimTime next_at) {
  std::string& line = queue_line_;  // reused: its capacity stays, so a line costs no allocation
  line.clear();
  line.append(e.qid).append(": ");
  for (std::string_view part : text) line.append(part);
  TraceView ev;
  ev.time = ctx_.sched.now();
  ev.kind = TraceKind::Queue;
  ev.host = cfg_.name;
  ev.msg = e.msgid;
  ev.rcpt = r.address;
  ev.code = r.retry.attempts;
  ev.text = line;
  ev.state = state;
  ev.attempt = r.retry.attempts;
  ev.next_attempt_us = next_at;
  const bool held = state == QueueState::Queued || state == QueueState::Attempt || state == QueueState::Deferred ||
                    state == QueueState::Warned;
  if (held) ev.give_up_us = e.arrival + cfg_.retry.give_up_after;
  ctx_.trace.emit_view(ev);
}

void MtaHost::schedule_item(const std::string& qid, std::size_t r, SimTime at) {
  auto it = spool_.find(qid);
  if (it == spool_.end()) return;
  it->second.rcpts[r].next_at = at;
  due_.push(at, qid, r);
  kick();
}

// kick - keep one scheduler event at the earliest due recipient.
void MtaHost::kick() {
  if (!ctx_.net.host_up(host_)) return;
  SimTime earliest = due_.empty() ? kNever : std::max(due_.earliest(), ctx_.sched.now());
  if (earliest == queue_timer_at_ && ctx_.sched.is_pending(queue_timer_)) return;
  if (queue_timer_) ctx_.sched.cancel(queue_timer_);
  queue_timer_ = {};
  queue_timer_at_ = earliest;
  if (earliest == kNever) return;
  queue_timer_ = ctx_.sched.schedule_at(earliest, [this, alive = alive_] {
    if (!*alive) return;
    queue_timer_ = {};
    queue_timer_at_ = kNever;
    run_queue();
  });
}

// run_queue - start attempts for every due recipient, grouped by destination and message.
void MtaHost::run_queue() {
  const SimTime now = ctx_.sched.now();
  std::map<std::string, std::vector<Item>> batches;
  while (!due_.empty() && due_.earliest() <= now) {
    auto [t, qid, r] = due_.pop();
    auto e = spool_.find(qid);
    bool valid = e != spool_.end() && r < e->second.rcpts.size() && e->second.rcpts[r].next_at == t &&
                 (e->second.rcpts[r].state == RcptState::Queued || e->second.rcpts[r].state == RcptState::Deferred);
    if (valid) batches[destination_of(e->second.rcpts[r].address)].push_back({std::move(qid), r});
  }
  for (auto& [dest, items] : batches) {
    for (auto& c : connections_for(std::move(items))) {
      if (dest != "local" && inflight_[dest] >= std::max(1, cfg_.max_per_destination)) {
        // Concurrency limit reached: these wait until a connection to dest finishes.
        for (const Item& it : c) {
          auto e = spool_.find(it.qid);
          if (e != spool_.end()) e->second.rcpts[it.rcpt].next_at = kNever;
          waiting_[dest].push_back(it);
        }
        continue;
      }
      start_attempt(dest, std::move(c));
    }
  }
  kick();
}

// connections_for - one destination's due recipients grouped by message, in connections of up to
// max_messages_per_connection messages each (messages in the order they first appear).
std::vector<std::vector<MtaHost::Item>> MtaHost::connections_for(std::vector<Item> items) const {
  std::vector<std::vector<Item>> conns;
  if (items.size() == 1) {  // the common case: nothing to group
    conns.push_back(std::move(items));
    return conns;
  }
  std::map<std::string, std::size_t> msg_conn;
  std::size_t msgs_in_last = 0;
  for (const Item& it : items) {
    auto m = msg_conn.find(it.qid);
    if (m == msg_conn.end()) {
      if (conns.empty() || msgs_in_last >= std::size_t(std::max(1, cfg_.max_messages_per_connection))) {
        conns.emplace_back();
        msgs_in_last = 0;
      }
      msg_conn[it.qid] = conns.size() - 1;
      ++msgs_in_last;
      conns.back().push_back(it);
    } else {
      conns[m->second].push_back(it);
    }
  }
  return conns;
}

// release_waiting - a connection to dest finished: as many of its waiting recipients as the free
// connections can carry (max_messages_per_connection messages each, oldest first) are due now;
// the rest keep waiting for the next free connection. Releasing all of them would reschedule a
// long queue to a slow destination on every finished connection.
void MtaHost::release_waiting(const std::string& dest) {
  auto w = waiting_.find(dest);
  if (w == waiting_.end()) return;
  std::deque<Item>& all = w->second;
  auto busy = inflight_.find(dest);
  const int free_conns = std::max(1, std::max(1, cfg_.max_per_destination) - (busy == inflight_.end() ? 0 : busy->second));
  const std::size_t max_msgs = std::size_t(std::max(1, cfg_.max_messages_per_connection)) * std::size_t(free_conns);
  std::vector<std::string_view> msgs;  // distinct messages taken so far
  std::size_t n = 0;
  for (; n < all.size(); ++n) {
    if (std::find(msgs.begin(), msgs.end(), all[n].qid) != msgs.end()) continue;
    if (msgs.size() == max_msgs) break;
    msgs.push_back(all[n].qid);
  }
  std::vector<Item> items(std::make_move_iterator(all.begin()), std::make_move_iterator(all.begin() + std::ptrdiff_t(n)));
  all.erase(all.begin(), all.begin() + std::ptrdiff_t(n));
  if (all.empty()) waiting_.erase(w);
  for (const Item& it : items) {
    auto e = spool_.find(it.qid);
    if (e == spool_.end()) continue;
    QueueRcpt& r = e->second.rcpts[it.rcpt];
    if (r.state == RcptState::Queued || r.state == RcptState::Deferred) schedule_item(it.qid, it.rcpt, ctx_.sched.now());
  }
}

// apply_delivered - the next hop took the recipient with a 250: it leaves our custody.
void MtaHost::apply_delivered(const Item& it, std::string reply, const std::string& host) {
  auto e = spool_.find(it.qid);
  if (e == spool_.end()) return;
  QueueRcpt& r = e->second.rcpts[it.rcpt];
  r.state = RcptState::Delivered;
  r.last_host = host;
  ++delivered_out_;
  queue_event(e->second, r, QueueState::Sent, {"sent to ", r.address, " via ", host, ": ", reply});
  r.last_reply = std::move(reply);
  ctx_.ledger.released({e->second.msgid, r.address}, cfg_.name, e->second.qid);
  finish_if_done(e);
}

void MtaHost::apply_failed(const Item& it, const std::string& reply, const std::string& host, int,
                           const std::string&) {
  auto e = spool_.find(it.qid);
  if (e == spool_.end()) return;
  QueueRcpt& r = e->second.rcpts[it.rcpt];
  r.last_reply = reply;
  r.last_host = host;
  notices_.failed[it.qid].push_back(it.rcpt);
}

void MtaHost::apply_deferred(const Item& it, const std::string& reply, const std::string& host, SimTime attempt_start) {
  auto e = spool_.find(it.qid);
  if (e == spool_.end()) return;
  QueueEntry& q = e->second;
  QueueRcpt& r = q.rcpts[it.rcpt];
  const SimTime now = ctx_.sched.now();
  r.state = RcptState::Deferred;
  r.last_reply = reply;
  r.last_host = host;
  const std::string_view open_host = host.empty() ? "" : " (", close_host = host.empty() ? "" : ")";  // " (host)"
  const SimTime give_up_at = q.arrival + cfg_.retry.give_up_after;
  auto next = next_attempt(cfg_.retry, q.arrival, cfg_.retry.from_start ? attempt_start : now, r.retry);
  if (!next || now >= give_up_at) {
    if (now >= give_up_at) {
      queue_event(q, r, QueueState::Deferred, {"deferred: ", reply, open_host, host, close_host, "; time is up"});
      r.next_at = kNever;
      notices_.expired[it.qid].push_back(it.rcpt);
      return;
    }
    r.next_at = kNever;
    queue_event(q, r, QueueState::Deferred, {"deferred: ", reply, open_host, host, close_host,
                       "; no retry left before the deadline, giving up at ", format_time(give_up_at)});
    if (!ctx_.sched.is_pending(q.expiry)) {
      std::string qid = q.qid;
      q.expiry = ctx_.sched.schedule_at(give_up_at, [this, alive = alive_, qid] { if (*alive) expire(qid); });
    }
  } else {
    queue_event(q, r, QueueState::Deferred, {"deferred: ", reply, open_host, host, close_host, "; next attempt at ",
                       format_time(*next), " (in ", format_duration(*next - now), ")"}, *next);
    schedule_item(q.qid, it.rcpt, *next);
  }
  if (cfg_.retry.warn_after && !r.warned && now - q.arrival >= *cfg_.retry.warn_after && !q.is_dsn &&
      !q.sender.empty() && (r.notify == 0 || (r.notify & smtp::kNotifyDelay))) {
    r.warned = true;
    notices_.delayed[q.qid].push_back(it.rcpt);
  }
}

// expire - the give-up deadline passed: bounce every recipient still waiting.
void MtaHost::expire(const std::string& qid) {
  auto e = spool_.find(qid);
  if (e == spool_.end()) return;
  e->second.expiry = {};
  std::vector<std::size_t> rs;
  for (std::size_t i = 0; i < e->second.rcpts.size(); ++i) {
    const QueueRcpt& r = e->second.rcpts[i];
    if (r.state == RcptState::Queued || r.state == RcptState::Deferred) rs.push_back(i);
  }
  if (!rs.empty()) bounce(qid, rs, true);
}

// flush_notices - send what the attempt that just ended found: per message one bounce for the
// recipients that failed, one for those whose time ran out, one delay warning for the late ones.
void MtaHost::flush_notices() {
  Notices n = std::move(notices_);
  notices_ = {};
  for (auto& [qid, rs] : n.failed) bounce(qid, rs, false);
  for (auto& [qid, rs] : n.expired) bounce(qid, rs, true);
  for (auto& [qid, rs] : n.delayed) {
    // A recipient that ended in the same attempt needs no warning any more.
    auto e = spool_.find(qid);
    if (e == spool_.end()) continue;
    std::vector<std::size_t> late;
    for (std::size_t i : rs)
      if (e->second.rcpts[i].state == RcptState::Queued || e->second.rcpts[i].state == RcptState::Deferred)
        late.push_back(i);
    if (!late.empty()) warn_delay(qid, late);
  }
}

// maybe_finish - drop message qid from the spool once every recipient is delivered or bounced.
void MtaHost::maybe_finish(const std::string& qid) {
  auto e = spool_.find(qid);
  if (e != spool_.end()) finish_if_done(e);
}

// finish_if_done - maybe_finish for an entry already looked up (e must be valid).
void MtaHost::finish_if_done(Spool::iterator e) {
  for (const QueueRcpt& r : e->second.rcpts)
    if (r.state != RcptState::Delivered && r.state != RcptState::Bounced) return;
  if (e->second.expiry) ctx_.sched.cancel(e->second.expiry);
  spool_.erase(e);
}

std::size_t MtaHost::queue_depth() const { return spool_.size(); }

std::vector<std::string> MtaHost::spool_ids() const {
  std::vector<std::string> ids;
  ids.reserve(spool_.size());
  for (const auto& kv : spool_) ids.push_back(kv.first);
  std::sort(ids.begin(), ids.end());
  return ids;
}

QueueSnapshot MtaHost::snapshot() const {
  QueueSnapshot s;
  s.host = cfg_.name;
  s.active_connections = attempts_.size();
  for (const std::string& qid : spool_ids()) {
    const QueueEntry& e = spool_.at(qid);
    for (const QueueRcpt& r : e.rcpts) {
      QueueSnapshot::Line l;
      l.qid = qid;
      l.msgid = e.msgid;
      l.sender = e.sender.empty() ? "<>" : e.sender;
      l.rcpt = r.address;
      l.state = to_string(r.state);
      l.last_reply = r.last_reply;
      l.destination = destination_of(r.address);
      l.attempts = r.retry.attempts;
      l.arrival = e.arrival;
      l.next_at = r.next_at;
      l.give_up_at = e.arrival + cfg_.retry.give_up_after;
      s.lines.push_back(std::move(l));
    }
  }
  return s;
}

}  // namespace smtpsim
