// dns.hpp - zones (MX with preference, A, null MX), a DNS server host, and resolvers that query it
// over the virtual network with real latency. Faults per name: NXDOMAIN, SERVFAIL, timeout.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/net/network.hpp"

namespace smtpsim {

struct MxRecord {
  int preference = 10;
  std::string exchange;  // "." for a null MX (RFC 7505)
};

enum class DnsRcode : unsigned char { NoError, NxDomain, ServFail, Timeout };
const char* to_string(DnsRcode r);

enum class DnsFault : unsigned char { None, NxDomain, ServFail, Timeout };

struct DnsAnswer {
  DnsRcode rcode = DnsRcode::NoError;
  std::vector<MxRecord> mx;           // for MX queries, in zone order (the MTA sorts/shuffles)
  std::vector<std::uint32_t> addrs;   // for A queries
};

// DnsZones - the authoritative data, shared by the DNS server host; may change at run time.
class DnsZones {
 public:
  void add_mx(const std::string& domain, int pref, const std::string& exchange);
  void set_null_mx(const std::string& domain);
  void add_a(const std::string& name, std::uint32_t ip);
  void remove(const std::string& name);            // all records of the name
  void set_fault(const std::string& name, DnsFault f);  // DnsFault::None clears it
  // lookup - the answer for a query, as the server computes it (names compared case-insensitively).
  DnsAnswer lookup_mx(const std::string& domain) const;
  DnsAnswer lookup_a(const std::string& name) const;
  DnsFault fault(const std::string& name) const;

 private:
  struct Entry {
    std::vector<MxRecord> mx;
    std::vector<std::uint32_t> a;
  };
  std::map<std::string, Entry> names_;
  std::map<std::string, DnsFault> faults_;
};

// Resolver - a host's stub resolver: sends queries to the DNS host, times out after `timeout`.
class Resolver {
 public:
  using AnswerFn = std::function<void(const DnsAnswer&)>;
  Resolver(Network& net, HostId self, HostId dns_host, DnsZones& zones, Duration timeout = sec(5));
  // query_mx / query_a - ask the DNS host; the callback fires once (answer, or rcode Timeout).
  void query_mx(const std::string& domain, AnswerFn cb);
  void query_a(const std::string& name, AnswerFn cb);

 private:
  void query(const std::string& name, bool mx, AnswerFn cb);
  Network& net_;
  HostId self_;
  HostId dns_;
  DnsZones& zones_;
  Duration timeout_;
};

}  // namespace smtpsim
