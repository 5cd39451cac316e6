// smtp_server_policy_test.cpp - the policy interface and the failure-lesson behaviours: local
// recipients (550 5.1.1), relay (554 5.7.1), greylisting in virtual time (451 4.7.1), chosen
// rejections, 452 4.3.1, 421 at connect or at a command, 554 greeting, tarpit, drop in DATA,
// SIZE (552 5.3.4), recipient limit (452 4.5.3), loop detection (554 5.4.6), timeouts.
#include "smtp_server_harness.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using namespace smtpsim::smtp::test;

namespace {
const std::string kUnknownBob2 =
    "550 5.1.1 <bob2@b.example>: Recipient address rejected: User unknown in local recipient table\r\n";
}

TEST_CASE("policy: local recipients, unknown users, relay denied and relay allowed") {
  Harness h;
  greet(h);
  run_steps(h, {
                   {"MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n"},
                   {"RCPT TO:<bob2@b.example>\r\n", kUnknownBob2},
                   {"RCPT TO:<someone@c.example>\r\n", "554 5.7.1 <someone@c.example>: Relay access denied\r\n"},
                   {"RCPT TO:<bob@B.EXAMPLE>\r\n", "250 2.1.5 Ok\r\n"},
               });
  h.policy.relay = true;  // e.g. the client is in mynetworks
  CHECK(h.send("RCPT TO:<someone@c.example>\r\n") == "250 2.1.5 Ok\r\n");
  CHECK(h.srv->envelope().rcpts.size() == 2);
}

TEST_CASE("policy: greylisting refuses the first attempt and accepts a retry after the delay") {
  Harness h;
  h.policy.behaviour.greylist = true;
  h.policy.behaviour.greylist_config.delay = minutes(5);
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") ==
        "451 4.7.1 <bob@b.example>: Recipient address rejected: Greylisted, try again in 300 seconds\r\n");
  CHECK(h.count_events(ProtoEvent::Kind::Note, "greylisting new triplet") == 1);
  // Too early: two minutes later on a new connection.
  h.now += minutes(2);
  Harness& same = h;
  same.make();
  same.open();
  same.send("EHLO client.example\r\n");
  same.send("MAIL FROM:<a@a.example>\r\n");
  CHECK(same.send("RCPT TO:<bob@b.example>\r\n") ==
        "451 4.7.1 <bob@b.example>: Recipient address rejected: Greylisted, try again in 180 seconds\r\n");
  // A different sender is a different triplet.
  same.send("RSET\r\nMAIL FROM:<other@a.example>\r\n");
  CHECK(same.send("RCPT TO:<bob@b.example>\r\n").starts_with("451 4.7.1"));
  // Five minutes after the first attempt the retry passes, and keeps passing.
  h.now += minutes(3);
  same.make();
  same.open();
  same.send("EHLO client.example\r\n");
  same.send("MAIL FROM:<a@a.example>\r\n");
  CHECK(same.send("RCPT TO:<bob@b.example>\r\n") == "250 2.1.5 Ok\r\n");
  h.now += hours(1);
  same.make();
  same.open();
  same.send("EHLO client.example\r\n");
  same.send("MAIL FROM:<A@a.example>\r\n");
  CHECK(same.send("RCPT TO:<bob@b.example>\r\n") == "250 2.1.5 Ok\r\n");
  // Another client address starts over.
  same.make(PeerInfo{"198.51.100.7", ""});
  same.open();
  same.send("EHLO other.example\r\n");
  same.send("MAIL FROM:<a@a.example>\r\n");
  CHECK(same.send("RCPT TO:<bob@b.example>\r\n").starts_with("451 4.7.1"));
}

TEST_CASE("policy: greylisting does not apply to authenticated or relay-permitted clients") {
  Harness h;
  h.policy.behaviour.greylist = true;
  h.policy.relay = true;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") == "250 2.1.5 Ok\r\n");
  CHECK(h.policy.greylist.size() == 0);
}

