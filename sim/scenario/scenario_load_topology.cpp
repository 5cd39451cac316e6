// scenario_load_topology.cpp - reading `domains`, `hosts` (with each role's options) and `links`.
// Only what one entry can tell is checked here; names are cross-checked in scenario_validate.cpp.
#include <algorithm>

#include "sim/core/trace.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario::detail {

namespace {

const std::vector<std::pair<std::string, TlsMode>> kTlsModes{
    {"none", TlsMode::None}, {"opportunistic", TlsMode::Opportunistic},
    {"required", TlsMode::Required}};

// read_endpoint - "host:port" or "host" (port 0 = the target's own port, filled in later).
std::optional<Endpoint> read_endpoint(Diags& d, const Val& v) {
  if (!v.is_scalar()) {
    d.error(v.pos, v.name + ": expected host:port like msa.a.example:587, got " + shown(v.node));
    return std::nullopt;
  }
  std::string s = v.text();
  Endpoint e;
  e.pos = v.pos;
  std::size_t colon = s.rfind(':');
  std::string host = colon == std::string::npos ? s : s.substr(0, colon);
  if (!valid_host_name(host)) {
    d.error(v.pos, v.name + ": expected host:port like msa.a.example:587, got " + shown(v.node));
    return std::nullopt;
  }
  e.host = to_lower(host);
  if (colon != std::string::npos) {
    std::string port = s.substr(colon + 1);
    long n = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) {
      if (c < '0' || c > '9') ok = false;
      else n = n * 10 + (c - '0');
    }
    if (!ok || n < 1 || n > 65535) {
      d.error(v.pos, v.name + ": port '" + port + "' is not a port number (1 to 65535)");
      return std::nullopt;
    }
    e.port = static_cast<std::uint16_t>(n);
  }
  return e;
}

// read_port - 1..65535.
std::optional<std::uint16_t> read_port(Diags& d, const Val& v) {
  auto n = read_int(d, v, 1, 65535);
  if (!n) return std::nullopt;
  return static_cast<std::uint16_t>(*n);
}

// read_name_list - host or domain names (one or a list), lower-cased.
std::vector<std::string> read_name_list(Diags& d, const Val& v, SourceInfo* src, bool domains) {
  std::vector<std::string> out;
  for (const Val& item : items(d, v, true, src)) {
    auto n = domains ? read_domain_name(d, item) : read_host_name(d, item);
    if (n) out.push_back(*n);
  }
  return out;
}

// read_greylisting - true/false or { delay, window }.
void read_greylisting(Diags& d, const Val& v, GreylistSpec& g) {
  if (v.is_map()) {
    Fields f(d, v, KeyPlace::Greylisting);
    f.check();
    g.enabled = true;
    if (auto x = f.get("delay"); x.present)
      if (auto t = read_duration(d, x)) g.delay = *t;
    if (auto x = f.get("window"); x.present)
      if (auto t = read_duration(d, x)) g.window = *t;
    if (g.window <= g.delay)
      d.error(v.pos, "greylisting: window (" + format_duration(g.window) +
                         ") must be longer than delay (" + format_duration(g.delay) + ")");
    return;
  }
  if (auto b = read_bool(d, v)) g.enabled = *b;
}

// read_server - the listening options shared by msa/mta/cluster/mx/mda.
void read_server(Diags& d, Fields& f, SmtpServerOptions& s) {
  if (auto v = f.get("port"); v.present)
    if (auto p = read_port(d, v)) s.port = *p;
  if (auto v = f.get("tls"); v.present)
    if (auto m = read_enum<TlsMode>(d, v, kTlsModes)) s.tls = *m;
  if (auto v = f.get("max_size"); v.present)
    if (auto n = read_size(d, v)) s.max_size = *n;
  if (auto v = f.get("greylisting"); v.present) read_greylisting(d, v, s.greylist);
  if (auto v = f.get("bare_newline"); v.present)
    if (auto k = read_choice(d, v, {"reject", "normalize"})) s.normalize_bare_newline = *k == 1;
}

