// network.hpp - the virtual network: hosts, links, routes, partitions, TCP-like streams, datagrams.
//
// Timing model (exact, so tests can check the arithmetic):
//  * A path is a list of links. One-way delay of a chunk of n bytes sent at time t on an idle path:
//      t + sum(latency) + sum(n * 8 / bandwidth_bps seconds)   (per link with bandwidth > 0)
//    Serialisation is rounded up to a whole microsecond per link: ceil(n * 8e6 / bandwidth_bps).
//    Each direction of each connection serialises its writes: a chunk starts when the previous one
//    has finished serialising on the bottleneck, so bytes arrive in order, paced by bandwidth.
//    (Precisely: store-and-forward per hop; on every link a chunk starts at max(its arrival at the
//    link, the time that link finished the connection's previous chunk in that direction).)
//    One write() is one chunk. Control packets (SYN, SYN-ACK, RST) carry 0 bytes and take
//    sum(latency); a FIN is a 0-byte chunk queued behind the data. Connections do not compete with
//    each other (or with datagrams) for bandwidth.
//  * connect(): SYN + SYN-ACK = one round trip. The client's callback fires after one RTT, the
//    server's accept after half of it (one way). Nothing listening: RST -> Refused after one RTT.
//    Host down or path broken: SYN retried at 1 s, 2 s, 4 s ... until connect_timeout -> Timeout.
//    (Attempt k is sent at open + (2^k - 1) s; a SYN or SYN-ACK lost or blocked just waits for the
//    next attempt; a duplicate SYN reaching an accepted connection re-sends the SYN-ACK.)
//  * Loss: each chunk crossing a link with loss p is lost with probability p (seeded RNG) and
//    resent after the retransmission timeout (max(200 ms, 2*RTT), doubling) - shown as delay.
//    (min_rto from NetConfig, RTT = latency there and back, the timeout doubles per failure up to
//    NetConfig::max_rto; each link draws from its own stream, Rng::derive("link:<a>|<b>").)
//  * Link down / host down mid-connection: chunks are retransmitted with backoff; if none gets
//    through for stall_timeout, both ends see CloseReason::Timeout (or Reset when the peer host
//    crashed and later answers, like a real RST). A chunk's fate is decided when it is sent: a link
//    going down while it is in flight does not catch it; a receiving host that is down when it
//    arrives does (it is retransmitted). An idle connection does not notice an outage.
//    The stall clock starts at the first failed attempt of the oldest chunk still undelivered.
//  * crash(host): its listeners vanish, its streams close with Reset on its side immediately, and
//    the peers get Reset when the RST reaches them (one-way delay, if the path is up).
//
// Trace events (TraceEvent; conn events carry conn id, host/peer names and src/dst ip:port from
// `host`'s point of view, so a pcap exporter can rebuild each TCP flow from them alone):
//    HostUp        add_host (text "start") and restart (text "restart"). host = the host.
//    HostDown      crash; text = reason.
//    LinkChange    set_link_up (code 1/0, text "up"/"down") and set_link_params (code = current
//                  up state, text "params latency=.. bandwidth=.. loss=.."); host/peer = link ends.
//    Fault         partition (text "partition: [a b] [c]") and heal_partition ("partition healed").
//    ConnOpen      every SYN the client sends (host = client); code = attempt (0 first, 1.. retries).
//    ConnAccept    the SYN reached a listener and the server accepted (at the server's accept time,
//                  one way after the SYN); host = client, peer = server, as ConnOpen. An
//                  intercepted SYN: text "intercepted by <via>" (see intercept()).
//    (Transparent proxies: an endpoint may show its peer another name and address than its own
//    host's - see intercept() and connect_as(). `host` is always the host really acting; `peer`
//    and the addresses are what the packets say.)
//    ConnRefused   the RST for a SYN reached the client (one RTT after the SYN); host = client.
//                  Text "RST: nothing listening on ip:port", or "RST: connection reset by <server>"
//                  when the server accepted and then aborted/crashed before the client heard.
//    ConnTimeout   host = client: no SYN answered within connect_timeout (text "no answer to SYN
//                  after N attempts"), or no route at all / unknown address / client host down
//                  (text "unreachable: no host has address ..." / "no route to <host>" / "<host> is
//                  down" / "<host> has no free ephemeral port", emitted at connect time, src_port 0,
//                  no ConnOpen before it).
//                  Also each live end of a stalled connection (text "stalled: ...").
//    ConnReset     host = the end that sends or sees the reset: "abort (RST sent)", "host crash",
//                  "host crash while connecting", "reset by peer".
//    ConnClose     host = the end that sent FIN, at the call: text "half" (shutdown_write) or
//                  "full" (close()). A close() after shutdown_write emits nothing more.
//    BytesSent     at write(): host = sender, data = the bytes, src = sender's endpoint.
//    BytesDelivered when the chunk reaches the receiving host in order (before any handler runs):
//                  same orientation as BytesSent (host = sender), data = the bytes.
// All callbacks into users (accept, connect, stream handlers, datagram arrivals) run from
// scheduler events, except what crash() delivers synchronously (documented there).
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

