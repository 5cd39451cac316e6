// smtp_client_tls_auth_test.cpp - STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954) in the
// client engine against a scripted server; TLS itself is the driver's job (start_tls / on_tls).
#include <catch2/catch.hpp>

#include "smtp/smtp_client_script.hpp"

using namespace smtptest;

namespace {

ClientConfig cfg_with(TlsMode tls, std::optional<Credentials> auth = std::nullopt) {
  ClientConfig c;
  c.helo_name = "client.example";
  c.server_name = "mx.b.example";
  c.tls = tls;
  c.auth = std::move(auth);
  return c;
}

Credentials alice() {
  Credentials c;
  c.user = "alice";
  c.password = "secret";
  return c;
}

const std::string kDeliver = R"(
  C: MAIL FROM:<alice@a.example>
  S: 250 ok
  C: RCPT TO:<bob@b.example>
  S: 250 ok
  C: DATA
  S: 354 go
  C: Subject: hi
  C:
  C: hello
  C: .
  S: 250 queued
  C: QUIT
  S: 221 bye
  C! close
)";

const std::string kEhloTls = R"(
  S: 220 mx ESMTP
  C: EHLO client.example
  S: 250-mx
  S: 250-STARTTLS
  S: 250 AUTH PLAIN LOGIN
)";

}  // namespace

TEST_CASE("client STARTTLS: opportunistic upgrade, fresh EHLO, injected plaintext discarded", "[smtp][client][tls]") {
  Script s{cfg_with(TlsMode::Opportunistic), {message("m1", "alice@a.example", {"bob@b.example"})}, true, R"(
    S: 220 mx ESMTP
    C: EHLO client.example
    S: 250-mx
    S: 250-SIZE 1000
    S: 250 STARTTLS
    C: STARTTLS
    S: 220 2.0.0 Ready to start TLS
    S: 250-injected
    S: 250 PIPELINING
    C! start_tls
    D: 5m
    X: tls ok
    C: EHLO client.example
    S: 250-mx
    S: 250 STARTTLS
  )" + kDeliver};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) == std::vector<std::string>{"m1 bob@b.example delivered end-of-data 250 queued"});
  CHECK(h.client.tls_active());
  CHECK(h.count(ProtoEvent::Kind::Note, "discarded") == 1);
  // The capabilities are the ones learnt inside TLS: no SIZE, STARTTLS ignored the second time.
  CHECK_FALSE(h.client.capabilities().size);
}

TEST_CASE("client STARTTLS: not offered, refused, handshake failure", "[smtp][client][tls]") {
  struct Row {
    const char* name;
    TlsMode mode;
    std::string transcript;
    std::vector<std::string> outcomes;
  };
  const std::vector<Row> rows = {
      {"required, not offered: temporary failure, QUIT", TlsMode::Required, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 PIPELINING
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred STARTTLS (local) 4.7.4 TLS required but not offered by host mx.b.example"}},
      {"required, HELO server: same", TlsMode::Required, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 502 no
        C: HELO client.example
        S: 250 mx
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred STARTTLS (local) 4.7.4 TLS required but not offered by host mx.b.example"}},
      {"required, STARTTLS refused 454: deferred even though the server said no", TlsMode::Required, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 STARTTLS
        C: STARTTLS
        S: 454 4.7.0 TLS not available due to local problem
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred STARTTLS (local) 4.7.4 TLS required but host mx.b.example refused STARTTLS: 454 "
        "4.7.0 TLS not available due to local problem"}},
      {"opportunistic, not offered: plaintext", TlsMode::Opportunistic, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 mx
      )" + kDeliver,
       {"m1 bob@b.example delivered end-of-data 250 queued"}},
      {"opportunistic, STARTTLS refused: plaintext", TlsMode::Opportunistic, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 STARTTLS
        C: STARTTLS
        S: 454 4.7.0 TLS not available
      )" + kDeliver,
       {"m1 bob@b.example delivered end-of-data 250 queued"}},
      {"none: STARTTLS offered but never used", TlsMode::None, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 STARTTLS
      )" + kDeliver,
       {"m1 bob@b.example delivered end-of-data 250 queued"}},
      {"handshake fails: deferred, closed without QUIT", TlsMode::Opportunistic, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 STARTTLS
        C: STARTTLS
        S: 220 go ahead
        C! start_tls
        X: tls fail
        C! close)",
       {"m1 bob@b.example deferred STARTTLS (local) 4.7.5 TLS handshake with host mx.b.example failed: certificate "
        "verify failed"}},
      {"handshake never finishes: timeout", TlsMode::Required, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 STARTTLS
        C: STARTTLS
        S: 220 go ahead
        C! start_tls
        T: 5m
        C! close)",
       {"m1 bob@b.example deferred timeout (local) 4.4.2 conversation with host mx.b.example timed out during the TLS "
        "handshake"}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{cfg_with(row.mode), {message("m1", "alice@a.example", {"bob@b.example"})}, true, row.transcript};
      Harness h = run(s);
      CHECK(outcome_lines(h.results) == row.outcomes);
      CHECK_FALSE(h.client.tls_active());
    }
  }
}