// read_outbound - the sending options shared by msa/mta/cluster/mx.
void read_outbound(Loader& L, Fields& f, OutboundOptions& o, SourceInfo* src) {
  Diags& d = L.d;
  o.retry = L.spec.retry;
  if (auto v = f.get("relay_to"); v.present)
    if (auto n = read_host_name(d, v)) o.relay_to = *n;
  if (auto v = f.get("retry"); v.present)
    if (auto r = L.read_retry(v)) {
      o.retry = *r;
      o.own_retry = true;
    }
  if (auto v = f.get("tls_policy"); v.present)
    if (auto m = read_enum<TlsMode>(d, v, kTlsModes)) o.tls_policy = *m;
  if (auto v = f.get("concurrency"); v.present)
    if (auto n = read_int(d, v, 1, 1000)) o.concurrency = int(*n);
  if (auto v = f.get("spool"); v.present)
    if (auto m = read_enum<SpoolMode>(d, v, {{"durable", SpoolMode::Durable},
                                             {"volatile", SpoolMode::Volatile}}))
      o.spool = *m;
  (void)src;
}

// read_layout - [x, y] or { x, y }.
void read_layout(Diags& d, const Val& v, Layout& l) {
  if (v.is_list()) {
    auto p = read_pair(d, v, "numbers");
    if (!p) return;
    auto x = read_number(d, p->first), y = read_number(d, p->second);
    if (x && y) l = {true, *x, *y};
    return;
  }
  Fields f(d, v, KeyPlace::Layout);
  if (!f.ok()) return;
  f.check();
  if (!f.has("x") || !f.has("y")) {
    d.error(v.pos, "layout: needs both x and y (like layout: [120, 40])");
    return;
  }
  auto x = read_number(d, f.get("x")), y = read_number(d, f.get("y"));
  if (x && y) l = {true, *x, *y};
}

// roles_with_key - the roles that accept `key` ("msa, mta, mx").
std::vector<std::string> roles_with_key(const std::string& key) {
  std::vector<std::string> out;
  for (Role r : all_roles()) {
    const auto& k = role_keys(r);
    if (std::find(k.begin(), k.end(), key) != k.end()) out.push_back(to_string(r));
  }
  return out;
}

}  // namespace

std::vector<MxEntry> Loader::read_mx_list(const Val& v, SourceInfo* src) {
  std::vector<MxEntry> out;
  int next_pref = 10;
  for (const Val& item : items(d, v, true, src)) {
    MxEntry e;
    e.pos = item.pos;
    if (item.is_scalar()) {
      auto h = read_host_name(d, item);
      if (!h) continue;
      e.host = *h;
      e.pref = next_pref;
    } else {
      Fields f(d, item, KeyPlace::MxEntry);
      if (!f.ok()) continue;
      f.check();
      if (!f.has("host")) {
        d.error(f.pos(), "mx record: has no host (like { host: mx1.b.example, pref: 10 })");
        continue;
      }
      auto h = read_host_name(d, f.get("host"));
      if (!h) continue;
      e.host = *h;
      e.pref = next_pref;
      if (auto p = f.get("pref"); p.present)
        if (auto n = read_int(d, p, 0, 65535)) e.pref = int(*n);
    }
    next_pref = e.pref + 10;
    out.push_back(e);
  }
  return out;
}

std::vector<AddressRecord> Loader::read_a_list(const Val& v, SourceInfo* src) {
  std::vector<AddressRecord> out;
  for (const Val& item : items(d, v, true, src)) {
    if (!item.is_scalar()) {
      d.error(item.pos, item.name + ": expected an IPv4 address or a host name, got " +
                            shown(item.node));
      continue;
    }
    AddressRecord r;
    r.pos = item.pos;
    std::uint32_t ip = 0;
    std::string t = item.text();
    if (!t.empty() && t[0] >= '0' && t[0] <= '9' && t.find_first_not_of("0123456789.") == std::string::npos) {
      if (!parse_ipv4(t, ip)) {
        d.error(item.pos, item.name + ": '" + t + "' is not an IPv4 address like 203.0.113.5");
        continue;
      }
      r.ip = t;
    } else {
      auto h = read_host_name(d, item);
      if (!h) continue;
      r.host = *h;
    }
    out.push_back(r);
  }
  return out;
}

