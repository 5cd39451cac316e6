// pop3_session_test.cpp - the client engine against the server engine in memory (tls::EnginePipe):
// plaintext and STLS, UIDL across sessions, deletion, locks, segmentation, Maildir.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>

#include "pop3/pop3_fixture.hpp"
#include "sim/mail/mail_maildir.hpp"
#include "sim/pop3/pop3_client.hpp"
#include "sim/tls/tls_engine_pipe.hpp"
#include "sim/tls/tls_random.hpp"

using namespace pop3test;
using namespace smtpsim::pop3;
using smtpsim::tls::EnginePipe;
using smtpsim::tls::PipeOptions;
using smtpsim::tls::PipeStop;
using smtpsim::tls::Side;

namespace {

// Host - what a POP3 host and a mail client keep between sessions.
struct Host {
  mail::Directory dir;
  mail::MailboxStore& store;
  ServerConfig scfg;
  ClientConfig ccfg;
  ClientState cstate;
  std::uint64_t next_session = 1;

  explicit Host(mail::MailboxStore& s) : store(s) {
    dir.add_user("b@b.example", "secret");
    scfg.host_name = "pop.b.example";
    ccfg.user = "b@b.example";
    ccfg.password = "secret";
  }
  // session - one connection from the client to the server; returns the client's result.
  ClientResult session(PipeOptions opts = {}, PipeStop expect = PipeStop::Finished, std::string* wire_c = nullptr,
                       std::string* wire_s = nullptr) {
    ServerConfig sc = scfg;
    sc.session_id = next_session++;
    Server server(sc, dir, store);
    Client client(ccfg, cstate);
    EnginePipe pipe(client, server, std::move(opts));
    CHECK(pipe.run() == expect);
    if (wire_c) *wire_c = pipe.wire(Side::Client);
    if (wire_s) *wire_s = pipe.wire(Side::Server);
    CHECK_FALSE(store.is_locked("b@b.example"));
    return client.result();
  }
};

std::vector<std::string> raws(const ClientResult& r) {
  std::vector<std::string> out;
  for (const auto& m : r.messages) out.push_back(m.raw);
  return out;
}

}  // namespace

TEST_CASE("pop3 session: leave on server, UIDL stable across sessions", "[pop3][session]") {
  mail::MemoryStore store;
  Host h(store);
  store.deliver("b@b.example", kMsg1);
  store.deliver("b@b.example", kMsg2);

  ClientResult first = h.session();
  CHECK(first.ok);
  CHECK(first.errors.empty());
  CHECK(raws(first) == std::vector<std::string>{kMsg1, kMsg2});  // byte-exact after (un)stuffing
  CHECK(store.list("b@b.example").messages.size() == 2);

  ClientResult second = h.session();
  CHECK(second.ok);
  CHECK(second.messages.empty());
  CHECK(second.skipped == 2);

  store.deliver("b@b.example", "Subject: three\r\n\r\n.\r\n");
  ClientResult third = h.session();
  CHECK(raws(third) == std::vector<std::string>{"Subject: three\r\n\r\n.\r\n"});
  CHECK(h.cstate.seen.size() == 3);
  CHECK(h.cstate.sessions == 3);
}

TEST_CASE("pop3 session: fetch and delete", "[pop3][session]") {
  mail::MemoryStore store;
  Host h(store);
  h.ccfg.leave_on_server = false;
  store.deliver("b@b.example", kMsg1);
  store.deliver("b@b.example", kMsg2);
  for (bool pipelining : {true, false}) {
    DYNAMIC_SECTION("pipelining " << pipelining) {
      h.ccfg.pipelining = pipelining;
      std::string wire;
      ClientResult r = h.session({}, PipeStop::Finished, &wire);
      CHECK(r.ok);
      CHECK(r.deleted == 2);
      CHECK(raws(r) == std::vector<std::string>{kMsg1, kMsg2});
      CHECK(store.list("b@b.example").messages.empty());
      CHECK((wire.find("RETR 1\r\nRETR 2\r\n") != std::string::npos) == pipelining);
      CHECK(h.cstate.seen.size() == 2);
      // Next session: nothing left, the seen set empties.
      ClientResult again = h.session();
      CHECK(again.messages.empty());
      CHECK(h.cstate.seen.empty());
    }
  }
}

