// net_hops_test.cpp - the hop observer: every chunk and datagram reported per hop with the times
// the timing model gave it (latency + serialisation, store and forward), and no trace change.
#include <catch2/catch.hpp>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
// hop_line - "a>r 0/2 w=.. d=.. a=.. n=.. @.." for table assertions.
std::string hop_line(const Net& n, const HopRecord& h) {
  return n.net.host_name(h.from) + ">" + n.net.host_name(h.to) + " " + std::to_string(h.hop) + "/" +
         std::to_string(h.hops) + " w=" + std::to_string(h.written) + " d=" + std::to_string(h.depart) +
         " a=" + std::to_string(h.arrive) + " n=" + std::to_string(h.bytes) + " @" + std::to_string(h.offset) +
         (h.fin ? " fin" : "");
}
}  // namespace

TEST_CASE("hop observer: back-to-back chunks over two hops match latency/bandwidth arithmetic") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), r = n.host("r", "10.0.0.254"), b = n.host("b", "10.0.1.1");
  n.link(a, r, msec(10), 1'000'000);  // 8 us per byte
  n.link(r, b, msec(5), 8'000'000);   // 1 us per byte
  auto p = connect_pair(n, a, b);
  REQUIRE(p->client);
  REQUIRE(n.sched.now() == 30000);
  std::vector<std::string> got;
  std::uint64_t conn = 0;
  n.net.set_hop_observer([&](const HopRecord& h) {
    got.push_back(hop_line(n, h));
    conn = h.conn;
  });
  p->client->write(std::string(1000, 'x'));
  p->client->write(std::string(10, 'y'));
  n.sched.run();
  CHECK(conn == p->client->id());
  // chunk 1: a>r departs 30000, 8000 us on the wire + 10 ms -> 48000; r>b 1000 us + 5 ms -> 54000.
  // chunk 2: waits for a>r to finish chunk 1 (38000), 80 us + 10 ms -> 48080; r>b free at 49000,
  // so it departs 49000, 10 us + 5 ms -> 54010.
  CHECK(got == std::vector<std::string>{
                   "a>r 0/2 w=30000 d=30000 a=48000 n=1000 @0",
                   "r>b 1/2 w=30000 d=48000 a=54000 n=1000 @0",
                   "a>r 0/2 w=30000 d=38000 a=48080 n=10 @1000",
                   "r>b 1/2 w=30000 d=49000 a=54010 n=10 @1000",
               });
  // The observed arrival is when the receiver gets the bytes.
  REQUIRE(p->srec.lines.size() == 2);
  CHECK(p->srec.lines[0].rfind("t=54000 data:", 0) == 0);
  CHECK(p->srec.lines[1].rfind("t=54010 data:", 0) == 0);
}

TEST_CASE("hop observer: datagrams are reported with conn 0; observing leaves the trace hash alone") {
  auto run = [](bool observe) {
    Net n;
    HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
    n.link(a, b, msec(7), 8'000'000);
    std::vector<HopRecord> hops;
    if (observe) n.net.set_hop_observer([&](const HopRecord& h) { hops.push_back(h); });
    n.net.send_datagram(a, b, 100, [] {});
    auto p = connect_pair(n, a, b);
    p->client->write("HELLO\r\n");
    p->server->write("250 ok\r\n");
    n.sched.run();
    return std::make_pair(n.trace.hash(), hops);
  };
  auto [h0, none] = run(false);
  auto [h1, hops] = run(true);
  CHECK(h0 == h1);
  CHECK(none.empty());
  REQUIRE(hops.size() == 3);
  CHECK(hops[0].conn == 0);
  CHECK(hops[0].depart == 0);
  CHECK(hops[0].arrive == 7000 + 100);
  CHECK(hops[1].conn == 1);
  CHECK(hops[1].bytes == 7);
  CHECK(hops[2].bytes == 8);
  CHECK(hops[2].sender == hops[1].to);
}