void Loader::read_domains(const Val& v) {
  if (v.is_null() || too_many(d, v, Limits::kDomains, "domains")) return;
  if (!v.is_map()) {
    d.error(v.pos, "domains: expected domain names as keys (like b.example: { mx: mx1.b.example }), "
                   "got " + shown(v.node));
    return;
  }
  for (auto it = v.node.begin(); it != v.node.end(); ++it) {
    Val key = val_of(it->first, "domain");
    auto name = read_domain_name(d, key);
    if (!name) continue;
    for (const DomainSpec& other : spec.domains)
      if (other.name == *name)
        d.error(key.pos, "domain '" + *name + "' is listed twice (first at line " +
                             std::to_string(other.src.pos.line) + ")");
    DomainSpec dom;
    dom.name = *name;
    Val body = val_of(it->second, *name);
    if (it->second.IsNull()) body.pos = key.pos;
    Fields f(d, body, KeyPlace::Domain, &dom.src);
    dom.src.pos = key.pos;
    if (!f.ok()) broken_domains.insert(dom.name);
    if (f.ok()) {
      f.check();
      if (f.has("mx") && f.has("null_mx"))
        d.error(f.key_pos("null_mx"),
                "null_mx: a domain with a null MX has no other MX records (remove mx: or null_mx:)");
      if (auto m = f.get("mx"); m.present) {
        dom.mx_mode = MxMode::Explicit;
        dom.mx = read_mx_list(m, &dom.src);
        if (m.is_list() && m.node.size() == 0)
          d.error(m.pos, "mx: is empty (leave it out for an implicit MX, or write null_mx: true)");
      } else if (auto n = f.get("null_mx"); n.present) {
        if (auto b = read_bool(d, n)) dom.mx_mode = *b ? MxMode::Null : MxMode::Implicit;
      }
      if (auto a = f.get("a"); a.present) dom.a = read_a_list(a, &dom.src);
      if (auto l = f.get("local_to"); l.present)
        if (auto h = read_host_name(d, l)) dom.local_to = *h;
      if (auto u = f.get("users"); u.present) {
        std::size_t users_before = d.errors();
        auto add_user = [&](const Val& kv, const YAML::Node* value) {
          UserSpec user;
          auto text = read_text(d, kv);
          if (!text) return;
          std::string addr = *text;
          if (addr.find('@') == std::string::npos) addr += "@" + dom.name;
          Val av = kv;
          av.node = YAML::Node(addr);
          av.present = true;
          auto a = read_address(d, av);
          if (!a) return;
          if (a->substr(a->find('@') + 1) != dom.name) {
            d.error(kv.pos, "user '" + *a + "' is not in domain " + dom.name +
                                " (list it under its own domain)");
            broken_users.insert(*a);
            return;
          }
          for (const UserSpec& other : dom.users)
            if (other.address == *a)
              d.error(kv.pos, "user '" + *a + "' is listed twice (first at line " +
                                  std::to_string(other.src.pos.line) + ")");
          user.address = *a;
          user.src.pos = kv.pos;
          std::size_t ubefore = d.errors();
          if (value && !value->IsNull()) {
            Val pv = val_of(*value, "password");
            if (pv.is_scalar()) {
              user.password = pv.text();
              user.src.keys["password"] = pv.pos;
            } else {
              Fields uf(d, pv, KeyPlace::User, &user.src);
              user.src.pos = kv.pos;
              if (uf.ok()) {
                uf.check();
                if (auto p = uf.get("password"); p.present)
                  if (auto s = read_text(d, p)) user.password = *s;
                if (auto q = uf.get("quota"); q.present)
                  if (auto n = read_size(d, q)) user.quota = *n;
              }
            }
            if (user.src.has("password") && user.password.empty())
              d.error(user.src.at("password"), "password: is empty (leave it out for no password)");
          }
          if (d.errors() != ubefore) broken_users.insert(user.address);
          dom.users.push_back(user);
        };
        std::size_t total_users = 0;
        for (const DomainSpec& other : spec.domains) total_users += other.users.size();
        if ((u.is_map() || u.is_list()) && u.node.size() + total_users > Limits::kUsers) {
          d.error(u.pos, "users: more than " + std::to_string(Limits::kUsers) +
                             " users in all is too many for a lesson");
        } else if (u.is_map()) {
          for (auto uit = u.node.begin(); uit != u.node.end(); ++uit) {
            YAML::Node value = uit->second;
            add_user(val_of(uit->first, "user"), &value);
          }
        } else {
          for (const Val& item : items(d, u, true, &dom.src)) {
            Val named = item;
            named.name = "user";
            add_user(named, nullptr);
          }
        }
        if (d.errors() != users_before) broken_domains.insert(dom.name);
      }
    }
    spec.domains.push_back(std::move(dom));
  }
}

