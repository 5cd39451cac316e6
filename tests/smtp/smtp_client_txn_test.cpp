// smtp_client_txn_test.cpp - client transactions against a scripted server: lock-step and
// PIPELINING groups, per-recipient outcomes, RSET, SIZE / 8BITMIME / DSN parameters, dot-stuffing.
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

const std::string kEhloPipe = R"(
  S: 220 mx ESMTP
  C: EHLO client.example
  S: 250-mx.b.example
  S: 250-PIPELINING
  S: 250-SIZE 10240000
  S: 250-8BITMIME
  S: 250-DSN
  S: 250 ENHANCEDSTATUSCODES
)";
const std::string kEhloPlain = R"(
  S: 220 mx ESMTP
  C: EHLO client.example
  S: 250 mx.b.example
)";

}  // namespace

TEST_CASE("client txn: recipient outcomes, pipelined and lock-step", "[smtp][client]") {
  struct Row {
    const char* name;
    std::string transcript;
    bool no_more;
    std::vector<std::string> outcomes;
  };
  const std::vector<Row> rows = {
      {"pipelined group, mixed 250/550/451", kEhloPipe + R"(
        C: MAIL FROM:<alice@a.example> SIZE=22
        C: RCPT TO:<bob@b.example>
        C: RCPT TO:<nobody@b.example>
        C: RCPT TO:<grey@b.example>
        C: DATA
        S: 250 2.1.0 Ok
        S: 250 2.1.5 Ok
        S: 550 5.1.1 <nobody@b.example>: Recipient address rejected
        S: 451 4.7.1 <grey@b.example>: Recipient address rejected: Greylisted
        S: 354 End data with <CR><LF>.<CR><LF>
        C: Subject: hi
        C:
        C: hello
        C: .
        S: 250 2.0.0 Ok: queued as 1A
        C: QUIT
        S: 221 2.0.0 Bye
        C! close)",
       true,
       {"m1 bob@b.example delivered end-of-data 250 2.0.0 Ok: queued as 1A",
        "m1 nobody@b.example failed RCPT 550 5.1.1 <nobody@b.example>: Recipient address rejected",
        "m1 grey@b.example deferred RCPT 451 4.7.1 <grey@b.example>: Recipient address rejected: Greylisted"}},
      {"lock-step, mixed outcomes", kEhloPlain + R"(
        C: MAIL FROM:<alice@a.example>
        S: 250 ok
        C: RCPT TO:<bob@b.example>
        S: 250 ok
        C: RCPT TO:<nobody@b.example>
        S: 550 no such user
        C: RCPT TO:<grey@b.example>
        S: 451 greylisted
        C: DATA
        S: 354 go
        C: Subject: hi
        C:
        C: hello
        C: .
        S: 250 queued
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example delivered end-of-data 250 queued", "m1 nobody@b.example failed RCPT 550 no such user",
        "m1 grey@b.example deferred RCPT 451 greylisted"}},
      {"lock-step MAIL refused: every recipient fails at MAIL, no RSET", kEhloPlain + R"(
        C: MAIL FROM:<alice@a.example>
        S: 553 5.7.1 <alice@a.example>: Sender address rejected
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example failed MAIL 553 5.7.1 <alice@a.example>: Sender address rejected",
        "m1 nobody@b.example failed MAIL 553 5.7.1 <alice@a.example>: Sender address rejected",
        "m1 grey@b.example failed MAIL 553 5.7.1 <alice@a.example>: Sender address rejected"}},
      {"pipelined MAIL refused: later replies read and ignored", kEhloPipe + R"(
        C: MAIL FROM:<alice@a.example> SIZE=22
        C: RCPT TO:<bob@b.example>
        C: RCPT TO:<nobody@b.example>
        C: RCPT TO:<grey@b.example>
        C: DATA
        S: 452 4.3.1 Insufficient system storage
        S: 503 5.5.1 Error: need MAIL command
        S: 503 5.5.1 Error: need MAIL command
        S: 503 5.5.1 Error: need MAIL command
        S: 503 5.5.1 Error: need RCPT command
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example deferred MAIL 452 4.3.1 Insufficient system storage",
        "m1 nobody@b.example deferred MAIL 452 4.3.1 Insufficient system storage",
        "m1 grey@b.example deferred MAIL 452 4.3.1 Insufficient system storage"}},
      {"lock-step, no recipient accepted, last message: QUIT instead of DATA", kEhloPlain + R"(
        C: MAIL FROM:<alice@a.example>
        S: 250 ok
        C: RCPT TO:<bob@b.example>
        S: 550 a
        C: RCPT TO:<nobody@b.example>
        S: 550 b
        C: RCPT TO:<grey@b.example>
        S: 450 c
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example failed RCPT 550 a", "m1 nobody@b.example failed RCPT 550 b",
        "m1 grey@b.example deferred RCPT 450 c"}},
      {"pipelined, no recipient accepted, DATA refused 554", kEhloPipe + R"(
        C: MAIL FROM:<alice@a.example> SIZE=22
        C: RCPT TO:<bob@b.example>
        C: RCPT TO:<nobody@b.example>
        C: RCPT TO:<grey@b.example>
        C: DATA
        S: 250 ok
        S: 550 a
        S: 550 b
        S: 550 c
        S: 554 5.5.1 Error: no valid recipients
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example failed RCPT 550 a", "m1 nobody@b.example failed RCPT 550 b",
        "m1 grey@b.example failed RCPT 550 c"}},
      {"pipelined, no recipient accepted, DATA wrongly accepted: lone dot (RFC 2920)", kEhloPipe + R"(
        C: MAIL FROM:<alice@a.example> SIZE=22
        C: RCPT TO:<bob@b.example>
        C: RCPT TO:<nobody@b.example>
        C: RCPT TO:<grey@b.example>
        C: DATA
        S: 250 ok
        S: 550 a
        S: 550 b
        S: 550 c
        S: 354 go ahead
        C: .
        S: 250 empty message accepted
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example failed RCPT 550 a", "m1 nobody@b.example failed RCPT 550 b",
        "m1 grey@b.example failed RCPT 550 c"}},
      {"DATA refused: accepted recipients get DATA's reply", kEhloPipe + R"(
        C: MAIL FROM:<alice@a.example> SIZE=22
        C: RCPT TO:<bob@b.example>
        C: RCPT TO:<nobody@b.example>
        C: RCPT TO:<grey@b.example>
        C: DATA
        S: 250 ok
        S: 250 ok
        S: 550 b
        S: 250 ok
        S: 451 4.3.0 queue file write error
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example deferred DATA 451 4.3.0 queue file write error", "m1 nobody@b.example failed RCPT 550 b",
        "m1 grey@b.example deferred DATA 451 4.3.0 queue file write error"}},
      {"end of data refused 554: all accepted recipients failed", kEhloPlain + R"(
        C: MAIL FROM:<alice@a.example>
        S: 250 ok
        C: RCPT TO:<bob@b.example>
        S: 250 ok
        C: RCPT TO:<nobody@b.example>
        S: 251 will forward
        C: RCPT TO:<grey@b.example>
        S: 550 no
        C: DATA
        S: 354 go
        C: Subject: hi
        C:
        C: hello
        C: .
        S: 554 5.7.1 Message rejected: spam
        C: QUIT
        S: 221 bye
        C! close)",
       true,
       {"m1 bob@b.example failed end-of-data 554 5.7.1 Message rejected: spam",
        "m1 nobody@b.example failed end-of-data 554 5.7.1 Message rejected: spam",
        "m1 grey@b.example failed RCPT 550 no"}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      Script s{plain_cfg(),
               {message("m1", "alice@a.example", {"bob@b.example", "nobody@b.example", "grey@b.example"})},
               row.no_more,
               row.transcript};
      Harness h = run(s);
      CHECK(outcome_lines(h.results) == row.outcomes);
      CHECK(h.count(ProtoEvent::Kind::Error) == 0);
      CHECK(h.client.finished());
    }
  }
}

