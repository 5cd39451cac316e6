// smtp_server.cpp - the SMTP server engine's core: Engine entry points, command-line framing,
// dispatch through the state table, reply formatting, error counting, tarpit holds and timeouts.
//
// Choices (documented here once):
//  * Framing. Only CRLF ends a command line (RFC 5321 2.3.8). In BareNewlineMode::Normalize a bare
//    LF also ends a command line (Postfix "normalize"); a bare CR never does. A line longer than
//    max_line (512, or 12288 for AUTH lines, RFC 4954 4) gets 500 5.5.2 once its CRLF arrives; the
//    octets in between are dropped as they come, so a client that never sends CRLF costs at most
//    one line of memory and is cut off by the command timeout.
//  * Timeouts. command_timeout runs from our last reply to the next COMPLETE command: a client
//    sending one octet a minute does not keep the session alive (Postfix's per-record deadline).
//    In DATA every complete line restarts data_timeout. Expiry: 421 4.4.2 and close.
//  * Errors. Replies 500-504, 535 and 555 count as client errors; at max_errors (20, Postfix
//    smtpd_hard_error_limit) the server sends 421 4.7.0 and closes. 452 4.5.3 (too many
//    recipients) and policy refusals are normal flow and do not count.
//  * Enhanced status codes on every reply except the greeting, EHLO/HELO replies, 334 and 354
//    (RFC 2034 3; Postfix adds them even before EHLO, and so do we).
//  * Tarpit. Output of one step (a command, the greeting) is held for behaviour.tarpit; input
//    that arrives meanwhile waits (bounded by max_pending_input, beyond which the client is
//    clearly not waiting for replies: 554 5.5.0 and close).
#include "sim/smtp/smtp_server.hpp"
#include "sim/core/ascii.hpp"
#include "sim/smtp/smtp_sasl.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>

