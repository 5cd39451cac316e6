// pop3_server_test.cpp - the POP3 server engine as tables of input bytes -> output bytes.
#include <catch2/catch.hpp>

#include "pop3/pop3_fixture.hpp"
#include "sim/core/ascii.hpp"
#include "sim/pop3/pop3_auth.hpp"

using namespace pop3test;
using smtpsim::pop3::State;

namespace {

struct Step {
  std::string in;
  std::string out;
};

// run_table - each step's input gives exactly its output (fed whole, or one byte at a time).
void run_table(ServerRig& rig, const std::vector<Step>& steps, bool bytewise) {
  for (const auto& s : steps) {
    INFO("input: " << s.in);
    CHECK((bytewise ? rig.send_bytewise(s.in) : rig.send(s.in)) == s.out);
  }
}

std::string n(std::size_t v) { return std::to_string(v); }

}  // namespace

TEST_CASE("pop3 server: greeting carries the APOP timestamp", "[pop3][server]") {
  ServerRig rig;
  CHECK(rig.start(sec(5) + 3) == "+OK pop.b.example POP3 server ready <7.5000003@pop.b.example>\r\n");
  CHECK(rig.srv->timestamp() == "<7.5000003@pop.b.example>");
  REQUIRE(rig.events.size() == 1);
  CHECK(rig.events[0].kind == ProtoEvent::Kind::Reply);
  CHECK(rig.events[0].code == 1);
  CHECK(rig.events[0].text == "+OK pop.b.example POP3 server ready <7.5000003@pop.b.example>");
  CHECK(rig.srv->state() == State::Authorization);

  rig.cfg.allow_apop = false;  // no APOP, no timestamp (as Dovecot does)
  CHECK(rig.start() == "+OK pop.b.example POP3 server ready\r\n");
}

TEST_CASE("pop3 server: a whole session, byte for byte", "[pop3][server]") {
  const std::size_t s1 = kMsg1.size(), s2 = kMsg2.size();
  const auto steps = [&](const ServerRig& rig) {
    return std::vector<Step>{
        {"CAPA\r\n",
         "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
         "UIDL\r\nIMPLEMENTATION smtpsim\r\n.\r\n"},
        {"USER b@b.example\r\n", "+OK send PASS\r\n"},
        {"PASS secret\r\n", "+OK maildrop has 2 messages (" + n(s1 + s2) + " octets)\r\n"},
        {"STAT\r\n", "+OK 2 " + n(s1 + s2) + "\r\n"},
        {"LIST\r\n", "+OK 2 messages (" + n(s1 + s2) + " octets)\r\n1 " + n(s1) + "\r\n2 " + n(s2) + "\r\n.\r\n"},
        {"LIST 2\r\n", "+OK 2 " + n(s2) + "\r\n"},
        {"LIST 3\r\n", "-ERR no such message, only 2 messages in maildrop\r\n"},
        {"LIST 0\r\n", "-ERR no such message, only 2 messages in maildrop\r\n"},
        {"LIST x\r\n", "-ERR Invalid message number \"x\"\r\n"},
        {"UIDL\r\n", "+OK unique-id listing follows\r\n1 " + rig.uid1 + "\r\n2 " + rig.uid2 + "\r\n.\r\n"},
        {"uidl 2\r\n", "+OK 2 " + rig.uid2 + "\r\n"},
        {"RETR 1\r\n", "+OK " + n(s1) + " octets\r\n" + kMsg1Stuffed + ".\r\n"},
        {"TOP 1 0\r\n", "+OK top of message follows\r\nFrom: a@a.example\r\nSubject: one\r\n\r\n.\r\n"},
        {"TOP 1 2\r\n", "+OK top of message follows\r\nFrom: a@a.example\r\nSubject: one\r\n\r\nHello\r\n..hidden dot\r\n.\r\n"},
        {"TOP 1 99\r\n", "+OK top of message follows\r\n" + kMsg1Stuffed + ".\r\n"},
        {"TOP 1\r\n", "-ERR Syntax: TOP msg n\r\n"},
        {"DELE 1\r\n", "+OK message 1 deleted\r\n"},
        {"DELE 1\r\n", "-ERR message 1 already deleted\r\n"},
        {"RETR 1\r\n", "-ERR message 1 already deleted\r\n"},
        {"STAT\r\n", "+OK 1 " + n(s2) + "\r\n"},
        {"LIST\r\n", "+OK 1 message (" + n(s2) + " octets)\r\n2 " + n(s2) + "\r\n.\r\n"},
        {"UIDL\r\n", "+OK unique-id listing follows\r\n2 " + rig.uid2 + "\r\n.\r\n"},
        {"RSET\r\n", "+OK maildrop has 2 messages (" + n(s1 + s2) + " octets)\r\n"},
        {"NOOP\r\n", "+OK\r\n"},
        {"CAPA\r\n",
         "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
         "UIDL\r\nIMPLEMENTATION smtpsim\r\n.\r\n"},
        {"USER b@b.example\r\n", "-ERR USER is not valid in the TRANSACTION state\r\n"},
        {"DELE 2\r\n", "+OK message 2 deleted\r\n"},
        {"QUIT\r\n", "+OK pop.b.example POP3 server signing off (1 message deleted, 1 left)\r\n"},
    };
  };
  for (bool bytewise : {false, true}) {
    DYNAMIC_SECTION((bytewise ? "one byte at a time" : "one line at a time")) {
      ServerRig rig;
      rig.start();
      run_table(rig, steps(rig), bytewise);
      CHECK(rig.last.close);
      CHECK(rig.srv->state() == State::Closed);
      CHECK(rig.srv->finished());
      auto l = rig.store.list("b@b.example");
      REQUIRE(l.messages.size() == 1);
      CHECK(l.messages[0].uid == rig.uid1);
      CHECK_FALSE(rig.store.is_locked("b@b.example"));
      CHECK(rig.srv->stats().deleted == 1);
      CHECK(rig.send("NOOP\r\n").empty());  // nothing after close
    }
  }
}

