// smtp_client_session_test.cpp - the client engine's session dialogue against a scripted server:
// greeting, EHLO/HELO fallback, QUIT, timeouts as deadlines, lost connections, several messages.
#include <catch2/catch.hpp>

#include "smtp/smtp_client_script.hpp"

using namespace smtptest;

namespace {

ClientConfig plain_cfg() {
  ClientConfig c;
  c.helo_name = "client.example";
  c.server_name = "mx.b.example";
  c.tls = TlsMode::None;
  return c;
}

const char* kOneMessage = R"(
  S: 220 mx.b.example ESMTP
  C: EHLO client.example
  S: 250-mx.b.example
  S: 250 8BITMIME
  C: MAIL FROM:<alice@a.example>
  S: 250 2.1.0 Ok
  C: RCPT TO:<bob@b.example>
  S: 250 2.1.5 Ok
  C: DATA
  S: 354 End data with <CR><LF>.<CR><LF>
  C: Subject: hi
  C:
  C: hello
  C: .
  S: 250 2.0.0 Ok: queued as 4F2A
  C: QUIT
  S: 221 2.0.0 Bye
  C! close
)";

}  // namespace

TEST_CASE("client session: one message, lock-step, EHLO to QUIT", "[smtp][client]") {
  Script s{plain_cfg(), {message("m1", "alice@a.example", {"bob@b.example"})}, true, kOneMessage};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) ==
        std::vector<std::string>{"m1 bob@b.example delivered end-of-data 250 2.0.0 Ok: queued as 4F2A"});
  CHECK(h.commands() == std::vector<std::string>{"EHLO client.example", "MAIL FROM:<alice@a.example>",
                                                 "RCPT TO:<bob@b.example>", "DATA", ".", "QUIT"});
  CHECK(h.count(ProtoEvent::Kind::Data) == 1);
  for (const auto& e : h.events)
    if (e.kind == ProtoEvent::Kind::Data) CHECK(e.code == 22);  // "Subject: hi\r\n\r\nhello\r\n"
  CHECK(h.count(ProtoEvent::Kind::Error) == 0);
  CHECK(h.client.finished());
  CHECK(h.client.capabilities().eightbitmime);
  CHECK_FALSE(h.client.capabilities().pipelining);
}

TEST_CASE("client session: greeting and EHLO/HELO outcomes", "[smtp][client]") {
  struct Row {
    const char* name;
    const char* transcript;
    std::vector<std::string> outcomes;
  };
  const std::vector<Row> rows = {
      {"554 greeting: QUIT, all failed", R"(
        S: 554 5.7.1 mx.b.example no SMTP service here
        C: QUIT
        S: 221 Bye
        C! close)",
       {"m1 bob@b.example failed greeting 554 5.7.1 mx.b.example no SMTP service here"}},
      {"421 greeting: no QUIT, deferred", R"(
        S: 421 4.3.2 mx.b.example Service not available, closing
        C! close)",
       {"m1 bob@b.example deferred greeting 421 4.3.2 mx.b.example Service not available, closing"}},
      {"450 greeting: QUIT, deferred", R"(
        S: 450 4.7.1 try later
        C: QUIT
        S: 221 Bye
        C! close)",
       {"m1 bob@b.example deferred greeting 450 4.7.1 try later"}},
      {"multi-line greeting", R"(
        S: 220-mx.b.example ESMTP
        S: 220-no UCE
        S: 220 welcome
        C: EHLO client.example
        S: 250 mx.b.example
        C: MAIL FROM:<alice@a.example>
        S: 550 5.7.1 go away
        C: QUIT
        S: 221 Bye
        C! close)",
       {"m1 bob@b.example failed MAIL 550 5.7.1 go away"}},
      {"EHLO 502 -> HELO works", R"(
        S: 220 old.example SMTP
        C: EHLO client.example
        S: 502 5.5.1 Command not implemented
        C: HELO client.example
        S: 250 old.example
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
        S: 250 ok
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example delivered end-of-data 250 ok"}},
      {"EHLO 500 and HELO 501: failed at EHLO", R"(
        S: 220 old.example SMTP
        C: EHLO client.example
        S: 500 what
        C: HELO client.example
        S: 501 5.5.2 bad hostname
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example failed EHLO 501 5.5.2 bad hostname"}},
      {"EHLO 451: deferred, QUIT", R"(
        S: 220 mx.b.example ESMTP
        C: EHLO client.example
        S: 451 4.3.0 local problem
        C: QUIT
        S: 221 bye
        C! close)",
       {"m1 bob@b.example deferred EHLO 451 4.3.0 local problem"}},
      {"QUIT answered with something else: still closes", R"(
        S: 220 mx.b.example ESMTP
        C: EHLO client.example
        S: 554 5.5.1 EHLO refused
        C: HELO client.example
        S: 554 5.5.1 HELO refused
        C: QUIT
        S: 500 whatever
        C! close)",
       {"m1 bob@b.example failed EHLO 554 5.5.1 HELO refused"}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{plain_cfg(), {message("m1", "alice@a.example", {"bob@b.example"})}, true, row.transcript};
      Harness h = run(s);
      CHECK(outcome_lines(h.results) == row.outcomes);
      CHECK(h.client.finished());
    }
  }
}

