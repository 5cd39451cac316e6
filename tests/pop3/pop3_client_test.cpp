// pop3_client_test.cpp - the POP3 client engine against scripted server bytes, and DotReader.
#include <catch2/catch.hpp>

#include "sim/pop3/pop3_auth.hpp"
#include "sim/pop3/pop3_client.hpp"

using namespace smtpsim;
using namespace smtpsim::pop3;

namespace {

// ClientRig - a client fed by hand.
struct ClientRig {
  ClientState state;
  ClientConfig cfg;
  std::unique_ptr<Client> c;
  EngineOutput last;
  std::vector<ProtoEvent> events;
  SimTime now = 0;

  ClientRig() {
    cfg.user = "b@b.example";
    cfg.password = "secret";
  }
  void start() {
    c = std::make_unique<Client>(cfg, state);
    c->on_open(now);
    take();
  }
  std::string take() {
    last = c->take_output();
    for (auto& e : last.events) events.push_back(e);
    return last.bytes;
  }
  // reply - the server says `in`; returns what the client sends next.
  std::string reply(std::string_view in) {
    c->on_bytes(in, now);
    return take();
  }
};

struct Step {
  std::string server;  // bytes from the server
  std::string client;  // the client's next bytes
};

void run_steps(ClientRig& rig, const std::vector<Step>& steps) {
  for (const auto& s : steps) {
    INFO("server: " << s.server);
    CHECK(rig.reply(s.server) == s.client);
  }
}

const std::string kGreeting = "+OK pop.b.example POP3 server ready <7.0@pop.b.example>\r\n";
const std::string kCapa =
    "+OK Capability list follows\r\nTOP\r\nUSER\r\nRESP-CODES\r\nUIDL\r\nIMPLEMENTATION test\r\n.\r\n";
const std::string kCapaPipe =
    "+OK Capability list follows\r\nTOP\r\nUSER\r\nRESP-CODES\r\nPIPELINING\r\nUIDL\r\n.\r\n";

}  // namespace

TEST_CASE("dot reader: unstuffs and stops at the terminator, split anywhere", "[pop3][client]") {
  struct Row {
    std::string wire;
    std::string body;
    std::string after;  // bytes left over after the block
  };
  const Row rows[] = {
      {".\r\n", "", ""},
      {"a\r\n.\r\n", "a\r\n", ""},
      {"..a\r\n.\r\nNEXT", ".a\r\n", "NEXT"},
      {"x\r\n...\r\n..\r\n.\r\n", "x\r\n..\r\n.\r\n", ""},
      {"a.b\r\n.c\r\n.\r\n+OK", "a.b\r\nc\r\n", "+OK"},  // an unstuffed leading dot is dropped too
      {"line\n.\n", "line\n", ""},                       // lenient about bare LF
      {"\r\n\r\n.\r\n", "\r\n\r\n", ""},
  };
  for (const auto& r : rows) {
    for (std::size_t split = 0; split <= r.wire.size(); ++split) {
      INFO("wire: " << r.wire << " split at " << split);
      std::string body;
      DotReader rd;
      rd.reset(&body, 1 << 20);
      std::size_t used = rd.feed(std::string_view(r.wire).substr(0, split));
      if (!rd.done()) {
        REQUIRE(used == split);
        used += rd.feed(std::string_view(r.wire).substr(split));
      }
      CHECK(rd.done());
      CHECK(body == r.body);
      CHECK(r.wire.substr(used) == r.after);
    }
  }
  // Byte by byte.
  std::string body;
  DotReader rd;
  rd.reset(&body, 1 << 20);
  const std::string wire = "..x\r\n.y\r\nz\r\n.\r\n";
  for (char ch : wire) rd.feed(std::string_view(&ch, 1));
  CHECK(rd.done());
  CHECK(body == ".x\r\ny\r\nz\r\n");
  CHECK(rd.wire_bytes() == wire.size());
  // Too long: content dropped, the stream stays in step.
  body.clear();
  rd.reset(&body, 4);
  CHECK(rd.feed("12345678\r\n.\r\nX") == 13);
  CHECK(rd.done());
  CHECK(rd.overflow());
}

