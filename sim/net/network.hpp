// network.hpp - the virtual network: hosts, links, routes, partitions, TCP-like streams, datagrams.
//
// Timing model (exact, so tests can check the arithmetic):
//  * A path is a list of links. One-way delay of a chunk of n bytes sent at time t on an idle path:
//      t + sum(latency) + sum(n * 8 / bandwidth_bps seconds)   (per link with bandwidth > 0)
//    Each direction of each connection serialises its writes: a chunk starts when the previous one
//    has finished serialising on the bottleneck, so bytes arrive in order, paced by bandwidth.
//  * connect(): SYN + SYN-ACK = one round trip. The client's callback fires after one RTT, the
//    server's accept after half of it (one way). Nothing listening: RST -> Refused after one RTT.
//    Host down or path broken: SYN retried at 1 s, 2 s, 4 s ... until connect_timeout -> Timeout.
//  * Loss: each chunk crossing a link with loss p is lost with probability p (seeded RNG) and
//    resent after the retransmission timeout (max(200 ms, 2*RTT), doubling) - shown as delay.
//  * Link down / host down mid-connection: chunks are retransmitted with backoff; if none gets
//    through for stall_timeout, both ends see CloseReason::Timeout (or Reset when the peer host
//    crashed and later answers, like a real RST).
//  * crash(host): its listeners vanish, its streams close with Reset on its side immediately, and
//    the peers get Reset when the RST reaches them (one-way delay, if the path is up).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"

namespace smtpsim {

using HostId = std::uint32_t;
using LinkId = std::uint32_t;
inline constexpr HostId kNoHost = ~0u;

struct LinkParams {
  Duration latency = msec(1);
  std::uint64_t bandwidth_bps = 0;  // 0 = unlimited
  double loss = 0.0;                // probability a chunk is lost once on this link
};

enum class ConnectResult : unsigned char { Ok, Refused, Timeout, Unreachable };
const char* to_string(ConnectResult r);

struct NetConfig {
  Duration connect_timeout = sec(30);    // how long SYN retries go on
  Duration stall_timeout = minutes(2);   // no progress for this long -> the stream times out
  Duration min_rto = msec(200);
};

class Network {
 public:
  using AcceptFn = std::function<void(StreamPtr)>;
  using ConnectFn = std::function<void(ConnectResult, StreamPtr)>;
  using HostHook = std::function<void(HostId, bool up)>;

  Network(Scheduler& sched, Trace& trace, Rng rng, NetConfig cfg = {});
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // --- topology ---
  // add_host - a host with a unique name and IPv4 address ("10.0.0.5"); throws on duplicates.
  HostId add_host(const std::string& name, const std::string& ip);
  // add_link - a bidirectional link; throws on unknown hosts.
  LinkId add_link(HostId a, HostId b, LinkParams p);
  void set_link_params(LinkId l, LinkParams p);
  // set_link_up - bring a link up or down (traced).
  void set_link_up(LinkId l, bool up);
  // set_route - a static path from -> ... -> to (hosts in order, both ends included); the reverse
  // direction uses the reversed path unless set separately. Without one, the path with the least
  // total latency over all links (up or down) is used, ties broken by fewest hops then host id.
  void set_route(HostId from, HostId to, std::vector<HostId> path);
  // partition - hosts in different groups cannot reach each other (others reach everyone).
  void partition(std::vector<std::vector<HostId>> groups);
  void heal_partition();

  std::optional<HostId> find_host(const std::string& name) const;
  std::optional<HostId> find_ip(std::uint32_t ip) const;
  std::optional<LinkId> find_link(HostId a, HostId b) const;
  const std::string& host_name(HostId h) const;
  std::uint32_t host_ip(HostId h) const;
  std::size_t host_count() const;
  std::size_t link_count() const;
  bool link_up(LinkId l) const;
  std::pair<HostId, HostId> link_ends(LinkId l) const;
  const LinkParams& link_params(LinkId l) const;
  // path - the hosts a packet from -> to crosses (empty if no path exists at all).
  std::vector<HostId> path(HostId from, HostId to) const;
  // reachable - whether the path exists now (all links up, both hosts up, no partition between).
  bool reachable(HostId from, HostId to) const;
  // one_way_delay - latency + serialisation of `bytes` along the path (ignores queueing).
  Duration one_way_delay(HostId from, HostId to, std::size_t bytes) const;

  // --- hosts ---
  bool host_up(HostId h) const;
  // crash - the host goes down: listeners vanish, its connections reset (traced).
  void crash(HostId h, const std::string& reason = "crash");
  // restart - the host comes back up (listeners must be re-created by its roles' hooks).
  void restart(HostId h);
  // on_host_change - called after a host goes down or comes up; roles keep durable state here.
  void on_host_change(HostHook fn);

  // --- streams ---
  // listen - accept connections on host:port; throws if already listening there.
  void listen(HostId h, std::uint16_t port, AcceptFn on_accept);
  void unlisten(HostId h, std::uint16_t port);
  bool listening(HostId h, std::uint16_t port) const;
  // connect - open a stream from a host to ip:port; the callback fires once, with the stream on Ok.
  void connect(HostId from, std::uint32_t ip, std::uint16_t port, ConnectFn cb);

  // --- datagrams (DNS) ---
  // send_datagram - deliver `bytes`-sized payload to `to` after the one-way delay, if reachable at
  // send time and not lost; returns false when dropped (the sender's timeout handles it).
  bool send_datagram(HostId from, HostId to, std::size_t bytes, Callback on_arrival);

  Scheduler& scheduler() { return sched_; }
  Trace& trace() { return trace_; }
  const NetConfig& config() const { return cfg_; }

  struct Impl;  // implementation detail (net_network.cpp / net_stream.cpp)
 private:
  Scheduler& sched_;
  Trace& trace_;
  NetConfig cfg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smtpsim
