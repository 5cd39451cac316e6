// export_pcap_tls_test.cpp - an SMTP session that upgrades with STARTTLS, its TLS 1.3 bytes made by
// two real OpenSSL endpoints over memory BIOs: tshark must show the STARTTLS exchange as SMTP and
// everything after it as TLS records; the transcript shows the commands and says the data is hidden.
#include <catch2/catch.hpp>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include "export/export_fixtures.hpp"
#include "export/export_tshark.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_transcript.hpp"

using namespace exporttest;
using namespace smtpsim;
using namespace smtpsim::exporter;

namespace {

struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(X509* x) const { X509_free(x); }
};

// TlsPair - a TLS client and server joined by memory BIOs; bytes move only when the test says so,
// so each flight of ciphertext becomes one traced write.
class TlsPair {
 public:
  TlsPair() {
    key_.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    REQUIRE(key_);
    cert_.reset(X509_new());
    X509_set_version(cert_.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert_.get()), 3600);
    X509_set_pubkey(cert_.get(), key_.get());
    X509_NAME* name = X509_get_subject_name(cert_.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("mx.b.example"), -1,
                               -1, 0);
    X509_set_issuer_name(cert_.get(), name);
    REQUIRE(X509_sign(cert_.get(), key_.get(), EVP_sha256()) > 0);

