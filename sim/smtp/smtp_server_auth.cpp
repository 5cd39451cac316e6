// smtp_server_auth.cpp - AUTH on the SMTP server (RFC 4954): PLAIN (RFC 4616, with an initial
// response or after an empty 334) and LOGIN (334 Username: / Password: prompts), "*" to cancel,
// strict base64, 538 before TLS, 503 when already authenticated or inside a transaction.
// Secrets never reach events; buffers holding them are cleared when the exchange ends.
#include <cctype>

#include "sim/core/base64.hpp"
#include "sim/core/ascii.hpp"
#include "sim/smtp/smtp_sasl.hpp"
#include "sim/smtp/smtp_server.hpp"

namespace smtpsim::smtp {
namespace {

// upper - ASCII upper case copy.
std::string upper(std::string_view s) { return ascii_upper_copy(s); }

// wipe - overwrite and clear a string that held a secret.
void wipe(std::string& s) {
  for (char& c : s) c = '\0';
  s.clear();
}

}  // namespace

// auth_offered - AUTH appears in EHLO: enabled, and TLS is active or plaintext AUTH allowed.
bool SmtpServer::auth_offered() const {
  if (!cfg_.auth || (!cfg_.auth_plain && !cfg_.auth_login)) return false;
  if (facts_.tls) return true;
  return cfg_.auth_plaintext && !cfg_.tls_required;
}

// auth_mechanism_enabled - PLAIN / LOGIN as configured.
bool SmtpServer::auth_mechanism_enabled(std::string_view mech) const {
  return (mech == "PLAIN" && cfg_.auth_plain) || (mech == "LOGIN" && cfg_.auth_login);
}

// cmd_auth - "AUTH mechanism [initial-response]".
void SmtpServer::cmd_auth(std::string_view arg, SimTime now) {
  if (!cfg_.auth || (!cfg_.auth_plain && !cfg_.auth_login)) {
    reply(ReplyId::AuthNotEnabled);
    return;
  }
  if (!facts_.auth_user.empty()) {
    reply(ReplyId::AuthAlready);
    return;
  }
  if (!auth_offered()) {  // enabled, but only over TLS
    reply(ReplyId::AuthEncryptionRequired);
    return;
  }
  auto sp = arg.find(' ');
  std::string mech = upper(arg.substr(0, sp));
  std::string_view initial = sp == std::string_view::npos ? std::string_view{} : arg.substr(sp + 1);
  bool has_initial = sp != std::string_view::npos;
  if (mech.empty() || (has_initial && (initial.empty() || initial.find(' ') != std::string_view::npos))) {
    reply(ReplyId::AuthSyntax);
    return;
  }
  if (!auth_mechanism_enabled(mech)) {
    reply(ReplyId::AuthMechanismUnknown);
    return;
  }
  auth_mech_ = mech;
  state_ = ServerState::Auth;
  if (mech == "PLAIN") {
    auth_step_ = AuthStep::PlainResponse;
    if (has_initial) {
      auth_response(initial == "=" ? std::string_view{} : initial, now);  // "=" is an empty response
    } else {
      reply(ReplyId::AuthChallenge, {{"challenge", ""}});
    }
    return;
  }
  // LOGIN
  auth_step_ = AuthStep::LoginUser;
  if (has_initial) {
    auth_response(initial == "=" ? std::string_view{} : initial, now);
  } else {
    reply(ReplyId::AuthChallenge, {{"challenge", kLoginUserPrompt}});
  }
}

// auth_response - one client line inside the SASL exchange.
void SmtpServer::auth_response(std::string_view line, SimTime now) {
  if (line == "*") {
    note("AUTH " + auth_mech_ + " cancelled by the client");
    reply(ReplyId::AuthAborted);
    auth_end();
    return;
  }
  std::optional<std::string> decoded = base64_decode_strict(line);
  if (!decoded) {
    error("AUTH " + auth_mech_ + ": response is not valid base64 (" + std::to_string(line.size()) + " octets)");
    reply(ReplyId::AuthBadBase64);
    auth_end();
    return;
  }
  switch (auth_step_) {
    case AuthStep::PlainResponse: {
      std::optional<PlainCredentials> c = sasl_plain_split(*decoded);
      wipe(*decoded);
      if (!c) {
        error("AUTH PLAIN: response is not authzid NUL user NUL password");
        reply(ReplyId::AuthBadBase64);
        auth_end();
        return;
      }
      auth_finish(c->authzid, c->authcid, c->password, now);
      wipe(c->password);
      return;
    }
    case AuthStep::LoginUser:
      auth_user_pending_ = std::move(*decoded);
      auth_step_ = AuthStep::LoginPassword;
      reply(ReplyId::AuthChallenge, {{"challenge", kLoginPasswordPrompt}});
      return;
    case AuthStep::LoginPassword: {
      std::string user = std::move(auth_user_pending_);
      auth_finish("", user, *decoded, now);
      wipe(*decoded);
      return;
    }
    case AuthStep::None:
      break;
  }
  auth_end();
}

// auth_finish - check the credentials (or apply the behaviour) and end the exchange.
void SmtpServer::auth_finish(std::string_view authzid, std::string_view user, std::string_view password,
                             SimTime now) {
  facts_.now = now;
  std::string who(user.size() > 64 ? user.substr(0, 64) : user);
  for (char& c : who)
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
  std::optional<ServerReply>& o = policy_.behaviour.reject_auth;
  if (o && o->refuses()) {
    const ServerReply r = *use_override(o);
    note("behaviour: AUTH refused for user " + who);
    reply_custom(r, r.code == 454 ? ReplyId::AuthTempFail : ReplyId::AuthFailed, {{"user", who}});
    if (r.code == 421) close_session();
  } else if (user.empty() || password.empty() || (!authzid.empty() && authzid != user)) {
    error("AUTH " + auth_mech_ + " failed for user " + who + (authzid.empty() || authzid == user ? "" : " (foreign authzid)"));
    reply(ReplyId::AuthFailed);
  } else if (policy_.check_credentials(user, password)) {
    facts_.auth_user = std::string(user);
    facts_.auth_mechanism = auth_mech_;
    note("authenticated as " + who + " (" + auth_mech_ + ")");
    answer(o, ReplyId::AuthOk, {{"user", who}});
  } else {
    error("AUTH " + auth_mech_ + " failed for user " + who);
    reply(ReplyId::AuthFailed);
  }
  auth_end();
}

// auth_end - leave the SASL exchange (back to READY) and forget its buffers.
void SmtpServer::auth_end() {
  wipe(auth_user_pending_);
  auth_step_ = AuthStep::None;
  auth_mech_.clear();
  if (state_ == ServerState::Auth) state_ = ServerState::Ready;
}

}  // namespace smtpsim::smtp
