// smtp_client_hostile_test.cpp - the client engine against servers that break the protocol:
// junk lines, bare LF, NUL, endless replies, codes out of range, unsolicited and misplaced replies.
// Each must end in a clear Error event, deferred messages and a closed connection - never a crash.
#include <catch2/catch.hpp>

#include "smtp/smtp_client_script.hpp"

using namespace smtptest;

namespace {

ClientConfig plain_cfg() {
  ClientConfig c;
  c.helo_name = "client.example";
  c.server_name = "mx.b.example";
  c.tls = TlsMode::None;
  c.reply_limits.max_line = 512;
  c.reply_limits.max_lines = 50;
  return c;
}

const std::string kToRcpt = R"(
  S: 220 mx ESMTP
  C: EHLO client.example
  S: 250 mx
  C: MAIL FROM:<alice@a.example>
  S: 250 ok
  C: RCPT TO:<bob@b.example>
)";

}  // namespace

TEST_CASE("client hostile: protocol errors defer everything and drop the connection", "[smtp][client][hostile]") {
  struct Row {
    const char* name;
    std::string transcript;
    std::string stage;
    std::string error_has;
  };
  const std::vector<Row> rows = {
      {"junk instead of a greeting", R"(
        S: Hello there
        C! close)",
       "greeting", "malformed reply line \"Hello there\""},
      {"HTTP server on port 25", R"(
        S: HTTP/1.1 400 Bad Request
        C! close)",
       "greeting", "expected a 3-digit reply code"},
      {"reply with bare LF", R"(
        R: 220 mx ESMTP\n
        C! close)",
       "greeting", "bare LF"},
      {"NUL in a reply", R"(
        R: 220 mx\0 ESMTP\r\n
        C! close)",
       "greeting", "NUL byte"},
      {"code out of range", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 299 fine
        C! close)",
       "EHLO", "reply code 299 out of range"},
      {"code 600", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 600 what
        C! close)",
       "EHLO", "reply code 600 out of range"},
      {"multi-line reply changes code", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250-mx
        S: 251 PIPELINING
        C! close)",
       "EHLO", "changes its code from 250 to 251"},
      {"junk in the middle of the RCPT reply", kToRcpt + R"(
        S: 250-ok
        S: junk
        C! close)",
       "RCPT", "malformed reply line \"junk\""},
      {"greeting with 354", R"(
        S: 354 go ahead
        C! close)",
       "greeting", "intermediate code"},
      {"EHLO answered with 334", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 334 VXNlcm5hbWU6
        C! close)",
       "EHLO", "intermediate code"},
      {"RCPT answered with 354", kToRcpt + R"(
        S: 354 go
        C! close)",
       "RCPT", "intermediate code"},
      {"DATA answered with 250", kToRcpt + R"(
        S: 250 ok
        C: DATA
        S: 250 ok
        C! close)",
       "DATA", "instead of 354"},
      {"end of data answered with 354", kToRcpt + R"(
        S: 250 ok
        C: DATA
        S: 354 go
        C: Subject: hi
        C:
        C: hello
        C: .
        S: 354 again
        C! close)",
       "end-of-data", "intermediate code"},
      {"line longer than the limit", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 )" + std::string(600, 'x') + R"(
        C! close)",
       "EHLO", "longer than 512 bytes"},
      {"endless multi-line reply", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
      )" + [] {
         std::string s;
         for (int i = 0; i < 60; ++i) s += "S: 250-line " + std::to_string(i) + "\n";
         return s;
       }() + R"(
        C! close)",
       "EHLO", "longer than 50 lines"},
      {"bare CR inside a line", kToRcpt + R"(
        R: 250 o\rk\r\n
        C! close)",
       "RCPT", "bare CR"},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{plain_cfg(), {message("m1", "alice@a.example", {"bob@b.example"})}, true, row.transcript};
      Harness h = run(s);
      REQUIRE(h.results.size() == 1);
      const auto& r = h.results[0].recipients.at(0);
      CHECK(r.outcome == Outcome::Deferred);
      CHECK(r.local);
      CHECK(r.reply.enhanced == "4.5.0");
      CHECK(to_string(r.stage) == row.stage);
      CHECK_THAT(r.reply.text(), Catch::Contains(row.error_has));
      CHECK(h.count(ProtoEvent::Kind::Error, row.error_has) == 1);
      CHECK(h.client.finished());
      // Nothing more is written after the decision, even if the server keeps talking.
      h.client.on_bytes("250 ok\r\n250 ok\r\n", h.now);
      h.drain();
      CHECK(h.take().empty());
    }
  }
}

