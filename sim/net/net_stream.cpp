// net_stream.cpp - the virtual TCP stream: chunks paced over the path, loss and retransmission,
// in-order delivery, half-close, close, abort/RST, stall timeouts, and handler delivery.
#include <algorithm>

#include "sim/net/net_impl.hpp"

namespace smtpsim {

using namespace net_detail;

namespace {
// VStream - the Stream one end of a virtual connection hands to its application.
class VStream final : public Stream {
 public:
  VStream(ConnPtr c, int side) : c_(std::move(c)), side_(side) {}
  // ~VStream - the application let go of its end: close it (FIN), nobody is told any more.
  ~VStream() override {
    if (c_->alive()) c_->net->release(c_, side_);
  }
  VStream(const VStream&) = delete;
  VStream& operator=(const VStream&) = delete;

  void set_handler(StreamHandler h) override {
    if (c_->alive()) Network::Impl::set_handler(c_, side_, std::move(h));
  }
  void write(std::string_view bytes) override {
    if (c_->alive()) c_->net->write(c_, side_, bytes);
  }
  void shutdown_write() override {
    if (c_->alive()) c_->net->shutdown_write(c_, side_);
  }
  void close() override {
    if (c_->alive()) c_->net->close(c_, side_);
  }
  void abort() override {
    if (c_->alive()) c_->net->abort(c_, side_);
  }
  bool is_open() const override {
    const Endpoint& e = c_->ep[side_];
    return c_->alive() && e.established && !e.gone && !e.app_done;
  }
  std::uint64_t id() const override { return c_->id; }
  const std::string& local_name() const override { return *c_->ep[side_].name; }
  const std::string& remote_name() const override {
    return c_->ep[1 - side_].seen_name();  // a transparent proxy shows the name it stands in for
  }
  std::uint32_t local_ip() const override { return c_->ep[side_].ip; }
  std::uint32_t remote_ip() const override { return c_->ep[1 - side_].ip; }
  std::uint16_t local_port() const override { return c_->ep[side_].port; }
  std::uint16_t remote_port() const override { return c_->ep[1 - side_].port; }

