// net_dns.cpp - DNS zones (MX, A, null MX, per-name faults) and the stub resolver that queries the
// DNS host over the virtual network.
#include <algorithm>
#include <map>

#include "sim/net/dns.hpp"
#include "sim/core/ascii.hpp"

namespace smtpsim {

// to_string - stable names of response codes.
const char* to_string(DnsRcode r) {
  switch (r) {
    case DnsRcode::NoError: return "NOERROR";
    case DnsRcode::NxDomain: return "NXDOMAIN";
    case DnsRcode::ServFail: return "SERVFAIL";
    case DnsRcode::Timeout: return "timeout";
  }
  return "unknown";
}

// dns_wire_rcode - RFC 1035 RCODE numbers; -1 for "no answer".
int dns_wire_rcode(DnsRcode r) {
  switch (r) {
    case DnsRcode::NoError: return 0;
    case DnsRcode::ServFail: return 2;
    case DnsRcode::NxDomain: return 3;
    case DnsRcode::Timeout: return -1;
  }
  return -1;
}

// to_string - stable names of faults (as scenarios write them).
const char* to_string(DnsFault f) {
  switch (f) {
    case DnsFault::None: return "none";
    case DnsFault::NxDomain: return "nxdomain";
    case DnsFault::ServFail: return "servfail";
    case DnsFault::Timeout: return "timeout";
  }
  return "unknown";
}

// --- zones --------------------------------------------------------------------------------------

// normalize - ASCII lower case without a trailing dot ("." stays ".").
std::string DnsZones::normalize(const std::string& name) {
  std::string n = name;
  for (char& ch : n) ch = ascii_lower(ch);
  if (n.size() > 1 && n.back() == '.') n.pop_back();
  return n;
}

// is_normal - no ASCII upper case letter and no trailing dot (a lone "." is normal).
bool DnsZones::is_normal(std::string_view name) {
  for (char ch : name)
    if (ch >= 'A' && ch <= 'Z') return false;
  return !(name.size() > 1 && name.back() == '.');
}

// find_entry - names_ looked up without copying a name that is already normal (the resolver's are).
const DnsZones::Entry* DnsZones::find_entry(const std::string& name) const {
  auto it = is_normal(name) ? names_.find(std::string_view(name)) : names_.find(normalize(name));
  return it == names_.end() ? nullptr : &it->second;
}

// add_mx - append one MX record to the domain.
void DnsZones::add_mx(const std::string& domain, int pref, const std::string& exchange) {
  std::string ex = exchange;
  if (ex.size() > 1 && ex.back() == '.') ex.pop_back();
  names_[normalize(domain)].mx.push_back({pref, ex});
}

// set_null_mx - the domain accepts no mail: a single "MX 0 ." (RFC 7505).
void DnsZones::set_null_mx(const std::string& domain) {
  auto& mx = names_[normalize(domain)].mx;
  mx.clear();
  mx.push_back({0, "."});
}

// add_a / remove - one A record more; every record of a name gone (its fault stays).
void DnsZones::add_a(const std::string& name, std::uint32_t ip) { names_[normalize(name)].a.push_back(ip); }

void DnsZones::remove(const std::string& name) { names_.erase(normalize(name)); }

// set_fault - make queries for the name fail (None clears).
void DnsZones::set_fault(const std::string& name, DnsFault f) {
  if (f == DnsFault::None) faults_.erase(normalize(name));
  else faults_[normalize(name)] = f;
}

// fault - the fault configured for exactly this name (None if there is none).
DnsFault DnsZones::fault(const std::string& name) const {
  if (faults_.empty()) return DnsFault::None;  // the usual case: no name, no normalizing
  auto it = is_normal(name) ? faults_.find(std::string_view(name)) : faults_.find(normalize(name));
  return it == faults_.end() ? DnsFault::None : it->second;
}

namespace {
// fault_answer - the rcode a fault forces, if any.
bool fault_answer(DnsFault f, DnsAnswer& a) {
  switch (f) {
    case DnsFault::None: return false;
    case DnsFault::NxDomain: a.rcode = DnsRcode::NxDomain; return true;
    case DnsFault::ServFail: a.rcode = DnsRcode::ServFail; return true;
    case DnsFault::Timeout: a.rcode = DnsRcode::Timeout; return true;
  }
  return false;
}
}  // namespace

// lookup_mx - the MX answer as the server computes it.
DnsAnswer DnsZones::lookup_mx(const std::string& domain) const {
  DnsAnswer a;
  if (fault_answer(fault(domain), a)) return a;
  const Entry* e = find_entry(domain);
  if (!e || (e->mx.empty() && e->a.empty())) {
    a.rcode = DnsRcode::NxDomain;
    return a;
  }
  a.mx = e->mx;
  return a;
}

// lookup_a - the A answer as the server computes it.
DnsAnswer DnsZones::lookup_a(const std::string& name) const {
  DnsAnswer a;
  if (fault_answer(fault(name), a)) return a;
  const Entry* e = find_entry(name);
  if (!e || (e->mx.empty() && e->a.empty())) {
    a.rcode = DnsRcode::NxDomain;
    return a;
  }
  a.addrs = e->a;
  return a;
}

// --- resolver -----------------------------------------------------------------------------------

namespace {
// append_description - Resolver::describe's text, appended to out.
void append_description(std::string& out, const DnsAnswer& a, bool mx, Duration timeout) {
  switch (a.rcode) {
    case DnsRcode::NxDomain:
      out += "NXDOMAIN";
      return;
    case DnsRcode::ServFail:
      out += "SERVFAIL";
      return;
    case DnsRcode::Timeout:
      out += "timeout after ";
      out += format_duration(timeout);
      return;
    case DnsRcode::NoError:
      break;
  }
  if (mx ? a.mx.empty() : a.addrs.empty()) {
    out += "no records (NODATA)";
    return;
  }
  bool first = true;
  if (mx) {
    for (const MxRecord& r : a.mx) {
      if (!first) out += ", ";
      first = false;
      out += std::to_string(r.preference);
      out += ' ';
      out += r.exchange;
    }
    if (a.mx.size() == 1 && a.mx[0].exchange == ".") out += " (null MX)";
  } else {
    for (std::uint32_t ip : a.addrs) {
      if (!first) out += ", ";
      first = false;
      out += ipv4_to_string(ip);
    }
  }
}
}  // namespace

struct Resolver::State {
  struct Pending {
    std::uint64_t q = 0;   // the query's number (pending is sorted by it)
    AnswerFn cb;
    std::string name;      // the normalized name asked about
    bool mx = false;       // an MX query (else A)
    std::uint16_t port = 0;
    std::uint64_t epoch = 0;
    EventId timeout;
    DnsAnswer answer;      // the DNS host's answer, kept here while its datagram travels
  };
  Network* net = nullptr;
  HostId self = kNoHost;
  HostId dns = kNoHost;
  DnsZones* zones = nullptr;
  Duration timeout = 0;
  bool dead = false;
  std::uint64_t next_q = 0;
  std::vector<Pending> pending;  // by q, ascending (queries are appended in number order)
  std::string text;  // trace text being built, reused from event to event

