// mta_bounce.cpp - delivery status notifications: bounces (failed) and delay warnings (delayed),
// built per RFC 3464 and queued here for the original sender, with MAIL FROM:<>.
#include <cctype>

#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_envelope.hpp"
#include "sim/roles/mta_host.hpp"

namespace smtpsim {

namespace {

// to_address - an envelope address as the mail area models it. The spool keeps what the SMTP
// server accepted (a quoted local part included), so the RFC 5321 parser reads it; anything it
// refuses is split at the last '@' rather than dropped, so the report still names it.
mail::Address to_address(const std::string& a) {
  if (a.empty()) return mail::Address();
  if (mail::AddressResult r = mail::Address::parse(a); r && r.address) return *r.address;
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

// reply_code - the three-digit code a reply line starts with ("451 4.7.1 ..." -> 451), else 0.
int reply_code(const std::string& reply) {
  if (reply.size() < 3 || reply[0] < '2' || reply[0] > '5' || !std::isdigit(static_cast<unsigned char>(reply[1])) ||
      !std::isdigit(static_cast<unsigned char>(reply[2])))
    return 0;
  if (reply.size() > 3 && reply[3] != ' ' && reply[3] != '-') return 0;
  return std::stoi(reply.substr(0, 3));
}

// enhanced_of - the RFC 3463 code in a reply line: after the basic code ("550 5.1.1 ...") or, for
// the MTA's own errors, first ("4.4.1 connect to ..."); "" when there is none.
std::string enhanced_of(const std::string& reply) {
  std::size_t at = reply_code(reply) ? 4 : 0;
  if (at > reply.size()) return {};
  std::string cand = reply.substr(at, reply.find(' ', at) == std::string::npos ? std::string::npos
                                                                               : reply.find(' ', at) - at);
  int dots = 0;
  for (char c : cand) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  if (dots != 2 || cand.size() < 5 || (cand[0] != '2' && cand[0] != '4' && cand[0] != '5') || cand[1] != '.') return {};
  return cand;
}

// status_of - the DSN Status for a recipient whose last reply was `reply`. A recipient given up on
// after temporary failures keeps its 4.x.x status: RFC 3463 3.1 defines "persistent transient
// failure" for exactly that ("persistence of some temporary condition has caused abandonment"),
// and Postfix reports an expired message that way (Action: failed, Status: 4.4.1). Without an
// enhanced code the reply's class decides (4.0.0 / 5.0.0); with no reply at all a failure is 4.4.7
// (delivery time expired) when it expired, else 5.0.0, and a delay is 4.0.0.
std::string status_of(const std::string& reply, bool failed, bool expired) {
  std::string e = enhanced_of(reply);
  if (!e.empty()) return e;
  if (int code = reply_code(reply)) return code / 100 == 5 ? "5.0.0" : "4.0.0";
  if (!failed) return "4.0.0";
  return expired ? "4.4.7" : "5.0.0";
}

// explain - fill what a report says about the last reply: a remote server's SMTP reply becomes
// "Diagnostic-Code: smtp; ..." with its Remote-MTA; the MTA's own findings (connection timed out,
// DNS failure, local delivery) become "Diagnostic-Code: X-smtpsim; ..." without one (Postfix
// writes X-Postfix there).
void explain(mail::DsnRecipientReport& rr, const QueueRcpt& r, const std::string& self, const std::string& why) {
  const bool replied = !r.last_host.empty() && r.last_host != self && reply_code(r.last_reply);
  if (replied) {
    rr.remote_mta = r.last_host;  // RFC 3464 2.3.5: the MTA that reported it - none did for a timeout
    rr.diagnostic = r.last_reply;
  } else {
    // The codes are the Status field's business; the diagnostic keeps the words (Postfix writes
    // "X-Postfix; connect to mx[192.0.2.1]:25: Connection timed out" the same way).
    std::string text = r.last_reply.empty() ? why : r.last_reply;
    if (reply_code(text)) text = text.size() > 4 ? text.substr(4) : std::string();
    if (std::string e = enhanced_of(text); !e.empty() && text.size() > e.size() && text[e.size()] == ' ')
      text = text.substr(e.size() + 1);
    rr.reason = text.empty() ? why : text;
  }
  if (r.last_attempt >= 0) rr.last_attempt = r.last_attempt;
  rr.attempts = r.retry.attempts;
}

}  // namespace

// bounce - the given recipients failed for good: mark them, tell the sender with one DSN.
void MtaHost::bounce(const std::string& qid, const std::vector<std::size_t>& rcpts, bool expired) {
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
  rep.message_id = ids_.message_id(now, ctx_.clock);  // unique even for two bounces in one instant
  mail::Envelope env = original_envelope(e);
  for (std::size_t i : rcpts) {
    QueueRcpt& r = e.rcpts[i];
    r.state = RcptState::Bounced;
    r.next_at = kNever;
    const std::string why =
        expired ? "delivery time expired after " + format_duration(cfg_.retry.give_up_after) +
                      (r.last_reply.empty() ? "" : "; last error: " + r.last_reply)
                : (r.last_host.empty() || r.last_host == cfg_.name ? r.last_reply : r.last_host + " said: " + r.last_reply);
    mail::DsnRecipientReport rr;
    rr.recipient = env.recipients[i];
    rr.action = mail::DsnAction::Failed;
    rr.status = status_of(r.last_reply, true, expired);
    explain(rr, r, cfg_.name, why);
    rep.recipients.push_back(std::move(rr));
    queue_event(e, r, expired ? QueueState::Expired : QueueState::Bounced, {"bounced: ", why});
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
      // The ledger keys recipients exactly as the spool holds them (not as the report prints them).
      for (std::size_t k = 0; k < rcpts.size(); ++k)
        if (mail::should_notify(rep.recipients[k].recipient, mail::DsnAction::Failed))
          ctx_.ledger.dsn_sent({{e.msgid, e.rcpts[rcpts[k]].address}, dsn_msgid, e.sender, "failed",
                                rep.recipients[k].status, cfg_.name, now});
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
  rep.received_from_mta = e.received_from;
  rep.message_id = ids_.message_id(now, ctx_.clock);
  mail::Envelope env = original_envelope(e);
  for (std::size_t i : rcpts) {
    const QueueRcpt& r = e.rcpts[i];
    mail::DsnRecipientReport rr;
    rr.recipient = env.recipients[i];
    rr.action = mail::DsnAction::Delayed;
    rr.status = status_of(r.last_reply, false, false);
    explain(rr, r, cfg_.name, "delivery is delayed");
    rr.will_retry_until = e.arrival + cfg_.retry.give_up_after;
    rep.recipients.push_back(std::move(rr));
  }
  auto dsn = mail::build_dsn(rep, env, mail::Message::parse(e.data));
  if (!dsn) return;
  std::string dsn_msgid = dsn->message.get("Message-ID").value_or("");
  std::string id = inject("", {e.sender}, dsn->message.serialize(), true);
  if (dsn_msgid.empty()) dsn_msgid = spool_.count(id) ? spool_.at(id).msgid : "";
  for (std::size_t k = 0; k < rcpts.size(); ++k)
    if (mail::should_notify(rep.recipients[k].recipient, mail::DsnAction::Delayed))
      ctx_.ledger.dsn_sent({{e.msgid, e.rcpts[rcpts[k]].address}, dsn_msgid, e.sender, "delayed",
                            rep.recipients[k].status, cfg_.name, now});
  for (std::size_t i : rcpts) queue_event(e, e.rcpts[i], QueueState::Warned, {"delay warning ", id, " sent to ", e.sender});
}

}  // namespace smtpsim
