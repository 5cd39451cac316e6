// live_stream.cpp - the Asio socket adapted to Stream: reads and writes, half-close, close, RST,
// timeouts, trace events, and handler calls from scheduler events.
#include "sim/live/live_stream.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <memory>

namespace smtpsim::live {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Item - one notice for the handler, queued in order.
struct Item {
  enum Kind : unsigned char { Data, Eof, Closed } kind = Data;
  std::string data;
  CloseReason reason = CloseReason::Closed;
};

// Sock - the shared state of one real connection; Asio handlers keep it alive.
class Sock : public std::enable_shared_from_this<Sock> {
 public:
  Sock(Pump& pump, Trace& trace, tcp::socket s, std::uint64_t id, EndpointInfo server, EndpointInfo client,
       StreamLimits limits, std::function<void()> on_finished)
      : id_(id), local_(std::move(server)), remote_(std::move(client)), pump_(pump), trace_(trace),
        sock_(std::move(s)), idle_(pump.io()), total_(pump.io()), limits_(limits), on_finished_(std::move(on_finished)) {}

  // begin - trace the connection, start reading and the timers.
  void begin() {
    boost::system::error_code ignored;
    sock_.set_option(tcp::no_delay(true), ignored);  // replies are small and each one is awaited
    pump_.catch_up();
    event(TraceKind::ConnOpen, false, {});
    event(TraceKind::ConnAccept, false, {});
    arm_idle();
    total_.expires_after(limits_.total);
    total_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->kill_from_io("live bridge: connection time limit reached");
    });
    read();
  }

  void set_handler(StreamHandler h) {
    handler_ = std::move(h);
    has_handler_ = handler_.on_data || handler_.on_eof || handler_.on_closed;
    if (has_handler_ && !backlog_.empty()) schedule_drain();
  }

  void write(std::string_view bytes) {
    if (bytes.empty() || app_closed_ || shut_requested_ || !sock_.is_open()) return;
    event(TraceKind::BytesSent, true, bytes);
    event(TraceKind::BytesDelivered, true, bytes);
    unsent_ += bytes.size();
    pending_.append(bytes);  // replies written while a write is in flight go out together
    if (unsent_ > limits_.max_unsent) {
      kill("live bridge: the client does not read (" + std::to_string(unsent_) + " bytes unsent)");
      return;
    }
    flush();
  }

  void shutdown_write() {
    if (app_closed_ || shut_requested_ || !sock_.is_open()) return;
    shut_requested_ = true;
    event(TraceKind::ConnClose, true, "half");
    flush();
  }

  void close() {
    if (app_closed_ || finished_) return;
    if (!shut_requested_) event(TraceKind::ConnClose, true, "full");
    app_closed_ = true;
    shut_requested_ = true;
    close_after_flush_ = true;
    tell_closed(CloseReason::Local);
    flush();
  }

  void abort() {
    if (app_closed_ || finished_) return;
    app_closed_ = true;
    event(TraceKind::ConnReset, true, "abort (RST sent)");
    tell_closed(CloseReason::Local);
    reset_socket();
  }

  // release - the application dropped its last StreamPtr: close quietly.
  void release() {
    handler_ = {};
    has_handler_ = false;
    backlog_.clear();
    close();
  }

  bool is_open() const { return !app_closed_ && !finished_ && sock_.is_open(); }

  std::uint64_t id_;
  EndpointInfo local_, remote_;

 private:
  // event - a connection event; from_local: the server side acts (else the real client).
  void event(TraceKind kind, bool from_local, std::string_view data_or_text) {
    const EndpointInfo& a = from_local ? local_ : remote_;
    const EndpointInfo& b = from_local ? remote_ : local_;
    TraceView e;
    e.time = pump_.scheduler().now();
    e.kind = kind;
    e.host = a.name;
    e.peer = b.name;
    e.conn = id_;
    e.src_ip = a.ip;
    e.src_port = a.port;
    e.dst_ip = b.ip;
    e.dst_port = b.port;
    if (kind == TraceKind::BytesSent || kind == TraceKind::BytesDelivered) e.data = data_or_text;
    else e.text = data_or_text;
    // ConnOpen/ConnAccept are the client's (host = client), as the virtual network writes them.
    if (kind == TraceKind::ConnOpen || kind == TraceKind::ConnAccept) {
      e.host = remote_.name;
      e.peer = local_.name;
      e.src_ip = remote_.ip;
      e.src_port = remote_.port;
      e.dst_ip = local_.ip;
      e.dst_port = local_.port;
    }
    trace_.emit_view(e);
  }

  void arm_idle() {
    idle_.expires_after(limits_.idle);
    idle_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->kill_from_io("live bridge: idle timeout");
    });
  }

  void read() {
    if (!sock_.is_open()) return;
    sock_.async_read_some(asio::buffer(buf_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                          std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(const boost::system::error_code& ec, std::size_t n) {
    if (!sock_.is_open() || ec == asio::error::operation_aborted) return;
    pump_.catch_up();
    if (!ec) {
      arm_idle();
      std::string_view bytes(buf_.data(), n);
      event(TraceKind::BytesSent, false, bytes);
      event(TraceKind::BytesDelivered, false, bytes);
      if (!app_closed_) push({Item::Data, std::string(bytes), {}});
      read();
    } else if (ec == asio::error::eof) {
      peer_eof_ = true;
      event(TraceKind::ConnClose, false, "half");
      if (app_closed_) {
        close_socket();
      } else {
        push({Item::Eof, {}, {}});
        if (shut_done_) {
          tell_closed(CloseReason::Closed);
          close_socket();
        }
      }
    } else {
      event(TraceKind::ConnReset, false, "reset by peer");
      if (!app_closed_) tell_closed(CloseReason::Reset);
      close_socket();
    }
    pump_.catch_up();
  }

  // flush - write the queued bytes; then the FIN (shutdown) and the close that were asked for.
  void flush() {
    if (writing_ || !sock_.is_open()) return;
    if (pending_.empty()) {
      if (shut_requested_ && !shut_done_) {
        boost::system::error_code ignored;
        sock_.shutdown(tcp::socket::shutdown_send, ignored);
        shut_done_ = true;
        if (close_after_flush_ && peer_eof_) close_socket();
        else if (close_after_flush_) linger_then_close();
        else if (peer_eof_) {
          tell_closed(CloseReason::Closed);
          close_socket();
        }
      }
      return;
    }
    writing_ = true;
    inflight_.clear();
    inflight_.swap(pending_);
    asio::async_write(sock_, asio::buffer(inflight_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                        self->writing_ = false;
                        if (ec) {
                          if (ec != asio::error::operation_aborted && self->sock_.is_open()) {
                            self->pump_.catch_up();
                            self->event(TraceKind::ConnReset, false, "reset by peer");
                            if (!self->app_closed_) self->tell_closed(CloseReason::Reset);
                            self->close_socket();
                            self->pump_.catch_up();
                          }
                          return;
                        }
                        self->unsent_ -= self->inflight_.size();
                        self->flush();
                      });
  }

  // linger_then_close - after our FIN, give the client a moment to close its side, then let go.
  void linger_then_close() {
    idle_.expires_after(std::chrono::seconds(2));
    idle_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->close_socket();
    });
  }

  // kill - a safety limit: RST to the client, on_closed(Timeout) to the handler (from a scheduler
  // event, like every notice).
  void kill(const std::string& why) {
    if (!sock_.is_open()) return;
    event(TraceKind::ConnReset, true, why);
    if (!app_closed_) {
      app_closed_ = true;
      tell_closed(CloseReason::Timeout);
    }
    reset_socket();
  }
  // kill_from_io - kill from an Asio handler: the clock caught up first, the notice delivered after.
  void kill_from_io(const std::string& why) {
    pump_.catch_up();
    kill(why);
    pump_.catch_up();
  }

  void reset_socket() {
    boost::system::error_code ignored;
    if (sock_.is_open()) sock_.set_option(asio::socket_base::linger(true, 0), ignored);
    close_socket();
  }

  void close_socket() {
    boost::system::error_code ignored;
    idle_.cancel();
    total_.cancel();
    if (sock_.is_open()) sock_.close(ignored);
    pending_.clear();
    unsent_ = 0;
    if (on_finished_) {
      auto fn = std::move(on_finished_);
      on_finished_ = nullptr;
      fn();
    }
  }

  // tell_closed - the last notice: on_closed(reason), data still queued for the handler dropped
  // when this side closed.
  void tell_closed(CloseReason r) {
    if (closed_told_) return;
    closed_told_ = true;
    if (r == CloseReason::Local) backlog_.clear();
    push({Item::Closed, {}, r});
  }

  void push(Item it) {
    if (finished_) return;
    backlog_.push_back(std::move(it));
    if (has_handler_) schedule_drain();
  }

  void schedule_drain() {
    if (drain_pending_) return;
    drain_pending_ = true;
    pump_.scheduler().schedule_in(0, [self = shared_from_this()] { self->drain(); });
  }

  // drain - hand queued notices to the handler, in order, from a scheduler event.
  void drain() {
    drain_pending_ = false;
    while (has_handler_ && !backlog_.empty() && !finished_) {
      Item it = std::move(backlog_.front());
      backlog_.pop_front();
      StreamHandler h = handler_;  // the handler may replace itself while it runs
      switch (it.kind) {
        case Item::Data:
          if (h.on_data && !app_closed_) h.on_data(it.data);
          break;
        case Item::Eof:
          if (h.on_eof && !app_closed_) h.on_eof();
          break;
        case Item::Closed:
          finished_ = true;
          handler_ = {};
          has_handler_ = false;
          if (h.on_closed) h.on_closed(it.reason);
          break;
      }
    }
  }

  Pump& pump_;
  Trace& trace_;
  tcp::socket sock_;
  asio::steady_timer idle_, total_;
  StreamLimits limits_;
  std::function<void()> on_finished_;
  StreamHandler handler_;
  bool has_handler_ = false;
  std::deque<Item> backlog_;
  bool drain_pending_ = false;
  std::string pending_;   // written by the application, not yet handed to the socket
  std::string inflight_;  // the bytes of the async_write in progress
  std::size_t unsent_ = 0;
  bool writing_ = false;
  bool app_closed_ = false, shut_requested_ = false, shut_done_ = false, close_after_flush_ = false;
  bool peer_eof_ = false, closed_told_ = false, finished_ = false;
  std::array<char, 16384> buf_{};
};