TEST_CASE("dot stuffing round trip", "[pop3][client]") {
  const std::string bodies[] = {"", "a\r\n", ".\r\n", "..\r\n", ".a\r\n.b\r\n", "x\r\n.\r\ny\r\n", "a\r\n\r\n"};
  for (const auto& b : bodies) {
    std::string wire;
    append_stuffed(wire, b);
    std::string back;
    DotReader rd;
    rd.reset(&back, 1 << 20);
    CHECK(rd.feed(wire) == wire.size());
    CHECK(rd.done());
    CHECK(back == b);
  }
  std::string w;
  append_stuffed(w, "no final newline");
  CHECK(w == "no final newline\r\n.\r\n");
}

TEST_CASE("pop3 client: a session, byte for byte", "[pop3][client]") {
  ClientRig rig;
  rig.start();
  CHECK(rig.last.bytes.empty());
  CHECK(rig.c->deadline() == minutes(5));
  run_steps(rig, {
                     {kGreeting, "CAPA\r\n"},
                     {kCapa, "USER b@b.example\r\n"},
                     {"+OK send PASS\r\n", "PASS secret\r\n"},
                     {"+OK maildrop has 2 messages (40 octets)\r\n", "STAT\r\n"},
                     {"+OK 2 40\r\n", "UIDL\r\n"},
                     {"+OK\r\n1 uid-a\r\n2 uid-b\r\n.\r\n", "RETR 1\r\n"},
                     {"+OK 12 octets\r\nSubject: a\r\n\r\n..dot\r\n.\r\n", "RETR 2\r\n"},
                     {"+OK 8 octets\r\nx\r\n.\r\n", "QUIT\r\n"},
                     {"+OK bye\r\n", ""},
                 });
  CHECK(rig.last.close);
  CHECK(rig.c->finished());
  const ClientResult& r = rig.c->result();
  CHECK(r.ok);
  CHECK(r.logged_in);
  CHECK(r.errors.empty());
  CHECK(r.stat_count == 2);
  CHECK(r.stat_octets == 40);
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[0].uidl == "uid-a");
  CHECK(r.messages[0].number == 1);
  CHECK(r.messages[0].raw == "Subject: a\r\n\r\n.dot\r\n");
  CHECK(r.messages[1].raw == "x\r\n");
  CHECK(rig.state.seen == std::set<std::string, std::less<>>{"uid-a", "uid-b"});
  CHECK(rig.state.sessions == 1);
  CHECK(r.capabilities == std::vector<std::string>{"TOP", "USER", "RESP-CODES", "UIDL", "IMPLEMENTATION test"});
  // Events: commands with the password masked, one Data per message.
  std::vector<std::string> commands;
  int data = 0;
  for (const auto& e : rig.events) {
    if (e.kind == ProtoEvent::Kind::Command) commands.push_back(e.text);
    if (e.kind == ProtoEvent::Kind::Data) ++data;
    CHECK(e.text.find("secret") == std::string::npos);
  }
  CHECK(commands ==
        std::vector<std::string>{"CAPA", "USER b@b.example", "PASS ****", "STAT", "UIDL", "RETR 1", "RETR 2", "QUIT"});
  CHECK(data == 2);

  SECTION("the next session fetches only what is new, and forgets what is gone") {
    rig.start();
    run_steps(rig, {
                       {kGreeting, "CAPA\r\n"},
                       {kCapa, "USER b@b.example\r\n"},
                       {"+OK\r\n", "PASS secret\r\n"},
                       {"+OK\r\n", "STAT\r\n"},
                       {"+OK 2 40\r\n", "UIDL\r\n"},
                       {"+OK\r\n1 uid-b\r\n2 uid-c\r\n.\r\n", "RETR 2\r\n"},
                       {"+OK\r\nc\r\n.\r\n", "QUIT\r\n"},
                       {"+OK\r\n", ""},
                   });
    CHECK(rig.c->result().messages.size() == 1);
    CHECK(rig.c->result().skipped == 1);
    CHECK(rig.state.seen == std::set<std::string, std::less<>>{"uid-b", "uid-c"});
    CHECK(rig.state.sessions == 2);
  }
}

