// tls_session_test.cpp - memory-BIO TLS sessions: versions, verification, data, fragmentation,
// failures, close_notify, SNI, key log.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/core/rng.hpp"
#include "sim/tls/tls_error.hpp"
#include "sim/tls/tls_session.hpp"

using namespace smtpsim::tls;

namespace {

// feed_in - give `to` the bytes whole, or `chunk` bytes at a time.
void feed_in(Session& to, const std::string& bytes, std::size_t chunk) {
  if (chunk == 0) {
    if (!bytes.empty()) to.feed(bytes);
    return;
  }
  for (std::size_t i = 0; i < bytes.size(); i += chunk) to.feed(std::string_view(bytes).substr(i, chunk));
}

// exchange - move ciphertext both ways until it stops; returns the number of flights carried.
int exchange(Session& c, Session& s, std::size_t chunk = 0) {
  int flights = 0;
  for (int i = 0; i < 50; ++i) {
    std::string a = c.take_ciphertext();
    if (!a.empty()) ++flights;
    feed_in(s, a, chunk);
    std::string b = s.take_ciphertext();
    if (!b.empty()) ++flights;
    feed_in(c, b, chunk);
    if (a.empty() && b.empty()) break;
  }
  return flights;
}

// handshake - start the client and exchange.
int handshake(Session& c, Session& s, std::size_t chunk = 0) {
  c.start();
  return exchange(c, s, chunk);
}

ClientOptions client_opts(Verify v, Version max = Version::Tls13) {
  ClientOptions o;
  o.verify = v;
  o.max_version = max;
  return o;
}

}  // namespace

TEST_CASE("TLS 1.3 handshake and data both ways over memory BIOs") {
  Pki pki(1);
  ServerContext sctx(pki.issue("mx.b.example"));
  ClientContext cctx({pki.ca().cert});
  Session c(cctx, {"mx.b.example"});
  Session s(sctx);
  CHECK(c.state() == SessionState::Idle);
  CHECK(c.role() == Role::Client);
  CHECK(s.role() == Role::Server);
  int flights = handshake(c, s);
  CHECK(flights == 3);  // ClientHello; ServerHello..Finished; client Finished
  REQUIRE(c.established());
  REQUIRE(s.established());
  CHECK(c.version() == "TLSv1.3");
  CHECK(s.version() == "TLSv1.3");
  CHECK(c.cipher() == "TLS_AES_256_GCM_SHA384");
  CHECK(c.group() == "X25519");
  CHECK(c.peer_verified());
  CHECK(c.verify_error().empty());
  CHECK(c.peer_subject() == "CN=mx.b.example");
  CHECK(c.peer_cert().signed_by(pki.ca().cert));
  CHECK_FALSE(s.peer_verified());  // no client certificate
  CHECK_FALSE(s.peer_cert());
  CHECK(c.server_name() == "mx.b.example");
  CHECK(s.server_name() == "mx.b.example");
  smtpsim::TlsInfo ci = c.info();
  CHECK(ci.ok);
  CHECK(ci.version == "TLSv1.3");
  CHECK(ci.cipher == "TLS_AES_256_GCM_SHA384");
  CHECK(ci.peer_verified);
  CHECK(ci.error.empty());

  CHECK(c.write("EHLO client.a.example\r\n"));
  std::string ct = c.take_ciphertext();
  CHECK(ct.find("EHLO") == std::string::npos);
  CHECK(ct.size() == 23 + 22);  // 5-byte header + 1 content type + 16-byte tag
  s.feed(ct);
  CHECK(s.take_plaintext() == "EHLO client.a.example\r\n");
  CHECK(s.take_plaintext().empty());
  s.write("250 mx.b.example\r\n");
  c.feed(s.take_ciphertext());
  CHECK(c.take_plaintext() == "250 mx.b.example\r\n");
  CHECK(c.bytes_out() > 0);
  CHECK(s.bytes_in() == c.bytes_out());
}

