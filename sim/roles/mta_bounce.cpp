// mta_bounce.cpp - delivery status notifications: bounces (failed) and delay warnings (delayed),
// built per RFC 3464 and queued here for the original sender, with MAIL FROM:<>.
#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_envelope.hpp"
#include "sim/roles/mta_host.hpp"

namespace smtpsim {

namespace {

mail::Address to_address(const std::string& a) {
  auto at = a.rfind('@');
  if (at == std::string::npos) return mail::Address::make(a, "");
  return mail::Address::make(a.substr(0, at), a.substr(at + 1));
}

// original_envelope - the queue entry's envelope in the mail area's terms.
mail::Envelope original_envelope(const QueueEntry& e) {
  mail::Envelope env;
  if (!e.sender.empty()) env.reverse_path = to_address(e.sender);
  env.envid = e.envid;
  env.ret = e.ret == smtp::DsnRet::Full ? mail::Ret::Full : e.ret == smtp::DsnRet::Headers ? mail::Ret::Hdrs
                                                                                          : mail::Ret::Unspecified;
  for (const QueueRcpt& r : e.rcpts) {
    mail::Recipient mr;
    mr.address = to_address(r.address);
    if (r.notify) {
      mail::Notify n;
      n.never = r.notify & smtp::kNotifyNever;
      n.success = r.notify & smtp::kNotifySuccess;
      n.failure = r.notify & smtp::kNotifyFailure;
      n.delay = r.notify & smtp::kNotifyDelay;
      mr.notify = n;
    }
    if (!r.orcpt.empty()) mr.orcpt = mail::parse_orcpt(r.orcpt);
    env.recipients.push_back(std::move(mr));
  }
  return env;
}

// status_of - the enhanced status in a reply line ("550 5.1.1 ..." -> "5.1.1"), else a default.
std::string status_of(const std::string& reply, bool failed) {
  auto sp = reply.find(' ');
  if (sp != std::string::npos) {
    std::string rest = reply.substr(sp + 1);
    auto sp2 = rest.find(' ');
    std::string cand = rest.substr(0, sp2);
    if (cand.size() >= 5 && (cand[0] == '2' || cand[0] == '4' || cand[0] == '5') && cand[1] == '.') {
      if (failed && cand[0] == '4') cand[0] = '5';  // a temporary error that ran out of time is final now
      return cand;
    }
  }
  if (reply.size() >= 5 && reply[1] == '.') return reply.substr(0, reply.find(' '));
  return failed ? "5.4.7" : "4.4.7";
}

}  // namespace

// bounce - the given recipients failed for good: mark them, tell the sender with one DSN.
void MtaHost::bounce(const std::string& qid, const std::vector<std::size_t>& rcpts, const std::string& why) {
  auto it = spool_.find(qid);
  if (it == spool_.end()) return;
  QueueEntry& e = it->second;
  const SimTime now = ctx_.sched.now();
  mail::DsnReport rep;
  rep.reporting_mta = cfg_.name;
  rep.clock = ctx_.clock;
  rep.now = now;
  rep.arrival = e.arrival;
  rep.queue_id = e.qid;
  rep.received_from_mta = e.received_from;
  mail::Envelope env = original_envelope(e);
  for (std::size_t i : rcpts) {
    QueueRcpt& r = e.rcpts[i];
    r.state = RcptState::Bounced;
    r.next_at = kNever;
    mail::DsnRecipientReport rr;
    rr.recipient = env.recipients[i];
    rr.action = mail::DsnAction::Failed;
    rr.status = status_of(r.last_reply, true);
    rr.remote_mta = r.last_host == cfg_.name ? "" : r.last_host;
    if (!r.last_reply.empty() && r.last_reply[0] >= '2' && r.last_reply[0] <= '5' && r.last_reply.size() > 3 &&
        r.last_reply[3] == ' ')
      rr.diagnostic = r.last_reply;
    else
      rr.reason = r.last_reply.empty() ? why : r.last_reply;
    if (r.last_attempt >= 0) rr.last_attempt = r.last_attempt;
    rr.attempts = r.retry.attempts;
    rep.recipients.push_back(std::move(rr));
    queue_event(e, r, "bounced: " + why);
    ctx_.event(TraceKind::Bounce, cfg_.name, why, e.msgid, r.address);
    ctx_.ledger.bounced({e.msgid, r.address}, cfg_.name, now, why);
    ctx_.ledger.released({e.msgid, r.address}, cfg_.name, e.qid);
  }
  if (e.is_dsn || e.sender.empty()) {
    ctx_.note(cfg_.name, "not bouncing a bounce (null sender): the notification is dropped, as RFC 5321 6.1 says",
              e.msgid);
  } else {
    mail::Message original = mail::Message::parse(e.data);
    auto dsn = mail::build_dsn(rep, env, original);
    if (dsn) {
      std::string dsn_msgid = dsn->message.get("Message-ID").value_or("");
      std::string dsn_id = inject("", {e.sender}, dsn->message.serialize(), true);
      if (dsn_msgid.empty()) dsn_msgid = spool_.count(dsn_id) ? spool_.at(dsn_id).msgid : "";
      for (const auto& rr : rep.recipients)
        ctx_.ledger.dsn_sent({{e.msgid, rr.recipient.address.str()}, dsn_msgid, e.sender, "failed", rr.status,
                              cfg_.name, now});
      ctx_.note(cfg_.name, "bounce " + dsn_id + " sent to " + e.sender, e.msgid);
    } else {
      ctx_.note(cfg_.name, "no bounce sent: the sender asked for none (NOTIFY)", e.msgid);
    }
  }
  maybe_finish(qid);
}

// warn_delay - tell the sender the message is late but still being tried (Action: delayed).
void MtaHost::warn_delay(const std::string& qid, const std::vector<std::size_t>& rcpts) {
  auto it = spool_.find(qid);
  if (it == spool_.end()) return;
  QueueEntry& e = it->second;
  const SimTime now = ctx_.sched.now();
  mail::DsnReport rep;
  rep.reporting_mta = cfg_.name;
  rep.clock = ctx_.clock;
  rep.now = now;
  rep.arrival = e.arrival;
  rep.queue_id = e.qid;
  mail::Envelope env = original_envelope(e);
  for (std::size_t i : rcpts) {
    const QueueRcpt& r = e.rcpts[i];
    mail::DsnRecipientReport rr;
    rr.recipient = env.recipients[i];
    rr.action = mail::DsnAction::Delayed;
    rr.status = status_of(r.last_reply, false);
    rr.remote_mta = r.last_host;
    rr.reason = r.last_reply;
    if (r.last_attempt >= 0) rr.last_attempt = r.last_attempt;
    rr.will_retry_until = e.arrival + cfg_.retry.give_up_after;
    rr.attempts = r.retry.attempts;
    rep.recipients.push_back(std::move(rr));
  }
  auto dsn = mail::build_dsn(rep, env, mail::Message::parse(e.data));
  if (!dsn) return;
  std::string dsn_msgid = dsn->message.get("Message-ID").value_or("");
  std::string id = inject("", {e.sender}, dsn->message.serialize(), true);
  if (dsn_msgid.empty()) dsn_msgid = spool_.count(id) ? spool_.at(id).msgid : "";
  for (const auto& rr : rep.recipients)
    ctx_.ledger.dsn_sent({{e.msgid, rr.recipient.address.str()}, dsn_msgid, e.sender, "delayed", rr.status, cfg_.name, now});
  for (std::size_t i : rcpts) queue_event(e, e.rcpts[i], "delay warning " + id + " sent to " + e.sender);
}

}  // namespace smtpsim
