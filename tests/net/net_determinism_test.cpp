// net_determinism_test.cpp - randomized traffic (connects, writes, half-closes, closes, aborts, link
// flaps, crashes, partitions) driven by a seeded Rng: the same seed gives the same trace hash, a
// different seed a different one, and every run keeps TCP's promise (bytes arrive intact, in order).
#include <catch2/catch.hpp>

#include <map>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {

enum class Variant { StarWithLoss, ChainWithFlaps, CrashesAndPartitions };

struct RunResult {
  std::uint64_t hash = 0;
  std::uint64_t events = 0;
  std::map<TraceKind, int> kinds;
};

// Traffic - a random world: hosts, links, echo servers, clients doing random things.
struct Traffic {
  Net n;
  Rng drive;
  Variant variant;
  std::vector<HostId> hosts;  // end hosts (clients and servers)
  std::vector<LinkId> links;
  std::vector<StreamPtr> streams;

  Traffic(std::uint64_t seed, Variant v) : n(seed), drive(Rng(seed).derive("driver")), variant(v) {}

  // listen_echo - an echo server on port 25 that closes when the client half-closes.
  void listen_echo(HostId h) {
    n.net.listen(h, 25, [this](StreamPtr s) {
      streams.push_back(s);
      std::weak_ptr<Stream> w = s;
      s->set_handler({[w](std::string_view d) {
                        if (auto sp = w.lock()) sp->write("echo:" + std::string(d));
                      },
                      [w] {
                        if (auto sp = w.lock()) sp->close();
                      },
                      {}});
    });
  }

  LinkParams random_link(bool lossy) {
    LinkParams p;
    p.latency = msec(1 + std::int64_t(drive.below(10)));
    static constexpr std::uint64_t bws[] = {0, 1'000'000, 10'000'000, 100'000'000};
    p.bandwidth_bps = bws[drive.below(4)];
    p.loss = lossy ? double(drive.below(10)) / 100.0 : 0.0;
    return p;
  }

  void build() {
    const int n_hosts = 8;
    for (int i = 0; i < n_hosts; ++i)
      hosts.push_back(n.host("h" + std::to_string(i), "10.0.0." + std::to_string(i + 1)));
    if (variant == Variant::StarWithLoss) {
      HostId r = n.host("router", "10.0.1.1");
      for (HostId h : hosts) links.push_back(n.net.add_link(h, r, random_link(true)));
    } else {
      // A chain of routers, each end host hanging off a random router, plus a few shortcuts.
      std::vector<HostId> routers;
      for (int i = 0; i < 5; ++i) routers.push_back(n.host("r" + std::to_string(i), "10.0.2." + std::to_string(i + 1)));
      for (int i = 0; i + 1 < 5; ++i) links.push_back(n.net.add_link(routers[i], routers[i + 1], random_link(false)));
      links.push_back(n.net.add_link(routers[0], routers[3], random_link(false)));
      for (HostId h : hosts)
        links.push_back(n.net.add_link(h, routers[drive.below(routers.size())],
                                       random_link(variant == Variant::CrashesAndPartitions)));
    }
    for (HostId h : hosts) listen_echo(h);
    n.net.on_host_change([this](HostId h, bool up) {
      if (up && h < hosts.size()) listen_echo(h);
    });
  }

  // live - a random stream that is still open, or null.
  StreamPtr live() {
    std::vector<StreamPtr> open;
    for (auto& s : streams)
      if (s->is_open()) open.push_back(s);
    if (open.empty()) return nullptr;
    return open[drive.below(open.size())];
  }

  // act - one random action at the current virtual time.
  void act() {
    std::uint64_t r = drive.below(100);
    if (r < 25) {
      HostId from = hosts[drive.below(hosts.size())], to = hosts[drive.below(hosts.size())];
      std::uint16_t port = drive.chance(0.1) ? 2525 : 25;  // sometimes refused
      n.net.connect(from, n.ip(to), port, [this](ConnectResult res, StreamPtr s) {
        if (res != ConnectResult::Ok) return;
        streams.push_back(s);
        s->set_handler({[](std::string_view) {}, {}, {}});
        s->write("HELO " + s->local_name() + "\r\n");
      });
    } else if (r < 65) {
      if (auto s = live()) s->write(std::string(1 + drive.below(3000), char('a' + drive.below(26))));
    } else if (r < 72) {
      if (auto s = live()) s->shutdown_write();
    } else if (r < 78) {
      if (auto s = live()) s->close();
    } else if (r < 82) {
      if (auto s = live()) s->abort();
    } else if (r < 85) {
      if (variant != Variant::StarWithLoss) {  // a link goes down for 0.5 .. 10 s
        LinkId l = links[drive.below(links.size())];
        if (!n.net.link_up(l)) return;
        n.net.set_link_up(l, false);
        n.sched.schedule_in(msec(500 + std::int64_t(drive.below(9500))), [this, l] { n.net.set_link_up(l, true); });
      }
    } else if (variant == Variant::CrashesAndPartitions && r < 90) {
      if (r < 87) {  // a host crashes for 1 .. 10 s
        HostId h = hosts[drive.below(hosts.size())];
        if (!n.net.host_up(h)) return;
        n.net.crash(h, "random crash");
        n.sched.schedule_in(sec(1 + std::int64_t(drive.below(10))), [this, h] { n.net.restart(h); });
      } else if (r < 89) {
        n.net.partition({{hosts[0], hosts[1], hosts[2]}, {hosts[3], hosts[4]}});
      } else {
        n.net.heal_partition();
      }
    }
  }