TEST_CASE("greylist class: window expiry and bounded memory") {
  Greylist g(3);
  GreylistConfig cfg;
  cfg.delay = minutes(5);
  cfg.retry_window = hours(1);
  auto v = g.check("1.2.3.4", "a@x", "b@y", 0, cfg);
  CHECK_FALSE(v.pass);
  CHECK(v.first_seen);
  CHECK(v.wait == minutes(5));
  // A retry after the window has expired starts over.
  v = g.check("1.2.3.4", "a@x", "b@y", hours(2), cfg);
  CHECK_FALSE(v.pass);
  CHECK(v.first_seen);
  v = g.check("1.2.3.4", "A@X", "B@Y", hours(2) + minutes(5), cfg);
  CHECK(v.pass);
  // Memory stays within max_entries: extra triplets are refused without being stored.
  for (int i = 0; i < 10; ++i) g.check("1.2.3.4", "s" + std::to_string(i), "r", hours(3), cfg);
  CHECK(g.size() <= 3);
}

TEST_CASE("policy: behaviour rejections with chosen codes") {
  Harness h;
  h.policy.behaviour.reject_sender = ServerReply{550, "5.7.1", ""};
  greet(h);
  CHECK(h.send("MAIL FROM:<spam@bad.example>\r\n") ==
        "550 5.7.1 <spam@bad.example>: Sender address rejected: Access denied\r\n");
  h.policy.behaviour.reject_sender.reset();
  h.policy.behaviour.reject_recipient = ServerReply{450, "4.2.1", ""};
  h.policy.behaviour.reject_recipient_match = "carol@b.example";
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(h.send("RCPT TO:<Carol@b.example>\r\n") == "450 4.2.1 <Carol@b.example>: Mailbox temporarily unavailable\r\n");
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") == "250 2.1.5 Ok\r\n");
  h.policy.behaviour.reject_data = ServerReply{554, "5.7.1", "Spam message rejected"};
  h.send("DATA\r\n");
  CHECK(h.send("buy now\r\n.\r\n") == "554 5.7.1 Spam message rejected\r\n");
  CHECK(h.policy.stored.empty());
  // A code with neither enhanced code nor text gets "<class>.0.0" and the catalogue's text.
  h.policy.behaviour.reject_data.reset();
  h.policy.behaviour.reject_sender = ServerReply{421, "", "Try later"};
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "421 4.0.0 Try later\r\n");
}

TEST_CASE("policy: reject_auth answers a complete exchange with the chosen reply") {
  Harness h;
  h.cfg.auth = true;
  h.cfg.auth_plaintext = true;
  h.policy.behaviour.reject_auth = ServerReply{454, "4.7.0", ""};
  greet(h);
  CHECK(h.send("AUTH PLAIN " + b64(std::string("\0alice\0secret", 13)) + "\r\n") ==
        "454 4.7.0 Temporary authentication failure\r\n");
  CHECK(h.srv->session().auth_user.empty());
  h.policy.behaviour.reject_auth = ServerReply{535, "", ""};
  CHECK(h.send("AUTH PLAIN " + b64(std::string("\0alice\0secret", 13)) + "\r\n") ==
        "535 5.0.0 Authentication credentials invalid\r\n");
  CHECK(h.policy.credential_checks == 0);
}

TEST_CASE("policy: storage full answers MAIL with 452 4.3.1") {
  Harness h;
  h.policy.behaviour.storage_full = true;
  greet(h);
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "452 4.3.1 Insufficient system storage\r\n");
  CHECK(h.srv->state() == ServerState::Ready);
}

TEST_CASE("policy: refuse the connection with 421 (closes) or 554 (only QUIT works)") {
  Harness h421;
  h421.policy.behaviour.refuse_connection = ServerReply{421, "", ""};
  CHECK(h421.open() == "421 mx.b.example Service not available, closing transmission channel\r\n");
  CHECK(h421.closed);

  Harness h554;
  h554.policy.behaviour.refuse_connection = ServerReply{554, "", ""};
  CHECK(h554.open() == "554 mx.b.example No SMTP service here\r\n");
  CHECK_FALSE(h554.closed);
  run_steps(h554, {
                      {"EHLO c.example\r\n", "503 5.5.1 Error: this server refused the session; send QUIT\r\n"},
                      {"MAIL FROM:<a@a.example>\r\n", "503 5.5.1 Error: this server refused the session; send QUIT\r\n"},
                      {"QUIT\r\n", "221 2.0.0 Bye\r\n"},
                  });
  CHECK(h554.closed);
}

