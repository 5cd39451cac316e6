// smtp_client_fail.cpp - how the client engine settles messages when a session goes wrong:
// verdicts from replies or local decisions, applied to every unfinished recipient, and the
// Note/Error events that explain them.
#include "sim/smtp/smtp_client.hpp"

namespace smtpsim::smtp {

// outcome_of - 2xx delivered, 4xx deferred, 5xx failed.
Outcome SmtpClient::outcome_of(const Reply& r) {
  return r.code / 100 == 2 ? Outcome::Delivered : r.code / 100 == 5 ? Outcome::Failed : Outcome::Deferred;
}

// from_reply - the verdict a reply gives (outcome_of), the reply kept.
SmtpClient::Verdict SmtpClient::from_reply(const Reply& r, Stage s) {
  Verdict v;
  v.outcome = outcome_of(r);
  v.stage = s;
  v.reply = r;
  return v;
}

// local - a verdict the client made itself: code 0, enhanced code, "enhanced text" as the only line.
SmtpClient::Verdict SmtpClient::local(Outcome o, Stage s, std::string enhanced, std::string text) {
  Verdict v;
  v.outcome = o;
  v.stage = s;
  v.local = true;
  v.reply.code = 0;
  v.reply.lines.push_back(enhanced + " " + text);
  v.reply.enhanced = std::move(enhanced);
  return v;
}

// fail_message - a message that never got a transaction of its own.
void SmtpClient::fail_message(Prepared p, const Verdict& v) {
  MessageResult res;
  res.seq = p.seq;
  res.id = std::move(p.msg.id);
  res.recipients.reserve(p.msg.recipients.size());
  for (auto& rc : p.msg.recipients)
    res.recipients.push_back(RecipientResult{std::move(rc.address), v.outcome, v.stage, v.reply, v.local});
  results_.push_back(std::move(res));
}

// fail_all - the active message's unfinished recipients and every queued message get v.
void SmtpClient::fail_all(const Verdict& v) {
  if (active_) {
    for (std::size_t i = 0; i < active_->state.size(); ++i)
      if (active_->state[i] != RcptState::Done) settle_rcpt(i, v.outcome, v.stage, v.reply, v.local);
    finish_active();
  }
  while (!queue_.empty()) {
    Prepared p = std::move(queue_.front());
    queue_.pop_front();
    fail_message(std::move(p), v);
  }
}

// end_session - no more mail on this connection: settle everything, then QUIT politely or just close.
void SmtpClient::end_session(const Verdict& v, bool quit, SimTime now) {
  fail_all(v);
  if (!session_verdict_) session_verdict_ = v;
  if (quit && !quit_sent_ && expect_.empty() && phase_ != ClientPhase::Closed) {
    send_quit(now);
  } else {
    close_now();
  }
}

// protocol_error - the server broke the protocol: trace it, defer everything, drop the connection
// (a desynchronised reply stream could make a later reply look like a 250 for the wrong command).
void SmtpClient::protocol_error(std::string why, Stage stage, SimTime now) {
  error("protocol error: " + why);
  end_session(local(Outcome::Deferred, stage, "4.5.0", "protocol error from " + host_text() + ": " + why), false, now);
}

// note / error - trace events.
void SmtpClient::note(std::string text) { out_.events.push_back(ProtoEvent{ProtoEvent::Kind::Note, 0, std::move(text)}); }
void SmtpClient::error(std::string text) {
  out_.events.push_back(ProtoEvent{ProtoEvent::Kind::Error, 0, std::move(text)});
}

// host_text - "host mx.b.example" or "the server" for messages.
std::string SmtpClient::host_text() const {
  return config_.server_name.empty() ? std::string("the server") : "host " + config_.server_name;
}

// stage_of - the stage a reply to e decides.
Stage SmtpClient::stage_of(Expect e) const {
  switch (e) {
    case Expect::Greeting: return Stage::Greeting;
    case Expect::Ehlo:
    case Expect::Helo: return Stage::Ehlo;
    case Expect::StartTls: return Stage::StartTls;
    case Expect::Auth: return Stage::Auth;
    case Expect::Mail:
    case Expect::Rset:
    case Expect::Quit: return Stage::Mail;
    case Expect::Rcpt: return Stage::Rcpt;
    case Expect::Data: return Stage::Data;
    case Expect::EndOfData: return Stage::EndOfData;
  }
  return Stage::Mail;
}

// phase_stage - the stage to blame when no reply is due (unsolicited replies, parse errors).
Stage SmtpClient::phase_stage() const {
  switch (phase_) {
    case ClientPhase::Connecting: return Stage::Connect;
    case ClientPhase::Greeting: return Stage::Greeting;
    case ClientPhase::Ehlo: return Stage::Ehlo;
    case ClientPhase::StartTls:
    case ClientPhase::TlsHandshake: return Stage::StartTls;
    case ClientPhase::Auth: return Stage::Auth;
    default: return Stage::Mail;
  }
}

// expect_name - the command a reply is due for, as texts name it.
const char* SmtpClient::expect_name(Expect e) {
  switch (e) {
    case Expect::Greeting: return "the greeting";
    case Expect::Ehlo: return "EHLO";
    case Expect::Helo: return "HELO";
    case Expect::StartTls: return "STARTTLS";
    case Expect::Auth: return "AUTH";
    case Expect::Mail: return "MAIL FROM";
    case Expect::Rcpt: return "RCPT TO";
    case Expect::Data: return "DATA";
    case Expect::EndOfData: return "end of data";
    case Expect::Rset: return "RSET";
    case Expect::Quit: return "QUIT";
  }
  return "?";
}

}  // namespace smtpsim::smtp
