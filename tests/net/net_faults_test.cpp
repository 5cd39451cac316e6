// net_faults_test.cpp - host crashes (both sides reset, hooks, restart), stall timeouts on a dead
// link, recovery by retransmission, and loss shown as retransmission delay.
#include <catch2/catch.hpp>

#include <set>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
struct TwoHosts : Net {
  using Net::Net;
  HostId a = host("a", "10.0.0.1");
  HostId b = host("b", "10.0.0.2");
  LinkId l = link(a, b, msec(10));
};
}  // namespace

TEST_CASE("crash: the crashed side is reset at once (before the hooks), the peer when the RST arrives") {
  TwoHosts n;
  std::vector<std::string> order;
  n.net.on_host_change([&](HostId h, bool up) {
    order.push_back("hook " + n.net.host_name(h) + (up ? " up" : " down"));
    if (up) n.net.listen(h, 25, [&](StreamPtr s) { order.push_back("accepted #" + std::to_string(s->id())); });
  });
  auto p = connect_pair(n, n.a, n.b);
  REQUIRE(p->server);
  p->server->set_handler({{}, {}, [&](CloseReason r) { order.push_back(std::string("server ") + to_string(r)); }});
  n.net.crash(n.b, "power cut");
  CHECK(order == std::vector<std::string>{"server reset", "hook b down"});
  CHECK_FALSE(n.net.host_up(n.b));
  CHECK(n.net.host_epoch(n.b) == 1);
  CHECK_FALSE(n.net.listening(n.b, 25));
  CHECK(p->client->is_open());  // it does not know yet
  n.sched.run();
  CHECK(p->crec.lines == std::vector<std::string>{"t=30000 closed:reset"});
  CHECK(n.lines({TraceKind::HostDown, TraceKind::HostUp, TraceKind::ConnReset}) ==
        std::vector<std::string>{
            "t=0 host_up a start",
            "t=0 host_up b start",
            "t=20000 host_down b power cut",
            "t=20000 conn_reset b>a #1 host crash",
            "t=30000 conn_reset a>b #1 reset by peer",
        });
  CHECK(n.net.open_connections() == 0);

  // Restart: the hook re-listens, new connections work.
  n.net.restart(n.b);
  CHECK(order.back() == "hook b up");
  ConnectResult res = ConnectResult::Timeout;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult r, StreamPtr) { res = r; });
  n.sched.run();
  CHECK(res == ConnectResult::Ok);
  CHECK(order.back() == "accepted #2");
  CHECK(n.lines({TraceKind::HostUp}).back() == "t=30000 host_up b restart");
}

TEST_CASE("crash with the path down: the peer learns by the RST its retransmission draws") {
  TwoHosts n;
  n.net.on_host_change([&](HostId h, bool up) {
    if (up) n.net.listen(h, 25, [](StreamPtr) {});
  });
  auto p = connect_pair(n, n.a, n.b);
  n.sched.schedule_at(msec(20), [&] { n.net.set_link_up(n.l, false); });
  n.sched.schedule_at(msec(21), [&] { n.net.crash(n.b); });
  n.sched.schedule_at(msec(22), [&] { p->client->write("DATA"); });
  n.sched.schedule_at(msec(23), [&] { n.net.restart(n.b); });
  n.sched.schedule_at(sec(1), [&] { n.net.set_link_up(n.l, true); });
  n.sched.run();
  // rto = max(200 ms, 2 * 20 ms): attempts at 22, 222, 622 ms fail; 1422 ms gets through to a host
  // that no longer knows the connection; its RST reaches a 10 ms later.
  CHECK(p->crec.lines == std::vector<std::string>{"t=1442000 closed:reset"});
  CHECK(n.lines({TraceKind::ConnReset}) == std::vector<std::string>{"t=21000 conn_reset b>a #1 host crash",
                                                                    "t=1442000 conn_reset a>b #1 reset by peer"});
}

TEST_CASE("a client that crashes while connecting gets Unreachable synchronously") {
  TwoHosts n;
  StreamPtr server;
  n.net.listen(n.b, 25, [&](StreamPtr s) { server = s; });
  std::vector<std::string> log;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult r, StreamPtr s) {
    log.push_back(std::string(to_string(r)) + (s ? " stream" : " none"));
  });
  n.sched.run_until(msec(15));  // accepted at 10 ms, SYN-ACK in flight
  n.net.crash(n.a);
  CHECK(log == std::vector<std::string>{"unreachable none"});
  n.sched.run();
  CHECK(log.size() == 1);
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=10000 conn_accept a>b #1 accepted by b",
                              "t=15000 conn_reset a>b #1 host crash while connecting",
                              "t=25000 conn_reset b>a #1 reset by peer",
                          });
}

TEST_CASE("a SYN that reaches a crashed server is lost; a retry after the restart connects") {
  TwoHosts n;
  n.net.on_host_change([&](HostId h, bool up) {
    if (up) n.net.listen(h, 25, [](StreamPtr) {});
  });
  n.net.listen(n.b, 25, [](StreamPtr) {});
  n.net.crash(n.b);
  SimTime at = -1;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult r, StreamPtr) {
    CHECK(r == ConnectResult::Ok);
    at = n.sched.now();
  });
  n.sched.schedule_at(msec(500), [&] { n.net.restart(n.b); });
  n.sched.run();
  CHECK(at == sec(1) + msec(20));
}

