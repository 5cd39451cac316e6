// mta_deliver.cpp - delivery attempts: route lookup, connecting to MX hosts in order, the SMTP
// client session with several messages per connection, and applying each recipient's outcome.
#include <algorithm>

#include "sim/roles/mta_host.hpp"
#include "sim/roles/role_conn.hpp"

namespace smtpsim {


namespace {
// reply_text - one line for a recipient's outcome: "550 5.1.1 <b@x>: User unknown", or the
// client's own finding "4.4.2 lost connection with host ..." (its line already starts with the
// enhanced code, so it is not written twice).
std::string reply_text(const smtp::RecipientResult& r) { return r.reply.summary(); }
// after_end_of_data - the connection died or timed out after the final "." went out.
bool after_end_of_data(const smtp::RecipientResult& r) {
  if (r.outcome != smtp::Outcome::Deferred || r.reply.code != 0) return false;
  if (r.stage != smtp::Stage::ConnectionLost && r.stage != smtp::Stage::Timeout && r.stage != smtp::Stage::EndOfData)
    return false;
  return r.reply.text().find("end of data") != std::string::npos;
}

// first_reply_text - the first recipient's reply line that is not empty ("" when none is).
std::string first_reply_text(const std::vector<smtp::MessageResult>& results) {
  for (const auto& m : results)
    for (const auto& r : m.recipients)
      if (std::string text = reply_text(r); !text.empty()) return text;
  return {};
}

// for_each_outcome - f(k, r) for each recipient result r of message m, paired with items[k], the
// attempt's items of the same message taken in order (the order their recipients were enqueued).
template <class Items, class F>
void for_each_outcome(const Items& items, const smtp::MessageResult& m, F&& f) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < items.size() && i < m.recipients.size(); ++k)
    if (items[k].qid == m.id) f(k, m.recipients[i++]);
}

// trace_delivery - the Delivery trace line of a recipient the MDA stored in its mailbox.
void trace_delivery(const WorldContext& ctx, const std::string& host, const QueueEntry& e, const QueueRcpt& r,
                    const mail::DeliveryResult& d) {
  std::string text;
  text.reserve(d.mailbox.size() + d.id.size() + 32);
  text.append("delivered to mailbox ").append(d.mailbox).append(" (uid ").append(d.id).append(")");
  TraceView ev;
  ev.time = ctx.sched.now();
  ev.kind = TraceKind::Delivery;
  ev.host = host;
  ev.text = text;
  ev.msg = e.msgid;
  ev.rcpt = r.address;
  ctx.trace.emit_view(ev);
}
}  // namespace

void MtaHost::start_attempt(const std::string& dest, std::vector<Item> items) {
  auto a = std::make_shared<Attempt>();
  a->dest = dest;
  a->items = std::move(items);
  a->generation = generation_;
  a->started = ctx_.sched.now();
  a->id = next_attempt_id_++;
  attempts_.emplace(a->id, a);
  inflight_[dest]++;
  for (const Item& it : a->items) {
    QueueEntry& e = spool_.at(it.qid);
    QueueRcpt& r = e.rcpts[it.rcpt];
    r.state = RcptState::InFlight;
    r.retry.attempts++;
    r.last_attempt = a->started;
    if (dest != "local")
      queue_event(e, r, QueueState::Attempt, {"attempt ", std::to_string(r.retry.attempts), " for ", r.address, " (", dest, ")"});
  }
  if (dest == "local") { deliver_local(a); return; }
  auto on_route = [this, alive = alive_, a](const RouteResult& rr) {
    if (!*alive || a->generation != generation_) return;
    if (rr.status != RouteResult::Status::Ok) {
      fail_attempt(a, rr.status == RouteResult::Status::PermFail, rr.code, rr.enhanced, rr.text, "");
      return;
    }
    a->targets = rr.targets;
    try_target(a);
  };
  if (dest.rfind("relay:", 0) == 0) resolve_host_route(*resolver_, dest.substr(6), std::move(on_route));
  else resolve_mx_route(*resolver_, rng_, dest.substr(3), std::move(on_route));
}

