// net_fixture.hpp - a network on its own clock and trace, plus recorders that turn stream callbacks
// and trace events into readable lines ("t=20000 data:HELLO") for table-style assertions.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/network.hpp"

namespace smtpsim::test {

// Rec - what one stream's handler saw, one line per callback, stamped with virtual time (us).
struct Rec {
  std::vector<std::string> lines;
  std::string data;  // all bytes received, concatenated
  int closed = 0;

  // handler - a StreamHandler that records into this Rec (the Rec must outlive the stream's use).
  StreamHandler handler(Scheduler& s) {
    return StreamHandler{
        [this, &s](std::string_view d) {
          lines.push_back("t=" + std::to_string(s.now()) + " data:" + std::string(d));
          data.append(d);
        },
        [this, &s] { lines.push_back("t=" + std::to_string(s.now()) + " eof"); },
        [this, &s](CloseReason r) {
          lines.push_back("t=" + std::to_string(s.now()) + " closed:" + to_string(r));
          ++closed;
        }};
  }
};

struct Net {
  Scheduler sched;
  Trace trace;
  Network net;

  explicit Net(std::uint64_t seed = 1, NetConfig cfg = {}) : net(sched, trace, Rng(seed), cfg) {}

  HostId host(const std::string& name, const std::string& ip) { return net.add_host(name, ip); }
  LinkId link(HostId a, HostId b, Duration latency, std::uint64_t bps = 0, double loss = 0.0) {
    LinkParams p;
    p.latency = latency;
    p.bandwidth_bps = bps;
    p.loss = loss;
    return net.add_link(a, b, p);
  }
  std::uint32_t ip(HostId h) const { return net.host_ip(h); }

  // line - one trace event as "t=<us> <kind> <host>><peer> #<conn> <code> <text>".
  static std::string line(const TraceEvent& e) {
    std::string s = "t=" + std::to_string(e.time) + " " + to_string(e.kind) + " " + e.host;
    if (!e.peer.empty()) s += ">" + e.peer;
    if (e.conn) s += " #" + std::to_string(e.conn);
    if (e.kind == TraceKind::ConnOpen || e.kind == TraceKind::LinkChange || e.kind == TraceKind::Dns)
      s += " " + std::to_string(e.code);
    if (!e.text.empty()) s += " " + e.text;
    if (!e.data.empty()) s += " [" + e.data + "]";
    return s;
  }
  // lines - the trace as lines, keeping only the given kinds (all kinds when empty).
  std::vector<std::string> lines(std::vector<TraceKind> kinds = {}) const {
    std::vector<std::string> out;
    for (const TraceEvent& e : trace.events()) {
      bool keep = kinds.empty();
      for (TraceKind k : kinds) keep = keep || e.kind == k;
      if (keep) out.push_back(line(e));
    }
    return out;
  }
  // conn_lines - the connection-level events (no host/link/bytes noise).
  std::vector<std::string> conn_lines() const {
    return lines({TraceKind::ConnOpen, TraceKind::ConnAccept, TraceKind::ConnRefused, TraceKind::ConnTimeout,
                  TraceKind::ConnReset, TraceKind::ConnClose});
  }
};

// Pair - a client/server stream pair established over `net` (server listens on port 25).
struct Pair {
  StreamPtr client, server;
  Rec crec, srec;
};

// connect_pair - listen on `to`:25, connect from `from`, run until both ends exist; handlers set.
inline std::shared_ptr<Pair> connect_pair(Net& n, HostId from, HostId to, std::uint16_t port = 25) {
  auto p = std::make_shared<Pair>();
  Pair* raw = p.get();
  if (!n.net.listening(to, port))
    n.net.listen(to, port, [raw, &n](StreamPtr s) {
      raw->server = s;
      s->set_handler(raw->srec.handler(n.sched));
    });
  n.net.connect(from, n.ip(to), port, [raw, &n](ConnectResult r, StreamPtr s) {
    if (r != ConnectResult::Ok) return;
    raw->client = s;
    s->set_handler(raw->crec.handler(n.sched));
  });
  for (int i = 0; i < 1000 && !(p->client && p->server) && n.sched.step(); ++i) {
  }
  return p;
}

}  // namespace smtpsim::test
