// net_intercept_test.cpp - transparent interception (an inline man in the middle): which SYNs a
// proxy on the path takes, what each end is shown, the timing, and connect_as.
#include <catch2/catch.hpp>

#include "net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
// Inline - a (10.0.0.1) --5ms-- r (10.0.0.2) --10ms-- b (10.0.0.3); r intercepts port 25.
struct Inline : Net {
  HostId a = host("a", "10.0.0.1");
  HostId r = host("r", "10.0.0.2");
  HostId b = host("b", "10.0.0.3");
  StreamPtr at_r, at_b, at_a;
  Rec rec_r, rec_b;
  Inline() {
    link(a, r, msec(5));
    link(r, b, msec(10));
    net.intercept(r, 25, [this](StreamPtr s) {
      at_r = s;
      s->set_handler(rec_r.handler(sched));
    });
    net.listen(b, 25, [this](StreamPtr s) {
      at_b = s;
      s->set_handler(rec_b.handler(sched));
    });
    net.listen(b, 110, [this](StreamPtr s) {
      at_b = s;
      s->set_handler(rec_b.handler(sched));
    });
  }
  void dial(HostId from, HostId to, std::uint16_t port) {
    net.connect(from, ip(to), port, [this](ConnectResult res, StreamPtr s) {
      REQUIRE(res == ConnectResult::Ok);
      at_a = s;
    });
  }
};
}  // namespace

TEST_CASE("intercept: a SYN crossing the proxy stops there, and the client cannot tell") {
  Inline n;
  n.dial(n.a, n.b, 25);
  n.sched.run_until(sec(1));
  REQUIRE(n.at_a);
  REQUIRE(n.at_r);
  CHECK_FALSE(n.at_b);  // the real server has not heard of it
  // The client's view: it talks to b, at b's address.
  CHECK(n.at_a->remote_name() == "b");
  CHECK(n.at_a->remote_ip() == n.ip(n.b));
  // The proxy's view: it is r, holding b's address and port; the client is a.
  CHECK(n.at_r->local_name() == "r");
  CHECK(n.at_r->local_ip() == n.ip(n.b));
  CHECK(n.at_r->local_port() == 25);
  CHECK(n.at_r->remote_name() == "a");
  CHECK(n.at_r->remote_ip() == n.ip(n.a));
  // Handshake with the proxy: one round trip over the first link only (10 ms, not 30 ms).
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=5000 conn_accept a>b #1 intercepted by r",
                          });
  n.at_a->write("HELO");
  n.at_r->write("250 hi");
  n.sched.run_until(sec(2));
  CHECK(n.rec_r.data == "HELO");
  // The bytes the proxy sends are traced as the proxy's, addressed as b's.
  bool seen = false;
  for (const TraceEvent& e : n.trace.events())
    if (e.kind == TraceKind::BytesSent && e.data == "250 hi") {
      seen = true;
      CHECK(e.host == "r");
      CHECK(e.peer == "a");
      CHECK(e.src_ip == n.ip(n.b));
      CHECK(e.dst_ip == n.ip(n.a));
    }
  CHECK(seen);
}

TEST_CASE("intercept: other ports, the proxy's own connections and the path's ends are left alone") {
  Inline n;
  n.dial(n.a, n.b, 110);  // not intercepted
  n.sched.run_until(sec(1));
  CHECK_FALSE(n.at_r);
  REQUIRE(n.at_b);
  CHECK(n.at_b->remote_name() == "a");
  n.at_b.reset();
  n.dial(n.r, n.b, 25);  // from the proxy itself: r is an end, not in the middle
  n.sched.run_until(sec(2));
  CHECK_FALSE(n.at_r);
  REQUIRE(n.at_b);
  CHECK(n.at_b->remote_name() == "r");
  n.net.stop_intercept(n.r, 25);
  CHECK_FALSE(n.net.intercepting(n.r, 25));
  n.at_b.reset();
  n.dial(n.a, n.b, 25);
  n.sched.run_until(sec(3));
  CHECK_FALSE(n.at_r);
  CHECK(n.at_b);
}

TEST_CASE("connect_as: the server sees the impersonated client's name and address") {
  Inline n;
  StreamPtr mine;
  n.net.connect_as(n.r, n.a, n.ip(n.b), 25, [&](ConnectResult res, StreamPtr s) {
    REQUIRE(res == ConnectResult::Ok);
    mine = s;
  });
  n.sched.run_until(sec(1));
  REQUIRE(mine);
  REQUIRE(n.at_b);
  CHECK(n.at_b->remote_name() == "a");
  CHECK(n.at_b->remote_ip() == n.ip(n.a));
  CHECK(mine->local_name() == "r");
  CHECK(mine->local_ip() == n.ip(n.a));
  // Traced as r's own connection (it is r acting), with a's address on the packets; one round
  // trip over r <-> b only.
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open r>b #1 0 SYN",
                              "t=10000 conn_accept r>b #1 accepted by b",
                          });
  for (const TraceEvent& e : n.trace.events())
    if (e.kind == TraceKind::ConnOpen) CHECK(e.src_ip == n.ip(n.a));
}

TEST_CASE("intercept: refusals and a crash") {
  Inline n;
  CHECK_THROWS(n.net.intercept(n.r, 25, [](StreamPtr) {}));  // already
  CHECK_THROWS(n.net.intercept(n.r, 0, [](StreamPtr) {}));
  n.net.crash(n.r);
  CHECK_FALSE(n.net.intercepting(n.r, 25));
  CHECK_THROWS(n.net.intercept(n.r, 26, [](StreamPtr) {}));  // down
  n.net.restart(n.r);
  // Not re-created by the network itself: the role's restart hook does it.
  CHECK_FALSE(n.net.intercepting(n.r, 25));
  n.dial(n.a, n.b, 25);
  n.sched.run_until(sec(1));
  CHECK(n.at_b);
}

TEST_CASE("connect_as: the proxy's leg never reuses the impersonated host's address and port pair") {
  Inline n;
  n.dial(n.a, n.b, 25);  // intercepted: a's own connection from 10.0.0.1:49152
  n.sched.run_until(sec(1));
  REQUIRE(n.at_a);
  StreamPtr mine;
  n.net.connect_as(n.r, n.a, n.ip(n.b), 25, [&](ConnectResult res, StreamPtr s) {
    REQUIRE(res == ConnectResult::Ok);
    mine = s;
  });
  n.sched.run_until(sec(2));
  REQUIRE(mine);
  CHECK(n.at_a->local_port() == 49152);
  CHECK(mine->local_ip() == n.ip(n.a));
  CHECK(mine->local_port() == 49153);  // taken from a's range, so a capture keeps the flows apart
}