// deliver_local - hand each recipient to this host's MDA (mailbox store).
void MtaHost::deliver_local(std::shared_ptr<Attempt> a) {
  for (const Item& it : a->items) {
    auto e = spool_.find(it.qid);
    if (e == spool_.end()) continue;
    QueueRcpt& r = e->second.rcpts[it.rcpt];
    if (!mda_) {
      apply_deferred(it, "451 4.3.0 no local delivery agent on " + cfg_.name, cfg_.name, a->started);
      continue;
    }
    mail::DeliveryResult d = mda_->deliver(e->second.sender, r.address, e->second.data);
    if (d.ok()) {
      r.state = RcptState::Delivered;
      r.last_reply = d.reply();
      ++delivered_out_;
      queue_event(e->second, r, QueueState::Delivered, {"delivered to mailbox ", d.mailbox, " by ", cfg_.name});
      trace_delivery(ctx_, cfg_.name, e->second, r, d);
      ctx_.ledger.delivered({e->second.msgid, r.address}, cfg_.name, ctx_.sched.now());
      ctx_.ledger.released({e->second.msgid, r.address}, cfg_.name, e->second.qid);
      finish_if_done(e);
    } else if (d.temporary()) {
      apply_deferred(it, d.reply(), cfg_.name, a->started);
    } else {
      apply_failed(it, d.reply(), cfg_.name, d.code, d.enhanced);
    }
  }
  finish_attempt(a);
}

// try_target - connect to the next MX (or relay) address; on success run the SMTP session.
void MtaHost::try_target(std::shared_ptr<Attempt> a) {
  if (a->next_target >= a->targets.size()) {
    fail_attempt(a, false, 0, "4.4.1", a->last_error.empty() ? "no mail exchanger could be reached" : a->last_error,
                 a->target_name);
    return;
  }
  RouteTarget t = a->targets[a->next_target++];
  if (t.ip == ctx_.net.host_ip(host_)) {
    fail_attempt(a, true, 554, "5.4.6", "mail for " + a->dest.substr(a->dest.find(':') + 1) + " loops back to myself",
                 cfg_.name);
    return;
  }
  a->target_name = t.name;
  ctx_.net.connect(host_, t.ip, 25, [this, alive = alive_, a, t](ConnectResult res, StreamPtr s) {
    if (!*alive || a->generation != generation_) { if (s) s->abort(); return; }
    if (res != ConnectResult::Ok) {
      const char* why = res == ConnectResult::Refused ? "Connection refused"
                      : res == ConnectResult::Timeout ? "Connection timed out" : "No route to host";
      a->last_error = "connect to " + t.name + "[" + ipv4_to_string(t.ip) + "]:25: " + why;
      try_target(a);
      return;
    }
    smtp::ClientConfig cc;
    cc.helo_name = cfg_.name;
    cc.server_name = t.name;
    cc.tls = cfg_.tls_out;
    if (!cfg_.relay_to.empty() && a->dest == "relay:" + cfg_.relay_to && cfg_.relay_auth) cc.auth = cfg_.relay_auth;
    auto client = std::make_unique<smtp::SmtpClient>(cc);
    for (smtp::OutgoingMessage& m : outgoing_messages(*a)) client->enqueue(std::move(m));
    client->no_more_messages();
    smtp::SmtpClient* raw = client.get();
    a->conn = std::make_shared<Conn>(ctx_.sched, ctx_.trace, s, std::move(client), false,
                                     ctx_.tls.factory(cfg_.name, cfg_.tls_verify), t.name);
    a->conn->on_done([this, alive = alive_, a, raw](Conn&) {
      // Finish in a fresh event: the connection object must not be released from inside itself.
      ctx_.sched.schedule_in(0, [this, alive, a, raw] {
        if (!*alive || a->generation != generation_) return;
        on_session_done(a, *raw);
      });
    });
    a->conn->start();
  });
}

// outgoing_messages - the attempt's messages for the SMTP client, in the order their first
// recipient appears among its items, each with its recipients in item order.
std::vector<smtp::OutgoingMessage> MtaHost::outgoing_messages(const Attempt& a) const {
  std::vector<smtp::OutgoingMessage> msgs;
  msgs.reserve(a.items.size());
  for (const Item& it : a.items) {
    const QueueEntry& e = spool_.at(it.qid);
    auto m = std::find_if(msgs.begin(), msgs.end(), [&](const smtp::OutgoingMessage& o) { return o.id == it.qid; });
    if (m == msgs.end()) {
      m = msgs.emplace(msgs.end());
      m->id = it.qid;
      m->reverse_path = e.sender;
      m->data = e.data;
      m->ret = e.ret;
      m->envid = e.envid;
      m->body = e.body;
    }
    const QueueRcpt& r = e.rcpts[it.rcpt];
    m->recipients.push_back({r.address, r.notify, r.orcpt});
  }
  return msgs;
}

