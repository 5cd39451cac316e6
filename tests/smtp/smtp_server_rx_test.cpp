// smtp_server_rx_test.cpp - the server records every line it receives as a Command event (rx) and
// marks the replies that answer it: pipelined commands pair one by one, the reply after the message
// answers the end-of-data ".", a 334 answers the AUTH line or SASL response before it (secrets
// masked), and greetings, 421s and timeouts answer nothing.
#include <catch2/catch.hpp>

#include "smtp/smtp_server_harness.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using namespace smtpsim::smtp::test;

namespace {

// pairing - the harness's Command/Reply events as "rx <line>", "reply+ <line>" (answers the last
// rx) and "reply- <line>" (answers nothing); other events are left out.
std::vector<std::string> pairing(const Harness& h) {
  std::vector<std::string> out;
  for (const ProtoEvent& e : h.events) {
    if (e.kind == ProtoEvent::Kind::Command) out.push_back(std::string(e.rx ? "rx " : "sent ") + e.text);
    if (e.kind == ProtoEvent::Kind::Reply) out.push_back(std::string(e.answers ? "reply+ " : "reply- ") + e.text);
  }
  return out;
}

}  // namespace

TEST_CASE("rx: every received line is a command event, and each reply says whether it answers it") {
  Harness h;
  h.cfg.auth = true;
  h.cfg.auth_plaintext = true;
  h.open();
  h.send("EHLO c.example\r\n");
  h.send("AUTH LOGIN\r\n");
  h.send(b64("alice") + "\r\n");
  h.send(b64("secret") + "\r\n");
  h.send("MAIL FROM:<alice@a.example>\r\nRCPT TO:<x@elsewhere.example>\r\nDATA\r\n");  // pipelined
  h.send("hi\r\n.\r\n");
  h.send("FOO\r\n");
  h.advance(minutes(10));  // the command timeout: 421, answering nothing
  const std::vector<std::string> want = {
      "reply- 220 mx.b.example ESMTP smtpsim",
      "rx EHLO c.example",
      "reply+ 250-mx.b.example",
      "reply+ 250-PIPELINING",
      "reply+ 250-SIZE 10240000",
      "reply+ 250-AUTH PLAIN LOGIN",
      "reply+ 250-ENHANCEDSTATUSCODES",
      "reply+ 250-8BITMIME",
      "reply+ 250-DSN",
      "reply+ 250 HELP",
      "rx AUTH LOGIN",
      "reply+ 334 VXNlcm5hbWU6",
      "rx YWxpY2U=",  // the user name shows as sent, like the client's own event
      "reply+ 334 UGFzc3dvcmQ6",
      "rx ********",  // the password never
      "reply+ 235 2.7.0 Authentication successful",
      "rx MAIL FROM:<alice@a.example>",
      "reply+ 250 2.1.0 Ok",
      "rx RCPT TO:<x@elsewhere.example>",
      "reply+ 250 2.1.5 Ok",
      "rx DATA",
      "reply+ 354 End data with <CR><LF>.<CR><LF>",
      "rx .",
      "reply+ 250 2.0.0 Ok: queued as Q1",
      "rx FOO",
      "reply+ 500 5.5.2 Error: command not recognized",
      "reply- 421 4.4.2 mx.b.example Error: timeout exceeded",
  };
  CHECK(pairing(h) == want);
  CHECK(h.all_event_text().find(b64("secret")) == std::string::npos);
}

TEST_CASE("rx: AUTH PLAIN's initial response is masked; a 421 at close_at answers nothing") {
  Harness h;
  h.cfg.auth = true;
  h.cfg.auth_plaintext = true;
  h.policy.behaviour.close_at = Verb::Mail;
  h.open();
  h.send("EHLO c.example\r\n");
  h.send("AUTH PLAIN " + b64(std::string("\0alice\0secret", 13)) + "\r\n");
  h.send("MAIL FROM:<alice@a.example>\r\n");
  std::vector<std::string> p = pairing(h);
  REQUIRE(p.size() >= 4);
  CHECK(std::vector<std::string>(p.end() - 4, p.end()) ==
        std::vector<std::string>{"rx AUTH PLAIN ********", "reply+ 235 2.7.0 Authentication successful",
                                 "rx MAIL FROM:<alice@a.example>", "reply- 421 4.3.2 mx.b.example Service not available, closing transmission channel"});
  CHECK(h.all_event_text().find(b64(std::string("\0alice\0secret", 13))) == std::string::npos);
}

TEST_CASE("rx: with a tarpit the line is recorded when it arrives, its reply when it goes out") {
  Harness h;
  h.policy.behaviour.tarpit = sec(5);
  h.open();
  h.advance(sec(5));  // the greeting is held too
  h.events.clear();
  h.send("EHLO c.example\r\n");
  CHECK(pairing(h) == std::vector<std::string>{"rx EHLO c.example"});  // received now, answer held
  h.advance(sec(5));
  std::vector<std::string> p = pairing(h);
  REQUIRE(p.size() > 1);
  CHECK(p[1] == "reply+ 250-mx.b.example");
}
