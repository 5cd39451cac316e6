// net_network.cpp - the Network facade: topology, host crash/restart, partitions, datagrams.
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "sim/net/net_impl.hpp"

namespace smtpsim {

using namespace net_detail;

// to_string - stable names of connect results.
const char* to_string(ConnectResult r) {
  switch (r) {
    case ConnectResult::Ok: return "ok";
    case ConnectResult::Refused: return "refused";
    case ConnectResult::Timeout: return "timeout";
    case ConnectResult::Unreachable: return "unreachable";
  }
  return "unknown";
}

// to_string - stable names of close reasons.
const char* to_string(CloseReason r) {
  switch (r) {
    case CloseReason::Closed: return "closed";
    case CloseReason::Reset: return "reset";
    case CloseReason::Timeout: return "timeout";
    case CloseReason::Local: return "local";
  }
  return "unknown";
}

namespace {
// link_text - "latency=5ms bandwidth=1000000 loss=0.01" for LinkChange events.
std::string link_text(const LinkParams& p) {
  std::string s = "params latency=" + format_duration(p.latency);
  s += " bandwidth=" + std::to_string(p.bandwidth_bps);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p.loss);
  s += " loss=";
  s += buf;
  return s;
}

// check_params - reject link parameters that make no physical sense.
void check_params(const LinkParams& p) {
  if (p.latency < 0) throw std::invalid_argument("link latency must not be negative");
  if (!(p.loss >= 0.0 && p.loss <= 1.0)) throw std::invalid_argument("link loss must be in [0, 1]");
}
}  // namespace

// Impl - the network state starts empty.
Network::Impl::Impl(Scheduler& s, Trace& t, Rng r, NetConfig c)
    : sched(s), trace(t), rng(r), cfg(c) {}

// ~Impl - expire the life token first so nothing triggered by tearing down handlers touches us.
Network::Impl::~Impl() {
  life.reset();
  auto all = std::move(conns);
  for (auto& [id, c] : all) {
    for (Endpoint& e : c->ep) {
      e.inbox.clear();
      e.handler.reset();
    }
    c->connect_cb = nullptr;
  }
}

// check_host - throw on an unknown host id.
void Network::Impl::check_host(HostId h) const {
  if (h >= hosts.size()) throw std::out_of_range("unknown host id " + std::to_string(h));
}

// check_link - throw on an unknown link id.
void Network::Impl::check_link(LinkId l) const {
  if (l >= links.size()) throw std::out_of_range("unknown link id " + std::to_string(l));
}

// event - a trace event of kind k stamped with the current virtual time.
TraceEvent Network::Impl::event(TraceKind k) const {
  TraceEvent e;
  e.time = sched.now();
  e.kind = k;
  return e;
}

// run_hooks - tell every on_host_change hook (hooks added meanwhile wait for the next change).
void Network::Impl::run_hooks(HostId h, bool up) {
  std::vector<HostHook> copy = hooks;
  for (auto& fn : copy)
    if (fn) fn(h, up);
}

// Network - an empty network on the given clock and trace.
Network::Network(Scheduler& sched, Trace& trace, Rng rng, NetConfig cfg)
    : sched_(sched), trace_(trace), cfg_(cfg), impl_(std::make_unique<Impl>(sched, trace, rng, cfg)) {}

// ~Network - pending events of this network become no-ops; handlers are released.
Network::~Network() = default;

// add_host - register a host (unique name and address) and trace it coming up.
HostId Network::add_host(const std::string& name, const std::string& ip) {
  if (name.empty()) throw std::invalid_argument("host name must not be empty");
  std::uint32_t addr = 0;
  if (!parse_ipv4(ip, addr)) throw std::invalid_argument("host " + name + ": bad IPv4 address '" + ip + "'");
  if (find_host(name)) throw std::invalid_argument("duplicate host name '" + name + "'");
  if (auto other = find_ip(addr))
    throw std::invalid_argument("host " + name + ": address " + ip + " already used by " + host_name(*other));
  HostState h;
  h.name = name;
  h.shared_name = std::make_shared<const std::string>(name);
  h.ip = addr;
  impl_->by_ip[addr] = HostId(impl_->hosts.size());  // the last host added with an address owns it
  impl_->by_name[name] = HostId(impl_->hosts.size());
  impl_->hosts.push_back(std::move(h));
  impl_->group.push_back(-1);
  impl_->invalidate_routes();
  HostId id = static_cast<HostId>(impl_->hosts.size() - 1);
  TraceEvent e = impl_->event(TraceKind::HostUp);
  e.host = name;
  e.src_ip = addr;
  e.text = "start";
  trace_.emit(std::move(e));
  return id;
}

