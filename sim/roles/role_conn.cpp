// role_conn.cpp - the connection driver: engine <-> (TLS) <-> stream, timers, trace lines.
#include "sim/roles/role_conn.hpp"

namespace smtpsim {

Conn::Conn(Scheduler& sched, Trace& trace, StreamPtr stream, std::unique_ptr<Engine> engine, bool is_server,
           TlsFactory tls, std::string tls_peer_name)
    : sched_(sched), trace_(trace), stream_(std::move(stream)), engine_(std::move(engine)),
      is_server_(is_server), tls_factory_(std::move(tls)), tls_peer_name_(std::move(tls_peer_name)),
      endpoints_(endpoints_of(*stream_)) {}

Conn::~Conn() {
  if (timer_) sched_.cancel(timer_);
  // The stream's handler points at this object: nothing may reach it once it is gone.
  if (started_) stream_->set_handler({});
}

// start - the stream's handler calls back through `this`; ~Conn replaces it, and each call holds
// a reference, so the connection lives until the call returns (raw captures keep the three
// callables inside std::function instead of three heap blocks per connection).
void Conn::start() {
  started_ = true;
  StreamHandler h;
  h.on_data = [self = this](std::string_view b) { self->shared_from_this()->on_data(b); };
  h.on_eof = [self = this] {
    auto c = self->shared_from_this();
    if (c->done_) return;
    c->engine_->on_closed(c->sched_.now());
    c->flush();
    if (!c->done_) { c->stream_->close(); c->finish(CloseReason::Closed); }
  };
  h.on_closed = [self = this](CloseReason r) {
    auto c = self->shared_from_this();
    if (c->done_) return;
    if (r != CloseReason::Local) c->engine_->on_closed(c->sched_.now());
    c->finish(r);
  };
  stream_->set_handler(std::move(h));
  if (done_) return;
  engine_->on_open(sched_.now());
  flush();
}

void Conn::abort() {
  if (done_) return;
  stream_->abort();
  finish(CloseReason::Local);
}

void Conn::on_data(std::string_view bytes) {
  if (done_) return;
  if (tls_) {
    tls_->feed_ciphertext(bytes);
    pump_tls();
  } else {
    engine_->on_bytes(bytes, sched_.now());
  }
  flush();
}

// pump_tls - move bytes between the TLS session, the wire and the engine; report the handshake.
void Conn::pump_tls() {
  if (!tls_) return;
  std::string wire = tls_->take_ciphertext();
  if (!wire.empty()) stream_->write(wire);
  if (!tls_reported_ && (tls_->handshake_done() || tls_->failed())) {
    tls_reported_ = true;
    TlsInfo info = tls_->info();
    trace_tls(info.ok ? "done " + info.version + " " + info.cipher + (info.peer_verified ? " (peer verified)" : "")
                      : "failed: " + info.error,
              info.ok ? 1 : 0);
    engine_->on_tls(info, sched_.now());
    if (!info.ok) { closing_ = true; }
  }
  std::string plain = tls_->take_plaintext();
  if (!plain.empty()) engine_->on_bytes(plain, sched_.now());
  wire = tls_->take_ciphertext();
  if (!wire.empty()) stream_->write(wire);
}

// flush - drain the engine: trace its events, write its bytes, start TLS or close as it asks.
void Conn::flush() {
  if (in_flush_) return;
  in_flush_ = true;
  for (int rounds = 0; rounds < 64 && !done_; ++rounds) {
    EngineOutput& out = out_buf_;
    engine_->take_output_into(out);
    if (out.empty()) break;
    for (ProtoEvent& ev : out.events) emit(std::move(ev));
    if (!out.bytes.empty() && stream_->is_open()) {
      if (tls_ && tls_->handshake_done()) {
        tls_->write_plaintext(out.bytes);
        std::string wire = tls_->take_ciphertext();
        if (!wire.empty()) stream_->write(wire);
      } else {
        stream_->write(out.bytes);
      }
    }
    if (out.start_tls && !tls_) {
      if (tls_factory_) tls_ = tls_factory_(is_server_, tls_peer_name_);
      if (!tls_) {
        TlsInfo info;
        info.error = "TLS is not configured on this host";
        trace_tls("failed: " + info.error, 0);
        engine_->on_tls(info, sched_.now());
        continue;
      }
      trace_tls(is_server_ ? "start (server)" : "start (client)", 2);
      tls_->start();
      pump_tls();
    }
    if (out.close || closing_) {
      stream_->close();
      finish(CloseReason::Local);
      break;
    }
  }
  in_flush_ = false;
  if (!done_ && engine_->finished()) {
    stream_->close();
    finish(CloseReason::Local);
  }
  if (!done_) arm_timer();
}

void Conn::emit(ProtoEvent&& ev) {
  TraceView e = view_base();
  e.code = ev.code;
  e.text = ev.text;
  auto prefix = [&](std::string_view p) {
    prefixed_.assign(p);
    prefixed_ += ev.text;
    e.text = prefixed_;
  };
  switch (ev.kind) {
    case ProtoEvent::Kind::Command:
      e.kind = TraceKind::Command;
      e.rx = ev.rx;
      if (ev.rx) last_rx_seq_ = trace_.count();  // the seq this event gets
      break;
    case ProtoEvent::Kind::Reply:
      e.kind = TraceKind::Reply;
      if (ev.answers) e.answers = last_rx_seq_;
      break;
    case ProtoEvent::Kind::Data: e.kind = TraceKind::Note; prefix("data: "); break;
    case ProtoEvent::Kind::Note: e.kind = TraceKind::Note; break;
    case ProtoEvent::Kind::Error: e.kind = TraceKind::Note; prefix("protocol error: "); break;
  }
  trace_.emit_view(e);
}

void Conn::trace_tls(const std::string& text, int code) {
  TraceView e = view_base();
  e.kind = TraceKind::Tls;
  e.code = code;
  e.text = text;
  trace_.emit_view(e);
}

// view_base - the time, names and endpoints every event of this connection carries.
TraceView Conn::view_base() const {
  TraceView e = endpoints_;
  e.time = sched_.now();
  return e;
}

// endpoints_of - the names, addresses and ports of a stream, fixed once it is connected (the
// names are the stream's own strings, valid while this connection holds it).
TraceView Conn::endpoints_of(const Stream& s) {
  TraceView e;
  e.host = s.local_name();
  e.peer = s.remote_name();
  e.conn = s.id();
  e.src_ip = s.local_ip();
  e.dst_ip = s.remote_ip();
  e.src_port = s.local_port();
  e.dst_port = s.remote_port();
  return e;
}

// arm_timer - keep exactly one scheduler event at the engine's deadline.
void Conn::arm_timer() {
  SimTime d = engine_->deadline();
  if (d == timer_at_ && (d == kNever || sched_.is_pending(timer_))) return;
  if (timer_) sched_.cancel(timer_);
  timer_ = {};
  timer_at_ = d;
  if (d == kNever) return;
  std::weak_ptr<Conn> weak = shared_from_this();
  timer_ = sched_.schedule_at(d, [weak] {
    auto c = weak.lock();
    if (!c || c->done_) return;
    c->timer_ = {};
    c->timer_at_ = kNever;
    c->engine_->on_timer(c->sched_.now());
    c->flush();
  });
}

void Conn::finish(CloseReason) {
  if (done_) return;
  done_ = true;
  if (timer_) sched_.cancel(timer_);
  timer_ = {};
  if (done_fn_) {
    DoneFn fn = std::move(done_fn_);
    done_fn_ = nullptr;
    fn(*this);
  }
}

}  // namespace smtpsim
