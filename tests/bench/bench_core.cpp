// bench_core.cpp - the simulation core's speed, measured side by side in one run:
//  1. Scheduler (real Callback type, a small lambda capturing a pointer and two ints) against a plain
//     std::priority_queue of {time, seq, id} doing the same schedule + pop work, in steady state
//     (pop one, push one) at 1e3, 1e5 and 1e6 pending events: ratio of events per second
//     (1.0 = as fast as the plain queue; the target is >= 0.5 at every size);
//  2. simulated stream payload delivered per wall second: two hosts, one stream, many writes
//     (trace on, bytes not kept).
// Last line: "bench_core: min ratio <value>" (the smallest Scheduler/plain ratio).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <queue>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/network.hpp"

using namespace smtpsim;
using Clock = std::chrono::steady_clock;

namespace {

// seconds_since - elapsed wall time (benchmarks may time themselves).
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Deltas - the same pseudo-random sequence of delays for both contenders (0 .. 1 s, many ties).
struct Deltas {
  static constexpr std::size_t kSize = 1 << 16;
  std::vector<Duration> d;
  Deltas() {
    Rng r(2024);
    d.resize(kSize);
    for (auto& x : d) x = Duration(r.below(1'000'000));
  }
  Duration at(std::uint64_t i) const { return d[i & (kSize - 1)]; }
};

// --- 1. Scheduler ---------------------------------------------------------------------------------

struct SchedCtx {
  Scheduler sched;
  const Deltas* deltas = nullptr;
  std::uint64_t i = 0;
  std::uint64_t sink = 0;
};

// Reschedule - the event: counts itself, then schedules its successor (pointer + 2 ints).
struct Reschedule {
  SchedCtx* ctx;
  int a;
  int b;
  void operator()() const {
    ctx->sink += static_cast<std::uint64_t>(a + b);
    ctx->sched.schedule_in(ctx->deltas->at(ctx->i++), Reschedule{ctx, a, b + 1});
  }
};

// run_scheduler - prefill n events, then time `ops` steps (each pops one and pushes one).
double run_scheduler(std::size_t n, std::uint64_t ops, const Deltas& deltas, std::uint64_t& sink) {
  SchedCtx ctx;
  ctx.deltas = &deltas;
  for (std::size_t k = 0; k < n; ++k)
    ctx.sched.schedule_at(deltas.at(ctx.i++), Reschedule{&ctx, int(k), 0});
  for (std::uint64_t k = 0; k < std::min<std::uint64_t>(ops / 4, n); ++k) ctx.sched.step();  // warm up
  auto t0 = Clock::now();
  for (std::uint64_t k = 0; k < ops; ++k) ctx.sched.step();
  double s = seconds_since(t0);
  sink += ctx.sink + ctx.sched.pending();
  return double(ops) / s;
}

// --- the plain queue ------------------------------------------------------------------------------

struct Plain {
  SimTime time;
  std::uint64_t seq;
  std::uint32_t id;
};
struct PlainLater {
  bool operator()(const Plain& x, const Plain& y) const {
    return x.time != y.time ? x.time > y.time : x.seq > y.seq;
  }
};

// run_plain - the same steady state with std::priority_queue and no callbacks at all.
double run_plain(std::size_t n, std::uint64_t ops, const Deltas& deltas, std::uint64_t& sink) {
  std::priority_queue<Plain, std::vector<Plain>, PlainLater> q;
  std::uint64_t seq = 1, i = 0, local = 0;
  for (std::size_t k = 0; k < n; ++k) q.push({deltas.at(i++), seq++, std::uint32_t(k)});
  auto one = [&] {
    Plain e = q.top();
    q.pop();
    local += e.id;
    q.push({e.time + deltas.at(i++), seq++, e.id});
  };
  for (std::uint64_t k = 0; k < std::min<std::uint64_t>(ops / 4, n); ++k) one();
  auto t0 = Clock::now();
  for (std::uint64_t k = 0; k < ops; ++k) one();
  double s = seconds_since(t0);
  sink += local + q.size();
  return double(ops) / s;
}

// --- 2. stream payload ----------------------------------------------------------------------------

struct StreamResult {
  double mb_per_s = 0;
  double sim_seconds = 0;
  std::uint64_t bytes = 0;
  std::uint64_t events = 0;
};

// run_stream - one stream a -> b over a 1 ms, 1 Gbit/s link; the writer puts 64 x 1460-byte chunks
// on the wire every 100 us of virtual time until `total` bytes are written; the reader counts.
StreamResult run_stream(std::uint64_t total) {
  Scheduler sched;
  Trace trace;
  trace.set_keep_bytes(false);
  Network net(sched, trace, Rng(1));
  HostId a = net.add_host("a", "10.0.0.1"), b = net.add_host("b", "10.0.0.2");
  net.add_link(a, b, LinkParams{msec(1), 1'000'000'000, 0.0});
  std::uint64_t received = 0;
  StreamPtr server;  // kept: dropping the last StreamPtr would close the stream
  net.listen(b, 25, [&](StreamPtr s) {
    server = s;
    s->set_handler({[&received](std::string_view d) { received += d.size(); }, {}, {}});
  });
  StreamPtr client;
  net.connect(a, net.host_ip(b), 25, [&](ConnectResult, StreamPtr s) { client = s; });
  sched.run();
  const std::string chunk(1460, 'x');
  std::uint64_t written = 0;
  std::function<void()> writer = [&] {
    for (int k = 0; k < 64 && written < total; ++k) {
      client->write(chunk);
      written += chunk.size();
    }
    if (written < total) sched.schedule_in(100, [&] { writer(); });
  };
  const SimTime start = sched.now();
  auto t0 = Clock::now();
  writer();
  sched.run();
  double s = seconds_since(t0);
  if (received != written)
    std::fprintf(stderr, "bench_core: stream delivered %llu of %llu bytes\n",
                 static_cast<unsigned long long>(received), static_cast<unsigned long long>(written));
  StreamResult r;
  r.bytes = received;
  r.mb_per_s = double(received) / 1e6 / s;
  r.sim_seconds = double(sched.now() - start) / 1e6;
  r.events = sched.executed();
  return r;
}

}  // namespace

int main() {
  const Deltas deltas;
  std::uint64_t sink = 0;
  struct Size {
    std::size_t pending;
    std::uint64_t ops;
  };
  const Size sizes[] = {{1'000, 4'000'000}, {100'000, 2'000'000}, {1'000'000, 1'000'000}};
  double min_ratio = 1e9;
  std::printf("scheduler vs std::priority_queue, steady state (pop one, push one), best of 5:\n");
  std::printf("%10s %16s %16s %8s\n", "pending", "Scheduler ev/s", "plain ev/s", "ratio");
  for (const Size& sz : sizes) {
    double best_s = 0, best_p = 0;
    for (int rep = 0; rep < 5; ++rep) {  // interleaved, so both see the same machine state
      best_s = std::max(best_s, run_scheduler(sz.pending, sz.ops, deltas, sink));
      best_p = std::max(best_p, run_plain(sz.pending, sz.ops, deltas, sink));
    }
    double ratio = best_s / best_p;
    min_ratio = std::min(min_ratio, ratio);
    std::printf("%10zu %16.0f %16.0f %8.2f\n", sz.pending, best_s, best_p, ratio);
  }

  StreamResult best;
  for (int rep = 0; rep < 3; ++rep) {
    StreamResult r = run_stream(200'000'000);
    if (r.mb_per_s > best.mb_per_s) best = r;
  }
  std::printf("stream: %.0f MB simulated payload in %.2f s virtual, %.0f MB/s wall (%llu events)\n",
              double(best.bytes) / 1e6, best.sim_seconds, best.mb_per_s,
              static_cast<unsigned long long>(best.events));
  std::printf("(sink %llu)\n", static_cast<unsigned long long>(sink % 1000));
  std::printf("bench_core: min ratio %.2f\n", min_ratio);
  return 0;
}