// add_link - connect two hosts with a bidirectional link.
LinkId Network::add_link(HostId a, HostId b, LinkParams p) {
  impl_->check_host(a);
  impl_->check_host(b);
  if (a == b) throw std::invalid_argument("link from " + host_name(a) + " to itself");
  if (find_link(a, b))
    throw std::invalid_argument("duplicate link " + host_name(a) + " - " + host_name(b));
  check_params(p);
  LinkId id = static_cast<LinkId>(impl_->links.size());
  LinkState l;
  l.a = a;
  l.b = b;
  l.params = p;
  l.rng = impl_->rng.derive("link:" + host_name(a) + "|" + host_name(b));
  impl_->links.push_back(std::move(l));
  impl_->hosts[a].adj.emplace_back(b, id);
  impl_->hosts[b].adj.emplace_back(a, id);
  impl_->invalidate_routes();
  return id;
}

// set_link_params - change latency/bandwidth/loss; later chunks use the new values.
void Network::set_link_params(LinkId l, LinkParams p) {
  impl_->check_link(l);
  check_params(p);
  LinkState& ls = impl_->links[l];
  ls.params = p;
  impl_->invalidate_routes();
  TraceEvent e = impl_->event(TraceKind::LinkChange);
  e.host = host_name(ls.a);
  e.peer = host_name(ls.b);
  e.src_ip = host_ip(ls.a);
  e.dst_ip = host_ip(ls.b);
  e.code = ls.up ? 1 : 0;
  e.text = link_text(p);
  trace_.emit(std::move(e));
}

// set_link_up - bring a link up or down, traced when the state changes.
void Network::set_link_up(LinkId l, bool up) {
  impl_->check_link(l);
  LinkState& ls = impl_->links[l];
  if (ls.up == up) return;
  ls.up = up;
  ++impl_->up_version;
  TraceEvent e = impl_->event(TraceKind::LinkChange);
  e.host = host_name(ls.a);
  e.peer = host_name(ls.b);
  e.src_ip = host_ip(ls.a);
  e.dst_ip = host_ip(ls.b);
  e.code = up ? 1 : 0;
  e.text = up ? "up" : "down";
  trace_.emit(std::move(e));
}

// partition - split hosts into groups that cannot reach each other.
void Network::partition(std::vector<std::vector<HostId>> groups) {
  std::vector<int> g(impl_->hosts.size(), -1);
  std::string text = "partition:";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    text += " [";
    for (std::size_t j = 0; j < groups[i].size(); ++j) {
      HostId h = groups[i][j];
      impl_->check_host(h);
      if (g[h] >= 0 && g[h] != int(i))
        throw std::invalid_argument("host " + host_name(h) + " is in two partition groups");
      g[h] = int(i);
      if (j) text += ' ';
      text += host_name(h);
    }
    text += ']';
  }
  impl_->group = std::move(g);
  impl_->partitioned = true;
  ++impl_->up_version;
  TraceEvent e = impl_->event(TraceKind::Fault);
  e.text = text;
  trace_.emit(std::move(e));
}

// heal_partition - everyone reaches everyone again (as far as links allow).
void Network::heal_partition() {
  if (!impl_->partitioned) return;
  std::fill(impl_->group.begin(), impl_->group.end(), -1);
  impl_->partitioned = false;
  ++impl_->up_version;
  TraceEvent e = impl_->event(TraceKind::Fault);
  e.text = "partition healed";
  trace_.emit(std::move(e));
}

// find_host - a host by name.
std::optional<HostId> Network::find_host(const std::string& name) const {
  if (auto it = impl_->by_name.find(name); it != impl_->by_name.end()) return it->second;
  return std::nullopt;
}

// find_ip - a host by address.
std::optional<HostId> Network::find_ip(std::uint32_t ip) const {
  if (auto it = impl_->by_ip.find(ip); it != impl_->by_ip.end()) return it->second;
  return std::nullopt;
}

// find_link - the link between two hosts, either way round.
std::optional<LinkId> Network::find_link(HostId a, HostId b) const {
  if (a >= impl_->hosts.size() || b >= impl_->hosts.size()) return std::nullopt;
  for (auto& [nb, l] : impl_->hosts[a].adj)
    if (nb == b) return l;
  return std::nullopt;
}

