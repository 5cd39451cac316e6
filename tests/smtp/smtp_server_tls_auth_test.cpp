// smtp_server_tls_auth_test.cpp - STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954, 4616) on the
// server: offers, refusals, the CVE-2011-0411 discard, state reset after TLS, SASL exchanges,
// cancel, bad base64, 535/538/503/504/530, and that secrets never reach events.
#include "smtp_server_harness.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using namespace smtpsim::smtp::test;

namespace {

// tls_auth_harness - an MSA-like configuration: TLS available, AUTH only after TLS.
Harness& setup_msa(Harness& h) {
  h.cfg.tls_available = true;
  h.cfg.auth = true;
  return h;
}

const std::string kEhloBeforeTls =
    "250-mx.b.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
    "250-8BITMIME\r\n250-DSN\r\n250 HELP\r\n";
const std::string kEhloAfterTls =
    "250-mx.b.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 HELP\r\n";

// into_tls - EHLO, STARTTLS, handshake, EHLO again.
void into_tls(Harness& h) {
  h.open();
  REQUIRE(h.send("EHLO c.example\r\n") == kEhloBeforeTls);
  REQUIRE(h.send("STARTTLS\r\n") == "220 2.0.0 Ready to start TLS\r\n");
  REQUIRE(h.start_tls);
  h.tls_done();
  REQUIRE(h.send("EHLO c.example\r\n") == kEhloAfterTls);
}

}  // namespace

TEST_CASE("tls: STARTTLS offered, 220, then state forgotten; STARTTLS no longer offered") {
  Harness h;
  setup_msa(h);
  h.open();
  CHECK(h.send("EHLO c.example\r\n") == kEhloBeforeTls);
  CHECK(h.send("STARTTLS\r\n") == "220 2.0.0 Ready to start TLS\r\n");
  CHECK(h.start_tls);
  CHECK(h.srv->state() == ServerState::StartTls);
  h.tls_done();
  CHECK(h.srv->state() == ServerState::Connected);
  CHECK(h.srv->session().tls);
  CHECK(h.srv->session().helo.empty());
  // The client must EHLO again.
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "503 5.5.1 Error: send HELO/EHLO first\r\n");
  CHECK(h.send("EHLO c.example\r\n") == kEhloAfterTls);
  CHECK(h.send("STARTTLS\r\n") == "554 5.5.1 Error: TLS already active\r\n");
  CHECK(h.count_events(ProtoEvent::Kind::Note, "TLS established: TLSv1.3") == 1);
}

