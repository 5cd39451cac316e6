// roles_balancer_test.cpp - the cluster balancer's health view of a member that crashes and
// comes back: taken out of rotation by a failed hand-off, back in by an active check, and never
// flapping because of a check that began before the restart.
#include <catch2/catch.hpp>

#include "sim/roles/cluster_balancer.hpp"

using namespace smtpsim;

namespace {

struct Bench {
  Scheduler sched;
  Trace trace;
  Network net{sched, trace, Rng(1).derive("net")};
  HostId client = net.add_host("client", "10.0.0.1");
  HostId lb = net.add_host("lb", "10.0.0.2");
  HostId m1 = net.add_host("m1", "10.0.0.3");
  HostId m2 = net.add_host("m2", "10.0.0.4");
  std::vector<StreamPtr> held;  // accepted member-side and client-side streams, kept open

  Bench() {
    LinkParams p;
    p.latency = msec(1);
    net.add_link(client, lb, p);
    net.add_link(lb, m1, p);
    net.add_link(lb, m2, p);
  }
  void serve(HostId m) {
    if (!net.listening(m, 25)) net.listen(m, 25, [this](StreamPtr s) { held.push_back(std::move(s)); });
  }
  void connect_client() {
    net.connect(client, net.host_ip(lb), 25, [this](ConnectResult r, StreamPtr s) {
      if (r == ConnectResult::Ok) held.push_back(std::move(s));
    });
  }
  // health - the balancer's notes about member m2, as "time text".
  std::vector<std::string> health_of_m2() const {
    std::vector<std::string> out;
    for (const TraceEvent& e : trace.events())
      if (e.kind == TraceKind::Note && e.host == "lb" && e.text.rfind("cluster member m2", 0) == 0)
        out.push_back(format_time(e.time).substr(0, 8) + " " + e.text);
    return out;
  }
};

}  // namespace

TEST_CASE("balancer: a crashed member leaves rotation on a failed hand-off and returns once, after its restart") {
  Bench b;
  b.serve(b.m1);
  b.serve(b.m2);
  Balancer lb(b.net, b.lb, 25, {{"m1", b.m1, {}}, {"m2", b.m2, {}}}, BalanceStrategy::RoundRobin, sec(10));
  lb.start();
  b.sched.schedule_at(msec(500), [&] { b.net.crash(b.m2, "test"); });
  // Round robin: the first client goes to m1, the second to m2, whose SYNs go unanswered for
  // 30 s; the balancer then marks m2 down and hands that client to m1.
  b.sched.schedule_at(sec(1), [&] { b.connect_client(); });
  b.sched.schedule_at(sec(1), [&] { b.connect_client(); });
  // m2 restarts at 56 s: the check begun at 40 s is still retrying its SYN (41, 43, 47 s) and is
  // given up at 50 s; the check begun at 50 s retries at 57 s and finds m2 listening again.
  b.sched.schedule_at(sec(56), [&] {
    b.net.restart(b.m2);
    b.serve(b.m2);
  });
  b.sched.run_until(sec(120));

  CHECK(b.health_of_m2() == std::vector<std::string>{
                                "00:00:31 cluster member m2 taken out of rotation (connect timeout)",
                                "00:00:57 cluster member m2 is UP again",
                            });
  REQUIRE(lb.members().size() == 2);
  CHECK(lb.members()[1].healthy);
  CHECK(lb.members()[0].connections == 2);  // both clients ended up on m1
  CHECK(lb.members()[1].connections == 0);
  // After the restart new clients reach m2 again.
  b.sched.schedule_at(sec(121), [&] { b.connect_client(); });
  b.sched.schedule_at(sec(122), [&] { b.connect_client(); });
  b.sched.run_until(sec(130));
  CHECK(lb.members()[1].connections == 1);
}