TEST_CASE("client session: HELO fallback can be switched off", "[smtp][client]") {
  ClientConfig cfg = plain_cfg();
  cfg.helo_fallback = false;
  Script s{cfg, {message("m1", "alice@a.example", {"bob@b.example"})}, true, R"(
    S: 220 mx ESMTP
    C: EHLO client.example
    S: 502 no
    C: QUIT
    S: 221 bye
    C! close)"};
  CHECK(outcome_lines(run(s).results) == std::vector<std::string>{"m1 bob@b.example failed EHLO 502 no"});
}

TEST_CASE("client session: timeouts are deadlines of RFC 5321 4.5.3.2", "[smtp][client]") {
  struct Row {
    const char* name;
    const char* transcript;
    std::string outcome;
  };
  const std::vector<Row> rows = {
      {"greeting: 5 minutes", R"(
        D: 5m
        T: 4m59s
        T: 1s
        C! close)",
       "m1 bob@b.example deferred timeout (local) 4.4.2 conversation with host mx.b.example timed out while "
       "waiting for the initial greeting"},
      {"MAIL: 5 minutes", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 mx
        C: MAIL FROM:<alice@a.example>
        D: 5m
        T: 299s
        T: 1s
        C! close)",
       "m1 bob@b.example deferred timeout (local) 4.4.2 conversation with host mx.b.example timed out while "
       "waiting for the reply to MAIL FROM"},
      {"DATA initiation: 2 minutes", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 mx
        C: MAIL FROM:<alice@a.example>
        S: 250 ok
        C: RCPT TO:<bob@b.example>
        D: 5m
        T: 4m
        S: 250 ok
        C: DATA
        D: 2m
        T: 2m
        C! close)",
       "m1 bob@b.example deferred timeout (local) 4.4.2 conversation with host mx.b.example timed out while "
       "waiting for the reply to DATA"},
      {"after the final dot: 10 minutes", R"(
        S: 220 mx ESMTP
        C: EHLO client.example
        S: 250 mx
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
        D: 10m
        T: 9m
        T: 1m
        C! close)",
       "m1 bob@b.example deferred timeout (local) 4.4.2 conversation with host mx.b.example timed out after end "
       "of data -- the message may be delivered more than once"},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{plain_cfg(), {message("m1", "alice@a.example", {"bob@b.example"})}, true, row.transcript};
      Harness h = run(s);
      CHECK(outcome_lines(h.results) == std::vector<std::string>{row.outcome});
      CHECK(h.count(ProtoEvent::Kind::Error, "timeout") == 1);
      CHECK(h.client.finished());
    }
  }
}

TEST_CASE("client session: configured timeouts and the QUIT timeout", "[smtp][client]") {
  ClientConfig cfg = plain_cfg();
  cfg.timeouts.greeting = sec(30);
  cfg.timeouts.command = sec(10);
  cfg.timeouts.quit = sec(3);
  Script s{cfg, {}, true, R"(
    D: 30s
    S: 220 mx ESMTP
    C: EHLO client.example
    D: 10s
    S: 250 mx
    C: QUIT
    D: 3s
    T: 3s
    C! close
    D: never)"};
  Harness h = run(s);
  CHECK(h.results.empty());
  CHECK(h.count(ProtoEvent::Kind::Note, "no reply to QUIT") == 1);
  CHECK(h.count(ProtoEvent::Kind::Error) == 0);
}

TEST_CASE("client session: connection lost keeps delivered mail delivered", "[smtp][client]") {
  Script s{plain_cfg(),
           {message("m1", "alice@a.example", {"bob@b.example"}), message("m2", "alice@a.example", {"carol@b.example"}),
            message("m3", "alice@a.example", {"dave@b.example"})},
           true, R"(
    S: 220 mx ESMTP
    C: EHLO client.example
    S: 250 mx
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
    C: MAIL FROM:<alice@a.example>
    S: 250 ok
    C: RCPT TO:<carol@b.example>
    S: 250 ok
    C: DATA
    X: closed)"};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) ==
        std::vector<std::string>{
            "m1 bob@b.example delivered end-of-data 250 queued",
            "m2 carol@b.example deferred connection lost (local) 4.4.2 lost connection with host mx.b.example "
            "while waiting for the reply to DATA",
            "m3 dave@b.example deferred connection lost (local) 4.4.2 lost connection with host mx.b.example "
            "while waiting for the reply to DATA"});
  CHECK(h.client.finished());
  // A message enqueued after the loss is told at once, with the same verdict.
  h.client.enqueue(message("m4", "alice@a.example", {"erin@b.example"}));
  auto late = h.client.take_results();
  REQUIRE(late.size() == 1);
  CHECK(late[0].recipients[0].stage == Stage::ConnectionLost);
  CHECK(late[0].recipients[0].outcome == Outcome::Deferred);
}