TEST_CASE("pop3 client: pipelining and deletion", "[pop3][client]") {
  ClientRig rig;
  rig.cfg.leave_on_server = false;
  rig.state.seen.insert("uid-old");  // fetched last time, still on the server
  rig.start();
  run_steps(rig, {
                     {kGreeting, "CAPA\r\n"},
                     {kCapaPipe, "USER b@b.example\r\n"},
                     {"+OK\r\n", "PASS secret\r\n"},
                     {"+OK\r\n", "STAT\r\n"},
                     {"+OK 3 60\r\n", "UIDL\r\n"},
                     // With PIPELINING every command goes at once; a DELE only after its RETR worked.
                     {"+OK\r\n1 uid-old\r\n2 uid-a\r\n3 uid-b\r\n.\r\n", "DELE 1\r\nRETR 2\r\nRETR 3\r\n"},
                     {"+OK message 1 deleted\r\n", ""},
                     {"+OK\r\na\r\n.\r\n", "DELE 2\r\n"},
                     {"-ERR [SYS/PERM] message 3 is no longer in the maildrop\r\n", ""},
                     {"+OK message 2 deleted\r\n", "QUIT\r\n"},
                     {"+OK bye (2 messages deleted)\r\n", ""},
                 });
  const ClientResult& r = rig.c->result();
  CHECK(r.ok);
  CHECK(r.deleted == 2);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].uidl == "uid-a");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "RETR 3 failed: -ERR [SYS/PERM] message 3 is no longer in the maildrop");
  CHECK(r.last_code == "SYS/PERM");
  CHECK(rig.state.seen == std::set<std::string, std::less<>>{"uid-old", "uid-a"});
}

TEST_CASE("pop3 client: a UIDL listing repeating a number or unique-id is not trusted twice", "[pop3][client]") {
  // Found by fuzz_pop3_client: "1 uid-old" listed twice made the client DELE 1 twice and count
  // two deletions for one message.
  ClientRig rig;
  rig.cfg.leave_on_server = false;
  rig.state.seen.insert("uid-old");
  rig.start();
  run_steps(rig, {
                     {kGreeting, "CAPA\r\n"},
                     {kCapa, "USER b@b.example\r\n"},
                     {"+OK\r\n", "PASS secret\r\n"},
                     {"+OK\r\n", "STAT\r\n"},
                     {"+OK 3 60\r\n", "UIDL\r\n"},
                     {"+OK\r\n1 uid-old\r\n2 uid-a\r\n1 uid-old\r\n3 uid-a\r\n.\r\n", "DELE 1\r\n"},
                     {"+OK\r\n", "RETR 2\r\n"},
                     {"+OK\r\na\r\n.\r\n", "DELE 2\r\n"},
                     {"+OK\r\n", "QUIT\r\n"},
                     {"+OK\r\n", ""},
                 });
  const ClientResult& r = rig.c->result();
  CHECK(r.ok);
  CHECK(r.deleted == 2);
  CHECK(r.messages.size() == 1);
  int repeats = 0;
  for (const auto& e : rig.events)
    if (e.kind == ProtoEvent::Kind::Error && e.text.find("repeating a message number or unique-id") != std::string::npos) ++repeats;
  CHECK(repeats == 2);
}

TEST_CASE("pop3 client: a connection lost before QUIT deletes nothing", "[pop3][client]") {
  ClientRig rig;
  rig.cfg.leave_on_server = false;
  rig.start();
  run_steps(rig, {
                     {kGreeting, "CAPA\r\n"},
                     {kCapa, "USER b@b.example\r\n"},
                     {"+OK\r\n", "PASS secret\r\n"},
                     {"+OK\r\n", "STAT\r\n"},
                     {"+OK 1 3\r\n", "UIDL\r\n"},
                     {"+OK\r\n1 u1\r\n.\r\n", "RETR 1\r\n"},
                     {"+OK\r\na\r\n.\r\n", "DELE 1\r\n"},
                     {"+OK\r\n", "QUIT\r\n"},
                 });
  rig.c->on_closed(0);
  rig.take();
  CHECK(rig.c->finished());
  CHECK_FALSE(rig.c->result().ok);
  CHECK(rig.c->result().deleted == 0);
  CHECK(rig.c->result().errors.back() == "connection closed before QUIT was answered");
  CHECK(rig.state.seen.count("u1") == 1);  // fetched: not fetched again, DELE'd next time
}