TEST_CASE("TLS 1.2 when either side is capped at 1.2") {
  Pki pki(1);
  SECTION("client capped") {
    ServerContext sctx(pki.issue("mx.b.example"));
    ClientContext cctx({pki.ca().cert}, client_opts(Verify::Peer, Version::Tls12));
    Session c(cctx, {"mx.b.example"}), s(sctx);
    CHECK(handshake(c, s) == 4);  // ClientHello; ServerHello..Done; CKE+CCS+Fin; CCS+Fin
    REQUIRE(c.established());
    REQUIRE(s.established());
    CHECK(c.version() == "TLSv1.2");
    CHECK(c.cipher() == "ECDHE-ECDSA-AES256-GCM-SHA384");
    CHECK(c.peer_verified());
    c.write("MAIL FROM:<a@a.example>\r\n");
    s.feed(c.take_ciphertext());
    CHECK(s.take_plaintext() == "MAIL FROM:<a@a.example>\r\n");
  }
  SECTION("server capped") {
    ServerOptions so;
    so.max_version = Version::Tls12;
    ServerContext sctx(pki.issue("mx.b.example"), so);
    ClientContext cctx({pki.ca().cert});
    Session c(cctx, {"mx.b.example"}), s(sctx);
    handshake(c, s);
    REQUIRE(c.established());
    CHECK(s.version() == "TLSv1.2");
  }
}

TEST_CASE("certificate verification: CA, host name, self-signed, expiry, opportunistic mode") {
  Pki pki(9);
  CertOptions expired;
  expired.not_after = 1609459199;  // 2020-12-31, before kSimVerifyTime (2024-01-01)
  Credential good = pki.issue("mx.b.example");
  Credential mitm = pki.self_signed("mx.b.example");
  Credential old = pki.issue("mx.b.example", expired);

  struct Row {
    const char* what;
    const Credential* server;
    const char* name;
    Verify verify;
    bool trust_ca;
    bool ok;
    bool verified;
    const char* client_error;  // substring of error() (or of verify_error() when ok)
  };
  const Row rows[] = {
      {"right name, CA", &good, "mx.b.example", Verify::Peer, true, true, true, ""},
      {"wrong name", &good, "mx.c.example", Verify::Peer, true, false, false,
       "certificate verify failed: hostname mismatch"},
      {"MITM self-signed", &mitm, "mx.b.example", Verify::Peer, true, false, false,
       "certificate verify failed: self-signed certificate"},
      {"expired", &old, "mx.b.example", Verify::Peer, true, false, false,
       "certificate verify failed: certificate has expired"},
      {"CA not trusted", &good, "mx.b.example", Verify::Peer, false, false, false,
       "unable to get local issuer certificate"},
      {"opportunistic, MITM", &mitm, "mx.b.example", Verify::None, true, true, false, "self-signed certificate"},
      {"opportunistic, wrong name", &good, "mx.c.example", Verify::None, true, true, false, "hostname mismatch"},
      {"opportunistic, good", &good, "mx.b.example", Verify::None, true, true, true, ""},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    ServerContext sctx(*r.server);
    ClientContext cctx(r.trust_ca ? std::vector<Cert>{pki.ca().cert} : std::vector<Cert>{},
                       client_opts(r.verify));
    Session c(cctx, {r.name}), s(sctx);
    handshake(c, s);
    CHECK(c.established() == r.ok);
    CHECK(c.info().ok == r.ok);
    CHECK(c.peer_verified() == r.verified);
    CHECK(c.info().peer_verified == r.verified);
    if (r.ok) {
      CHECK(s.established());
      CHECK(c.verify_error().find(r.client_error) != std::string::npos);
      if (!r.verified) CHECK_FALSE(c.verify_error().empty());
    } else {
      CHECK(c.failed());
      CHECK(c.error().find(r.client_error) != std::string::npos);
      CHECK(c.info().error == c.error());
      // the rejected certificate is still there to show, and the client's alert told the server why
      CHECK(c.peer_cert().der() == r.server->cert.der());
      CHECK(s.failed());
      CHECK(s.error().find("alert") != std::string::npos);
      CHECK_FALSE(c.write("secret"));
    }
  }
}