TEST_CASE("pop3 session: bytes cut into tiny segments", "[pop3][session]") {
  for (std::size_t seg : {1, 2, 3, 7}) {
    mail::MemoryStore store;
    Host h(store);
    h.ccfg.leave_on_server = false;
    store.deliver("b@b.example", kMsg1);
    store.deliver("b@b.example", std::string(3000, 'x') + "\r\n.\r\n..\r\n");
    PipeOptions o;
    o.max_segment = seg;
    o.one_way_delay = msec(1);
    ClientResult r = h.session(std::move(o));
    INFO("segment " << seg);
    CHECK(r.ok);
    CHECK(raws(r) == std::vector<std::string>{kMsg1, std::string(3000, 'x') + "\r\n.\r\n..\r\n"});
    CHECK(store.list("b@b.example").messages.empty());
  }
}

TEST_CASE("pop3 session: APOP and AUTH PLAIN", "[pop3][session]") {
  mail::MemoryStore store;
  Host h(store);
  store.deliver("b@b.example", kMsg2);
  for (AuthMethod m : {AuthMethod::Apop, AuthMethod::SaslPlain, AuthMethod::UserPass}) {
    h.ccfg.auth = m;
    h.cstate = {};
    std::string wire;
    ClientResult r = h.session({}, PipeStop::Finished, &wire);
    INFO(to_string(m));
    CHECK(r.ok);
    CHECK(r.messages.size() == 1);
    CHECK((wire.find("secret") == std::string::npos) == (m != AuthMethod::UserPass));
  }
  h.ccfg.auth = AuthMethod::Apop;
  h.ccfg.password = "wrong";
  ClientResult bad = h.session();
  CHECK_FALSE(bad.logged_in);
  CHECK(bad.last_code == "AUTH");
  CHECK(bad.ok);  // QUIT still answered
}

TEST_CASE("pop3 session: a locked maildrop", "[pop3][session]") {
  mail::MemoryStore store;
  Host h(store);
  store.deliver("b@b.example", kMsg2);
  auto other = store.lock("b@b.example");  // another session holds it
  REQUIRE(other);
  ServerConfig sc = h.scfg;
  Server server(sc, h.dir, store);
  Client client(h.ccfg, h.cstate);
  EnginePipe pipe(client, server);
  CHECK(pipe.run() == PipeStop::Finished);
  CHECK(client.result().last_code == "IN-USE");
  CHECK(client.result().messages.empty());
  CHECK(store.is_locked("b@b.example"));
  store.unlock("b@b.example", *other);
  CHECK(h.session().messages.size() == 1);
}

TEST_CASE("pop3 session: a slow server makes the client give up", "[pop3][session]") {
  mail::MemoryStore store;
  Host h(store);
  store.deliver("b@b.example", kMsg2);
  h.scfg.behaviour.response_delay = minutes(6);
  h.ccfg.timeout = minutes(5);
  ServerConfig sc = h.scfg;
  Server server(sc, h.dir, store);
  Client client(h.ccfg, h.cstate);
  EnginePipe pipe(client, server);
  pipe.run();
  CHECK(client.finished());
  CHECK(client.result().errors.at(0) == "timeout: no answer from the server within 5m");
  CHECK(store.list("b@b.example").messages.size() == 1);

  h.scfg.behaviour.response_delay = sec(2);  // slow but within the client's patience
  ClientResult r = h.session();
  CHECK(r.ok);
  CHECK(r.messages.size() == 1);
}

