// net_dns_test.cpp - zones and the resolver: MX order, A, null MX, NODATA, case-insensitive names,
// and every fault (NXDOMAIN, SERVFAIL, timeout, DNS host down/unreachable) with its timing.
#include <catch2/catch.hpp>

#include "net/net_fixture.hpp"
#include "sim/net/dns.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
// DnsNet - an MTA host and a DNS host 10 ms apart, zones for b.example.
struct DnsNet : Net {
  HostId mta = host("mta", "10.0.0.1");
  HostId dns = host("dns", "10.0.0.53");
  LinkId l = link(mta, dns, msec(10));
  DnsZones zones;
  Resolver res{net, mta, dns, zones};
  std::vector<std::string> got;  // "t=<us> <rcode> <records>"

  DnsNet() {
    zones.add_mx("b.example", 20, "mx2.b.example");
    zones.add_mx("b.example", 10, "mx1.b.example");
    zones.add_a("mx1.b.example", 0x0a000105);
    zones.add_a("mx1.b.example", 0x0a000106);
    zones.add_a("mx2.b.example", 0x0a000107);
    zones.set_null_mx("nomail.example");
  }
  // cb - a resolver callback that records the answer.
  Resolver::AnswerFn cb(bool mx) {
    return [this, mx](const DnsAnswer& a) {
      got.push_back("t=" + std::to_string(sched.now()) + " " + to_string(a.rcode) + " " +
                    Resolver::describe(a, mx, sec(5)));
    };
  }
  std::vector<std::string> dns_lines() const { return lines({TraceKind::Dns}); }
};
}  // namespace

TEST_CASE("MX answers keep zone order and take a round trip") {
  DnsNet n;
  n.res.query_mx("b.example", n.cb(true));
  CHECK(n.got.empty());
  CHECK(n.res.pending() == 1);
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{"t=20000 NOERROR 20 mx2.b.example, 10 mx1.b.example"});
  CHECK(n.dns_lines() == std::vector<std::string>{
                             "t=0 dns mta>dns 0 MX b.example?",
                             "t=20000 dns mta>dns 0 MX b.example? -> 20 mx2.b.example, 10 mx1.b.example",
                         });
  const TraceEvent& q = n.trace.events()[2];
  CHECK(q.src_ip == n.ip(n.mta));
  CHECK(q.dst_ip == n.ip(n.dns));
  CHECK(q.dst_port == 53);
  CHECK(n.res.pending() == 0);
}

TEST_CASE("A answers, names compared case-insensitively, trailing dot ignored") {
  DnsNet n;
  n.res.query_a("MX1.B.Example.", n.cb(false));
  n.res.query_a("mx2.b.example", n.cb(false));
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{"t=20000 NOERROR 10.0.1.5, 10.0.1.6", "t=20000 NOERROR 10.0.1.7"});
  CHECK(n.dns_lines()[2] == "t=20000 dns mta>dns 0 A mx1.b.example? -> 10.0.1.5, 10.0.1.6");
}

TEST_CASE("null MX, NODATA and NXDOMAIN from the data") {
  DnsNet n;
  n.res.query_mx("nomail.example", n.cb(true));
  n.res.query_mx("mx1.b.example", n.cb(true));  // has A records only
  n.res.query_mx("nowhere.example", n.cb(true));
  n.res.query_a("b.example", n.cb(false));      // has MX records only
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{
                     "t=20000 NOERROR 0 . (null MX)",
                     "t=20000 NOERROR no records (NODATA)",
                     "t=20000 NXDOMAIN NXDOMAIN",
                     "t=20000 NOERROR no records (NODATA)",
                 });
  CHECK(n.dns_lines()[4] == "t=20000 dns mta>dns 0 MX nomail.example? -> 0 . (null MX)");
  CHECK(n.trace.events().back().code == 0);
  // Lookups straight from the zones.
  DnsAnswer nm = n.zones.lookup_mx("NoMail.Example");
  REQUIRE(nm.mx.size() == 1);
  CHECK(nm.mx[0].preference == 0);
  CHECK(nm.mx[0].exchange == ".");
  n.zones.remove("b.example");
  CHECK(n.zones.lookup_mx("b.example").rcode == DnsRcode::NxDomain);
}

