// pop3_server.cpp - the POP3 server engine.
//
// [SECTION] engine entry points (open, bytes, tls, timer, close)
// [SECTION] input: line framing, limits, dispatch through the command table
// [SECTION] AUTHORIZATION: USER PASS APOP AUTH STLS CAPA QUIT, login and lock
// [SECTION] TRANSACTION: STAT LIST RETR DELE RSET TOP UIDL, UPDATE
// [SECTION] output: status lines, multi-line blocks, held (delayed) responses
#include "sim/pop3/pop3_server.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "sim/pop3/pop3_auth.hpp"
#include "sim/pop3/pop3_catalog.hpp"

namespace smtpsim::pop3 {

namespace {

// ieq - ASCII case-insensitive equality.
bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// printable - a short, safe rendering of peer-supplied text for event texts.
std::string printable(std::string_view s, std::size_t max = 64) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) out.push_back(c >= 0x20 && c < 0x7F ? char(c) : '?');
  if (s.size() > max) out += "...";
  return out;
}

// count_of - "1 message" / "2 messages".
std::string count_of(std::uint64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// messages_word - the {messages} placeholder.
std::string_view messages_word(std::uint64_t n) { return n == 1 ? "message" : "messages"; }

}  // namespace

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
  reply(Reply::Greeting, {{"host", cfg_.host_name}, {"timestamp", timestamp_}});
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
        line_too_long(limit);
        finish_response(now);
      }
      break;
    }
    const std::size_t len = std::size_t(static_cast<const char*>(lf) - base);  // without the LF
    std::string_view line(base, len);
    pos += len + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    last_activity_ = now;
    if (len + 1 > limit) {
      line_too_long(limit);
    } else if (in_sasl_) {
      handle_sasl(line, now);
    } else {
      handle_line(line, now);
    }
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
    const std::string text = smtp::render_text(reply_entry(id).text, vars);
    note(text + ": \"" + printable(mask_command(line)) + "\"", ProtoEvent::Kind::Error);
    stats_.bad_commands++;
    if (stats_.bad_commands >= cfg_.max_bad_commands) {
      reply(Reply::TooManyBad, {{"error", text}});
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
}

// ============================================================================================
// [SECTION] AUTHORIZATION
// ============================================================================================

// plaintext_refused - USER/PASS and AUTH PLAIN need TLS first (policy); answers the -ERR itself.
bool Server::plaintext_refused() {
  if (!cfg_.plaintext_needs_tls || tls_active_) return false;
  reply(Reply::PlaintextDisallowed);
  return true;
}

// cmd_user - remember the name; the answer never reveals whether it exists.
void Server::cmd_user(const Command& c) {
  if (!cfg_.allow_user) {
    reply(Reply::UserDisabled);
    return;
  }
  if (plaintext_refused()) return;
  pending_user_ = c.args[0];
  have_pending_user_ = true;
  reply(Reply::UserOk);
}

// cmd_pass - check the password for the USER name (the whole rest of the line: spaces allowed).
void Server::cmd_pass(const Command& c, SimTime now) {
  have_pending_user_ = false;
  const std::string user = std::exchange(pending_user_, std::string());
  if (cfg_.behaviour.sys_temp) {
    reply(Reply::SysTemp);
    return;
  }
  const mail::User* u = dir_.find_login(user);
  if (u == nullptr || u->password != c.rest || cfg_.behaviour.reject_credentials) {
    auth_failed(u == nullptr ? "unknown user \"" + printable(user) + "\"" : "wrong password for " + u->login);
    return;
  }
  login_as(*u, now);
}

// cmd_apop - check MD5(timestamp + secret) (hex digits in any case).
void Server::cmd_apop(const Command& c, SimTime now) {
  if (!cfg_.allow_apop || timestamp_.empty()) {
    reply(Reply::ApopDisabled);
    return;
  }
  if (cfg_.behaviour.sys_temp) {
    reply(Reply::SysTemp);
    return;
  }
  const mail::User* u = dir_.find_login(c.args[0]);
  if (u == nullptr || !ieq(apop_digest(timestamp_, u->password), c.args[1]) || cfg_.behaviour.reject_credentials) {
    auth_failed(u == nullptr ? "unknown user \"" + printable(c.args[0]) + "\"" : "wrong APOP digest for " + u->login);
    return;
  }
  login_as(*u, now);
}

