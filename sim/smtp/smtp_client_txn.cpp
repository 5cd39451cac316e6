// smtp_client_txn.cpp - one mail transaction of the client engine: MAIL, RCPT..., DATA, body, ".".
// With PIPELINING (RFC 2920) MAIL + every RCPT + DATA go out as one group and the replies are
// matched in order; without it each command waits for its reply. Per recipient the reply that
// decides is kept: RCPT refusals at once, the rest by the DATA or end-of-data reply.
#include <string>

#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_client_codec.hpp"

namespace smtpsim::smtp {

// append_mail_command - MAIL FROM with the parameters the server announced (SIZE, BODY, RET, ENVID).
void SmtpClient::append_mail_command(std::string& cmd, const Prepared& p) const {
  cmd += "MAIL FROM:<";
  cmd += p.msg.reverse_path;
  cmd += '>';
  if (caps_.size) {
    cmd += " SIZE=";
    cmd += std::to_string(p.size);
  }
  if (caps_.eightbitmime && p.msg.body != BodyType::Unspecified)
    cmd += p.msg.body == BodyType::EightBitMime ? " BODY=8BITMIME" : " BODY=7BIT";
  if (caps_.dsn) {
    if (p.msg.ret != DsnRet::Unspecified) cmd += p.msg.ret == DsnRet::Full ? " RET=FULL" : " RET=HDRS";
    if (!p.msg.envid.empty()) cmd += " ENVID=" + xtext_encode(p.msg.envid);
  }
}

// append_rcpt_command - RCPT TO with NOTIFY / ORCPT when the server announced DSN.
void SmtpClient::append_rcpt_command(std::string& cmd, const Recipient& r) const {
  cmd += "RCPT TO:<";
  cmd += r.address;
  cmd += '>';
  if (caps_.dsn) {
    if (r.notify != 0) {
      cmd += " NOTIFY=";
      if (r.notify & kNotifyNever) {
        cmd += "NEVER";
      } else {
        bool first = true;
        for (auto [flag, name] : {std::pair{kNotifySuccess, "SUCCESS"}, std::pair{kNotifyFailure, "FAILURE"},
                                  std::pair{kNotifyDelay, "DELAY"}}) {
          if (!(r.notify & flag)) continue;
          if (!first) cmd += ',';
          cmd += name;
          first = false;
        }
      }
    }
    if (!r.orcpt.empty()) {
      const auto semi = r.orcpt.find(';');
      const std::string type = semi == std::string::npos ? "rfc822" : r.orcpt.substr(0, semi);
      const std::string addr = semi == std::string::npos ? r.orcpt : r.orcpt.substr(semi + 1);
      cmd += " ORCPT=" + type + ";" + xtext_encode(addr);
    }
  }
}

// start_transaction - local checks, then MAIL (and with PIPELINING every RCPT and DATA).
void SmtpClient::start_transaction(SimTime now) {
  Prepared p = std::move(queue_.front());
  queue_.pop_front();
  if (caps_.size && caps_.size_limit > 0 && p.size > caps_.size_limit) {
    Verdict v = local(Outcome::Failed, Stage::Mail, "5.3.4",
                      "message size " + std::to_string(p.size) + " exceeds size limit " +
                          std::to_string(caps_.size_limit) + " of " + host_text());
    fail_message(std::move(p), v);
    return;
  }
  if (p.msg.body == BodyType::EightBitMime && !caps_.eightbitmime) {
    Verdict v = local(Outcome::Failed, Stage::Mail, "5.6.3",
                      "8-bit message, but " + host_text() + " does not offer 8BITMIME (RFC 6152 3: conversion needed)");
    fail_message(std::move(p), v);
    return;
  }
  if (std::string why = path_problem(p.msg.reverse_path); !why.empty()) {
    Verdict v = local(Outcome::Failed, Stage::Mail, "5.1.7", "bad sender address syntax: " + why);
    fail_message(std::move(p), v);
    return;
  }
  Active a;
  a.result.seq = p.seq;
  a.result.id = p.msg.id;
  a.result.recipients.resize(p.msg.recipients.size());
  a.state.assign(p.msg.recipients.size(), RcptState::Pending);
  std::size_t valid = 0;
  for (std::size_t i = 0; i < p.msg.recipients.size(); ++i) {
    a.result.recipients[i].address = p.msg.recipients[i].address;
    if (std::string why = path_problem(p.msg.recipients[i].address); !why.empty()) {
      a.result.recipients[i].outcome = Outcome::Failed;
      a.result.recipients[i].stage = Stage::Rcpt;
      a.result.recipients[i].reply = Reply{0, "5.1.3", {"5.1.3 bad recipient address syntax: " + why}};
      a.result.recipients[i].local = true;
      a.state[i] = RcptState::Done;
    } else {
      ++valid;
    }
  }
  a.p = std::move(p);
  if (valid == 0) {  // nothing to send: the result is complete already
    if (a.result.recipients.empty()) note("message " + a.p.msg.id + " has no recipients");
    results_.push_back(std::move(a.result));
    return;
  }
  a.pipelined = caps_.pipelining && config_.pipelining;
  active_ = std::move(a);
  phase_ = ClientPhase::Transaction;
  const std::size_t start = begin_command();
  append_mail_command(out_.bytes, active_->p);
  end_command(start);
  expect(Expect::Mail, now);
  if (active_->pipelined) {
    for (std::size_t i = 0; i < active_->state.size(); ++i)
      if (active_->state[i] == RcptState::Pending) send_rcpt(i, now);
    send_line("DATA");
    expect(Expect::Data, now);
    if (config_.blind_data) {  // a hostile client: the message follows without waiting for 354
      note("message " + active_->p.msg.id + " sent behind DATA without waiting for 354 (blind pipelining)");
      send_body(active_->p);
      active_->body_sent = true;
    }
  }
}

// send_rcpt - one RCPT TO; its reply is matched through Active::sent.
void SmtpClient::send_rcpt(std::size_t i, SimTime now) {
  active_->sent.push_back(i);
  active_->next_rcpt = i + 1;
  const std::size_t start = begin_command();
  append_rcpt_command(out_.bytes, active_->p.msg.recipients[i]);
  end_command(start);
  expect(Expect::Rcpt, now);
}

// settle_rcpt - the final outcome of recipient i.
void SmtpClient::settle_rcpt(std::size_t i, Outcome o, Stage s, const Reply& r, bool is_local) {
  RecipientResult& rr = active_->result.recipients[i];
  rr.outcome = o;
  rr.stage = s;
  rr.reply = r;
  rr.local = is_local;
  active_->state[i] = RcptState::Done;
}

// on_mail - 250: go on with RCPT; refusal: every recipient shares MAIL's fate.
void SmtpClient::on_mail(const Reply& r, SimTime now) {
  Active& a = *active_;
  if (r.code / 100 == 2) {
    a.mail_ok = true;
    if (!a.pipelined) {
      for (std::size_t i = 0; i < a.state.size(); ++i) {
        if (a.state[i] == RcptState::Pending) {
          send_rcpt(i, now);
          return;
        }
      }
    }
    return;
  }
  if (r.code / 100 == 3) {
    protocol_error("MAIL FROM answered with intermediate code \"" + r.summary() + "\"", Stage::Mail, now);
    return;
  }
  const Verdict v = from_reply(r, Stage::Mail);
  for (std::size_t i = 0; i < a.state.size(); ++i)
    if (a.state[i] != RcptState::Done) settle_rcpt(i, v.outcome, v.stage, v.reply, false);
  if (!a.pipelined) {
    finish_active();
    after_transaction(false, now);
  }
  // Pipelined: the RCPT and DATA replies still come and are read (and ignored) in on_rcpt/on_data.
}

// on_rcpt - 250/251 accept the recipient; 4xx/5xx settle it now.
void SmtpClient::on_rcpt(const Reply& r, SimTime now) {
  Active& a = *active_;
  if (a.replies >= a.sent.size()) {  // cannot happen: every Rcpt expectation has its index
    protocol_error("RCPT reply without a RCPT", Stage::Rcpt, now);
    return;
  }
  const std::size_t i = a.sent[a.replies++];
  if (r.code / 100 == 3) {
    protocol_error("RCPT TO answered with intermediate code \"" + r.summary() + "\"", Stage::Rcpt, now);
    return;
  }
  if (a.mail_ok) {
    if (r.code / 100 == 2) {
      a.state[i] = RcptState::Accepted;
      ++a.accepted;
    } else {
      settle_rcpt(i, outcome_of(r), Stage::Rcpt, r, false);
    }
  }
  if (a.pipelined) return;
  for (std::size_t j = a.next_rcpt; j < a.state.size(); ++j) {
    if (a.state[j] == RcptState::Pending) {
      send_rcpt(j, now);
      return;
    }
  }
  after_rcpts(now);
}

// after_rcpts - lock-step: DATA when someone was accepted, else RSET (or QUIT) instead of DATA.
void SmtpClient::after_rcpts(SimTime now) {
  Active& a = *active_;
  if (a.accepted > 0) {
    send_line("DATA");
    expect(Expect::Data, now);
    return;
  }
  finish_active();
  after_transaction(true, now);
}

// on_data - 354: send the body and "."; refusal: the accepted recipients get DATA's reply.
void SmtpClient::on_data(const Reply& r, SimTime now) {
  Active& a = *active_;
  if (r.code == 354 || r.code / 100 == 3) {
    if (a.body_sent) {  // blind_data: the message is on its way already
    } else if (a.mail_ok && a.accepted > 0) {
      const Prepared& p = a.p;
      if (p.normalised > 0)
        note("message " + p.msg.id + ": " + std::to_string(p.normalised) +
             " bare CR/LF line ends sent as CRLF (RFC 5321 2.3.8)");
      if (p.eight_bit && p.msg.body != BodyType::EightBitMime)
        note("message " + p.msg.id + " contains 8-bit octets but was not declared BODY=8BITMIME (RFC 6152)");
      if (p.longest > 998)
        note("message " + p.msg.id + " has a line of " + std::to_string(p.longest) +
             " octets (RFC 5321 4.5.3.1.6 allows 998)");
      send_body(a.p);
    } else {
      // RFC 2920 3.1: DATA accepted although no recipient was: end it with a single dot.
      note("DATA accepted although no recipient was accepted: sending a lone \".\" (RFC 2920 3.1)");
      a.lone_dot = true;
      send_line(".");
    }
    expect(Expect::EndOfData, now);
    return;
  }
  if (r.code / 100 == 2) {
    protocol_error("DATA answered with \"" + r.summary() + "\" instead of 354", Stage::Data, now);
    return;
  }
  if (a.mail_ok && a.accepted > 0) {
    const Verdict v = from_reply(r, Stage::Data);
    for (std::size_t i = 0; i < a.state.size(); ++i)
      if (a.state[i] != RcptState::Done) settle_rcpt(i, v.outcome, v.stage, v.reply, false);
  }
  const bool open = a.mail_ok;
  finish_active();
  after_transaction(open, now);
}

// send_body - the prepared body and its final "." (traced as a Data and a "." Command event);
// the wire text is handed over, not copied, when nothing else waits in the output.
void SmtpClient::send_body(Prepared& p) {
  if (out_.bytes.empty()) out_.bytes.swap(p.wire);
  else out_.bytes.append(p.wire);
  std::string what;  // "message <id>: <size> octets, <lines> lines"
  what.reserve(48 + p.msg.id.size());
  what += "message ";
  what += p.msg.id;
  what += ": ";
  what += std::to_string(p.size);
  what += " octets, ";
  what += std::to_string(p.lines);
  what += " lines";
  out_.events.push_back(ProtoEvent{ProtoEvent::Kind::Data, static_cast<int>(p.size > 0x7fffffff ? 0x7fffffff : p.size),
                                   std::move(what)});
  out_.events.push_back(ProtoEvent{ProtoEvent::Kind::Command, 0, "."});
  std::string().swap(p.wire);
}

// on_end_of_data - the reply to ".": it decides every accepted recipient (RFC 5321 4.1.1.4).
void SmtpClient::on_end_of_data(const Reply& r, SimTime now) {
  Active& a = *active_;
  if (r.code / 100 == 3) {
    protocol_error("end of data answered with intermediate code \"" + r.summary() + "\"", Stage::EndOfData, now);
    return;
  }
  if (!a.lone_dot) {
    const Outcome o = outcome_of(r);
    for (std::size_t i = 0; i < a.state.size(); ++i)
      if (a.state[i] == RcptState::Accepted) settle_rcpt(i, o, Stage::EndOfData, r, false);
  }
  finish_active();
  after_transaction(false, now);
}

// finish_active - every recipient has its outcome: publish the result.
void SmtpClient::finish_active() {
  results_.push_back(std::move(active_->result));
  active_.reset();
}

// after_transaction - RSET when the server may still hold a transaction and the session goes on.
void SmtpClient::after_transaction(bool server_txn_open, SimTime now) {
  if (phase_ == ClientPhase::Closed) return;
  phase_ = ClientPhase::Idle;
  if (server_txn_open && !(queue_.empty() && no_more_)) {
    phase_ = ClientPhase::Rset;
    send_line("RSET");
    expect(Expect::Rset, now);
    return;
  }
  next_step(now);
}

}  // namespace smtpsim::smtp