TEST_CASE("pop3 session: STLS with real TLS", "[pop3][session]") {
  tls::Pki pki(11);
  const tls::Credential cred = pki.issue("pop.b.example");
  auto tls_opts = [&]() {
    PipeOptions o;
    o.server_tls = tls::ServerContext(cred);
    o.client_tls = tls::ClientContext({pki.ca().cert});
    o.client_params.server_name = "pop.b.example";
    o.one_way_delay = msec(2);
    return o;
  };
  mail::MemoryStore store;
  Host h(store);
  store.deliver("b@b.example", kMsg1);
  h.scfg.tls_available = true;
  h.scfg.plaintext_needs_tls = true;

  SECTION("opportunistic and required both go through TLS; no secret in plaintext") {
    for (TlsPolicy p : {TlsPolicy::Opportunistic, TlsPolicy::Required}) {
      h.ccfg.tls = p;
      h.cstate = {};
      ServerConfig sc = h.scfg;
      Server server(sc, h.dir, store);
      Client client(h.ccfg, h.cstate);
      EnginePipe pipe(client, server, tls_opts());
      CHECK(pipe.run() == PipeStop::Finished);
      const ClientResult& r = client.result();
      CHECK(r.ok);
      CHECK(r.tls);
      CHECK(raws(r) == std::vector<std::string>{kMsg1});
      CHECK(pipe.wire_before_tls(Side::Client) == "CAPA\r\nSTLS\r\n");
      CHECK(pipe.wire_after_tls(Side::Client).find("secret") == std::string::npos);  // encrypted
      CHECK(pipe.written(Side::Client).find("PASS secret\r\n") != std::string::npos);
      REQUIRE(pipe.tls_info(Side::Client));
      CHECK(pipe.tls_info(Side::Client)->ok);
      CHECK(pipe.tls_info(Side::Client)->peer_verified);
      // Inside TLS, CAPA no longer offers STLS.
      const std::string& s = pipe.written(Side::Server);
      CHECK(s.find("STLS\r\n") != std::string::npos);
      CHECK(s.find("STLS\r\n") < s.find("+OK Begin TLS negotiation"));
      CHECK(s.find("STLS\r\n", s.find("+OK Begin TLS negotiation")) == std::string::npos);
    }
  }
  SECTION("a client without TLS cannot log in when the server requires it") {
    h.ccfg.tls = TlsPolicy::None;
    std::string wire;
    ServerConfig sc = h.scfg;
    Server server(sc, h.dir, store);
    Client client(h.ccfg, h.cstate);
    EnginePipe pipe(client, server, tls_opts());
    pipe.run();
    CHECK_FALSE(client.result().logged_in);
    CHECK(client.result().last_code == "AUTH");
    CHECK(pipe.wire(Side::Client).find("secret") == std::string::npos);  // refused at USER
  }
  SECTION("required TLS against a server without it: no credentials sent") {
    h.scfg.tls_available = false;
    h.scfg.plaintext_needs_tls = false;
    h.ccfg.tls = TlsPolicy::Required;
    std::string wire;
    ClientResult r = h.session({}, PipeStop::Finished, &wire);
    CHECK_FALSE(r.logged_in);
    CHECK(wire == "CAPA\r\nQUIT\r\n");
  }
  SECTION("a certificate for another name: the client stops") {
    h.ccfg.tls = TlsPolicy::Required;
    PipeOptions o = tls_opts();
    o.server_tls = tls::ServerContext(pki.issue("evil.example"));
    ServerConfig sc = h.scfg;
    Server server(sc, h.dir, store);
    Client client(h.ccfg, h.cstate);
    EnginePipe pipe(client, server, std::move(o));
    pipe.run();
    CHECK(client.finished());
    CHECK_FALSE(client.result().logged_in);
    CHECK(client.result().errors.at(0).rfind("TLS handshake failed", 0) == 0);
    CHECK(server.finished());
    CHECK_FALSE(store.is_locked("b@b.example"));
  }
}

TEST_CASE("pop3 session: over a Maildir on disk", "[pop3][session]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("smtpsim-pop3-maildir-" + std::to_string(::getpid()));
  fs::remove_all(root);
  {
    mail::MaildirStore store(root.string(), "mda.b.example");
    Host h(store);
    store.deliver("b@b.example", kMsg1);
    store.deliver("b@b.example", kMsg2);
    ClientResult r1 = h.session();
    CHECK(raws(r1) == std::vector<std::string>{kMsg1, kMsg2});
    CHECK(h.session().messages.empty());  // same UIDLs from the files
    h.ccfg.leave_on_server = false;
    ClientResult r3 = h.session();
    CHECK(r3.deleted == 2);
    CHECK(store.list("b@b.example").messages.empty());
    CHECK(fs::is_empty(root / "b@b.example" / "cur"));
  }
  fs::remove_all(root);
}