TEST_CASE("pop3 client: login methods", "[pop3][client]") {
  SECTION("APOP uses the greeting's timestamp") {
    ClientRig rig;
    rig.cfg.auth = AuthMethod::Apop;
    rig.cfg.use_capa = false;
    rig.start();
    CHECK(rig.reply(kGreeting) == "APOP b@b.example " + apop_digest("<7.0@pop.b.example>", "secret") + "\r\n");
    CHECK(rig.reply("+OK\r\n") == "STAT\r\n");
  }
  SECTION("APOP without a timestamp gives up") {
    ClientRig rig;
    rig.cfg.auth = AuthMethod::Apop;
    rig.cfg.use_capa = false;
    rig.start();
    CHECK(rig.reply("+OK ready\r\n") == "QUIT\r\n");
    CHECK(rig.c->result().errors.at(0) == "APOP impossible: the greeting has no timestamp");
  }
  SECTION("AUTH PLAIN with an initial response, masked in events") {
    ClientRig rig;
    rig.cfg.auth = AuthMethod::SaslPlain;
    rig.cfg.use_capa = false;
    rig.start();
    CHECK(rig.reply(kGreeting) == "AUTH PLAIN " + sasl_plain_encode("b@b.example", "secret") + "\r\n");
    CHECK(rig.events.back().text == "AUTH PLAIN ****");
    // A server that asks again gets the response on its own line.
    CHECK(rig.reply("+ \r\n") == sasl_plain_encode("b@b.example", "secret") + "\r\n");
    CHECK(rig.reply("+OK\r\n") == "STAT\r\n");
  }
  SECTION("wrong password: [AUTH], QUIT") {
    ClientRig rig;
    rig.start();
    run_steps(rig, {
                       {kGreeting, "CAPA\r\n"},
                       {"-ERR unknown command\r\n", "USER b@b.example\r\n"},  // an RFC 1939-only server
                       {"+OK\r\n", "PASS secret\r\n"},
                       {"-ERR [AUTH] Authentication failed.\r\n", "QUIT\r\n"},
                       {"+OK\r\n", ""},
                   });
    CHECK(rig.c->result().last_code == "AUTH");
    CHECK_FALSE(rig.c->result().logged_in);
    CHECK(rig.c->result().errors.at(0) == "login failed: -ERR [AUTH] Authentication failed.");
  }
  SECTION("mailbox in use") {
    ClientRig rig;
    rig.cfg.use_capa = false;
    rig.start();
    run_steps(rig, {
                       {kGreeting, "USER b@b.example\r\n"},
                       {"+OK\r\n", "PASS secret\r\n"},
                       {"-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n", "QUIT\r\n"},
                   });
    CHECK(rig.c->result().last_code == "IN-USE");
  }
  SECTION("credentials that cannot go on a line") {
    ClientRig rig;
    rig.cfg.password = "a\r\nDELE 1";
    rig.cfg.use_capa = false;
    rig.start();
    CHECK(rig.reply(kGreeting) == "QUIT\r\n");
  }
}

