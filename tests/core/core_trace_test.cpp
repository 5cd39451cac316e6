// core_trace_test.cpp - the trace: its hash covers every field and the order of events, recording
// and byte-keeping switches, subscribers (including ones that change subscriptions or emit).
#include <catch2/catch.hpp>

#include <functional>
#include <set>
#include <vector>

#include "sim/core/trace.hpp"

using namespace smtpsim;

namespace {
TraceEvent sample() {
  TraceEvent e;
  e.time = 1500;
  e.kind = TraceKind::BytesSent;
  e.host = "a";
  e.peer = "b";
  e.conn = 3;
  e.src_ip = 0x0a000001;
  e.dst_ip = 0x0a000002;
  e.src_port = 49152;
  e.dst_port = 25;
  e.code = 250;
  e.text = "text";
  e.data = "EHLO a\r\n";
  e.msg = "m1";
  e.rcpt = "x@b";
  return e;
}

std::uint64_t hash_of(const std::vector<TraceEvent>& evs) {
  Trace t;
  for (const auto& e : evs) t.emit(e);
  return t.hash();
}
}  // namespace

TEST_CASE("identical event sequences hash equal") {
  CHECK(hash_of({sample(), sample()}) == hash_of({sample(), sample()}));
  Trace empty;
  CHECK(empty.hash_hex() == "cbf29ce484222325");
  CHECK(empty.hash_hex().size() == 16);
}

TEST_CASE("changing any single field changes the hash") {
  const std::vector<std::pair<const char*, std::function<void(TraceEvent&)>>> changes = {
      {"time", [](TraceEvent& e) { e.time += 1; }},
      {"kind", [](TraceEvent& e) { e.kind = TraceKind::BytesDelivered; }},
      {"host", [](TraceEvent& e) { e.host = "c"; }},
      {"peer", [](TraceEvent& e) { e.peer = "c"; }},
      {"conn", [](TraceEvent& e) { e.conn = 4; }},
      {"src_ip", [](TraceEvent& e) { e.src_ip += 1; }},
      {"dst_ip", [](TraceEvent& e) { e.dst_ip += 1; }},
      {"src_port", [](TraceEvent& e) { e.src_port += 1; }},
      {"dst_port", [](TraceEvent& e) { e.dst_port = 587; }},
      {"code", [](TraceEvent& e) { e.code = -1; }},
      {"text", [](TraceEvent& e) { e.text += "."; }},
      {"data", [](TraceEvent& e) { e.data[0] = 'h'; }},
      {"msg", [](TraceEvent& e) { e.msg = "m2"; }},
      {"rcpt", [](TraceEvent& e) { e.rcpt = ""; }},
      // Moving bytes between adjacent string fields must not collide.
      {"host/peer split", [](TraceEvent& e) { e.host = "ab"; e.peer = ""; }},
  };
  const std::uint64_t base = hash_of({sample()});
  std::set<std::uint64_t> seen{base};
  for (auto& [name, change] : changes) {
    INFO(name);
    TraceEvent e = sample();
    change(e);
    std::uint64_t h = hash_of({e});
    CHECK(h != base);
    seen.insert(h);
  }
  CHECK(seen.size() == changes.size() + 1);
}

TEST_CASE("order matters, and so does the number of events") {
  TraceEvent a = sample(), b = sample();
  b.time = 2000;
  CHECK(hash_of({a, b}) != hash_of({b, a}));
  CHECK(hash_of({a}) != hash_of({a, a}));
}

TEST_CASE("recording off keeps the hash; keep_bytes off drops stored bytes only") {
  Trace full, off, nobytes;
  off.set_recording(false);
  nobytes.set_keep_bytes(false);
  std::vector<std::string> seen;
  nobytes.subscribe([&](const TraceEvent& e) { seen.push_back(e.data); });
  for (Trace* t : {&full, &off, &nobytes}) {
    t->emit(sample());
    t->emit(sample());
  }
  CHECK(full.hash() == off.hash());
  CHECK(full.hash() == nobytes.hash());
  CHECK(off.events().empty());
  CHECK(off.count() == 2);
  REQUIRE(nobytes.events().size() == 2);
  CHECK(nobytes.events()[0].data.empty());
  CHECK(full.events()[0].data == "EHLO a\r\n");
  CHECK(seen == std::vector<std::string>{"EHLO a\r\n", "EHLO a\r\n"});  // subscribers see the bytes
}

TEST_CASE("emit_view is emit without the copies: same hash, same stored and watched event") {
  const TraceEvent e = sample();
  TraceView v = TraceView::of(e);
  Trace by_event, by_view, quiet, nobytes;
  quiet.set_recording(false);
  nobytes.set_keep_bytes(false);
  std::vector<std::string> seen;
  by_view.subscribe([&](const TraceEvent& got) { seen.push_back(got.host + "|" + got.data + "|" + got.rcpt); });
  by_event.emit(e);
  by_view.emit_view(v);
  quiet.emit_view(v);
  nobytes.emit_view(v);
  CHECK(by_view.hash() == by_event.hash());
  CHECK(quiet.hash() == by_event.hash());
  CHECK(quiet.count() == 1);
  CHECK(quiet.events().empty());
  REQUIRE(by_view.events().size() == 1);
  CHECK(hash_of(by_view.events()) == by_event.hash());  // every field survived the copy
  CHECK(seen == std::vector<std::string>{e.host + "|" + e.data + "|" + e.rcpt});
  REQUIRE(nobytes.events().size() == 1);
  CHECK(nobytes.events()[0].data.empty());
  v.text = "changed";
  Trace other;
  other.emit_view(v);
  CHECK(other.hash() != by_event.hash());
}

TEST_CASE("subscribers: order, unsubscribe, and changes made from inside a callback") {
  Trace t;
  std::vector<std::string> log;
  std::size_t h1 = 0, h3 = 0;
  h1 = t.subscribe([&](const TraceEvent& e) {
    log.push_back("s1:" + e.text);
    t.unsubscribe(h1);  // itself, while running
  });
  t.subscribe([&](const TraceEvent& e) {
    log.push_back("s2:" + e.text);
    if (e.text == "first") {
      h3 = t.subscribe([&](const TraceEvent& e2) { log.push_back("s3:" + e2.text); });
      TraceEvent inner;
      inner.text = "inner";
      t.emit(inner);  // nested: stored after the outer event, like its hash order
    }
  });
  TraceEvent e;
  e.text = "first";
  t.emit(e);
  e.text = "second";
  t.emit(e);
  t.unsubscribe(h3);
  e.text = "third";
  t.emit(e);
  CHECK(log == std::vector<std::string>{"s1:first", "s2:first", "s2:inner", "s2:second", "s3:second",
                                        "s2:third"});
  REQUIRE(t.events().size() == 4);
  CHECK(t.events()[0].text == "first");
  CHECK(t.events()[1].text == "inner");
  // The stored order hashes to the same value as a fresh trace of the same events.
  CHECK(hash_of(t.events()) == t.hash());
}

TEST_CASE("event kinds have stable names; IPv4 text round-trips") {
  CHECK(std::string(to_string(TraceKind::BytesDelivered)) == "bytes_delivered");
  CHECK(std::string(to_string(TraceKind::ConnOpen)) == "conn_open");
  CHECK(std::string(to_string(TraceKind::Dns)) == "dns");
  std::uint32_t ip = 0;
  CHECK(parse_ipv4("192.168.1.20", ip));
  CHECK(ip == 0xc0a80114);
  CHECK(ipv4_to_string(ip) == "192.168.1.20");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "1234.1.1.1"})
    CHECK_FALSE(parse_ipv4(bad, ip));
}