TEST_CASE("pop3 server: pipelined commands get the same answers in order", "[pop3][server]") {
  ServerRig one, all;
  one.start();
  all.start();
  const std::vector<std::string> cmds = {"USER b@b.example\r\n", "PASS secret\r\n", "STAT\r\n", "RETR 2\r\n",
                                         "DELE 2\r\n", "BOGUS\r\n", "UIDL\r\n", "QUIT\r\n"};
  std::string expected, joined;
  for (const auto& c : cmds) {
    expected += one.send(c);
    joined += c;
  }
  CHECK(all.send(joined) == expected);
  CHECK(all.last.close);
  CHECK(all.store.list("b@b.example").messages.size() == 1);
}

TEST_CASE("pop3 server: bad commands get clear errors", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  run_table(rig,
            {
                {"STAT\r\n", "-ERR STAT is not valid in the AUTHORIZATION state\r\n"},
                {"PASS secret\r\n", "-ERR No user name given: send USER first\r\n"},
                {"USER\r\n", "-ERR Syntax: USER name\r\n"},
                {"XYZZY\r\n", "-ERR Unknown command XYZZY\r\n"},
                {"\r\n", "-ERR Empty command line\r\n"},
                {" USER x\r\n", "-ERR Command line starts with a space\r\n"},
                {std::string("US\0R x\r\n", 8), "-ERR Invalid characters in command\r\n"},
                {"USER a\rb\r\n", "-ERR Invalid characters in command\r\n"},
                {"QUIT now\r\n", "-ERR Syntax: QUIT\r\n"},
                {"USER b@b.example\r\n", "+OK send PASS\r\n"},
                {"NOOP\r\n", "-ERR NOOP is not valid in the AUTHORIZATION state\r\n"},
                {"PASS secret\r\n", "-ERR No user name given: send USER first\r\n"},  // USER must come just before
                {"user b@b.example\n", "+OK send PASS\r\n"},  // a bare LF ends a line too (as in Dovecot)
                {"pass secret\n", "+OK maildrop has 2 messages (" + n(kMsg1.size() + kMsg2.size()) + " octets)\r\n"},
                {"RETR 1 2\r\n", "-ERR Syntax: RETR msg\r\n"},
                {"RETR -1\r\n", "-ERR Invalid message number \"-1\"\r\n"},
                {"RETR 99999999999\r\n", "-ERR Invalid message number \"99999999999\"\r\n"},
                {"TOP 1 x\r\n", "-ERR Invalid line count \"x\"\r\n"},
                {"STLS\r\n", "-ERR STLS is not valid in the TRANSACTION state\r\n"},
            },
            false);
  CHECK(rig.srv->stats().bad_commands == 13);  // bad numbers are answered but not counted
  CHECK_FALSE(rig.last.close);
}

