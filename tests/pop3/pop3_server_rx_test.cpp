// pop3_server_rx_test.cpp - the POP3 server records every line it receives as a Command event (rx)
// and marks the responses that answer it: status lines (+OK/-ERR, and "+ " in a SASL exchange) answer
// the line before them; the greeting and a multi-line body answer nothing of their own; secrets are
// masked as the client masks them.
#include <catch2/catch.hpp>

#include "pop3/pop3_fixture.hpp"
#include "sim/pop3/pop3_auth.hpp"

using namespace pop3test;
using smtpsim::ProtoEvent;

namespace {

// pairing - "rx <line>", "reply+ <line>" (answers the last rx) and "reply- <line>".
std::vector<std::string> pairing(const std::vector<ProtoEvent>& events) {
  std::vector<std::string> out;
  for (const ProtoEvent& e : events) {
    if (e.kind == ProtoEvent::Kind::Command) out.push_back(std::string(e.rx ? "rx " : "sent ") + e.text);
    if (e.kind == ProtoEvent::Kind::Reply) out.push_back(std::string(e.answers ? "reply+ " : "reply- ") + e.text);
  }
  return out;
}

}  // namespace

TEST_CASE("pop3 rx: received lines pair with their responses; PASS and SASL responses are masked", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  rig.send("USER b@b.example\r\nPASS secret\r\n");  // pipelined
  rig.send("STAT\r\nRETR 2\r\nQUIT\r\n");
  std::vector<std::string> p = pairing(rig.events);
  REQUIRE(p.size() == 11);
  CHECK(p[0].rfind("reply- +OK pop.b.example POP3 server ready", 0) == 0);
  CHECK(p[1] == "rx USER b@b.example");
  CHECK(p[2] == "reply+ +OK send PASS");
  CHECK(p[3] == "rx PASS ****");
  CHECK(p[4].rfind("reply+ +OK maildrop has 2 messages", 0) == 0);
  CHECK(p[5] == "rx STAT");
  CHECK(p[7] == "rx RETR 2");
  CHECK(p[8].rfind("reply+ +OK", 0) == 0);  // the status line; the body is a Data event
  CHECK(p[9] == "rx QUIT");
  CHECK(p[10].rfind("reply+ +OK", 0) == 0);
  CHECK_FALSE(has_text(rig.events, "secret"));

  ServerRig sasl;
  sasl.start();
  const std::string plain = smtpsim::pop3::sasl_plain_encode("b@b.example", "secret");
  sasl.send("AUTH PLAIN\r\n");
  sasl.send(plain + "\r\n");
  p = pairing(sasl.events);
  REQUIRE(p.size() == 5);
  CHECK(p[1] == "rx AUTH PLAIN");
  CHECK(p[2] == "reply+ + ");  // the continuation answers AUTH
  CHECK(p[3] == "rx ****");    // the response, masked
  CHECK(p[4].rfind("reply+ +OK maildrop has 2 messages", 0) == 0);
  CHECK_FALSE(has_text(sasl.events, plain));
}
