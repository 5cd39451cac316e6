// smtp_server_session_test.cpp - the SMTP server's ordinary dialogue as raw bytes in -> bytes out:
// greeting, EHLO/HELO, a full transaction, dot-unstuffing, RSET/NOOP/VRFY/HELP/QUIT, reply
// classes 500/501/502/503 with the state kept, second EHLO resetting, events per reply line.
#include "smtp_server_harness.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using namespace smtpsim::smtp::test;

TEST_CASE("server: greeting, EHLO capabilities and a complete transaction") {
  Harness h;
  CHECK(h.open() == "220 mx.b.example ESMTP smtpsim\r\n");
  run_steps(h, {
                   {"EHLO client.example\r\n", kEhloReply},
                   {"MAIL FROM:<alice@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"RCPT TO:<Carol@B.Example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n"},
                   {"Subject: hi\r\n\r\nHello Bob.\r\n", ""},
                   {".\r\n", "250 2.0.0 Ok: queued as Q1\r\n"},
                   {"QUIT\r\n", "221 2.0.0 Bye\r\n"},
               });
  CHECK(h.closed);
  CHECK(h.srv->finished());
  REQUIRE(h.policy.stored.size() == 1);
  const StoredMessage& m = h.policy.stored[0];
  CHECK(m.data == "Subject: hi\r\n\r\nHello Bob.\r\n");
  CHECK(m.env.mail.reverse_path == "alice@a.example");
  REQUIRE(m.env.rcpts.size() == 2);
  CHECK(m.env.rcpts[0].forward_path == "bob@b.example");
  CHECK(m.env.rcpts[1].forward_path == "Carol@B.Example");
  // Facts for the Received: header.
  CHECK(m.facts.helo == "client.example");
  CHECK(m.facts.client_ip == "192.0.2.10");
  CHECK(m.facts.client_name == "client.example");
  CHECK(m.facts.protocol() == "ESMTP");
  CHECK(m.facts.server_name == "mx.b.example");
  CHECK(h.srv->messages_accepted() == 1);
}

TEST_CASE("server: one Reply event per reply line, one Data event per message") {
  Harness h;
  greet(h);
  int ehlo_lines = h.count_events(ProtoEvent::Kind::Reply);
  CHECK(ehlo_lines == 1 + 7);  // greeting + 7 EHLO lines
  CHECK(h.events[1].kind == ProtoEvent::Kind::Command);  // the server's record of the line it received
  CHECK(h.events[1].rx);
  CHECK(h.events[1].text == "EHLO client.example");
  CHECK(h.events[2].code == 250);
  CHECK(h.events[2].text == "250-mx.b.example");
  CHECK(h.events.back().text == "250 HELP");
  h.send("MAIL FROM:<>\r\nRCPT TO:<bob@b.example>\r\n");
  h.send("DATA\r\n");
  h.send("x\r\n.\r\n");
  REQUIRE(h.count_events(ProtoEvent::Kind::Data) == 1);
  for (const auto& e : h.events)
    if (e.kind == ProtoEvent::Kind::Data) CHECK(e.code == 3);
  CHECK(h.events.back().kind == ProtoEvent::Kind::Reply);
  CHECK(h.events.back().code == 250);
}

TEST_CASE("server: HELO gives a plain session; protocol SMTP") {
  Harness h;
  h.open();
  run_steps(h, {
                   {"HELO old.example\r\n", "250 mx.b.example\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n"},
                   {"hi\r\n.\r\n", "250 2.0.0 Ok: queued as Q1\r\n"},
               });
  REQUIRE(h.policy.stored.size() == 1);
  CHECK(h.policy.stored[0].facts.protocol() == "SMTP");
  CHECK(h.policy.stored[0].facts.helo == "old.example");
}

TEST_CASE("server: verbs are case-insensitive") {
  Harness h;
  h.open();
  run_steps(h, {
                   {"ehlo c.example\r\n", kEhloReply},
                   {"mail from:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RcPt To:<bob@b.example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"noop\r\n", "250 2.0.0 Ok\r\n"},
                   {"rset\r\n", "250 2.0.0 Ok\r\n"},
               });
}

TEST_CASE("server: dot-unstuffing; only a lone dot ends DATA") {
  Harness h;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  CHECK(h.send("DATA\r\n") == "354 End data with <CR><LF>.<CR><LF>\r\n");
  // "..x" -> ".x", ".." -> ".", ". " stays content, "x." stays.
  CHECK(h.send("..leading dot\r\n..\r\n. space\r\nend.\r\n") == "");
  CHECK(h.send(".\r\n") == "250 2.0.0 Ok: queued as Q1\r\n");
  REQUIRE(h.policy.stored.size() == 1);
  CHECK(h.policy.stored[0].data == ".leading dot\r\n.\r\n space\r\nend.\r\n");
}

TEST_CASE("server: an empty message and a message without headers are accepted") {
  Harness h;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  h.send("DATA\r\n");
  CHECK(h.send(".\r\n") == "250 2.0.0 Ok: queued as Q1\r\n");
  CHECK(h.policy.stored.at(0).data.empty());
}

TEST_CASE("server: several transactions in one session; state returns to READY") {
  Harness h;
  greet(h);
  for (int i = 1; i <= 3; ++i) {
    CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
    CHECK(h.send("RCPT TO:<bob@b.example>\r\n") == "250 2.1.5 Ok\r\n");
    h.send("DATA\r\n");
    CHECK(h.send("m\r\n.\r\n") == "250 2.0.0 Ok: queued as Q" + std::to_string(i) + "\r\n");
    CHECK(h.srv->state() == ServerState::Ready);
  }
  CHECK(h.policy.stored.size() == 3);
}

TEST_CASE("server: 503 bad sequence replies, state kept") {
  Harness h;
  h.open();
  run_steps(h, {
                   {"MAIL FROM:<a@a.example>\r\n", "503 5.5.1 Error: send HELO/EHLO first\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "503 5.5.1 Error: send HELO/EHLO first\r\n"},
                   {"DATA\r\n", "503 5.5.1 Error: send HELO/EHLO first\r\n"},
                   {"NOOP\r\n", "250 2.0.0 Ok\r\n"},
                   {"RSET\r\n", "250 2.0.0 Ok\r\n"},
                   {"EHLO c.example\r\n", kEhloReply},
                   {"RCPT TO:<bob@b.example>\r\n", "503 5.5.1 Error: need MAIL command\r\n"},
                   {"DATA\r\n", "503 5.5.1 Error: need RCPT command\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "503 5.5.1 Error: nested MAIL command\r\n"},
                   {"DATA\r\n", "503 5.5.1 Error: need RCPT command\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "503 5.5.1 Error: nested MAIL command\r\n"},
                   {"AUTH PLAIN\r\n", "503 5.5.1 Error: MAIL transaction in progress\r\n"},
               });
  CHECK(h.srv->state() == ServerState::Rcpt);
}

TEST_CASE("server: DATA after every RCPT was refused gets 554 5.5.1 no valid recipients") {
  Harness h;
  greet(h);
  run_steps(h, {
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<nobody@b.example>\r\n",
                    "550 5.1.1 <nobody@b.example>: Recipient address rejected: User unknown in local recipient table\r\n"},
                   {"DATA\r\n", "554 5.5.1 Error: no valid recipients\r\n"},
               });
  CHECK(h.srv->state() == ServerState::Mail);
}

TEST_CASE("server: 500 unknown, 502 known but not implemented, 501 bad arguments") {
  Harness h;
  h.cfg.max_errors = 100;  // this table makes more than the default 20 errors on purpose
  greet(h);
  run_steps(h, {
                   {"FOO bar\r\n", "500 5.5.2 Error: command not recognized\r\n"},
                   {"\r\n", "500 5.5.2 Error: bad syntax\r\n"},
                   {"   \r\n", "500 5.5.2 Error: bad syntax\r\n"},
                   {"EXPN staff\r\n", "502 5.5.1 Error: command not implemented\r\n"},
                   {"TURN\r\n", "502 5.5.1 Error: command not implemented\r\n"},
                   {"ETRN b.example\r\n", "502 5.5.1 Error: command not implemented\r\n"},
                   {"BDAT 10 LAST\r\n", "502 5.5.1 Error: command not implemented\r\n"},
                   {"EHLO\r\n", "501 5.5.4 Syntax: EHLO hostname\r\n"},
                   {"HELO two words\r\n", "501 5.5.4 Syntax: HELO hostname\r\n"},
                   {"MAIL\r\n", "501 5.5.4 Syntax: MAIL FROM:<address>\r\n"},
                   {"MAIL FROM: <a@a.example>\r\n", "501 5.5.4 Syntax: MAIL FROM:<address>\r\n"},
                   {"MAIL FROM:<a@>\r\n", "501 5.1.7 Bad sender address syntax\r\n"},
                   {"MAIL FROM:<a@a.example> FOO=1\r\n", "555 5.5.4 Unsupported option: FOO=1\r\n"},
                   {"MAIL FROM:<a@a.example> SIZE=abc\r\n", "501 5.5.4 Bad SIZE parameter syntax\r\n"},
                   {"MAIL FROM:<a@a.example> BODY=BINARYMIME\r\n", "504 5.5.4 BODY=BINARYMIME parameter not implemented\r\n"},
                   {"RSET now\r\n", "501 5.5.4 Syntax: RSET\r\n"},
                   {"VRFY\r\n", "501 5.5.4 Syntax: VRFY address\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<>\r\n", "501 5.1.3 Bad recipient address syntax\r\n"},
                   {"RCPT TO bob@b.example\r\n", "501 5.5.4 Syntax: RCPT TO:<address>\r\n"},
                   {"RCPT TO:<bob@b.example> NOTIFY=SOMETIMES\r\n", "501 5.5.4 Bad NOTIFY parameter syntax\r\n"},
                   {"RCPT TO:<bob@b.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+40b.example\r\n", "250 2.1.5 Ok\r\n"},
                   {"DATA now\r\n", "501 5.5.4 Syntax: DATA\r\n"},
               });
  // The transaction survived the errors.
  CHECK(h.srv->state() == ServerState::Rcpt);
  REQUIRE(h.srv->envelope().rcpts.size() == 1);
  CHECK(h.srv->envelope().rcpts[0].params.notify == (DsnNotify::Success | DsnNotify::Failure));
  CHECK(h.srv->envelope().rcpts[0].params.orcpt == "rfc822;bob@b.example");
}

TEST_CASE("server: MAIL parameters are recorded in the envelope") {
  Harness h;
  greet(h);
  CHECK(h.send("MAIL FROM:<a@a.example> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B1\r\n") == "250 2.1.0 Ok\r\n");
  const MailParams& p = h.srv->envelope().mail.params;
  CHECK(p.size == 1000u);
  CHECK(p.body == BodyParam::EightBitMime);
  CHECK(p.ret == RetParam::Headers);
  CHECK(p.envid == "QQ+1");
}

TEST_CASE("server: a second EHLO resets the transaction like RSET") {
  Harness h;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  CHECK(h.srv->state() == ServerState::Rcpt);
  CHECK(h.send("EHLO again.example\r\n") == kEhloReply);
  CHECK(h.srv->state() == ServerState::Ready);
  CHECK(h.srv->envelope().rcpts.empty());
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") == "503 5.5.1 Error: need MAIL command\r\n");
  CHECK(h.srv->session().helo == "again.example");
}

TEST_CASE("server: RSET drops the transaction; NOOP VRFY HELP valid in every state") {
  Harness h;
  greet(h);
  run_steps(h, {
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"NOOP\r\n", "250 2.0.0 Ok\r\n"},
                   {"VRFY bob\r\n", "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery\r\n"},
                   {"HELP\r\n",
                    "214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP\r\n"
                    "214 2.0.0 Reply codes are explained by: smtpsim explain CODE\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "250 2.1.5 Ok\r\n"},
                   {"RSET\r\n", "250 2.0.0 Ok\r\n"},
                   {"RCPT TO:<bob@b.example>\r\n", "503 5.5.1 Error: need MAIL command\r\n"},
               });
}

TEST_CASE("server: without ENHANCEDSTATUSCODES the replies carry no X.Y.Z") {
  Harness h;
  h.cfg.enhanced_status_codes = false;
  h.cfg.dsn = false;
  h.cfg.help = false;
  h.open();
  run_steps(h, {
                   {"EHLO c.example\r\n", "250-mx.b.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n"},
                   {"MAIL FROM:<a@a.example>\r\n", "250 Ok\r\n"},
                   {"RCPT TO:<x@b.example>\r\n",
                    "550 <x@b.example>: Recipient address rejected: User unknown in local recipient table\r\n"},
                   {"RCPT TO:<bob@b.example> NOTIFY=NEVER\r\n", "555 Unsupported option: NOTIFY=NEVER\r\n"},
                   {"QUIT\r\n", "221 Bye\r\n"},
               });
}

TEST_CASE("server: <postmaster> in any case is always accepted; <> is a valid sender") {
  Harness h;
  greet(h);
  run_steps(h, {
                   {"MAIL FROM:<>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<PostMaster>\r\n", "250 2.1.5 Ok\r\n"},
                   {"RCPT TO:<postmaster@b.example>\r\n",
                    "550 5.1.1 <postmaster@b.example>: Recipient address rejected: User unknown in local recipient table\r\n"},
               });
  REQUIRE(h.srv->envelope().rcpts.size() == 1);
  CHECK(h.srv->envelope().rcpts[0].postmaster);
  CHECK(h.srv->envelope().mail.reverse_path.empty());
}

TEST_CASE("server: source routes are accepted and ignored") {
  Harness h;
  greet(h);
  CHECK(h.send("MAIL FROM:<@relay.example,@r2.example:a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(h.srv->envelope().mail.reverse_path == "a@a.example");
  CHECK(h.send("RCPT TO:<@relay.example:bob@b.example>\r\n") == "250 2.1.5 Ok\r\n");
  CHECK(h.srv->envelope().rcpts.at(0).forward_path == "bob@b.example");
}

TEST_CASE("server: liberal syntax mode accepts a space after the colon and bare addresses") {
  Harness h;
  h.cfg.strict_syntax = false;
  greet(h);
  CHECK(h.send("MAIL FROM: <a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(h.send("RCPT TO:bob@b.example\r\n") == "250 2.1.5 Ok\r\n");
  CHECK(h.srv->envelope().rcpts.at(0).forward_path == "bob@b.example");
}

TEST_CASE("server: QUIT closes at once; later input is ignored") {
  Harness h;
  greet(h);
  CHECK(h.send("QUIT\r\n") == "221 2.0.0 Bye\r\n");
  CHECK(h.closed);
  CHECK(h.send("NOOP\r\n") == "");
  CHECK(h.srv->state() == ServerState::Closed);
  CHECK(h.srv->deadline() == kNever);
}

TEST_CASE("server: on_closed in DATA never stores the message") {
  Harness h;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  h.send("DATA\r\n");
  h.send("half a message\r\n");
  h.srv->on_closed(h.now);
  h.collect();
  CHECK(h.policy.stored.empty());
  CHECK(h.count_events(ProtoEvent::Kind::Note, "connection lost in DATA") == 1);
  CHECK(h.srv->finished());
}

TEST_CASE("server: the role's storage error is the final reply, and nothing counts as accepted") {
  Harness h;
  h.policy.store_error = ServerReply{451, "4.3.0", "Error: queue file write error"};
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  h.send("DATA\r\n");
  CHECK(h.send("x\r\n.\r\n") == "451 4.3.0 Error: queue file write error\r\n");
  CHECK(h.srv->messages_accepted() == 0);
  CHECK(h.srv->state() == ServerState::Ready);
}

TEST_CASE("server: whole session split into single bytes gives the same bytes") {
  const std::string session =
      "EHLO c.example\r\nMAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n";
  Harness whole;
  greet(whole);
  std::string a;
  a += whole.send("MAIL FROM:<a@a.example>\r\n");
  a += whole.send("RCPT TO:<bob@b.example>\r\n");
  a += whole.send("DATA\r\n");
  a += whole.send("Subject: s\r\n\r\n..dot\r\nbody\r\n.\r\n");
  a += whole.send("QUIT\r\n");

  Harness split;
  greet(split);
  std::string b;
  b += split.send_bytewise("MAIL FROM:<a@a.example>\r\n");
  b += split.send_bytewise("RCPT TO:<bob@b.example>\r\n");
  b += split.send_bytewise("DATA\r\n");
  b += split.send_bytewise("Subject: s\r\n\r\n..dot\r\nbody\r\n.\r\n");
  b += split.send_bytewise("QUIT\r\n");
  CHECK(a == b);
  REQUIRE(split.policy.stored.size() == 1);
  CHECK(split.policy.stored[0].data == whole.policy.stored[0].data);
  CHECK(split.policy.stored[0].data == "Subject: s\r\n\r\n.dot\r\nbody\r\n");
  (void)session;
}

TEST_CASE("server: PIPELINING - MAIL, RCPTs and DATA in one group get replies in order") {
  Harness h;
  greet(h);
  CHECK(h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\nRCPT TO:<zed@b.example>\r\n"
               "RCPT TO:<carol@b.example>\r\nDATA\r\n") ==
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
        "550 5.1.1 <zed@b.example>: Recipient address rejected: User unknown in local recipient table\r\n"
        "250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
  CHECK(h.send("x\r\n.\r\nQUIT\r\n") == "250 2.0.0 Ok: queued as Q1\r\n221 2.0.0 Bye\r\n");
  CHECK(h.policy.stored.at(0).env.rcpts.size() == 2);
}