TEST_CASE("tls: 454 when TLS is not available, 501 with arguments, 503 inside a transaction") {
  Harness h;
  greet(h);
  run_steps(h, {
                   {"STARTTLS\r\n", "454 4.7.0 TLS not available due to local problem\r\n"},
                   {"STARTTLS now\r\n", "501 5.5.4 Syntax: STARTTLS\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"STARTTLS\r\n", "503 5.5.1 Error: MAIL transaction in progress\r\n"},
               });
  CHECK_FALSE(h.start_tls);
}

TEST_CASE("tls: plaintext pipelined after STARTTLS is discarded, never executed (CVE-2011-0411)") {
  Harness h;
  setup_msa(h);
  h.open();
  h.send("EHLO c.example\r\n");
  // The injected commands ride in the same segment as STARTTLS.
  CHECK(h.send("STARTTLS\r\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<bob@b.example>\r\n") ==
        "220 2.0.0 Ready to start TLS\r\n");
  CHECK(h.count_events(ProtoEvent::Kind::Error, "pipelined after STARTTLS") == 1);
  // Bytes arriving before the handshake finishes are discarded as well.
  CHECK(h.send("RSET\r\n") == "");
  h.tls_done();
  CHECK(h.srv->envelope().mail.reverse_path.empty());
  CHECK(h.send("EHLO c.example\r\n") == kEhloAfterTls);
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") == "503 5.5.1 Error: need MAIL command\r\n");
}

TEST_CASE("tls: a failed handshake closes the session") {
  Harness h;
  setup_msa(h);
  h.open();
  h.send("EHLO c.example\r\n");
  h.send("STARTTLS\r\n");
  h.tls_done(false);
  CHECK(h.closed);
  CHECK(h.srv->finished());
  CHECK(h.count_events(ProtoEvent::Kind::Error, "TLS handshake failed") == 1);
}

TEST_CASE("tls: tls_required -> 530 5.7.0 for MAIL before STARTTLS") {
  Harness h;
  setup_msa(h);
  h.cfg.tls_required = true;
  h.open();
  h.send("EHLO c.example\r\n");
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "530 5.7.0 Must issue a STARTTLS command first\r\n");
  CHECK(h.send("AUTH PLAIN\r\n") == "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
}

TEST_CASE("auth: not offered before TLS; AUTH there gets 538 5.7.11") {
  Harness h;
  setup_msa(h);
  h.open();
  CHECK(h.send("EHLO c.example\r\n") == kEhloBeforeTls);  // no AUTH line
  CHECK(h.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n") ==
        "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
  CHECK(h.policy.credential_checks == 0);
}

TEST_CASE("auth: PLAIN with an initial response, then relay is allowed") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  // base64("\0alice\0secret") = AGFsaWNlAHNlY3JldA==
  run_steps(h, {
                   {"AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "235 2.7.0 Authentication successful\r\n"},
                   {"AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "503 5.5.1 Error: already authenticated\r\n"},
                   {"MAIL FROM:<alice@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<friend@elsewhere.example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n"},
                   {"hi\r\n.\r\n", "250 2.0.0 Ok: queued as Q1\r\n"},
               });
  REQUIRE(h.policy.stored.size() == 1);
  const SessionFacts& f = h.policy.stored[0].facts;
  CHECK(f.auth_user == "alice");
  CHECK(f.auth_mechanism == "PLAIN");
  CHECK(f.tls);
  CHECK(f.tls_version == "TLSv1.3");
  CHECK(f.protocol() == "ESMTPSA");
}

TEST_CASE("auth: PLAIN after an empty 334 challenge; wrong password 535") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  run_steps(h, {
                   {"AUTH PLAIN\r\n", "334 \r\n"},
                   // "\0alice\0wrong"
                   {"AGFsaWNlAHdyb25n\r\n", "535 5.7.8 Authentication credentials invalid\r\n"},
                   {"AUTH PLAIN\r\n", "334 \r\n"},
                   {"AGFsaWNlAHNlY3JldA==\r\n", "235 2.7.0 Authentication successful\r\n"},
               });
  CHECK(h.srv->session().auth_user == "alice");
}

TEST_CASE("auth: LOGIN with Username:/Password: prompts") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  run_steps(h, {
                   {"AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n"},
                   {"YWxpY2U=\r\n", "334 UGFzc3dvcmQ6\r\n"},   // alice
                   {"c2VjcmV0\r\n", "235 2.7.0 Authentication successful\r\n"},  // secret
               });
  CHECK(h.srv->session().auth_mechanism == "LOGIN");
}

TEST_CASE("auth: LOGIN with the user name as initial response") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  run_steps(h, {
                   {"AUTH LOGIN YWxpY2U=\r\n", "334 UGFzc3dvcmQ6\r\n"},
                   {"c2VjcmV0\r\n", "235 2.7.0 Authentication successful\r\n"},
               });
}

TEST_CASE("auth: '*' cancels with 501, invalid base64 gets 501 5.5.2, state back to READY") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  run_steps(h, {
                   {"AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n"},
                   {"*\r\n", "501 5.7.0 Authentication aborted\r\n"},
                   {"AUTH PLAIN\r\n", "334 \r\n"},
                   {"not base64!\r\n", "501 5.5.2 Cannot Base64-decode client response\r\n"},
                   {"AUTH PLAIN YWJj\r\n", "501 5.5.2 Cannot Base64-decode client response\r\n"},  // "abc": no NULs
                   {"AUTH PLAIN AGFsaWNlAHNlY3JldA\r\n", "501 5.5.2 Cannot Base64-decode client response\r\n"},  // no padding
                   {"AUTH PLAIN =\r\n", "501 5.5.2 Cannot Base64-decode client response\r\n"},  // empty response
                   {"AUTH CRAM-MD5\r\n", "504 5.5.4 Unrecognized authentication type\r\n"},
                   {"AUTH\r\n", "501 5.5.4 Syntax: AUTH mechanism [initial-response]\r\n"},
                   {"NOOP\r\n", "250 2.0.0 Ok\r\n"},
               });
  CHECK(h.srv->state() == ServerState::Ready);
  CHECK(h.srv->session().auth_user.empty());
  CHECK(h.policy.credential_checks == 0);
}