  // find - the pending query q, or pending.end().
  std::vector<Pending>::iterator find(std::uint64_t q) {
    auto it = std::lower_bound(pending.begin(), pending.end(), q,
                               [](const Pending& p, std::uint64_t n) { return p.q < n; });
    return it != pending.end() && it->q == q ? it : pending.end();
  }

  // set_question - text = the question as traced: "MX b.example?" / "A mx1.b.example?".
  void set_question(bool mx, const std::string& name) {
    text.assign(mx ? "MX " : "A ");
    text += name;
    text += '?';
  }

  // answer_at_server - the query datagram reached the DNS host: answer from the zones as they are
  // now (silence for a Timeout fault), keeping the answer with the query while it travels back.
  static void answer_at_server(const std::shared_ptr<State>& st, std::uint64_t q, bool mx,
                               const std::string& norm) {
    if (st->dead) return;
    DnsAnswer a = mx ? st->zones->lookup_mx(norm) : st->zones->lookup_a(norm);
    if (a.rcode == DnsRcode::Timeout) return;  // the server stays silent
    std::size_t abytes = query_bytes(norm) + 16 * a.addrs.size();
    for (const MxRecord& r : a.mx) abytes += 16 + r.exchange.size();
    if (auto it = st->find(q); it != st->pending.end()) it->answer = std::move(a);
    st->net->send_datagram(st->dns, st->self, abytes, [st, q] { st->finish(q, false); });
  }