TEST_CASE("client session: connect failures", "[smtp][client]") {
  SECTION("connect_failed names the reason") {
    Harness h(plain_cfg());
    h.client.enqueue(message("m1", "alice@a.example", {"bob@b.example", "carol@b.example"}));
    h.client.connect_failed("Connection refused", 0);
    h.drain();
    CHECK(outcome_lines(h.results) ==
          std::vector<std::string>{
              "m1 bob@b.example deferred connect (local) 4.4.1 connect to host mx.b.example failed: Connection refused",
              "m1 carol@b.example deferred connect (local) 4.4.1 connect to host mx.b.example failed: Connection refused"});
    CHECK(h.client.finished());
    CHECK(h.out.empty());
  }
  SECTION("on_closed before on_open") {
    Harness h(plain_cfg());
    h.client.enqueue(message("m1", "alice@a.example", {"bob@b.example"}));
    h.client.on_closed(0);
    h.drain();
    REQUIRE(h.results.size() == 1);
    CHECK(h.results[0].recipients[0].stage == Stage::Connect);
  }
}

TEST_CASE("client session: messages enqueued while idle, idle timeout, no_more_messages later", "[smtp][client]") {
  ClientConfig cfg = plain_cfg();
  Harness h(cfg);
  h.open();
  h.feed("220 mx ESMTP\r\n", false);
  CHECK(h.take() == "EHLO client.example\r\n");
  h.feed("250-mx\r\n250 PIPELINING\r\n", false);
  CHECK(h.take().empty());
  CHECK(h.client.phase() == ClientPhase::Idle);
  CHECK(h.client.deadline() == h.now + minutes(2));
  h.now += minutes(1);
  // Enqueue makes the session due at once; the driver's on_timer starts the transaction.
  const auto seq = h.client.enqueue(message("m1", "alice@a.example", {"bob@b.example"}));
  CHECK(h.client.deadline() <= h.now);
  h.drain();
  CHECK(h.take() == "MAIL FROM:<alice@a.example>\r\nRCPT TO:<bob@b.example>\r\nDATA\r\n");
  h.feed("250 ok\r\n250 ok\r\n354 go\r\n", false);
  CHECK(h.take() == "Subject: hi\r\n\r\nhello\r\n.\r\n");
  h.feed("250 2.0.0 queued\r\n", false);
  CHECK(h.take().empty());
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].seq == seq);
  CHECK(h.client.phase() == ClientPhase::Idle);
  SECTION("idle timeout sends QUIT") {
    h.advance(minutes(2) - 1);
    CHECK(h.take().empty());
    h.advance(1);
    CHECK(h.take() == "QUIT\r\n");
    CHECK(h.count(ProtoEvent::Kind::Note, "idle") == 1);
    h.feed("221 bye\r\n", false);
    CHECK(h.close);
    // Too late for this session: the message is deferred at once.
    h.client.enqueue(message("m2", "alice@a.example", {"bob@b.example"}));
    auto r = h.client.take_results();
    REQUIRE(r.size() == 1);
    CHECK(r[0].recipients[0].outcome == Outcome::Deferred);
    CHECK(r[0].recipients[0].local);
  }
  SECTION("no_more_messages while idle sends QUIT") {
    h.client.no_more_messages();
    h.drain();
    CHECK(h.take() == "QUIT\r\n");
  }
  SECTION("server drops the idle session with 421") {
    h.feed("421 4.4.2 mx Error: timeout exceeded\r\n", false);
    CHECK(h.close);
    CHECK(h.count(ProtoEvent::Kind::Error) == 0);
    h.client.enqueue(message("m2", "alice@a.example", {"bob@b.example"}));
    auto r = h.client.take_results();
    REQUIRE(r.size() == 1);
    CHECK(r[0].recipients[0].reply.code == 421);
  }
}

TEST_CASE("client session: several messages in one session", "[smtp][client]") {
  Script s{plain_cfg(),
           {message("m1", "alice@a.example", {"bob@b.example"}), message("m2", "", {"carol@b.example"}, "x\r\n")},
           true, R"(
    S: 220 mx ESMTP
    C: EHLO client.example
    S: 250 mx
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
    S: 250 one
    C: MAIL FROM:<>
    S: 250 ok
    C: RCPT TO:<carol@b.example>
    S: 250 ok
    C: DATA
    S: 354 go
    C: x
    C: .
    S: 250 two
    C: QUIT
    S: 221 bye
    C! close)"};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) == std::vector<std::string>{"m1 bob@b.example delivered end-of-data 250 one",
                                                             "m2 carol@b.example delivered end-of-data 250 two"});
  CHECK(h.results[0].seq == 1);
  CHECK(h.results[1].seq == 2);
}
