// smtp_client.cpp - the SMTP client engine's session dialogue: greeting, EHLO/HELO, STARTTLS,
// reply dispatch, timers, QUIT and close. Transactions live in smtp_client_txn.cpp, AUTH in
// smtp_client_auth.cpp, failure bookkeeping in smtp_client_fail.cpp.
#include "sim/smtp/smtp_client.hpp"

#include "sim/smtp/smtp_client_codec.hpp"
#include "sim/smtp/smtp_client_raw.hpp"

namespace smtpsim::smtp {

// to_string - phase name for views.
const char* to_string(ClientPhase p) {
  switch (p) {
    case ClientPhase::Connecting: return "connecting";
    case ClientPhase::Greeting: return "greeting";
    case ClientPhase::Ehlo: return "ehlo";
    case ClientPhase::StartTls: return "starttls";
    case ClientPhase::TlsHandshake: return "tls-handshake";
    case ClientPhase::Auth: return "auth";
    case ClientPhase::Idle: return "idle";
    case ClientPhase::Transaction: return "transaction";
    case ClientPhase::Rset: return "rset";
    case ClientPhase::Quit: return "quit";
    case ClientPhase::Closed: return "closed";
  }
  return "?";
}

// SmtpClient - a fresh session, nothing sent until on_open.
SmtpClient::SmtpClient(ClientConfig config) : config_(std::move(config)), parser_(config_.reply_limits) {
  if (config_.helo_name.empty()) config_.helo_name = "localhost";
  expect_.reserve(kExpectReserve);
}

// enqueue - prepare the wire body now so MAIL can declare SIZE; the session picks it up in order.
std::uint64_t SmtpClient::enqueue(OutgoingMessage msg) {
  Prepared p;
  p.seq = next_seq_++;
  const BodyStats st = msg.raw ? append_raw_body(p.wire, msg.data) : append_body(p.wire, msg.data);
  std::string().swap(msg.data);
  p.size = msg.size.value_or(st.size);
  p.eight_bit = st.eight_bit;
  p.normalised = st.normalised;
  p.longest = st.longest;
  p.lines = st.lines;
  p.msg = std::move(msg);
  if (phase_ == ClientPhase::Closed || quit_sent_) {
    fail_message(std::move(p), session_verdict_ ? *session_verdict_
                                                : local(Outcome::Deferred, Stage::ConnectionLost, "4.4.2",
                                                        "the SMTP session with " + host_text() + " had already ended"));
    return results_.back().seq;
  }
  queue_.push_back(std::move(p));
  if (phase_ == ClientPhase::Idle && expect_.empty()) deadline_ = 0;  // due now: on_timer starts it
  return queue_.back().seq;
}

// no_more_messages - after the queue drains, QUIT.
void SmtpClient::no_more_messages() {
  no_more_ = true;
  if (phase_ == ClientPhase::Idle && expect_.empty()) deadline_ = 0;
}

// connect_failed - no connection: every message is deferred at the connect stage.
void SmtpClient::connect_failed(std::string_view why, SimTime) {
  if (phase_ == ClientPhase::Closed) return;
  Verdict v = local(Outcome::Deferred, Stage::Connect, "4.4.1",
                    "connect to " + host_text() + " failed: " + std::string(why));
  fail_all(v);
  session_verdict_ = v;
  phase_ = ClientPhase::Closed;
  deadline_ = kNever;
}

// take_results - hand over finished messages.
std::vector<MessageResult> SmtpClient::take_results() {
  std::vector<MessageResult> out;
  out.swap(results_);
  return out;
}

// take_output - hand over bytes, events and requests.
EngineOutput SmtpClient::take_output() {
  EngineOutput o = std::move(out_);
  out_ = EngineOutput{};
  return o;
}

// take_output_into - drain into the driver's buffer, keeping its capacity for the next round.
void SmtpClient::take_output_into(EngineOutput& into) {
  into.clear();
  std::swap(into, out_);
}

// on_open - connected: wait for the greeting (RFC 5321 3.1).
void SmtpClient::on_open(SimTime now) {
  if (opened_ || phase_ == ClientPhase::Closed) return;
  opened_ = true;
  phase_ = ClientPhase::Greeting;
  expect(Expect::Greeting, now);
}

// on_bytes - parse complete replies one by one and act on each; stop reading after the STARTTLS 220.
void SmtpClient::on_bytes(std::string_view bytes, SimTime now) {
  if (phase_ == ClientPhase::Connecting) on_open(now);
  if (phase_ == ClientPhase::Closed || bytes.empty()) return;
  if (phase_ == ClientPhase::TlsHandshake) {
    note("discarded " + std::to_string(bytes.size()) + " plaintext bytes received during the TLS handshake");
    return;
  }
  std::string_view in = bytes;
  while (phase_ != ClientPhase::Closed && phase_ != ClientPhase::TlsHandshake) {
    if (!parser_.next(in, reply_)) break;
    handle_reply(reply_, now);
  }
  if (phase_ == ClientPhase::TlsHandshake && !in.empty()) {
    // RFC 3207 5 / CVE-2011-0411 class: replies injected before TLS must never be read inside it.
    note("discarded " + std::to_string(in.size()) +
         " bytes received after the STARTTLS reply (plaintext injection is never read inside TLS)");
    return;
  }
  if (phase_ != ClientPhase::Closed && parser_.failed())
    protocol_error(parser_.error(), expect_.empty() ? phase_stage() : stage_of(expect_.front()), now);
}

// on_tls - handshake done: forget everything learnt in plaintext and say EHLO again (RFC 3207 4.2).
void SmtpClient::on_tls(const TlsInfo& info, SimTime now) {
  if (phase_ != ClientPhase::TlsHandshake) return;
  if (!info.ok) {
    error("TLS handshake failed: " + (info.error.empty() ? std::string("unknown error") : info.error));
    end_session(local(Outcome::Deferred, Stage::StartTls, "4.7.5",
                      "TLS handshake with " + host_text() + " failed" +
                          (info.error.empty() ? std::string() : ": " + info.error)),
                false, now);
    return;
  }
  tls_active_ = true;
  caps_ = Capabilities{};
  parser_.reset();
  phase_ = ClientPhase::Ehlo;
  deadline_ = kNever;
  send_hello("EHLO");
  expect(Expect::Ehlo, now);
}

// on_timer - a reply did not come in time, the idle time ran out, or queued work is due.
void SmtpClient::on_timer(SimTime now) {
  if (phase_ == ClientPhase::Closed || now < deadline_) return;
  if (phase_ == ClientPhase::Idle && expect_.empty()) {
    if (!queue_.empty() || no_more_) {
      next_step(now);
    } else {
      note("idle for " + format_duration(config_.timeouts.idle) + " with nothing to send: QUIT");
      send_quit(now);
    }
    return;
  }
  if (phase_ == ClientPhase::TlsHandshake) {
    error("timeout: TLS handshake not finished after " + format_duration(config_.timeouts.tls_handshake));
    end_session(local(Outcome::Deferred, Stage::Timeout, "4.4.2",
                      "conversation with " + host_text() + " timed out during the TLS handshake"),
                false, now);
    return;
  }
  if (expect_.empty()) {
    deadline_ = kNever;
    return;
  }
  const Expect e = expect_.front();
  if (e == Expect::Quit) {
    note("no reply to QUIT in time: closing");
    close_now();
    return;
  }
  std::string what;
  if (e == Expect::Greeting) {
    what = "while waiting for the initial greeting";
  } else if (e == Expect::EndOfData) {
    what = "after end of data -- the message may be delivered more than once";
  } else {
    what = std::string("while waiting for the reply to ") + expect_name(e);
  }
  error("timeout: no reply " + (e == Expect::Greeting ? std::string("(greeting)") : "to " + std::string(expect_name(e))) +
        " after " + format_duration(timeout_for(e)));
  end_session(local(Outcome::Deferred, Stage::Timeout, "4.4.2",
                    "conversation with " + host_text() + " timed out " + what),
              false, now);
}

// on_closed - the connection is gone: whatever is unfinished is deferred (a 250 already seen stays delivered).
void SmtpClient::on_closed(SimTime now) {
  (void)now;
  if (phase_ == ClientPhase::Closed) return;
  if (!opened_) {
    Verdict v = local(Outcome::Deferred, Stage::Connect, "4.4.1", "connection to " + host_text() + " failed");
    fail_all(v);
    session_verdict_ = v;
  } else if (!quit_sent_) {
    std::string what;
    if (!expect_.empty()) {
      what = expect_.front() == Expect::Greeting ? std::string("while waiting for the initial greeting")
                                                 : std::string("while waiting for the reply to ") +
                                                       expect_name(expect_.front());
    } else if (phase_ == ClientPhase::TlsHandshake) {
      what = "during the TLS handshake";
    } else {
      what = "while idle";
    }
    if (active_ || !queue_.empty()) {
      note("connection lost " + what);
      Verdict v = local(Outcome::Deferred, Stage::ConnectionLost, "4.4.2",
                        "lost connection with " + host_text() + " " + what);
      fail_all(v);
      session_verdict_ = v;
    } else {
      note("connection closed by the server " + what);
    }
  }
  phase_ = ClientPhase::Closed;
  deadline_ = kNever;
  expect_.clear();
}

// send_line - write one command with CRLF and trace it (shown replaces the text when it holds secrets).
void SmtpClient::send_line(std::string_view line, std::string_view shown) {
  if (!shown.empty()) {
    out_.bytes.append(line);
    out_.bytes.append("\r\n");
    out_.events.push_back(ProtoEvent{ProtoEvent::Kind::Command, 0, std::string(shown)});
    return;
  }
  const std::size_t start = begin_command();
  out_.bytes.append(line);
  end_command(start);
}

// begin_command - a command line is about to be written into out_.bytes; returns where it starts.
// The output buffers keep room for a pipelined group so they do not grow command by command.
std::size_t SmtpClient::begin_command() {
  if (out_.bytes.capacity() < kOutputBytes) out_.bytes.reserve(kOutputBytes);
  if (out_.events.capacity() < kOutputEvents) out_.events.reserve(kOutputEvents);
  return out_.bytes.size();
}

// end_command - trace the command written since start (its text is the event) and end it with CRLF.
void SmtpClient::end_command(std::size_t start) {
  out_.events.push_back(ProtoEvent{ProtoEvent::Kind::Command, 0, out_.bytes.substr(start)});
  out_.bytes.append("\r\n");
}

// send_hello - "EHLO <helo_name>" or "HELO <helo_name>".
void SmtpClient::send_hello(std::string_view verb) {
  const std::size_t start = begin_command();
  out_.bytes.append(verb);
  out_.bytes += ' ';
  out_.bytes.append(config_.helo_name);
  end_command(start);
}

// timeout_for - how long to wait for the reply to e.
Duration SmtpClient::timeout_for(Expect e) const {
  switch (e) {
    case Expect::Greeting: return config_.timeouts.greeting;
    case Expect::Data: return config_.timeouts.data_init;
    case Expect::EndOfData: return config_.timeouts.data_done;
    case Expect::Quit: return config_.timeouts.quit;
    default: return config_.timeouts.command;
  }
}

// expect - one more reply is due; the first due reply sets the deadline.
void SmtpClient::expect(Expect e, SimTime now) {
  expect_.push_back(e);
  if (expect_.size() == 1) set_deadline_for_front(now);
}

// set_deadline_for_front - each reply that arrives restarts the clock for the next one.
void SmtpClient::set_deadline_for_front(SimTime now) {
  if (expect_.empty()) {
    deadline_ = kNever;
    return;
  }
  const Duration d = timeout_for(expect_.front());
  deadline_ = d >= kNever - now ? kNever : now + d;
}

// handle_reply - match a reply to the oldest command still waiting for one (RFC 2920 3.1).
void SmtpClient::handle_reply(const Reply& reply, SimTime now) {
  if (expect_.empty()) {
    if (reply.code == 421) {
      note("server closed the session: " + reply.summary());
      Verdict v = from_reply(reply, phase_stage());
      end_session(v, false, now);
      return;
    }
    protocol_error("unsolicited reply \"" + reply.summary() + "\" while no command was waiting for one",
                   phase_stage(), now);
    return;
  }
  const Expect e = expect_.front();
  expect_.pop_front();
  set_deadline_for_front(now);
  if (reply.code == 421 && e != Expect::Quit) {  // RFC 5321 3.8: the server is shutting the session down
    note("server is closing the session: " + reply.summary());
    end_session(from_reply(reply, stage_of(e)), false, now);
    return;
  }
  switch (e) {
    case Expect::Greeting: on_greeting(reply, now); break;
    case Expect::Ehlo: on_ehlo(reply, now); break;
    case Expect::Helo: on_helo(reply, now); break;
    case Expect::StartTls: on_starttls(reply, now); break;
    case Expect::Auth: on_auth(reply, now); break;
    case Expect::Mail: on_mail(reply, now); break;
    case Expect::Rcpt: on_rcpt(reply, now); break;
    case Expect::Data: on_data(reply, now); break;
    case Expect::EndOfData: on_end_of_data(reply, now); break;
    case Expect::Rset: on_rset(reply, now); break;
    case Expect::Quit: on_quit(reply, now); break;
  }
}

// on_greeting - 220: say EHLO; anything else refuses the session (RFC 5321 3.1: QUIT after 554).
void SmtpClient::on_greeting(const Reply& r, SimTime now) {
  if (r.code / 100 == 2) {
    phase_ = ClientPhase::Ehlo;
    send_hello("EHLO");
    expect(Expect::Ehlo, now);
    return;
  }
  if (r.code / 100 == 3) {
    protocol_error("greeting with intermediate code \"" + r.summary() + "\"", Stage::Greeting, now);
    return;
  }
  end_session(from_reply(r, Stage::Greeting), true, now);
}

// on_ehlo - 250: capabilities; 5xx: HELO (RFC 5321 3.2); 4xx: give up for now.
void SmtpClient::on_ehlo(const Reply& r, SimTime now) {
  if (r.code / 100 == 2) {
    caps_ = parse_ehlo(r);
    after_hello(now);
    return;
  }
  if (r.code / 100 == 5 && config_.helo_fallback) {
    note("EHLO refused (" + r.summary() + "): falling back to HELO");
    send_hello("HELO");
    expect(Expect::Helo, now);
    return;
  }
  if (r.code / 100 == 3) {
    protocol_error("EHLO answered with intermediate code \"" + r.summary() + "\"", Stage::Ehlo, now);
    return;
  }
  end_session(from_reply(r, Stage::Ehlo), true, now);
}

// on_helo - plain SMTP: no extensions at all.
void SmtpClient::on_helo(const Reply& r, SimTime now) {
  if (r.code / 100 == 2) {
    caps_ = Capabilities{};
    if (!r.lines.empty()) {
      const std::string& t = r.lines.front();
      caps_.server_name = t.substr(0, t.find(' '));
    }
    after_hello(now);
    return;
  }
  if (r.code / 100 == 3) {
    protocol_error("HELO answered with intermediate code \"" + r.summary() + "\"", Stage::Ehlo, now);
    return;
  }
  end_session(from_reply(r, Stage::Ehlo), true, now);
}

// after_hello - TLS first (as configured), then AUTH, then mail.
void SmtpClient::after_hello(SimTime now) {
  if (!tls_active_ && config_.tls != TlsMode::None && !tls_tried_) {
    if (caps_.starttls) {
      tls_tried_ = true;
      phase_ = ClientPhase::StartTls;
      send_line("STARTTLS");
      expect(Expect::StartTls, now);
      return;
    }
    if (config_.tls == TlsMode::Required) {
      error("TLS is required, but " + host_text() + " does not offer STARTTLS");
      end_session(local(Outcome::Deferred, Stage::StartTls, "4.7.4",
                        "TLS required but not offered by " + host_text()),
                  true, now);
      return;
    }
  }
  if (config_.auth && !authenticated_ && start_auth(now)) return;
  next_step(now);
}

// on_starttls - 220: hand the connection to TLS; refusal: give up (required) or go on in plaintext.
void SmtpClient::on_starttls(const Reply& r, SimTime now) {
  if (r.code / 100 == 2) {
    phase_ = ClientPhase::TlsHandshake;
    out_.start_tls = true;
    parser_.reset();
    expect_.clear();
    const Duration d = config_.timeouts.tls_handshake;
    deadline_ = d >= kNever - now ? kNever : now + d;
    return;
  }
  if (r.code / 100 == 3) {
    protocol_error("STARTTLS answered with intermediate code \"" + r.summary() + "\"", Stage::StartTls, now);
    return;
  }
  if (config_.tls == TlsMode::Required) {
    error("TLS is required, but " + host_text() + " refused STARTTLS: " + r.summary());
    end_session(local(Outcome::Deferred, Stage::StartTls, "4.7.4",
                      "TLS required but " + host_text() + " refused STARTTLS: " + r.summary()),
                true, now);
    return;
  }
  note("STARTTLS refused (" + r.summary() + "): continuing without TLS");
  if (config_.auth && !authenticated_ && start_auth(now)) return;
  next_step(now);
}

// on_rset - transaction state cleared; go on.
void SmtpClient::on_rset(const Reply& r, SimTime now) {
  if (r.code / 100 == 2) {
    phase_ = ClientPhase::Idle;
    next_step(now);
    return;
  }
  error("RSET refused: " + r.summary());
  Verdict v{Outcome::Deferred, Stage::Mail, r, false};  // the messages themselves were never refused
  end_session(v, true, now);
}

// on_quit - any reply to QUIT ends the session (RFC 5321 4.1.1.10).
void SmtpClient::on_quit(const Reply&, SimTime) { close_now(); }

// next_step - start the next transaction, QUIT, or wait for more messages.
void SmtpClient::next_step(SimTime now) {
  if (phase_ == ClientPhase::Closed || quit_sent_ || active_ || !expect_.empty()) return;
  while (!active_ && !queue_.empty()) start_transaction(now);
  if (active_ || phase_ == ClientPhase::Closed || quit_sent_) return;
  if (no_more_) {
    send_quit(now);
    return;
  }
  phase_ = ClientPhase::Idle;
  const Duration d = config_.timeouts.idle;
  deadline_ = d >= kNever - now ? kNever : now + d;
}

// send_quit - the polite end.
void SmtpClient::send_quit(SimTime now) {
  quit_sent_ = true;
  phase_ = ClientPhase::Quit;
  send_line("QUIT");
  expect(Expect::Quit, now);
}

// close_now - ask the driver to close; nothing more is sent or expected.
void SmtpClient::close_now() {
  phase_ = ClientPhase::Closed;
  out_.close = true;
  deadline_ = kNever;
  expect_.clear();
}

}  // namespace smtpsim::smtp