TEST_CASE("faults per name: NXDOMAIN and SERVFAIL answer after a round trip, Timeout after 5 s") {
  DnsNet n;
  n.zones.set_fault("b.example", DnsFault::NxDomain);
  n.zones.set_fault("MX1.b.example", DnsFault::ServFail);
  n.zones.set_fault("mx2.b.example", DnsFault::Timeout);
  CHECK(n.zones.fault("mx1.B.EXAMPLE") == DnsFault::ServFail);
  n.res.query_mx("b.example", n.cb(true));
  n.res.query_a("mx1.b.example", n.cb(false));
  n.res.query_a("mx2.b.example", n.cb(false));
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{
                     "t=20000 NXDOMAIN NXDOMAIN",
                     "t=20000 SERVFAIL SERVFAIL",
                     "t=5000000 timeout timeout after 5s",
                 });
  CHECK(n.dns_lines() == std::vector<std::string>{
                             "t=0 dns mta>dns 0 MX b.example?",
                             "t=0 dns mta>dns 0 A mx1.b.example?",
                             "t=0 dns mta>dns 0 A mx2.b.example?",
                             "t=20000 dns mta>dns 3 MX b.example? -> NXDOMAIN",
                             "t=20000 dns mta>dns 2 A mx1.b.example? -> SERVFAIL",
                             "t=5000000 dns mta>dns -1 A mx2.b.example? -> timeout after 5s",
                         });
  // Clearing the fault restores the data.
  n.zones.set_fault("b.example", DnsFault::None);
  n.res.query_mx("b.example", n.cb(true));
  n.sched.run();
  CHECK(n.got.back() == "t=5020000 NOERROR 20 mx2.b.example, 10 mx1.b.example");
}

TEST_CASE("a fault set while the query is in flight applies when it reaches the server") {
  DnsNet n;
  n.res.query_mx("b.example", n.cb(true));
  n.sched.schedule_at(msec(9), [&] { n.zones.set_fault("b.example", DnsFault::ServFail); });
  n.res.query_mx("b.example", n.cb(true));
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{"t=20000 SERVFAIL SERVFAIL", "t=20000 SERVFAIL SERVFAIL"});
  n.sched.run_until(msec(30));
  n.res.query_mx("b.example", n.cb(true));
  n.sched.schedule_at(msec(41), [&] { n.zones.set_fault("b.example", DnsFault::None); });  // after arrival
  n.sched.run();
  CHECK(n.got.back() == "t=50000 SERVFAIL SERVFAIL");
}

TEST_CASE("DNS host down or unreachable: timeout after the resolver timeout") {
  DnsNet n;
  n.net.crash(n.dns);
  n.res.query_mx("b.example", n.cb(true));
  n.sched.run();
  n.net.restart(n.dns);
  n.net.set_link_up(n.l, false);
  n.res.query_mx("b.example", n.cb(true));
  n.sched.run();
  n.net.set_link_up(n.l, true);
  Resolver quick(n.net, n.mta, n.dns, n.zones, msec(15));  // shorter than the round trip
  quick.query_mx("b.example", n.cb(true));
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{
                     "t=5000000 timeout timeout after 5s",
                     "t=10000000 timeout timeout after 5s",
                     "t=10015000 timeout timeout after 5s",  // (cb formats with 5s; the trace says 15ms)
                 });
  CHECK(n.dns_lines().back() == "t=10015000 dns mta>dns -1 MX b.example? -> timeout after 15ms");
  // The late answer to the timed-out query is ignored: still three callbacks.
  CHECK(n.got.size() == 3);
}

TEST_CASE("the DNS host crashing while the answer is computed: the answer is lost") {
  DnsNet n;
  n.res.query_mx("b.example", n.cb(true));
  n.sched.schedule_at(msec(15), [&] { n.net.crash(n.dns); });
  n.sched.run();
  CHECK(n.got == std::vector<std::string>{"t=20000 NOERROR 20 mx2.b.example, 10 mx1.b.example"});
  // Answer in flight when the server crashes still arrives (it left); a query arriving at a down
  // server does not.
  n.res.query_mx("b.example", n.cb(true));
  n.sched.run();
  CHECK(n.got.back() == "t=5020000 timeout timeout after 5s");
}

TEST_CASE("answer timing includes serialisation of the real message sizes") {
  DnsNet n;
  n.net.set_link_params(n.l, LinkParams{msec(10), 8'000'000, 0.0});  // 1 us per byte
  n.res.query_mx("b.example", n.cb(true));
  n.sched.run();
  // query 12 + 11 + 4 = 27 bytes; answer 27 + 2 * (16 + 13) = 85 bytes.
  CHECK(n.got == std::vector<std::string>{"t=20112 NOERROR 20 mx2.b.example, 10 mx1.b.example"});
}

TEST_CASE("no callback after the resolver is destroyed or its host crashed") {
  DnsNet n;
  int calls = 0;
  {
    Resolver r(n.net, n.mta, n.dns, n.zones);
    r.query_mx("b.example", [&](const DnsAnswer&) { ++calls; });
  }
  n.sched.run();
  CHECK(calls == 0);
  n.res.query_mx("b.example", [&](const DnsAnswer&) { ++calls; });
  n.sched.schedule_in(msec(5), [&] { n.net.crash(n.mta); });
  n.sched.schedule_in(msec(6), [&] { n.net.restart(n.mta); });
  n.sched.run();
  CHECK(calls == 0);
  CHECK(n.res.pending() == 0);
  CHECK_THROWS(Resolver(n.net, n.mta, 99, n.zones));
}