TEST_CASE("pop3 client: STLS policies", "[pop3][client]") {
  const std::string capa_stls = "+OK\r\nUSER\r\nSTLS\r\n.\r\n";
  SECTION("opportunistic: STLS when offered, CAPA again inside TLS") {
    ClientRig rig;
    rig.cfg.tls = TlsPolicy::Opportunistic;
    rig.start();
    CHECK(rig.reply(kGreeting) == "CAPA\r\n");
    CHECK(rig.reply(capa_stls) == "STLS\r\n");
    CHECK(rig.reply("+OK Begin TLS negotiation\r\n").empty());
    CHECK(rig.last.start_tls);
    rig.c->on_tls(TlsInfo{true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", true, ""}, 0);
    CHECK(rig.take() == "CAPA\r\n");
    CHECK(rig.reply("+OK\r\nUSER\r\n.\r\n") == "USER b@b.example\r\n");
    CHECK(rig.c->result().tls);
  }
  SECTION("opportunistic: plaintext when not offered") {
    ClientRig rig;
    rig.cfg.tls = TlsPolicy::Opportunistic;
    rig.start();
    rig.reply(kGreeting);
    CHECK(rig.reply(kCapa) == "USER b@b.example\r\n");
    CHECK_FALSE(rig.c->result().tls);
  }
  SECTION("required: no STLS, no password") {
    ClientRig rig;
    rig.cfg.tls = TlsPolicy::Required;
    rig.start();
    rig.reply(kGreeting);
    CHECK(rig.reply(kCapa) == "QUIT\r\n");
    CHECK(rig.c->result().errors.at(0) == "TLS is required but the server does not offer STLS");
  }
  SECTION("required: STLS refused") {
    ClientRig rig;
    rig.cfg.tls = TlsPolicy::Required;
    rig.start();
    rig.reply(kGreeting);
    rig.reply(capa_stls);
    CHECK(rig.reply("-ERR STLS not available on this server\r\n") == "QUIT\r\n");
  }
  SECTION("handshake failure: closed at once") {
    ClientRig rig;
    rig.cfg.tls = TlsPolicy::Required;
    rig.start();
    rig.reply(kGreeting);
    rig.reply(capa_stls);
    rig.reply("+OK\r\n");
    rig.c->on_tls(TlsInfo{false, "", "", false, "certificate verify failed"}, 0);
    CHECK(rig.take().empty());
    CHECK(rig.last.close);
    CHECK(rig.c->result().errors.at(0) == "TLS handshake failed: certificate verify failed");
  }
}

TEST_CASE("pop3 client: protocol errors and timeouts", "[pop3][client]") {
  SECTION("not a status line") {
    ClientRig rig;
    rig.start();
    CHECK(rig.reply("HTTP/1.1 400 Bad Request\r\n").empty());
    CHECK(rig.last.close);
    CHECK(rig.c->result().errors.at(0) == "not a POP3 status line: \"HTTP/1.1 400 Bad Request\"");
  }
  SECTION("a refusing greeting") {
    ClientRig rig;
    rig.start();
    rig.reply("-ERR [SYS/TEMP] too busy\r\n");
    CHECK(rig.last.close);
    CHECK(rig.c->result().last_code == "SYS/TEMP");
  }
  SECTION("an endless line") {
    ClientRig rig;
    rig.start();
    rig.reply(std::string(5000, '+'));
    CHECK(rig.last.close);
  }
  SECTION("the server goes silent") {
    ClientRig rig;
    rig.cfg.timeout = minutes(2);
    rig.start();
    rig.now = sec(10);
    rig.reply(kGreeting);
    CHECK(rig.c->deadline() == sec(10) + minutes(2));
    rig.c->on_timer(sec(10) + minutes(1));
    CHECK_FALSE(rig.c->finished());
    rig.c->on_timer(sec(10) + minutes(2));
    rig.take();
    CHECK(rig.last.close);
    CHECK(rig.c->finished());
    CHECK(rig.c->result().errors.at(0) == "timeout: no answer from the server within 2m");
  }
  SECTION("a message over the size limit is not kept") {
    ClientRig rig;
    rig.cfg.max_message_bytes = 4;
    rig.cfg.use_capa = false;
    rig.start();
    run_steps(rig, {
                       {kGreeting, "USER b@b.example\r\n"},
                       {"+OK\r\n", "PASS secret\r\n"},
                       {"+OK\r\n", "STAT\r\n"},
                       {"+OK 1 9\r\n", "UIDL\r\n"},
                       {"+OK\r\n1 big\r\n.\r\n", "RETR 1\r\n"},
                       {"+OK 9 octets\r\n1234567\r\n.\r\n", "QUIT\r\n"},
                   });
    CHECK(rig.c->result().messages.empty());
    CHECK(rig.state.seen.empty());
  }
  SECTION("an empty maildrop") {
    ClientRig rig;
    rig.cfg.use_capa = false;
    rig.state.seen.insert("gone");
    rig.start();
    run_steps(rig, {
                       {kGreeting, "USER b@b.example\r\n"},
                       {"+OK\r\n", "PASS secret\r\n"},
                       {"+OK\r\n", "STAT\r\n"},
                       {"+OK 0 0\r\n", "QUIT\r\n"},
                   });
    CHECK(rig.state.seen.empty());
  }
  SECTION("a server without UIDL") {
    ClientRig rig;
    rig.cfg.use_capa = false;
    rig.start();
    run_steps(rig, {
                       {kGreeting, "USER b@b.example\r\n"},
                       {"+OK\r\n", "PASS secret\r\n"},
                       {"+OK\r\n", "STAT\r\n"},
                       {"+OK 2 9\r\n", "UIDL\r\n"},
                       {"-ERR unknown command\r\n", "RETR 1\r\n"},
                       {"+OK\r\na\r\n.\r\n", "RETR 2\r\n"},
                       {"+OK\r\nb\r\n.\r\n", "QUIT\r\n"},
                   });
    CHECK(rig.c->result().messages.size() == 2);
    CHECK(rig.c->result().messages[0].uidl.empty());
  }
}