void Loader::read_hosts(const Val& v) {
  if (!v.present) return;
  if (!v.is_list()) {
    d.error(v.pos, "hosts: expected a list of hosts (like - { name: dns, role: dns }), got " +
                       shown(v.node));
    return;
  }
  if (too_many(d, v, Limits::kHosts, "hosts")) return;
  hosts_read = true;
  static const std::vector<std::pair<std::string, Role>> roles = [] {
    std::vector<std::pair<std::string, Role>> out;
    for (Role r : all_roles()) out.emplace_back(to_string(r), r);
    return out;
  }();
  for (const YAML::Node& n : v.node) {
    HostSpec h;
    Val hv = val_of(n, "host");
    Fields f(d, hv, KeyPlace::Host, &h.src);
    if (!f.ok()) continue;
    if (!f.has("role")) {
      // no role: check the keys against every role's, so a misspelt `role` is named as such
      std::vector<std::string> valid = keys_of(KeyPlace::Host);
      for (Role r : all_roles())
        for (const std::string& k : role_keys(r))
          if (std::find(valid.begin(), valid.end(), k) == valid.end()) valid.push_back(k);
      auto suggested = f.check(valid);
      if (std::find(suggested.begin(), suggested.end(), "role") == suggested.end())
        d.error(f.pos(), "host" + (f.get("name").is_scalar() ? " '" + f.get("name").text() + "'"
                                                             : std::string()) +
                             ": has no role (add role: one of " + join_list(role_names()) + ")");
    }
    auto nv = f.get("name");
    std::optional<std::string> name;
    if (!nv.present) d.error(f.pos(), "host: has no name (add name: ...)");
    else name = read_host_name(d, nv);
    std::optional<Role> role;
    if (auto rv = f.get("role"); rv.present) role = read_enum<Role>(d, rv, roles);
    if (role) {
      std::vector<std::string> valid = keys_of(KeyPlace::Host);
      const auto& rk = role_keys(*role);
      valid.insert(valid.end(), rk.begin(), rk.end());
      Role r = *role;
      f.check(valid, [&](const std::string& key) -> std::optional<std::string> {
        auto owners = roles_with_key(key);
        if (owners.empty()) return std::nullopt;
        return "key '" + key + "' does not apply to role " + to_string(r) + " (it is a key of " +
               join_list(owners) + ")";
      });
    }
    if (auto ip = f.get("ip"); ip.present) {
      std::uint32_t addr = 0;
      if (!ip.is_scalar() || !parse_ipv4(ip.text(), addr) || addr == 0)
        d.error(ip.pos, "ip: expected an IPv4 address like 10.0.0.5, got " + shown(ip.node));
      else
        h.ip = ipv4_to_string(addr);
    }
    if (auto l = f.get("layout"); l.present) read_layout(d, l, h.layout);
    if (role) {
      h.role = *role;
      switch (*role) {
        case Role::Mua: {
          MuaOptions o;
          if (auto x = f.get("user"); x.present) {
            if (auto a = read_address(d, x)) o.user = *a;
          } else {
            d.error(f.pos(), "mua" + (name ? " '" + *name + "'" : std::string()) +
                                 ": has no user (add user: the address it sends and fetches as)");
          }
          if (auto x = f.get("password"); x.present)
            if (auto s = read_text(d, x)) o.password = *s;
          if (auto x = f.get("submit"); x.present)
            if (auto e = read_endpoint(d, x)) o.submit = *e;
          if (auto x = f.get("fetch"); x.present)
            if (auto e = read_endpoint(d, x)) o.fetch = *e;
          if (auto x = f.get("poll"); x.present)
            if (auto t = read_duration(d, x)) {
              if (*t == 0) d.error(x.pos, "poll: must be longer than 0");
              o.poll = *t;
            }
          if (auto x = f.get("tls"); x.present)
            if (auto m = read_enum<TlsMode>(d, x, kTlsModes)) o.tls = *m;
          if (auto x = f.get("auth"); x.present)
            if (auto m = read_enum<AuthMech>(d, x, {{"none", AuthMech::None},
                                                    {"plain", AuthMech::Plain},
                                                    {"login", AuthMech::Login}}))
              o.auth = *m;
          if (auto x = f.get("leave_on_server"); x.present)
            if (auto b = read_bool(d, x)) o.leave_on_server = *b;
          if (auto x = f.get("pipelining"); x.present) {
            if (x.text() == "blind") o.blind_pipelining = true;  // a hostile client: see scenario_spec.hpp
            else if (auto b = read_bool(d, x)) o.pipelining = *b;
          }
          if (!o.submit.set() && !o.fetch.set() && f.has("user"))
            d.error(f.pos(), "mua" + (name ? " '" + *name + "'" : std::string()) +
                                 ": has neither submit: nor fetch:, so it can do nothing");
          h.options = o;
          break;
        }
        case Role::Msa: {
          MsaOptions o;
          o.server.port = 587;
          read_server(d, f, o.server);
          read_outbound(*this, f, o.out, &h.src);
          if (auto x = f.get("auth"); x.present)
            if (auto m = read_enum<AuthRequirement>(d, x, {{"required", AuthRequirement::Required},
                                                           {"optional", AuthRequirement::Optional},
                                                           {"off", AuthRequirement::Off}}))
              o.auth = *m;
          if (auto x = f.get("auth_mechs"); x.present) {
            o.auth_mechs.clear();
            for (const Val& item : items(d, x, true, &h.src))
              if (auto m = read_enum<AuthMech>(d, item, {{"plain", AuthMech::Plain},
                                                         {"login", AuthMech::Login}}))
                if (std::find(o.auth_mechs.begin(), o.auth_mechs.end(), *m) == o.auth_mechs.end())
                  o.auth_mechs.push_back(*m);
            if (x.is_list() && x.node.size() == 0)
              d.error(x.pos, "auth_mechs: is empty (to turn AUTH off write auth: off)");
          }
          h.options = o;
          break;
        }
        case Role::Mta: {
          MtaOptions o;
          read_server(d, f, o.server);
          read_outbound(*this, f, o.out, &h.src);
          if (auto x = f.get("local_domains"); x.present)
            o.local_domains = read_name_list(d, x, &h.src, true);
          if (auto x = f.get("relay_for"); x.present)
            o.relay_for = read_name_list(d, x, &h.src, false);
          h.options = o;
          break;
        }
        case Role::Cluster: {
          ClusterOptions o;
          read_server(d, f, o.server);
          read_outbound(*this, f, o.out, &h.src);
          if (auto x = f.get("members"); x.present) {
            o.members = read_name_list(d, x, &h.src, false);
            if (x.is_list() && x.node.size() == 0) d.error(x.pos, "members: is empty");
          } else {
            d.error(f.pos(), "cluster" + (name ? " '" + *name + "'" : std::string()) +
                                 ": has no members (like members: [out1, out2])");
          }
          if (auto x = f.get("balance"); x.present)
            if (auto b = read_enum<Balance>(d, x, {{"round_robin", Balance::RoundRobin},
                                                   {"least_queue", Balance::LeastQueue}}))
              o.balance = *b;
          if (auto x = f.get("health_check"); x.present)
            if (auto t = read_duration(d, x)) o.health_check = *t;
          if (auto x = f.get("relay_for"); x.present)
            o.relay_for = read_name_list(d, x, &h.src, false);
          h.options = o;
          break;
        }
        case Role::Mx: {
          MxOptions o;
          read_server(d, f, o.server);
          read_outbound(*this, f, o.out, &h.src);
          if (auto x = f.get("deliver_to"); x.present)
            if (auto n = read_host_name(d, x)) o.deliver_to = *n;
          if (auto x = f.get("accepts"); x.present) o.accepts = read_name_list(d, x, &h.src, true);
          if (f.has("deliver_to") && f.has("relay_to"))
            d.error(f.key_pos("relay_to"), "mx" + (name ? " '" + *name + "'" : std::string()) +
                                               ": give either deliver_to: (the final MDA) or "
                                               "relay_to: (forward), not both");
          else if (!f.has("deliver_to") && !f.has("relay_to"))
            d.error(f.pos(), "mx" + (name ? " '" + *name + "'" : std::string()) +
                                 ": needs deliver_to: (an mda) or relay_to: (another host)");
          h.options = o;
          break;
        }
        case Role::Mda: {
          MdaOptions o;
          read_server(d, f, o.server);
          if (auto x = f.get("mailboxes"); x.present)
            for (const Val& item : items(d, x, true, &h.src)) {
              auto t = read_text(d, item);
              if (!t) continue;
              Val iv = item;
              if (t->find('@') != std::string::npos) {
                if (auto a = read_address(d, iv)) o.mailboxes.push_back(*a);
              } else if (auto dn = read_domain_name(d, iv)) {
                o.mailboxes.push_back(*dn);
              }
            }
          if (auto x = f.get("quota"); x.present)
            if (auto n = read_size(d, x)) o.quota = *n;
          h.options = o;
          break;
        }
        case Role::Pop3: {
          Pop3Options o;
          if (auto x = f.get("store"); x.present) {
            if (auto n = read_host_name(d, x)) o.store = *n;
          } else {
            d.error(f.pos(), "pop3" + (name ? " '" + *name + "'" : std::string()) +
                                 ": has no store (add store: the mda whose mailboxes it serves)");
          }
          if (auto x = f.get("port"); x.present)
            if (auto p = read_port(d, x)) o.port = *p;
          if (auto x = f.get("tls"); x.present)
            if (auto m = read_enum<TlsMode>(d, x, kTlsModes)) o.tls = *m;
          if (auto x = f.get("apop"); x.present)
            if (auto b = read_bool(d, x)) o.apop = *b;
          h.options = o;
          break;
        }
        case Role::Dns: {
          DnsOptions o;
          if (auto x = f.get("timeout"); x.present)
            if (auto t = read_duration(d, x)) {
              if (*t == 0) d.error(x.pos, "timeout: must be longer than 0");
              o.timeout = *t;
            }
          h.options = o;
          break;
        }
        case Role::Mitm: {
          MitmOptions o;
          if (auto x = f.get("between"); x.present) {
            if (auto p = read_pair(d, x, "host names")) {
              auto a = read_host_name(d, p->first), b = read_host_name(d, p->second);
              if (a) o.a = *a;
              if (b) o.b = *b;
              if (a && b && *a == *b)
                d.error(x.pos, "between: names the same host twice");
            }
          } else {
            d.error(f.pos(), "mitm" + (name ? " '" + *name + "'" : std::string()) +
                                 ": needs between: [a, b] (the link it sits on)");
          }
          if (auto x = f.get("strip_starttls"); x.present)
            if (auto b = read_bool(d, x)) o.strip_starttls = *b;
          if (auto x = f.get("impersonate"); x.present)
            if (auto b = read_bool(d, x)) {
              o.impersonate = *b;
              if (o.impersonate && o.strip_starttls)
                d.error(x.pos, "impersonate: choose strip_starttls (hide TLS) or impersonate (fake it), not both");
            }
          h.options = o;
          break;
        }
        case Role::Router:
          h.options = RouterOptions{};
          break;
      }
    }
    if (!name) continue;
    h.name = *name;
    if (const HostSpec* other = spec.find_host(h.name)) {
      d.error(nv.pos, "host name '" + h.name + "' is used twice (first at line " +
                          std::to_string(other->src.pos.line) + ")");
      continue;  // references resolve to the first one
    }
    if (!role) broken_hosts.insert(h.name);  // other errors leave defaults that checks skip
    spec.hosts.push_back(std::move(h));
  }
}

