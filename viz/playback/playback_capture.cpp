// playback_capture.cpp - the inspector's capture: MtaHost's accept observer, plus the connection
// found in the trace (the delivery of the client's last bytes is what completed the message).
#include "viz/playback/playback_capture.hpp"

#include "sim/roles/world.hpp"
#include "sim/scenario/scenario_build.hpp"

namespace smtpsim::viz {

namespace {
// conn_into - the connection whose bytes just reached host at t (0 = none: made here).
std::uint64_t conn_into(const World& w, const std::string& host, SimTime t) {
  const auto& ev = w.trace.events();
  for (std::size_t i = ev.size(); i-- > 0;) {
    const TraceEvent& e = ev[i];
    if (e.time != t) break;
    if (e.kind == TraceKind::BytesDelivered && e.peer == host) return e.conn;
  }
  return 0;
}
}  // namespace

void Capture::attach(scenario::BuiltWorld& b) {
  World* w = b.world.get();
  for (const auto& m : w->mtas()) {
    const std::string host = m->name();
    m->set_accept_observer([this, w, host](const QueueEntry& q, const Incoming* in) {
      CapturedHop h;
      h.t_us = q.arrival;
      h.host = host;
      h.qid = q.qid;
      h.msgid = q.msgid;
      h.sender = q.sender;
      for (const auto& r : q.rcpts) h.rcpts.push_back(r.address);
      h.stored = q.data;
      h.dsn = q.is_dsn;
      if (in) {
        h.from = q.received_from;
        h.received = in->data;
        h.tls = in->tls;
        h.tls_detail = in->tls_detail;
        h.conn = conn_into(*w, host, q.arrival);
      }
      hops_.push_back(std::move(h));
    });
  }
}

}  // namespace smtpsim::viz
