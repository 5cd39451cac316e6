// smtp_server_harness.hpp - test scaffolding for the SMTP server engine: a tiny in-memory policy
// (one local domain, a user table, a password table, a spool) and a driver that feeds bytes,
// runs timers in virtual time and collects output bytes and events.
#pragma once
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/core/ascii.hpp"
#include "sim/core/base64.hpp"
#include "sim/smtp/smtp_server.hpp"

namespace smtpsim::smtp::test {

// StoredMessage - what TestPolicy::accept_message received.
struct StoredMessage {
  std::string id;
  SessionFacts facts;
  Envelope env;
  std::string data;
};

// TestPolicy - local domain b.example with users bob and carol; relay only when `relay` is set;
// password "secret" for alice.
struct TestPolicy : ServerPolicy {
  std::set<std::string> local_domains{"b.example"};
  std::set<std::string> users{"bob@b.example", "carol@b.example"};
  std::map<std::string, std::string> passwords{{"alice", "secret"}};
  bool relay = false;
  bool relay_when_authenticated = true;
  std::optional<ServerReply> store_error;
  std::vector<StoredMessage> stored;
  int next_id = 1;
  int credential_checks = 0;

  bool is_local_domain(std::string_view d) override {
    return local_domains.count(ascii_lower_copy(d)) > 0;
  }
  bool recipient_exists(std::string_view a) override {
    return users.count(ascii_lower_copy(a)) > 0;
  }
  bool may_relay(const SessionFacts& s) override {
    return relay || (relay_when_authenticated && !s.auth_user.empty());
  }
  bool check_credentials(std::string_view user, std::string_view password) override {
    ++credential_checks;
    auto it = passwords.find(std::string(user));
    return it != passwords.end() && it->second == password;
  }
  AcceptResult accept_message(const SessionFacts& s, const Envelope& env, std::string message) override {
    if (store_error) return AcceptResult::refused(*store_error);
    std::string id = "Q" + std::to_string(next_id++);
    stored.push_back(StoredMessage{id, s, env, std::move(message)});
    return AcceptResult::stored(id);
  }
};

// Harness - one server session driven by hand.
struct Harness {
  TestPolicy policy;
  ServerConfig cfg;
  std::unique_ptr<SmtpServer> srv;
  SimTime now = 0;
  std::string out;                 // every byte the server wrote
  std::vector<ProtoEvent> events;  // every event
  bool closed = false;             // the server asked to close
  bool start_tls = false;          // the server asked for TLS (latest step)

  Harness() { cfg.hostname = "mx.b.example"; }

  // make - build the engine (after cfg/policy are set up).
  SmtpServer& make(PeerInfo peer = {"192.0.2.10", "client.example"}) {
    srv = std::make_unique<SmtpServer>(cfg, policy, peer);
    return *srv;
  }
  // collect - drain output; returns the bytes written by this step.
  std::string collect() {
    EngineOutput o = srv->take_output();
    out += o.bytes;
    for (auto& e : o.events) events.push_back(e);
    closed = closed || o.close;
    start_tls = o.start_tls;
    return o.bytes;
  }
  // open - connect: returns the greeting bytes.
  std::string open() {
    if (!srv) make();
    srv->on_open(now);
    return collect();
  }
  // send - client bytes in, server bytes out (of this call).
  std::string send(std::string_view bytes) {
    srv->on_bytes(bytes, now);
    return collect();
  }
  // send_split - the same bytes one at a time; returns everything written.
  std::string send_bytewise(std::string_view bytes) {
    std::string all;
    for (char c : bytes) all += send(std::string_view(&c, 1));
    return all;
  }
  // advance - move virtual time forward by d, firing due timers; returns the bytes written.
  std::string advance(Duration d) {
    SimTime until = now + d;
    std::string all;
    while (srv->deadline() <= until) {
      now = std::max(now, srv->deadline());
      srv->on_timer(now);
      all += collect();
    }
    now = until;
    return all;
  }
  // tls_done - finish the handshake the server asked for.
  void tls_done(bool ok = true) {
    TlsInfo info;
    info.ok = ok;
    info.version = "TLSv1.3";
    info.cipher = "TLS_AES_256_GCM_SHA384";
    if (!ok) info.error = "handshake failure";
    srv->on_tls(info, now);
    collect();
  }
  // count_events - events of a kind whose text contains `needle`.
  int count_events(ProtoEvent::Kind k, std::string_view needle = {}) const {
    int n = 0;
    for (const auto& e : events)
      if (e.kind == k && e.text.find(needle) != std::string::npos) ++n;
    return n;
  }
  // all_event_text - every event text joined, for "never contains" checks.
  std::string all_event_text() const {
    std::string s;
    for (const auto& e : events) s += e.text + "\n";
    return s;
  }
};

// Step - one row of a dialogue table: client bytes and the exact server bytes they produce.
struct Step {
  std::string in;
  std::string out;
};

// run_steps - feed each row and check the reply bytes; the rows print on failure.
inline void run_steps(Harness& h, const std::vector<Step>& steps) {
  for (const Step& s : steps) {
    INFO("client sent: " << s.in);
    CHECK(h.send(s.in) == s.out);
  }
}

// b64 - RFC 4648 base64 with padding (test input).
inline std::string b64(std::string_view in) { return base64_encode(in); }

// kEhloReply - the EHLO reply of the default test configuration.
inline const std::string kEhloReply =
    "250-mx.b.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-ENHANCEDSTATUSCODES\r\n"
    "250-8BITMIME\r\n250-DSN\r\n250 HELP\r\n";

// greeted - a harness that has sent EHLO.
inline void greet(Harness& h) {
  h.open();
  h.send("EHLO client.example\r\n");
}

}  // namespace smtpsim::smtp::test
