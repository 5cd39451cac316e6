// bench_scale.cpp - the whole simulator at scale, measured in one run: 100 sending MTAs, 1,000
// recipient domains (each with its own MX that delivers locally), 100,000 messages of 1 KB, and
// 10% of the destinations failing temporarily (451) for the first hour. Every message crosses a
// real SMTP session (client engine <-> server engine over the virtual network), is queued,
// retried where needed, and delivered into a mailbox; the run ends when every queue is empty.
// Reports simulated messages per CPU second, trace events per second against a plain binary
// heap doing schedule+pop work measured in the same process, and peak memory per queued message.
// Two figures, each with its conditions in its line: "plain:" (no TLS, trace recording off) and
// "TLS:" (a tenth of the messages, STARTTLS on every hop, trace recording on).
// Last line: "bench_scale: <msg/s> msg/s, <bytes> B/queued msg" (the plain figure; CI reads it).
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

#include "sim/mail/mail_compose.hpp"
#include "sim/roles/mta_server.hpp"
#include "sim/roles/world.hpp"

using namespace smtpsim;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// cpu_seconds - CPU time this process has used: on a shared, busy machine the honest measure of
// "per second on one core" (wall time is printed too).
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// rss_kb - the process's current resident set (KiB), from /proc.
long rss_kb() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long pages = 0, resident = 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return resident * 4;
}

// plain_heap_rate - schedule+pop events/s of a plain std::priority_queue of {time, seq, id} at
// 1e5 pending (the yardstick bench_core uses).
double plain_heap_rate() {
  struct E { SimTime t; std::uint64_t seq; std::uint32_t id; };
  auto later = [](const E& a, const E& b) { return a.t != b.t ? a.t > b.t : a.seq > b.seq; };
  std::priority_queue<E, std::vector<E>, decltype(later)> q(later);
  Rng r(7);
  std::uint64_t seq = 0;
  for (int i = 0; i < 100000; ++i) q.push({SimTime(r.below(1'000'000)), seq++, std::uint32_t(i)});
  const std::uint64_t ops = 2'000'000;
  std::uint64_t sink = 0;
  double c0 = cpu_seconds();
  for (std::uint64_t i = 0; i < ops; ++i) {
    E e = q.top();
    q.pop();
    sink += e.id;
    q.push({e.t + SimTime(r.below(1'000'000)), seq++, e.id});
  }
  double s = cpu_seconds() - c0;
  if (sink == 42) std::puts("");
  return double(ops) / s;
}

// Traffic - the benchmark's message source: message m goes from sender m % senders to a random
// domain's user at virtual time m * 10 min / n.
struct Traffic {
  World& w;
  const std::vector<MtaHost*>& senders;
  const std::vector<std::string>& domains;
  const std::string& body;
  Rng pick;
  int n = 0;
  int next = 0;
  std::string data;  // the message being built, reused

  // schedule_next - arrange the next message's injection at its time (nothing after the last).
  void schedule_next() {
    if (next >= n) return;
    SimTime at = SimTime(next) * minutes(10) / n;
    w.sched.schedule_at(at, [this] { inject_next(); });
  }

  // inject_next - compose message `next`, hand it to its sender, and schedule the one after.
  void inject_next() {
    const int m = next++;
    MtaHost* s = senders[std::size_t(m % int(senders.size()))];
    const std::string& dom = domains[pick.below(std::uint64_t(domains.size()))];
    std::string rcpt = "user@" + dom;
    data.clear();
    data.append("From: <sender@out.example>\r\nTo: <").append(rcpt).append(">\r\nSubject: bench ");
    data.append(std::to_string(m)).append("\r\nMessage-ID: <").append(std::to_string(m));
    data.append("@bench.example>\r\n\r\n").append(body);
    s->inject("sender@out.example", {std::move(rcpt)}, data, false);
    schedule_next();
  }
};

// Phase1 - what one traffic run measured.
struct Phase1 {
  LedgerSummary sum;
  double cpu = 0, wall = 0;
  std::uint64_t events = 0;
  std::string hash;
  std::size_t peak_queued = 0;
  long rss_growth_kb = 0;
  std::string end;
};

