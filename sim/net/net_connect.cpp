// net_connect.cpp - listeners, the connect handshake (SYN retries, accept, refuse, timeout), and
// what a host crash does to its connections.
#include <stdexcept>

#include "sim/net/net_impl.hpp"

namespace smtpsim {

using namespace net_detail;

// listen - register an accept callback on host:port.
void Network::listen(HostId h, std::uint16_t port, AcceptFn on_accept) {
  impl_->check_host(h);
  HostState& hs = impl_->hosts[h];
  if (port == 0) throw std::invalid_argument(hs.name + ": cannot listen on port 0");
  if (!hs.up) throw std::logic_error(hs.name + " is down: cannot listen on port " + std::to_string(port));
  if (hs.listeners.count(port))
    throw std::logic_error(hs.name + " is already listening on port " + std::to_string(port));
  hs.listeners.emplace(port, std::make_shared<AcceptFn>(std::move(on_accept)));
}

// unlisten - stop accepting on host:port (connections already accepted go on).
void Network::unlisten(HostId h, std::uint16_t port) {
  impl_->check_host(h);
  impl_->hosts[h].listeners.erase(port);
}

// listening - whether host:port accepts connections now.
bool Network::listening(HostId h, std::uint16_t port) const {
  impl_->check_host(h);
  return impl_->hosts[h].listeners.count(port) != 0;
}

// accept_external - run the listener of h:port on a stream from outside (live bridge).
bool Network::accept_external(HostId h, std::uint16_t port, StreamPtr s) {
  impl_->check_host(h);
  HostState& hs = impl_->hosts[h];
  auto it = hs.listeners.find(port);
  if (!hs.up || it == hs.listeners.end()) return false;
  std::shared_ptr<AcceptFn> fn = it->second;  // the listener may unlisten while it runs
  (*fn)(std::move(s));
  return true;
}

// reserve_conn_id - take the next connection id, so external streams share the id space.
std::uint64_t Network::reserve_conn_id() { return impl_->next_conn++; }

// connect - start the handshake (see Impl::connect).
void Network::connect(HostId from, std::uint32_t ip, std::uint16_t port, ConnectFn cb) {
  impl_->check_host(from);
  impl_->connect(from, ip, port, std::move(cb));
}

// intercept - make `via` a transparent proxy for connections to `port` that cross it.
void Network::intercept(HostId via, std::uint16_t port, AcceptFn on_accept) {
  impl_->check_host(via);
  HostState& hs = impl_->hosts[via];
  if (port == 0) throw std::invalid_argument(hs.name + ": cannot intercept port 0");
  if (!hs.up) throw std::logic_error(hs.name + " is down: cannot intercept port " + std::to_string(port));
  if (hs.intercepts.count(port))
    throw std::logic_error(hs.name + " already intercepts port " + std::to_string(port));
  hs.intercepts.emplace(port, std::make_shared<AcceptFn>(std::move(on_accept)));
}

// stop_intercept - connections to the port pass `via` untouched again (taken ones go on).
void Network::stop_intercept(HostId via, std::uint16_t port) {
  impl_->check_host(via);
  impl_->hosts[via].intercepts.erase(port);
}

bool Network::intercepting(HostId via, std::uint16_t port) const {
  impl_->check_host(via);
  return impl_->hosts[via].intercepts.count(port) != 0;
}

// connect_as - a connection whose source address and name are another host's.
void Network::connect_as(HostId from, HostId as, std::uint32_t ip, std::uint16_t port, ConnectFn cb) {
  impl_->check_host(from);
  impl_->check_host(as);
  impl_->connect(from, ip, port, std::move(cb), as);
}

// interceptor - the first host in the middle of route r that intercepts `port`.
HostId Network::Impl::interceptor(const Route& r, std::uint16_t port) const {
  const std::vector<HostId>& path = r.hosts;
  for (std::size_t i = 1; i + 1 < path.size(); ++i) {
    const HostState& hs = hosts[path[i]];
    if (hs.up && hs.intercepts.count(port)) return path[i];
  }
  return kNoHost;
}

// alloc_port - the next free ephemeral port of a host (49152..65535, wrapping); 0 if all are used.
std::uint16_t Network::Impl::alloc_port(HostId h) {
  HostState& hs = hosts[h];
  if (hs.ports_in_use.empty()) hs.ports_in_use.assign(16384, false);
  for (int i = 0; i < 16384; ++i) {
    const std::uint32_t slot = hs.port_counter % 16384;
    ++hs.port_counter;
    if (hs.ports_in_use[slot]) continue;
    hs.ports_in_use[slot] = true;
    return static_cast<std::uint16_t>(49152 + slot);
  }
  return 0;
}

// free_port - give an ephemeral port of h back.
void Network::Impl::free_port(HostId h, std::uint16_t port) {
  std::vector<bool>& used = hosts[h].ports_in_use;
  if (port >= 49152 && std::size_t(port - 49152) < used.size()) used[port - 49152] = false;
}

// connect - allocate the connection and send the first SYN, or report Unreachable at once. With
// `as`, the client end shows that host's address and name (connect_as); a transparent proxy on
// the path takes the connection instead of the destination (intercept).
void Network::Impl::connect(HostId from, std::uint32_t ip, std::uint16_t port, ConnectFn cb, HostId as) {
  std::uint64_t id = next_conn++;
  std::optional<HostId> to;
  if (auto h = by_ip.find(ip); h != by_ip.end()) to = h->second;
  std::string why;
  if (!to) why = "no host has address " + ipv4_to_string(ip);
  else if (!hosts[from].up) why = hosts[from].name + " is down";
  const Route* direct = nullptr;  // the route from -> to, looked up once for all its uses below
  if (why.empty()) {
    direct = &route(from, *to);
    if (direct->hosts.empty()) why = "no route to " + hosts[*to].name;
  }
  // connect_as takes the port from the impersonated host's range, so that the proxy's leg never
  // has the same address and port pair as a connection of that host (captures stay apart).
  const HostId port_owner = as != kNoHost && as != from ? as : from;
  std::uint16_t sport = why.empty() ? alloc_port(port_owner) : 0;
  if (why.empty() && sport == 0) why = hosts[port_owner].name + " has no free ephemeral port";
  if (!why.empty()) {
    TraceEvent e = event(TraceKind::ConnTimeout);
    e.host = hosts[from].name;
    if (to) e.peer = hosts[*to].name;
    e.conn = id;
    e.src_ip = hosts[from].ip;
    e.dst_ip = ip;
    e.dst_port = port;
    e.text = "unreachable: " + why;
    trace.emit(std::move(e));
    std::weak_ptr<char> lt = life;
    sched.schedule_at(sched.now(), [lt, cb = std::move(cb)] {
      if (!lt.expired() && cb) cb(ConnectResult::Unreachable, nullptr);
    });
    return;
  }
  auto c = std::make_shared<Conn>();
  c->net = this;
  c->life = life;
  adopt_queues(*c);
  c->id = id;
  c->port_owner = port_owner;
  Endpoint& cl = c->ep[0];
  cl.host = from;
  cl.name = hosts[from].shared_name;
  cl.ip = hosts[from].ip;
  if (as != kNoHost && as != from) {
    cl.ip = hosts[as].ip;
    cl.shown = hosts[as].shared_name;
  }
  cl.port = sport;
  cl.epoch = hosts[from].epoch;
  cl.gone = false;
  cl.app_done = false;
  Endpoint& sv = c->ep[1];
  sv.host = *to;
  sv.name = hosts[*to].shared_name;
  sv.ip = ip;
  sv.port = port;
  if (HostId via = interceptor(*direct, port); via != kNoHost) {
    // The SYN stops at the proxy: it holds the server end, under the dialled name and address.
    c->intercepted = true;
    sv.host = via;
    sv.shown = sv.name;
    sv.name = hosts[via].shared_name;
  } else {
    c->dir[0].route = direct;  // what dir_route(*c, 0) would look up again
    c->dir[0].route_version = routes_version;
  }
  c->connecting = true;
  c->opened_at = sched.now();
  c->connect_cb = std::move(cb);
  conns.emplace(id, c);
  if (later_by(c->opened_at, cfg.connect_timeout) != kNever)  // kNever: retry for ever
    c->deadline = sched.schedule_at(later_by(c->opened_at, cfg.connect_timeout), [c] {
      if (!c->alive() || !c->connecting) return;
      c->net->finish_connect(c, ConnectResult::Timeout, TraceKind::ConnTimeout,
                             "no answer to SYN after " + std::to_string(c->syn_attempts) + " attempts");
    });
  syn_attempt(c);
}

// syn_attempt - send SYN number k (traced) and plan the next one at open + (2^(k+1) - 1) s.
void Network::Impl::syn_attempt(const ConnPtr& c) {
  int k = c->syn_attempts++;
  TraceView e = conn_event(TraceKind::ConnOpen, *c, 0);
  e.code = k;
  const std::string text = k == 0 ? "SYN" : "SYN retry " + std::to_string(k);
  e.text = text;
  trace.emit_view(e);
  if (const Route& r = dir_route(*c, 0); usable(r)) {
    if (!lost(r)) sched.schedule_in(r.latency, [c] { if (c->alive()) c->net->on_syn_arrival(c); });
  }
  if (k < 40) {
    SimTime next = c->opened_at + sec((std::int64_t(1) << (k + 1)) - 1);
    if (next < later_by(c->opened_at, cfg.connect_timeout))
      c->syn_retry = sched.schedule_at(next, [c] {
        if (c->alive() && c->connecting) c->net->syn_attempt(c);
      });
  }
}

// on_syn_arrival - the server host answers: accept (SYN-ACK), refuse (RST) or re-send a SYN-ACK.
void Network::Impl::on_syn_arrival(const ConnPtr& c) {
  Endpoint& sv = c->ep[1];
  HostState& hs = hosts[sv.host];
  if (!hs.up || !c->connecting) return;
  if (c->accepted) {
    if (!sv.gone) send_synack(c);
    else send_rst(c, 1);  // the accepted endpoint died meanwhile: the client gets an RST
    return;
  }
  auto& table = c->intercepted ? hs.intercepts : hs.listeners;
  auto it = table.find(sv.port);
  if (it == table.end()) {
    const Route& r = dir_route(*c, 1);
    if (!usable(r)) return;
    if (lost(r)) return;
    sched.schedule_in(r.latency, [c] { if (c->alive()) c->net->on_refused_arrival(c); });
    return;
  }
  c->accepted = true;
  sv.epoch = hs.epoch;
  sv.gone = false;
  sv.app_done = false;
  sv.established = true;
  TraceView e = conn_event(TraceKind::ConnAccept, *c, 0);
  text_buf.assign(c->intercepted ? "intercepted by " : "accepted by ");
  text_buf += *sv.name;
  e.text = text_buf;
  trace.emit_view(e);
  send_synack(c);
  std::shared_ptr<AcceptFn> fn = it->second;
  if (*fn) (*fn)(make_stream(c, 1));
}

// send_synack - the server's SYN-ACK towards the client (lost or blocked: the client retries SYN).
void Network::Impl::send_synack(const ConnPtr& c) {
  const Route& r = dir_route(*c, 1);
  if (!usable(r)) return;
  if (lost(r)) return;
  sched.schedule_in(r.latency, [c] { if (c->alive()) c->net->on_synack_arrival(c); });
}

// on_synack_arrival - the client is established (or, having given up, answers with an RST).
void Network::Impl::on_synack_arrival(const ConnPtr& c) {
  Endpoint& cl = c->ep[0];
  const HostState& hs = hosts[cl.host];
  if (!hs.up) return;
  if (cl.gone || cl.epoch != hs.epoch) {
    send_rst(c, 0);
    return;
  }
  if (!c->connecting) return;  // a duplicate SYN-ACK
  c->connecting = false;
  sched.cancel(c->deadline);
  sched.cancel(c->syn_retry);
  cl.established = true;
  ConnectFn cb = std::move(c->connect_cb);
  c->connect_cb = nullptr;
  StreamPtr s = make_stream(c, 0);
  if (cb) cb(ConnectResult::Ok, s);
}

// on_refused_arrival - the RST answering our SYN reached the client.
void Network::Impl::on_refused_arrival(const ConnPtr& c) {
  if (!c->connecting || !hosts[c->ep[0].host].up) return;
  finish_connect(c, ConnectResult::Refused, TraceKind::ConnRefused,
                 "RST: nothing listening on " + ipv4_to_string(c->ep[1].ip) + ":" +
                     std::to_string(c->ep[1].port));
}

// finish_connect - end a pending connect unsuccessfully: trace, tell the caller once, clean up.
void Network::Impl::finish_connect(const ConnPtr& c, ConnectResult r, TraceKind k, const std::string& text) {
  if (!c->connecting) return;
  c->connecting = false;
  sched.cancel(c->deadline);
  sched.cancel(c->syn_retry);
  Endpoint& cl = c->ep[0];
  cl.gone = true;
  cl.app_done = true;
  cl.inbox.clear();  // early server bytes; the server finds out by the RST its next chunk draws
  TraceView e = conn_event(k, *c, 0);
  e.text = text;
  trace.emit_view(e);
  ConnectFn cb = std::move(c->connect_cb);
  c->connect_cb = nullptr;
  maybe_finish(c);
  if (cb) cb(r, nullptr);
}

// crash_conns - host h goes down: reset its endpoints (RST to live peers while it still can), mark
// it down, then tell its own streams and pending connects synchronously.
void Network::Impl::crash_conns(HostId h) {
  std::vector<ConnPtr> affected;
  for (auto& [id, c] : conns)
    if (c->ep[0].host == h || c->ep[1].host == h) affected.push_back(c);
  std::vector<std::pair<ConnPtr, int>> tell;
  for (const ConnPtr& c : affected) {
    for (int x = 0; x < 2; ++x) {
      Endpoint& e = c->ep[x];
      if (e.host != h) continue;
      if (x == 0 && c->connecting) {
        if (c->accepted && !c->ep[1].gone && c->ep[1].host != h) send_rst(c, 0);
        tell.emplace_back(c, -1);
        continue;
      }
      if (e.gone) continue;
      TraceView ev = conn_event(TraceKind::ConnReset, *c, x);
      ev.text = "host crash";
      trace.emit_view(ev);
      e.gone = true;
      drop_dir(c, x);
      if (!c->ep[1 - x].gone && c->ep[1 - x].host != h) send_rst(c, x);
      if (!e.app_done) {
        e.app_done = true;
        e.inbox.clear();
        e.inbox.push_back({InboxItem::Closed, {}, CloseReason::Reset});
        tell.emplace_back(c, x);
      }
    }
  }
  HostState& hs = hosts[h];
  hs.up = false;
  ++up_version;
  ++hs.epoch;
  hs.listeners.clear();
  hs.intercepts.clear();
  for (auto& [c, x] : tell) {
    if (x < 0)
      finish_connect(c, ConnectResult::Unreachable, TraceKind::ConnReset, "host crash while connecting");
    else
      pump(c, x);
  }
  for (const ConnPtr& c : affected) maybe_finish(c);
}

}  // namespace smtpsim
