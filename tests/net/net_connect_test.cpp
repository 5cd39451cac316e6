// net_connect_test.cpp - connection set-up outcomes: refused, SYN retries and timeout, unreachable,
// ephemeral ports and connection ids, listeners.
#include <catch2/catch.hpp>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
struct Outcome {
  ConnectResult result = ConnectResult::Ok;
  SimTime at = -1;
  bool stream = false;
  int calls = 0;
};
Network::ConnectFn record(Net& n, Outcome& o) {
  return [&n, &o](ConnectResult r, StreamPtr s) {
    o.result = r;
    o.at = n.sched.now();
    o.stream = s != nullptr;
    ++o.calls;
  };
}
}  // namespace

TEST_CASE("nothing listening: RST, Refused after one round trip") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  n.link(a, b, msec(10));
  Outcome o;
  n.net.connect(a, n.ip(b), 25, record(n, o));
  CHECK(o.calls == 0);  // never inside connect()
  n.sched.run();
  CHECK(o.calls == 1);
  CHECK(o.result == ConnectResult::Refused);
  CHECK(o.at == 20000);
  CHECK_FALSE(o.stream);
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=20000 conn_refused a>b #1 RST: nothing listening on 10.0.0.2:25",
                          });
  CHECK(n.net.open_connections() == 0);
}

TEST_CASE("host down: SYN retried at 1 s, 2 s, 4 s ... then Timeout at connect_timeout") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  n.link(a, b, msec(10));
  n.net.listen(b, 25, [](StreamPtr) {});
  n.net.crash(b);
  CHECK_FALSE(n.net.listening(b, 25));
  Outcome o;
  n.net.connect(a, n.ip(b), 25, record(n, o));
  n.sched.run();
  CHECK(o.result == ConnectResult::Timeout);
  CHECK(o.at == sec(30));
  CHECK(o.calls == 1);
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=1000000 conn_open a>b #1 1 SYN retry 1",
                              "t=3000000 conn_open a>b #1 2 SYN retry 2",
                              "t=7000000 conn_open a>b #1 3 SYN retry 3",
                              "t=15000000 conn_open a>b #1 4 SYN retry 4",
                              "t=30000000 conn_timeout a>b #1 no answer to SYN after 5 attempts",
                          });
}

TEST_CASE("connect_timeout is configurable and a late listener is found by a retry") {
  NetConfig cfg;
  cfg.connect_timeout = sec(10);
  Net n(1, cfg);
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  LinkId l = n.link(a, b, msec(10));
  Outcome o;
  n.net.set_link_up(l, false);
  n.net.connect(a, n.ip(b), 25, record(n, o));
  n.sched.run();
  CHECK(o.result == ConnectResult::Timeout);
  CHECK(o.at == sec(10));
  CHECK(n.lines({TraceKind::ConnOpen}).size() == 4);  // 0, 1, 3, 7 s

  // Link down at first; up at 2.5 s: the SYN at 3 s gets through.
  n.net.listen(b, 25, [](StreamPtr) {});
  Outcome o2;
  const SimTime t0 = n.sched.now();
  n.net.connect(a, n.ip(b), 25, record(n, o2));
  n.sched.schedule_at(t0 + msec(2500), [&] { n.net.set_link_up(l, true); });
  n.sched.run();
  CHECK(o2.result == ConnectResult::Ok);
  CHECK(o2.at == t0 + sec(3) + msec(20));
  CHECK(o2.stream);
}

TEST_CASE("unreachable: unknown address, no path at all, client host down") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  HostId island = n.host("island", "10.9.9.9");
  n.link(a, b, msec(10));
  Outcome o1, o2, o3;
  n.net.connect(a, 0x0a000063, 25, record(n, o1));  // 10.0.0.99
  n.net.connect(a, n.ip(island), 25, record(n, o2));
  n.net.crash(b);
  n.net.connect(b, n.ip(a), 25, record(n, o3));
  CHECK(o1.calls + o2.calls + o3.calls == 0);
  n.sched.run();
  for (Outcome* o : {&o1, &o2, &o3}) {
    CHECK(o->result == ConnectResult::Unreachable);
    CHECK(o->at == 0);
    CHECK(o->calls == 1);
  }
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_timeout a #1 unreachable: no host has address 10.0.0.99",
                              "t=0 conn_timeout a>island #2 unreachable: no route to island",
                              "t=0 conn_timeout b>a #3 unreachable: b is down",
                          });
}