TEST_CASE("client hostile: an unsolicited reply while idle", "[smtp][client][hostile]") {
  Harness h(plain_cfg());
  h.open();
  h.feed("220 mx ESMTP\r\n", false);
  CHECK(h.take() == "EHLO client.example\r\n");
  h.feed("250 mx\r\n", false);
  CHECK(h.client.phase() == ClientPhase::Idle);
  h.feed("250 surprise\r\n", false);
  CHECK(h.close);
  CHECK(h.count(ProtoEvent::Kind::Error, "unsolicited reply \"250 surprise\" while no command was waiting") == 1);
  // Whatever comes later is told the session's verdict at once.
  h.client.enqueue(message("m1", "alice@a.example", {"bob@b.example"}));
  auto r = h.client.take_results();
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].reply.enhanced == "4.5.0");
  CHECK(r[0].recipients[0].outcome == Outcome::Deferred);
}

TEST_CASE("client hostile: replies without CRLF end in a timeout, with bounded memory", "[smtp][client][hostile]") {
  ClientConfig cfg = plain_cfg();
  Harness h(cfg);
  h.client.enqueue(message("m1", "alice@a.example", {"bob@b.example"}));
  h.open();
  h.feed("220 mx ESMTP", false);  // no CRLF, ever
  CHECK(h.take().empty());
  h.advance(minutes(5));
  CHECK(h.close);
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].recipients[0].stage == Stage::Timeout);
}

TEST_CASE("client hostile: a flood of bytes after the decision is ignored", "[smtp][client][hostile]") {
  Harness h(plain_cfg());
  h.client.enqueue(message("m1", "alice@a.example", {"bob@b.example"}));
  h.open();
  h.feed("554 go away\r\n", false);
  CHECK(h.take() == "QUIT\r\n");
  // The server never answers QUIT properly but floods us: at most one error, then closed.
  std::string flood(1 << 20, 'A');
  h.feed(flood, false);
  CHECK(h.close);
  CHECK(h.count(ProtoEvent::Kind::Error) == 1);
  h.feed(flood, false);
  CHECK(h.count(ProtoEvent::Kind::Error) == 1);
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].recipients[0].outcome == Outcome::Failed);  // decided by the 554, not by the junk
}

TEST_CASE("client hostile: calls in odd orders do not break the engine", "[smtp][client][hostile]") {
  Harness h(plain_cfg());
  h.client.on_tls(TlsInfo{true, "TLSv1.3", "x", true, ""}, 0);  // TLS nobody asked for: ignored
  h.client.on_timer(0);                                          // no deadline: nothing
  h.drain();
  CHECK(h.take().empty());
  h.client.on_bytes("220 mx\r\n", 0);  // bytes before on_open count as opening
  h.drain();
  CHECK(h.take() == "EHLO client.example\r\n");
  h.client.on_open(0);  // a second open is ignored
  h.drain();
  CHECK(h.take().empty());
  h.client.on_closed(0);
  h.client.on_closed(0);
  h.client.on_bytes("250 late\r\n", 0);
  h.client.on_timer(kNever - 1);
  h.drain();
  CHECK(h.take().empty());
  CHECK(h.client.finished());
}