TEST_CASE("client txn: RSET between messages only when a transaction may be open", "[smtp][client]") {
  SECTION("lock-step: all recipients refused, another message follows") {
    Script s{plain_cfg(),
             {message("m1", "alice@a.example", {"nobody@b.example"}), message("m2", "alice@a.example", {"bob@b.example"})},
             true, kEhloPlain + R"(
      C: MAIL FROM:<alice@a.example>
      S: 250 ok
      C: RCPT TO:<nobody@b.example>
      S: 550 no
      C: RSET
      S: 250 flushed
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
      C! close)"};
    Harness h = run(s);
    CHECK(outcome_lines(h.results) == std::vector<std::string>{"m1 nobody@b.example failed RCPT 550 no",
                                                               "m2 bob@b.example delivered end-of-data 250 ok"});
  }
  SECTION("pipelined: DATA refused, then the next group") {
    Script s{plain_cfg(),
             {message("m1", "alice@a.example", {"nobody@b.example"}), message("m2", "alice@a.example", {"bob@b.example"})},
             true, kEhloPipe + R"(
      C: MAIL FROM:<alice@a.example> SIZE=22
      C: RCPT TO:<nobody@b.example>
      C: DATA
      S: 250 ok
      S: 550 no
      S: 554 no valid recipients
      C: RSET
      S: 250 ok
      C: MAIL FROM:<alice@a.example> SIZE=22
      C: RCPT TO:<bob@b.example>
      C: DATA
      S: 250 ok
      S: 250 ok
      S: 354 go
      C: Subject: hi
      C:
      C: hello
      C: .
      S: 250 ok
      C: QUIT
      S: 221 bye
      C! close)"};
    Harness h = run(s);
    CHECK(outcome_lines(h.results) == std::vector<std::string>{"m1 nobody@b.example failed RCPT 550 no",
                                                               "m2 bob@b.example delivered end-of-data 250 ok"});
  }
  SECTION("MAIL refused: no RSET needed before the next MAIL") {
    Script s{plain_cfg(),
             {message("m1", "spammer@a.example", {"bob@b.example"}), message("m2", "alice@a.example", {"bob@b.example"})},
             true, kEhloPlain + R"(
      C: MAIL FROM:<spammer@a.example>
      S: 550 no
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
      C! close)"};
    run(s);
  }
  SECTION("RSET refused: remaining messages deferred, QUIT") {
    Script s{plain_cfg(),
             {message("m1", "alice@a.example", {"nobody@b.example"}), message("m2", "alice@a.example", {"bob@b.example"})},
             true, kEhloPlain + R"(
      C: MAIL FROM:<alice@a.example>
      S: 250 ok
      C: RCPT TO:<nobody@b.example>
      S: 550 no
      C: RSET
      S: 500 what
      C: QUIT
      S: 221 bye
      C! close)"};
    Harness h = run(s);
    CHECK(outcome_lines(h.results) ==
          std::vector<std::string>{"m1 nobody@b.example failed RCPT 550 no", "m2 bob@b.example deferred MAIL 500 what"});
  }
}