// HopRecord - one chunk of bytes (or one datagram) crossing one link of its route, as the timing
// model placed it: what a visualizer needs to draw it in flight at any virtual time. Not part of
// the trace (nor its hash): see Network::set_hop_observer.
struct HopRecord {
  std::uint64_t conn = 0;      // connection id (the trace's conn); 0 for a datagram
  HostId sender = 0;           // the host that wrote the chunk (sent the datagram)
  HostId from = 0, to = 0;     // this hop's ends, in travel order
  int hop = 0;                 // 0-based index along the route
  int hops = 0;                // links on the route
  SimTime written = 0;         // when the chunk was written (the BytesSent / Command time)
  SimTime depart = 0;          // the hop starts serialising it
  SimTime arrive = 0;          // its last byte reaches `to`
  std::uint64_t bytes = 0;     // the chunk's size (0: FIN)
  std::uint64_t offset = 0;    // first byte's position in the direction's byte stream
  bool fin = false;
};
using HopObserver = std::function<void(const HopRecord&)>;

enum class ConnectResult : unsigned char { Ok, Refused, Timeout, Unreachable };
const char* to_string(ConnectResult r);

struct NetConfig {
  Duration connect_timeout = sec(30);    // how long SYN retries go on
  Duration stall_timeout = minutes(2);   // no progress for this long -> the stream times out
  Duration min_rto = msec(200);
  Duration max_rto = sec(60);            // retransmission backoff stops doubling here
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
  // add_host - a host with a unique name and IPv4 address ("10.0.0.5"); throws on duplicates
  // (name or address) and on a malformed address. Traces HostUp "start".
  HostId add_host(const std::string& name, const std::string& ip);
  // add_link - a bidirectional link; throws on unknown hosts, a self-link, a second link between
  // the same two hosts, negative latency or loss outside [0, 1].
  LinkId add_link(HostId a, HostId b, LinkParams p);
  void set_link_params(LinkId l, LinkParams p);
  // set_link_up - bring a link up or down (traced; no event when the state does not change).
  void set_link_up(LinkId l, bool up);
  // set_route - a static path from -> ... -> to (hosts in order, both ends included); the reverse
  // direction uses the reversed path unless set separately. Without one, the path with the least
  // total latency over all links (up or down) is used, ties broken by fewest hops then host id.
  // Throws when the path does not start at from, end at to, repeats a host or uses a missing link.
  // An empty path removes the static route.
  void set_route(HostId from, HostId to, std::vector<HostId> path);
  // partition - hosts in different groups cannot reach each other (others reach everyone). A path
  // is cut when the grouped hosts along it (ends and routers) are not all in one group.
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
  // Routers (hosts in the middle of the path) must be up too.
  bool reachable(HostId from, HostId to) const;
  // one_way_delay - latency + serialisation of `bytes` along the path (ignores queueing).
  Duration one_way_delay(HostId from, HostId to, std::size_t bytes) const;

  // --- hosts ---
  bool host_up(HostId h) const;
  // host_epoch - how many times the host has crashed: state tagged with an older epoch is gone.
  std::uint64_t host_epoch(HostId h) const;
  // crash - the host goes down: listeners vanish, its connections reset (traced). Before it returns
  // it calls, in connection-id order, on_closed(Reset) of the host's open streams and the callbacks
  // of its pending connects (ConnectResult::Unreachable), then the on_host_change hooks (h, false).
  // Nothing happens if the host is already down.
  void crash(HostId h, const std::string& reason = "crash");
  // restart - the host comes back up (listeners must be re-created by its roles' hooks).
  void restart(HostId h);
  // on_host_change - called after a host goes down or comes up; roles keep durable state here.
  void on_host_change(HostHook fn);