// cmd_auth - AUTH lists mechanisms; AUTH PLAIN [initial] logs in (RFC 5034).
void Server::cmd_auth(const Command& c, SimTime now) {
  if (c.args.empty()) {
    multiline(Reply::SaslList, {}, cfg_.allow_sasl_plain ? "PLAIN\r\n" : "");
    return;
  }
  if (!cfg_.allow_sasl_plain || !ieq(c.args[0], "PLAIN")) {
    reply(Reply::SaslUnsupported, {{"mechanism", printable(c.args[0], 20)}});
    return;
  }
  if (plaintext_refused()) return;
  if (c.args.size() == 2) {
    handle_sasl(c.args[1] == "=" ? std::string_view() : std::string_view(c.args[1]), now);
    return;
  }
  in_sasl_ = true;
  out_.bytes += "+ \r\n";
  out_.events.push_back({ProtoEvent::Kind::Reply, 3, "+ "});
}

// handle_sasl - the PLAIN response line ("*" cancels).
void Server::handle_sasl(std::string_view line, SimTime now) {
  in_sasl_ = false;
  if (line == "*") {
    reply(Reply::SaslCancelled);
    return;
  }
  if (cfg_.behaviour.sys_temp) {
    reply(Reply::SysTemp);
    return;
  }
  auto cred = sasl_plain_decode(line);
  if (!cred) {
    auth_failed("malformed SASL PLAIN response");
    return;
  }
  const mail::User* u = dir_.find_login(cred->authcid);
  const bool authz_ok = cred->authzid.empty() || (u != nullptr && dir_.find_login(cred->authzid) == u);
  if (u == nullptr || u->password != cred->password || !authz_ok || cfg_.behaviour.reject_credentials) {
    auth_failed(u == nullptr ? "unknown user \"" + printable(cred->authcid) + "\"" : "wrong password for " + u->login);
    return;
  }
  login_as(*u, now);
}

// auth_failed - count, answer [AUTH], close after too many.
void Server::auth_failed(std::string_view why) {
  stats_.auth_failures++;
  pending_extra_delay_ = cfg_.auth_failure_delay;
  note("authentication failed: " + std::string(why), ProtoEvent::Kind::Error);
  if (stats_.auth_failures >= cfg_.max_auth_failures) {
    reply(Reply::AuthFailedClose);
    close_now("too many authentication failures");
  } else {
    reply(Reply::AuthFailed);
  }
}

// login_as - LOGIN-DELAY, lock, snapshot, TRANSACTION.
void Server::login_as(const mail::User& u, SimTime now) {
  if (cfg_.login_delay > 0 && logins_ != nullptr) {
    if (auto last = logins_->last(u.mailbox); last && now - *last < cfg_.login_delay) {
      reply(Reply::LoginDelay, {{"seconds", std::to_string(cfg_.login_delay / sec(1))}});
      return;
    }
  }
  if (cfg_.behaviour.mailbox_in_use) {
    reply(Reply::InUse);
    return;
  }
  auto token = store_.lock(u.mailbox);
  if (!token) {
    note("maildrop " + u.mailbox + " is locked by another session");
    reply(Reply::InUse);
    return;
  }
  mail::ListResult l = store_.list(u.mailbox);
  if (!l.ok()) {
    store_.unlock(u.mailbox, *token);
    note("maildrop " + u.mailbox + ": " + l.detail, ProtoEvent::Kind::Error);
    reply(l.status == mail::StoreStatus::TempFailure ? Reply::SysTemp : Reply::SysPermOpen);
    return;
  }
  lock_ = token;
  login_ = u.login;
  mailbox_ = u.mailbox;
  drop_.clear();
  drop_.reserve(l.messages.size());
  for (auto& m : l.messages) drop_.push_back({std::move(m.uid), m.size, false});
  state_ = State::Transaction;
  if (logins_ != nullptr) logins_->record(u.mailbox, now);
  note("AUTHORIZATION -> TRANSACTION: " + u.login + " logged in, maildrop " + u.mailbox + " locked");
  reply(Reply::LoginOk, {{"count", std::to_string(live_count())}, {"messages", messages_word(live_count())},
                         {"octets", std::to_string(live_bytes())}});
}

