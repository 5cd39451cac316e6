// lessons_mta_chain_test.cpp - a relay chain (MSA -> relay MTA -> MX -> MDA) leaves the trace a
// real one leaves: one Received header per hop, newest on top, then Return-Path and Delivered-To.
#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

const char* kChain = R"(
seed: 7
domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,        role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example,   role: msa, relay_to: relay.a.example }
  - { name: relay.a.example, role: mta }
  - { name: mx.a.example,    role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example,   role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,    role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example,   role: mda, mailboxes: [b.example] }
  - { name: dns,             role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, relay.a.example], latency: 1ms }
  - { between: [relay.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: hello, at: 1s, from: a@a.example, to: b@b.example, subject: Hello, body: "Hi B,\nlunch?\n" }
expect:
  - { delivered: b@b.example, message: hello, by: 1m }
  - { lost: 0 }
  - { duplicates: 0 }
  - { queued: 0 }
)";

// ip_of - a host's address as text.
std::string ip_of(World& w, const std::string& host) { return ipv4_to_string(w.net.host_ip(*w.net.find_host(host))); }

// queue_id_at - the queue id `host` gave the message (from its "queued from" trace line).
std::string queue_id_at(World& w, const std::string& host) {
  for (const QueueLine& q : queue_lines(w, ": queued from ", host)) return q.text.substr(0, q.text.find(':'));
  return {};
}

}  // namespace

TEST_CASE("relay chain: one Received per hop, in order, then Return-Path and Delivered-To") {
  Lesson l = run_lesson(kChain);
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();

  auto box = mailbox(w, "mda.b.example", "b@b.example");
  REQUIRE(box.size() == 1);
  const mail::Message& m = box[0];
  INFO(m.serialize());

  // The final delivery's own fields come first, as local(8) writes them.
  REQUIRE(m.headers().size() >= 2);
  CHECK(m.headers()[0].name() == "Return-Path");
  CHECK(m.get("Return-Path").value_or("") == "<a@a.example>");
  CHECK(m.headers()[1].name() == "Delivered-To");
  CHECK(m.get("Delivered-To").value_or("") == "b@b.example");

  // One Received per server that took responsibility, first hop first.
  std::vector<mail::ReceivedHop> hops = mail::parse_received_chain(m);
  struct Want { const char* by; const char* from; const char* with; };
  const std::vector<Want> want = {
      {"msa.a.example", "client-a", "ESMTPSA"},  // submission: STARTTLS + AUTH
      {"relay.a.example", "msa.a.example", "ESMTPS"},
      {"mx.b.example", "relay.a.example", "ESMTPS"},
      {"mda.b.example", "mx.b.example", "ESMTPS"},
  };
  REQUIRE(hops.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("hop " << i + 1 << ": by " << hops[i].by);
    CHECK(hops[i].by == want[i].by);
    CHECK(hops[i].from == want[i].from);                   // the HELO name the client gave
    CHECK(hops[i].from_ip == ip_of(w, want[i].from));      // the address it connected from
    CHECK(hops[i].with == want[i].with);
    CHECK(hops[i].id == queue_id_at(w, want[i].by));       // that server's queue id
    CHECK(hops[i].for_rcpt == "b@b.example");
    CHECK(hops[i].tls.rfind("TLSv1.3 with cipher ", 0) == 0);
    CHECK(hops[i].tls.find(" bits)") != std::string::npos);  // "(256/256 bits)" like Postfix
    REQUIRE(hops[i].unix_time);
    if (i) CHECK(*hops[i].unix_time >= *hops[i - 1].unix_time);
  }
  CHECK(hops[0].auth_user == "a@a.example");
  for (std::size_t i = 1; i < hops.size(); ++i) CHECK(hops[i].auth_user.empty());

  // The Received fields sit together above the client's own header section, newest on top.
  std::vector<std::string> names;
  for (const auto& h : m.headers()) names.push_back(h.name());
  REQUIRE(names.size() > 6);
  CHECK(std::vector<std::string>(names.begin() + 2, names.begin() + 6) ==
        std::vector<std::string>(4, "Received"));
  CHECK(m.get("Message-ID"));
  CHECK(m.count("Received") == 4);
}

TEST_CASE("relay chain: no hop adds a second Message-ID or Date") {
  Lesson l = run_lesson(kChain);
  REQUIRE(l.report.ok());
  auto box = mailbox(l.world(), "mda.b.example", "b@b.example");
  REQUIRE(box.size() == 1);
  CHECK(box[0].count("Message-ID") == 1);
  CHECK(box[0].count("Date") == 1);
}