// run_traffic - the traffic run: n_mta senders, n_dom domains, n_msg messages of 1 KB, 10% of the
// destinations answering 451 for the first hour. tls: STARTTLS on every hop (required by the
// senders, offered by every MX) and the trace recorded in memory (events and bytes), as a lesson
// run keeps it; otherwise no TLS and recording off (the hash still covers every event).
Phase1 run_traffic(int n_mta, int n_dom, int n_msg, bool tls) {
  World w(1);
  w.trace.set_recording(tls);
  HostId inet = w.add_host("internet", "10.0.0.1");
  HostId dns = w.add_host("dns", "10.0.0.2");
  w.net.add_link(inet, dns, {msec(5), 0, 0});
  w.set_dns_host(dns);

  std::vector<MtaHost*> senders;
  for (int i = 0; i < n_mta; ++i) {
    std::string name = "mta" + std::to_string(i) + ".out.example";
    HostId h = w.add_host(name, "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1));
    w.net.add_link(h, inet, {msec(10), 0, 0});
    MtaConfig c;
    c.name = name;
    c.ports = {};  // senders only send
    c.tls_out = tls ? smtp::TlsMode::Required : smtp::TlsMode::None;
    c.offer_starttls = false;
    c.max_per_destination = 2;
    senders.push_back(&w.add_mta(h, c));
  }
  std::vector<std::string> domains;
  std::vector<MtaHost*> mxs;
  for (int d = 0; d < n_dom; ++d) {
    std::string dom = "d" + std::to_string(d) + ".example";
    std::string mx = "mx." + dom;
    HostId h = w.add_host(mx, "10.2." + std::to_string(d / 250) + "." + std::to_string(d % 250 + 1));
    w.net.add_link(h, inet, {msec(20), 0, 0});
    w.zones.add_mx(dom, 10, mx);
    auto dir = std::make_shared<mail::Directory>();
    dir->add_user("user@" + dom, "pw");
    MtaConfig c;
    c.name = mx;
    c.offer_starttls = tls;
    c.directory = dir;
    c.store = std::make_shared<mail::MemoryStore>();
    mxs.push_back(&w.add_mta(h, c));
    domains.push_back(dom);
  }
  w.start();
  long rss0 = rss_kb();  // after the network is built: what grows from here is the mail
  // 10% of the destinations answer 451 to every RCPT for the first hour.
  for (int d = 0; d < n_dom; d += 10)
    mxs[std::size_t(d)]->server_side().behaviour.reject_recipient = smtp::ServerReply{451, "4.3.0", "Try again later"};
  w.sched.schedule_at(hours(1), [&] {
    for (int d = 0; d < n_dom; d += 10) mxs[std::size_t(d)]->server_side().behaviour.reject_recipient.reset();
  });

  // Messages of 1 KB, injected into the senders' queues over the first 10 minutes by a traffic
  // generator: each injection schedules the next, as a real message source would, so the
  // scheduler holds one pending injection instead of all of them from the start.
  const std::string body = mail::filler_body(1024);
  Traffic traffic{w, senders, domains, body, Rng(99), n_msg, 0, {}};
  traffic.schedule_next();
  Phase1 r;
  long peak_rss = rss0;
  auto t0 = Clock::now();
  double c0 = cpu_seconds();
  while (w.sched.now() < days(1)) {
    w.sched.run_until(w.sched.now() + minutes(1));
    std::size_t q = 0;
    for (MtaHost* s : senders) q += s->queue_depth();
    for (MtaHost* m : mxs) q += m->queue_depth();
    if (q > r.peak_queued) { r.peak_queued = q; peak_rss = std::max(peak_rss, rss_kb()); }
    if (q == 0 && w.sched.now() > hours(1) + minutes(15)) break;
  }
  r.wall = since(t0);
  r.cpu = cpu_seconds() - c0;
  r.sum = w.ledger.summarize();
  r.events = w.trace.count();
  r.hash = w.trace.hash_hex();
  r.rss_growth_kb = peak_rss - rss0;
  r.end = format_time(w.sched.now());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int n_mta = 100, n_dom = 1000, n_msg = 100000;
  if (argc > 1) n_msg = std::atoi(argv[1]);  // a smaller run for a quick look: bench_scale 10000
  const bool speed_only = argc > 2 && std::string(argv[2]) == "--speed-only";  // skip phase 2 (profiling)
  if (n_msg <= 0 || (argc > 2 && !speed_only)) {
    std::fprintf(stderr, "usage: bench_scale [MESSAGES [--speed-only]]\n");
    return 2;
  }
  // The TLS figure: a tenth of the messages (each session pays a full TLS 1.3 handshake on both ends).
  const int n_tls = std::max(1, n_msg / 10);
  const std::string body = mail::filler_body(1024);

  // Phase 2 (run first, on a fresh heap), memory: one MTA queues 20,000 messages of 1 KB for a
  // destination that never answers; the growth of the resident set divided by the queued messages
  // is the cost of one queued message (spool entry, recipient state, retry clock, ledger line).
  double per_msg = 0;
  std::size_t queued2 = 0;
  if (!speed_only) {
    World w2(2);
    w2.trace.set_recording(false);
    HostId i2 = w2.add_host("internet", "10.0.0.1");
    HostId d2 = w2.add_host("dns", "10.0.0.2");
    HostId s2 = w2.add_host("mta.out.example", "10.0.0.3");
    HostId m2 = w2.add_host("mx.far.example", "10.0.0.4");
    w2.net.add_link(i2, d2, {msec(5), 0, 0});
    w2.net.add_link(i2, s2, {msec(5), 0, 0});
    LinkId cut = w2.net.add_link(i2, m2, {msec(5), 0, 0});
    w2.net.set_link_up(cut, false);
    w2.zones.add_mx("far.example", 10, "mx.far.example");
    w2.set_dns_host(d2);
    MtaConfig c;
    c.name = "mta.out.example";
    c.ports = {};
    c.tls_out = smtp::TlsMode::None;
    MtaHost& mta = w2.add_mta(s2, c);
    w2.start();
    std::vector<std::string> datas;
    long before = rss_kb();
    for (int m = 0; m < 20000; ++m)
      mta.inject("sender@out.example", {"user@far.example"},
                 "From: <sender@out.example>\r\nTo: <user@far.example>\r\nSubject: q " + std::to_string(m) +
                     "\r\nMessage-ID: <q" + std::to_string(m) + "@bench.example>\r\n\r\n" + body,
                 false);
    w2.sched.run_until(minutes(5));  // every message has been tried once and is deferred
    queued2 = mta.queue_depth();
    per_msg = queued2 ? double(rss_kb() - before) * 1024.0 / double(queued2) : 0;
  }

  // The traffic runs come after phase 2: memory they free would let phase 2's queue grow into
  // pages already resident, and its figure would read 0.
  Phase1 plain_run = run_traffic(n_mta, n_dom, n_msg, false);
  Phase1 tls_run = run_traffic(n_mta, n_dom, n_tls, true);
  const LedgerSummary& sum = plain_run.sum;
  const double cpu = plain_run.cpu, wall = plain_run.wall;
  double plain = plain_heap_rate();
  double msg_rate = double(sum.delivered) / cpu;
  double ev_rate = double(plain_run.events) / cpu;
  std::printf("messages: %d sent, %d delivered, %d bounced, %d queued, %d lost (virtual end %s)\n", n_msg,
              sum.delivered, sum.bounced, sum.queued, sum.lost, plain_run.end.c_str());
  std::printf("cpu time: %.2f s (wall %.2f s); trace events: %llu (%.0f /s); plain heap schedule+pop: %.0f /s; "
              "events/plain ratio %.3f\n",
              cpu, wall, (unsigned long long)plain_run.events, ev_rate, plain, ev_rate / plain);
  std::printf("trace hash: %s (an optimisation that changes no event leaves it as it is)\n", plain_run.hash.c_str());
  std::printf("phase 1 peak: %zu messages queued, RSS grew %.1f MiB (world, mailboxes, ledger, queues)\n",
              plain_run.peak_queued, double(plain_run.rss_growth_kb) / 1024.0);
  std::printf("phase 2: %zu messages of 1 KB deferred in one queue: %.0f B of resident memory each\n", queued2, per_msg);
  std::printf("plain: %.0f msg/s per CPU second - %d messages, no TLS, trace recording off\n", msg_rate, n_msg);
  std::printf("TLS: %.0f msg/s per CPU second - %d messages, STARTTLS (TLS 1.3) on every hop, trace recording on "
              "(%llu events kept, RSS grew %.1f MiB; %d delivered, %d lost)\n",
              double(tls_run.sum.delivered) / tls_run.cpu, n_tls, (unsigned long long)tls_run.events,
              double(tls_run.rss_growth_kb) / 1024.0, tls_run.sum.delivered, tls_run.sum.lost);
  std::printf("bench_scale: %.0f msg/s, %.0f B/queued msg\n", msg_rate, per_msg);
  const bool ok = sum.lost == 0 && sum.delivered == n_msg && tls_run.sum.lost == 0 && tls_run.sum.delivered == n_tls;
  return ok ? 0 : 1;
}