// cmd_stls - +OK, then TLS; only in AUTHORIZATION, never twice.
void Server::cmd_stls(const Command& /*c*/) {
  if (tls_active_) {
    reply(Reply::StlsActive);
    return;
  }
  if (!cfg_.tls_available) {
    reply(Reply::StlsUnavailable);
    return;
  }
  reply(Reply::StlsOk);
  out_.start_tls = true;
  awaiting_tls_ = true;
}

// cmd_capa - what is offered now (STLS only before TLS, in AUTHORIZATION).
void Server::cmd_capa() {
  std::string body = "TOP\r\n";
  const bool plaintext_ok = !cfg_.plaintext_needs_tls || tls_active_;
  if (cfg_.allow_user && plaintext_ok) body += "USER\r\n";
  if (cfg_.allow_sasl_plain && plaintext_ok) body += "SASL PLAIN\r\n";
  body += "RESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUIDL\r\n";
  if (cfg_.login_delay > 0 && logins_ != nullptr) body += "LOGIN-DELAY " + std::to_string(cfg_.login_delay / sec(1)) + "\r\n";
  body += "IMPLEMENTATION " + cfg_.implementation + "\r\n";
  if (cfg_.tls_available && !tls_active_ && state_ == State::Authorization) body += "STLS\r\n";
  multiline(Reply::CapaFollows, {}, body);
}

// cmd_quit - sign off, or enter UPDATE from TRANSACTION.
void Server::cmd_quit() {
  if (state_ == State::Transaction) {
    update();
    return;
  }
  reply(Reply::QuitAuth, {{"host", cfg_.host_name}});
  close_now("QUIT");
}

// ============================================================================================
// [SECTION] TRANSACTION
// ============================================================================================

// live_count / live_bytes - messages not marked deleted.
std::uint64_t Server::live_count() const {
  return std::uint64_t(std::count_if(drop_.begin(), drop_.end(), [](const Msg& m) { return !m.deleted; }));
}
std::uint64_t Server::live_bytes() const {
  std::uint64_t b = 0;
  for (const auto& m : drop_) b += m.deleted ? 0 : m.size;
  return b;
}

// message_arg - the message a number names, answering -ERR itself when there is none.
Server::Msg* Server::message_arg(std::string_view arg, bool allow_deleted) {
  auto n = parse_number(arg);
  if (!n) {
    reply(Reply::BadNumber, {{"arg", printable(arg, 20)}});
    return nullptr;
  }
  if (*n == 0 || *n > drop_.size()) {
    reply(Reply::NoSuchMessage, {{"count", std::to_string(drop_.size())}, {"messages", messages_word(drop_.size())}});
    return nullptr;
  }
  Msg& m = drop_[*n - 1];
  if (m.deleted && !allow_deleted) {
    reply(Reply::AlreadyDeleted, {{"msg", std::to_string(*n)}});
    return nullptr;
  }
  return &m;
}

// cmd_stat - "+OK count octets".
void Server::cmd_stat() {
  reply(Reply::Stat, {{"count", std::to_string(live_count())}, {"octets", std::to_string(live_bytes())}});
}

// cmd_list - one size or the scan listing.
void Server::cmd_list(const Command& c) {
  if (!c.args.empty()) {
    if (Msg* m = message_arg(c.args[0])) reply(Reply::ListOne, {{"msg", c.args[0]}, {"size", std::to_string(m->size)}});
    return;
  }
  std::string body;
  for (std::size_t i = 0; i < drop_.size(); ++i) {
    if (!drop_[i].deleted) body += std::to_string(i + 1) + " " + std::to_string(drop_[i].size) + "\r\n";
  }
  multiline(Reply::ListAll,
            {{"count", std::to_string(live_count())}, {"messages", messages_word(live_count())},
             {"octets", std::to_string(live_bytes())}},
            body);
}

