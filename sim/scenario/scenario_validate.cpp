// scenario_validate.cpp - the checks that need the whole file: every name refers to something that
// exists and has the right role; hosts can reach what they talk to; times fit in the run.
#include <algorithm>
#include <cctype>
#include <functional>
#include <numeric>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/core/ascii.hpp"
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario::detail {

namespace {

constexpr std::initializer_list<Role> kMailServers{Role::Mx, Role::Mta, Role::Cluster, Role::Mda};


// domain_of - the part of an address after '@'.
std::string domain_of(const std::string& address) {
  std::size_t at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

// article - "a" or "an" for a role name.
std::string a_role(Role r) {
  std::string n = to_string(r);
  bool vowel = n == "mua" || n == "msa" || n == "mta" || n == "mx" || n == "mda" || n == "mitm";
  // m-words are read "em-": "an mta", "an mx"
  return (vowel ? "an " : "a ") + n;
}

// is_smtp_server - roles that listen for SMTP.
bool is_smtp_server(Role r) {
  return r == Role::Msa || r == Role::Mta || r == Role::Cluster || r == Role::Mx || r == Role::Mda;
}

// smtp_override_problem - why an SMTP server cannot answer `command` (lower case) with a reply of
// this code, or "". A refusal (4xx/5xx) fits every command but QUIT; a positive reply must be one
// the command really succeeds with, since the client reads it as that success.
std::string smtp_override_problem(const std::string& command, int code) {
  static const std::vector<std::pair<std::string, std::vector<int>>> kPositive{
      {"connect", {220}}, {"ehlo", {250}}, {"helo", {250}},      {"mail", {250}},
      {"rcpt", {250, 251}}, {"data", {354}}, {"dot", {250}},     {"rset", {250}},
      {"noop", {250}},    {"quit", {221}}, {"vrfy", {250, 251, 252}}, {"starttls", {220}},
      {"auth", {235}}};
  auto it = std::find_if(kPositive.begin(), kPositive.end(), [&](const auto& p) { return p.first == command; });
  if (it == kPositive.end()) return {};
  const std::vector<int>& ok = it->second;
  if (command == "quit" && code != 221)
    return "QUIT is always answered 221 before the server closes (RFC 5321 4.1.1.10); only its words can change";
  if (code >= 400 || std::find(ok.begin(), ok.end(), code) != ok.end()) return {};
  std::string list;
  for (std::size_t i = 0; i < ok.size(); ++i)
    list += (i ? (i + 1 == ok.size() ? " or " : ", ") : "") + std::to_string(ok[i]);
  std::string verb = command == "connect" ? "the greeting" : command == "dot" ? "the end of the message" : "";
  if (verb.empty()) {
    verb = ascii_upper_copy(command);
  }
  return "a server answers " + verb + " with " + list + " when it goes ahead, or refuses it with 4xx/5xx; " +
         std::to_string(code) + " would leave the client out of step";
}

// pop3_override_problem - why a POP3 server cannot answer `command` with +OK (code 1) or -ERR (2)
// of the lesson's words, or "": STAT's +OK line, and LIST's and UIDL's for one message, are
// numbers the client reads (RFC 1939 5), so only -ERR can be given there.
std::string pop3_override_problem(const std::string& command, int code) {
  if (code != 1 || (command != "stat" && command != "list" && command != "uidl")) return {};
  std::string verb = ascii_upper_copy(command);
  return "the +OK line of " + verb + " carries message numbers and sizes the client reads (RFC 1939 5); " +
         "only a -ERR reply can be given";
}

// UnionFind - connectivity of the link graph.
struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

}  // namespace

std::vector<std::string> Loader::host_names() const {
  std::vector<std::string> out;
  for (const HostSpec& h : spec.hosts) out.push_back(h.name);
  return out;
}

std::vector<std::string> Loader::domain_names() const {
  std::vector<std::string> out;
  for (const DomainSpec& dom : spec.domains) out.push_back(dom.name);
  return out;
}

std::vector<std::string> Loader::user_addresses() const {
  std::vector<std::string> out;
  for (const DomainSpec& dom : spec.domains)
    for (const UserSpec& u : dom.users) out.push_back(u.address);
  return out;
}

bool Loader::check_host(const std::string& name, SourcePos pos, const std::string& key) {
  if (name.empty()) return false;
  if (host(name)) return true;
  d.error(pos, key + ": unknown host '" + name + "'" + did_you_mean(name, host_names()));
  return false;
}

bool Loader::check_role(const std::string& name, SourcePos pos, const std::string& key,
                        std::initializer_list<Role> roles, const std::string& need) {
  if (!check_host(name, pos, key)) return false;
  const HostSpec* h = host(name);
  if (broken_hosts.count(h->name)) return false;
  if (std::find(roles.begin(), roles.end(), h->role) != roles.end()) return true;
  d.error(pos, key + ": '" + name + "' is " + a_role(h->role) + " host; " + key + " needs " + need);
  return false;
}

bool Loader::check_domain(const std::string& name, SourcePos pos, const std::string& key) {
  if (name.empty()) return false;
  if (spec.find_domain(name)) return true;
  d.error(pos, key + ": unknown domain '" + name + "'" + did_you_mean(name, domain_names()));
  return false;
}

bool Loader::check_user(const std::string& address, SourcePos pos, const std::string& key,
                        const std::string& hint) {
  if (address.empty()) return false;
  if (user_index.count(address)) return true;
  if (broken_users.count(address) || broken_domains.count(domain_of(address))) return false;
  std::string dom = domain_of(address);
  if (const DomainSpec* ds = spec.find_domain(dom)) {
    std::vector<std::string> users;
    for (const UserSpec& u : ds->users) users.push_back(u.address);
    std::string s = did_you_mean(address, users);
    d.error(pos, key + ": unknown user '" + address + "' in domain " + dom +
                     (!s.empty() ? s : !hint.empty() ? hint : " (add it to users: of " + dom + ")"));
    return false;
  }
  std::string s = did_you_mean(dom, domain_names());
  d.error(pos, key + ": '" + address + "' is in domain " + dom + ", which is not under domains:" +
                   (!s.empty() ? s : hint));
  return false;
}

// check_message - the names a send entry uses (its users, its mail client).
void Loader::check_message(const MessageSpec& m) {
  const std::string unknown_hint =
      " (add it under domains:, or set unknown_ok: true to send to it on purpose)";
  if (!m.unknown_ok) {
    check_user(m.from, m.src.at("from"), "from", unknown_hint);
    for (const char* key : {"to", "cc", "bcc"}) {
      const auto& list = std::string(key) == "to" ? m.to : std::string(key) == "cc" ? m.cc : m.bcc;
      for (std::size_t i = 0; i < list.size(); ++i)
        check_user(list[i], m.src.at(std::string(key) + "[" + std::to_string(i) + "]"), key,
                   unknown_hint);
    }
  }
  if (!m.via.empty()) check_role(m.via, m.src.at("via"), "via", {Role::Mua}, "a mua");
}

// check_timeline_entry - the names a timeline entry uses, and what its host can do.
void Loader::check_timeline_entry(const TimelineEntry& e) {
  const SourceInfo& s = e.src;
  if (const LinkAction* a = std::get_if<LinkAction>(&e.action)) {
    bool x = check_host(a->a, s.at("link"), "link"), y = check_host(a->b, s.at("link"), "link");
    if (x && y) {
      bool found = false;
      for (const LinkSpec& l : spec.links)
        if ((l.a == a->a && l.b == a->b) || (l.a == a->b && l.b == a->a)) found = true;
      if (!found)
        d.error(s.at("link"), "link: there is no link between " + a->a + " and " + a->b +
                                  " in links:");
    }
  } else if (const HostAction* a = std::get_if<HostAction>(&e.action)) {
    check_host(a->host, s.at(a->op == HostAction::Op::Crash ? "crash" : "restart"),
               a->op == HostAction::Op::Crash ? "crash" : "restart");
  } else if (const BehaviourChange* b = std::get_if<BehaviourChange>(&e.action)) {
    if (!check_host(b->host, s.at("host"), "host")) return;
    const HostSpec* h = host(b->host);
    if (broken_hosts.count(h->name)) return;
    bool pop3 = h->role == Role::Pop3;
    if (!pop3 && !is_smtp_server(h->role)) {
      d.error(s.at("host"), "host: '" + h->name + "' is " + a_role(h->role) +
                                " host; only servers (msa, mta, cluster, mx, mda, pop3) change "
                                "behaviour");
      return;
    }
    const auto& cmds = pop3 ? pop3_override_commands() : smtp_override_commands();
    for (const ReplyOverride& o : b->replies) {
      std::string key = to_lower(o.command);
      if (std::find(cmds.begin(), cmds.end(), key) == cmds.end()) {
        d.error(o.pos, key + ": is not " + (pop3 ? "a POP3" : "an SMTP") + " command (" + h->name +
                           " is " + a_role(h->role) + " host)");
        continue;
      }
      if (o.clear) continue;
      bool pop3_line = o.line.rfind("+OK", 0) == 0 || o.line.rfind("-ERR", 0) == 0;
      if (pop3 != pop3_line)
        d.error(o.pos, key + ": " + h->name + " is " + a_role(h->role) + " host, so its replies " +
                           (pop3 ? "start with +OK or -ERR" : "start with a three-digit code"));
      else if (std::string why = pop3 ? pop3_override_problem(key, o.code) : smtp_override_problem(key, o.code);
               !why.empty())
        d.error(o.pos, key + ": \"" + o.line + "\": " + why);
    }
    auto smtp_only = [&](const std::optional<bool>& flag, const char* key) {
      if (flag && pop3)
        d.error(s.at("behaviour"), std::string(key) + ": applies to SMTP servers, not to " +
                                       a_role(h->role) + " host");
    };
    smtp_only(b->greylisting, "greylisting");
    smtp_only(b->drop_mid_data, "drop_mid_data");
    smtp_only(b->drop_after_data, "drop_after_data");
    smtp_only(b->storage_full, "storage_full");
    smtp_only(b->close_with_421, "close_with_421");
    if (b->auth_reject && h->role != Role::Msa && h->role != Role::Pop3)
      d.error(s.at("behaviour"), "auth_reject: applies to hosts that take AUTH (msa, pop3), not "
                                 "to " + a_role(h->role) + " host");
  } else if (const DnsFaultAction* a = std::get_if<DnsFaultAction>(&e.action)) {
    if (!a->name.empty() && !spec.find_domain(a->name) && !host(a->name)) {
      std::vector<std::string> names = domain_names();
      for (const std::string& n : host_names()) names.push_back(n);
      d.error(s.at("dns.name"), "dns: '" + a->name + "' is neither a domain nor a host" +
                                    did_you_mean(a->name, names));
    }
  } else if (const RetryAction* a = std::get_if<RetryAction>(&e.action)) {
    if (!check_host(a->host, s.at("host"), "host")) return;
    const HostSpec* h = host(a->host);
    if (!broken_hosts.count(h->name) && !h->outbound())
      d.error(s.at("host"), "host: '" + h->name + "' is " + a_role(h->role) +
                                " host; only hosts that send mail on (msa, mta, cluster, mx) have a retry schedule");
  } else if (const DnsChangeAction* a = std::get_if<DnsChangeAction>(&e.action)) {
    if (a->mx)
      for (const MxEntry& mx : *a->mx)
        check_role(mx.host, mx.pos, "mx", kMailServers, "a mail server (mx, mta, cluster or mda)");
    if (a->a)
      for (const AddressRecord& r : *a->a)
        if (!r.host.empty()) check_host(r.host, r.pos, "a");
  }
}

void Loader::validate_references() {
  for (const DomainSpec& dom : spec.domains)
    for (const UserSpec& u : dom.users) user_index.emplace(u.address, &u);
  // --- domains ---
  for (const DomainSpec& dom : spec.domains) {
    for (std::size_t i = 0; i < dom.mx.size(); ++i) {
      const MxEntry& mx = dom.mx[i];
      check_role(mx.host, mx.pos, "mx", kMailServers, "a mail server (mx, mta, cluster or mda)");
      for (std::size_t j = 0; j < i; ++j)
        if (dom.mx[j].host == mx.host)
          d.error(mx.pos, "mx: " + mx.host + " is listed twice for " + dom.name);
    }
    for (const AddressRecord& a : dom.a)
      if (!a.host.empty()) check_host(a.host, a.pos, "a");
    if (!dom.local_to.empty())
      check_role(dom.local_to, dom.src.at("local_to"), "local_to", {Role::Mda}, "an mda");
    if (dom.mx_mode == MxMode::Implicit && dom.a.empty() && !host(dom.name) &&
        !broken_domains.count(dom.name))
      d.error(dom.src.pos, "domain " + dom.name + " has no mx and no a records, so mail to it "
                           "cannot be routed (add mx:, a:, or null_mx: true)");
  }

  // --- hosts ---
  std::map<std::string, std::string> member_of;  // member -> cluster
  const HostSpec* dns_host = nullptr;
  for (const HostSpec& h : spec.hosts) {
    if (broken_hosts.count(h.name) || h.auto_created) continue;
    const SourceInfo& s = h.src;
    if (const OutboundOptions* o = h.outbound(); o && !o->relay_to.empty()) {
      if (o->relay_to == h.name)
        d.error(s.at("relay_to"), "relay_to: " + h.name + " cannot relay to itself");
      else
        check_role(o->relay_to, s.at("relay_to"), "relay_to",
                   {Role::Msa, Role::Mta, Role::Cluster, Role::Mx, Role::Mda},
                   "an SMTP server (msa, mta, cluster, mx or mda)");
    }
    if (const MuaOptions* o = h.as<MuaOptions>()) {
      check_user(o->user, s.at("user"), "user");
      if (o->submit.set())
        check_role(o->submit.host, o->submit.pos, "submit",
                   {Role::Msa, Role::Mta, Role::Cluster, Role::Mx}, "an msa (or an mta)");
      if (o->fetch.set()) check_role(o->fetch.host, o->fetch.pos, "fetch", {Role::Pop3}, "a pop3 host");
    } else if (const MtaOptions* o = h.as<MtaOptions>()) {
      for (std::size_t i = 0; i < o->local_domains.size(); ++i)
        check_domain(o->local_domains[i], s.at("local_domains[" + std::to_string(i) + "]"),
                     "local_domains");
      for (std::size_t i = 0; i < o->relay_for.size(); ++i)
        check_host(o->relay_for[i], s.at("relay_for[" + std::to_string(i) + "]"), "relay_for");
    } else if (const ClusterOptions* o = h.as<ClusterOptions>()) {
      for (std::size_t i = 0; i < o->members.size(); ++i) {
        const std::string& m = o->members[i];
        SourcePos pos = s.at("members[" + std::to_string(i) + "]");
        if (m == h.name) {
          d.error(pos, "members: a cluster cannot be its own member");
          continue;
        }
        auto [it, fresh] = member_of.emplace(m, h.name);
        if (!fresh) {
          d.error(pos, "members: " + m + (it->second == h.name
                                              ? " is listed twice"
                                              : " is already a member of cluster " + it->second));
          continue;
        }
        check_role(m, pos, "members", {Role::Mta}, "mta hosts (or names of new ones)");
      }
      for (std::size_t i = 0; i < o->relay_for.size(); ++i)
        check_host(o->relay_for[i], s.at("relay_for[" + std::to_string(i) + "]"), "relay_for");
    } else if (const MxOptions* o = h.as<MxOptions>()) {
      if (!o->deliver_to.empty())
        check_role(o->deliver_to, s.at("deliver_to"), "deliver_to", {Role::Mda}, "an mda");
      for (std::size_t i = 0; i < o->accepts.size(); ++i)
        check_domain(o->accepts[i], s.at("accepts[" + std::to_string(i) + "]"), "accepts");
    } else if (const MdaOptions* o = h.as<MdaOptions>()) {
      for (std::size_t i = 0; i < o->mailboxes.size(); ++i) {
        const std::string& e = o->mailboxes[i];
        SourcePos pos = s.at("mailboxes[" + std::to_string(i) + "]");
        if (e.find('@') != std::string::npos) check_user(e, pos, "mailboxes");
        else check_domain(e, pos, "mailboxes");
      }
    } else if (const Pop3Options* o = h.as<Pop3Options>()) {
      check_role(o->store, s.at("store"), "store", {Role::Mda}, "an mda");
    } else if (const MitmOptions* o = h.as<MitmOptions>()) {
      bool a = check_host(o->a, s.at("between"), "between");
      bool b = check_host(o->b, s.at("between"), "between");
      if (a && b) {
        bool linked = false;
        for (const LinkSpec& l : spec.links)
          if ((l.a == o->a && l.b == o->b) || (l.a == o->b && l.b == o->a)) linked = true;
        if (!linked)
          d.error(s.at("between"), "between: there is no link between " + o->a + " and " + o->b +
                                       " for " + h.name + " to sit on (add it to links:)");
        if (o->a == h.name || o->b == h.name)
          d.error(s.at("between"), "between: a mitm sits between two other hosts");
      }
    } else if (h.role == Role::Dns) {
      if (dns_host)
        d.error(s.pos, "host " + h.name + ": only one dns host is supported (" + dns_host->name +
                           " at line " + std::to_string(dns_host->src.pos.line) + " is the first)");
      else
        dns_host = &h;
    }
  }

  // --- links ---
  for (const LinkSpec& l : spec.links) {
    check_host(l.a, l.src.at("between"), "between");
    check_host(l.b, l.src.at("between"), "between");
  }

  // --- mail to send ---
  for (const MessageSpec& m : spec.messages) check_message(m);

  // --- timeline ---
  for (const TimelineEntry& e : spec.timeline) check_timeline_entry(e);

  // --- narration ---
  for (const NarrationStep& st : spec.narration)
    for (const std::optional<EventMatcher>* m : {&st.start_on, &st.pause_on}) {
      if (!*m) continue;
      const EventMatcher& em = **m;
      if (!em.host.empty()) check_host(em.host, em.src.at("host"), "host");
      if (!em.peer.empty()) check_host(em.peer, em.src.at("peer"), "peer");
      if (!em.rcpt.empty())
        check_user(em.rcpt, em.src.at(em.src.has("rcpt") ? "rcpt"
                                      : em.kind == EventMatcher::Kind::Delivery ? "delivered"
                                                                                : "bounced"),
                   em.src.has("rcpt") ? "rcpt"
                   : em.kind == EventMatcher::Kind::Delivery ? "delivered"
                                                             : "bounced");
    }

  // --- expectations ---
  using K = Expectation::Kind;
  // the recipients of each message (index 0: of any message), in first-seen order
  std::map<int, std::vector<std::string>> recipients;
  std::map<int, std::set<std::string>> recipient_set;
  for (const MessageSpec& m : spec.messages)
    for (const std::string& r : m.recipients())
      for (int key : {0, m.index})
        if (recipient_set[key].insert(r).second) recipients[key].push_back(r);
  for (const Expectation& e : spec.expectations) {
    const SourceInfo& s = e.src;
    auto recipient_check = [&](const std::string& rcpt, SourcePos pos, const std::string& key) {
      if (rcpt.empty()) return;
      if (recipient_set[e.message].count(rcpt)) return;
      const std::vector<std::string>& all = recipients[e.message];
      if (broken_users.count(rcpt)) return;
      std::string which = e.message ? "message " + std::to_string(e.message) : "any message";
      std::string hint = did_you_mean(rcpt, all);
      d.error(pos, key + ": " + rcpt + " is not a recipient of " + which +
                       (hint.empty() ? std::string(" (recipients: ") + join_list(all) + ")" : hint));
    };
    switch (e.kind) {
      case K::Delivered:
      case K::NotDelivered:
      case K::Bounced:
      case K::Warned: {
        static const char* keys[] = {"delivered", "not_delivered", "bounced", "warned"};
        const char* key = keys[int(e.kind)];
        recipient_check(e.rcpt, s.at(key), key);
        if (!e.dsn_to.empty()) check_user(e.dsn_to, s.at("to"), "to");
        if (!e.host.empty()) check_role(e.host, s.at("host"), "host", {Role::Mda}, "an mda");
        break;
      }
      case K::Reply:
      case K::NoReply:
        if (!e.host.empty()) check_host(e.host, s.at("host"), "host");
        if (!e.peer.empty()) check_host(e.peer, s.at("peer"), "peer");
        break;
      case K::Attempts:
        recipient_check(e.rcpt, s.at("rcpt"), "rcpt");
        if (!e.host.empty())
          check_role(e.host, s.at("host"), "host", {Role::Msa, Role::Mta, Role::Cluster, Role::Mx},
                     "a host that sends mail on (msa, mta, cluster or mx)");
        break;
      case K::FetchedBy:
        if (check_role(e.mua, s.at("fetched_by"), "fetched_by", {Role::Mua}, "a mua"))
          if (const MuaOptions* o = host(e.mua)->as<MuaOptions>(); o && !o->fetch.set())
            d.error(s.at("fetched_by"), "fetched_by: " + e.mua + " has no fetch: target, so it "
                                        "never fetches mail");
        recipient_check(e.rcpt, s.at("rcpt"), "rcpt");
        break;
      case K::Queued:
        if (!e.host.empty()) check_host(e.host, s.at("host"), "host");
        break;
      case K::Tls:
        check_host(e.host, s.at("tls"), "tls");
        check_host(e.peer, s.at("tls"), "tls");
        break;
      case K::Lost:
      case K::Duplicates:
        break;
    }
  }
}

void Loader::validate_semantics() {
  // --- connectivity: hosts must be linked, and reach what they talk to ---
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < spec.hosts.size(); ++i) index.emplace(spec.hosts[i].name, i);
  UnionFind uf(spec.hosts.size());
  std::vector<bool> linked(spec.hosts.size(), false);
  for (const LinkSpec& l : spec.links) {
    auto a = index.find(l.a), b = index.find(l.b);
    if (a == index.end() || b == index.end()) continue;
    uf.join(a->second, b->second);
    linked[a->second] = linked[b->second] = true;
  }
  for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
    const HostSpec& h = spec.hosts[i];
    if (const MtaOptions* o = h.as<MtaOptions>(); o && h.auto_created)
      if (auto c = index.find(o->member_of); c != index.end()) {
        uf.join(i, c->second);  // created members sit behind their cluster
        linked[i] = true;
      }
    if (const MitmOptions* o = h.as<MitmOptions>())
      if (auto a = index.find(o->a); a != index.end()) {
        uf.join(i, a->second);
        linked[i] = true;
      }
  }
  std::size_t written_hosts = 0;
  for (const HostSpec& h : spec.hosts)
    if (!h.auto_created) ++written_hosts;
  if (written_hosts >= 2)
    for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
      const HostSpec& h = spec.hosts[i];
      if (linked[i] || broken_hosts.count(h.name)) continue;
      d.derived(h.src.pos, "host " + h.name + " has no links (add one, like { between: [" + h.name +
                             ", internet], latency: 10ms })");
      linked[i] = true;  // one message per host
    }
  auto reach = [&](const HostSpec& from, const std::string& to, SourcePos pos, const char* why) {
    auto a = index.find(from.name), b = index.find(to);
    if (a == index.end() || b == index.end()) return;
    if (!linked[a->second]) return;  // already reported
    if (uf.find(a->second) != uf.find(b->second))
      d.derived(pos, std::string(why) + ": " + from.name + " cannot reach " + to +
                       ": no chain of links connects them");
  };
  const HostSpec* dns = nullptr;
  for (const HostSpec& h : spec.hosts)
    if (h.role == Role::Dns) {
      dns = &h;
      break;
    }
  bool warned_dns = false;
  for (const HostSpec& h : spec.hosts) {
    if (broken_hosts.count(h.name)) continue;
    if (const MuaOptions* o = h.as<MuaOptions>()) {
      if (o->submit.set() && host(o->submit.host)) reach(h, o->submit.host, o->submit.pos, "submit");
      if (o->fetch.set() && host(o->fetch.host)) reach(h, o->fetch.host, o->fetch.pos, "fetch");
    }
    if (const MxOptions* o = h.as<MxOptions>(); o && host(o->deliver_to))
      reach(h, o->deliver_to, h.src.at("deliver_to"), "deliver_to");
    if (const OutboundOptions* o = h.outbound()) {
      if (!o->relay_to.empty()) {
        if (host(o->relay_to)) reach(h, o->relay_to, h.src.at("relay_to"), "relay_to");
      } else if (h.role != Role::Mx && h.role != Role::Cluster) {
        // routes by MX lookups: needs the DNS host
        if (!dns && !warned_dns) {
          warned_dns = true;
          d.warning(h.src.pos, h.name + " looks up MX records (it has no relay_to:), but there is "
                                        "no dns host: the simulator answers DNS itself (add { name: "
                                        "dns, role: dns } and link it to see the lookups)");
        } else if (dns) {
          reach(h, dns->name, h.src.pos, "dns");
        }
      }
    }
  }

  // --- clients, mailboxes and messages ---
  for (const HostSpec& h : spec.hosts) {
    const MuaOptions* o = h.as<MuaOptions>();
    if (!o || broken_hosts.count(h.name)) continue;
    const UserSpec* u = spec.find_user(o->user);
    if (o->fetch.set() && u)
      if (const HostSpec* p = host(o->fetch.host))
        if (const Pop3Options* po = p->as<Pop3Options>(); po && !po->store.empty()) {
          if (u->mailbox_host.empty())
            d.error(o->fetch.pos, "fetch: " + o->user + " has no mailbox on any mda (list it in "
                                  "mailboxes: of " + po->store + ")");
          else if (u->mailbox_host != po->store)
            d.error(o->fetch.pos, "fetch: " + p->name + " serves the mailboxes of " + po->store +
                                      ", but " + o->user + "'s mailbox is on " + u->mailbox_host);
        }
    if (o->submit.set() && o->auth != AuthMech::None)
      if (const HostSpec* t = host(o->submit.host))
        if (const MsaOptions* mo = t->as<MsaOptions>()) {
          // A client set up to log in gives up when the server offers no mechanism it can use.
          const char* mech = o->auth == AuthMech::Login ? "login" : "plain";
          if (mo->auth == AuthRequirement::Off)
            d.warning(h.src.has("auth") ? h.src.at("auth") : h.src.pos,
                      h.name + " logs in (auth: " + mech + ") but " + t->name + " has auth: off and offers no "
                      "AUTH: the client will give up with \"no usable AUTH mechanism\" (write auth: none on " +
                      h.name + ", or turn AUTH on at " + t->name + ")");
          else if (std::find(mo->auth_mechs.begin(), mo->auth_mechs.end(), o->auth) == mo->auth_mechs.end())
            d.warning(h.src.has("auth") ? h.src.at("auth") : h.src.pos,
                      h.name + " logs in with auth: " + mech + ", which " + t->name + " does not offer (its "
                      "auth_mechs): the client will give up with \"no usable AUTH mechanism\"");
        }
    if (o->submit.set() && o->auth != AuthMech::None && o->password.empty())
      if (const HostSpec* t = host(o->submit.host))
        if (const MsaOptions* mo = t->as<MsaOptions>(); mo && mo->auth != AuthRequirement::Off)
          d.error(h.src.at("user"), h.name + " authenticates to " + t->name + " but has no password "
                                    "for " + o->user + " (give the user a password in domains:, "
                                    "or write auth: none on the mua)");
  }
  for (const MessageSpec& m : spec.messages) {
    if (const HostSpec* v = host(m.via))
      if (const MuaOptions* o = v->as<MuaOptions>(); o && !o->submit.set())
        d.error(m.src.has("via") ? m.src.at("via") : m.src.pos,
                "message " + m.id + " is sent via " + v->name +
                    (m.src.has("via") ? "" : " (the mua with user: " + m.from + ")") +
                    ", which has no submit: target (add submit: host:port to " + v->name + ")");
    if (m.unknown_ok) continue;
    for (const std::string& r : m.recipients()) {
      const UserSpec* u = spec.find_user(r);
      const DomainSpec* dom = spec.find_domain(domain_of(r));
      if (!u || !dom || dom->mx_mode == MxMode::Null || !u->mailbox_host.empty()) continue;
      d.error(u->src.pos, "user " + r + " receives mail but has no mailbox: no mda holds it (list "
                          "it in an mda's mailboxes:, or set local_to: on " + dom->name + ")");
    }
  }

  // --- times must fit in the run ---
  const RunLength& run = spec.run;
  if (run.until != kNever && run.src.has("until") && run.until > run.max && run.src.has("max"))
    d.error(run.src.at("max"), "max: is earlier than until:");
  SimTime end = run.until != kNever ? run.until : kNever;
  if (end != kNever) {
    SimTime latest = -1;
    SourcePos where;
    std::string what;
    auto consider = [&](SimTime t, SourcePos pos, const std::string& w) {
      if (t != kNever && t > latest) {
        latest = t;
        where = pos;
        what = w;
      }
    };
    for (const TimelineEntry& e : spec.timeline) consider(e.at, e.src.pos, "the timeline entry");
    for (const MessageSpec& m : spec.messages)
      consider(m.at + Duration(m.repeat - 1) * m.every, m.src.pos, "message " + m.id);
    for (const Expectation& e : spec.expectations) {
      consider(e.window.from, e.src.pos, "the expectation");
      if (e.window.to != kNever) consider(e.window.to, e.src.pos, "the expectation");
    }
    for (const NarrationStep& st : spec.narration)
      for (const auto* m : {&st.start_on, &st.pause_on})
        if (*m && (*m)->kind == EventMatcher::Kind::Time)
          consider((*m)->at, (*m)->src.pos, "the narration step");
    if (latest > end)
      d.error(run.src.at("until"), "until: " + format_duration(end) + " ends the run before " + what +
                                       " at line " + std::to_string(where.line) + " (" +
                                       format_duration(latest) + ")");
  }

  // --- soft checks (warnings) ---
  for (const HostSpec& h : spec.hosts)
    if (const MxOptions* o = h.as<MxOptions>(); o && o->accepts.empty() && !broken_hosts.count(h.name))
      d.warning(h.src.pos, "mx " + h.name + " accepts no domain (no domain's mx: names it, and it "
                                            "has no accepts:)");
}

}  // namespace smtpsim::scenario::detail