// host_name .. host_epoch - checked accessors (throw std::out_of_range on unknown ids).
const std::string& Network::host_name(HostId h) const {
  impl_->check_host(h);
  return impl_->hosts[h].name;
}

std::uint32_t Network::host_ip(HostId h) const {
  impl_->check_host(h);
  return impl_->hosts[h].ip;
}

std::size_t Network::host_count() const { return impl_->hosts.size(); }
std::size_t Network::link_count() const { return impl_->links.size(); }

bool Network::link_up(LinkId l) const {
  impl_->check_link(l);
  return impl_->links[l].up;
}

std::pair<HostId, HostId> Network::link_ends(LinkId l) const {
  impl_->check_link(l);
  return {impl_->links[l].a, impl_->links[l].b};
}

const LinkParams& Network::link_params(LinkId l) const {
  impl_->check_link(l);
  return impl_->links[l].params;
}

bool Network::host_up(HostId h) const {
  impl_->check_host(h);
  return impl_->hosts[h].up;
}

std::uint64_t Network::host_epoch(HostId h) const {
  impl_->check_host(h);
  return impl_->hosts[h].epoch;
}

// crash - take a host down: trace, reset its connections, tell its streams, then the hooks.
void Network::crash(HostId h, const std::string& reason) {
  impl_->check_host(h);
  if (!impl_->hosts[h].up) return;
  TraceEvent e = impl_->event(TraceKind::HostDown);
  e.host = impl_->hosts[h].name;
  e.src_ip = impl_->hosts[h].ip;
  e.text = reason;
  trace_.emit(std::move(e));
  impl_->crash_conns(h);
  impl_->run_hooks(h, false);
}

// restart - bring a crashed host back; its roles re-listen from the hooks.
void Network::restart(HostId h) {
  impl_->check_host(h);
  HostState& hs = impl_->hosts[h];
  if (hs.up) return;
  hs.up = true;
  ++impl_->up_version;
  TraceEvent e = impl_->event(TraceKind::HostUp);
  e.host = hs.name;
  e.src_ip = hs.ip;
  e.text = "restart";
  trace_.emit(std::move(e));
  impl_->run_hooks(h, true);
}

// on_host_change - add a hook; hooks run in the order added.
void Network::on_host_change(HostHook fn) { impl_->hooks.push_back(std::move(fn)); }

// open_connections - connections still in the table (not finished on both ends).
std::size_t Network::open_connections() const { return impl_->conns.size(); }

// set_hop_observer - see network.hpp.
void Network::set_hop_observer(HopObserver fn) { impl_->hop_observer = std::move(fn); }

// send_datagram - one unreliable packet; arrives after the one-way delay unless dropped.
bool Network::send_datagram(HostId from, HostId to, std::size_t bytes, Callback on_arrival) {
  impl_->check_host(from);
  impl_->check_host(to);
  const Route& r = impl_->route(from, to);
  if (!impl_->usable(r) || impl_->lost(r)) return false;
  HopRecord obs;
  if (impl_->hop_observer) {
    obs.sender = from;
    obs.written = sched_.now();
    obs.bytes = bytes;
  }
  SimTime at = impl_->traverse(r, bytes, sched_.now(), nullptr, impl_->hop_observer ? &obs : nullptr);
  std::uint32_t slot = impl_->park_datagram({to, impl_->hosts[to].epoch, std::move(on_arrival)});
  std::weak_ptr<char> life = impl_->life;
  Impl* im = impl_.get();
  sched_.schedule_at(at, [life = std::move(life), im, slot] {
    if (!life.expired()) im->datagram_arrival(slot);
  });
  return true;
}

// park_datagram - keep d in a free slot of `datagrams` until it arrives; returns the slot.
std::uint32_t Network::Impl::park_datagram(Datagram d) {
  if (free_datagram_slots.empty()) {
    datagrams.push_back(std::move(d));
    return static_cast<std::uint32_t>(datagrams.size() - 1);
  }
  std::uint32_t slot = free_datagram_slots.back();
  free_datagram_slots.pop_back();
  datagrams[slot] = std::move(d);
  return slot;
}

// datagram_arrival - free the slot, then run its callback if the receiver is still the host it
// was sent to (up, not restarted since).
void Network::Impl::datagram_arrival(std::uint32_t slot) {
  Datagram d = std::move(datagrams[slot]);  // the callback may send datagrams: take it out first
  free_datagram_slots.push_back(slot);
  const HostState& hs = hosts[d.to];
  if (!hs.up || hs.epoch != d.epoch) return;
  if (d.on_arrival) d.on_arrival();
}

}  // namespace smtpsim