// cmd_retr - the whole message, dot-stuffed.
void Server::cmd_retr(const Command& c) {
  Msg* m = message_arg(c.args[0]);
  if (m == nullptr) return;
  mail::MessagePtr bytes = store_.read(mailbox_, m->uid);
  if (!bytes) {
    note("message " + m->uid + " vanished from maildrop " + mailbox_, ProtoEvent::Kind::Error);
    reply(Reply::Vanished, {{"msg", c.args[0]}});
    return;
  }
  stats_.retrieved++;
  multiline(Reply::Retr, {{"octets", std::to_string(bytes->size())}}, *bytes);
}

// cmd_dele - mark; removal happens in UPDATE.
void Server::cmd_dele(const Command& c) {
  Msg* m = message_arg(c.args[0]);
  if (m == nullptr) return;
  m->deleted = true;
  reply(Reply::Dele, {{"msg", c.args[0]}});
}

// cmd_rset - unmark everything.
void Server::cmd_rset() {
  for (auto& m : drop_) m.deleted = false;
  reply(Reply::Rset, {{"count", std::to_string(live_count())}, {"messages", messages_word(live_count())},
                      {"octets", std::to_string(live_bytes())}});
}

// cmd_top - headers plus n body lines.
void Server::cmd_top(const Command& c) {
  Msg* m = message_arg(c.args[0]);
  if (m == nullptr) return;
  auto lines = parse_number(c.args[1]);
  if (!lines) {
    reply(Reply::BadLineCount, {{"arg", printable(c.args[1], 20)}});
    return;
  }
  mail::MessagePtr bytes = store_.read(mailbox_, m->uid);
  if (!bytes) {
    reply(Reply::Vanished, {{"msg", c.args[0]}});
    return;
  }
  multiline(Reply::Top, {}, top_view(*bytes, *lines));
}

// cmd_uidl - one unique-id or all of them.
void Server::cmd_uidl(const Command& c) {
  if (!c.args.empty()) {
    if (Msg* m = message_arg(c.args[0])) reply(Reply::UidlOne, {{"msg", c.args[0]}, {"uid", m->uid}});
    return;
  }
  std::string body;
  for (std::size_t i = 0; i < drop_.size(); ++i) {
    if (!drop_[i].deleted) body += std::to_string(i + 1) + " " + drop_[i].uid + "\r\n";
  }
  multiline(Reply::UidlAll, {}, body);
}

// update - UPDATE state: remove what is marked, release the lock, sign off, close.
void Server::update() {
  state_ = State::Update;
  std::uint64_t marked = 0, removed = 0;
  for (const auto& m : drop_) {
    if (!m.deleted) continue;
    ++marked;
    mail::StoreResult r = store_.remove(mailbox_, m.uid);
    if (r.ok()) ++removed;
    else note("could not remove " + m.uid + ": " + r.detail, ProtoEvent::Kind::Error);
  }
  stats_.deleted = removed;
  release_lock();
  note("TRANSACTION -> UPDATE: " + count_of(removed, "message") + " removed, maildrop unlocked");
  const std::uint64_t left = store_.usage(mailbox_).messages;  // includes mail that arrived meanwhile
  if (removed == marked) {
    reply(Reply::QuitUpdate,
          {{"host", cfg_.host_name}, {"deleted", count_of(removed, "message")}, {"left", std::to_string(left)}});
  } else {
    reply(Reply::UpdateFailed, {{"removed", std::to_string(removed)}, {"marked", std::to_string(marked)}});
  }
  close_now("QUIT");
}

// ============================================================================================
// [SECTION] output
// ============================================================================================

// reply - one status line from the catalogue, and its Reply event (1 "+OK", 2 "-ERR").
void Server::reply(Reply id, std::initializer_list<smtp::TextVar> vars) {
  std::string line = reply_line(id, vars);
  out_.bytes += line;
  out_.bytes += "\r\n";
  out_.events.push_back({ProtoEvent::Kind::Reply, reply_entry(id).code, std::move(line)});
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
  std::string text = body.size() <= 4096 ? count_of(lines, "line") + ", " + std::to_string(body.size()) + " octets"
                                         : std::to_string(body.size()) + " octets";
  out_.events.push_back({ProtoEvent::Kind::Data, int(std::min<std::size_t>(wire, 0x7fffffff)), std::move(text)});
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