TEST_CASE("connection ids increase from 1; ephemeral ports count per host from 49152") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2"), c = n.host("c", "10.0.0.3");
  n.link(a, b, msec(1));
  n.link(c, b, msec(1));
  std::vector<StreamPtr> accepted;
  n.net.listen(b, 25, [&](StreamPtr s) { accepted.push_back(s); });
  n.net.listen(b, 110, [&](StreamPtr s) { accepted.push_back(s); });
  std::vector<StreamPtr> clients;
  auto keep = [&](ConnectResult r, StreamPtr s) {
    REQUIRE(r == ConnectResult::Ok);
    clients.push_back(s);
  };
  n.net.connect(a, n.ip(b), 25, keep);
  n.net.connect(a, n.ip(b), 110, keep);
  n.net.connect(c, n.ip(b), 25, keep);
  n.net.connect(a, n.ip(b), 25, keep);
  n.sched.run();
  REQUIRE(clients.size() == 4);
  std::vector<std::string> seen;
  for (auto& s : clients)
    seen.push_back("#" + std::to_string(s->id()) + " " + s->local_name() + ":" + std::to_string(s->local_port()) +
                   " -> " + s->remote_name() + ":" + std::to_string(s->remote_port()));
  CHECK(seen == std::vector<std::string>{"#1 a:49152 -> b:25", "#2 a:49153 -> b:110", "#3 c:49152 -> b:25",
                                         "#4 a:49154 -> b:25"});
  REQUIRE(accepted.size() == 4);
  CHECK(accepted[2]->remote_name() == "c");
  CHECK(accepted[2]->id() == 3);
  CHECK(n.net.open_connections() == 4);
}

TEST_CASE("listen rules") {
  Net n;
  HostId a = n.host("a", "10.0.0.1");
  n.net.listen(a, 25, [](StreamPtr) {});
  CHECK(n.net.listening(a, 25));
  CHECK_THROWS_WITH(n.net.listen(a, 25, [](StreamPtr) {}), Catch::Contains("already listening on port 25"));
  CHECK_THROWS(n.net.listen(a, 0, [](StreamPtr) {}));
  n.net.unlisten(a, 25);
  CHECK_FALSE(n.net.listening(a, 25));
  n.net.crash(a);
  CHECK_THROWS_WITH(n.net.listen(a, 25, [](StreamPtr) {}), Catch::Contains("a is down"));
}

TEST_CASE("a host can connect to itself (no links, no delay)") {
  Net n;
  HostId a = n.host("a", "10.0.0.1");
  auto p = connect_pair(n, a, a);
  REQUIRE(p->client);
  REQUIRE(p->server);
  p->client->write("ping");
  p->server->write("pong");
  n.sched.run();
  CHECK(p->srec.lines == std::vector<std::string>{"t=0 data:ping"});
  CHECK(p->crec.lines == std::vector<std::string>{"t=0 data:pong"});
}

TEST_CASE("SYN loss is covered by the SYN retry schedule") {
  Net n(7);
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  n.link(a, b, msec(10), 0, 0.5);
  n.net.listen(b, 25, [](StreamPtr) {});
  int ok = 0, total = 0;
  for (int i = 0; i < 40; ++i) {
    const SimTime t0 = n.sched.now();
    n.net.connect(a, n.ip(b), 25, [&, t0](ConnectResult r, StreamPtr s) {
      ++total;
      if (r != ConnectResult::Ok) return;
      ++ok;
      // Established exactly one round trip after one of the SYN attempts at 0, 1, 3, 7, 15 s.
      SimTime d = n.sched.now() - t0 - msec(20);
      CHECK((d == 0 || d == sec(1) || d == sec(3) || d == sec(7) || d == sec(15)));
      s->abort();
    });
    n.sched.run();
  }
  CHECK(total == 40);
  // An attempt succeeds when neither SYN nor SYN-ACK is lost (p = 0.25); five attempts give
  // 1 - 0.75^5 = 76%: some connections fail (Timeout), most get through.
  CHECK(ok >= 20);
  CHECK(ok < 40);
}
