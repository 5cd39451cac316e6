// live_args.cpp - parsing --expose and --gateway (and HOST:PORT) for `smtpsim live` and the viz.
#include "sim/live/live_args.hpp"

#include <charconv>

namespace smtpsim::live {

std::pair<std::string, std::uint16_t> parse_host_port(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos)
    throw ArgError("expected HOST:PORT like mx1.b.example:25 or pop.b.example:110, got '" + std::string(text) + "'");
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.empty()) throw ArgError("'" + std::string(text) + "': the host name is missing before ':'");
  unsigned v = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535)
    throw ArgError("'" + std::string(text) + "': the port must be a number from 1 to 65535, got '" + std::string(port) +
                   "'");
  return {std::string(host), static_cast<std::uint16_t>(v)};
}

Exposure parse_exposure(std::string_view text) {
  Exposure e;
  auto eq = text.find('=');
  std::tie(e.host, e.port) = parse_host_port(text.substr(0, eq));
  if (eq == std::string_view::npos) return e;
  std::string_view local = text.substr(eq + 1);
  auto colon = local.rfind(':');
  if (colon == std::string_view::npos)
    throw ArgError("--expose " + std::string(text) + ": expected HOST:PORT=127.0.0.1:LOCALPORT (LOCALPORT 0 = any free port)");
  e.bind_address = std::string(local.substr(0, colon));
  if (e.bind_address.size() > 2 && e.bind_address.front() == '[' && e.bind_address.back() == ']')
    e.bind_address = e.bind_address.substr(1, e.bind_address.size() - 2);
  std::string_view port = local.substr(colon + 1);
  unsigned v = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || v > 65535)
    throw ArgError("--expose " + std::string(text) + ": the local port must be a number from 0 to 65535");
  e.local_port = static_cast<std::uint16_t>(v);
  return e;
}

GatewaySpec parse_gateway(std::string_view text) {
  GatewaySpec g;
  auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw ArgError("--gateway " + std::string(text) + ": expected HOST[:PORT]=127.0.0.1:REALPORT");
  std::string_view left = text.substr(0, eq);
  if (left.find(':') != std::string_view::npos) std::tie(g.host, g.port) = parse_host_port(left);
  else g.host = std::string(left);
  Exposure e = parse_exposure("x:1=" + std::string(text.substr(eq + 1)));
  if (e.local_port == 0)
    throw ArgError("--gateway " + std::string(text) + ": the real server's port must be 1 to 65535");
  g.address = e.bind_address;
  g.real_port = e.local_port;
  return g;
}

bool take_target(const std::vector<std::string>& args, std::size_t& i, Targets& out) {
  const std::string& a = args[i];
  if (a == "--expose") {
    if (i + 1 >= args.size()) throw ArgError("--expose needs a value: HOST:PORT=127.0.0.1:LOCALPORT");
    out.expose.push_back(parse_exposure(args[++i]));
  } else if (a.rfind("--expose=", 0) == 0) {
    out.expose.push_back(parse_exposure(std::string_view(a).substr(9)));
  } else if (a == "--gateway") {
    if (i + 1 >= args.size()) throw ArgError("--gateway needs a value: HOST[:PORT]=127.0.0.1:REALPORT");
    out.gateways.push_back(parse_gateway(args[++i]));
  } else if (a.rfind("--gateway=", 0) == 0) {
    out.gateways.push_back(parse_gateway(std::string_view(a).substr(10)));
  } else {
    return false;
  }
  return true;
}

}  // namespace smtpsim::live
