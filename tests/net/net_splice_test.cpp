// net_splice_test.cpp - a host spliced into a link at run time (Network::splice / unsplice): paths
// cross it with the same delay, its interception takes new connections, open ones keep flowing,
// and unsplicing gives the cable back exactly.
#include <catch2/catch.hpp>

#include "net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
// Wire - a (10.0.0.1) --5ms-- r (10.0.0.2) --10ms, 1 Mbit/s-- b (10.0.0.3), and e (10.0.0.9) with no link yet.
struct Wire : Net {
  HostId a = host("a", "10.0.0.1");
  HostId r = host("r", "10.0.0.2");
  HostId b = host("b", "10.0.0.3");
  HostId e = host("e", "10.0.0.9");
  LinkId ar = link(a, r, msec(5));
  LinkId rb = link(r, b, msec(10), 1'000'000);
};
}  // namespace

TEST_CASE("splice: the host sits on the cable, paths cross it and keep their delay") {
  Wire w;
  const Duration before = w.net.one_way_delay(w.a, w.b, 1000);
  LinkId tail = w.net.splice(w.rb, w.e);
  CHECK(w.net.path(w.a, w.b) == std::vector<HostId>{w.a, w.r, w.e, w.b});
  CHECK(w.net.path(w.b, w.a) == std::vector<HostId>{w.b, w.e, w.r, w.a});
  CHECK(w.net.one_way_delay(w.a, w.b, 1000) == before + 0);  // the new half adds no latency or serialisation
  CHECK(w.net.link_ends(w.rb) == std::pair<HostId, HostId>{w.r, w.e});
  CHECK(w.net.link_ends(tail) == std::pair<HostId, HostId>{w.e, w.b});
  CHECK_FALSE(w.net.find_link(w.r, w.b));
  REQUIRE(w.net.splices().size() == 1);
  CHECK(w.net.splices()[0].a == w.r);
  CHECK(w.net.splices()[0].b == w.b);
  CHECK(w.net.splices()[0].via == w.e);
  // Cutting the link's first half cuts the path; the spliced host down cuts it too.
  w.net.set_link_up(w.rb, false);
  CHECK_FALSE(w.net.reachable(w.a, w.b));
  w.net.set_link_up(w.rb, true);
  CHECK(w.net.reachable(w.a, w.b));
  w.net.crash(w.e);
  CHECK_FALSE(w.net.reachable(w.a, w.b));
  w.net.restart(w.e);
  CHECK(w.net.reachable(w.a, w.b));

  w.net.unsplice(w.rb);
  CHECK(w.net.path(w.a, w.b) == std::vector<HostId>{w.a, w.r, w.b});
  CHECK(w.net.link_ends(w.rb) == std::pair<HostId, HostId>{w.r, w.b});
  CHECK(w.net.one_way_delay(w.a, w.b, 1000) == before);
  CHECK_FALSE(w.net.link_up(tail));
  CHECK(w.net.splices().empty());
  // Spliced again, it reuses its half of the cable.
  CHECK(w.net.splice(w.rb, w.e) == tail);
  CHECK(w.net.link_up(tail));
  CHECK(w.net.path(w.a, w.b) == std::vector<HostId>{w.a, w.r, w.e, w.b});
}

TEST_CASE("splice: the spliced host intercepts new connections; open ones keep flowing through it") {
  Wire w;
  StreamPtr at_a, at_b, at_e, late_a;
  Rec rec_b, rec_e;
  w.net.listen(w.b, 25, [&](StreamPtr s) {
    at_b = s;
    s->set_handler(rec_b.handler(w.sched));
  });
  w.net.connect(w.a, w.ip(w.b), 25, [&](ConnectResult res, StreamPtr s) {
    REQUIRE(res == ConnectResult::Ok);
    at_a = s;
  });
  w.sched.run_until(sec(1));
  REQUIRE(at_b);
  w.net.splice(w.rb, w.e);
  w.net.intercept(w.e, 25, [&](StreamPtr s) {
    at_e = s;
    s->set_handler(rec_e.handler(w.sched));
  });
  at_a->write("still direct");
  w.net.connect(w.a, w.ip(w.b), 25, [&](ConnectResult res, StreamPtr s) {
    REQUIRE(res == ConnectResult::Ok);
    late_a = s;
  });
  w.sched.run_until(sec(2));
  CHECK(rec_b.data == "still direct");  // the open connection was not taken
  REQUIRE(at_e);                        // the new one was
  CHECK(at_e->local_ip() == w.ip(w.b));
  late_a->write("EHLO a");
  w.sched.run_until(sec(3));
  CHECK(rec_e.data == "EHLO a");
}

TEST_CASE("splice: refusals") {
  Wire w;
  CHECK_THROWS_WITH(w.net.splice(w.rb, w.b), Catch::Contains("it is one of the link's ends"));
  w.net.splice(w.rb, w.e);
  HostId f = w.host("f", "10.0.0.10");
  CHECK_THROWS_WITH(w.net.splice(w.rb, f), Catch::Contains("e already sits on it"));
  CHECK_THROWS_WITH(w.net.splice(w.ar, w.e), Catch::Contains("it already sits on the link r - b"));
  CHECK_THROWS_WITH(w.net.splice(w.ar, w.r), Catch::Contains("one of the link's ends"));
  // A static route over a link would not cross the spliced host: refused.
  w.net.set_route(w.a, w.r, {w.a, w.r});
  CHECK_THROWS_WITH(w.net.splice(w.ar, f), Catch::Contains("the static route a -> r crosses it"));
  w.net.unsplice(w.ar);  // not spliced: nothing happens
  CHECK(w.net.splices().size() == 1);
}
