// live_bridge.hpp - real mail clients join a running simulation: each exposed lesson server
// (HOST:PORT) gets a real listening socket on loopback; an accepted connection becomes a live
// Stream handed to that host's listener, as if the host had accepted it from the network, so the
// host's own engine, behaviours, faults and TLS answer it, and the mail it takes travels on over
// the lesson's links.
//
// Safety rules kept here: loopback only unless allow_external; at most max_connections real
// clients at once (more get a 421 / -ERR and are closed); per-connection idle and total timeouts and
// an unsent-bytes cap (live_stream.hpp); no open relay - a real client that has not authenticated
// may only send to the lesson's own domains, whatever the MSA's auth setting (install()).
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/live/live_pump.hpp"
#include "sim/live/live_stream.hpp"

namespace smtpsim {
class World;
}

namespace smtpsim::live {

// Exposure - one `--expose HOST:PORT=ADDR:LOCALPORT` (local_port 0: the system picks one).
struct Exposure {
  std::string host;
  std::uint16_t port = 0;
  std::string bind_address = "127.0.0.1";
  std::uint16_t local_port = 0;
};

struct BridgeOptions {
  std::vector<Exposure> expose;
  bool allow_external = false;          // bind and accept non-loopback addresses
  std::size_t max_connections = 100;    // real clients at once
  StreamLimits limits;
  std::string client_name = "live-client";  // how real clients appear in the trace
  std::set<std::string> lesson_domains;     // where a real client without AUTH may send
};

// Bound - an exposure that listens, with the port it really got.
struct Bound {
  Exposure exposure;
  std::uint16_t local_port = 0;
  bool pop3 = false;
};

class Bridge {
 public:
  Bridge(Pump& pump, World& world, BridgeOptions opts);
  ~Bridge();
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // open - check every exposure against the world, install the relay rule, bind and listen.
  // Throws std::runtime_error with a readable reason (unknown host, nothing listening, not
  // loopback, address in use).
  void open();
  // close - stop accepting; connections already open finish on their own.
  void close();
  const std::vector<Bound>& bound() const { return bound_; }
  // ready_line - "ready mx.b.example:25=127.0.0.1:40125 ..." for scripts to wait on.
  std::string ready_line() const;

  std::size_t active() const { return active_; }
  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t refused() const { return refused_; }

 private:
  struct Listener;
  void install_relay_rule();
  void accept_next(Listener& l);
  void on_accept(Listener& l, boost::asio::ip::tcp::socket s);

  Pump& pump_;
  World& world_;
  BridgeOptions opts_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<Bound> bound_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::size_t active_ = 0;
  std::uint64_t accepted_ = 0, refused_ = 0;
};

}  // namespace smtpsim::live
