// smtp_server_override_test.cpp - behaviour reply overrides for every command a lesson can name
// (smtp_policy.hpp ServerBehaviour): a refusal replaces the command and changes nothing, a 421
// also closes, a positive reply only changes the words, and `times` counts the commands answered.
#include "smtp_server_harness.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using namespace smtpsim::smtp::test;

TEST_CASE("override: the greeting - 220 with other words is a normal session") {
  Harness h;
  h.policy.behaviour.refuse_connection = ServerReply{220, "", "mx.b.example ESMTP lesson server", 1};
  CHECK(h.open() == "220 mx.b.example ESMTP lesson server\r\n");
  CHECK(h.send("EHLO client.example\r\n") == kEhloReply);
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK_FALSE(h.policy.behaviour.refuse_connection);  // times: 1 used up
  h.make();
  CHECK(h.open() == "220 mx.b.example ESMTP smtpsim\r\n");
}

TEST_CASE("override: EHLO and HELO refused, then accepted with other words") {
  Harness h;
  h.policy.behaviour.ehlo = ServerReply{550, "5.7.1", "no ESMTP for you", 1};
  h.policy.behaviour.helo = ServerReply{250, "", "mx.b.example at your service"};
  h.open();
  run_steps(h, {
                   {"EHLO client.example\r\n", "550 5.7.1 no ESMTP for you\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "503 5.5.1 Error: send HELO/EHLO first\r\n"},
                   {"HELO client.example\r\n", "250 mx.b.example at your service\r\n"},
               });
  CHECK(h.srv->session().helo == "client.example");
  CHECK_FALSE(h.srv->session().esmtp);
  CHECK(h.count_events(ProtoEvent::Kind::Note, "behaviour: EHLO refused") == 1);
  // times: 1 - the next EHLO is answered normally; a positive EHLO override keeps the extensions.
  CHECK(h.send("EHLO client.example\r\n") == kEhloReply);
  h.policy.behaviour.ehlo = ServerReply{250, "", "mx.b.example says hello"};
  CHECK(h.send("EHLO client.example\r\n") ==
        "250-mx.b.example says hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-ENHANCEDSTATUSCODES\r\n"
        "250-8BITMIME\r\n250-DSN\r\n250 HELP\r\n");
  CHECK(h.srv->session().esmtp);
}

TEST_CASE("override: 421 to any command is sent and closes the connection") {
  Harness h;
  h.policy.behaviour.noop = ServerReply{421, "4.3.2", "shutting down"};
  greet(h);
  CHECK(h.send("NOOP\r\n") == "421 4.3.2 shutting down\r\n");
  CHECK(h.closed);
  CHECK(h.srv->state() == ServerState::Closed);
}

TEST_CASE("override: MAIL and RCPT with positive words still run every check") {
  Harness h;
  h.policy.behaviour.reject_sender = ServerReply{250, "2.1.0", "Sender fine, go on"};
  h.policy.behaviour.reject_recipient = ServerReply{251, "2.1.5", "User not local; will forward", 1};
  greet(h);
  run_steps(h, {
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Sender fine, go on\r\n"},
                   // the relay check still refuses, and does not use up the override
                   {"RCPT TO:<x@c.example>\r\n", "554 5.7.1 <x@c.example>: Relay access denied\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "251 2.1.5 User not local; will forward\r\n"},
                   {"RCPT TO:<carol@b.example>\r\n", "250 2.1.5 Ok\r\n"},
               });
  CHECK(h.srv->envelope().mail.reverse_path == "a@a.example");
  CHECK(h.srv->envelope().rcpts.size() == 2);
}

TEST_CASE("override: DATA refused keeps the transaction; DATA's 354 and the final reply reworded") {
  Harness h;
  h.policy.behaviour.data = ServerReply{451, "4.3.0", "not now", 1};
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  h.send("RCPT TO:<bob@b.example>\r\n");
  CHECK(h.send("DATA\r\n") == "451 4.3.0 not now\r\n");
  CHECK(h.srv->state() == ServerState::Rcpt);
  CHECK(h.srv->envelope().rcpts.size() == 1);
  h.policy.behaviour.data = ServerReply{354, "", "Go ahead, end with a dot"};
  h.policy.behaviour.reject_data = ServerReply{250, "2.0.0", "Got it, filed as {id}"};
  CHECK(h.send("DATA\r\n") == "354 Go ahead, end with a dot\r\n");
  CHECK(h.send("Subject: x\r\n\r\nhello\r\n.\r\n") == "250 2.0.0 Got it, filed as Q1\r\n");
  REQUIRE(h.policy.stored.size() == 1);
  // A positive final reply never makes the server take what it would refuse.
  h.policy.store_error = ServerReply{452, "4.3.1", "Insufficient system storage"};
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  h.send("DATA\r\n");
  CHECK(h.send("x\r\n.\r\n") == "452 4.3.1 Insufficient system storage\r\n");
  CHECK(h.policy.stored.size() == 1);
}

TEST_CASE("override: RSET, NOOP and VRFY refused or reworded") {
  Harness h;
  h.policy.behaviour.rset = ServerReply{502, "5.5.1", "RSET disabled here"};
  h.policy.behaviour.noop = ServerReply{250, "2.0.0", "Still here", 2};
  h.policy.behaviour.vrfy = ServerReply{550, "5.7.1", "VRFY refused by policy"};
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  run_steps(h, {
                   {"RSET\r\n", "502 5.5.1 RSET disabled here\r\n"},
                   {"NOOP\r\n", "250 2.0.0 Still here\r\n"},
                   {"NOOP\r\n", "250 2.0.0 Still here\r\n"},
                   {"NOOP\r\n", "250 2.0.0 Ok\r\n"},
                   {"VRFY bob\r\n", "550 5.7.1 VRFY refused by policy\r\n"},
               });
  CHECK(h.srv->state() == ServerState::Mail);  // the refused RSET kept the transaction
  h.policy.behaviour.vrfy = ServerReply{252, "2.0.0", "Maybe"};
  h.policy.behaviour.rset.reset();
  CHECK(h.send("VRFY bob\r\n") == "252 2.0.0 Maybe\r\n");
  CHECK(h.send("RSET\r\n") == "250 2.0.0 Ok\r\n");
  CHECK(h.srv->state() == ServerState::Ready);
}

TEST_CASE("override: STARTTLS refused stays in plaintext; 220 reworded starts TLS") {
  Harness h;
  h.cfg.tls_available = true;
  h.policy.behaviour.starttls = ServerReply{454, "4.7.0", "TLS not available due to temporary reason", 1};
  greet(h);
  CHECK(h.send("STARTTLS\r\n") == "454 4.7.0 TLS not available due to temporary reason\r\n");
  CHECK_FALSE(h.start_tls);
  CHECK(h.srv->state() == ServerState::Ready);
  h.policy.behaviour.starttls = ServerReply{220, "2.0.0", "Go ahead"};
  CHECK(h.send("STARTTLS\r\n") == "220 2.0.0 Go ahead\r\n");
  CHECK(h.start_tls);
}

TEST_CASE("override: QUIT reworded still closes; AUTH 235 reworded still checks the password") {
  Harness h;
  h.cfg.auth = true;
  h.cfg.auth_plaintext = true;
  h.policy.behaviour.reject_auth = ServerReply{235, "2.7.0", "Welcome back, {user}"};
  h.policy.behaviour.quit = ServerReply{221, "2.0.0", "See you"};
  greet(h);
  CHECK(h.send("AUTH PLAIN " + b64(std::string("\0alice\0wrong", 12)) + "\r\n") ==
        "535 5.7.8 Authentication credentials invalid\r\n");
  CHECK(h.send("AUTH PLAIN " + b64(std::string("\0alice\0secret", 13)) + "\r\n") ==
        "235 2.7.0 Welcome back, alice\r\n");
  CHECK(h.srv->session().auth_user == "alice");
  CHECK(h.send("QUIT\r\n") == "221 2.0.0 See you\r\n");
  CHECK(h.closed);
}

TEST_CASE("override: shutting down - the next command of an open session gets 421, QUIT still 221") {
  Harness h;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  h.policy.behaviour.shutting_down = true;  // switched on while the session is open
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") ==
        "421 4.3.2 mx.b.example Service not available, closing transmission channel\r\n");
  CHECK(h.closed);
  Harness q;
  greet(q);
  q.policy.behaviour.shutting_down = true;
  CHECK(q.send("QUIT\r\n") == "221 2.0.0 Bye\r\n");
}