    sctx_.reset(SSL_CTX_new(TLS_server_method()));
    cctx_.reset(SSL_CTX_new(TLS_client_method()));
    REQUIRE(SSL_CTX_use_certificate(sctx_.get(), cert_.get()) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey(sctx_.get(), key_.get()) == 1);
    SSL_CTX_set_verify(cctx_.get(), SSL_VERIFY_NONE, nullptr);
    client_.reset(SSL_new(cctx_.get()));
    server_.reset(SSL_new(sctx_.get()));
    SSL_set_bio(client_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_bio(server_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(client_.get());
    SSL_set_accept_state(server_.get());
    SSL_set_tlsext_host_name(client_.get(), "mx.b.example");
  }

  SSL* side(bool client) { return client ? client_.get() : server_.get(); }

  // step - let one side run its handshake (or not) and return the ciphertext it wants to send.
  std::string step(bool client) {
    SSL* s = side(client);
    if (!SSL_is_init_finished(s)) SSL_do_handshake(s);
    return drain(s);
  }
  // feed - ciphertext arriving at one side.
  void feed(bool client, const std::string& bytes) {
    BIO_write(SSL_get_rbio(side(client)), bytes.data(), static_cast<int>(bytes.size()));
  }
  // write - plaintext from one side; returns the ciphertext.
  std::string write(bool client, const std::string& plain) {
    REQUIRE(SSL_write(side(client), plain.data(), static_cast<int>(plain.size())) == static_cast<int>(plain.size()));
    return drain(side(client));
  }
  // read - all plaintext one side can read now.
  std::string read(bool client) {
    std::string out;
    char buf[4096];
    int n;
    while ((n = SSL_read(side(client), buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
  bool done() { return SSL_is_init_finished(client_.get()) && SSL_is_init_finished(server_.get()); }

 private:
  static std::string drain(SSL* s) {
    std::string out;
    char buf[4096];
    int n;
    while ((n = BIO_read(SSL_get_wbio(s), buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
  std::unique_ptr<EVP_PKEY, SslFree> key_;
  std::unique_ptr<X509, SslFree> cert_;
  std::unique_ptr<SSL_CTX, SslFree> sctx_, cctx_;
  std::unique_ptr<SSL, SslFree> client_, server_;
};

// starttls_session - EHLO, STARTTLS, a real TLS 1.3 handshake, then the whole mail transaction
// inside TLS (Command/Reply events in plaintext, the wire bytes ciphertext). conn 7.
std::vector<TraceEvent> starttls_session() {
  TraceBuilder b;
  SimTime t0 = minutes(15);
  auto c = b.open(7, {"out1", "10.0.0.5", 49160}, {"mx.b.example", "10.0.1.2", 25}, t0, msec(15));
  b.accept(c, t0 + msec(15));
  SimTime t = b.server_says(c, t0 + msec(15), 220, {"220 mx.b.example ESMTP smtpsim"});
  t = b.client_says(c, t, "EHLO out1.a.example");
  t = b.server_says(c, t, 250, {"250-mx.b.example", "250-STARTTLS", "250 8BITMIME"});
  t = b.client_says(c, t, "STARTTLS");
  t = b.server_says(c, t, 220, {"220 2.0.0 Ready to start TLS"});
  b.conn_event(c, TraceKind::Tls, false, t - msec(15), "start (server)", 2);
  b.conn_event(c, TraceKind::Tls, true, t, "start (client)", 2);

  TlsPair tls;
  bool client = true;
  for (int flights = 0; flights < 10 && !tls.done(); ++flights) {
    std::string wire = tls.step(client);
    if (!wire.empty()) {
      t = b.bytes(c, client, t, wire);
      tls.feed(!client, wire);
    }
    client = !client;
  }
  REQUIRE(tls.done());
  // The server's session tickets (TLS 1.3) follow its last handshake step.
  std::string tickets = tls.step(false);
  if (!tickets.empty()) {
    b.bytes(c, false, t, tickets);
    tls.feed(true, tickets);
  }
  b.conn_event(c, TraceKind::Tls, true, t, "done TLSv1.3 TLS_AES_256_GCM_SHA384", 1);

  // say - a plaintext line through TLS, with its Command/Reply event; returns the arrival time.
  auto say = [&](bool from_client, SimTime at, const std::string& line, int code) {
    TraceEvent e;
    e.time = at;
    e.kind = from_client ? TraceKind::Command : TraceKind::Reply;
    e.host = from_client ? "out1" : "mx.b.example";
    e.peer = from_client ? "mx.b.example" : "out1";
    e.conn = 7;
    e.code = code;
    e.text = line;
    b.raw().push_back(e);
    std::string wire = tls.write(from_client, line + "\r\n");
    SimTime arrival = b.bytes(c, from_client, at, wire);
    tls.feed(!from_client, wire);
    CHECK(tls.read(!from_client) == line + "\r\n");
    return arrival;
  };
  t = say(true, t, "EHLO out1.a.example", 0);
  t = say(false, t, "250 mx.b.example", 250);
  t = say(true, t, "MAIL FROM:<a@a.example>", 0);
  t = say(false, t, "250 2.1.0 Ok", 250);
  t = say(true, t, "RCPT TO:<b@b.example>", 0);
  t = say(false, t, "250 2.1.5 Ok", 250);
  t = say(true, t, "DATA", 0);
  t = say(false, t, "354 End data with <CR><LF>.<CR><LF>", 354);
  std::string wire = tls.write(true, dot_stuffed(sample_message()));
  t = b.bytes(c, true, t, wire);
  tls.feed(false, wire);
  CHECK(tls.read(false) == dot_stuffed(sample_message()));
  t = say(false, t, "250 2.0.0 Ok: queued as 4F3A2", 250);
  t = say(true, t, "QUIT", 0);
  SimTime fin = t;
  t = say(false, t, "221 2.0.0 Bye", 221);
  b.close(c, false, fin);
  b.close(c, true, t);
  return b.sorted();
}

}  // namespace

TEST_CASE("pcap: after STARTTLS the capture carries the real TLS records") {
  require_tshark();
  auto events = starttls_session();
  std::ostringstream out;
  write_pcap(out, events);
  std::string path = temp_path(".pcap");
  write_file(path, out.str());
  CHECK(problems(path).empty());
  auto packets = dissect(path);
  std::remove(path.c_str());

  // SMTP in the clear up to the 220 that answers STARTTLS, nothing after it. (tshark 4.0 splits
  // STARTTLS into command "STAR" + parameter "TLS", so the request is checked by its Info column.)
  std::vector<std::string> requests;
  for (const Packet& p : packets)
    if (!p["smtp.req"].empty()) requests.push_back(p["_ws.col.Info"]);
  CHECK(requests == std::vector<std::string>{"C: EHLO out1.a.example", "C: STARTTLS"});
  CHECK(values(packets, "smtp.response.code") == std::vector<std::string>{"220", "250", "220"});
  // Then TLS: the ClientHello names the server, one ServerHello answers, the rest is application data.
  CHECK(values(packets, "tls.handshake.extensions_server_name") == std::vector<std::string>{"mx.b.example"});
  auto types = values(packets, "tls.handshake.type");
  CHECK(std::count(types.begin(), types.end(), "2") == 1);
  // TLS 1.3 hides the real content type: every record after the hellos says "application data" (23).
  std::size_t client_records = 0, server_records = 0;
  for (const Packet& p : packets)
    for (const std::string& t : split(p["tls.record.opaque_type"], '|'))
      if (t == "23") ++(p["tcp.srcport"] == "49160" ? client_records : server_records);
  CHECK(client_records >= 7);  // Finished, 6 commands, the message
  CHECK(server_records >= 7);  // handshake messages, 7 replies
  CHECK(values(packets, "imf.subject").empty());  // the message is not readable

  // The transcript keeps the plaintext dialogue and says the message went inside TLS.
  TranscriptOptions o;
  o.data = true;
  std::string text = format_transcript(events, o);
  CHECK(text.find("out1         -> mx.b.example  ** TLS start (client)\n") != std::string::npos);
  CHECK(text.find("out1         -> mx.b.example  C: MAIL FROM:<a@a.example>\n") != std::string::npos);
  CHECK(text.find("out1         -> mx.b.example  D: (message data inside TLS: ") != std::string::npos);
  CHECK(text.find("D: From:") == std::string::npos);
}