 private:
  ConnPtr c_;
  int side_;
};
}  // namespace

// ~Conn - the connection is gone: its queues' storage goes to the network for the next one.
Conn::~Conn() {
  if (alive()) net->give_queues(*this);
}

// give_queues - keep c's emptied queue storage that has room (up to kSpareQueues of each kind).
void Network::Impl::give_queues(Conn& c) {
  for (int x = 0; x < 2; ++x) {
    std::vector<Chunk> chunks = c.dir[x].chunks.take_storage();
    if (chunks.capacity() > 0 && spare_chunk_queues.size() < kSpareQueues) spare_chunk_queues.push_back(std::move(chunks));
    std::vector<InboxItem> inbox = c.ep[x].inbox.take_storage();
    if (inbox.capacity() > 0 && spare_inboxes.size() < kSpareQueues) spare_inboxes.push_back(std::move(inbox));
  }
}

// adopt_queues - give a new connection's queues storage left by finished ones, if there is some.
void Network::Impl::adopt_queues(Conn& c) {
  for (int x = 0; x < 2; ++x) {
    if (!spare_chunk_queues.empty()) {
      c.dir[x].chunks.adopt_storage(std::move(spare_chunk_queues.back()));
      spare_chunk_queues.pop_back();
    }
    if (!spare_inboxes.empty()) {
      c.ep[x].inbox.adopt_storage(std::move(spare_inboxes.back()));
      spare_inboxes.pop_back();
    }
  }
}

// make_stream - the application's handle on one end.
StreamPtr Network::Impl::make_stream(const ConnPtr& c, int side) { return std::make_shared<VStream>(c, side); }

// conn_event - a connection trace event seen from `side` (host, src = that end; peer, dst = other),
// as views into the connection's names (see Trace::emit_view).
TraceView Network::Impl::conn_event(TraceKind k, const Conn& c, int side) const {
  TraceView e;
  e.time = sched.now();
  e.kind = k;
  const Endpoint& a = c.ep[side];
  const Endpoint& b = c.ep[1 - side];
  e.host = *a.name;          // the host really acting
  e.peer = b.seen_name();    // who `a` believes it talks to
  e.conn = c.id;
  e.src_ip = a.ip;
  e.src_port = a.port;
  e.dst_ip = b.ip;
  e.dst_port = b.port;
  return e;
}

// --- application side ---------------------------------------------------------------------------

// set_handler - install the handler; anything queued is replayed from an event at the current time.
void Network::Impl::set_handler(const ConnPtr& c, int s, StreamHandler h) {
  Endpoint& e = c->ep[s];
  if (e.closed_delivered) return;  // the stream is over: keeping the handler would only leak it
  e.handler = std::make_shared<StreamHandler>(std::move(h));
  if (!e.inbox.empty()) schedule_pump(c, s);
}

// pump - hand queued data / EOF / close to the handler, in order, until it is empty or gone.
void Network::Impl::pump(const ConnPtr& c, int s) {
  Endpoint& e = c->ep[s];
  if (e.pumping) return;  // the outer loop will deliver what was queued meanwhile
  e.pumping = true;
  while (e.handler && !e.inbox.empty()) {
    InboxItem it = std::move(e.inbox.front());
    e.inbox.pop_front();
    std::shared_ptr<StreamHandler> h = e.handler;  // keeps the callable alive if it is replaced
    switch (it.kind) {
      case InboxItem::Data:
        if (h->on_data) h->on_data(it.data);
        if (c->alive()) c->net->recycle_buffer(std::move(it.data));
        break;
      case InboxItem::Eof:
        if (h->on_eof) h->on_eof();
        break;
      case InboxItem::Closed:
        e.closed_delivered = true;
        e.handler.reset();
        e.inbox.clear();
        if (h->on_closed) h->on_closed(it.reason);
        break;
    }
  }
  e.pumping = false;
}

// schedule_pump - deliver the inbox from a scheduler event (never inside the caller's call).
void Network::Impl::schedule_pump(const ConnPtr& c, int s) {
  Endpoint& e = c->ep[s];
  if (e.pump_scheduled || e.pumping || !c->alive()) return;
  e.pump_scheduled = true;
  Scheduler& sch = c->net->sched;
  sch.schedule_at(sch.now(), [c, s] {
    c->ep[s].pump_scheduled = false;
    if (c->alive()) pump(c, s);
  });
}

// write - trace the bytes and send them as one chunk.
void Network::Impl::write(const ConnPtr& c, int s, std::string_view bytes) {
  Endpoint& e = c->ep[s];
  if (bytes.empty() || !e.established || e.gone || e.wr_shut || e.app_done) return;
  TraceView ev = conn_event(TraceKind::BytesSent, *c, s);
  ev.data = bytes;
  trace.emit_view(ev);
  Dir& d = c->dir[s];
  Chunk ch;
  ch.data = take_buffer(bytes.size());
  ch.data.assign(bytes.data(), bytes.size());
  ch.written = sched.now();
  ch.offset = d.bytes_written;
  d.bytes_written += bytes.size();
  d.chunks.push_back(std::move(ch));
  send_chunk(c, s, d.base + d.chunks.size() - 1);
}

// take_buffer - an empty string for a chunk of `bytes`: a spare one big enough if there is one.
std::string Network::Impl::take_buffer(std::size_t bytes) {
  for (std::size_t i = spare_buffers.size(); i-- > 0;) {
    if (spare_buffers[i].capacity() < bytes) continue;
    std::string buf = std::move(spare_buffers[i]);
    spare_buffers[i] = std::move(spare_buffers.back());
    spare_buffers.pop_back();
    return buf;
  }
  return {};
}

// recycle_buffer - keep a delivered chunk's storage for a later write (small and huge ones are
// not worth keeping).
void Network::Impl::recycle_buffer(std::string&& buf) {
  if (buf.capacity() <= 15 || buf.capacity() > kSpareMaxBytes || spare_buffers.size() >= kSpareBuffers) return;
  buf.clear();
  spare_buffers.push_back(std::move(buf));
}

// queue_fin - our FIN, behind the data already written.
void Network::Impl::queue_fin(const ConnPtr& c, int s) {
  Dir& d = c->dir[s];
  Chunk ch;
  ch.fin = true;
  ch.written = sched.now();
  ch.offset = d.bytes_written;
  d.chunks.push_back(std::move(ch));
  send_chunk(c, s, d.base + d.chunks.size() - 1);
}

// shutdown_write - half-close: FIN after the queued bytes.
void Network::Impl::shutdown_write(const ConnPtr& c, int s) {
  Endpoint& e = c->ep[s];
  if (!e.established || e.gone || e.app_done || e.wr_shut) return;
  e.wr_shut = true;
  TraceView ev = conn_event(TraceKind::ConnClose, *c, s);
  ev.text = "half";
  trace.emit_view(ev);
  queue_fin(c, s);
}

// close - graceful close: FIN after the queued bytes; the application is done with the stream.
void Network::Impl::close(const ConnPtr& c, int s) {
  Endpoint& e = c->ep[s];
  if (!e.established || e.app_done) return;
  if (!e.gone && !e.wr_shut) {
    e.wr_shut = true;
    TraceView ev = conn_event(TraceKind::ConnClose, *c, s);
    ev.text = "full";
    trace.emit_view(ev);
    queue_fin(c, s);
  }
  e.app_done = true;
  e.inbox.clear();
  e.inbox.push_back({InboxItem::Closed, {}, CloseReason::Local});
  schedule_pump(c, s);
  maybe_finish(c);
}

// release - the last StreamPtr of end s is gone: drop its handler and close it gracefully.
void Network::Impl::release(const ConnPtr& c, int s) {
  Endpoint& e = c->ep[s];
  e.handler.reset();
  e.inbox.clear();
  e.closed_delivered = true;  // nobody can set a handler any more
  close(c, s);
  e.inbox.clear();
}

// abort - RST now: both directions are dropped, the peer is reset when the RST reaches it.
void Network::Impl::abort(const ConnPtr& c, int s) {
  Endpoint& e = c->ep[s];
  if (!e.established || e.gone) return;
  TraceView ev = conn_event(TraceKind::ConnReset, *c, s);
  ev.text = "abort (RST sent)";
  trace.emit_view(ev);
  e.gone = true;
  drop_dir(c, 0);
  drop_dir(c, 1);
  send_rst(c, s);
  if (!e.app_done) {
    e.app_done = true;
    e.inbox.clear();
    e.inbox.push_back({InboxItem::Closed, {}, CloseReason::Local});
    schedule_pump(c, s);
  }
  maybe_finish(c);
}

// --- the wire -----------------------------------------------------------------------------------

// send_chunk - one attempt to carry chunk idx across the path; failure means a retransmission.
void Network::Impl::send_chunk(const ConnPtr& c, int s, std::uint64_t idx) {
  Dir& d = c->dir[s];
  Chunk& ch = d.chunks[idx - d.base];
  SimTime now = sched.now();
  ch.sent = now;
  const Route& r = dir_route(*c, s);
  if (!usable(r)) {
    fail_chunk(c, s, idx);
    return;
  }
  if (lost(r)) {
    fail_chunk(c, s, idx);
    return;
  }
  HopRecord obs;
  if (hop_observer) {
    obs.conn = c->id;
    obs.sender = c->ep[s].host;
    obs.written = ch.written;
    obs.bytes = ch.data.size();
    obs.offset = ch.offset;
    obs.fin = ch.fin;
  }
  SimTime at = traverse(r, ch.data.size(), now, &d.link_free, hop_observer ? &obs : nullptr);
  std::uint32_t gen = d.gen;
  sched.schedule_at(at, [c, s, idx, gen] {
    if (c->alive()) c->net->on_chunk_arrival(c, s, idx, gen);
  });
}

// fail_chunk - the attempt did not get through: back off (doubling) and start the stall clock.
void Network::Impl::fail_chunk(const ConnPtr& c, int s, std::uint64_t idx) {
  Dir& d = c->dir[s];
  Chunk& ch = d.chunks[idx - d.base];
  if (ch.rto == 0) ch.rto = initial_rto(*c);
  else ch.rto = std::max(ch.rto, std::min(ch.rto * 2, cfg.max_rto));
  if (ch.first_fail == kNever) {
    ch.first_fail = ch.sent;
    ++d.failing;
    if (ch.sent < d.stall_since) set_stall(c, s, ch.sent);
  }
  SimTime at = std::max(sched.now(), ch.sent + ch.rto);
  std::uint32_t gen = d.gen;
  sched.schedule_at(at, [c, s, idx, gen] {
    if (!c->alive()) return;
    Dir& dd = c->dir[s];
    if (dd.gen != gen || idx < dd.base || idx >= dd.base + dd.chunks.size()) return;
    c->net->send_chunk(c, s, idx);
  });
}

// on_chunk_arrival - the chunk reached the receiving host: deliver, lose (host down) or answer RST.
void Network::Impl::on_chunk_arrival(const ConnPtr& c, int s, std::uint64_t idx, std::uint32_t gen) {
  Dir& d = c->dir[s];
  if (gen != d.gen || idx < d.base || idx >= d.base + d.chunks.size()) return;
  Endpoint& r = c->ep[1 - s];
  const HostState& rh = hosts[r.host];
  if (!rh.up) {
    fail_chunk(c, s, idx);
    return;
  }
  if (r.gone || r.epoch != rh.epoch) {
    // The receiving host has no such connection (any more): it answers with an RST. The chunk
    // counts as failed so the sender keeps retrying if that RST is lost.
    fail_chunk(c, s, idx);
    send_rst(c, 1 - s);
    return;
  }
  d.chunks[idx - d.base].arrived = true;
  if (idx == d.base) deliver_ready(c, s);
}

// deliver_ready - hand over every chunk that is next in order; handle FINs; run the handlers.
void Network::Impl::deliver_ready(const ConnPtr& c, int s) {
  Dir& d = c->dir[s];
  Endpoint& rcv = c->ep[1 - s];
  bool recompute = false, fin = false;
  while (!d.chunks.empty() && d.chunks.front().arrived) {
    Chunk ch = std::move(d.chunks.front());
    d.chunks.pop_front();
    ++d.base;
    if (ch.first_fail != kNever) {
      --d.failing;
      recompute = true;
    }
    if (ch.fin) {
      fin = true;
      rcv.rd_eof = true;
      c->ep[s].fin_acked = true;
      if (!rcv.app_done) rcv.inbox.push_back({InboxItem::Eof, {}, CloseReason::Closed});
    } else {
      TraceView ev = conn_event(TraceKind::BytesDelivered, *c, s);
      ev.data = ch.data;
      trace.emit_view(ev);
      if (!rcv.app_done) rcv.inbox.push_back({InboxItem::Data, std::move(ch.data), CloseReason::Closed});
    }
  }
  if (recompute) {
    SimTime m = kNever;
    if (d.failing > 0)
      for (const Chunk& ch : d.chunks) m = std::min(m, ch.first_fail);
    if (m != d.stall_since) set_stall(c, s, m);
  }
  if (fin) {
    check_full_close(c, 0);
    check_full_close(c, 1);
  }
  pump(c, 1 - s);
  if (fin) pump(c, s);
  maybe_finish(c);
}

// set_stall - (re)arm the stall deadline of direction s for a stall that started at `since`.
void Network::Impl::set_stall(const ConnPtr& c, int s, SimTime since) {
  Dir& d = c->dir[s];
  d.stall_since = since;
  sched.cancel(d.stall_event);
  d.stall_event = EventId{};
  if (since == kNever || later_by(since, cfg.stall_timeout) == kNever) return;
  std::uint32_t gen = d.gen;
  d.stall_event = sched.schedule_at(later_by(since, cfg.stall_timeout), [c, s, gen, since] {
    if (!c->alive()) return;
    Dir& dd = c->dir[s];
    if (dd.gen == gen && dd.stall_since == since) c->net->stall_timeout(c, s);
  });
}

// stall_timeout - nothing got through for stall_timeout: both live ends time out.
void Network::Impl::stall_timeout(const ConnPtr& c, int /*s*/) {
  std::string text = "stalled: no data got through for " + format_duration(cfg.stall_timeout);
  for (int x = 0; x < 2; ++x)
    if (!c->ep[x].gone || (x == 0 && c->connecting))
      reset_endpoint(c, x, TraceKind::ConnTimeout, CloseReason::Timeout, text);
  drop_dir(c, 0);
  drop_dir(c, 1);
  pump(c, 0);
  pump(c, 1);
  maybe_finish(c);
}

// check_full_close - both FINs are through for end x: its TCP state ends, on_closed(Closed) follows.
void Network::Impl::check_full_close(const ConnPtr& c, int x) {
  Endpoint& e = c->ep[x];
  if (e.gone || !e.wr_shut || !e.fin_acked || !e.rd_eof) return;
  e.gone = true;
  if (!e.app_done) {
    e.app_done = true;
    e.inbox.push_back({InboxItem::Closed, {}, CloseReason::Closed});
  }
}

// send_rst - an RST from one end to the other (0 bytes; lost or blocked RSTs are simply gone).
void Network::Impl::send_rst(const ConnPtr& c, int from_side) {
  const Route& r = dir_route(*c, from_side);
  if (!usable(r)) return;
  if (lost(r)) return;
  int target = 1 - from_side;
  sched.schedule_in(r.latency, [c, target] {
    if (c->alive()) c->net->on_rst_arrival(c, target);
  });
}

// on_rst_arrival - an RST reached end `side`: a pending connect is refused, a live end is reset.
void Network::Impl::on_rst_arrival(const ConnPtr& c, int side) {
  Endpoint& e = c->ep[side];
  const HostState& hs = hosts[e.host];
  if (!hs.up) return;
  if (side == 0 && c->connecting) {
    finish_connect(c, ConnectResult::Refused, TraceKind::ConnRefused, "RST: connection reset by " + *c->ep[1].name);
    return;
  }
  if (e.gone || e.epoch != hs.epoch) return;
  reset_endpoint(c, side, TraceKind::ConnReset, CloseReason::Reset, "reset by peer");
  drop_dir(c, 0);
  drop_dir(c, 1);
  pump(c, side);
  maybe_finish(c);
}

// reset_endpoint - end x loses its TCP state (traced as k); its application hears `why`.
void Network::Impl::reset_endpoint(const ConnPtr& c, int x, TraceKind k, CloseReason why, const std::string& text) {
  if (x == 0 && c->connecting) {
    finish_connect(c, why == CloseReason::Timeout ? ConnectResult::Timeout : ConnectResult::Refused, k, text);
    return;
  }
  Endpoint& e = c->ep[x];
  TraceView ev = conn_event(k, *c, x);
  ev.text = text;
  trace.emit_view(ev);
  e.gone = true;
  if (!e.app_done) {
    e.app_done = true;
    e.inbox.clear();
    e.inbox.push_back({InboxItem::Closed, {}, why});
  }
}

// drop_dir - forget direction s (reset/timeout): pending events for it become stale.
void Network::Impl::drop_dir(const ConnPtr& c, int s) {
  Dir& d = c->dir[s];
  ++d.gen;
  d.base += d.chunks.size();
  d.chunks.clear();
  d.failing = 0;
  d.stall_since = kNever;
  sched.cancel(d.stall_event);
  d.stall_event = EventId{};
}

// maybe_finish - both ends are gone: remove the connection and free the client's port.
void Network::Impl::maybe_finish(const ConnPtr& c) {
  if (c->finished || c->connecting || !c->ep[0].gone || !c->ep[1].gone) return;
  c->finished = true;
  if (c->ep[0].port) free_port(c->port_owner == kNoHost ? c->ep[0].host : c->port_owner, c->ep[0].port);
  conns.erase(c->id);
}

}  // namespace smtpsim