TEST_CASE("fragmented delivery: ciphertext fed one byte at a time") {
  Pki pki(2);
  for (Version v : {Version::Tls13, Version::Tls12}) {
    INFO(to_string(v));
    ServerContext sctx(pki.issue("mx.b.example"));
    ClientContext cctx({pki.ca().cert}, client_opts(Verify::Peer, v));
    Session c(cctx, {"mx.b.example"}), s(sctx);
    handshake(c, s, 1);
    REQUIRE(c.established());
    REQUIRE(s.established());
    CHECK(c.version() == to_string(v));
    std::string big;
    for (int i = 0; big.size() < 100000; ++i) big += "line " + std::to_string(i) + " of a large message body\r\n";
    c.write(big);
    s.write("250 ok\r\n");
    exchange(c, s, 1);
    CHECK(s.take_plaintext() == big);
    CHECK(c.take_plaintext() == "250 ok\r\n");
  }
}

TEST_CASE("garbage instead of TLS fails the handshake with a clear error, no crash") {
  Pki pki(3);
  ServerContext sctx(pki.issue("mx.b.example"));
  ClientContext cctx({pki.ca().cert});
  SECTION("server gets a plaintext SMTP line") {
    Session s(sctx);
    s.feed("MAIL FROM:<evil@x.example>\r\n");
    CHECK(s.failed());
    CHECK_FALSE(s.handshake_done());
    CHECK_FALSE(s.error().empty());
    CHECK(s.error() == "wrong version number");
    CHECK_FALSE(s.info().ok);
    CHECK(s.info().error == s.error());
    s.feed("more junk");  // ignored once failed
    CHECK_FALSE(s.write("x"));
    CHECK(s.take_plaintext().empty());
  }
  SECTION("client gets a plaintext reply instead of a ServerHello") {
    Session c(cctx, {"mx.b.example"});
    c.start();
    CHECK(c.state() == SessionState::Handshaking);
    CHECK_FALSE(c.take_ciphertext().empty());
    c.feed("500 5.5.1 command unrecognized\r\n");
    CHECK(c.failed());
    CHECK(c.error() == "wrong version number");
  }
  SECTION("random binary") {
    Session s(sctx);
    std::string junk;
    for (int i = 0; i < 600; ++i) junk += static_cast<char>((i * 37 + 11) & 0xff);
    s.feed(junk);
    CHECK(s.failed());
    CHECK_FALSE(s.error().empty());
  }
  SECTION("a valid record header announcing an oversized record") {
    Session s(sctx);
    s.feed(std::string("\x16\x03\x01\xff\xff", 5) + std::string(100, 'A'));
    CHECK(s.failed());
    CHECK_FALSE(s.error().empty());
  }
}

TEST_CASE("a tampered record breaks the session after the handshake") {
  Pki pki(4);
  ServerContext sctx(pki.issue("mx.b.example"));
  ClientContext cctx({pki.ca().cert});
  Session c(cctx, {"mx.b.example"}), s(sctx);
  handshake(c, s);
  REQUIRE(s.established());
  c.write("RCPT TO:<b@b.example>\r\n");
  std::string ct = c.take_ciphertext();
  ct[10] = static_cast<char>(ct[10] ^ 0x01);
  s.feed(ct);
  CHECK(s.failed());
  CHECK(s.handshake_done());
  CHECK(s.error().rfind("record layer: ", 0) == 0);
  CHECK(s.error().find("bad record mac") != std::string::npos);
  CHECK(s.take_plaintext().empty());
  CHECK(s.info().ok);  // the handshake itself had succeeded
}

