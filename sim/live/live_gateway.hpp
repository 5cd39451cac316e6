// live_gateway.hpp - the other direction of the live bridge: a simulated host's SMTP (or POP3)
// service becomes a real server on loopback. The host's listener in the virtual network is
// replaced by a proxy: a simulated client (an MTA delivering, a mail client fetching) reaches the
// host over the lesson's links as before, and the bytes then go to and come from the real server
// (python3-aiosmtpd, Postfix's smtp-sink, ...). The trace shows the conversation on the virtual
// connection, the real server's replies written by the gateway host.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/live/live_pump.hpp"

namespace smtpsim {
class World;
}

namespace smtpsim::live {

// GatewaySpec - `--gateway HOST[:PORT]=ADDR:REALPORT` (PORT defaults to 25).
struct GatewaySpec {
  std::string host;
  std::uint16_t port = 25;
  std::string address = "127.0.0.1";
  std::uint16_t real_port = 0;
};

class Gateway {
 public:
  Gateway(Pump& pump, World& world, std::vector<GatewaySpec> specs, bool allow_external = false);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // open - take over each host's listener (throws std::runtime_error: unknown host, not a
  // loopback address without allow_external, bad address).
  void open();
  std::uint64_t sessions() const { return sessions_; }
  std::uint64_t failed() const { return failed_; }  // real server unreachable: the client saw a reset

  struct Session;

 private:
  Pump& pump_;
  World& world_;
  std::vector<GatewaySpec> specs_;
  bool allow_external_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::uint64_t sessions_ = 0, failed_ = 0;
};

}  // namespace smtpsim::live
