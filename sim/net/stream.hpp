// stream.hpp - the transport interface: a reliable, ordered byte stream between two endpoints.
// The virtual network implements it (net_stream.cpp); the live bridge implements it over Asio.
//
// Callback rules (the virtual network keeps them; a live transport must too):
//  * Handler callbacks never run inside a Stream method: data, EOF and close notices are delivered
//    from scheduler events (at the virtual time they happen). One exception: Network::crash() tells
//    the crashed host's own streams on_closed(Reset) before it returns (see network.hpp).
//  * A handler may call any Stream method, replace itself with set_handler, or drop the last
//    StreamPtr from inside on_data / on_eof / on_closed; the stream stays valid until it returns.
//  * After close()/abort() the handler hears nothing but on_closed(Local). on_closed is the last
//    call; the handler is released right after it (so captures of the StreamPtr do not leak).
//  * To stop hearing from a stream without closing it, call set_handler({}).
//  * Dropping the last StreamPtr of an open stream closes it like close() (FIN after the queued
//    bytes), without calling its handler again: a connection is never leaked open by accident.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace smtpsim {

// CloseReason - why a stream ended, as its handler is told.
enum class CloseReason : unsigned char {
  Closed,    // both directions closed normally (FIN both ways)
  Reset,     // the peer reset the connection (crash, abort)
  Timeout,   // data could not be delivered for too long (link down, host gone silent)
  Local,     // this side called close()/abort()
};
const char* to_string(CloseReason r);

struct StreamHandler {
  std::function<void(std::string_view)> on_data;  // bytes arrived, in order
  std::function<void()> on_eof;                   // peer half-closed: no more bytes will arrive
  std::function<void(CloseReason)> on_closed;     // the stream is finished; called once
};

class Stream {
 public:
  virtual ~Stream() = default;
  // set_handler - who hears about data, EOF and close; data that arrived earlier is replayed
  // (in a scheduler event at the current time, not inside this call).
  virtual void set_handler(StreamHandler h) = 0;
  // write - queue bytes for the peer (ignored after close or shutdown_write, and when empty).
  virtual void write(std::string_view bytes) = 0;
  // shutdown_write - half-close: send FIN after the queued bytes; reading goes on. When the peer's
  // FIN has arrived too (and ours reached it), the handler gets on_eof then on_closed(Closed).
  virtual void shutdown_write() = 0;
  // close - graceful close: FIN after the queued bytes; the handler gets on_closed(Local) and no
  // more data (bytes still arriving are discarded).
  virtual void close() = 0;
  // abort - send RST now; queued bytes are dropped; the handler gets on_closed(Local).
  virtual void abort() = 0;
  // is_open - established and neither closed by this side nor ended (true while half-closed).
  virtual bool is_open() const = 0;

  virtual std::uint64_t id() const = 0;             // connection id (as in the trace)
  virtual const std::string& local_name() const = 0;  // host names of both ends (valid while the stream is)
  virtual const std::string& remote_name() const = 0;
  virtual std::uint32_t local_ip() const = 0;
  virtual std::uint32_t remote_ip() const = 0;
  virtual std::uint16_t local_port() const = 0;
  virtual std::uint16_t remote_port() const = 0;
  // is_live - a real socket of the live bridge (its TLS must use real randomness), not a virtual link.
  virtual bool is_live() const { return false; }
};

using StreamPtr = std::shared_ptr<Stream>;

}  // namespace smtpsim