void Loader::read_links(const Val& v) {
  if (v.is_null() || too_many(d, v, Limits::kLinks, "links")) return;
  if (!v.is_list()) {
    d.error(v.pos, "links: expected a list of links (like - { between: [a, b], latency: 10ms }), "
                   "got " + shown(v.node));
    return;
  }
  for (const YAML::Node& n : v.node) {
    LinkSpec l;
    Fields f(d, val_of(n, "link"), KeyPlace::Link, &l.src);
    if (!f.ok()) continue;
    f.check();
    bool ok = true;
    if (auto b = f.get("between"); b.present) {
      if (auto p = read_pair(d, b, "host names")) {
        auto a = read_host_name(d, p->first), c = read_host_name(d, p->second);
        if (a && c) {
          l.a = *a;
          l.b = *c;
          if (l.a == l.b) {
            d.error(b.pos, "between: a link needs two different hosts, got '" + l.a + "' twice");
            ok = false;
          }
        } else {
          ok = false;
        }
      } else {
        ok = false;
      }
    } else {
      d.error(f.pos(), "link: has no between: (like between: [client-c, msa.a.example])");
      ok = false;
    }
    if (auto x = f.get("latency"); x.present)
      if (auto t = read_duration(d, x)) l.latency = *t;
    if (auto x = f.get("bandwidth"); x.present)
      if (auto bw = read_bandwidth(d, x)) l.bandwidth_bps = *bw;
    if (auto x = f.get("loss"); x.present)
      if (auto p = read_loss(d, x)) l.loss = *p;
    if (auto x = f.get("state"); x.present)
      if (auto s = read_enum<bool>(d, x, {{"up", true}, {"down", false}})) l.up = *s;
    if (!ok) continue;
    for (const LinkSpec& other : spec.links)
      if ((other.a == l.a && other.b == l.b) || (other.a == l.b && other.b == l.a))
        d.error(l.src.at("between"), "a second link between " + l.a + " and " + l.b +
                                         " (the first is at line " +
                                         std::to_string(other.src.pos.line) + ")");
    spec.links.push_back(std::move(l));
  }
}

}  // namespace smtpsim::scenario::detail
