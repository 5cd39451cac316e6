// scene_inspect_charts.cpp - the charts over virtual time, from the trace alone: how many
// recipients each MTA's queue holds (queued +1; sent, delivered, bounced or expired -1), and the
// running counts of deliveries (Delivery events), deferrals (Queue events in state deferred) and
// bounces (Bounce events), sampled at equal steps from 0 to the clock. A queue's sample is the most
// it held during the step, so a message that passes through in a second still shows.
#include <algorithm>
#include <map>

#include "viz/scene/scene_inspect.hpp"

namespace smtpsim::viz {

void build_charts(const std::vector<TraceEvent>& ev, SimTime t, int samples, SceneCharts& out) {
  out = SceneCharts{};
  out.to_us = t;
  samples = std::max(samples, 2);
  const double step = double(std::max<SimTime>(t, 1)) / double(samples - 1);
  std::map<std::string, int> depth;            // MTA -> recipients held now
  std::map<std::string, int> peak;             // MTA -> the most held since the last sample
  std::map<std::string, std::size_t> index;    // MTA -> its series in out.queues
  out.deliveries.name = "deliveries";
  out.deferrals.name = "deferrals";
  out.bounces.name = "bounces";
  std::size_t i = 0;
  // sample - append every series' value for sample k (time k * step).
  auto sample = [&] {
    for (auto& [host, at] : index) {
      SceneSeries& q = out.queues[at];
      while (q.values.size() < out.deliveries.values.size()) q.values.push_back(0);  // before it first held mail
      q.values.push_back(float(std::max(depth[host], peak[host])));
      peak[host] = depth[host];
    }
    out.deliveries.values.push_back(float(out.delivered));
    out.deferrals.values.push_back(float(out.deferred));
    out.bounces.values.push_back(float(out.bounced));
  };
  for (int k = 0; k < samples; ++k) {
    const SimTime at = k == samples - 1 ? t : SimTime(double(k) * step);
    for (; i < ev.size() && ev[i].time <= at; ++i) {
      const TraceEvent& e = ev[i];
      if (e.kind == TraceKind::Delivery) ++out.delivered;
      else if (e.kind == TraceKind::Bounce) ++out.bounced;
      else if (e.kind == TraceKind::Queue) {
        switch (e.state) {
          case QueueState::Queued:
            if (!index.count(e.host)) {
              index[e.host] = out.queues.size();
              out.queues.push_back({e.host, {}, 0});
            }
            peak[e.host] = std::max(peak[e.host], ++depth[e.host]);
            break;
          case QueueState::Deferred: ++out.deferred; break;
          case QueueState::Sent: case QueueState::Delivered: case QueueState::Bounced: case QueueState::Expired:
            --depth[e.host];
            break;
          default: break;
        }
      }
    }
    sample();
  }
  for (SceneSeries* s : {&out.deliveries, &out.deferrals, &out.bounces}) s->max = s->values.empty() ? 0 : s->values.back();
  for (SceneSeries& q : out.queues)
    for (float v : q.values) q.max = std::max(q.max, v);
}

}  // namespace smtpsim::viz
