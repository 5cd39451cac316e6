// pop3_server.cpp - the POP3 server engine: engine entry points, input framing and dispatch, output
// (the command handlers are in pop3_server_commands.cpp).
//
// [SECTION] engine entry points (open, bytes, tls, timer, close)
// [SECTION] input: line framing, limits, dispatch through the command table
// [SECTION] output: status lines, multi-line blocks, held (delayed) responses
#include "sim/pop3/pop3_server.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "sim/pop3/pop3_auth.hpp"
#include "sim/pop3/pop3_catalog.hpp"
#include "sim/pop3/pop3_text.hpp"

namespace smtpsim::pop3 {

using text::count_of;
using text::printable;


// LoginTracker::last - last login time of a mailbox.
std::optional<SimTime> LoginTracker::last(std::string_view mailbox) const {
  auto it = last_.find(mailbox);
  if (it == last_.end()) return std::nullopt;
  return it->second;
}

// LoginTracker::record - remember a login.
void LoginTracker::record(std::string_view mailbox, SimTime now) {
  auto it = last_.find(mailbox);
  if (it != last_.end()) it->second = now;
  else last_.emplace(std::string(mailbox), now);
}

// ============================================================================================
// [SECTION] engine entry points
// ============================================================================================

// Server - a session waiting for on_open.
Server::Server(ServerConfig cfg, const mail::Directory& directory, mail::MailboxStore& store, LoginTracker* logins)
    : cfg_(std::move(cfg)), dir_(directory), store_(store), logins_(logins), tls_active_(cfg_.tls_active) {
  if (cfg_.max_line < 8) cfg_.max_line = 8;
  if (cfg_.max_sasl_line < cfg_.max_line) cfg_.max_sasl_line = cfg_.max_line;
  if (cfg_.max_auth_failures < 1) cfg_.max_auth_failures = 1;
  if (cfg_.max_bad_commands < 1) cfg_.max_bad_commands = 1;
}

// ~Server - a session that ends without UPDATE keeps every message.
Server::~Server() { release_lock(); }

// on_open - send the greeting (with the APOP timestamp when APOP is offered).
void Server::on_open(SimTime now) {
  if (opened_ || state_ == State::Closed) return;
  opened_ = true;
  last_activity_ = now;
  if (cfg_.allow_apop) timestamp_ = apop_timestamp(cfg_.session_id, now, cfg_.host_name);
  if (override_for("CONNECT", true)) {
    refuse_by_override("CONNECT");
  } else if (override_for("CONNECT", false)) {
    std::string line = use_override("CONNECT");
    if (!timestamp_.empty()) line += " " + timestamp_;  // APOP needs it (RFC 1939 7)
    status_line(1, std::move(line));
  } else {
    reply(Reply::Greeting, {{"host", cfg_.host_name}, {"timestamp", timestamp_}});
  }
  finish_response(now);
}

// on_bytes - buffer and process complete lines.
void Server::on_bytes(std::string_view bytes, SimTime now) {
  if (state_ == State::Closed || bytes.empty()) return;
  if (awaiting_tls_) {  // plaintext after STLS that the driver still handed us: never executed
    stats_.discarded_after_stls += bytes.size();
    note("discarded " + std::to_string(bytes.size()) + " octets received before the TLS handshake",
         ProtoEvent::Kind::Error);
    return;
  }
  in_.append(bytes);
  process(now);
  if (in_.size() > cfg_.max_buffered_input && state_ != State::Closed) {
    // A client that pipelines without reading the (held) answers: stop buffering for it.
    note("more than " + std::to_string(cfg_.max_buffered_input) + " octets of unprocessed input: closing",
         ProtoEvent::Kind::Error);
    in_.clear();
    if (holding()) {
      held_.close = true;  // after the answers already owed
      state_ = State::Closed;
      release_lock();
    } else {
      close_now("input flood");
    }
    finish_response(now);
  }
}

// on_tls - the handshake after STLS (or a failure: nothing more can be said in plaintext).
void Server::on_tls(const TlsInfo& info, SimTime now) {
  if (state_ == State::Closed) return;
  if (!awaiting_tls_) {  // a driver bug: no STLS was answered; nothing changes
    note("ignored a TLS handshake result: no STLS was accepted", ProtoEvent::Kind::Error);
    finish_response(now);
    return;
  }
  awaiting_tls_ = false;
  last_activity_ = now;
  if (!info.ok) {
    // Nothing more can be said on this connection: close at once, whatever was still held.
    hold_until_ = kNever;
    held_ = EngineOutput{};
    note("TLS handshake failed: " + info.error, ProtoEvent::Kind::Error);
    close_now("TLS handshake failed");
    set_mark();
    return;
  }
  tls_active_ = true;
  have_pending_user_ = false;
  note("TLS active (" + info.version + " " + info.cipher + "); the client must log in now");
  finish_response(now);
  process(now);
}

// on_timer - release a held response, or log out an idle session.
void Server::on_timer(SimTime now) {
  if (holding()) {
    if (now < hold_until_) return;
    hold_until_ = kNever;
    release_held();
    last_activity_ = now;
    process(now);
    return;
  }
  if (state_ == State::Closed || awaiting_tls_ || cfg_.autologout <= 0) return;
  if (now - last_activity_ < cfg_.autologout) return;
  // RFC 1939 section 3: close without a response and without entering UPDATE.
  note("autologout after " + format_duration(cfg_.autologout) + " without a command; nothing deleted");
  close_now("autologout");
  finish_response(now);
}

// on_closed - the client went away: no UPDATE, the lock is released.
void Server::on_closed(SimTime /*now*/) {
  if (state_ == State::Transaction) {
    std::uint64_t marked = 0;
    for (const auto& m : drop_) marked += m.deleted ? 1 : 0;
    out_.events.push_back({ProtoEvent::Kind::Note, 0,
                           "connection closed in TRANSACTION without QUIT: no UPDATE, " +
                               count_of(marked, "message") + " marked deleted kept"});
  }
  release_lock();
  state_ = State::Closed;
  hold_until_ = kNever;
  held_ = EngineOutput{};
  in_.clear();
}

// deadline - the held response, else the autologout time.
SimTime Server::deadline() const {
  if (holding()) return hold_until_;
  if (state_ == State::Closed || !opened_ || cfg_.autologout <= 0 || awaiting_tls_) return kNever;
  return last_activity_ + cfg_.autologout;
}

// take_output - hand over what is ready.
EngineOutput Server::take_output() {
  EngineOutput o = std::exchange(out_, EngineOutput{});
  set_mark();
  return o;
}

// ============================================================================================
// [SECTION] input
// ============================================================================================

// process - frame lines (LF ends a line, a CR before it is dropped) and handle them one by one;
// stops while a response is held, after STLS, and once closed.
void Server::process(SimTime now) {
  std::size_t pos = 0;
  reserve_for_retr();
  while (!holding() && state_ != State::Closed && !awaiting_tls_ && pos < in_.size()) {
    const std::size_t limit = in_sasl_ ? cfg_.max_sasl_line : cfg_.max_line;
    const char* base = in_.data() + pos;
    const void* lf = std::memchr(base, '\n', in_.size() - pos);
    if (discarding_) {
      if (lf == nullptr) {
        pos = in_.size();
        break;
      }
      pos = std::size_t(static_cast<const char*>(lf) - in_.data()) + 1;
      discarding_ = false;
      continue;
    }
    if (lf == nullptr) {
      if (in_.size() - pos >= limit) {  // no end in sight: answer now, drop the rest of the line
        pos = in_.size();
        discarding_ = true;
        last_activity_ = now;
        record_rx({}, true);
        line_too_long(limit);
        answering_ = false;
        finish_response(now);
      }
      break;
    }
    const std::size_t len = std::size_t(static_cast<const char*>(lf) - base);  // without the LF
    std::string_view line(base, len);
    pos += len + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    last_activity_ = now;
    record_rx(line, len + 1 > limit);
    if (len + 1 > limit) {
      line_too_long(limit);
    } else if (in_sasl_) {
      handle_sasl(line, now);
    } else {
      handle_line(line, now);
    }
    answering_ = false;
    if (awaiting_tls_ && pos < in_.size()) {
      // RFC 2595 / CVE-2011-0411: whatever was pipelined behind STLS is never executed.
      const std::size_t dropped = in_.size() - pos;
      stats_.discarded_after_stls += dropped;
      note("discarded " + std::to_string(dropped) + " octets pipelined after STLS", ProtoEvent::Kind::Error);
      pos = in_.size();
    }
    finish_response(now, std::exchange(pending_extra_delay_, 0));
  }
  in_.erase(0, std::min(pos, in_.size()));
  if (state_ == State::Closed) in_.clear();
}

// record_rx - the line just received, as a command event of this side (secrets masked as the
// client masks them). It goes out now, even when the response is held; responses until the line is
// handled answer it.
void Server::record_rx(std::string_view line, bool too_long) {
  ProtoEvent ev{ProtoEvent::Kind::Command, 0,
                too_long ? std::string("<line too long, discarded>") : mask_command(line, in_sasl_)};
  ev.rx = true;
  out_.events.push_back(std::move(ev));
  set_mark();
  answering_ = true;
}

// reserve_for_retr - size the output once for the RETRs pipelined in the input, so that a batch
// of messages is copied into the output once instead of again at every reallocation.
void Server::reserve_for_retr() {
  if (state_ != State::Transaction || cfg_.behaviour.response_delay > 0) return;
  constexpr std::uint64_t kCap = 16u << 20;
  std::uint64_t need = 0;
  std::size_t count = 0, pos = 0;
  while (pos < in_.size() && need < kCap) {
    const std::size_t lf = in_.find('\n', pos);
    if (lf == std::string::npos) break;
    std::string_view line(in_.data() + pos, lf - pos);
    pos = lf + 1;
    if (line.size() < 6 || (line[0] | 0x20) != 'r' || (line[1] | 0x20) != 'e' || (line[2] | 0x20) != 't' ||
        (line[3] | 0x20) != 'r' || line[4] != ' ')
      continue;
    line.remove_prefix(5);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto n = parse_number(line);
    if (n && *n >= 1 && *n <= drop_.size()) {
      need += drop_[*n - 1].size + drop_[*n - 1].size / 64 + 48;
      ++count;
    }
  }
  if (need > 0) out_.bytes.reserve(out_.bytes.size() + std::min(need, kCap));
  if (count > 0) out_.events.reserve(out_.events.size() + 2 * count);
}

// handle_line - parse, look up in the table, check state and arity, dispatch.
void Server::handle_line(std::string_view line, SimTime now) {
  const bool had_user = std::exchange(have_pending_user_, false);
  Command& cmd = cmd_;  // reused: its buffers survive from command to command
  std::string error;
  auto bad = [&](Reply id, std::initializer_list<smtp::TextVar> vars) {
    const std::string what = smtp::render_text(reply_entry(id).text, vars);
    note(what + ": \"" + printable(mask_command(line)) + "\"", ProtoEvent::Kind::Error);
    stats_.bad_commands++;
    if (stats_.bad_commands >= cfg_.max_bad_commands) {
      reply(Reply::TooManyBad, {{"error", what}});
      close_now("too many invalid commands");
    } else {
      reply(id, vars);
    }
  };
  if (!parse_command(line, cmd, error)) {
    if (!error.empty() && error[0] >= 'a' && error[0] <= 'z') error[0] = char(error[0] - 'a' + 'A');
    bad(Reply::BadLine, {{"error", error.empty() ? std::string_view("Invalid command") : std::string_view(error)}});
    return;
  }
  const CommandSpec* spec = find_command(cmd.verb);
  if (spec == nullptr) {
    bad(Reply::Unknown, {{"verb", cmd.verb}});
    return;
  }
  if ((spec->valid & bit(state_)) == 0) {
    bad(Reply::WrongState, {{"verb", cmd.verb}, {"state", to_string(state_)}});
    return;
  }
  const std::size_t n = cmd.args.size();
  if (n < spec->min_args || (spec->max_args != 255 && n > spec->max_args)) {
    bad(Reply::Syntax, {{"syntax", spec->syntax}});
    return;
  }
  if (cmd.verb == "PASS") {
    if (!had_user) {
      bad(Reply::NoUser, {});
      return;
    }
    have_pending_user_ = true;  // cmd_pass consumes it
  }
  dispatch(cmd, *spec, now);
}

// dispatch - one handler per verb.
void Server::dispatch(const Command& c, const CommandSpec& spec, SimTime now) {
  const std::string_view v = spec.verb;
  if (override_for(v, true)) {
    refuse_by_override(v);
    return;
  }
  if (override_for(v, false)) ok_override_ = v;
  if (v == "USER") cmd_user(c);
  else if (v == "PASS") cmd_pass(c, now);
  else if (v == "APOP") cmd_apop(c, now);
  else if (v == "AUTH") cmd_auth(c, now);
  else if (v == "STLS") cmd_stls(c);
  else if (v == "CAPA") cmd_capa();
  else if (v == "QUIT") cmd_quit();
  else if (v == "STAT") cmd_stat();
  else if (v == "LIST") cmd_list(c);
  else if (v == "RETR") cmd_retr(c);
  else if (v == "DELE") cmd_dele(c);
  else if (v == "NOOP") reply(Reply::Noop);
  else if (v == "RSET") cmd_rset();
  else if (v == "TOP") cmd_top(c);
  else if (v == "UIDL") cmd_uidl(c);
  else reply(Reply::NotImplemented);
  ok_override_.clear();
}

// override_for - the behaviour's reply override of `verb` that refuses (-ERR) or goes ahead (+OK).
const ReplyOverride* Server::override_for(std::string_view verb, bool refusing) const {
  const auto& all = cfg_.behaviour.replies;
  if (!all) return nullptr;
  auto it = all->find(verb);
  if (it == all->end() || it->second.refuses() != refusing) return nullptr;
  return &it->second;
}

// use_override - the line of verb's override, one use counted (gone after its last).
std::string Server::use_override(std::string_view verb) {
  auto it = cfg_.behaviour.replies->find(verb);
  std::string line = it->second.line;
  if (it->second.times > 0 && --it->second.times == 0) cfg_.behaviour.replies->erase(it);
  return line;
}

// refuse_by_override - a -ERR override answers the command and nothing changes; a refused
// greeting or QUIT also ends the session (a QUIT that removes nothing, RFC 1939 6).
void Server::refuse_by_override(std::string_view verb) {
  note("behaviour: " + std::string(verb == "CONNECT" ? "the session" : verb) + " refused");
  if (verb == "PASS") {
    have_pending_user_ = false;  // like a failed PASS: the client starts again with USER
    pending_user_.clear();
  }
  status_line(2, use_override(verb));
  if (verb == "CONNECT" || verb == "QUIT") close_now(verb);
}

// ============================================================================================
// [SECTION] output
// ============================================================================================

// reply - one status line from the catalogue, and its Reply event (1 "+OK", 2 "-ERR").
void Server::reply(Reply id, std::initializer_list<smtp::TextVar> vars) {
  const int code = reply_entry(id).code;
  if (code == 1 && !ok_override_.empty()) {  // the command succeeded: a +OK override's words
    const std::string verb = std::exchange(ok_override_, std::string());
    if (override_for(verb, false)) {
      status_line(code, use_override(verb));
      return;
    }
  }
  status_line(code, reply_line(id, vars));
}

// status_line - one status line and its Reply event.
void Server::status_line(int code, std::string line) {
  out_.bytes += line;
  out_.bytes += "\r\n";
  out_.events.push_back({ProtoEvent::Kind::Reply, code, std::move(line)});
  out_.events.back().answers = answering_;
}

// line_too_long - the answer to an over-long line.
void Server::line_too_long(std::size_t limit) {
  in_sasl_ = false;
  stats_.bad_commands++;
  note("command line longer than " + std::to_string(limit) + " octets", ProtoEvent::Kind::Error);
  if (stats_.bad_commands >= cfg_.max_bad_commands) {
    reply(Reply::TooManyBad, {{"error", "Line too long"}});
    close_now("too many invalid commands");
  } else {
    reply(Reply::LineTooLong, {{"limit", std::to_string(limit)}});
  }
}

// multiline - the status line, then the dot-stuffed body and its Data event.
void Server::multiline(Reply id, std::initializer_list<smtp::TextVar> vars, std::string_view body) {
  reply(id, vars);
  const std::size_t before = out_.bytes.size();
  append_stuffed(out_.bytes, body);
  const std::size_t wire = out_.bytes.size() - before;
  std::size_t lines = 0;
  if (body.size() <= 4096) lines = std::size_t(std::count(body.begin(), body.end(), '\n'));
  std::string summary = body.size() <= 4096 ? count_of(lines, "line") + ", " + std::to_string(body.size()) + " octets"
                                         : std::to_string(body.size()) + " octets";
  out_.events.push_back({ProtoEvent::Kind::Data, int(std::min<std::size_t>(wire, 0x7fffffff)), std::move(summary)});
}

// note - a Note (or Error) event.
void Server::note(std::string_view text, ProtoEvent::Kind kind) { out_.events.push_back({kind, 0, std::string(text)}); }

// close_now - the session ends after the current response.
void Server::close_now(std::string_view /*why*/) {
  release_lock();  // after UPDATE, or without it: then nothing was removed
  state_ = State::Closed;
  out_.close = true;
  in_sasl_ = false;
}

// release_lock - unlock the maildrop if this session holds it.
void Server::release_lock() {
  if (lock_) {
    store_.unlock(mailbox_, *lock_);
    lock_.reset();
  }
}

// finish_response - the response written since the last mark goes out now, or is cut out of the
// output and held for the lesson delay (+ the failed-login delay).
void Server::finish_response(SimTime now, Duration extra) {
  const Duration delay = std::max<Duration>(0, cfg_.behaviour.response_delay) + std::max<Duration>(0, extra);
  const bool produced = out_.bytes.size() > mark_.bytes || out_.events.size() > mark_.events ||
                        (out_.start_tls && !mark_.start_tls) || (out_.close && !mark_.close);
  // Output produced while an earlier response is still held queues behind it (order is kept).
  if (produced && (delay > 0 || holding())) {
    held_.bytes.append(out_.bytes, mark_.bytes, std::string::npos);
    out_.bytes.resize(mark_.bytes);
    for (auto it = out_.events.begin() + std::ptrdiff_t(mark_.events); it != out_.events.end(); ++it)
      held_.events.push_back(std::move(*it));
    out_.events.resize(mark_.events);
    held_.start_tls = held_.start_tls || (out_.start_tls && !mark_.start_tls);
    out_.start_tls = mark_.start_tls;
    held_.close = held_.close || (out_.close && !mark_.close);
    out_.close = mark_.close;
    if (!holding()) hold_until_ = now + delay;
  }
  set_mark();
}

// set_mark - where the next response starts in the output.
void Server::set_mark() { mark_ = {out_.bytes.size(), out_.events.size(), out_.start_tls, out_.close}; }

// release_held - move a held response to the driver's output.
void Server::release_held() {
  out_.bytes.append(held_.bytes);
  for (auto& e : held_.events) out_.events.push_back(std::move(e));
  out_.start_tls = out_.start_tls || held_.start_tls;
  out_.close = out_.close || held_.close;
  held_ = EngineOutput{};
  set_mark();
}

}  // namespace smtpsim::pop3
