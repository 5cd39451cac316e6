// net_routes_test.cpp - least-latency paths and their tie-breaks, static routes, link state,
// partitions, and the topology's input checks.
#include <catch2/catch.hpp>
#include <random>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

TEST_CASE("least total latency wins over fewer hops") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2"), r = n.host("r", "10.0.0.3");
  n.link(a, b, msec(50));
  n.link(a, r, msec(10));
  n.link(r, b, msec(10));
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, r, b});
  CHECK(n.net.path(b, a) == std::vector<HostId>{b, r, a});
  CHECK(n.net.one_way_delay(a, b, 0) == msec(20));
  CHECK(n.net.path(a, a) == std::vector<HostId>{a});
}

TEST_CASE("ties: fewest hops, then lowest host ids") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  HostId p = n.host("p", "10.0.0.3"), q = n.host("q", "10.0.0.4");
  HostId y = n.host("y", "10.0.0.5"), z = n.host("z", "10.0.0.6");
  n.link(a, q, msec(10));  // a-q-b: 20 ms, 2 hops (q added after p)
  n.link(q, b, msec(10));
  n.link(a, y, msec(5));   // a-y-z-b: 20 ms, 3 hops
  n.link(y, z, msec(5));
  n.link(z, b, msec(10));
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, q, b});
  n.link(a, p, msec(10));  // a-p-b: 20 ms, 2 hops, p < q
  n.link(p, b, msec(10));
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, p, b});
  // A latency change re-routes.
  n.net.set_link_params(*n.net.find_link(a, p), LinkParams{msec(11), 0, 0.0});
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, q, b});
}

TEST_CASE("static routes override the search; the reverse uses the reversed path unless set") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  HostId r1 = n.host("r1", "10.0.0.3"), r2 = n.host("r2", "10.0.0.4");
  n.link(a, r1, msec(1));
  n.link(r1, b, msec(1));
  n.link(a, r2, msec(30));
  n.link(r2, b, msec(30));
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, r1, b});
  n.net.set_route(a, b, {a, r2, b});
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, r2, b});
  CHECK(n.net.path(b, a) == std::vector<HostId>{b, r2, a});
  CHECK(n.net.one_way_delay(a, b, 0) == msec(60));
  n.net.set_route(b, a, {b, r1, a});
  CHECK(n.net.path(b, a) == std::vector<HostId>{b, r1, a});
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, r2, b});

  // The handshake follows the routes: SYN 60 ms out, SYN-ACK 2 ms back.
  SimTime accepted = -1, connected = -1;
  n.net.listen(b, 25, [&](StreamPtr) { accepted = n.sched.now(); });
  n.net.connect(a, n.ip(b), 25, [&](ConnectResult, StreamPtr) { connected = n.sched.now(); });
  n.sched.run();
  CHECK(accepted == msec(60));
  CHECK(connected == msec(62));

  n.net.set_route(a, b, {});
  n.net.set_route(b, a, {});
  CHECK(n.net.path(a, b) == std::vector<HostId>{a, r1, b});
}

TEST_CASE("bad routes and topology are refused with clear errors") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2"), c = n.host("c", "10.0.0.3");
  n.link(a, b, msec(1));
  CHECK_THROWS_WITH(n.net.set_route(a, c, {a, b, c}), Catch::Contains("no link b - c"));
  CHECK_THROWS_WITH(n.net.set_route(a, b, {b, a}), Catch::Contains("must start at the source"));
  CHECK_THROWS_WITH(n.net.set_route(a, b, {a, b, a, b}), Catch::Contains("appears twice"));
  CHECK_THROWS_WITH(n.host("a", "10.0.0.9"), Catch::Contains("duplicate host name 'a'"));
  CHECK_THROWS_WITH(n.host("d", "10.0.0.1"), Catch::Contains("already used by a"));
  CHECK_THROWS_WITH(n.host("d", "10.0.0.256"), Catch::Contains("bad IPv4 address"));
  CHECK_THROWS_WITH(n.link(a, b, msec(1)), Catch::Contains("duplicate link a - b"));
  CHECK_THROWS_WITH(n.link(a, a, msec(1)), Catch::Contains("to itself"));
  CHECK_THROWS(n.link(a, c, -1));
  CHECK_THROWS(n.link(a, c, msec(1), 0, 1.5));
  CHECK_THROWS(n.net.add_link(a, 99, LinkParams{}));
  CHECK_THROWS(n.net.set_link_up(42, false));
  CHECK_THROWS(n.net.host_name(7));
  CHECK(n.net.find_host("c") == c);
  CHECK(n.net.find_ip(n.ip(b)) == b);
  CHECK_FALSE(n.net.find_host("zz"));
  CHECK(n.net.path(a, c).empty());
  CHECK_FALSE(n.net.reachable(a, c));
}

TEST_CASE("a down link on the chosen path cuts it; a static route goes around") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  HostId r1 = n.host("r1", "10.0.0.3"), r2 = n.host("r2", "10.0.0.4");
  LinkId l1 = n.link(a, r1, msec(1));
  n.link(r1, b, msec(1));
  n.link(a, r2, msec(5));
  n.link(r2, b, msec(5));
  CHECK(n.net.reachable(a, b));
  n.net.set_link_up(l1, false);
  CHECK_FALSE(n.net.link_up(l1));
  CHECK_FALSE(n.net.reachable(a, b));  // static routing: the least-latency path is still chosen
  n.net.set_route(a, b, {a, r2, b});
  CHECK(n.net.reachable(a, b));
  CHECK(n.net.reachable(b, a));
  // A router that crashes cuts the paths through it.
  n.net.crash(r2);
  CHECK_FALSE(n.net.reachable(a, b));
  n.net.restart(r2);
  n.net.set_link_up(l1, true);
  n.net.set_link_up(l1, true);  // no change: no event
  CHECK(n.lines({TraceKind::LinkChange, TraceKind::HostDown}) ==
        std::vector<std::string>{"t=0 link a>r1 0 down", "t=0 host_down r2 crash", "t=0 link a>r1 1 up"});
}