TEST_CASE("stall: a link that stays down past stall_timeout times out both ends") {
  TwoHosts n;
  auto p = connect_pair(n, n.a, n.b);
  n.sched.schedule_at(sec(1), [&] { n.net.set_link_up(n.l, false); });
  n.sched.schedule_at(sec(2), [&] { p->client->write("MAIL FROM:<a@a>\r\n"); });
  n.sched.run();
  CHECK(p->crec.lines == std::vector<std::string>{"t=122000000 closed:timeout"});
  CHECK(p->srec.lines == std::vector<std::string>{"t=122000000 closed:timeout"});
  CHECK(n.conn_lines().size() == 4);
  CHECK(n.lines({TraceKind::ConnTimeout}) ==
        std::vector<std::string>{"t=122000000 conn_timeout a>b #1 stalled: no data got through for 2m",
                                 "t=122000000 conn_timeout b>a #1 stalled: no data got through for 2m"});
  CHECK(n.net.open_connections() == 0);
}

TEST_CASE("an idle connection survives an outage; stall_timeout is configurable") {
  NetConfig cfg;
  cfg.stall_timeout = sec(10);
  TwoHosts n(1, cfg);
  auto p = connect_pair(n, n.a, n.b);
  n.net.set_link_up(n.l, false);
  n.sched.run_until(minutes(10));
  CHECK(p->client->is_open());
  CHECK(p->server->is_open());
  p->server->write("x");
  n.sched.run();
  CHECK(p->srec.lines == std::vector<std::string>{"t=610000000 closed:timeout"});
}

TEST_CASE("retransmission backoff carries data across a short outage") {
  TwoHosts n;
  auto p = connect_pair(n, n.a, n.b);
  n.sched.schedule_at(sec(1), [&] { n.net.set_link_up(n.l, false); });
  n.sched.schedule_at(sec(2), [&] { p->client->write("x"); });
  n.sched.schedule_at(sec(4), [&] { n.net.set_link_up(n.l, true); });
  n.sched.run();
  // Attempts at 2.0, 2.2, 2.6, 3.4 s fail (rto 200, 400, 800, 1600 ms); 5.0 s gets through.
  CHECK(p->srec.lines == std::vector<std::string>{"t=5010000 data:x"});
  CHECK(p->server->is_open());
}

TEST_CASE("loss: delivery delayed by whole retransmission timeouts, order kept") {
  TwoHosts n(11);
  auto p = connect_pair(n, n.a, n.b);
  REQUIRE(p->client);
  n.net.set_link_params(n.l, LinkParams{msec(10), 0, 0.5});
  // Single writes, one at a time: extra delay = 0, 200, 600, 1400, 3000 ... ms.
  std::set<Duration> allowed = {0};
  for (Duration rto = msec(200), sum = 0; sum < minutes(2); rto *= 2) allowed.insert(sum += rto);
  std::set<Duration> seen;
  for (int i = 0; i < 30; ++i) {
    SimTime sent = n.sched.now();
    std::size_t before = p->srec.lines.size();
    p->client->write("w" + std::to_string(i));
    n.sched.run();
    REQUIRE(p->srec.lines.size() == before + 1);
    SimTime got = std::stoll(p->srec.lines.back().substr(2));
    Duration extra = got - sent - msec(10);
    CHECK(allowed.count(extra) == 1);
    seen.insert(extra);
  }
  CHECK(seen.count(0) == 1);
  CHECK(seen.size() >= 3);  // some chunks needed one retransmission, some more

  // Many writes at once: all bytes arrive, in order.
  std::string sent_all;
  for (int i = 0; i < 200; ++i) {
    std::string chunk = "<" + std::to_string(i) + ">";
    sent_all += chunk;
    p->client->write(chunk);
  }
  std::size_t from = p->srec.data.size();
  n.sched.run();
  CHECK(p->srec.data.substr(from) == sent_all);
}

TEST_CASE("loss 1.0: nothing gets through, the stream times out") {
  TwoHosts n;
  auto p = connect_pair(n, n.a, n.b);
  const SimTime t = n.sched.now();
  n.net.set_link_params(n.l, LinkParams{msec(10), 0, 1.0});
  p->client->write("lost");
  n.sched.run();
  CHECK(p->crec.lines == std::vector<std::string>{"t=" + std::to_string(t + minutes(2)) + " closed:timeout"});
  CHECK(n.lines({TraceKind::LinkChange}).back() == "t=20000 link a>b 1 params latency=10ms bandwidth=0 loss=1");
}

TEST_CASE("timeouts of kNever: SYNs and retransmissions go on, nothing times out") {
  NetConfig cfg;
  cfg.connect_timeout = kNever;
  cfg.stall_timeout = kNever;
  TwoHosts n(1, cfg);
  StreamPtr server;
  n.net.listen(n.b, 25, [&](StreamPtr s) { server = s; });
  n.net.set_link_up(n.l, false);
  SimTime at = -1;
  StreamPtr client;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult r, StreamPtr s) {
    CHECK(r == ConnectResult::Ok);
    client = s;
    at = n.sched.now();
  });
  n.sched.run_until(hours(1));
  CHECK(at == -1);
  n.net.set_link_up(n.l, true);
  n.sched.run_until(hours(2));
  CHECK(at == sec(4095) + msec(20));  // SYN attempts at 2^k - 1 s: ..., 2047 s, 4095 s
  REQUIRE(client);
  n.net.set_link_up(n.l, false);
  client->write("x");
  n.sched.run_until(hours(20));
  CHECK(client->is_open());
  Rec rec;
  server->set_handler(rec.handler(n.sched));
  n.net.set_link_up(n.l, true);
  n.sched.run_until(hours(21));
  // Written at 7200 s: retransmissions at +0.2, +0.4, ... +51.2 s, then every 60 s (max_rto); the
  // first one after the link came back at 72000 s is at 72042.2 s, 10 ms on the wire.
  CHECK(rec.lines == std::vector<std::string>{"t=72042210000 data:x"});
}
