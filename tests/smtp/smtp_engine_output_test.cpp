// smtp_engine_output_test.cpp - take_output_into (the drivers' buffer-reusing drain) hands out
// exactly what take_output does, for the server and the client engine, whatever the buffer held.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_server.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;

namespace {

// OnePolicy - b.example with bob; everything accepted is counted.
struct OnePolicy : ServerPolicy {
  int stored = 0;
  bool is_local_domain(std::string_view d) override { return d == "b.example"; }
  bool recipient_exists(std::string_view a) override { return a == "bob@b.example"; }
  bool may_relay(const SessionFacts&) override { return false; }
  bool check_credentials(std::string_view, std::string_view) override { return false; }
  AcceptResult accept_message(const SessionFacts&, const Envelope&, std::string) override {
    return AcceptResult::stored("Q" + std::to_string(++stored));
  }
};

// Drained - everything an engine handed out, flattened for comparison.
struct Drained {
  std::string bytes;
  std::vector<std::string> events;
  int start_tls = 0, close = 0;
  void add(const EngineOutput& o) {
    bytes += o.bytes;
    for (const auto& e : o.events) events.push_back(std::to_string(int(e.kind)) + " " + std::to_string(e.code) + " " + e.text);
    start_tls += o.start_tls;
    close += o.close;
  }
  bool operator==(const Drained&) const = default;
};

// feed_both - the same inputs to two identical engines; a drains with take_output, b with
// take_output_into over one reused buffer that starts out dirty.
template <class E>
std::pair<Drained, Drained> feed_both(E& a, E& b, const std::vector<std::string>& inputs, EngineOutput& buf) {
  Drained da, db;
  a.on_open(0);
  b.on_open(0);
  da.add(a.take_output());
  b.take_output_into(buf);
  db.add(buf);
  SimTime t = 0;
  for (const std::string& in : inputs) {
    t += msec(10);
    a.on_bytes(in, t);
    b.on_bytes(in, t);
    da.add(a.take_output());
    b.take_output_into(buf);
    db.add(buf);
  }
  return {da, db};
}

const std::vector<std::string> kClientLines = {
    "EHLO c.a.example\r\n", "MAIL FROM:<a@a.example>\r\nRCPT TO:<bob@b.example>\r\nRCPT TO:<nobody@b.example>\r\nDATA\r\n",
    "Subject: x\r\n\r\nhello\r\n.\r\n", "NOOP\r\n", "QUIT\r\n"};

}  // namespace

TEST_CASE("server: take_output_into drains what take_output drains, into a dirty buffer", "[smtp][engine]") {
  ServerConfig cfg;
  cfg.hostname = "mx.b.example";
  OnePolicy p1, p2;
  SmtpServer a(cfg, p1, PeerInfo{"192.0.2.1", "c.a.example"});
  SmtpServer b(cfg, p2, PeerInfo{"192.0.2.1", "c.a.example"});
  EngineOutput buf;
  buf.bytes = "stale bytes";
  buf.events.push_back(ProtoEvent{ProtoEvent::Kind::Note, 1, "stale"});
  buf.close = true;
  auto [da, db] = feed_both(a, b, kClientLines, buf);
  CHECK(da == db);
  CHECK(db.bytes.find("250 2.0.0") != std::string::npos);  // the message was accepted
  CHECK(db.close == 1);
  CHECK(p2.stored == 1);
  b.take_output_into(buf);
  CHECK(buf.empty());  // nothing twice, nothing stale
}

TEST_CASE("client: take_output_into drains what take_output drains", "[smtp][engine]") {
  ClientConfig cfg;
  cfg.helo_name = "c.a.example";
  cfg.server_name = "mx.b.example";
  cfg.tls = TlsMode::None;
  SmtpClient a(cfg), b(cfg);
  OutgoingMessage m;
  m.reverse_path = "a@a.example";
  Recipient bob;
  bob.address = "bob@b.example";
  m.recipients.push_back(bob);
  m.data = "Subject: x\r\n\r\nhello\r\n";
  a.enqueue(m);
  b.enqueue(m);
  a.no_more_messages();
  b.no_more_messages();
  const std::vector<std::string> replies = {"220 mx.b.example ESMTP\r\n", "250-mx.b.example\r\n250 PIPELINING\r\n",
                                            "250 ok\r\n250 ok\r\n354 go\r\n", "250 queued\r\n", "221 bye\r\n"};
  EngineOutput buf;
  buf.bytes = "stale";
  auto [da, db] = feed_both(a, b, replies, buf);
  CHECK(da == db);
  CHECK(db.bytes.find("MAIL FROM:<a@a.example>") != std::string::npos);
  CHECK(db.bytes.find("QUIT\r\n") != std::string::npos);
}