namespace smtpsim::smtp {
namespace {

constexpr auto istarts = ascii_istarts;

// append_output - move everything from src to the end of dst.
void append_output(EngineOutput& dst, EngineOutput&& src) {
  if (dst.empty()) {
    std::swap(dst, src);  // src keeps dst's empty buffers and their capacity
  } else {
    dst.bytes += src.bytes;
    for (ProtoEvent& e : src.events) dst.events.push_back(std::move(e));
    dst.start_tls = dst.start_tls || src.start_tls;
    dst.close = dst.close || src.close;
  }
  src.clear();
}

// generic_enhanced - "<class>.0.0" for a reply code of class 2, 4 or 5; "" otherwise.
std::string generic_enhanced(int code) {
  int k = code / 100;
  if (k == 2 || k == 4 || k == 5) return std::to_string(k) + ".0.0";
  return "";
}

}  // namespace

// SmtpServer - a session for one accepted connection.
SmtpServer::SmtpServer(ServerConfig config, ServerPolicy& policy, PeerInfo peer)
    : cfg_(std::move(config)), policy_(policy) {
  if (cfg_.max_message_size == 0) cfg_.max_message_size = 10'240'000;
  if (cfg_.max_line < 16) cfg_.max_line = 16;
  if (cfg_.max_recipients == 0) cfg_.max_recipients = 1;
  if (cfg_.max_errors < 1) cfg_.max_errors = 1;
  facts_.server_name = cfg_.hostname;
  size_keyword_ = "SIZE " + std::to_string(cfg_.max_message_size);
  facts_.client_ip = std::move(peer.ip);
  facts_.client_name = std::move(peer.name);
}

// on_open - the greeting, or the behaviour's refusal.
void SmtpServer::on_open(SimTime now) {
  if (opened_ || state_ == ServerState::Closed) return;
  opened_ = true;
  facts_.connected_at = now;
  facts_.now = now;
  std::optional<ServerReply>& greeting = policy_.behaviour.refuse_connection;
  if (greeting && greeting->refuses()) {
    std::optional<ServerReply> refused = use_override(greeting);
    reply_custom(*refused, refused->code == 421 ? ReplyId::ServiceUnavailable : ReplyId::NoService,
                 {{"host", cfg_.hostname}}, /*bare=*/true);
    if (refused->code == 421) {
      note("behaviour: connection refused with 421");
      close_session();
    } else {
      note("behaviour: session refused; only QUIT is accepted");
      state_ = ServerState::Refused;
    }
  } else {
    answer(greeting, ReplyId::Greeting, {{"host", cfg_.hostname}}, /*bare=*/true);
  }
  end_step(now);
  process(now);
}

// on_bytes - buffer client input and work through it.
void SmtpServer::on_bytes(std::string_view bytes, SimTime now) {
  if (bytes.empty()) return;
  if (state_ == ServerState::Closed) return;
  facts_.now = now;
  if (state_ == ServerState::StartTls) {
    error("discarded " + std::to_string(bytes.size()) +
          " octets of plaintext received while the TLS handshake was pending");
    append_output(ready_, std::move(stage_));
    return;
  }
  if (!greeting_sent_) pregreet_ = true;
  std::size_t pending = in_.size() - in_pos_;
  if (pending + bytes.size() > cfg_.max_pending_input && hold_until_ != kNever) {
    // The client keeps sending while a reply is held: it is not waiting for replies at all.
    error("client sent more than " + std::to_string(cfg_.max_pending_input) +
          " octets without waiting for a reply");
    append_output(ready_, std::move(held_));
    hold_until_ = kNever;
    reply(ReplyId::SyncError);
    close_session();
    append_output(ready_, std::move(stage_));
    return;
  }
  if (state_ == ServerState::Data && in_pos_ >= in_.size() && hold_until_ == kNever && greeting_sent_) {
    // Message octets with nothing waiting before them: scan them where they are, keep only the
    // unfinished rest (a CR that may start CRLF, a line start that may be ".\r\n" or "Received:").
    pregreet_ = false;
    std::size_t used = 0;
    const bool ended = consume_data(bytes, used, now);
    if (state_ != ServerState::Closed) {
      in_.assign(bytes.substr(used));
      in_pos_ = 0;
    }
    if (ended) end_step(now);
    process(now);
    return;
  }
  if (in_.capacity() < kInputReserve) in_.reserve(kInputReserve);  // a pipelined command group fits
  in_.append(bytes);
  process(now);
}

// on_tls - the handshake the engine asked for is over.
void SmtpServer::on_tls(const TlsInfo& info, SimTime now) {
  facts_.now = now;
  // A result for a handshake not yet asked for (the 220 and start_tls still held by the tarpit) is
  // as stray as one outside STARTTLS: closing on it would let the held 220 out after the close.
  if (state_ != ServerState::StartTls || hold_until_ != kNever) {
    error("TLS event outside STARTTLS ignored");
    append_output(ready_, std::move(stage_));
    return;
  }
  if (!info.ok) {
    error("TLS handshake failed: " + info.error);
    close_session();
    append_output(ready_, std::move(stage_));
    return;
  }
  // RFC 3207 4.2: forget everything learnt before TLS; the client starts over with EHLO.
  facts_.tls = true;
  facts_.tls_version = info.version;
  facts_.tls_cipher = info.cipher;
  facts_.helo.clear();
  facts_.esmtp = false;
  facts_.auth_user.clear();
  facts_.auth_mechanism.clear();
  reset_transaction();
  state_ = ServerState::Connected;
  note("TLS established: " + info.version + " " + info.cipher);
  append_output(ready_, std::move(stage_));
  idle_deadline_ = now + cfg_.command_timeout;
  process(now);
}

// on_timer - tarpit release or timeout.
void SmtpServer::on_timer(SimTime now) {
  facts_.now = now;
  if (hold_until_ != kNever) {
    if (now >= hold_until_) {
      release_hold(now);
      process(now);
    }
    return;
  }
  if (state_ == ServerState::Closed || now < idle_deadline_) return;
  error("timeout after " + std::string(to_string(state_)) +
        (state_ == ServerState::Data ? " (" + std::to_string(rx_.size) + " octets of message data)" : ""));
  if (state_ == ServerState::StartTls) {
    close_session();  // no plaintext reply is possible in the middle of a handshake
  } else {
    reply(ReplyId::Timeout, {{"host", cfg_.hostname}});
    close_session();
  }
  append_output(ready_, std::move(stage_));
}

// on_closed - the connection is gone; nothing more is written.
void SmtpServer::on_closed(SimTime now) {
  facts_.now = now;
  held_ = EngineOutput{};
  stage_ = EngineOutput{};
  ready_.bytes.clear();
  ready_.start_tls = false;
  if (state_ == ServerState::Data)
    note("connection lost in DATA after " + std::to_string(rx_.size) + " octets; message not accepted");
  else if (state_ != ServerState::Closed)
    note("connection closed by client in " + std::string(to_string(state_)));
  append_output(ready_, std::move(stage_));
  state_ = ServerState::Closed;
  hold_until_ = kNever;
  idle_deadline_ = kNever;
  in_.clear();
  in_pos_ = 0;
  rx_ = DataRx{};
}

// deadline - the tarpit release, else the idle timeout.
SimTime SmtpServer::deadline() const {
  if (hold_until_ != kNever) return hold_until_;
  if (state_ == ServerState::Closed) return kNever;
  return idle_deadline_;
}

// take_output - drain.
EngineOutput SmtpServer::take_output() {
  EngineOutput out = std::move(ready_);
  ready_ = EngineOutput{};
  return out;
}

// take_output_into - drain into the driver's buffer, keeping its capacity for the next round.
void SmtpServer::take_output_into(EngineOutput& into) {
  into.clear();
  std::swap(into, ready_);
}

// finished - closed and everything handed out.
bool SmtpServer::finished() const {
  return state_ == ServerState::Closed && hold_until_ == kNever && ready_.empty();
}

// process - run complete commands (or DATA octets) from the input buffer.
void SmtpServer::process(SimTime now) {
  while (state_ != ServerState::Closed && hold_until_ == kNever && state_ != ServerState::StartTls) {
    if (!greeting_sent_) break;
    if (pregreet_ && cfg_.enforce_sync && state_ != ServerState::Data) {
      pregreet_ = false;
      error("client spoke before the greeting: " + preview_pending(Verb::None));
      reply(ReplyId::SyncError);
      close_session();
      end_step(now);
      break;
    }
    pregreet_ = false;
    if (state_ == ServerState::Data) {
      std::size_t used = 0;
      const bool ended = consume_data(std::string_view(in_).substr(in_pos_), used, now);
      if (state_ != ServerState::Closed) in_pos_ += used;
      if (!ended) break;
      end_step(now);
      continue;
    }
    std::string_view line;
    bool too_long = false;
    if (!next_line(line, too_long)) break;
    handle_line(line, too_long, now);
    end_step(now);
  }
  end_step(now);  // notes of a partial DATA step
  compact_input();
}

// line_limit - the longest line (incl. CRLF) accepted now.
std::size_t SmtpServer::line_limit() const {
  if (state_ == ServerState::Auth) return std::max(cfg_.max_line, kMaxAuthLine);
  std::string_view pending(in_);
  pending.remove_prefix(in_pos_);
  if (istarts(pending, "AUTH ")) return std::max(cfg_.max_line, kMaxAuthLine);
  return cfg_.max_line;
}

// next_line - the next complete command line (without its line end); false when more input is
// needed. Over-long lines are dropped as they arrive and come back once as too_long.
bool SmtpServer::next_line(std::string_view& line, bool& too_long) {
  std::string_view s(in_);
  const bool lf_ends = cfg_.bare_newline == BareNewlineMode::Normalize;
  if (discarding_) {
    // Drop up to and including the CRLF that ends the long line.
    std::size_t i = in_pos_;
    if (discard_cr_ && i < s.size() && s[i] == '\n') {
      in_pos_ = i + 1;
      discarding_ = discard_cr_ = false;
      line = {};
      too_long = true;
      return true;
    }
    auto end = lf_ends ? s.find('\n', i) : s.find("\r\n", i);
    if (end == std::string_view::npos) {
      discard_cr_ = !s.empty() && s.back() == '\r' && s.size() > i;
      in_pos_ = s.size();
      return false;
    }
    in_pos_ = end + (lf_ends ? 1 : 2);
    discarding_ = discard_cr_ = false;
    line = {};
    too_long = true;
    return true;
  }
  std::size_t limit = line_limit();
  std::size_t end = lf_ends ? s.find('\n', in_pos_) : s.find("\r\n", in_pos_);
  if (end == std::string_view::npos) {
    if (s.size() - in_pos_ > limit) {
      discarding_ = true;
      discard_cr_ = s.back() == '\r';
      in_pos_ = s.size();
    }
    return false;
  }
  std::size_t content_end = end;
  std::size_t next = end + (lf_ends ? 1 : 2);
  if (lf_ends && content_end > in_pos_ && s[content_end - 1] == '\r') --content_end;
  line = s.substr(in_pos_, content_end - in_pos_);
  in_pos_ = next;
  too_long = line.size() + 2 > limit;
  return true;
}

// handle_line - one complete line outside DATA.
void SmtpServer::handle_line(std::string_view line, bool too_long, SimTime now) {
  record_rx(line, too_long);
  handle_received(line, too_long, now);
  answering_ = false;
}

// handle_received - what handle_line does with the line once it is recorded.
void SmtpServer::handle_received(std::string_view line, bool too_long, SimTime now) {
  if (state_ == ServerState::Auth) {
    if (too_long) {
      reply(ReplyId::AuthLineTooLong);
      auth_end();
      return;
    }
    auth_response(line, now);
    return;
  }
  if (too_long) {
    error("command line longer than " + std::to_string(line_limit()) + " octets discarded");
    reply(ReplyId::LineTooLong);
  } else if (line.find('\0') != std::string_view::npos) {
    error("command line with a NUL octet ignored");
    reply(ReplyId::NulInCommand);
  } else if (line.find('\n') != std::string_view::npos) {
    error("command line with a bare LF ignored");
    reply(ReplyId::BareLfInCommand);
  } else if (line.find('\r') != std::string_view::npos) {
    error("command line with a bare CR ignored");
    reply(ReplyId::BareCrInCommand);
  } else {
    CommandLine c = split_command(line);
    if (state_ == ServerState::Refused && c.verb != Verb::Quit) {
      reply(ReplyId::NoServiceHere);
    } else if (c.verb == Verb::None) {
      reply(ReplyId::EmptyCommand);
    } else if (c.verb == Verb::Unknown) {
      reply(ReplyId::Unrecognized);
    } else if (!verb_implemented(c.verb)) {
      reply(ReplyId::NotImplemented);
    } else if (cfg_.enforce_sync && sync_violation(c.verb)) {
      error("improper command pipelining after " + std::string(verb_name(c.verb)) + ": " +
            preview_pending(c.verb));
      reply(ReplyId::SyncError);
      close_session();
      return;
    } else if (policy_.behaviour.close_at == c.verb || (policy_.behaviour.shutting_down && c.verb != Verb::Quit)) {
      note("behaviour: closing the connection at " + std::string(verb_name(c.verb)));
      reply(ReplyId::ServiceUnavailable, {{"host", cfg_.hostname}});
      close_session();
      return;
    } else if (const Transition* t = find_transition(state_, c.verb)) {
      dispatch(c, *t, now);
    } else if (c.verb == Verb::Data && state_ == ServerState::Mail && rcpt_attempted_) {
      reply(ReplyId::NoValidRecipients);
    } else {
      reply(sequence_error(state_, c.verb));
    }
  }
  if (errors_ >= cfg_.max_errors && state_ != ServerState::Closed) {
    error("too many errors (" + std::to_string(errors_) + "); disconnecting");
    reply(ReplyId::TooManyErrors, {{"host", cfg_.hostname}});
    close_session();
  }
}

// sync_violation - RFC 2920 3.1: is input waiting behind a command that must end a group?
bool SmtpServer::sync_violation(Verb v) const {
  if (in_pos_ >= in_.size()) return false;
  if (v == Verb::Quit || v == Verb::StartTls) return false;  // QUIT closes; STARTTLS discards
  bool pipelining = cfg_.pipelining && facts_.esmtp;
  if (!pipelining) return true;
  switch (v) {
    case Verb::Ehlo: case Verb::Helo: case Verb::Data: case Verb::Auth: case Verb::Vrfy: case Verb::Noop:
      return true;
    default:
      return false;
  }
}

// end_step - hand the step's output out, or hold it for the tarpit.
void SmtpServer::end_step(SimTime now) {
  if (stage_.empty()) return;
  Duration tarpit = policy_.behaviour.tarpit;
  if (tarpit > 0 && !stage_.bytes.empty() && hold_until_ == kNever) {
    held_ = std::move(stage_);
    stage_ = EngineOutput{};
    hold_until_ = now + tarpit;
    return;
  }
  bool had_bytes = !stage_.bytes.empty();
  append_output(ready_, std::move(stage_));
  if (had_bytes) {
    greeting_sent_ = true;
    idle_deadline_ = now + (state_ == ServerState::Data ? cfg_.data_timeout : cfg_.command_timeout);
  }
}

// release_hold - the tarpit delay is over.
void SmtpServer::release_hold(SimTime now) {
  append_output(ready_, std::move(held_));
  hold_until_ = kNever;
  greeting_sent_ = true;
  idle_deadline_ = now + (state_ == ServerState::Data ? cfg_.data_timeout : cfg_.command_timeout);
}

// compact_input - forget consumed input.
void SmtpServer::compact_input() {
  if (in_pos_ == 0) return;
  if (in_pos_ >= in_.size()) {
    in_.clear();
  } else {
    in_.erase(0, in_pos_);
  }
  in_pos_ = 0;
}

// send_line - one reply line into the step's output, with its event.
void SmtpServer::send_line(int code, std::string_view enhanced, std::string_view text, bool more) {
  send_rendered(code, enhanced, text, {}, more);
}

// send_rendered - one reply line "code[-| ][enhanced ]text" written straight into the step's
// output, the text being tmpl with its placeholders filled; the line (without CRLF) is the event.
void SmtpServer::send_rendered(int code, std::string_view enhanced, std::string_view tmpl,
                               std::span<const TextVar> vars, bool more) {
  reserve_stage();
  std::string& out = stage_.bytes;
  const std::size_t start = out.size();
  char digits[16];
  const auto [digits_end, ec] = std::to_chars(std::begin(digits), std::end(digits), code);
  (void)ec;
  out.append(digits, digits_end);
  out += more ? '-' : ' ';
  const bool with_enhanced = cfg_.enhanced_status_codes && !enhanced.empty();
  if (with_enhanced) {
    out += enhanced;
    out += ' ';
  }
  const std::size_t text_start = out.size();
  append_rendered(out, tmpl, vars);
  if (with_enhanced && out.size() == text_start) out.pop_back();  // no text: no space after the code
  stage_.events.push_back(ProtoEvent{ProtoEvent::Kind::Reply, code, out.substr(start)});
  stage_.events.back().answers = answering_ && code != 421;
  out += "\r\n";
  if (!more) count_error(code);
}

// reserve_stage - room for a typical step (an EHLO reply) in the step's buffers, so they do not
// grow line by line; buffers handed back by the driver already have it.
void SmtpServer::reserve_stage() {
  if (stage_.bytes.capacity() < kStageBytes) stage_.bytes.reserve(kStageBytes);
  if (stage_.events.capacity() < kStageEvents) stage_.events.reserve(kStageEvents);
}

// reply - a catalogue reply with its placeholders filled.
void SmtpServer::reply(ReplyId id, std::initializer_list<TextVar> vars) {
  const ReplyEntry& e = smtp_reply(id);
  send_rendered(e.code, e.enhanced, e.text, std::span<const TextVar>(vars.begin(), vars.size()), false);
}

// reply_lines - a multi-line reply of one catalogue code: texts[i] per line.
void SmtpServer::reply_lines(ReplyId id, const std::vector<std::string>& texts) {
  const ReplyEntry& e = smtp_reply(id);
  for (std::size_t i = 0; i < texts.size(); ++i) send_line(e.code, e.enhanced, texts[i], i + 1 < texts.size());
}

// reply_custom - a reply chosen by a role or scenario, completed from the catalogue: a missing
// text comes from the context's entry when the code matches (MAIL -> "Sender address rejected"),
// else from the first catalogue entry with the same (code, enhanced), else with the same code.
// `bare`: no "<class>.0.0" is added when the reply has no enhanced code (greeting, EHLO, 354).
void SmtpServer::reply_custom(const ServerReply& r, ReplyId context, std::initializer_list<TextVar> vars,
                              bool bare) {
  int code = (r.code >= 200 && r.code <= 599) ? r.code : 451;
  std::string enhanced = r.enhanced;
  if (enhanced.empty() && !bare) enhanced = generic_enhanced(code);
  std::string text;
  if (!r.text.empty()) {
    text = render_text(r.text, vars);
  } else {
    const ReplyEntry& ctx = smtp_reply(context);
    auto entries = smtp_catalog_entries();
    const ReplyEntry* found = nullptr;
    if (ctx.code == code && ctx.enhanced == enhanced) found = &ctx;
    for (auto it = entries.begin(); !found && it != entries.end(); ++it)
      if (it->code == code && it->enhanced == enhanced) found = &*it;
    if (!found && ctx.code == code) found = &ctx;
    for (auto it = entries.begin(); !found && it != entries.end(); ++it)
      if (it->code == code) found = &*it;
    text = found ? render_text(found->text, vars) : std::string("Error");
  }
  send_line(code, enhanced, text, false);
}

// refused_by - a behaviour override that refuses this command (4xx/5xx, smtp_policy.hpp): sent
// instead of carrying it out, one use counted; a 421 also closes the connection. True when sent.
bool SmtpServer::refused_by(std::optional<ServerReply>& o, ReplyId context, std::initializer_list<TextVar> vars,
                            std::string_view what) {
  if (!o || !o->refuses()) return false;
  const ServerReply r = *use_override(o);
  note("behaviour: " + std::string(what) + " refused");
  if (r.code == 421) {
    reply_custom(r, ReplyId::ServiceUnavailable, {{"host", cfg_.hostname}});
    close_session();
  } else {
    reply_custom(r, context, vars);
  }
  return true;
}

// answer - a command's success reply: a positive behaviour override (its words, one use counted)
// when one is set, else the catalogue's `normal` reply.
void SmtpServer::answer(std::optional<ServerReply>& o, ReplyId normal, std::initializer_list<TextVar> vars,
                        bool bare) {
  if (o && !o->refuses()) {
    reply_custom(*use_override(o), normal, vars, bare);
  } else {
    reply(normal, vars);
  }
}

// count_error - client errors that count towards max_errors.
void SmtpServer::count_error(int code) {
  if ((code >= 500 && code <= 504) || code == 535 || code == 555) ++errors_;
}

// record_rx - the line just received, as a command event of this side (secrets masked the way the
// client engine masks them); replies until the line is handled answer it (421s excepted).
void SmtpServer::record_rx(std::string_view line, bool too_long) {
  std::string shown;
  if (too_long) {
    shown = "<line too long, discarded>";
  } else if (state_ == ServerState::Auth) {
    // A SASL response: only the LOGIN user name is shown (as the client shows it); "*" cancels.
    shown = line == "*" || auth_step_ == AuthStep::LoginUser ? std::string(line) : std::string(kMaskedSecret);
  } else if (line.size() > 5 && ascii_istarts(line, "AUTH ")) {
    std::string_view rest = line.substr(5);
    std::size_t sp = rest.find(' ');
    shown.assign(line.substr(0, sp == std::string_view::npos ? line.size() : 5 + sp + 1));
    if (sp != std::string_view::npos) shown += kMaskedSecret;
  } else {
    shown.assign(line);
  }
  ProtoEvent ev{ProtoEvent::Kind::Command, 0, std::move(shown)};
  ev.rx = true;
  // Straight to the output: the line was received now, even when the reply is held (tarpit).
  ready_.events.push_back(std::move(ev));
  answering_ = true;
}

// note / error - events for the trace.
void SmtpServer::note(std::string text) {
  stage_.events.push_back(ProtoEvent{ProtoEvent::Kind::Note, 0, std::move(text)});
}
void SmtpServer::error(std::string text) {
  stage_.events.push_back(ProtoEvent{ProtoEvent::Kind::Error, 0, std::move(text)});
}

// close_session - after the replies of this step, close; ignore all further input.
void SmtpServer::close_session() {
  stage_.close = true;
  state_ = ServerState::Closed;
  in_.clear();
  in_pos_ = 0;
  discarding_ = false;
  rx_ = DataRx{};
  auth_user_pending_.clear();
  auth_step_ = AuthStep::None;
}

// preview_pending - a short printable view of the waiting input; AUTH data is masked.
std::string SmtpServer::preview_pending(Verb v) const {
  std::string_view s(in_);
  s.remove_prefix(std::min(in_pos_, s.size()));
  std::size_t total = s.size();
  if (v == Verb::Auth || istarts(s, "AUTH")) return std::to_string(total) + " octets (AUTH data, not shown)";
  std::string out = "\"";
  std::size_t shown = 0;
  for (char c : s) {
    if (shown == 40) break;
    ++shown;
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) out += '?';
    else out += c;
  }
  out += shown < total ? "...\"" : "\"";
  // A pipelined AUTH later in the preview is masked from its verb on.
  std::string upper = out;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto a = upper.find("AUTH ");
  if (a != std::string::npos) out = out.substr(0, a) + "AUTH ***\"";
  return out + " (" + std::to_string(total) + " octets)";
}

}  // namespace smtpsim::smtp
