// smtp_server_hostile_test.cpp - hostile input against the SMTP server, one case per attack:
// SMTP smuggling with every bare CR/LF variant around the end-of-data dot (reject and normalize
// modes), bare newlines and NUL in commands, over-long lines (bounded memory), a line that never
// ends, thousands of RCPTs, junk floods (421 after 20 errors), pipelining violations (data before
// 354, commands after EHLO, no PIPELINING), and a flood while a reply is held.
#include "smtp_server_harness.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using namespace smtpsim::smtp::test;

namespace {

// in_data - a harness in DATA after a normal envelope.
void in_data(Harness& h) {
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  REQUIRE(h.send("DATA\r\n") == "354 End data with <CR><LF>.<CR><LF>\r\n");
}

// Smuggle - a body with a fake end inside, then a smuggled transaction, then the real end.
struct Smuggle {
  const char* name;
  std::string fake_end;
};

const Smuggle kSmuggles[] = {
    {"<LF>.<LF>", "\n.\n"},
    {"<LF>.<CR><LF>", "\n.\r\n"},
    {"<CR><LF>.<LF>", "\r\n.\n"},
    {"<CR>.<CR>", "\r.\r"},
    {"<CR><LF>.<CR>", "\r\n.\r"},
    {"<CR>.<CR><LF>", "\r.\r\n"},
    {"<LF>.<CR>", "\n.\r"},
    {"<CR><LF>.<CR><CR><LF>", "\r\n.\r\r\n"},
    {"<CR><LF>\\0.<CR><LF>", std::string("\r\n\0.\r\n", 6)},
};

const std::string kSmuggled =
    "MAIL FROM:<admin@b.example>\r\nRCPT TO:<carol@b.example>\r\nDATA\r\nFrom: admin@b.example\r\n"
    "Subject: smuggled\r\n\r\nThis must never be a second message.\r\n";

}  // namespace

TEST_CASE("hostile: SMTP smuggling in reject mode - one message, refused with 550 5.5.2") {
  for (const Smuggle& s : kSmuggles) {
    DYNAMIC_SECTION("fake end " << s.name) {
      Harness h;
      in_data(h);
      std::string attack = "Subject: first\r\n\r\nhello" + s.fake_end + kSmuggled + ".\r\n";
      std::string out = h.send(attack);
      bool has_bare = attack.find('\0') == std::string::npos;  // the NUL variant has no bare newline
      if (has_bare) {
        CHECK(out == "550 5.5.2 Error: bare <LF> or <CR> received; message discarded\r\n");
        CHECK(h.policy.stored.empty());
      } else {
        CHECK(out == "250 2.0.0 Ok: queued as Q1\r\n");
        REQUIRE(h.policy.stored.size() == 1);
      }
      // Never a second transaction: exactly one final reply and the session is back in READY.
      CHECK(h.policy.stored.size() <= 1);
      CHECK(h.srv->state() == ServerState::Ready);
      CHECK(h.send("NOOP\r\n") == "250 2.0.0 Ok\r\n");
    }
  }
}

TEST_CASE("hostile: SMTP smuggling byte by byte gives the same single answer") {
  for (const Smuggle& s : kSmuggles) {
    DYNAMIC_SECTION("fake end " << s.name) {
      Harness h;
      in_data(h);
      std::string out = h.send_bytewise("x" + s.fake_end + kSmuggled + ".\r\n");
      CHECK(h.policy.stored.size() <= 1);
      CHECK((out == "550 5.5.2 Error: bare <LF> or <CR> received; message discarded\r\n" ||
             out == "250 2.0.0 Ok: queued as Q1\r\n"));
    }
  }
}

TEST_CASE("hostile: SMTP smuggling in normalize mode - one message, the smuggled part stays content") {
  for (const Smuggle& s : kSmuggles) {
    DYNAMIC_SECTION("fake end " << s.name) {
      Harness h;
      h.cfg.bare_newline = BareNewlineMode::Normalize;
      in_data(h);
      std::string out = h.send("hello" + s.fake_end + kSmuggled + ".\r\n");
      CHECK(out == "250 2.0.0 Ok: queued as Q1\r\n");
      REQUIRE(h.policy.stored.size() == 1);
      const std::string& data = h.policy.stored[0].data;
      // The smuggled commands are part of the one message, and the stored text has no bare newline.
      CHECK(data.find("MAIL FROM:<admin@b.example>") != std::string::npos);
      CHECK(data.find("must never be a second message") != std::string::npos);
      for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] == '\n') CHECK((i > 0 && data[i - 1] == '\r'));
        if (data[i] == '\r') CHECK((i + 1 < data.size() && data[i + 1] == '\n'));
      }
      CHECK(h.srv->envelope().rcpts.empty());
    }
  }
}

TEST_CASE("hostile: normalize keeps a dot after a bare LF as content (never unstuffed)") {
  Harness h;
  h.cfg.bare_newline = BareNewlineMode::Normalize;
  in_data(h);
  CHECK(h.send("a\n..b\nc\r\n.\r\n") == "250 2.0.0 Ok: queued as Q1\r\n");
  CHECK(h.policy.stored.at(0).data == "a\r\n..b\r\nc\r\n");
}

