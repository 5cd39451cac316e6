// net_routes.cpp - paths (static routes, least-latency search), reachability, delay arithmetic, loss.
#include <algorithm>
#include <limits>
#include <queue>
#include <stdexcept>

#include "sim/net/net_impl.hpp"

namespace smtpsim {

using namespace net_detail;

// invalidate_routes - forget cached paths after a topology or latency change.
void Network::Impl::invalidate_routes() {
  ++routes_version;  // connections' cached Route pointers die with the cache
  route_index.clear();
  route_store.clear();
  shortest.clear();
}

// tree_path_less - whether src's tree path to a sorts before its tree path to b, for two hosts the
// same number of hops from src: walking up both, the topmost pair that differs decides.
static bool tree_path_less(const std::vector<HostId>& prev, HostId a, HostId b) {
  bool less = false;
  while (a != b) {
    less = a < b;
    a = prev[a];
    b = prev[b];
  }
  return less;
}

// shortest_from - Dijkstra from src over all links (up or down), with the documented tie-breaks
// (least latency, then fewest hops, then the lexicographically smallest list of host ids). A binary
// heap and predecessor links keep it O((n + m) log n); only the predecessor tree is kept (four
// bytes a host), so a thousand sources cost megabytes, not a vector per pair. The work arrays are
// reused from one source to the next (dijkstra_scratch); the heap orders (latency, hops, id) as
// two 64-bit keys, which is the same total order, so hosts are settled in the same sequence
// (hosts with a single link excepted - see below - which changes nothing but the heap's work).
void Network::Impl::shortest_from(HostId src) const {
  const std::size_t n = hosts.size();
  if (shortest.size() != n) shortest.assign(n, {});
  constexpr Duration kInf = std::numeric_limits<Duration>::max();
  DijkstraScratch& w = dijkstra_scratch;
  w.lat.assign(n, kInf);
  w.hops.assign(n, 0);
  w.done.assign(n, 0);
  w.heap.clear();
  std::vector<HostId> prev(n, kNoHost);
  using Item = DijkstraScratch::Item;
  auto later = [](const Item& a, const Item& b) { return a.lat != b.lat ? a.lat > b.lat : a.rank > b.rank; };
  auto push = [&](Duration lat, std::uint64_t hops, HostId id) {
    w.heap.push_back({lat, hops << 32 | id});
    std::push_heap(w.heap.begin(), w.heap.end(), later);
  };
  w.lat[src] = 0;
  push(0, 0, src);
  while (!w.heap.empty()) {
    std::pop_heap(w.heap.begin(), w.heap.end(), later);
    const Item it = w.heap.back();
    w.heap.pop_back();
    const auto u = static_cast<HostId>(it.rank & 0xffffffffu);
    if (w.done[u] || it.lat != w.lat[u] || (it.rank >> 32) != w.hops[u]) continue;
    w.done[u] = 1;
    for (auto& [nb, l] : hosts[u].adj) {
      if (w.done[nb]) continue;
      Duration cl = w.lat[u] + links[l].params.latency;
      std::uint64_t ch = w.hops[u] + 1;
      bool take = w.lat[nb] == kInf || cl < w.lat[nb] || (cl == w.lat[nb] && ch < w.hops[nb]);
      // Equal latency and hops: the candidate path (u's, then nb) against nb's current one (its
      // predecessor's, then nb) - the smaller of u's and the predecessor's path decides.
      if (!take && cl == w.lat[nb] && ch == w.hops[nb]) take = tree_path_less(prev, u, prev[nb]);
      if (!take) continue;
      w.lat[nb] = cl;
      w.hops[nb] = ch;
      prev[nb] = u;
      // A host with a single link (an end host on its router) is reached only through u, which is
      // settled: its path is final now, and settling it would relax nobody and be nobody's
      // predecessor. So it is settled here instead of through the heap - same tree, no heap work.
      if (hosts[nb].adj.size() == 1) {
        w.done[nb] = 1;
        continue;
      }
      push(cl, ch, nb);
    }
  }
  prev[src] = src;  // marks the root; kNoHost now means "unreachable"
  shortest[src] = std::move(prev);
}

// tree_path - the hosts from src to dst in src's predecessor tree (empty when unreachable).
std::vector<HostId> Network::Impl::tree_path(HostId src, HostId dst) const {
  const std::vector<HostId>& prev = shortest[src];
  std::vector<HostId> p;
  if (prev[dst] == kNoHost) return p;
  std::size_t len = 1;
  for (HostId x = dst; x != src; x = prev[x]) ++len;
  p.resize(len);  // one allocation, filled from the end
  HostId x = dst;
  for (std::size_t i = len; i-- > 0; x = prev[x]) p[i] = x;
  return p;
}

// link_between - the link joining a and b (kNoLink if none), found in whichever of the two hosts
// has fewer links (there is at most one link per pair, so both lists name the same one).
LinkId Network::Impl::link_between(HostId a, HostId b) const {
  const bool from_b = hosts[b].adj.size() < hosts[a].adj.size();
  const HostId other = from_b ? a : b;
  for (auto& [nb, l] : hosts[from_b ? b : a].adj)
    if (nb == other) return l;
  return kNoLink;
}

// route - the resolved path from -> to (static route, reversed static route, or least latency).
const Route& Network::Impl::route(HostId from, HostId to) const {
  if (route_index.size() != hosts.size()) route_index.assign(hosts.size(), {});
  std::vector<std::uint32_t>& row = route_index[from];
  if (row.size() != hosts.size()) row.assign(hosts.size(), 0);
  if (row[to] != 0) return route_store[row[to] - 1];
  std::vector<HostId> hs;
  if (auto s = static_routes.find({from, to}); s != static_routes.end()) {
    hs = s->second;
  } else if (auto r = static_routes.find({to, from}); r != static_routes.end()) {
    hs.assign(r->second.rbegin(), r->second.rend());
  } else {
    if (shortest.size() != hosts.size() || shortest[from].empty()) shortest_from(from);
    hs = tree_path(from, to);
  }
  Route rt;
  if (hs.size() > 1) rt.hops.reserve(hs.size() - 1);
  for (std::size_t i = 0; i + 1 < hs.size(); ++i) {
    LinkId l = link_between(hs[i], hs[i + 1]);
    if (l == kNoLink) continue;
    const LinkParams& p = links[l].params;
    rt.hops.push_back({l, p.latency, p.bandwidth_bps});
    rt.latency += p.latency;
    rt.lossy = rt.lossy || p.loss > 0;
  }
  rt.hosts = std::move(hs);
  route_store.push_back(std::move(rt));
  row[to] = std::uint32_t(route_store.size());
  return route_store.back();
}

// reachable - the path exists and everything on it is up and inside one partition group.
bool Network::Impl::reachable(HostId from, HostId to) const { return usable(route(from, to)); }

// usable - r exists and everything on it is up and inside one partition group. A route's hosts
// start at its source and end at its destination, so their up flags are among those checked, and
// every change of an up flag bumps up_version: the cached answer needs no look at either host.
bool Network::Impl::usable(const Route& r) const {
  if (r.hosts.empty()) return false;
  if (r.usable_version == up_version) return r.usable;  // nothing went up or down since
  r.usable_version = up_version;
  r.usable = reachable_now(r);
  return r.usable;
}

// reachable_now - every link and host of r is up and inside one partition group.
bool Network::Impl::reachable_now(const Route& r) const {
  for (const Hop& hop : r.hops)
    if (!links[hop.link].up) return false;
  int g = -1;
  for (HostId h : r.hosts) {
    if (!hosts[h].up) return false;
    if (partitioned && group[h] >= 0) {
      if (g < 0) g = group[h];
      else if (g != group[h]) return false;
    }
  }
  return true;
}

// dir_route - the route of one direction of c, looked up once per topology version.
const Route& Network::Impl::dir_route(Conn& c, int s) const {
  Dir& d = c.dir[s];
  if (d.route_version != routes_version || !d.route) {
    d.route = &route(c.ep[s].host, c.ep[1 - s].host);
    d.route_version = routes_version;
  }
  return *d.route;
}

// lost - draw per link in path order whether a packet is lost (stops at the first loss).
bool Network::Impl::lost(const Route& r) {
  if (!r.lossy) return false;  // no draw to make: skip touching every link
  for (const Hop& hop : r.hops) {
    LinkState& ls = links[hop.link];
    if (ls.params.loss > 0 && ls.rng.chance(ls.params.loss)) return true;
  }
  return false;
}

// ser_delay - microseconds to clock `bytes` onto a link of `bps`, rounded up (0 when unlimited).
Duration Network::Impl::ser_delay(std::size_t bytes, std::uint64_t bps) {
  if (bps == 0 || bytes == 0) return 0;
  const std::uint64_t bits_us = 8'000'000ULL;  // bits per byte * microseconds per second
  std::uint64_t n = bytes;
  std::uint64_t q = n / bps, r = n % bps;      // split so r * 8e6 stays far from overflow
  std::uint64_t whole = q * bits_us;
  std::uint64_t part = (r * bits_us + bps - 1) / bps;
  return static_cast<Duration>(whole + part);
}

// traverse - arrival time of `bytes` sent at t: store-and-forward per hop, each link serving the
// direction's chunks in order (link_free holds when each link finished the previous one).
// With `observe` (a record with conn, sender, written, bytes, offset filled in) each hop is also
// reported to hop_observer.
SimTime Network::Impl::traverse(const Route& r, std::size_t bytes, SimTime t,
                                LinkFree* link_free, HopRecord* observe) const {
  for (std::size_t i = 0; i < r.hops.size(); ++i) {
    const Hop& hop = r.hops[i];
    Duration ser = ser_delay(bytes, hop.bandwidth_bps);
    SimTime start = t;
    if (link_free) {
      if (SimTime* free_at = link_free->find(hop.link); !free_at) {
        link_free->add(hop.link, start + ser);
      } else {
        start = std::max(start, *free_at);
        *free_at = start + ser;
      }
    }
    t = start + ser + hop.latency;
    if (observe) {
      observe->from = r.hosts[i];
      observe->to = r.hosts[i + 1];
      observe->hop = int(i);
      observe->hops = int(r.hops.size());
      observe->depart = start;
      observe->arrive = t;
      hop_observer(*observe);
    }
  }
  return t;
}

// initial_rto - the first retransmission timeout of c: max(min_rto, 2 * RTT).
Duration Network::Impl::initial_rto(Conn& c) const {
  Duration rtt = dir_route(c, 0).latency + dir_route(c, 1).latency;
  return std::min(std::max(cfg.min_rto, 2 * rtt), std::max(cfg.min_rto, cfg.max_rto));
}

// path - the hosts crossed from -> to.
std::vector<HostId> Network::path(HostId from, HostId to) const {
  impl_->check_host(from);
  impl_->check_host(to);
  return impl_->route(from, to).hosts;
}

// reachable - see Impl::reachable (checked ids).
bool Network::reachable(HostId from, HostId to) const {
  impl_->check_host(from);
  impl_->check_host(to);
  return impl_->reachable(from, to);
}

// one_way_delay - latency plus per-link serialisation of `bytes` on an idle path.
Duration Network::one_way_delay(HostId from, HostId to, std::size_t bytes) const {
  impl_->check_host(from);
  impl_->check_host(to);
  const Route& r = impl_->route(from, to);
  return impl_->traverse(r, bytes, 0, nullptr);
}

// set_route - pin the path from -> to (validated); an empty path removes the pin.
void Network::set_route(HostId from, HostId to, std::vector<HostId> path) {
  impl_->check_host(from);
  impl_->check_host(to);
  if (path.empty()) {
    impl_->static_routes.erase({from, to});
    impl_->invalidate_routes();
    return;
  }
  std::string what = "route " + host_name(from) + " -> " + host_name(to) + ": ";
  if (path.front() != from || path.back() != to)
    throw std::invalid_argument(what + "the path must start at the source and end at the destination");
  for (std::size_t i = 0; i < path.size(); ++i) {
    impl_->check_host(path[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (path[j] == path[i]) throw std::invalid_argument(what + "host " + host_name(path[i]) + " appears twice");
    if (i > 0 && !find_link(path[i - 1], path[i]))
      throw std::invalid_argument(what + "no link " + host_name(path[i - 1]) + " - " + host_name(path[i]));
  }
  impl_->static_routes[{from, to}] = std::move(path);
  impl_->invalidate_routes();
}

}  // namespace smtpsim
