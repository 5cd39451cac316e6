// bench_scale.cpp - the whole simulator at scale, measured in one run: 100 sending MTAs, 1,000
// recipient domains (each with its own MX that delivers locally), 100,000 messages of 1 KB, and
// 10% of the destinations failing temporarily (451) for the first hour. Every message crosses a
// real SMTP session (client engine <-> server engine over the virtual network), is queued,
// retried where needed, and delivered into a mailbox; the run ends when every queue is empty.
// Reports simulated messages per wall second, trace events per second against a plain binary
// heap doing schedule+pop work measured in the same process, and peak memory per queued message.
// Last line: "bench_scale: <msg/s> msg/s, <bytes> B/queued msg".
#include <sys/resource.h>

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
  const std::uint64_t ops = 5'000'000;
  std::uint64_t sink = 0;
  auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < ops; ++i) {
    E e = q.top();
    q.pop();
    sink += e.id;
    q.push({e.t + SimTime(r.below(1'000'000)), seq++, e.id});
  }
  double s = since(t0);
  if (sink == 42) std::puts("");
  return double(ops) / s;
}

}  // namespace

int main(int argc, char** argv) {
  int n_mta = 100, n_dom = 1000, n_msg = 100000;
  if (argc > 1) n_msg = std::atoi(argv[1]);  // a smaller run for a quick look: bench_scale 10000
  if (n_msg <= 0) { std::fprintf(stderr, "usage: bench_scale [MESSAGES]\n"); return 2; }

  long rss0 = rss_kb();
  World w(1);
  w.trace.set_recording(false);  // the hash still covers every event
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
    c.tls_out = smtp::TlsMode::None;
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
    c.offer_starttls = false;
    c.directory = dir;
    c.store = std::make_shared<mail::MemoryStore>();
    mxs.push_back(&w.add_mta(h, c));
    domains.push_back(dom);
  }
  w.start();
  // 10% of the destinations answer 451 to every RCPT for the first hour.
  for (int d = 0; d < n_dom; d += 10)
    mxs[std::size_t(d)]->server_side().behaviour.reject_recipient = smtp::ServerReply{451, "4.3.0", "Try again later"};
  w.sched.schedule_at(hours(1), [&] {
    for (int d = 0; d < n_dom; d += 10) mxs[std::size_t(d)]->server_side().behaviour.reject_recipient.reset();
  });

  // 100,000 messages of 1 KB, injected into the senders' queues over the first 10 minutes.
  const std::string body = mail::filler_body(1024);
  Rng pick(99);
  for (int m = 0; m < n_msg; ++m) {
    MtaHost* s = senders[std::size_t(m % n_mta)];
    std::string dom = domains[pick.below(std::uint64_t(n_dom))];
    SimTime at = SimTime(m) * minutes(10) / n_msg;
    w.sched.schedule_at(at, [&w, s, dom, &body, m] {
      std::string data = "From: <sender@out.example>\r\nTo: <user@" + dom + ">\r\nSubject: bench " +
                         std::to_string(m) + "\r\nMessage-ID: <" + std::to_string(m) + "@bench.example>\r\n\r\n" + body;
      s->inject("sender@out.example", {"user@" + dom}, std::move(data), false);
    });
  }

  std::size_t peak_queued = 0;
  long peak_rss = rss0;
  auto t0 = Clock::now();
  while (w.sched.now() < days(1)) {
    w.sched.run_until(w.sched.now() + minutes(1));
    std::size_t q = 0;
    for (MtaHost* s : senders) q += s->queue_depth();
    for (MtaHost* m : mxs) q += m->queue_depth();
    if (q > peak_queued) { peak_queued = q; peak_rss = std::max(peak_rss, rss_kb()); }
    if (q == 0 && w.sched.now() > hours(1) + minutes(15)) break;
  }
  double wall = since(t0);
  LedgerSummary sum = w.ledger.summarize();
  double plain = plain_heap_rate();

  double msg_rate = double(sum.delivered) / wall;
  double ev_rate = double(w.trace.count()) / wall;
  double per_msg = peak_queued ? double(peak_rss - rss0) * 1024.0 / double(peak_queued) : 0;
  std::printf("messages: %d sent, %d delivered, %d bounced, %d queued, %d lost (virtual end %s)\n", n_msg,
              sum.delivered, sum.bounced, sum.queued, sum.lost, format_time(w.sched.now()).c_str());
  std::printf("wall time: %.2f s; trace events: %llu (%.0f /s); plain heap schedule+pop: %.0f /s; "
              "events/plain ratio %.3f\n",
              wall, (unsigned long long)w.trace.count(), ev_rate, plain, ev_rate / plain);
  std::printf("peak queued: %zu messages, peak RSS growth %.1f MiB -> %.0f B per queued message\n", peak_queued,
              double(peak_rss - rss0) / 1024.0, per_msg);
  std::printf("bench_scale: %.0f msg/s, %.0f B/queued msg\n", msg_rate, per_msg);
  return sum.lost == 0 && sum.delivered == n_msg ? 0 : 1;
}