TEST_CASE("client txn: 421 in the middle of a pipelined group", "[smtp][client]") {
  Script s{plain_cfg(),
           {message("m1", "alice@a.example", {"bob@b.example", "carol@b.example"}),
            message("m2", "alice@a.example", {"dave@b.example"})},
           true, kEhloPipe + R"(
    C: MAIL FROM:<alice@a.example> SIZE=22
    C: RCPT TO:<bob@b.example>
    C: RCPT TO:<carol@b.example>
    C: DATA
    S: 250 ok
    S: 250 ok
    S: 421 4.3.2 Service shutting down
    C! close)"};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) ==
        std::vector<std::string>{"m1 bob@b.example deferred RCPT 421 4.3.2 Service shutting down",
                                 "m1 carol@b.example deferred RCPT 421 4.3.2 Service shutting down",
                                 "m2 dave@b.example deferred RCPT 421 4.3.2 Service shutting down"});
}

TEST_CASE("client txn: pipelining off by configuration", "[smtp][client]") {
  ClientConfig cfg = plain_cfg();
  cfg.pipelining = false;
  Script s{cfg, {message("m1", "alice@a.example", {"bob@b.example"})}, true, kEhloPipe + R"(
    C: MAIL FROM:<alice@a.example> SIZE=22
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
    C! close)"};
  run(s);
}