TEST_CASE("pop3 server: line length limit (RFC 2449: 255 octets)", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  const std::string ok_line = "USER " + std::string(248, 'a') + "\r\n";  // exactly 255 octets
  REQUIRE(ok_line.size() == 255);
  CHECK(rig.send(ok_line) == "+OK send PASS\r\n");
  const std::string long_line = "USER " + std::string(249, 'a') + "\r\n";  // 256
  CHECK(rig.send(long_line) == "-ERR Line too long (limit 255 octets)\r\n");
  // A line with no end in sight is answered once it passes the limit, and the rest is dropped.
  CHECK(rig.send(std::string(300, 'A')) == "-ERR Line too long (limit 255 octets)\r\n");
  CHECK(rig.send(std::string(5000, 'A')).empty());
  CHECK(rig.send("AAAA\r\nCAPA\r\n").rfind("+OK Capability list follows\r\n", 0) == 0);
  CHECK(rig.srv->stats().bad_commands == 2);
}

TEST_CASE("pop3 server: a client that floods a slow server is cut off", "[pop3][server]") {
  ServerRig rig;
  rig.cfg.behaviour.response_delay = sec(1);
  rig.cfg.max_buffered_input = 1000;
  rig.start();
  std::string flood;
  for (int i = 0; i < 200; ++i) flood += "NOOP\r\n";
  CHECK(rig.send(flood).empty());
  CHECK(rig.srv->deadline() == sec(1));
  rig.srv->on_timer(sec(1));
  CHECK(rig.take().rfind("+OK pop.b.example POP3 server ready", 0) == 0);
  CHECK(rig.last.close);
  CHECK(rig.srv->finished());
  CHECK(has_text(rig.events, "more than 1000 octets of unprocessed input: closing"));
}

TEST_CASE("pop3 server: junk in a loop is cut off", "[pop3][server]") {
  ServerRig rig;
  rig.cfg.max_bad_commands = 3;
  rig.start();
  CHECK(rig.send("JUNK\r\n") == "-ERR Unknown command JUNK\r\n");
  CHECK(rig.send("JUNK\r\n") == "-ERR Unknown command JUNK\r\n");
  CHECK(rig.send("JUNK\r\nCAPA\r\n") == "-ERR Unknown command JUNK; too many invalid commands, closing connection\r\n");
  CHECK(rig.last.close);
  CHECK(rig.srv->finished());
}

TEST_CASE("pop3 server: failed logins say [AUTH] and close after the limit", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  run_table(rig,
            {
                {"USER b@b.example\r\n", "+OK send PASS\r\n"},
                {"PASS badpass123\r\n", "-ERR [AUTH] Authentication failed.\r\n"},
                {"USER nobody\r\n", "+OK send PASS\r\n"},  // unknown users look the same
                {"PASS secret\r\n", "-ERR [AUTH] Authentication failed.\r\n"},
                {"APOP b@b.example 00000000000000000000000000000000\r\n",
                 "-ERR [AUTH] Authentication failed; too many failures, closing connection\r\n"},
            },
            false);
  CHECK(rig.last.close);
  CHECK(rig.srv->stats().auth_failures == 3);
  for (const auto& e : rig.events) {
    CHECK(e.text.find("badpass123") == std::string::npos);  // the password never shows
    CHECK(e.text.find("secret") == std::string::npos);
  }
  CHECK(has_text(rig.events, "authentication failed: wrong password for b@b.example"));
  CHECK(has_text(rig.events, "authentication failed: unknown user \"nobody\""));
}

