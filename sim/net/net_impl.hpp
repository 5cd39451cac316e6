// net_impl.hpp - the virtual network's internal state, shared by the net_*.cpp files (not public API).
//
// [SECTION] index
//   HostState, LinkState, Route   topology (net_network.cpp, net_routes.cpp)
//   Chunk, Dir, Endpoint, Conn    one TCP-like connection: two endpoints, two directions
//   Network::Impl                 everything, with the member functions grouped by file
#pragma once
#include <array>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/core/fifo.hpp"
#include "sim/net/network.hpp"

namespace smtpsim {
namespace net_detail {

struct HostState {
  std::string name;
  std::shared_ptr<const std::string> shared_name;  // the same name, for connection endpoints to share
  std::uint32_t ip = 0;
  bool up = true;
  std::uint64_t epoch = 0;  // bumped by every crash
  std::map<std::uint16_t, std::shared_ptr<Network::AcceptFn>> listeners;
  std::map<std::uint16_t, std::shared_ptr<Network::AcceptFn>> intercepts;  // transparent proxy ports
  std::uint32_t port_counter = 0;  // next ephemeral port = 49152 + counter % 16384
  std::vector<bool> ports_in_use;  // [port - 49152]: ephemeral ports taken (sized on first use)
  std::vector<std::pair<HostId, LinkId>> adj;  // neighbours, in link creation order
};

struct LinkState {
  HostId a = kNoHost;
  HostId b = kNoHost;
  LinkParams params;
  bool up = true;
  Rng rng;  // loss draws for this link only
};

// Hop - one link of a route with the parameters a packet's timing needs, copied from the link so
// that traverse reads the route alone (set_link_params rebuilds every route: never stale).
struct Hop {
  LinkId link = 0;
  Duration latency = 0;
  std::uint64_t bandwidth_bps = 0;
};

// Route - a resolved path: the hosts crossed, the links between them, and their total latency.
// The fields every packet reads (usable, lossy, latency, hops) come first, next to each other.
struct Route {
  mutable std::uint64_t usable_version = 0;  // Impl::up_version when `usable` was worked out
  mutable bool usable = false;
  bool lossy = false;  // some link on it has loss > 0 (params changes rebuild every route)
  Duration latency = 0;
  std::vector<Hop> hops;  // the links between consecutive hosts, in path order
  std::vector<HostId> hosts;
};

// LinkFree - when each link of a direction's path finished the direction's last chunk. The first
// few links live inline (paths are short), any more in a vector; each link appears once.
class LinkFree {
 public:
  // find - link l's entry, or null when l has carried nothing yet.
  SimTime* find(LinkId l) {
    for (std::size_t i = 0; i < few_n_; ++i)
      if (few_[i].first == l) return &few_[i].second;
    for (auto& e : more_)
      if (e.first == l) return &e.second;
    return nullptr;
  }
  // add - the first entry of link l.
  void add(LinkId l, SimTime t) {
    if (few_n_ < few_.size()) few_[few_n_++] = {l, t};
    else more_.emplace_back(l, t);
  }

 private:
  std::array<std::pair<LinkId, SimTime>, 4> few_{};
  std::size_t few_n_ = 0;
  std::vector<std::pair<LinkId, SimTime>> more_;
};

// Chunk - one write() (or a FIN) travelling in one direction until it is delivered in order.
struct Chunk {
  std::string data;
  bool fin = false;
  bool arrived = false;         // reached the receiver, maybe waiting for an earlier chunk
  SimTime sent = 0;             // start of the current attempt
  SimTime written = 0;          // when write() queued it (hop observer)
  std::uint64_t offset = 0;     // first byte's position in the direction's stream (hop observer)
  SimTime first_fail = kNever;  // first failed attempt (the stall clock), kNever if none
  Duration rto = 0;             // current retransmission timeout, 0 until the first failure
};

// Dir - one direction of a connection: chunks not yet delivered and the per-link pacing state.
struct Dir {
  Fifo<Chunk> chunks;         // front has index `base`
  std::uint64_t base = 0;
  std::uint64_t bytes_written = 0;  // stream position of the next chunk (hop observer)
  LinkFree link_free;         // when each link finished our last chunk
  std::uint32_t gen = 0;      // bumped when the direction is torn down: older events are stale
  int failing = 0;            // chunks with first_fail != kNever
  SimTime stall_since = kNever;
  EventId stall_event;
  const Route* route = nullptr;     // cached from Impl::route_cache (see Impl::dir_route)
  std::uint64_t route_version = 0;  // Impl::routes_version the pointer belongs to
};

struct InboxItem {
  enum Kind : unsigned char { Data, Eof, Closed };
  Kind kind = Data;
  std::string data;
  CloseReason reason = CloseReason::Closed;
};

// Endpoint - one end's TCP state and what its application has (not yet) been told.
struct Endpoint {
  HostId host = kNoHost;
  std::shared_ptr<const std::string> name;   // the host really holding this end (HostState's)
  std::shared_ptr<const std::string> shown;  // the name the peer sees when it differs (transparent proxy), else null
  std::uint32_t ip = 0;         // the address on the packets (a transparent proxy's may be another's)
  std::uint16_t port = 0;
  std::uint64_t epoch = 0;      // host epoch when the endpoint was created
  bool established = false;
  bool wr_shut = false;         // our FIN is queued (shutdown_write or close)
  bool fin_acked = false;       // our FIN reached the peer
  bool rd_eof = false;          // the peer's FIN reached us
  bool gone = true;             // no TCP state on the host: not yet accepted, reset, timed out, done
  bool app_done = true;         // on_closed is queued or delivered: the application hears no more
  bool closed_delivered = false;
  bool pumping = false;
  bool pump_scheduled = false;
  std::shared_ptr<StreamHandler> handler;
  Fifo<InboxItem> inbox;