TEST_CASE("hostile: bare LF, bare CR and NUL in command lines are refused, never split") {
  Harness h;
  greet(h);
  run_steps(h, {
                   {"NOOP\nMAIL FROM:<a@a.example>\r\n", "500 5.5.2 Error: bare <LF> received\r\n"},
                   {"NOOP\rRSET\r\n", "500 5.5.2 Error: bare <CR> received\r\n"},
                   {std::string("MAIL FROM:<a@a.example>\0\r\n", 26), "500 5.5.2 Error: NUL character in command\r\n"},
               });
  CHECK(h.srv->state() == ServerState::Ready);  // nothing of the lines was executed
  CHECK(h.count_events(ProtoEvent::Kind::Error, "bare LF") == 1);
}

TEST_CASE("hostile: a client ending lines with LF only waits in reject mode, works in normalize mode") {
  Harness strict;
  strict.open();
  CHECK(strict.send("EHLO c.example\n") == "");
  Harness lenient;
  lenient.cfg.bare_newline = BareNewlineMode::Normalize;
  lenient.open();
  CHECK(lenient.send("EHLO c.example\n") == kEhloReply);
  CHECK(lenient.send("MAIL FROM:<a@a.example>\n") == "250 2.1.0 Ok\r\n");
}

TEST_CASE("hostile: over-long command lines get 500 5.5.2 and the rest of the line is dropped") {
  Harness h;
  greet(h);
  // 511 octets + CRLF = 513 > 512.
  std::string line = "NOOP " + std::string(506, 'x');
  REQUIRE(line.size() == 511);
  CHECK(h.send(line + "\r\n") == "500 5.5.2 Error: line too long\r\n");
  // 510 + CRLF = 512 is fine.
  CHECK(h.send(line.substr(0, 510) + "\r\n") == "250 2.0.0 Ok\r\n");
  // A huge line in pieces: nothing until its CRLF, then exactly one reply, then the next command works.
  for (int i = 0; i < 100; ++i) CHECK(h.send(std::string(10000, 'y')) == "");
  CHECK(h.send("tail\r\nNOOP\r\n") == "500 5.5.2 Error: line too long\r\n250 2.0.0 Ok\r\n");
  // The CRLF split between two segments while discarding.
  h.send(std::string(600, 'z') + "\r");
  CHECK(h.send("\nNOOP\r\n") == "500 5.5.2 Error: line too long\r\n250 2.0.0 Ok\r\n");
}

TEST_CASE("hostile: a line without CRLF forever does not grow memory; the timeout ends it") {
  Harness h;
  greet(h);
  // 50 MB of junk without a line end: the engine keeps at most one line's worth.
  std::string chunk(64 * 1024, 'j');
  for (int i = 0; i < 800; ++i) h.send(chunk);
  CHECK(h.out.find("500") == std::string::npos);  // nothing answered yet: the line has not ended
  CHECK(h.advance(minutes(5)) == "421 4.4.2 mx.b.example Error: timeout exceeded\r\n");
  CHECK(h.closed);
}

TEST_CASE("hostile: thousands of RCPTs - 452 4.5.3 after the limit, memory bounded by the limit") {
  Harness h;
  h.policy.relay = true;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  std::string group;
  for (int i = 0; i < 5000; ++i) group += "RCPT TO:<user" + std::to_string(i) + "@c.example>\r\n";
  std::string out = h.send(group);
  std::size_t ok = 0, too_many = 0, pos = 0;
  while ((pos = out.find("\r\n", pos)) != std::string::npos) ++pos;
  for (std::size_t p = 0; (p = out.find("250 2.1.5 Ok\r\n", p)) != std::string::npos; ++p) ++ok;
  for (std::size_t p = 0; (p = out.find("452 4.5.3 Error: too many recipients\r\n", p)) != std::string::npos; ++p)
    ++too_many;
  CHECK(ok == 100);
  CHECK(too_many == 4900);
  CHECK(h.srv->envelope().rcpts.size() == 100);
  CHECK_FALSE(h.closed);  // 452 is flow control, not a client error
  CHECK(h.srv->error_count() == 0);
}

TEST_CASE("hostile: junk command flood - 421 4.7.0 after 20 errors, then silence") {
  Harness h;
  greet(h);
  std::string out;
  for (int i = 0; i < 19; ++i) out += h.send("JUNK" + std::to_string(i) + "\r\n");
  CHECK_FALSE(h.closed);
  CHECK(h.send("JUNK\r\n") == "500 5.5.2 Error: command not recognized\r\n421 4.7.0 mx.b.example Error: too many errors\r\n");
  CHECK(h.closed);
  CHECK(h.send("NOOP\r\n") == "");
  CHECK(h.count_events(ProtoEvent::Kind::Error, "too many errors") == 1);
}

