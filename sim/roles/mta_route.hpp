// mta_route.hpp - where an MTA sends mail for a domain: MX lookup (RFC 5321 section 5.1) or a smarthost.
//
// MX records are sorted by preference, ties shuffled with the MTA's seeded stream, each exchange's
// address looked up in turn. No MX -> the domain's own address (implicit MX); if any MX exists the
// domain's address is never used. Null MX ("MX 0 .", RFC 7505) -> 556 5.1.10; NXDOMAIN -> a
// permanent failure; SERVFAIL or timeout -> a temporary one (the message stays queued).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/net/dns.hpp"

namespace smtpsim {

struct RouteTarget {
  std::string name;        // exchange host name
  std::uint32_t ip = 0;
  int preference = 0;
};

struct RouteResult {
  enum class Status : unsigned char { Ok, TempFail, PermFail } status = Status::Ok;
  std::vector<RouteTarget> targets;  // in the order to try them
  bool implicit_mx = false;
  int code = 0;                      // the reply to record when not Ok
  std::string enhanced;
  std::string text;
};

using RouteFn = std::function<void(const RouteResult&)>;

// resolve_mx_route - the MX targets for `domain`, in order, via the resolver (asynchronous).
void resolve_mx_route(Resolver& resolver, Rng& rng, const std::string& domain, RouteFn done);
// resolve_host_route - one named host (a smarthost / relay_to), via its A record.
void resolve_host_route(Resolver& resolver, const std::string& host, RouteFn done);

}  // namespace smtpsim