TEST_CASE("pop3 server: a failed login can be slowed down", "[pop3][server]") {
  ServerRig rig;
  rig.cfg.auth_failure_delay = sec(2);
  rig.start();
  rig.send("USER b@b.example\r\n");
  CHECK(rig.send("PASS wrong\r\nNOOP\r\n").empty());
  CHECK(rig.srv->deadline() == sec(2));
  rig.srv->on_timer(sec(1));
  CHECK(rig.take().empty());
  rig.srv->on_timer(sec(2));
  CHECK(rig.take() == "-ERR [AUTH] Authentication failed.\r\n-ERR NOOP is not valid in the AUTHORIZATION state\r\n");
}

TEST_CASE("pop3 server: passwords may contain spaces", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  rig.send("USER c@b.example\r\n");
  CHECK(rig.send("PASS pw c\r\n") == "+OK maildrop has 0 messages (0 octets)\r\n");
}

TEST_CASE("pop3 server: APOP", "[pop3][server]") {
  // RFC 1939 section 7's example.
  CHECK(pop3::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf") == "c4c9334bac560ecc979e58001b3e22fb");

  ServerRig rig;
  rig.start(sec(1));
  const std::string digest = pop3::apop_digest(rig.srv->timestamp(), "secret");
  CHECK(rig.send("APOP b@b.example " + digest + "\r\n") ==
        "+OK maildrop has 2 messages (" + n(kMsg1.size() + kMsg2.size()) + " octets)\r\n");
  CHECK(rig.srv->login() == "b@b.example");

  // A digest for another session's timestamp is refused (no replay).
  ServerRig other;
  other.cfg.session_id = 8;
  other.start(sec(1));
  CHECK(other.send("APOP b@b.example " + digest + "\r\n") == "-ERR [AUTH] Authentication failed.\r\n");
  // Upper-case hex is the same digest.
  const std::string upper = smtpsim::ascii_upper_copy(pop3::apop_digest(other.srv->timestamp(), "secret"));
  CHECK(other.send("APOP B@B.EXAMPLE " + upper + "\r\n").rfind("+OK maildrop has 2", 0) == 0);

  ServerRig off;
  off.cfg.allow_apop = false;
  off.start();
  CHECK(off.send("APOP b@b.example " + digest + "\r\n") == "-ERR APOP is not enabled on this server\r\n");
}

TEST_CASE("pop3 server: AUTH PLAIN (RFC 5034)", "[pop3][server]") {
  const std::string plain = pop3::sasl_plain_encode("b@b.example", "secret");
  CHECK(plain == "AGJAYi5leGFtcGxlAHNlY3JldA==");
  SECTION("initial response") {
    ServerRig rig;
    rig.start();
    CHECK(rig.send("AUTH\r\n") == "+OK SASL mechanisms follow\r\nPLAIN\r\n.\r\n");
    CHECK(rig.send("AUTH PLAIN " + plain + "\r\n").rfind("+OK maildrop has 2 messages", 0) == 0);
  }
  SECTION("challenge, then response") {
    ServerRig rig;
    rig.start();
    CHECK(rig.send("AUTH PLAIN\r\n") == "+ \r\n");
    CHECK(rig.send(plain + "\r\n").rfind("+OK maildrop has 2 messages", 0) == 0);
    CHECK_FALSE(has_text(rig.events, plain));
  }
  SECTION("cancel, garbage, wrong password, unknown mechanism") {
    ServerRig rig;
    rig.cfg.max_auth_failures = 6;
    rig.start();
    run_table(rig,
              {
                  {"AUTH PLAIN\r\n", "+ \r\n"},
                  {"*\r\n", "-ERR Authentication cancelled\r\n"},
                  {"AUTH PLAIN !!!!\r\n", "-ERR [AUTH] Authentication failed.\r\n"},
                  {"AUTH PLAIN =\r\n", "-ERR [AUTH] Authentication failed.\r\n"},
                  {"AUTH PLAIN " + pop3::sasl_plain_encode("b@b.example", "nope") + "\r\n",
                   "-ERR [AUTH] Authentication failed.\r\n"},
                  {"AUTH PLAIN " + pop3::sasl_plain_encode("b@b.example", "secret", "c@b.example") + "\r\n",
                   "-ERR [AUTH] Authentication failed.\r\n"},  // may not act as someone else
                  {"AUTH PLAIN " + pop3::sasl_plain_encode("b@b.example", "") + "\r\n",
                   "-ERR [AUTH] Authentication failed.\r\n"},  // RFC 4616: passwd = 1*SAFE
                  {"AUTH CRAM-MD5\r\n", "-ERR Unsupported authentication mechanism CRAM-MD5\r\n"},
              },
              false);
    CHECK(rig.srv->stats().auth_failures == 5);
  }
}

TEST_CASE("pop3 server: one session per maildrop ([IN-USE])", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  rig.login();
  REQUIRE(rig.srv->state() == State::Transaction);
  CHECK(rig.store.is_locked("b@b.example"));

  pop3::Server second(rig.cfg, rig.dir, rig.store);
  second.on_open(0);
  second.take_output();
  second.on_bytes("USER b@b.example\r\nPASS secret\r\n", 0);
  CHECK(second.take_output().bytes == "+OK send PASS\r\n-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n");
  CHECK(second.state() == State::Authorization);

  rig.send("QUIT\r\n");
  CHECK_FALSE(rig.store.is_locked("b@b.example"));
  second.on_bytes("USER b@b.example\r\nPASS secret\r\n", 0);
  CHECK(second.take_output().bytes == "+OK send PASS\r\n+OK maildrop has 2 messages (" +
                                          n(kMsg1.size() + kMsg2.size()) + " octets)\r\n");
}

TEST_CASE("pop3 server: deletion semantics", "[pop3][server]") {
  SECTION("DELE then a dropped connection deletes nothing") {
    ServerRig rig;
    rig.start();
    rig.login();
    rig.send("DELE 1\r\nDELE 2\r\n");
    rig.srv->on_closed(0);
    rig.take();
    CHECK(rig.store.list("b@b.example").messages.size() == 2);
    CHECK_FALSE(rig.store.is_locked("b@b.example"));
    CHECK(rig.srv->finished());
    CHECK(has_text(rig.events, "no UPDATE, 2 messages marked deleted kept"));
  }
  SECTION("DELE then the engine is destroyed deletes nothing") {
    ServerRig rig;
    rig.start();
    rig.login();
    rig.send("DELE 1\r\n");
    rig.srv.reset();
    CHECK(rig.store.list("b@b.example").messages.size() == 2);
    CHECK_FALSE(rig.store.is_locked("b@b.example"));
  }
  SECTION("RSET restores, QUIT then removes nothing") {
    ServerRig rig;
    rig.start();
    rig.login();
    rig.send("DELE 1\r\nDELE 2\r\nRSET\r\n");
    CHECK(rig.send("QUIT\r\n") == "+OK pop.b.example POP3 server signing off (0 messages deleted, 2 left)\r\n");
    CHECK(rig.store.list("b@b.example").messages.size() == 2);
  }
  SECTION("a message delivered during the session is not seen until the next one") {
    ServerRig rig;
    rig.start();
    rig.login();
    const std::string uid3 = rig.store.deliver("b@b.example", "new\r\n").id;
    CHECK(rig.send("STAT\r\n") == "+OK 2 " + n(kMsg1.size() + kMsg2.size()) + "\r\n");
    rig.send("DELE 1\r\nDELE 2\r\n");
    CHECK(rig.send("QUIT\r\n") == "+OK pop.b.example POP3 server signing off (2 messages deleted, 1 left)\r\n");
    auto l = rig.store.list("b@b.example");
    REQUIRE(l.messages.size() == 1);
    CHECK(l.messages[0].uid == uid3);
  }
  SECTION("a message that vanished under the session") {
    ServerRig rig;
    rig.start();
    rig.login();
    rig.store.remove("b@b.example", rig.uid1);
    CHECK(rig.send("RETR 1\r\n") == "-ERR [SYS/PERM] message 1 is no longer in the maildrop\r\n");
    rig.send("DELE 1\r\n");
    CHECK(rig.send("QUIT\r\n") == "-ERR [SYS/TEMP] some deleted messages were not removed (0 of 1)\r\n");
    CHECK(rig.last.close);
    CHECK_FALSE(rig.store.is_locked("b@b.example"));
  }
}

TEST_CASE("pop3 server: QUIT in AUTHORIZATION", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  CHECK(rig.send("QUIT\r\nCAPA\r\n") == "+OK pop.b.example POP3 server signing off\r\n");
  CHECK(rig.last.close);
  CHECK(rig.srv->finished());
}

TEST_CASE("pop3 server: autologout is silent and deletes nothing", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  CHECK(rig.srv->deadline() == minutes(10));
  rig.now = minutes(3);
  rig.login();
  rig.send("DELE 1\r\n");
  CHECK(rig.srv->deadline() == minutes(13));
  rig.now = minutes(5);
  rig.send("NO");  // half a command does not count as activity
  CHECK(rig.srv->deadline() == minutes(13));
  rig.srv->on_timer(minutes(12));
  CHECK(rig.take().empty());
  CHECK_FALSE(rig.last.close);
  rig.srv->on_timer(minutes(13));
  CHECK(rig.take().empty());
  CHECK(rig.last.close);
  CHECK(rig.srv->finished());
  CHECK(rig.srv->deadline() == kNever);
  CHECK(rig.store.list("b@b.example").messages.size() == 2);
  CHECK_FALSE(rig.store.is_locked("b@b.example"));
  CHECK(has_text(rig.events, "autologout after 10m"));
}

TEST_CASE("pop3 server: lesson behaviours", "[pop3][server]") {
  SECTION("slow answers keep their order, even with a failed-login delay on top") {
    ServerRig rig;
    rig.cfg.behaviour.response_delay = sec(1);
    rig.cfg.auth_failure_delay = sec(2);
    rig.start();
    rig.srv->on_timer(sec(1));
    rig.take();
    CHECK(rig.send("USER b@b.example\r\nPASS nope\r\nQUIT\r\n").empty());
    rig.srv->on_timer(sec(2));
    CHECK(rig.take() == "+OK send PASS\r\n");
    rig.srv->on_timer(sec(4));
    CHECK(rig.take().empty());
    rig.srv->on_timer(sec(5));
    CHECK(rig.take() == "-ERR [AUTH] Authentication failed.\r\n");
    rig.srv->on_timer(sec(6));
    CHECK(rig.take() == "+OK pop.b.example POP3 server signing off\r\n");
    CHECK(rig.last.close);
    CHECK(rig.srv->finished());
  }
  SECTION("slow answers") {
    ServerRig rig;
    rig.cfg.behaviour.response_delay = sec(3);
    CHECK(rig.start().empty());
    CHECK(rig.srv->deadline() == sec(3));
    rig.srv->on_timer(sec(3));
    CHECK(rig.take().rfind("+OK pop.b.example POP3 server ready", 0) == 0);
    rig.now = sec(4);
    CHECK(rig.send("USER b@b.example\r\nPASS secret\r\n").empty());
    rig.srv->on_timer(sec(7));
    CHECK(rig.take() == "+OK send PASS\r\n");  // one answer per delay: PASS waits its turn
    CHECK(rig.srv->deadline() == sec(10));
    rig.srv->on_timer(sec(10));
    CHECK(rig.take().rfind("+OK maildrop has 2", 0) == 0);
    CHECK(rig.srv->deadline() == sec(10) + minutes(10));
  }
  SECTION("credentials refused") {
    ServerRig rig;
    rig.cfg.behaviour.reject_credentials = true;
    rig.start();
    rig.send("USER b@b.example\r\n");
    CHECK(rig.send("PASS secret\r\n") == "-ERR [AUTH] Authentication failed.\r\n");
  }
  SECTION("mailbox in use") {
    ServerRig rig;
    rig.cfg.behaviour.mailbox_in_use = true;
    rig.start();
    rig.send("USER b@b.example\r\n");
    CHECK(rig.send("PASS secret\r\n") == "-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n");
    CHECK_FALSE(rig.store.is_locked("b@b.example"));
  }
  SECTION("temporary system failure") {
    ServerRig rig;
    rig.cfg.behaviour.sys_temp = true;
    rig.start();
    rig.send("USER b@b.example\r\n");
    CHECK(rig.send("PASS secret\r\n") == "-ERR [SYS/TEMP] Mailbox temporarily unavailable, try again later\r\n");
    rig.srv->set_behaviour({});
    rig.send("USER b@b.example\r\n");
    CHECK(rig.send("PASS secret\r\n").rfind("+OK", 0) == 0);
  }
  SECTION("the store itself is unavailable") {
    ServerRig rig;
    rig.store.set_unavailable("b@b.example", true);
    rig.start();
    rig.send("USER b@b.example\r\n");
    CHECK(rig.send("PASS secret\r\n") == "-ERR [SYS/TEMP] Mailbox temporarily unavailable, try again later\r\n");
    CHECK_FALSE(rig.store.is_locked("b@b.example"));
  }
}

TEST_CASE("pop3 server: LOGIN-DELAY", "[pop3][server]") {
  ServerRig rig;
  rig.cfg.login_delay = minutes(5);
  rig.start();
  CHECK(rig.send("CAPA\r\n").find("LOGIN-DELAY 300\r\n") != std::string::npos);
  rig.login();
  rig.send("QUIT\r\n");
  rig.start(minutes(2));
  rig.send("USER b@b.example\r\n");
  CHECK(rig.send("PASS secret\r\n") == "-ERR [LOGIN-DELAY] Minimum time between logins is 300 seconds\r\n");
  rig.start(minutes(5));
  rig.send("USER b@b.example\r\n");
  CHECK(rig.send("PASS secret\r\n").rfind("+OK", 0) == 0);
}

TEST_CASE("pop3 server: STLS", "[pop3][server]") {
  ServerRig rig;
  rig.cfg.tls_available = true;
  rig.start();
  const std::string capa = rig.send("CAPA\r\n");
  CHECK(capa.find("STLS\r\n") != std::string::npos);
  CHECK(rig.send("STLS x\r\n") == "-ERR Syntax: STLS\r\n");
  // Commands pipelined behind STLS are discarded, never executed (CVE-2011-0411 class).
  CHECK(rig.send("STLS\r\nUSER b@b.example\r\nPASS secret\r\n") == "+OK Begin TLS negotiation\r\n");
  CHECK(rig.last.start_tls);
  CHECK(rig.srv->stats().discarded_after_stls == 31);
  CHECK(has_text(rig.events, "discarded 31 octets pipelined after STLS"));
  CHECK(rig.srv->deadline() == kNever);
  rig.srv->on_tls(TlsInfo{true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false, ""}, 0);
  rig.take();
  CHECK(rig.srv->tls_active());
  CHECK(rig.send("PASS secret\r\n") == "-ERR No user name given: send USER first\r\n");
  const std::string capa2 = rig.send("CAPA\r\n");
  CHECK(capa2.find("STLS") == std::string::npos);
  CHECK(capa2.find("USER\r\n") != std::string::npos);
  CHECK(rig.send("STLS\r\n") == "-ERR Command not permitted when TLS active\r\n");
  rig.login();
  CHECK(rig.srv->state() == State::Transaction);

  ServerRig stray;  // a handshake result nobody asked for changes nothing
  stray.cfg.tls_available = true;
  stray.start();
  stray.srv->on_tls(TlsInfo{true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false, ""}, 0);
  stray.take();
  CHECK_FALSE(stray.srv->tls_active());
  CHECK(stray.send("CAPA\r\n").find("STLS\r\n") != std::string::npos);

  ServerRig none;
  none.start();
  CHECK(none.send("CAPA\r\n").find("STLS") == std::string::npos);
  CHECK(none.send("STLS\r\n") == "-ERR STLS not available on this server\r\n");

  ServerRig failed;
  failed.cfg.tls_available = true;
  failed.start();
  failed.send("STLS\r\n");
  failed.srv->on_tls(TlsInfo{false, "", "", false, "handshake failure"}, 0);
  failed.take();
  CHECK(failed.last.close);
  CHECK(failed.srv->finished());
}

TEST_CASE("pop3 server: plaintext logins only inside TLS (policy)", "[pop3][server]") {
  ServerRig rig;
  rig.cfg.tls_available = true;
  rig.cfg.plaintext_needs_tls = true;
  rig.start();
  const std::string capa = rig.send("CAPA\r\n");
  CHECK(capa.find("USER") == std::string::npos);
  CHECK(capa.find("SASL") == std::string::npos);
  const std::string refused = "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n";
  CHECK(rig.send("USER b@b.example\r\n") == refused);
  CHECK(rig.send("AUTH PLAIN " + pop3::sasl_plain_encode("b@b.example", "secret") + "\r\n") == refused);
  rig.send("STLS\r\n");
  rig.srv->on_tls(TlsInfo{true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false, ""}, 0);
  rig.take();
  CHECK(rig.send("CAPA\r\n").find("USER\r\n") != std::string::npos);
  rig.login();
  CHECK(rig.srv->state() == State::Transaction);

  ServerRig implicit;  // pop3s: TLS from the start
  implicit.cfg.plaintext_needs_tls = true;
  implicit.cfg.tls_active = true;
  implicit.start();
  implicit.login();
  CHECK(implicit.srv->state() == State::Transaction);
}

TEST_CASE("pop3 server: events", "[pop3][server]") {
  ServerRig rig;
  rig.start();
  rig.login();
  rig.events.clear();
  rig.send("RETR 1\r\nRETR 9\r\n");
  REQUIRE(rig.events.size() == 5);
  CHECK(rig.events[0].kind == ProtoEvent::Kind::Command);  // the server's record of the line received
  CHECK(rig.events[0].rx);
  CHECK(rig.events[0].text == "RETR 1");
  CHECK(rig.events[1].kind == ProtoEvent::Kind::Reply);
  CHECK(rig.events[1].code == 1);
  CHECK(rig.events[1].text == "+OK " + n(kMsg1.size()) + " octets");
  CHECK(rig.events[2].kind == ProtoEvent::Kind::Data);
  CHECK(rig.events[2].code == int(kMsg1Stuffed.size() + 3));
  CHECK(rig.events[2].text == "6 lines, " + n(kMsg1.size()) + " octets");
  CHECK(rig.events[3].text == "RETR 9");
  CHECK(rig.events[4].kind == ProtoEvent::Kind::Reply);
  CHECK(rig.events[4].code == 2);
  CHECK(rig.events[4].text == "-ERR no such message, only 2 messages in maildrop");
}

TEST_CASE("pop3 server: an empty maildrop and a message without a body", "[pop3][server]") {
  ServerRig rig;
  rig.store.deliver("c@b.example", "Subject: only headers\r\n");
  rig.start();
  rig.send("USER c@b.example\r\n");
  CHECK(rig.send("PASS pw c\r\n") == "+OK maildrop has 1 message (23 octets)\r\n");
  CHECK(rig.send("TOP 1 5\r\n") == "+OK top of message follows\r\nSubject: only headers\r\n.\r\n");
  rig.send("DELE 1\r\n");
  CHECK(rig.send("LIST\r\n") == "+OK 0 messages (0 octets)\r\n.\r\n");
  CHECK(rig.send("UIDL\r\n") == "+OK unique-id listing follows\r\n.\r\n");
}