  // --- streams ---
  // listen - accept connections on host:port; throws if already listening there, on port 0 or
  // when the host is down.
  void listen(HostId h, std::uint16_t port, AcceptFn on_accept);
  void unlisten(HostId h, std::uint16_t port);
  bool listening(HostId h, std::uint16_t port) const;
  // connect - open a stream from a host to ip:port; the callback fires once, with the stream on Ok
  // (never inside this call). Unreachable: no host has the address, no path exists at all, the
  // client host is down or out of ephemeral ports (49152 + a per-host counter, wrapping).
  void connect(HostId from, std::uint32_t ip, std::uint16_t port, ConnectFn cb);
  // open_connections - connections not yet finished (for views and leak checks).
  std::size_t open_connections() const;

  // --- streams from outside the virtual network (the live bridge's real sockets) ---
  // accept_external - hand `s` to the listener on h:port as if that host had just accepted it
  // (call it from a scheduler event); false when h is down or nothing listens there.
  bool accept_external(HostId h, std::uint16_t port, StreamPtr s);
  // reserve_conn_id - a connection id that no virtual connection of this network will use.
  std::uint64_t reserve_conn_id();

  // --- transparent interception (an inline man in the middle) ---
  // intercept - host `via` takes over TCP connections to `port` whose path crosses it as a router
  // (neither end): the SYN stops at `via` and `on_accept` gets the stream, like iptables TPROXY
  // on an inline box. The client notices nothing: its stream still shows the name and address it
  // dialled. On the accepted stream local_ip()/local_port() are the original destination (where
  // the client meant to go) and local_name() is `via`. Throws when `via` is down, on port 0 and
  // when it already intercepts that port; a crash removes it, as it removes listeners.
  void intercept(HostId via, std::uint16_t port, AcceptFn on_accept);
  void stop_intercept(HostId via, std::uint16_t port);
  bool intercepting(HostId via, std::uint16_t port) const;
  // splice - cable host `via` into link l, as a box spliced into a cable: a <-> b becomes
  // a <-> via <-> b. Link l now joins a (its first end) and `via`, keeping its id, parameters and
  // state; a second link via <-> b with no latency, unlimited bandwidth and no loss (created on the
  // first splice, reused after) carries the rest, so paths across l keep their delay and now cross
  // `via` as a router (where intercept() can take their connections). Connections already open
  // keep flowing, through `via`. Returns the second link. Throws when l is already spliced, `via`
  // is one of its ends or is already spliced into another link, or a static route crosses l.
  // Not traced itself (the caller says what it did); the new link is down when l is.
  LinkId splice(LinkId l, HostId via);
  // unsplice - undo splice: l joins a and b again; the via <-> b link goes down. No-op when l is
  // not spliced.
  void unsplice(LinkId l);
  // LinkSplice - a link with a host spliced into it: its original ends, the host, the extra link.
  struct LinkSplice { LinkId link = 0, tail = 0; HostId a = kNoHost, b = kNoHost, via = kNoHost; };
  // splices - the links spliced now, in splice order.
  std::vector<LinkSplice> splices() const;
  // connect_as - connect from `from` while presenting `as`'s address and name as the source (the
  // proxy's half of a transparent connection): the server's stream sees `as` as its peer. The
  // path and the host named in trace events are `from`'s; the ephemeral port comes from `as`'s
  // range (so it never equals one of `as`'s own connections).
  void connect_as(HostId from, HostId as, std::uint32_t ip, std::uint16_t port, ConnectFn cb);

  // --- datagrams (DNS) ---
  // send_datagram - deliver `bytes`-sized payload to `to` after the one-way delay, if reachable at
  // send time and not lost; returns false when dropped (the sender's timeout handles it). It is
  // also dropped silently if `to` is down (or crashed and restarted) when it arrives.
  bool send_datagram(HostId from, HostId to, std::size_t bytes, Callback on_arrival);

  // --- observation (outside the trace) ---
  // set_hop_observer - call fn for every hop of every chunk attempt that is sent (a lost or
  // blocked attempt is not reported; its retransmission is) and of every datagram, at send time.
  // Observing changes nothing in the run or its trace. Empty fn: stop. Streams closed while the
  // world is torn down still send FINs: clear the observer before what it writes into goes.
  void set_hop_observer(HopObserver fn);

  Scheduler& scheduler() { return sched_; }
  Trace& trace() { return trace_; }
  const NetConfig& config() const { return cfg_; }

  struct Impl;  // implementation detail (net_impl.hpp)
 private:
  Scheduler& sched_;
  Trace& trace_;
  NetConfig cfg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smtpsim