TEST_CASE("client AUTH: PLAIN and LOGIN, secrets masked in the trace", "[smtp][client][auth]") {
  struct Row {
    const char* name;
    Credentials creds;
    std::string transcript;
    std::vector<std::string> commands;  // as traced (masked)
  };
  Credentials plain_no_ir = alice();
  plain_no_ir.initial_response = false;
  Credentials login = alice();
  login.mech = AuthMech::Login;
  Credentials authz = alice();
  authz.authzid = "admin";
  const std::vector<Row> rows = {
      {"PLAIN with initial response, after TLS", alice(), kEhloTls + R"(
        C: STARTTLS
        S: 220 ready
        C! start_tls
        X: tls ok
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN LOGIN
        C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
        S: 235 2.7.0 Authentication successful
      )" + kDeliver,
       {"EHLO client.example", "STARTTLS", "EHLO client.example", "AUTH PLAIN ********", "MAIL FROM:<alice@a.example>",
        "RCPT TO:<bob@b.example>", "DATA", ".", "QUIT"}},
      {"PLAIN waiting for the empty challenge", plain_no_ir, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN
        C: AUTH PLAIN
        S: 334
        C: AGFsaWNlAHNlY3JldA==
        S: 235 2.7.0 ok
      )" + kDeliver,
       {"EHLO client.example", "AUTH PLAIN", "********", "MAIL FROM:<alice@a.example>", "RCPT TO:<bob@b.example>",
        "DATA", ".", "QUIT"}},
      {"LOGIN by choice", login, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH=PLAIN LOGIN
        C: AUTH LOGIN
        S: 334 VXNlcm5hbWU6
        C: YWxpY2U=
        S: 334 UGFzc3dvcmQ6
        C: c2VjcmV0
        S: 235 2.7.0 ok
      )" + kDeliver,
       {"EHLO client.example", "AUTH LOGIN", "YWxpY2U=", "********", "MAIL FROM:<alice@a.example>",
        "RCPT TO:<bob@b.example>", "DATA", ".", "QUIT"}},
      {"Auto picks LOGIN when PLAIN is not offered", alice(), R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH CRAM-MD5 login
        C: AUTH LOGIN
        S: 334 VXNlcm5hbWU6
        C: YWxpY2U=
        S: 334 UGFzc3dvcmQ6
        C: c2VjcmV0
        S: 235 2.7.0 ok
      )" + kDeliver,
       {"EHLO client.example", "AUTH LOGIN", "YWxpY2U=", "********", "MAIL FROM:<alice@a.example>",
        "RCPT TO:<bob@b.example>", "DATA", ".", "QUIT"}},
      {"PLAIN with an authorization identity", authz, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN
        C: AUTH PLAIN YWRtaW4AYWxpY2UAc2VjcmV0
        S: 235 ok
      )" + kDeliver,
       {"EHLO client.example", "AUTH PLAIN ********", "MAIL FROM:<alice@a.example>", "RCPT TO:<bob@b.example>",
        "DATA", ".", "QUIT"}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{cfg_with(TlsMode::Opportunistic, row.creds), {message("m1", "alice@a.example", {"bob@b.example"})},
               true, row.transcript};
      Harness h = run(s);
      CHECK(outcome_lines(h.results) == std::vector<std::string>{"m1 bob@b.example delivered end-of-data 250 queued"});
      CHECK(h.commands() == row.commands);
      CHECK(h.client.authenticated());
      for (const auto& e : h.events) CHECK(e.text.find("c2VjcmV0") == std::string::npos);
      for (const auto& e : h.events) CHECK(e.text.find("AGFsaWNl") == std::string::npos);
    }
  }
}

