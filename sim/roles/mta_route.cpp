// mta_route.cpp - MX and smarthost resolution through the simulated DNS.
#include "sim/roles/mta_route.hpp"

#include <algorithm>
#include <memory>

namespace smtpsim {

namespace {

// temp_fail / perm_fail - the failure replies MTAs record for DNS problems (Postfix wording).
RouteResult temp_fail(const std::string& domain, DnsRcode rc) {
  RouteResult r;
  r.status = RouteResult::Status::TempFail;
  r.code = 451;
  r.enhanced = "4.4.3";
  r.text = "Host or domain name lookup failed: " + domain + " (" +
           (rc == DnsRcode::Timeout ? "DNS timeout" : "SERVFAIL") + ", will retry)";
  return r;
}
RouteResult perm_fail(int code, const std::string& enh, const std::string& text) {
  RouteResult r;
  r.status = RouteResult::Status::PermFail;
  r.code = code;
  r.enhanced = enh;
  r.text = text;
  return r;
}

struct AddrWalk {
  Resolver* resolver;
  std::vector<MxRecord> mx;
  std::size_t next = 0;
  bool any_temp = false;
  RouteResult result;
  RouteFn done;
  std::string domain;
};

// walk_addresses - look up each exchange's address in order, then report the targets found.
void walk_addresses(std::shared_ptr<AddrWalk> w) {
  if (w->next >= w->mx.size()) {
    if (w->result.targets.empty()) {
      w->result = w->any_temp ? temp_fail(w->domain, DnsRcode::ServFail)
                              : perm_fail(550, "5.4.4", "Host or domain name not found: no address for any MX of " + w->domain);
    }
    w->done(w->result);
    return;
  }
  MxRecord rec = w->mx[w->next++];
  w->resolver->query_a(rec.exchange, [w, rec](const DnsAnswer& a) {
    if (a.rcode == DnsRcode::NoError) {
      for (std::uint32_t ip : a.addrs) w->result.targets.push_back({rec.exchange, ip, rec.preference});
    } else if (a.rcode != DnsRcode::NxDomain) {
      w->any_temp = true;
    }
    walk_addresses(w);
  });
}

}  // namespace

void resolve_mx_route(Resolver& resolver, Rng& rng, const std::string& domain, RouteFn done) {
  // The shuffle must use the RNG now, in query order, so copy what it needs into the callback.
  Rng* rngp = &rng;
  Resolver* res = &resolver;
  resolver.query_mx(domain, [res, rngp, domain, done = std::move(done)](const DnsAnswer& ans) {
    if (ans.rcode == DnsRcode::NxDomain) {
      done(perm_fail(550, "5.1.2", "Host or domain name not found. Name service error for name=" + domain +
                                       " type=MX: Host not found"));
      return;
    }
    if (ans.rcode != DnsRcode::NoError) { done(temp_fail(domain, ans.rcode)); return; }
    if (ans.mx.size() == 1 && (ans.mx[0].exchange == "." || ans.mx[0].exchange.empty())) {
      done(perm_fail(556, "5.1.10", "Recipient address rejected: Domain " + domain +
                                        " does not accept mail (nullMX)"));
      return;
    }
    auto w = std::make_shared<AddrWalk>();
    w->resolver = res;
    w->done = done;
    w->domain = domain;
    if (ans.mx.empty()) {
      w->result.implicit_mx = true;
      w->mx.push_back({0, domain});  // implicit MX: the domain's own address
    } else {
      std::vector<MxRecord> mx;
      for (const MxRecord& m : ans.mx)
        if (m.exchange != "." && !m.exchange.empty()) mx.push_back(m);
      std::stable_sort(mx.begin(), mx.end(), [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
      // Shuffle each run of equal preference (RFC 5321 5.1: spread load across equal MX hosts).
      for (std::size_t i = 0; i < mx.size();) {
        std::size_t j = i;
        while (j < mx.size() && mx[j].preference == mx[i].preference) ++j;
        for (std::size_t k = j - 1; k > i; --k) std::swap(mx[k], mx[i + rngp->below(k - i + 1)]);
        i = j;
      }
      w->mx = std::move(mx);
    }
    walk_addresses(w);
  });
}

void resolve_host_route(Resolver& resolver, const std::string& host, RouteFn done) {
  resolver.query_a(host, [host, done = std::move(done)](const DnsAnswer& a) {
    if (a.rcode == DnsRcode::NoError && !a.addrs.empty()) {
      RouteResult r;
      for (std::uint32_t ip : a.addrs) r.targets.push_back({host, ip, 0});
      done(r);
    } else if (a.rcode == DnsRcode::NxDomain || a.rcode == DnsRcode::NoError) {
      // A relay host that does not exist is a configuration error: keep the mail, retry later.
      RouteResult r = temp_fail(host, DnsRcode::ServFail);
      r.text = "relay host " + host + " not found in DNS (will retry)";
      done(r);
    } else {
      done(temp_fail(host, a.rcode));
    }
  });
}

}  // namespace smtpsim
