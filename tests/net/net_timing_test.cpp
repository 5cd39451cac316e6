// net_timing_test.cpp - exact latency/bandwidth arithmetic on single and multi-hop paths, pacing of
// back-to-back writes, and the handshake's round trip.
#include <catch2/catch.hpp>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

TEST_CASE("handshake: accept after one way, client callback after one round trip") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  n.link(a, b, msec(10));
  SimTime accepted = -1, connected = -1;
  StreamPtr keep_s, keep_c;  // dropping them would close the connection
  n.net.listen(b, 25, [&](StreamPtr s) {
    keep_s = s;
    accepted = n.sched.now();
    CHECK(s->local_port() == 25);
    CHECK(s->remote_port() == 49152);
    CHECK(s->local_name() == "b");
    CHECK(s->remote_name() == "a");
  });
  n.net.connect(a, n.ip(b), 25, [&](ConnectResult r, StreamPtr s) {
    REQUIRE(r == ConnectResult::Ok);
    keep_c = s;
    connected = n.sched.now();
    CHECK(s->id() == 1);
    CHECK(s->local_ip() == n.ip(a));
    CHECK(s->remote_ip() == n.ip(b));
    CHECK(s->is_open());
  });
  n.sched.run();
  CHECK(accepted == 10000);
  CHECK(connected == 20000);
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=10000 conn_accept a>b #1 accepted by b",
                          });
  // Endpoints of the trace events are seen from the client.
  const TraceEvent& open = n.trace.events()[2];
  CHECK(open.src_ip == n.ip(a));
  CHECK(open.src_port == 49152);
  CHECK(open.dst_ip == n.ip(b));
  CHECK(open.dst_port == 25);
}

TEST_CASE("one chunk over two hops: latency plus per-link serialisation, exactly") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), r = n.host("r", "10.0.0.254"), b = n.host("b", "10.0.1.1");
  n.link(a, r, msec(10), 1'000'000);  // 1 Mbit/s: 8 us per byte
  n.link(r, b, msec(5), 8'000'000);   // 8 Mbit/s: 1 us per byte
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, r, b});
  CHECK(n.net.one_way_delay(a, b, 0) == 15000);
  CHECK(n.net.one_way_delay(a, b, 1000) == 15000 + 8000 + 1000);
  CHECK(n.net.one_way_delay(b, a, 1000) == 24000);

  auto p = connect_pair(n, a, b);
  REQUIRE(p->client);
  REQUIRE(n.sched.now() == 30000);  // SYN 15 ms + SYN-ACK 15 ms (control packets: 0 bytes)
  p->client->write(std::string(1000, 'x'));
  n.sched.run();
  REQUIRE(p->srec.lines.size() == 1);
  CHECK(p->srec.lines[0].rfind("t=54000 data:", 0) == 0);
  CHECK(n.lines({TraceKind::BytesSent, TraceKind::BytesDelivered}).size() == 2);
  CHECK(n.trace.events().back().kind == TraceKind::BytesDelivered);
  CHECK(n.trace.events().back().time == 54000);
}

TEST_CASE("back-to-back writes are paced by each link in turn (store and forward)") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), r = n.host("r", "10.0.0.254"), b = n.host("b", "10.0.1.1");
  n.link(a, r, msec(1), 1'000'000);  // both 1 Mbit/s: 1000 bytes = 8000 us, 10 bytes = 80 us
  n.link(r, b, msec(1), 1'000'000);
  auto p = connect_pair(n, a, b);
  REQUIRE(p->client);
  const SimTime t = n.sched.now();
  REQUIRE(t == 4000);
  std::vector<std::pair<SimTime, std::size_t>> got;
  p->server->set_handler({[&](std::string_view d) { got.emplace_back(n.sched.now(), d.size()); }, {}, {}});
  p->client->write(std::string(1000, 'A'));  // link1 [t, t+8000], link2 [t+9000, t+17000] -> t+18000
  p->client->write(std::string(10, 'B'));    // link1 [t+8000, t+8080], waits for link2 until t+17000
  p->client->write(std::string(500, 'C'));   // link1 [t+8080, t+12080], link2 [t+17080, t+21080]
  n.sched.run();
  CHECK(got == std::vector<std::pair<SimTime, std::size_t>>{
                   {t + 18000, 1000}, {t + 18080, 10}, {t + 22080, 500}});
}

TEST_CASE("pacing on a fast link then a slow one, and the reverse direction is independent") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), r = n.host("r", "10.0.0.254"), b = n.host("b", "10.0.1.1");
  n.link(a, r, msec(10), 1'000'000);
  n.link(r, b, msec(5), 8'000'000);
  auto p = connect_pair(n, a, b);
  const SimTime t = n.sched.now();
  std::vector<SimTime> at_b, at_a;
  p->server->set_handler({[&](std::string_view) { at_b.push_back(n.sched.now()); }, {}, {}});
  p->client->set_handler({[&](std::string_view) { at_a.push_back(n.sched.now()); }, {}, {}});
  p->client->write(std::string(1000, 'x'));  // a-r [t, t+8000] r-b [t+18000, t+19000] -> t+24000
  p->client->write(std::string(500, 'y'));   // a-r [t+8000, t+12000] r-b [t+22000, t+22500] -> t+27500
  p->server->write(std::string(1000, 'z'));  // r-b [t, t+1000] a-r [t+6000, t+14000] -> t+24000
  n.sched.run();
  CHECK(at_b == std::vector<SimTime>{t + 24000, t + 27500});
  CHECK(at_a == std::vector<SimTime>{t + 24000});
}

TEST_CASE("serialisation rounds up to whole microseconds per link") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), r = n.host("r", "10.0.0.2"), b = n.host("b", "10.0.0.3");
  n.link(a, r, 0, 3'000'000);  // 1 byte = 2.67 us -> 3 us
  n.link(r, b, 0, 3'000'000);
  CHECK(n.net.one_way_delay(a, r, 1) == 3);
  CHECK(n.net.one_way_delay(a, b, 1) == 6);
  CHECK(n.net.one_way_delay(a, b, 3) == 16);  // 8 us exactly per link
  CHECK(n.net.one_way_delay(a, b, 0) == 0);
  // Large sizes stay exact: 10 GB at 1 Gbit/s is 80 s per link.
  n.net.set_link_params(0, LinkParams{0, 1'000'000'000, 0.0});
  CHECK(n.net.one_way_delay(a, r, 10'000'000'000ULL) == sec(80));
}

TEST_CASE("datagrams take the one-way delay and are dropped when unreachable") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  LinkId l = n.link(a, b, msec(7), 8'000'000);
  std::vector<SimTime> got;
  CHECK(n.net.send_datagram(a, b, 100, [&] { got.push_back(n.sched.now()); }));
  n.sched.run();
  CHECK(got == std::vector<SimTime>{7100});
  n.net.set_link_up(l, false);
  CHECK_FALSE(n.net.send_datagram(a, b, 100, [&] { got.push_back(n.sched.now()); }));
  n.net.set_link_up(l, true);
  // In flight when the receiver crashes: silently dropped.
  CHECK(n.net.send_datagram(a, b, 100, [&] { got.push_back(n.sched.now()); }));
  n.sched.schedule_in(msec(1), [&] { n.net.crash(b); });
  n.sched.schedule_in(msec(2), [&] { n.net.restart(b); });
  n.sched.run();
  CHECK(got.size() == 1);
}
