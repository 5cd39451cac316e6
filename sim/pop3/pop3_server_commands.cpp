// pop3_server_commands.cpp - the POP3 server's command handlers: AUTHORIZATION (USER PASS APOP
// AUTH STLS CAPA QUIT, login and maildrop lock) and TRANSACTION (STAT LIST RETR DELE RSET TOP UIDL)
// with the UPDATE state. The engine's framing, dispatch and output are in pop3_server.cpp.
#include <algorithm>

#include "sim/pop3/pop3_auth.hpp"
#include "sim/pop3/pop3_catalog.hpp"
#include "sim/pop3/pop3_server.hpp"
#include "sim/pop3/pop3_text.hpp"

namespace smtpsim::pop3 {

using text::count_of;
using text::ieq;
using text::messages_word;
using text::printable;

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
  out_.events.back().answers = answering_;
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

}  // namespace smtpsim::pop3