  // seen_name - the name the peer sees for this end.
  const std::string& seen_name() const { return shown ? *shown : *name; }
};

struct Conn {
  Network::Impl* net = nullptr;
  std::weak_ptr<char> life;     // expires with the Network: nothing may touch `net` after that
  std::uint64_t id = 0;
  Endpoint ep[2];               // [0] client, [1] server
  Dir dir[2];                   // dir[s]: bytes from ep[s] to ep[1 - s]
  bool connecting = false;      // the client's connect callback has not fired yet
  bool accepted = false;        // a listener took the connection (the server endpoint exists)
  bool intercepted = false;     // ep[1] is a transparent proxy on the path, not the dialled host
  HostId port_owner = kNoHost;  // whose ephemeral port ep[0] holds (connect_as: the impersonated host)
  bool finished = false;        // removed from the network's table
  int syn_attempts = 0;
  SimTime opened_at = 0;
  EventId deadline;
  EventId syn_retry;
  Network::ConnectFn connect_cb;

  Conn() = default;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();  // gives its queues' storage back to the network (net_stream.cpp)
  bool alive() const { return !life.expired(); }
};

using ConnPtr = std::shared_ptr<Conn>;

inline constexpr LinkId kNoLink = ~0u;

// DijkstraScratch - shortest_from's work arrays, kept between sources so each search allocates
// only the predecessor tree it stores.
struct DijkstraScratch {
  struct Item {
    Duration lat;        // path latency
    std::uint64_t rank;  // hops << 32 | host id: the tie-breaks, in order
  };
  std::vector<Duration> lat;
  std::vector<std::uint64_t> hops;
  std::vector<char> done;
  std::vector<Item> heap;
};

// Datagram - one send_datagram in flight: where it goes, the host's epoch at sending, what to run.
struct Datagram {
  HostId to = kNoHost;
  std::uint64_t epoch = 0;
  Callback on_arrival;
};

// later_by - t + d without overflow (a timeout of kNever means "never").
inline SimTime later_by(SimTime t, Duration d) { return d >= kNever - t ? kNever : t + d; }

}  // namespace net_detail

struct Network::Impl {
  Impl(Scheduler& s, Trace& t, Rng r, NetConfig c);
  ~Impl();

  Scheduler& sched;
  Trace& trace;
  Rng rng;
  NetConfig cfg;
  std::vector<net_detail::HostState> hosts;
  std::unordered_map<std::uint32_t, HostId> by_ip;  // address -> host
  std::unordered_map<std::string, HostId> by_name;  // host name -> host (names are unique)
  std::vector<net_detail::LinkState> links;
  HopObserver hop_observer;  // the visualizer's view of every hop (outside the trace)
  std::map<std::pair<HostId, HostId>, std::vector<HostId>> static_routes;
  std::vector<Network::LinkSplice> splices;      // links with a host spliced in (splice order)
  std::map<HostId, LinkId> splice_tails;         // via -> its via <-> b link, kept once created
  mutable std::vector<std::vector<std::uint32_t>> route_index;  // [from][to]: 1 + slot in route_store, 0 = none yet
  mutable std::deque<net_detail::Route> route_store;            // stable addresses (dir_route keeps pointers)
  mutable std::vector<std::vector<HostId>> shortest;  // [src][v]: v's predecessor towards src (src: itself)
  mutable net_detail::DijkstraScratch dijkstra_scratch;  // reused by shortest_from
  std::uint64_t routes_version = 1;  // bumped by invalidate_routes
  std::uint64_t up_version = 1;      // bumped whenever a host, link or partition changes reachability
  std::vector<int> group;  // partition group per host, -1 = none
  bool partitioned = false;
  std::vector<HostHook> hooks;
  std::map<std::uint64_t, net_detail::ConnPtr> conns;
  std::uint64_t next_conn = 1;
  std::shared_ptr<char> life = std::make_shared<char>(0);
  // Datagrams in flight, by slot: the arrival event carries only the slot, so it stays inside the
  // scheduler's inline callback storage whatever the caller's callback holds.
  std::vector<net_detail::Datagram> datagrams;
  std::vector<std::uint32_t> free_datagram_slots;
  // Chunk buffers whose bytes were delivered, for later writes to reuse (at most kSpareBuffers).
  std::vector<std::string> spare_buffers;
  static constexpr std::size_t kSpareBuffers = 32;
  static constexpr std::size_t kSpareMaxBytes = 64 * 1024;  // bigger buffers are freed, not kept
  std::string text_buf;  // trace text being built (on_syn_arrival), reused
  // Storage of finished connections' queues, for new connections to adopt (at most kSpareQueues).
  std::vector<std::vector<net_detail::Chunk>> spare_chunk_queues;
  std::vector<std::vector<net_detail::InboxItem>> spare_inboxes;
  static constexpr std::size_t kSpareQueues = 64;