TEST_CASE("policy: close_at answers the chosen command with 421 and closes") {
  Harness h;
  h.policy.behaviour.close_at = Verb::Rcpt;
  greet(h);
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(h.send("RCPT TO:<bob@b.example>\r\n") ==
        "421 4.3.2 mx.b.example Service not available, closing transmission channel\r\n");
  CHECK(h.closed);
}

TEST_CASE("policy: tarpit holds every reply for D of virtual time") {
  Harness h;
  h.policy.behaviour.tarpit = sec(10);
  CHECK(h.open() == "");
  CHECK(h.srv->deadline() == sec(10));
  CHECK(h.advance(sec(9)) == "");
  CHECK(h.advance(sec(1)) == "220 mx.b.example ESMTP smtpsim\r\n");
  CHECK(h.send("EHLO c.example\r\n") == "");
  CHECK(h.advance(sec(10)) == kEhloReply);
  // A pipelined group is answered one reply per D, like a server that sleeps before each answer.
  CHECK(h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n") == "");
  CHECK(h.advance(sec(10)) == "250 2.1.0 Ok\r\n");
  CHECK(h.advance(sec(10)) == "250 2.1.5 Ok\r\n");
  // Reply events are emitted when the reply leaves, not when it was decided.
  CHECK(h.events.back().text == "250 2.1.5 Ok");
}

TEST_CASE("policy: input before the (tarpitted) greeting is a synchronisation error") {
  Harness h;
  h.policy.behaviour.tarpit = sec(5);
  h.open();
  CHECK(h.send("EHLO early.example\r\n") == "");
  CHECK(h.advance(sec(5)) == "220 mx.b.example ESMTP smtpsim\r\n");
  CHECK(h.advance(sec(5)) == "554 5.5.0 Error: SMTP protocol synchronization\r\n");  // tarpitted too
  CHECK(h.closed);
  CHECK(h.count_events(ProtoEvent::Kind::Error, "before the greeting") == 1);
}

TEST_CASE("policy: drop_in_data cuts the connection without a reply and stores nothing") {
  Harness h;
  h.policy.behaviour.drop_in_data = 10;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  h.send("DATA\r\n");
  CHECK(h.send("0123456789abcdef\r\n.\r\n") == "");
  CHECK(h.closed);
  CHECK(h.policy.stored.empty());

  // Larger than the message: the drop happens at the final dot, still without a reply.
  Harness h2;
  h2.policy.behaviour.drop_in_data = 1'000'000;
  greet(h2);
  h2.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
  h2.send("DATA\r\n");
  CHECK(h2.send("short\r\n.\r\n") == "");
  CHECK(h2.closed);
  CHECK(h2.policy.stored.empty());
}

TEST_CASE("policy: SIZE declared too big gets 552 5.3.4; real size over the limit too") {
  Harness h;
  h.cfg.max_message_size = 100;
  h.open();
  h.send("EHLO c.example\r\n");
  CHECK(h.send("MAIL FROM:<a@a.example> SIZE=101\r\n") == "552 5.3.4 Message size exceeds fixed limit\r\n");
  CHECK(h.send("MAIL FROM:<a@a.example> SIZE=100\r\n") == "250 2.1.0 Ok\r\n");
  h.send("RCPT TO:<bob@b.example>\r\nDATA\r\n");
  std::string body;
  for (int i = 0; i < 10; ++i) body += "0123456789abcdef\r\n";  // 180 octets
  CHECK(h.send(body) == "");
  CHECK(h.send(".\r\n") == "552 5.3.4 Error: message file too big\r\n");
  CHECK(h.policy.stored.empty());
  CHECK(h.srv->state() == ServerState::Ready);
}

TEST_CASE("policy: 100 recipients are buffered, the 101st gets 452 4.5.3") {
  Harness h;
  h.policy.relay = true;
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\n");
  std::string group;
  for (int i = 0; i < 100; ++i) group += "RCPT TO:<u" + std::to_string(i) + "@c.example>\r\n";
  std::string replies = h.send(group);
  CHECK(replies.size() == 100 * std::string("250 2.1.5 Ok\r\n").size());
  CHECK(h.send("RCPT TO:<u100@c.example>\r\n") == "452 4.5.3 Error: too many recipients\r\n");
  CHECK(h.srv->envelope().rcpts.size() == 100);
  h.send("DATA\r\n");
  CHECK(h.send("x\r\n.\r\n") == "250 2.0.0 Ok: queued as Q1\r\n");
  CHECK(h.policy.stored.at(0).env.rcpts.size() == 100);
  // A new transaction takes the rest.
  CHECK(h.send("MAIL FROM:<a@a.example>\r\n") == "250 2.1.0 Ok\r\n");
  CHECK(h.send("RCPT TO:<u100@c.example>\r\n") == "250 2.1.5 Ok\r\n");
}

TEST_CASE("policy: loop detection - 50 Received: headers get 554 5.4.6") {
  auto run = [](int received) {
    Harness h;
    greet(h);
    h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\n");
    h.send("DATA\r\n");
    std::string msg;
    for (int i = 0; i < received; ++i)
      msg += (i % 2 ? "received: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                    : "Received: from x\r\n\tby y; Mon, 1 Jan 2024 00:00:00 +0000\r\n");
    msg += "Subject: loop\r\n\r\nReceived: in the body does not count\r\n.\r\n";
    return h.send_bytewise(msg);  // split anywhere, including inside "Received:"
  };
  CHECK(run(49) == "250 2.0.0 Ok: queued as Q1\r\n");
  CHECK(run(50) == "554 5.4.6 Error: too many hops\r\n");
}

TEST_CASE("policy: timeouts - 5 minutes for a command, partial commands do not extend it") {
  Harness h;
  greet(h);
  CHECK(h.srv->deadline() == minutes(5));
  CHECK(h.advance(minutes(4)) == "");
  // One octet a minute never completes a command: the deadline stays where it was.
  CHECK(h.send("N") == "");
  CHECK(h.advance(sec(59)) == "");
  CHECK(h.send("O") == "");
  CHECK(h.advance(sec(1)) == "421 4.4.2 mx.b.example Error: timeout exceeded\r\n");
  CHECK(h.closed);
  CHECK(h.count_events(ProtoEvent::Kind::Error, "timeout after READY") == 1);
}

TEST_CASE("policy: DATA timeout runs between complete lines; the message is lost") {
  Harness h;
  h.cfg.data_timeout = minutes(3);
  greet(h);
  h.send("MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\nDATA\r\n");
  h.advance(minutes(2));
  h.send("line\r\n");  // restarts the data timer
  CHECK(h.advance(minutes(2)) == "");
  h.send("partial line without end");
  CHECK(h.advance(minutes(1)) == "421 4.4.2 mx.b.example Error: timeout exceeded\r\n");
  CHECK(h.policy.stored.empty());
  CHECK(h.count_events(ProtoEvent::Kind::Error, "timeout after DATA") == 1);
}

TEST_CASE("policy: check_sender / check_recipient hooks give custom replies") {
  struct HookPolicy : TestPolicy {
    std::optional<ServerReply> check_sender(const SessionFacts& s, const MailFrom& m) override {
      if (!s.auth_user.empty() && m.reverse_path != s.auth_user + "@a.example")
        return ServerReply{553, "5.7.1", "{address}: Sender address rejected: not owned by user {user}"};
      return std::nullopt;
    }
    std::optional<ServerReply> check_recipient(const SessionFacts&, const Envelope& e, const RcptTo&) override {
      if (e.rcpts.size() >= 1) return ServerReply{452, "4.5.3", "Only one recipient per message here"};
      return std::nullopt;
    }
  };
  HookPolicy policy;
  ServerConfig cfg;
  cfg.hostname = "mx.b.example";
  cfg.auth = true;
  cfg.auth_plaintext = true;
  SmtpServer srv(cfg, policy, PeerInfo{"192.0.2.1", ""});
  srv.on_open(0);
  srv.on_bytes("EHLO c\r\n", 0);
  srv.on_bytes("AUTH PLAIN " + b64(std::string("\0alice\0secret", 13)) + "\r\n", 0);
  srv.take_output();
  srv.on_bytes("MAIL FROM:<mallory@a.example>\r\n", 0);
  CHECK(srv.take_output().bytes == "553 5.7.1 <mallory@a.example>: Sender address rejected: not owned by user alice\r\n");
  srv.on_bytes("MAIL FROM:<alice@a.example>\r\n", 0);
  srv.on_bytes("RCPT TO:<bob@b.example>\r\n", 0);
  srv.on_bytes("RCPT TO:<carol@b.example>\r\n", 0);
  CHECK(srv.take_output().bytes == "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n452 4.5.3 Only one recipient per message here\r\n");
}
