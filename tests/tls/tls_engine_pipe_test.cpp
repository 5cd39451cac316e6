// tls_engine_pipe_test.cpp - two engines joined in memory: plaintext dialogue, STARTTLS, injection,
// verification failures, fragmentation, timers, close, determinism.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/tls/tls_engine_pipe.hpp"
#include "sim/tls/tls_random.hpp"
#include "tls/tls_toy_engines.hpp"

using namespace smtpsim;
using namespace smtpsim::tls;
using Kind = PipeRecord::Kind;

namespace {

// tls_options - a pipe whose server is `server_cred` and whose client expects mx.b.example; both
// contexts live in the Pki's seeded library context, so the bytes repeat for the same seed.
PipeOptions tls_options(const Pki& pki, const Credential& server_cred, Verify verify = Verify::Peer,
                        Version max = Version::Tls13) {
  PipeOptions o;
  ServerOptions so;
  so.lib = pki.lib();
  o.server_tls = ServerContext(server_cred, so);
  ClientOptions co;
  co.lib = pki.lib();
  co.verify = verify;
  co.max_version = max;
  o.client_tls = ClientContext({pki.ca().cert}, co);
  o.client_params.server_name = "mx.b.example";
  return o;
}

// count - how many records of a kind a side has.
std::size_t count(const EnginePipe& p, Side s, Kind k) {
  return static_cast<std::size_t>(std::count_if(p.records().begin(), p.records().end(),
                                                [&](const PipeRecord& r) { return r.side == s && r.kind == k; }));
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("a plaintext dialogue, as a transcript") {
  toy::Server server;
  toy::Client client({"ECHO hello", "QUIT"});
  PipeOptions o;
  o.one_way_delay = msec(5);
  EnginePipe pipe(client, server, o);
  CHECK(pipe.run() == PipeStop::Finished);
  CHECK(pipe.format() ==
        "00:00:00.000  S  open\n"
        "00:00:00.000  S  event     reply 200 toy ready\n"
        "00:00:00.000  S  write     \"200 toy ready\\r\\n\"\n"
        "00:00:00.000  S  wire      \"200 toy ready\\r\\n\"  (arrives 00:00:00.005)\n"
        "00:00:00.000  C  open\n"
        "00:00:00.005  C  deliver   \"200 toy ready\\r\\n\"\n"
        "00:00:00.005  C  event     command ECHO hello\n"
        "00:00:00.005  C  write     \"ECHO hello\\r\\n\"\n"
        "00:00:00.005  C  wire      \"ECHO hello\\r\\n\"  (arrives 00:00:00.010)\n"
        "00:00:00.010  S  deliver   \"ECHO hello\\r\\n\"\n"
        "00:00:00.010  S  event     reply 250 hello\n"
        "00:00:00.010  S  write     \"250 hello\\r\\n\"\n"
        "00:00:00.010  S  wire      \"250 hello\\r\\n\"  (arrives 00:00:00.015)\n"
        "00:00:00.015  C  deliver   \"250 hello\\r\\n\"\n"
        "00:00:00.015  C  event     command QUIT\n"
        "00:00:00.015  C  write     \"QUIT\\r\\n\"\n"
        "00:00:00.015  C  wire      \"QUIT\\r\\n\"  (arrives 00:00:00.020)\n"
        "00:00:00.020  S  deliver   \"QUIT\\r\\n\"\n"
        "00:00:00.020  S  event     reply 221 bye\n"
        "00:00:00.020  S  write     \"221 bye\\r\\n\"\n"
        "00:00:00.020  S  wire      \"221 bye\\r\\n\"  (arrives 00:00:00.025)\n"
        "00:00:00.020  S  close     engine closed\n"
        "00:00:00.025  C  deliver   \"221 bye\\r\\n\"\n"
        "00:00:00.025  C  close     engine closed\n");
  CHECK(pipe.now() == msec(30));  // the client's FIN reached the closed server
  CHECK(pipe.wire(Side::Client) == "ECHO hello\r\nQUIT\r\n");
  CHECK(pipe.wire(Side::Server) == "200 toy ready\r\n250 hello\r\n221 bye\r\n");
  CHECK(pipe.wire_after_tls(Side::Client).empty());
  CHECK(pipe.written(Side::Client) == pipe.delivered(Side::Server));
  CHECK(pipe.written(Side::Server) == pipe.delivered(Side::Client));
  CHECK(client.replies == std::vector<std::string>{"200 toy ready", "250 hello", "221 bye"});
  CHECK(pipe.events(Side::Server).size() == 3);
  CHECK(pipe.events(Side::Client).size() == 2);
  CHECK_FALSE(pipe.tls_info(Side::Client));
  CHECK(pipe.session(Side::Client) == nullptr);
  CHECK(pipe.closed(Side::Client));
  CHECK(pipe.closed(Side::Server));
}

TEST_CASE("STARTTLS: after the switch the wire carries only TLS records") {
  Pki pki(11);
  toy::Server server;
  toy::Client client({"ECHO before", "STARTTLS", "ECHO MAIL FROM:<secret@a.example>", "QUIT"});
  PipeOptions o = tls_options(pki, pki.issue("mx.b.example"));
  o.one_way_delay = msec(20);
  EnginePipe pipe(client, server, o);
  CHECK(pipe.run() == PipeStop::Finished);

  REQUIRE(pipe.tls_info(Side::Client));
  REQUIRE(pipe.tls_info(Side::Server));
  CHECK(pipe.tls_info(Side::Client)->ok);
  CHECK(pipe.tls_info(Side::Client)->version == "TLSv1.3");
  CHECK(pipe.tls_info(Side::Client)->peer_verified);
  CHECK(pipe.tls_info(Side::Server)->ok);
  CHECK(client.tls.size() == 1);
  CHECK(server.tls.size() == 1);

  // the plaintext part is readable on the wire; nothing after STARTTLS is
  CHECK(pipe.wire_before_tls(Side::Client) == "ECHO before\r\nSTARTTLS\r\n");
  CHECK(pipe.wire_before_tls(Side::Server) == "200 toy ready\r\n250 before\r\n220 go ahead\r\n");
  for (Side s : {Side::Client, Side::Server}) {
    std::string after = pipe.wire_after_tls(s);
    CHECK(after.size() > 50);
    CHECK_FALSE(contains(after, "MAIL FROM"));
    CHECK_FALSE(contains(after, "secret"));
    CHECK_FALSE(contains(after, "QUIT"));
    CHECK_FALSE(contains(after, "221"));
    CHECK(static_cast<unsigned char>(after[0]) >= 20);  // a TLS record starts it
    CHECK(static_cast<unsigned char>(after[0]) <= 23);
  }
  // ...but the engines saw the plaintext at each end
  CHECK(contains(pipe.delivered(Side::Server), "ECHO MAIL FROM:<secret@a.example>\r\n"));
  CHECK(client.replies == std::vector<std::string>{"200 toy ready", "250 before", "220 go ahead",
                                                    "250 MAIL FROM:<secret@a.example>", "221 bye"});
  CHECK(server.commands ==
        std::vector<std::string>{"ECHO before", "STARTTLS", "ECHO MAIL FROM:<secret@a.example>", "QUIT"});
  CHECK(server.discarded.empty());

  // timing: greeting 20ms, ECHO round trip 40, STARTTLS round trip 40, TLS 1.3 one and a half
  // round trips before the client may write (client done at 140ms), server done at 160ms.
  const PipeRecord* cdone = nullptr;
  const PipeRecord* sdone = nullptr;
  for (const auto& r : pipe.records()) {
    if (r.kind != Kind::TlsDone) continue;
    (r.side == Side::Client ? cdone : sdone) = &r;
  }
  REQUIRE(cdone);
  REQUIRE(sdone);
  CHECK(cdone->time == msec(140));
  CHECK(sdone->time == msec(160));
  CHECK(cdone->text == "TLSv1.3 TLS_AES_256_GCM_SHA384, peer verified");

  // clean close under TLS: the server's close_notify went out before its FIN
  CHECK(pipe.session(Side::Server)->close_sent());
  CHECK(pipe.session(Side::Client)->close_sent());
  CHECK(pipe.session(Side::Client)->keylog().size() == 5);
}

TEST_CASE("STARTTLS injection: plaintext pipelined behind STARTTLS is the engine's to discard") {
  Pki pki(12);
  toy::Server server;
  toy::Client client({"STARTTLS\r\nECHO INJECTED\r\n", "ECHO after"});
  EnginePipe pipe(client, server, tls_options(pki, pki.issue("mx.b.example")));
  pipe.run();
  // the server acted on STARTTLS only; the injected line never became a command
  CHECK(server.commands == std::vector<std::string>{"STARTTLS", "ECHO after"});
  CHECK(server.discarded == "ECHO INJECTED\r\n");
  bool noted = false;
  for (const auto& e : pipe.events(Side::Server))
    noted |= e.kind == ProtoEvent::Kind::Note && e.text == "discarded 15 bytes pipelined after STARTTLS";
  CHECK(noted);
  // the handshake was not disturbed, and the dialogue went on under TLS
  REQUIRE(pipe.tls_info(Side::Server));
  CHECK(pipe.tls_info(Side::Server)->ok);
  CHECK(client.replies == std::vector<std::string>{"200 toy ready", "220 go ahead", "250 after"});
  // the injected bytes were plaintext before the switch, ECHO after went encrypted
  CHECK(pipe.wire_before_tls(Side::Client) == "STARTTLS\r\nECHO INJECTED\r\n");
  CHECK_FALSE(contains(pipe.wire_after_tls(Side::Client), "after"));
}

TEST_CASE("plaintext that reaches a side after its switch to TLS breaks the handshake") {
  // Segments of 10 bytes: "STARTTLS\r\n" arrives alone, the server switches, then "ECHO INJEC"
  // is fed to TLS as if it were a ClientHello.
  Pki pki(13);
  toy::Server server;
  toy::Client client({"STARTTLS\r\nECHO INJECTED\r\n", "ECHO after"});
  PipeOptions o = tls_options(pki, pki.issue("mx.b.example"));
  o.max_segment = 10;
  EnginePipe pipe(client, server, o);
  CHECK(pipe.run() == PipeStop::Finished);
  CHECK(server.commands == std::vector<std::string>{"STARTTLS"});
  REQUIRE(pipe.tls_info(Side::Server));
  CHECK_FALSE(pipe.tls_info(Side::Server)->ok);
  CHECK(pipe.tls_info(Side::Server)->error == "wrong version number");
  REQUIRE(pipe.tls_info(Side::Client));
  CHECK_FALSE(pipe.tls_info(Side::Client)->ok);
  CHECK_FALSE(pipe.tls_info(Side::Client)->error.empty());
  CHECK(server.closed_by_peer);  // on_closed after the failed handshake
  CHECK(pipe.closed(Side::Server));
  CHECK(pipe.closed(Side::Client));
  CHECK_FALSE(contains(pipe.wire(Side::Client), "after"));
}

TEST_CASE("a man in the middle's certificate: rejected when verifying, accepted when not") {
  Pki pki(14);
  Credential mitm = pki.self_signed("mx.b.example");
  toy::Server server;
  SECTION("Verify::Peer aborts the handshake and nothing secret is sent") {
    toy::Client client({"STARTTLS", "ECHO secret", "QUIT"});
    EnginePipe pipe(client, server, tls_options(pki, mitm, Verify::Peer));
    CHECK(pipe.run() == PipeStop::Finished);
    REQUIRE(client.tls.size() == 1);
    CHECK_FALSE(client.tls[0].ok);
    CHECK(client.tls[0].error == "certificate verify failed: self-signed certificate");
    CHECK_FALSE(client.tls[0].peer_verified);
    REQUIRE(server.tls.size() == 1);
    CHECK_FALSE(server.tls[0].ok);
    CHECK(contains(server.tls[0].error, "alert"));
    CHECK(pipe.session(Side::Client)->peer_cert().issuer() == "CN=mx.b.example");
    CHECK_FALSE(contains(pipe.written(Side::Client), "secret"));
    CHECK_FALSE(contains(pipe.delivered(Side::Server), "secret"));
    CHECK(pipe.closed(Side::Client));
    CHECK(pipe.closed(Side::Server));
    // the failed side's transcript: tls-done failed, then closed, then close
    std::vector<std::string> tail;
    for (const auto& r : pipe.records())
      if (r.side == Side::Client && (r.kind == Kind::TlsDone || r.kind == Kind::Closed || r.kind == Kind::Close))
        tail.push_back(std::string(to_string(r.kind)) + ": " + r.text);
    CHECK(tail == std::vector<std::string>{"tls-done: failed: certificate verify failed: self-signed certificate",
                                           "closed: TLS handshake failed", "close: TLS handshake failed"});
  }
  SECTION("Verify::None carries on: encrypted, but to the wrong party") {
    toy::Client client({"STARTTLS", "ECHO secret", "QUIT"});
    EnginePipe pipe(client, server, tls_options(pki, mitm, Verify::None));
    CHECK(pipe.run() == PipeStop::Finished);
    REQUIRE(client.tls.size() == 1);
    CHECK(client.tls[0].ok);
    CHECK_FALSE(client.tls[0].peer_verified);
    CHECK(pipe.session(Side::Client)->verify_error() == "self-signed certificate");
    CHECK(contains(pipe.delivered(Side::Server), "ECHO secret"));  // the MITM reads it
    CHECK_FALSE(contains(pipe.wire_after_tls(Side::Client), "secret"));
    bool noted = false;
    for (const auto& r : pipe.records())
      noted |= r.kind == Kind::TlsDone && r.side == Side::Client &&
               r.text == "TLSv1.3 TLS_AES_256_GCM_SHA384, peer NOT verified: self-signed certificate";
    CHECK(noted);
  }
}

TEST_CASE("the client can cap TLS at 1.2") {
  Pki pki(15);
  toy::Server server;
  toy::Client client({"STARTTLS", "ECHO x", "QUIT"});
  EnginePipe pipe(client, server, tls_options(pki, pki.issue("mx.b.example"), Verify::Peer, Version::Tls12));
  CHECK(pipe.run() == PipeStop::Finished);
  REQUIRE(pipe.tls_info(Side::Server));
  CHECK(pipe.tls_info(Side::Server)->version == "TLSv1.2");
  CHECK(pipe.tls_info(Side::Client)->cipher == "ECDHE-ECDSA-AES256-GCM-SHA384");
  CHECK(client.replies.back() == "221 bye");
}

TEST_CASE("byte-by-byte delivery gives the engines the same plaintext") {
  Pki pki(16);
  auto run = [&](std::size_t seg, std::string& to_server, std::string& to_client, std::size_t& delivers) {
    toy::Server server;
    toy::Client client({"ECHO one", "STARTTLS", "ECHO two", "ECHO three", "QUIT"});
    PipeOptions o = tls_options(pki, pki.issue("mx.b.example"));
    o.max_segment = seg;
    o.one_way_delay = msec(1);
    EnginePipe pipe(client, server, o);
    CHECK(pipe.run() == PipeStop::Finished);
    CHECK(pipe.tls_info(Side::Client)->ok);
    to_server = pipe.delivered(Side::Server);
    to_client = pipe.delivered(Side::Client);
    delivers = count(pipe, Side::Server, Kind::Deliver);
    CHECK(client.replies.back() == "221 bye");
  };
  std::string s1, c1, s2, c2;
  std::size_t d1 = 0, d2 = 0;
  run(0, s1, c1, d1);
  run(1, s2, c2, d2);
  CHECK(s1 == s2);
  CHECK(c1 == c2);
  CHECK(s1 == "ECHO one\r\nSTARTTLS\r\nECHO two\r\nECHO three\r\nQUIT\r\n");
  CHECK(d1 == 5);
  CHECK(d2 == 20 + 3);  // the 20 plaintext bytes one by one; each TLS record once it is complete
}

TEST_CASE("timers: the server's idle timeout fires in virtual time") {
  toy::Server::Options so;
  so.idle_timeout = sec(30);
  toy::Client::Options co;
  co.think = minutes(1);
  toy::Server server(so);
  toy::Client client({"ECHO late"}, co);
  PipeOptions o;
  o.one_way_delay = msec(50);
  EnginePipe pipe(client, server, o);
  CHECK(pipe.run() == PipeStop::Finished);
  std::vector<std::string> lines;
  for (const auto& r : pipe.records())
    if (r.kind == Kind::Timer || r.kind == Kind::Close || r.kind == Kind::Closed)
      lines.push_back(format_time(r.time) + " " + to_string(r.side) + " " + to_string(r.kind) + " " + r.text);
  CHECK(lines == std::vector<std::string>{
                     "00:00:30.000 server timer ",
                     "00:00:30.000 server close engine closed",
                     "00:00:30.050 client closed peer closed (FIN)",
                     "00:00:30.050 client close peer closed (FIN)",
                 });
  CHECK(client.replies == std::vector<std::string>{"200 toy ready", "421 idle timeout"});
  CHECK(client.closed_by_peer);
  CHECK_FALSE(contains(pipe.written(Side::Client), "ECHO late"));  // its timer was cancelled
}

TEST_CASE("run stops at a time limit or a step limit and can go on") {
  toy::Server server;
  toy::Client client({"ECHO a", "QUIT"});
  PipeOptions o;
  o.one_way_delay = sec(1);
  EnginePipe pipe(client, server, o);
  CHECK(pipe.run(msec(1500)) == PipeStop::TimeLimit);
  CHECK(pipe.now() == msec(1500));
  CHECK(client.replies == std::vector<std::string>{"200 toy ready"});
  CHECK(pipe.run(kNever, 1) == PipeStop::StepLimit);
  CHECK(pipe.delivered(Side::Server) == "ECHO a\r\n");
  CHECK(pipe.run() == PipeStop::Finished);
  CHECK(client.replies.back() == "221 bye");
}

TEST_CASE("two engines that wait for each other stop as idle") {
  toy::Server server;
  toy::Client client({});  // reads the greeting, has nothing to say
  EnginePipe pipe(client, server, {});
  CHECK(pipe.run() == PipeStop::Idle);
  CHECK(client.replies == std::vector<std::string>{"200 toy ready"});
}

TEST_CASE("TLS asked for without configuration fails cleanly") {
  toy::Server server;
  toy::Client client({"STARTTLS", "ECHO x"});
  EnginePipe pipe(client, server, {});
  CHECK(pipe.run() == PipeStop::Finished);
  REQUIRE(server.tls.size() == 1);
  CHECK_FALSE(server.tls[0].ok);
  CHECK(server.tls[0].error == "this pipe has no TLS server configuration");
  REQUIRE(client.tls.size() == 1);
  CHECK_FALSE(client.tls[0].ok);
  CHECK(client.tls[0].error == "this pipe has no TLS client configuration");
}

TEST_CASE("a server that says 220 to STARTTLS but stays in plaintext") {
  Pki pki(17);
  toy::Server::Options so;
  so.fake_starttls = true;
  toy::Server server(so);
  toy::Client client({"STARTTLS", "ECHO secret"});
  EnginePipe pipe(client, server, tls_options(pki, pki.issue("mx.b.example")));
  CHECK(pipe.run() == PipeStop::Finished);
  // the ClientHello reached the server engine as garbage "commands" (split wherever its random
  // bytes hold a LF); the plaintext 500 replies reached the client's TLS endpoint and failed it
  REQUIRE(server.commands.size() >= 1);
  CHECK(server.commands[0] == "STARTTLS");
  CHECK(contains(pipe.delivered(Side::Server), std::string("\x16\x03\x01", 3)));
  CHECK(contains(pipe.wire(Side::Server), "500 unknown command\r\n"));
  REQUIRE(client.tls.size() == 1);
  CHECK_FALSE(client.tls[0].ok);
  CHECK(client.tls[0].error == "wrong version number");
  CHECK_FALSE(contains(pipe.wire(Side::Client), "secret"));
  CHECK(server.closed_by_peer);
}

TEST_CASE("the same seed replays the same run byte for byte") {
  auto run = [](std::uint64_t seed) {
    Pki pki(seed);
    toy::Server server;
    toy::Client client({"ECHO a", "STARTTLS", "ECHO b", "QUIT"});
    PipeOptions o = tls_options(pki, pki.issue("mx.b.example"));

    o.one_way_delay = msec(3);
    EnginePipe pipe(client, server, o);
    pipe.run();
    return pipe.format() + pipe.wire(Side::Client) + pipe.wire(Side::Server);
  };
  std::string a = run(77), b = run(77), c = run(78);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(contains(a, "application_data"));
}
