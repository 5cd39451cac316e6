// smtp_client_auth.cpp - SMTP AUTH for the client engine (RFC 4954): PLAIN (RFC 4616) and LOGIN.
// Secrets never reach the trace: the Command events show "********" in their place.
#include <string>

#include "sim/core/base64.hpp"
#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_client_codec.hpp"
#include "sim/smtp/smtp_sasl.hpp"

namespace smtpsim::smtp {
namespace {

constexpr int kAuthCancelled = 100;  // auth_step_ after we sent "*"
constexpr std::string_view kMasked = kMaskedSecret;

// plain_response - base64(authzid NUL authcid NUL passwd), RFC 4616 2.
std::string plain_response(const Credentials& c) { return sasl_plain_encode(c.user, c.password, c.authzid); }

// join - the offered mechanisms as one string for messages.
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

// start_auth - pick a mechanism and send AUTH; true when the caller must wait (or the session ended).
bool SmtpClient::start_auth(SimTime now) {
  const Credentials& c = *config_.auth;
  AuthMech m = AuthMech::Auto;
  std::string why;
  if (!c.allow_plaintext && !tls_active_) {
    why = "credentials are only sent over TLS and the session is not encrypted";
  } else if (c.mech == AuthMech::Plain || c.mech == AuthMech::Auto) {
    if (caps_.has_auth("PLAIN")) m = AuthMech::Plain;
  }
  if (why.empty() && m == AuthMech::Auto && (c.mech == AuthMech::Login || c.mech == AuthMech::Auto) &&
      caps_.has_auth("LOGIN"))
    m = AuthMech::Login;
  if (m == AuthMech::Auto) {
    if (why.empty()) {
      const char* wanted = c.mech == AuthMech::Plain ? "PLAIN" : c.mech == AuthMech::Login ? "LOGIN" : "PLAIN or LOGIN";
      why = std::string("no usable AUTH mechanism (need ") + wanted + ", offered: " + join(caps_.auth) + ")";
    }
    if (c.require) {
      error("authentication required, but " + why);
      end_session(local(Outcome::Deferred, Stage::Auth, "4.7.0",
                        "authentication with " + host_text() + " impossible: " + why),
                  true, now);
      return true;
    }
    note("sending without authentication: " + why);
    return false;
  }
  phase_ = ClientPhase::Auth;
  auth_mech_ = m;
  auth_step_ = 0;
  if (m == AuthMech::Plain) {
    if (c.initial_response) {
      send_line("AUTH PLAIN " + plain_response(c), std::string("AUTH PLAIN ") + std::string(kMasked));
      auth_step_ = 1;
    } else {
      send_line("AUTH PLAIN");
    }
  } else {
    send_line("AUTH LOGIN");
  }
  expect(Expect::Auth, now);
  return true;
}

// on_auth - answer 334 challenges in order; 235 ends it; 4xx/5xx fail the messages with the reply.
void SmtpClient::on_auth(const Reply& r, SimTime now) {
  const Credentials& c = *config_.auth;
  if (auth_step_ >= kAuthCancelled) {
    error("AUTH exchange cancelled: the server kept sending challenges (" + r.summary() + ")");
    end_session(local(Outcome::Deferred, Stage::Auth, "4.7.0",
                      "authentication with " + host_text() + " failed: unexpected SASL challenge"),
                r.code != 334, now);
    return;
  }
  if (r.code / 100 == 2) {
    authenticated_ = true;
    phase_ = ClientPhase::Idle;
    next_step(now);
    return;
  }
  if (r.code == 334) {
    const int step = auth_step_++;
    if (auth_mech_ == AuthMech::Plain && step == 0) {
      send_line(plain_response(c), kMasked);
    } else if (auth_mech_ == AuthMech::Login && step == 0) {
      send_line(base64_encode(c.user));  // the user name is not a secret: shown as sent
    } else if (auth_mech_ == AuthMech::Login && step == 1) {
      send_line(base64_encode(c.password), kMasked);
    } else {
      note("unexpected SASL challenge \"" + r.summary() + "\": cancelling the exchange with \"*\"");
      send_line("*");
      auth_step_ = kAuthCancelled;
    }
    expect(Expect::Auth, now);
    return;
  }
  if (r.code / 100 == 3) {
    protocol_error("AUTH answered with \"" + r.summary() + "\"", Stage::Auth, now);
    return;
  }
  error("authentication failed: " + r.summary());
  end_session(from_reply(r, Stage::Auth), true, now);
}

}  // namespace smtpsim::smtp