// LiveStream - the application's handle; dropping the last one closes the connection.
class LiveStream final : public Stream {
 public:
  explicit LiveStream(std::shared_ptr<Sock> s) : s_(std::move(s)) {}
  ~LiveStream() override { s_->release(); }
  void set_handler(StreamHandler h) override { s_->set_handler(std::move(h)); }
  void write(std::string_view bytes) override { s_->write(bytes); }
  void shutdown_write() override { s_->shutdown_write(); }
  void close() override { s_->close(); }
  void abort() override { s_->abort(); }
  bool is_open() const override { return s_->is_open(); }
  std::uint64_t id() const override { return s_->id_; }
  const std::string& local_name() const override { return s_->local_.name; }
  const std::string& remote_name() const override { return s_->remote_.name; }
  std::uint32_t local_ip() const override { return s_->local_.ip; }
  std::uint32_t remote_ip() const override { return s_->remote_.ip; }
  std::uint16_t local_port() const override { return s_->local_.port; }
  std::uint16_t remote_port() const override { return s_->remote_.port; }
  bool is_live() const override { return true; }

 private:
  std::shared_ptr<Sock> s_;
};

}  // namespace

StreamPtr make_live_stream(Pump& pump, Trace& trace, boost::asio::ip::tcp::socket sock, std::uint64_t id,
                           EndpointInfo server, EndpointInfo client, StreamLimits limits,
                           std::function<void()> on_finished) {
  auto s = std::make_shared<Sock>(pump, trace, std::move(sock), id, std::move(server), std::move(client), limits,
                                  std::move(on_finished));
  s->begin();
  return std::make_shared<LiveStream>(std::move(s));
}

}  // namespace smtpsim::live
