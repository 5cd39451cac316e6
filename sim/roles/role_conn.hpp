// role_conn.hpp - the connection driver: runs one protocol engine over one stream, with TLS when
// the engine asks for it, its timer on the scheduler, and every protocol step written to the trace.
//
// Engines do no I/O; this is the only place where their bytes meet a transport. The same driver
// runs over a virtual stream (simulation) and over any other Stream implementation (live bridge).
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "sim/core/engine.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"

namespace smtpsim {

// TlsEndpoint - one side of a TLS session over memory buffers (adapter over sim/tls).
class TlsEndpoint {
 public:
  virtual ~TlsEndpoint() = default;
  virtual void start() = 0;                                // begin the handshake (client sends hello)
  virtual void feed_ciphertext(std::string_view bytes) = 0;
  virtual std::string take_ciphertext() = 0;               // bytes to put on the wire
  virtual void write_plaintext(std::string_view bytes) = 0;
  virtual std::string take_plaintext() = 0;                // bytes for the engine
  virtual bool handshake_done() const = 0;
  virtual bool failed() const = 0;
  virtual TlsInfo info() const = 0;
};

// TlsFactory - makes the TLS side for a connection: server or client, with the expected peer name.
using TlsFactory = std::function<std::unique_ptr<TlsEndpoint>(bool server, const std::string& peer_name)>;

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  using DoneFn = std::function<void(Conn&)>;

  // Conn - drive `engine` over `stream`; `is_server` picks the TLS role; `self`/`peer` name the hosts.
  Conn(Scheduler& sched, Trace& trace, StreamPtr stream, std::unique_ptr<Engine> engine, bool is_server,
       TlsFactory tls, std::string tls_peer_name = {});
  ~Conn();

  // start - hook the stream and let the engine speak first (greeting); call once.
  void start();
  // on_done - called once when the connection is over (closed, reset, or the engine finished).
  void on_done(DoneFn fn) { done_fn_ = std::move(fn); }
  // abort - drop the connection now (host crash, shutdown).
  void abort();

  Engine& engine() { return *engine_; }
  const Stream& stream() const { return *stream_; }
  bool done() const { return done_; }
  bool tls_active() const { return tls_ && tls_->handshake_done(); }

 private:
  void on_data(std::string_view bytes);
  void pump_tls();
  void flush();
  void emit(ProtoEvent&& ev);
  TraceView view_base() const;
  static TraceView endpoints_of(const Stream& s);
  void trace_tls(const std::string& text, int code);
  void arm_timer();
  void finish(CloseReason why);

  Scheduler& sched_;
  Trace& trace_;
  StreamPtr stream_;
  std::unique_ptr<Engine> engine_;
  bool is_server_;
  TlsFactory tls_factory_;
  std::string tls_peer_name_;
  TraceView endpoints_;  // the stream's names, addresses and ports, read once (they do not change)
  std::unique_ptr<TlsEndpoint> tls_;
  bool tls_reported_ = false;
  EventId timer_;
  SimTime timer_at_ = kNever;
  bool done_ = false;
  bool closing_ = false;
  bool in_flush_ = false;
  bool started_ = false;  // start() installed the stream handler (which ~Conn must remove)
  EngineOutput out_buf_;  // flush()'s round buffer, handed to the engine and back (keeps capacity)
  std::uint64_t last_rx_seq_ = 0;  // seq of the last received command traced (what replies answer)
  std::string prefixed_;  // emit()'s "data: "/"protocol error: " line, reused (keeps capacity)
  DoneFn done_fn_;
};

}  // namespace smtpsim
