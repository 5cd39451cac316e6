// live_args.hpp - the live bridge's command-line words, shared by `smtpsim live` and
// `smtpsim-viz --live`: `--expose HOST:PORT=ADDR:LOCALPORT` and `--gateway HOST[:PORT]=ADDR:PORT`
// (both may repeat), and the HOST:PORT they are made of. One parser, so both programs take the
// same spellings and give the same errors.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/live/live_bridge.hpp"
#include "sim/live/live_gateway.hpp"

namespace smtpsim::live {

// ArgError - a live word that cannot be used; what() says what was expected.
class ArgError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Targets - what --expose and --gateway asked for.
struct Targets {
  std::vector<Exposure> expose;
  std::vector<GatewaySpec> gateways;
};

// parse_host_port - "mx.b.example:25" -> {host, port 1..65535} (ArgError naming what is wrong).
std::pair<std::string, std::uint16_t> parse_host_port(std::string_view text);
// parse_exposure - "HOST:PORT=ADDR:LOCALPORT" (or "HOST:PORT" = 127.0.0.1 and a free port).
Exposure parse_exposure(std::string_view text);
// parse_gateway - "HOST[:PORT]=ADDR:REALPORT" (PORT defaults to 25).
GatewaySpec parse_gateway(std::string_view text);
// take_target - if args[i] is --expose/--gateway (with its value next or after '='), parse it
// into `out`, move i past it and return true; false for any other word.
bool take_target(const std::vector<std::string>& args, std::size_t& i, Targets& out);

}  // namespace smtpsim::live