TEST_CASE("close_notify both ways, truncation and EOF during the handshake") {
  Pki pki(5);
  ServerContext sctx(pki.issue("mx.b.example"));
  ClientContext cctx({pki.ca().cert});
  SECTION("clean bidirectional close") {
    Session c(cctx, {"mx.b.example"}), s(sctx);
    handshake(c, s);
    s.write("221 bye\r\n");
    s.close();
    CHECK(s.close_sent());
    CHECK_FALSE(s.write("late"));
    c.feed(s.take_ciphertext());
    CHECK(c.take_plaintext() == "221 bye\r\n");
    CHECK(c.close_received());
    c.close();
    s.feed(c.take_ciphertext());
    CHECK(s.close_received());
    c.transport_eof();
    CHECK_FALSE(c.truncated());
    CHECK(c.established());
  }
  SECTION("transport ends without close_notify") {
    Session c(cctx, {"mx.b.example"}), s(sctx);
    handshake(c, s);
    c.transport_eof();
    CHECK(c.truncated());
    CHECK_FALSE(c.failed());
  }
  SECTION("transport ends in the middle of the handshake") {
    Session c(cctx, {"mx.b.example"});
    c.start();
    c.take_ciphertext();
    c.transport_eof();
    CHECK(c.failed());
    CHECK(c.error() == "connection closed during the TLS handshake");
  }
  SECTION("close before the handshake is done waits for it") {
    Session c(cctx, {"mx.b.example"}), s(sctx);
    c.start();
    c.write("QUIT\r\n");
    c.close();
    CHECK_FALSE(c.close_sent());
    exchange(c, s);
    CHECK(c.close_sent());
    CHECK(s.take_plaintext() == "QUIT\r\n");
    CHECK(s.close_received());
  }
}

TEST_CASE("SNI picks the server certificate") {
  Pki pki(6);
  ServerContext sctx(pki.issue("mx.a.example"));
  sctx.add_credential(pki.issue("mx.b.example", {{"mail.b.example"}}));
  CHECK(sctx.credential_for("mail.b.example").cert.common_name() == "mx.b.example");
  CHECK(sctx.credential_for("unknown.example").cert.common_name() == "mx.a.example");
  CHECK(sctx.credential_for("").cert.common_name() == "mx.a.example");
  ClientContext cctx({pki.ca().cert});

  struct Row {
    const char* name;
    bool send_sni;
    const char* cn;
    bool ok;
  };
  const Row rows[] = {
      {"mx.b.example", true, "mx.b.example", true},
      {"mail.b.example", true, "mx.b.example", true},
      {"mx.a.example", true, "mx.a.example", true},
      {"mx.b.example", false, "mx.a.example", false},  // no SNI: default cert, name mismatch
  };
  for (const auto& r : rows) {
    INFO(r.name << " sni=" << r.send_sni);
    ClientParams p;
    p.server_name = r.name;
    p.send_sni = r.send_sni;
    Session c(cctx, p), s(sctx);
    handshake(c, s);
    CHECK(c.established() == r.ok);
    CHECK(c.peer_cert().common_name() == r.cn);  // shown even when rejected
    if (!r.ok) CHECK(c.error() == "certificate verify failed: hostname mismatch");
    CHECK(s.server_name() == (r.send_sni ? r.name : ""));
  }
  SECTION("an extra credential with a mismatched key is refused") {
    Credential bad = pki.issue("x.example");
    bad.key = pki.issue("y.example").key;
    CHECK_THROWS_AS(sctx.add_credential(bad), TlsError);
  }
}