TEST_CASE("hostile: pipelined junk in one segment stops at the limit") {
  Harness h;
  greet(h);
  std::string flood;
  for (int i = 0; i < 1000; ++i) flood += "MAIL FROM:<bad address>\r\n";
  std::string out = h.send(flood);
  std::size_t lines = 0;
  for (std::size_t p = 0; (p = out.find("\r\n", p)) != std::string::npos; p += 2) ++lines;
  CHECK(lines == 21);  // 20 errors + 421
  CHECK(h.closed);
}

TEST_CASE("hostile: message data sent before the 354 is a synchronisation error") {
  Harness h;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  CHECK(h.send("DATA\r\nSubject: eager\r\n\r\nbody\r\n.\r\n") == "554 5.5.0 Error: SMTP protocol synchronization\r\n");
  CHECK(h.closed);
  CHECK(h.policy.stored.empty());
  CHECK(h.count_events(ProtoEvent::Kind::Error, "improper command pipelining after DATA") == 1);
}

TEST_CASE("hostile: commands pipelined after EHLO, or without PIPELINING, are refused") {
  Harness after_ehlo;
  after_ehlo.open();
  CHECK(after_ehlo.send("EHLO c.example\r\nMAIL FROM:<a@a.example>\r\n") ==
        "554 5.5.0 Error: SMTP protocol synchronization\r\n");
  CHECK(after_ehlo.closed);

  Harness helo;  // HELO: no PIPELINING in effect, so any group is a violation
  helo.open();
  helo.send("HELO c.example\r\n");
  CHECK(helo.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n") ==
        "554 5.5.0 Error: SMTP protocol synchronization\r\n");

  Harness off;  // PIPELINING not offered
  off.cfg.pipelining = false;
  off.open();
  off.send("EHLO c.example\r\n");
  CHECK(off.send("RSET\r\nNOOP\r\n") == "554 5.5.0 Error: SMTP protocol synchronization\r\n");

  Harness relaxed;  // the check can be switched off
  relaxed.cfg.enforce_sync = false;
  relaxed.open();
  CHECK(relaxed.send("EHLO c.example\r\nNOOP\r\n") == kEhloReply + "250 2.0.0 Ok\r\n");
}

TEST_CASE("hostile: a flood while a reply is held by the tarpit is cut off") {
  Harness h;
  h.cfg.max_pending_input = 4096;
  h.policy.behaviour.tarpit = sec(1);
  h.open();
  h.advance(sec(1));
  h.send("EHLO c.example\r\n");
  h.send(std::string(4000, 'x'));
  CHECK(h.send(std::string(200, 'x')) ==
        kEhloReply + "554 5.5.0 Error: SMTP protocol synchronization\r\n");
  CHECK(h.closed);
}

TEST_CASE("hostile: over-long text lines in DATA are accepted with a note") {
  Harness h;
  in_data(h);
  std::string long_line(5000, 'L');
  CHECK(h.send(long_line + "\r\n.\r\n") == "250 2.0.0 Ok: queued as Q1\r\n");
  CHECK(h.policy.stored.at(0).data == long_line + "\r\n");
  CHECK(h.count_events(ProtoEvent::Kind::Note, "over the 1000-octet limit") == 1);
}

TEST_CASE("hostile: a huge DATA is read to its end but stored only up to the limit") {
  Harness h;
  h.cfg.max_message_size = 1000;
  in_data(h);
  std::string line(998, 'D');
  for (int i = 0; i < 2000; ++i) h.send(line + "\r\n");  // 2 MB
  CHECK(h.send(".\r\n") == "552 5.3.4 Error: message file too big\r\n");
  CHECK(h.send("NOOP\r\n") == "250 2.0.0 Ok\r\n");
}

TEST_CASE("hostile: random garbage of every octet value never crashes and is answered") {
  Harness h;
  h.cfg.max_errors = 1000000;
  greet(h);
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (int r = 0; r < 50; ++r) h.send(all);
  h.send("\r\n");
  CHECK_FALSE(h.out.empty());
  CHECK(h.srv->state() != ServerState::Data);
}

TEST_CASE("hostile: an unauthenticated client pipelining its message at a submission server is dropped at DATA") {
  // MAIL (530: log in first) and RCPT (503) may be pipelined (RFC 2920), but DATA ends the group:
  // with the message already behind it the server says 554 5.5.0 and hangs up (Postfix 3.9
  // smtpd_forbid_unauth_pipelining), instead of refusing DATA and running the message's lines -
  // a "MAIL FROM" among them included - as commands.
  Harness h;
  h.cfg.msa_mode = true;
  h.cfg.auth = true;
  h.cfg.auth_plaintext = true;
  h.open();
  h.send("EHLO c.example\r\n");
  std::string out = h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\nDATA\r\n"
                           "MAIL FROM:<ceo@b.example>\r\nRCPT TO:<bob@b.example>\r\nDATA\r\nwire the money\r\n.\r\n");
  CHECK(out.starts_with("530 5.7.0 "));
  CHECK(out.find("\r\n503 5.5.1 ") != std::string::npos);
  CHECK(out.ends_with("\r\n554 5.5.0 Error: SMTP protocol synchronization\r\n"));
  CHECK(out.find("500 ") == std::string::npos);
  CHECK(h.closed);
  CHECK(h.policy.stored.empty());
}