  RunResult run() {
    build();
    for (SimTime t = 0; t < sec(60); t += msec(1 + std::int64_t(drive.below(100))))
      n.sched.schedule_at(t, [this] { act(); });
    n.sched.run_until(minutes(10));
    RunResult out;
    out.hash = n.trace.hash();
    out.events = n.trace.count();
    for (const TraceEvent& e : n.trace.events()) ++out.kinds[e.kind];
    check_streams_intact();
    return out;
  }

  // check_streams_intact - per connection and direction, the delivered bytes are exactly a prefix
  // of the sent bytes (nothing lost in the middle, reordered, duplicated or corrupted).
  void check_streams_intact() {
    std::map<std::pair<std::uint64_t, std::string>, std::string> sent, delivered;
    for (const TraceEvent& e : n.trace.events()) {
      if (e.kind == TraceKind::BytesSent) sent[{e.conn, e.host}] += e.data;
      if (e.kind == TraceKind::BytesDelivered) delivered[{e.conn, e.host}] += e.data;
    }
    std::size_t bad = 0;
    for (auto& [key, d] : delivered) {
      const std::string& s = sent[key];
      if (d.size() > s.size() || s.compare(0, d.size(), d) != 0) ++bad;
    }
    CHECK(bad == 0);
    CHECK(delivered.size() > 10);
    // A connection both ends closed with FIN, never reset or timed out, delivered everything.
    std::map<std::uint64_t, int> fins;
    std::map<std::uint64_t, bool> broken;
    for (const TraceEvent& e : n.trace.events()) {
      if (e.kind == TraceKind::ConnClose) ++fins[e.conn];
      if (e.kind == TraceKind::ConnReset || e.kind == TraceKind::ConnTimeout) broken[e.conn] = true;
    }
    std::size_t clean = 0, short_ = 0;
    for (auto& [key, s] : sent) {
      if (fins[key.first] != 2 || broken[key.first]) continue;
      ++clean;
      if (delivered[key] != s) ++short_;
    }
    CHECK(short_ == 0);
    CHECK(clean > 5);
  }
};

RunResult run_traffic(std::uint64_t seed, Variant v) { return Traffic(seed, v).run(); }

}  // namespace

TEST_CASE("determinism: star with lossy links") {
  RunResult a = run_traffic(42, Variant::StarWithLoss);
  RunResult b = run_traffic(42, Variant::StarWithLoss);
  RunResult c = run_traffic(43, Variant::StarWithLoss);
  CHECK(a.hash == b.hash);
  CHECK(a.events == b.events);
  CHECK(a.hash != c.hash);
  CHECK(a.kinds[TraceKind::BytesDelivered] > 100);
  CHECK(a.kinds[TraceKind::ConnRefused] > 0);
  CHECK(a.kinds[TraceKind::ConnReset] > 0);
  CHECK(a.kinds[TraceKind::ConnClose] > 0);
}

TEST_CASE("determinism: multi-hop chain with link flaps") {
  RunResult a = run_traffic(7, Variant::ChainWithFlaps);
  RunResult b = run_traffic(7, Variant::ChainWithFlaps);
  RunResult c = run_traffic(8, Variant::ChainWithFlaps);
  CHECK(a.hash == b.hash);
  CHECK(a.events == b.events);
  CHECK(a.hash != c.hash);
  CHECK(a.kinds[TraceKind::LinkChange] > 10);
  CHECK(a.kinds[TraceKind::BytesDelivered] > 100);
  CHECK(a.kinds[TraceKind::ConnTimeout] > 0);
}

TEST_CASE("determinism: crashes, restarts and partitions") {
  RunResult a = run_traffic(1234, Variant::CrashesAndPartitions);
  RunResult b = run_traffic(1234, Variant::CrashesAndPartitions);
  RunResult c = run_traffic(1235, Variant::CrashesAndPartitions);
  CHECK(a.hash == b.hash);
  CHECK(a.events == b.events);
  CHECK(a.hash != c.hash);
  CHECK(a.kinds[TraceKind::HostDown] > 0);
  CHECK(a.kinds[TraceKind::HostUp] > 8);
  CHECK(a.kinds[TraceKind::Fault] > 0);
  CHECK(a.kinds[TraceKind::ConnReset] > 0);
}