TEST_CASE("auth: a foreign authorization identity is refused") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  // "bob\0alice\0secret"
  CHECK(h.send("AUTH PLAIN Ym9iAGFsaWNlAHNlY3JldA==\r\n") == "535 5.7.8 Authentication credentials invalid\r\n");
  // authzid equal to the user is fine: "alice\0alice\0secret"
  CHECK(h.send("AUTH PLAIN YWxpY2UAYWxpY2UAc2VjcmV0\r\n") == "235 2.7.0 Authentication successful\r\n");
}

TEST_CASE("auth: MSA mode needs AUTH before MAIL (530 5.7.0)") {
  Harness h;
  setup_msa(h);
  h.cfg.msa_mode = true;
  into_tls(h);
  CHECK(h.send("MAIL FROM:<alice@a.example>\r\n") == "530 5.7.0 Authentication required\r\n");
  CHECK(h.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n") == "235 2.7.0 Authentication successful\r\n");
  CHECK(h.send("MAIL FROM:<alice@a.example>\r\n") == "250 2.1.0 Ok\r\n");
}

TEST_CASE("auth: plaintext AUTH when the policy allows it; MAIL AUTH= parameter accepted then") {
  Harness h;
  h.cfg.auth = true;
  h.cfg.auth_plaintext = true;
  h.open();
  CHECK(h.send("EHLO c.example\r\n") ==
        "250-mx.b.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n"
        "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 HELP\r\n");
  CHECK(h.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n") == "235 2.7.0 Authentication successful\r\n");
  CHECK(h.send("MAIL FROM:<alice@a.example> AUTH=<>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(h.srv->envelope().mail.params.auth == std::optional<std::string>("<>"));
  CHECK(h.srv->session().protocol() == "ESMTPA");
}

TEST_CASE("auth: an unauthenticated client may not relay (554 5.7.1)") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  h.send("MAIL FROM:<alice@a.example>\r\n");
  CHECK(h.send("RCPT TO:<friend@elsewhere.example>\r\n") == "554 5.7.1 <friend@elsewhere.example>: Relay access denied\r\n");
}

TEST_CASE("auth: passwords and base64 responses never appear in events") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  h.send("AUTH PLAIN AGFsaWNlAHdyb25n\r\n");             // wrong password "wrong"
  h.send("AUTH LOGIN\r\nYWxpY2U=\r\n");                     // pipelined: sync error is not the point here
  std::string text = h.all_event_text();
  CHECK(text.find("wrong") == std::string::npos);
  CHECK(text.find("AGFsaWNlAHdyb25n") == std::string::npos);
  CHECK(text.find("YWxpY2U=") == std::string::npos);
  CHECK(text.find("secret") == std::string::npos);
  CHECK(h.count_events(ProtoEvent::Kind::Error, "AUTH PLAIN failed for user alice") == 1);
}

TEST_CASE("auth: over-long SASL response gets 500 5.5.6 and ends the exchange") {
  Harness h;
  setup_msa(h);
  into_tls(h);
  CHECK(h.send("AUTH PLAIN\r\n") == "334 \r\n");
  std::string big(13000, 'A');
  CHECK(h.send(big) == "");
  CHECK(h.send("AAAA\r\n") == "500 5.5.6 Authentication Exchange line is too long\r\n");
  CHECK(h.srv->state() == ServerState::Ready);
  // A long but legal AUTH line (RFC 4954 allows 12288 octets) is read whole.
  std::string response = b64(std::string("\0alice\0", 7) + std::string(600, 'p'));
  REQUIRE(response.size() > 512);
  CHECK(h.send("AUTH PLAIN " + response + "\r\n") == "535 5.7.8 Authentication credentials invalid\r\n");
  CHECK(h.send("AUTH PLAIN " + b64(std::string("\0alice\0secret", 13)) + "\r\n") ==
        "235 2.7.0 Authentication successful\r\n");
}