TEST_CASE("partitions: grouped hosts reach only their group, also through routers") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2"), c = n.host("c", "10.0.0.3");
  HostId r = n.host("r", "10.0.0.4"), free = n.host("free", "10.0.0.5");
  n.link(a, r, msec(1));
  n.link(b, r, msec(1));
  n.link(c, r, msec(1));
  n.link(free, r, msec(1));
  n.net.partition({{a, b}, {c}});
  CHECK(n.net.reachable(a, b));
  CHECK_FALSE(n.net.reachable(a, c));
  CHECK_FALSE(n.net.reachable(c, b));
  CHECK(n.net.reachable(free, a));
  CHECK(n.net.reachable(c, free));
  n.net.partition({{a, r}, {c}});  // the router is with a: b (ungrouped) still reaches a, not c
  CHECK(n.net.reachable(b, a));
  CHECK_FALSE(n.net.reachable(b, c));
  CHECK_THROWS(n.net.partition({{a}, {a, b}}));

  // A connection across the partition times out; after healing it works.
  n.net.partition({{a}, {b}});
  ConnectResult res = ConnectResult::Ok;
  SimTime at = -1;
  n.net.listen(b, 25, [](StreamPtr) {});
  n.net.connect(a, n.ip(b), 25, [&](ConnectResult r2, StreamPtr) { res = r2; at = n.sched.now(); });
  n.sched.run();
  CHECK(res == ConnectResult::Timeout);
  CHECK(at == sec(30));
  n.net.heal_partition();
  n.net.connect(a, n.ip(b), 25, [&](ConnectResult r2, StreamPtr) { res = r2; at = n.sched.now(); });
  n.sched.run();
  CHECK(res == ConnectResult::Ok);
  CHECK(at == sec(30) + msec(4));
  CHECK(n.lines({TraceKind::Fault}) == std::vector<std::string>{
                                           "t=0 fault  partition: [a b] [c]",
                                           "t=0 fault  partition: [a r] [c]",
                                           "t=0 fault  partition: [a] [b]",
                                           "t=30000000 fault  partition healed",
                                       });
}

TEST_CASE("SYN retries cross a partition healed in the middle of the handshake") {
  Net n;
  HostId a = n.host("a", "10.0.0.1"), b = n.host("b", "10.0.0.2");
  n.link(a, b, msec(10));
  n.net.listen(b, 25, [](StreamPtr) {});
  n.net.partition({{a}, {b}});
  SimTime at = -1;
  n.net.connect(a, n.ip(b), 25, [&](ConnectResult r, StreamPtr) {
    CHECK(r == ConnectResult::Ok);
    at = n.sched.now();
  });
  n.sched.schedule_at(msec(2500), [&] { n.net.heal_partition(); });
  n.sched.run();
  CHECK(at == sec(3) + msec(20));  // SYNs at 0, 1 s, 3 s: the third gets through
}

namespace {
// RefGraph - a topology as the route tests draw it: adjacency in link creation order.
struct RefGraph {
  std::vector<std::vector<std::pair<HostId, Duration>>> adj;
};

// ref_best_path - the documented route by brute force: of all simple paths from -> to, the least
// latency, then fewest hops, then the lexicographically smallest list of host ids.
std::vector<HostId> ref_best_path(const RefGraph& g, HostId from, HostId to) {
  std::vector<HostId> best, cur{from};
  Duration best_lat = -1, cur_lat = 0;
  std::vector<char> on(g.adj.size(), 0);
  on[from] = 1;
  auto dfs = [&](auto&& self, HostId u) -> void {
    if (u == to) {
      bool better = best.empty() || cur_lat < best_lat ||
                    (cur_lat == best_lat && (cur.size() < best.size() || (cur.size() == best.size() && cur < best)));
      if (better) {
        best = cur;
        best_lat = cur_lat;
      }
      return;
    }
    for (auto [nb, lat] : g.adj[u]) {
      if (on[nb]) continue;
      on[nb] = 1;
      cur.push_back(nb);
      cur_lat += lat;
      self(self, nb);
      cur_lat -= lat;
      cur.pop_back();
      on[nb] = 0;
    }
  };
  dfs(dfs, from);
  return best;
}
}  // namespace

TEST_CASE("least-latency routes match a brute-force search on random small topologies") {
  // Many equal latencies (and zero ones) so the hop and host-id tie-breaks decide often; hosts with
  // a single link are common, as end hosts on a router are.
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    Net n;
    RefGraph g;
    const int hosts = 2 + int(rng() % 8);
    for (int i = 0; i < hosts; ++i) n.host("h" + std::to_string(i), "10.0.0." + std::to_string(i + 1));
    g.adj.resize(std::size_t(hosts));
    for (int a = 0; a < hosts; ++a)
      for (int b = a + 1; b < hosts; ++b) {
        if (rng() % 100 >= 35) continue;
        Duration lat = msec(int(rng() % 3));
        HostId x = HostId(a), y = HostId(b);
        if (rng() % 2) std::swap(x, y);  // link creation order decides adjacency order
        n.link(x, y, lat);
        g.adj[x].emplace_back(y, lat);
        g.adj[y].emplace_back(x, lat);
      }
    for (HostId a = 0; a < HostId(hosts); ++a)
      for (HostId b = 0; b < HostId(hosts); ++b) {
        INFO("round " << round << " path " << a << " -> " << b);
        CHECK(n.net.path(a, b) == ref_best_path(g, a, b));
      }
  }
}