  // query_bytes - the size of the query datagram for a (normalized) name, as on the wire.
  static std::size_t query_bytes(const std::string& norm) { return 12 + norm.size() + 2 + 4; }

  // finish - the answer (timed_out: the timeout) for query q: trace it and call back, once.
  void finish(std::uint64_t q, bool timed_out) {
    if (dead) return;
    auto it = find(q);
    if (it == pending.end()) return;
    Pending p = std::move(*it);
    pending.erase(it);
    if (timed_out) p.answer = DnsAnswer{DnsRcode::Timeout, {}, {}};
    const DnsAnswer& a = p.answer;
    if (a.rcode != DnsRcode::Timeout) net->scheduler().cancel(p.timeout);
    if (!net->host_up(self) || net->host_epoch(self) != p.epoch) return;  // the asker crashed
    TraceView e;
    e.time = net->scheduler().now();
    e.kind = TraceKind::Dns;
    e.host = net->host_name(self);
    e.peer = net->host_name(dns);
    e.src_ip = net->host_ip(self);
    e.dst_ip = net->host_ip(dns);
    e.src_port = p.port;
    e.dst_port = 53;
    e.code = dns_wire_rcode(a.rcode);
    set_question(p.mx, p.name);
    text += " -> ";
    append_description(text, a, p.mx, timeout);
    e.text = text;
    net->trace().emit_view(e);
    if (p.cb) p.cb(a);
  }
};

// describe - the answer as the trace shows it.
std::string Resolver::describe(const DnsAnswer& a, bool mx, Duration timeout) {
  std::string out;
  append_description(out, a, mx, timeout);
  return out;
}

// Resolver - a stub resolver on `self` asking `dns_host`.
Resolver::Resolver(Network& net, HostId self, HostId dns_host, DnsZones& zones, Duration timeout)
    : net_(net), self_(self), dns_(dns_host), timeout_(timeout),
      state_(std::make_shared<State>()) {
  net.host_name(self);  // validates both ids (throws on unknown hosts)
  net.host_name(dns_host);
  state_->net = &net;
  state_->self = self;
  state_->dns = dns_host;
  state_->zones = &zones;
  state_->timeout = timeout;
}

// ~Resolver - pending callbacks are dropped; in-flight events find the state dead.
Resolver::~Resolver() {
  if (!state_) return;
  state_->dead = true;
  state_->pending.clear();
}

// query_mx / query_a - the two query types, both through query().
void Resolver::query_mx(const std::string& domain, AnswerFn cb) { query(domain, true, std::move(cb)); }
void Resolver::query_a(const std::string& name, AnswerFn cb) { query(name, false, std::move(cb)); }

// pending - queries waiting for their answer or timeout.
std::size_t Resolver::pending() const { return state_ ? state_->pending.size() : 0; }

// query - trace the question, arm the timeout, send the query datagram; the DNS host answers from
// the zones as they are when the query arrives.
void Resolver::query(const std::string& name, bool mx, AnswerFn cb) {
  std::shared_ptr<State> st = state_;
  std::string norm = DnsZones::normalize(name);
  std::uint64_t q = ++st->next_q;
  State::Pending p;
  p.q = q;
  p.cb = std::move(cb);
  p.name = norm;
  p.mx = mx;
  p.port = static_cast<std::uint16_t>(32768 + (q - 1) % 16384);
  p.epoch = net_.host_epoch(self_);
  TraceView e;
  e.time = net_.scheduler().now();
  e.kind = TraceKind::Dns;
  e.host = net_.host_name(self_);
  e.peer = net_.host_name(dns_);
  e.src_ip = net_.host_ip(self_);
  e.dst_ip = net_.host_ip(dns_);
  e.src_port = p.port;
  e.dst_port = 53;
  st->set_question(mx, norm);
  e.text = st->text;
  net_.trace().emit_view(e);
  Scheduler& sch = net_.scheduler();
  const SimTime deadline = timeout_ >= kNever - sch.now() ? kNever : sch.now() + timeout_;
  if (deadline != kNever) p.timeout = sch.schedule_at(deadline, [st, q] { st->finish(q, true); });
  st->pending.push_back(std::move(p));
  const std::size_t qbytes = State::query_bytes(norm);
  net_.send_datagram(self_, dns_, qbytes, [st, q, mx, norm = std::move(norm)] {
    State::answer_at_server(st, q, mx, norm);
  });
}

}  // namespace smtpsim