TEST_CASE("client txn: SIZE, BODY, RET, ENVID, NOTIFY, ORCPT only when offered", "[smtp][client]") {
  OutgoingMessage m = message("m1", "alice@a.example", {"bob@b.example", "carol@b.example"}, "caf\xc3\xa9\r\n");
  m.body = BodyType::EightBitMime;
  m.ret = DsnRet::Headers;
  m.envid = "Q1+x=y";
  m.recipients[0].notify = kNotifySuccess | kNotifyFailure | kNotifyDelay;
  m.recipients[0].orcpt = "rfc822;bob+tag@b.example";
  m.recipients[1].notify = kNotifyNever;
  SECTION("all offered") {
    Script s{plain_cfg(), {m}, true, kEhloPipe + R"(
      C: MAIL FROM:<alice@a.example> SIZE=7 BODY=8BITMIME RET=HDRS ENVID=Q1+2Bx+3Dy
      C: RCPT TO:<bob@b.example> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;bob+2Btag@b.example
      C: RCPT TO:<carol@b.example> NOTIFY=NEVER
      C: DATA
      S: 250 ok
      S: 250 ok
      S: 250 ok
      S: 354 go
      C: caf)" "\xc3\xa9" R"(
      C: .
      S: 250 ok
      C: QUIT
      S: 221 bye
      C! close)"};
    Harness h = run(s);
    CHECK(h.results.at(0).count(Outcome::Delivered) == 2);
  }
  SECTION("none offered; 7BIT body sends no BODY either") {
    m.body = BodyType::SevenBit;
    m.data = "plain\r\n";
    Script s{plain_cfg(), {m}, true, kEhloPlain + R"(
      C: MAIL FROM:<alice@a.example>
      S: 250 ok
      C: RCPT TO:<bob@b.example>
      S: 250 ok
      C: RCPT TO:<carol@b.example>
      S: 250 ok
      C: DATA
      S: 354 go
      C: plain
      C: .
      S: 250 ok
      C: QUIT
      S: 221 bye
      C! close)"};
    run(s);
  }
  SECTION("8BITMIME body to a server without 8BITMIME fails locally, nothing sent") {
    Script s{plain_cfg(), {m}, true, kEhloPlain + R"(
      C: QUIT
      S: 221 bye
      C! close)"};
    Harness h = run(s);
    REQUIRE(h.results.size() == 1);
    for (const auto& r : h.results[0].recipients) {
      CHECK(r.outcome == Outcome::Failed);
      CHECK(r.local);
      CHECK(r.reply.enhanced == "5.6.3");
      CHECK(r.stage == Stage::Mail);
    }
  }
  SECTION("explicit SIZE override") {
    OutgoingMessage m2 = message("m2", "alice@a.example", {"bob@b.example"}, "x\r\n");
    m2.size = 12345;
    Script s{plain_cfg(), {m2}, true, kEhloPipe + R"(
      C: MAIL FROM:<alice@a.example> SIZE=12345
      C: RCPT TO:<bob@b.example>
      C: DATA
      S: 250 ok
      S: 250 ok
      S: 354 go
      C: x
      C: .
      S: 250 ok
      C: QUIT
      S: 221 bye
      C! close)"};
    run(s);
  }
}

TEST_CASE("client txn: message larger than the server's SIZE fails before MAIL", "[smtp][client]") {
  Script s{plain_cfg(),
           {message("big", "alice@a.example", {"bob@b.example"}, std::string(2000, 'a') + "\r\n"),
            message("small", "alice@a.example", {"bob@b.example"}, "x\r\n")},
           true, R"(
    S: 220 mx ESMTP
    C: EHLO client.example
    S: 250-mx
    S: 250 SIZE 1000
    C: MAIL FROM:<alice@a.example> SIZE=3
    S: 250 ok
    C: RCPT TO:<bob@b.example>
    S: 250 ok
    C: DATA
    S: 354 go
    C: x
    C: .
    S: 250 ok
    C: QUIT
    S: 221 bye
    C! close)"};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) ==
        std::vector<std::string>{
            "big bob@b.example failed MAIL (local) 5.3.4 message size 2002 exceeds size limit 1000 of host mx.b.example",
            "small bob@b.example delivered end-of-data 250 ok"});
}