  // --- net_network.cpp ---
  void check_host(HostId h) const;
  void check_link(LinkId l) const;
  TraceEvent event(TraceKind k) const;
  void run_hooks(HostId h, bool up);
  std::uint32_t park_datagram(net_detail::Datagram d);
  void datagram_arrival(std::uint32_t slot);

  // --- net_routes.cpp ---
  const net_detail::Route& route(HostId from, HostId to) const;
  void invalidate_routes();
  LinkId link_between(HostId a, HostId b) const;
  void shortest_from(HostId src) const;
  std::vector<HostId> tree_path(HostId src, HostId dst) const;
  bool reachable(HostId from, HostId to) const;
  bool usable(const net_detail::Route& r) const;
  bool reachable_now(const net_detail::Route& r) const;
  const net_detail::Route& dir_route(net_detail::Conn& c, int s) const;
  bool lost(const net_detail::Route& r);
  static Duration ser_delay(std::size_t bytes, std::uint64_t bps);
  SimTime traverse(const net_detail::Route& r, std::size_t bytes, SimTime t,
                   net_detail::LinkFree* link_free, HopRecord* observe = nullptr) const;
  Duration initial_rto(net_detail::Conn& c) const;

  // --- net_connect.cpp ---
  void connect(HostId from, std::uint32_t ip, std::uint16_t port, ConnectFn cb, HostId as = kNoHost);
  HostId interceptor(const net_detail::Route& r, std::uint16_t port) const;
  void syn_attempt(const net_detail::ConnPtr& c);
  void on_syn_arrival(const net_detail::ConnPtr& c);
  void send_synack(const net_detail::ConnPtr& c);
  void on_synack_arrival(const net_detail::ConnPtr& c);
  void on_refused_arrival(const net_detail::ConnPtr& c);
  void finish_connect(const net_detail::ConnPtr& c, ConnectResult r, TraceKind k, const std::string& text);
  void crash_conns(HostId h);
  std::uint16_t alloc_port(HostId h);
  void free_port(HostId h, std::uint16_t port);

  // --- net_stream.cpp ---
  static StreamPtr make_stream(const net_detail::ConnPtr& c, int side);
  TraceView conn_event(TraceKind k, const net_detail::Conn& c, int side) const;
  void write(const net_detail::ConnPtr& c, int s, std::string_view bytes);
  std::string take_buffer(std::size_t bytes);
  void give_queues(net_detail::Conn& c);
  void adopt_queues(net_detail::Conn& c);
  void recycle_buffer(std::string&& buf);
  void shutdown_write(const net_detail::ConnPtr& c, int s);
  void close(const net_detail::ConnPtr& c, int s);
  void abort(const net_detail::ConnPtr& c, int s);
  void release(const net_detail::ConnPtr& c, int s);
  static void set_handler(const net_detail::ConnPtr& c, int s, StreamHandler h);
  static void pump(const net_detail::ConnPtr& c, int s);
  static void schedule_pump(const net_detail::ConnPtr& c, int s);
  void queue_fin(const net_detail::ConnPtr& c, int s);
  void send_chunk(const net_detail::ConnPtr& c, int s, std::uint64_t idx);
  void fail_chunk(const net_detail::ConnPtr& c, int s, std::uint64_t idx);
  void on_chunk_arrival(const net_detail::ConnPtr& c, int s, std::uint64_t idx, std::uint32_t gen);
  void deliver_ready(const net_detail::ConnPtr& c, int s);
  void set_stall(const net_detail::ConnPtr& c, int s, SimTime since);
  void stall_timeout(const net_detail::ConnPtr& c, int s);
  void check_full_close(const net_detail::ConnPtr& c, int x);
  void send_rst(const net_detail::ConnPtr& c, int from_side);
  void on_rst_arrival(const net_detail::ConnPtr& c, int side);
  void reset_endpoint(const net_detail::ConnPtr& c, int x, TraceKind k, CloseReason why,
                      const std::string& text);
  void drop_dir(const net_detail::ConnPtr& c, int s);
  void maybe_finish(const net_detail::ConnPtr& c);
};

}  // namespace smtpsim