void MtaHost::on_session_done(std::shared_ptr<Attempt> a, smtp::SmtpClient& client) {
  std::vector<smtp::MessageResult> results = client.take_results();
  // A failure before any transaction (greeting refused, EHLO failed, TLS required) at one MX is
  // a reason to try the next one (RFC 5321 5.1), exactly like a refused connection.
  bool session_level = !results.empty();
  for (const auto& m : results)
    for (const auto& r : m.recipients) {
      if (r.outcome != smtp::Outcome::Deferred ||
          (r.stage != smtp::Stage::Greeting && r.stage != smtp::Stage::Ehlo && r.stage != smtp::Stage::StartTls &&
           r.stage != smtp::Stage::Connect))
        session_level = false;
    }
  std::shared_ptr<Conn> keep = std::move(a->conn);
  if (session_level && a->next_target < a->targets.size()) {
    a->last_error = a->target_name + " said: " + first_reply_text(results);
    try_target(a);
    return;
  }
  record_uncertain(*a, results);
  std::vector<bool> answered(a->items.size(), false);  // items[k] got a result from the session
  for (const smtp::MessageResult& m : results) {
    for_each_outcome(a->items, m, [&](std::size_t k, const smtp::RecipientResult& r) {
      const Item& it = a->items[k];
      answered[k] = true;
      std::string text = reply_text(r);
      switch (r.outcome) {
        case smtp::Outcome::Delivered: apply_delivered(it, std::move(text), a->target_name); break;
        case smtp::Outcome::Failed: apply_failed(it, text, a->target_name, r.reply.code, r.reply.enhanced); break;
        case smtp::Outcome::Deferred: apply_deferred(it, text, a->target_name, a->started); break;
      }
    });
  }
  for (std::size_t k = 0; k < a->items.size(); ++k)
    if (!answered_item(a->items, answered, k))
      apply_deferred(a->items[k], "451 4.3.0 no result from the SMTP session", a->target_name, a->started);
  finish_attempt(a);
}

// answered_item - items[k], or an item naming the same recipient of the same message, got a result.
bool MtaHost::answered_item(const std::vector<Item>& items, const std::vector<bool>& answered, std::size_t k) {
  if (answered[k]) return true;
  for (std::size_t j = 0; j < items.size(); ++j)
    if (answered[j] && items[j].qid == items[k].qid && items[j].rcpt == items[k].rcpt) return true;
  return false;
}

// record_uncertain - recipients whose end of DATA went out and was never answered: the peer may
// have taken the message, so sending it again may duplicate it (RFC 5321 6.1: at least once). The
// ledger keeps this as the explanation of such a duplicate.
void MtaHost::record_uncertain(const Attempt& a, const std::vector<smtp::MessageResult>& results) {
  for (const smtp::MessageResult& m : results) {
    for_each_outcome(a.items, m, [&](std::size_t k, const smtp::RecipientResult& r) {
      if (!after_end_of_data(r)) return;  // the common case: no spool lookup
      auto e = spool_.find(m.id);
      if (e == spool_.end()) return;
      ctx_.ledger.uncertain({e->second.msgid, e->second.rcpts[a.items[k].rcpt].address}, cfg_.name, a.target_name,
                            ctx_.sched.now());
    });
  }
}

// abandon_attempts - the host crashes: every session dies with it, and results not yet taken die
// too (the network has already told the engines, so a finished session's results are waiting).
// A 250 that arrived counts; a session that had sent its end of DATA and was waiting for the
// reply leaves the same doubt as a lost connection does; everything else is simply tried again.
void MtaHost::abandon_attempts() {
  for (const auto& entry : attempts_) {
    const auto& a = entry.second;  // not a structured binding: clang 14 cannot capture one in a lambda
    if (!a->conn) continue;
    if (auto* client = dynamic_cast<smtp::SmtpClient*>(&a->conn->engine())) {
      if (!a->conn->done()) client->on_closed(ctx_.sched.now());
      std::vector<smtp::MessageResult> results = client->take_results();
      record_uncertain(*a, results);
      for (const smtp::MessageResult& m : results)
        for_each_outcome(a->items, m, [&](std::size_t k, const smtp::RecipientResult& r) {
          if (r.outcome == smtp::Outcome::Delivered) apply_delivered(a->items[k], reply_text(r), a->target_name);
        });
    }
    a->conn->abort();
  }
}

void MtaHost::fail_attempt(std::shared_ptr<Attempt> a, bool permanent, int code, const std::string& enhanced,
                           const std::string& text, const std::string& host) {
  std::string reply = smtp::format_reply(code, enhanced, text);
  for (const Item& it : a->items) {
    if (permanent) apply_failed(it, reply, host, code, enhanced);
    else apply_deferred(it, reply, host, a->started);
  }
  finish_attempt(a);
}

void MtaHost::finish_attempt(std::shared_ptr<Attempt> a) {
  flush_notices();
  if (!attempts_.erase(a->id)) return;
  if (--inflight_[a->dest] <= 0) inflight_.erase(a->dest);
  release_waiting(a->dest);
  kick();
}

}  // namespace smtpsim