TEST_CASE("client txn: dot-stuffing and line ends of the body", "[smtp][client]") {
  struct Row {
    std::string data;
    std::string wire;       // what follows the 354
    std::size_t size;       // declared SIZE
    bool normalised_note;
  };
  const std::vector<Row> rows = {
      {"", ".\r\n", 0, false},
      {"a\r\n", "a\r\n.\r\n", 3, false},
      {"no final newline", "no final newline\r\n.\r\n", 18, false},
      {".\r\n", "..\r\n.\r\n", 3, false},
      {".hidden\r\n..two\r\nmid.dle\r\n.", "..hidden\r\n...two\r\nmid.dle\r\n..\r\n.\r\n", 28, false},
      {"\r\n.\r\n", "\r\n..\r\n.\r\n", 5, false},
      {"bare\nlf\n.\n", "bare\r\nlf\r\n..\r\n.\r\n", 13, true},
      {"bare\rcr\r", "bare\r\ncr\r\n.\r\n", 10, true},
      {"smuggle\r\n\n.\r\nMAIL FROM:<x>\r\n", "smuggle\r\n\r\n..\r\nMAIL FROM:<x>\r\n.\r\n", 29, true},
  };
  for (const auto& row : rows) {
    INFO("data: " << row.data);
    ClientConfig cfg = plain_cfg();
    Harness h(cfg);
    h.client.enqueue(message("m", "a@a.example", {"b@b.example"}, row.data));
    h.client.no_more_messages();
    h.open();
    h.feed("220 mx\r\n", false);
    h.take();
    h.feed("250-mx\r\n250-PIPELINING\r\n250 SIZE\r\n", false);
    CHECK(h.take() == "MAIL FROM:<a@a.example> SIZE=" + std::to_string(row.size) +
                          "\r\nRCPT TO:<b@b.example>\r\nDATA\r\n");
    h.feed("250 ok\r\n250 ok\r\n354 go\r\n", false);
    CHECK(h.take() == row.wire);
    CHECK(h.count(ProtoEvent::Kind::Note, "bare CR/LF") == (row.normalised_note ? 1u : 0u));
  }
}

TEST_CASE("client txn: undeclared 8-bit content and over-long lines are noted", "[smtp][client]") {
  Harness h(plain_cfg());
  h.client.enqueue(message("m8", "a@a.example", {"b@b.example"}, "caf\xc3\xa9\r\n" + std::string(1200, 'x') + "\r\n"));
  h.client.no_more_messages();
  h.open();
  h.feed("220 mx\r\n250 mx\r\n", false);  // the EHLO reply arrives in the same chunk: it is still read in order
  h.feed("250 ok\r\n250 ok\r\n354 go\r\n", false);
  CHECK(h.count(ProtoEvent::Kind::Note, "8-bit octets but was not declared BODY=8BITMIME") == 1);
  CHECK(h.count(ProtoEvent::Kind::Note, "has a line of 1200 octets") == 1);
  CHECK(h.take() == "EHLO client.example\r\nMAIL FROM:<a@a.example>\r\nRCPT TO:<b@b.example>\r\nDATA\r\ncaf\xc3\xa9\r\n" +
                        std::string(1200, 'x') + "\r\n.\r\n");
}

TEST_CASE("client txn: addresses that could inject commands are refused locally", "[smtp][client]") {
  OutgoingMessage m = message("m1", "alice@a.example", {"bob@b.example\r\nRCPT TO:<evil@x>", "carol@b.example"});
  OutgoingMessage bad_sender = message("m2", "a>\r\nQUIT", {"bob@b.example"});
  Script s{plain_cfg(), {m, bad_sender}, true, kEhloPlain + R"(
    C: MAIL FROM:<alice@a.example>
    S: 250 ok
    C: RCPT TO:<carol@b.example>
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
    C! close)"};
  Harness h = run(s);
  CHECK(outcome_lines(h.results) ==
        std::vector<std::string>{
            "m1 bob@b.example\r\nRCPT TO:<evil@x> failed RCPT (local) 5.1.3 bad recipient address syntax: control "
            "character in address",
            "m1 carol@b.example delivered end-of-data 250 ok",
            "m2 bob@b.example failed MAIL (local) 5.1.7 bad sender address syntax: angle bracket in address"});
}

TEST_CASE("client txn: a message without recipients gets an empty result", "[smtp][client]") {
  Script s{plain_cfg(), {message("m0", "alice@a.example", {})}, true, kEhloPlain + R"(
    C: QUIT
    S: 221 bye
    C! close)"};
  Harness h = run(s);
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].id == "m0");
  CHECK(h.results[0].recipients.empty());
}