TEST_CASE("client AUTH: failures", "[smtp][client][auth]") {
  struct Row {
    const char* name;
    Credentials creds;
    std::string transcript;
    std::vector<std::string> outcomes;
  };
  Credentials optional = alice();
  optional.require = false;
  Credentials tls_only = alice();
  tls_only.allow_plaintext = false;
  Credentials plain_only = alice();
  plain_only.mech = AuthMech::Plain;
  const std::vector<Row> rows = {
      {"535: messages failed with the reply", alice(), R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN LOGIN
        C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
        S: 535 5.7.8 Error: authentication failed: authentication failure
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example failed AUTH 535 5.7.8 Error: authentication failed: authentication failure",
        "m1 carol@b.example failed AUTH 535 5.7.8 Error: authentication failed: authentication failure"}},
      {"454 temporary: deferred", alice(), R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN
        C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
        S: 454 4.7.0 Temporary authentication failure
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred AUTH 454 4.7.0 Temporary authentication failure",
        "m1 carol@b.example deferred AUTH 454 4.7.0 Temporary authentication failure"}},
      {"538 encryption required: failed", alice(), R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH LOGIN
        C: AUTH LOGIN
        S: 538 5.7.11 Encryption required for requested authentication mechanism
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example failed AUTH 538 5.7.11 Encryption required for requested authentication mechanism",
        "m1 carol@b.example failed AUTH 538 5.7.11 Encryption required for requested authentication mechanism"}},
      {"no AUTH offered and required: deferred", alice(), R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 mx
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example impossible: no usable "
        "AUTH mechanism (need PLAIN or LOGIN, offered: none)",
        "m1 carol@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example impossible: no usable "
        "AUTH mechanism (need PLAIN or LOGIN, offered: none)"}},
      {"only PLAIN wanted, only LOGIN offered", plain_only, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH LOGIN CRAM-MD5
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example impossible: no usable "
        "AUTH mechanism (need PLAIN, offered: LOGIN CRAM-MD5)",
        "m1 carol@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example impossible: no usable "
        "AUTH mechanism (need PLAIN, offered: LOGIN CRAM-MD5)"}},
      {"credentials only over TLS", tls_only, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example impossible: credentials "
        "are only sent over TLS and the session is not encrypted",
        "m1 carol@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example impossible: credentials "
        "are only sent over TLS and the session is not encrypted"}},
      {"AUTH optional: sent without it", optional, R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 mx
        C: MAIL FROM:<alice@a.example>
        S: 530 5.7.0 Authentication required
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example failed MAIL 530 5.7.0 Authentication required",
        "m1 carol@b.example failed MAIL 530 5.7.0 Authentication required"}},
      {"server keeps challenging: cancelled with *", alice(), R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 250 AUTH PLAIN
        C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
        S: 334 more?
        C: *
        S: 501 5.7.0 Authentication aborted
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example failed: unexpected SASL "
        "challenge",
        "m1 carol@b.example deferred AUTH (local) 4.7.0 authentication with host mx.b.example failed: unexpected SASL "
        "challenge"}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{cfg_with(TlsMode::None, row.creds),
               {message("m1", "alice@a.example", {"bob@b.example", "carol@b.example"})}, true, row.transcript};
      Harness h = run(s);
      CHECK(outcome_lines(h.results) == row.outcomes);
      CHECK_FALSE(h.client.authenticated());
    }
  }
}

TEST_CASE("client AUTH and TLS required together: TLS first, then AUTH", "[smtp][client][auth][tls]") {
  Script s{cfg_with(TlsMode::Required, alice()), {message("m1", "alice@a.example", {"bob@b.example"})}, true,
           kEhloTls + R"(
    C: STARTTLS
    S: 220 ready
    C! start_tls
    X: tls ok
    C: EHLO client.example
    S: 250-mx
    S: 250-PIPELINING
    S: 250 AUTH PLAIN LOGIN
    C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
    S: 235 2.7.0 ok
    C: MAIL FROM:<alice@a.example>
    C: RCPT TO:<bob@b.example>
    C: DATA
    S: 250 ok
    S: 250 ok
    S: 354 go
    C: Subject: hi
    C:
    C: hello
    C: .
    S: 250 queued
    C: QUIT
    S: 221 bye
    C! close)"};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) == std::vector<std::string>{"m1 bob@b.example delivered end-of-data 250 queued"});
  CHECK(h.client.tls_active());
  CHECK(h.client.authenticated());
}
