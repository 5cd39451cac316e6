// dns.hpp - zones (MX with preference, A, null MX), a DNS server host, and resolvers that query it
// over the virtual network with real latency. Faults per name: NXDOMAIN, SERVFAIL, timeout.
//
// A query is a datagram from the resolver's host to the DNS host (12 + name + 2 + 4 bytes, as on
// the wire); the DNS host computes the answer from DnsZones when the query arrives (so faults and
// records changed at run time apply to later queries) and sends an answer datagram back (query
// size + 16 per A record, + 16 + exchange per MX record). Timeout when no answer came within the
// resolver's timeout: DNS host down or unreachable, a datagram lost, or the name's fault is Timeout.
//
// Trace (TraceKind::Dns, host = the asking host, peer = the DNS host, src = asking host's ip and
// a per-query port, dst = DNS host's ip port 53):
//   at the query:  text "MX b.example?" (or "A mx1.b.example?"), code 0
//   at the answer: text "MX b.example? -> 10 mx1.b.example, 20 mx2.b.example", "... -> 0 . (null MX)",
//                  "... -> NXDOMAIN", "... -> SERVFAIL", "... -> no records (NODATA)",
//                  "... -> timeout after 5s"; code = dns_wire_rcode(rcode) (0, 3, 2, or -1).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/net/network.hpp"

namespace smtpsim {

struct MxRecord {
  int preference = 10;
  std::string exchange;  // "." for a null MX (RFC 7505)
};

enum class DnsRcode : unsigned char { NoError, NxDomain, ServFail, Timeout };
const char* to_string(DnsRcode r);
// dns_wire_rcode - the RCODE number on the wire (NOERROR 0, SERVFAIL 2, NXDOMAIN 3); -1 for Timeout.
int dns_wire_rcode(DnsRcode r);

enum class DnsFault : unsigned char { None, NxDomain, ServFail, Timeout };
const char* to_string(DnsFault f);

struct DnsAnswer {
  DnsRcode rcode = DnsRcode::NoError;
  std::vector<MxRecord> mx;           // for MX queries, in zone order (the MTA sorts/shuffles)
  std::vector<std::uint32_t> addrs;   // for A queries
};

// DnsZones - the authoritative data, shared by the DNS server host; may change at run time.
// Names are compared case-insensitively and a trailing dot is ignored ("B.Example." = "b.example").
// A name with no records at all is NXDOMAIN; a name with records but none of the asked type is
// NOERROR with an empty answer (NODATA). Faults are per exact name and take precedence.
class DnsZones {
 public:
  // add_mx - append an MX record (zone order is kept in answers).
  void add_mx(const std::string& domain, int pref, const std::string& exchange);
  // set_null_mx - replace the domain's MX records by the single null MX "0 ." (RFC 7505).
  void set_null_mx(const std::string& domain);
  void add_a(const std::string& name, std::uint32_t ip);
  void remove(const std::string& name);            // all records of the name
  void set_fault(const std::string& name, DnsFault f);  // DnsFault::None clears it
  // lookup - the answer for a query, as the server computes it (names compared case-insensitively).
  DnsAnswer lookup_mx(const std::string& domain) const;
  DnsAnswer lookup_a(const std::string& name) const;
  DnsFault fault(const std::string& name) const;

  // normalize - the canonical form of a name: ASCII lower case, no trailing dot.
  static std::string normalize(const std::string& name);
  // is_normal - whether name is already in canonical form (normalize would return it unchanged).
  static bool is_normal(std::string_view name);

 private:
  struct Entry {
    std::vector<MxRecord> mx;
    std::vector<std::uint32_t> a;
  };
  // NameHash - std::hash of the name's characters, usable on string_views (no key copy to look up).
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;
  // find_entry - the records of name (any case, trailing dot or not), or null.
  const Entry* find_entry(const std::string& name) const;
  NameMap<Entry> names_;  // never iterated: order does not matter
  NameMap<DnsFault> faults_;
};

// Resolver - a host's stub resolver: sends queries to the DNS host, times out after `timeout`.
// One query, no retries. Destroying the resolver cancels its pending callbacks; so does a crash of
// the asking host (its processes are gone: the callback is dropped without a trace event).
class Resolver {
 public:
  using AnswerFn = std::function<void(const DnsAnswer&)>;
  Resolver(Network& net, HostId self, HostId dns_host, DnsZones& zones, Duration timeout = sec(5));
  ~Resolver();
  Resolver(Resolver&&) noexcept = default;
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // query_mx / query_a - ask the DNS host; the callback fires once (answer, or rcode Timeout),
  // always from a scheduler event, never inside this call.
  void query_mx(const std::string& domain, AnswerFn cb);
  void query_a(const std::string& name, AnswerFn cb);
  // pending - queries still waiting for an answer or their timeout.
  std::size_t pending() const;
  // describe - the answer part of the trace text: "10 mx1.b.example, 20 mx2.b.example", "NXDOMAIN".
  static std::string describe(const DnsAnswer& a, bool mx, Duration timeout);

  struct State;  // implementation detail (net_dns.cpp)
 private:
  void query(const std::string& name, bool mx, AnswerFn cb);
  Network& net_;
  HostId self_;
  HostId dns_;
  Duration timeout_;
  std::shared_ptr<State> state_;
};

}  // namespace smtpsim