TEST_CASE("key log lines let Wireshark decrypt the capture") {
  Pki pki(7);
  ServerContext sctx(pki.issue("mx.b.example"));
  SECTION("TLS 1.3") {
    ClientContext cctx({pki.ca().cert});
    Session c(cctx, {"mx.b.example"}), s(sctx);
    handshake(c, s);
    std::vector<std::string> labels;
    for (const auto& l : c.keylog()) labels.push_back(l.substr(0, l.find(' ')));
    std::sort(labels.begin(), labels.end());
    CHECK(labels == std::vector<std::string>{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                                             "EXPORTER_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                                             "SERVER_TRAFFIC_SECRET_0"});
    std::vector<std::string> cl = c.keylog(), sl = s.keylog();
    std::sort(cl.begin(), cl.end());
    std::sort(sl.begin(), sl.end());
    CHECK(cl == sl);  // both ends log the same secrets
  }
  SECTION("TLS 1.2") {
    ClientContext cctx({pki.ca().cert}, client_opts(Verify::Peer, Version::Tls12));
    Session c(cctx, {"mx.b.example"}), s(sctx);
    handshake(c, s);
    REQUIRE(c.keylog().size() == 1);
    CHECK(c.keylog()[0].rfind("CLIENT_RANDOM ", 0) == 0);
    CHECK(c.keylog()[0].size() == 14 + 64 + 1 + 96);
  }
}

TEST_CASE("bad context options are refused with the option named") {
  Pki pki(8);
  ServerOptions so;
  so.cipher_list = "NO-SUCH-CIPHER";
  CHECK_THROWS_WITH(ServerContext(pki.issue("mx.b.example"), so), Catch::Contains("TLS 1.2 cipher list"));
  ClientOptions co;
  co.min_version = Version::Tls13;
  co.max_version = Version::Tls12;
  CHECK_THROWS_WITH(ClientContext({}, co), Catch::Contains("min_version is above max_version"));
  co = ClientOptions();
  co.groups = "NOPE";
  CHECK_THROWS_WITH(ClientContext({}, co), Catch::Contains("TLS groups"));
  CHECK_THROWS_WITH(ServerContext(Credential{}), Catch::Contains("needs a certificate"));
}

TEST_CASE("version mismatch: a 1.3-only client and a 1.2-only server cannot agree") {
  Pki pki(9);
  ServerOptions so;
  so.max_version = Version::Tls12;
  ClientOptions co;
  co.min_version = Version::Tls13;
  ServerContext sctx(pki.issue("mx.b.example"), so);
  ClientContext cctx({pki.ca().cert}, co);
  Session c(cctx, {"mx.b.example"}), s(sctx);
  handshake(c, s);
  CHECK(s.failed());
  CHECK(c.failed());
  CHECK(s.error().find("protocol") != std::string::npos);
  CHECK(c.error().find("alert protocol version") != std::string::npos);
}

TEST_CASE("mutated handshake flights never crash and always end in a clear state") {
  Pki pki(10);
  ServerContext sctx(pki.issue("mx.b.example"));
  ClientContext cctx({pki.ca().cert});
  // one genuine flight each way, to mutate
  Session c0(cctx, {"mx.b.example"}), s0(sctx);
  c0.start();
  std::string hello = c0.take_ciphertext();
  s0.feed(hello);
  std::string reply = s0.take_ciphertext();
  REQUIRE(hello.size() > 100);
  REQUIRE(reply.size() > 300);

  smtpsim::Rng rng(2024);
  int failed = 0;
  for (int i = 0; i < 300; ++i) {
    bool to_server = i % 2 == 0;
    std::string m = to_server ? hello : reply;
    int flips = 1 + static_cast<int>(rng.below(4));
    for (int f = 0; f < flips; ++f) m[rng.below(m.size())] = static_cast<char>(rng.below(256));
    if (rng.chance(0.2)) m.resize(rng.below(m.size()));
    Session c(cctx, {"mx.b.example"}), s(sctx);
    Session& target = to_server ? s : c;
    if (!to_server) {
      c.start();
      c.take_ciphertext();
    }
    target.feed(m);
    INFO("case " << i);
    CHECK(target.state() != SessionState::Established);  // a real client is still missing
    if (target.failed()) {
      ++failed;
      CHECK_FALSE(target.error().empty());
      CHECK_FALSE(target.info().ok);
    }
    target.transport_eof();
    CHECK(target.failed());
  }
  CHECK(failed > 200);  // most mutations are detected at once; the rest wait for more bytes
}
