// scenario_resolve.cpp - filling in what the file leaves implicit: the `internet` router, cluster
// members, IP addresses, which MDA holds each mailbox, what each MX accepts, who may relay, ports,
// passwords and the client that sends each message. Conflicts found on the way are reported.
#include <algorithm>

#include "sim/core/trace.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_suggest.hpp"

namespace smtpsim::scenario::detail {

namespace {

// contains - whether v holds x.
template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

void Loader::add_implicit_hosts() {
  // the `internet` router, when links (or a mitm, or the timeline) name it without declaring it
  if (!host("internet")) {
    SourcePos first;
    for (const LinkSpec& l : spec.links)
      if (l.a == "internet" || l.b == "internet") {
        first = l.src.at("between");
        break;
      }
    if (first.known()) {
      HostSpec h;
      h.name = "internet";
      h.role = Role::Router;
      h.auto_created = true;
      h.src.pos = first;
      spec.hosts.push_back(h);
    }
  }
  // cluster members that are not written as hosts of their own
  std::vector<HostSpec> created;
  for (const HostSpec& h : spec.hosts) {
    const ClusterOptions* c = h.as<ClusterOptions>();
    if (!c) continue;
    for (std::size_t i = 0; i < c->members.size(); ++i) {
      const std::string& m = c->members[i];
      if (host(m)) continue;
      bool dup = false;
      for (const HostSpec& x : created)
        if (x.name == m) dup = true;
      if (dup) continue;  // reported by validate_references (member of two clusters / twice)
      HostSpec member;
      member.name = m;
      member.role = Role::Mta;
      member.auto_created = true;
      member.src.pos = h.src.at("members[" + std::to_string(i) + "]");
      MtaOptions o;
      o.server = c->server;
      o.out = c->out;
      o.member_of = h.name;
      o.relay_for = c->relay_for;
      member.options = o;
      created.push_back(member);
    }
  }
  for (HostSpec& h : created) spec.hosts.push_back(std::move(h));
  // written members learn their cluster
  for (HostSpec& h : spec.hosts) {
    const ClusterOptions* c = h.as<ClusterOptions>();
    if (!c) continue;
    for (const std::string& m : c->members)
      for (HostSpec& x : spec.hosts)
        if (x.name == m)
          if (MtaOptions* o = x.as<MtaOptions>(); o && o->member_of.empty()) o->member_of = h.name;
  }
}

void Loader::resolve() {
  // --- IP addresses: written ones must be unique; the rest are 10.0.0.1, 10.0.0.2, ... ---
  std::map<std::uint32_t, const HostSpec*> used;
  for (const HostSpec& h : spec.hosts) {
    if (h.ip.empty()) continue;
    std::uint32_t ip = 0;
    parse_ipv4(h.ip, ip);
    auto [it, fresh] = used.emplace(ip, &h);
    if (!fresh)
      d.error(h.src.at("ip"), "ip: " + h.ip + " is already the address of " + it->second->name +
                                  " (line " + std::to_string(it->second->src.pos.line) + ")");
  }
  std::uint32_t next = (10u << 24) + 1;
  for (HostSpec& h : spec.hosts) {
    if (!h.ip.empty()) continue;
    while (used.count(next) || (next & 0xff) == 0 || (next & 0xff) == 255) ++next;
    h.ip = ipv4_to_string(next);
    h.ip_auto = true;
    used.emplace(next, &h);
    ++next;
  }

  // --- mailboxes: which MDA holds each user ---
  std::map<std::string, std::pair<std::string, SourcePos>> explicit_box;  // address -> (mda, pos)
  std::map<std::string, std::pair<std::string, SourcePos>> domain_box;    // domain -> (mda, pos)
  for (const HostSpec& h : spec.hosts) {
    const MdaOptions* o = h.as<MdaOptions>();
    if (!o) continue;
    for (std::size_t i = 0; i < o->mailboxes.size(); ++i) {
      const std::string& entry = o->mailboxes[i];
      SourcePos pos = h.src.at("mailboxes[" + std::to_string(i) + "]");
      auto& table = entry.find('@') != std::string::npos ? explicit_box : domain_box;
      auto [it, fresh] = table.emplace(entry, std::make_pair(h.name, pos));
      if (!fresh && it->second.first != h.name)
        d.error(pos, "mailboxes: " + entry + " is already held by " + it->second.first + " (line " +
                         std::to_string(it->second.second.line) + ")");
    }
  }
  for (DomainSpec& dom : spec.domains) {
    // the MDA the domain's MX hosts deliver to, when they agree on one
    std::string via_mx;
    bool agree = true;
    for (const MxEntry& mx : dom.mx)
      if (const HostSpec* h = host(mx.host))
        if (const MxOptions* o = h->as<MxOptions>(); o && !o->deliver_to.empty()) {
          if (via_mx.empty()) via_mx = o->deliver_to;
          else if (via_mx != o->deliver_to) agree = false;
        }
    if (!agree) via_mx.clear();
    for (UserSpec& u : dom.users) {
      if (auto it = explicit_box.find(u.address); it != explicit_box.end())
        u.mailbox_host = it->second.first;
      else if (auto dt = domain_box.find(dom.name); dt != domain_box.end())
        u.mailbox_host = dt->second.first;
      else if (!dom.local_to.empty())
        u.mailbox_host = dom.local_to;
      else
        u.mailbox_host = via_mx;
      if (const HostSpec* h = host(u.mailbox_host); !h || h->role != Role::Mda)
        u.mailbox_host.clear();
    }
    if (dom.local_to.empty() && !dom.users.empty()) {
      std::string all = dom.users.front().mailbox_host;
      for (const UserSpec& u : dom.users)
        if (u.mailbox_host != all) all.clear();
      dom.local_to = all;
    } else if (dom.local_to.empty()) {
      if (auto dt = domain_box.find(dom.name); dt != domain_box.end()) dom.local_to = dt->second.first;
      else dom.local_to = via_mx;
    }
  }
  for (HostSpec& h : spec.hosts) {
    MdaOptions* o = h.as<MdaOptions>();
    if (!o) continue;
    std::vector<std::string> boxes;
    for (const DomainSpec& dom : spec.domains)
      for (const UserSpec& u : dom.users)
        if (u.mailbox_host == h.name) boxes.push_back(u.address);
    o->mailboxes = boxes;
  }

  // --- what each MX accepts; who may relay through MTAs and clusters ---
  for (HostSpec& h : spec.hosts) {
    if (MxOptions* o = h.as<MxOptions>(); o && o->accepts.empty())
      for (const DomainSpec& dom : spec.domains)
        for (const MxEntry& mx : dom.mx)
          if (mx.host == h.name && !contains(o->accepts, dom.name)) o->accepts.push_back(dom.name);
  }
  auto relaying_to = [&](const std::string& target) {
    std::vector<std::string> out;
    for (const HostSpec& x : spec.hosts)
      if (const OutboundOptions* out_opts = x.outbound(); out_opts && out_opts->relay_to == target)
        out.push_back(x.name);
    return out;
  };
  for (HostSpec& h : spec.hosts) {
    if (ClusterOptions* o = h.as<ClusterOptions>(); o && o->relay_for.empty())
      o->relay_for = relaying_to(h.name);
  }
  for (HostSpec& h : spec.hosts) {
    MtaOptions* o = h.as<MtaOptions>();
    if (!o || !o->relay_for.empty()) continue;
    o->relay_for = relaying_to(h.name);
    if (const HostSpec* c = host(o->member_of))
      if (const ClusterOptions* co = c->as<ClusterOptions>())
        for (const std::string& r : co->relay_for)
          if (!contains(o->relay_for, r)) o->relay_for.push_back(r);
  }

  // --- clients: passwords and ports from the targets ---
  for (HostSpec& h : spec.hosts) {
    MuaOptions* o = h.as<MuaOptions>();
    if (!o) continue;
    if (!h.src.has("password"))
      if (const UserSpec* u = spec.find_user(o->user)) o->password = u->password;
    auto fill = [&](Endpoint& e, const char* key) {
      if (!e.set()) return;
      const HostSpec* t = host(e.host);
      if (!t) return;
      std::uint16_t port = 0;
      if (const SmtpServerOptions* s = t->server()) port = s->port;
      else if (const Pop3Options* p = t->as<Pop3Options>()) port = p->port;
      if (!port) return;
      if (e.port == 0) e.port = port;
      else if (e.port != port)
        d.error(e.pos, std::string(key) + ": " + t->name + " listens on port " +
                           std::to_string(port) + ", not " + std::to_string(e.port));
    };
    fill(o->submit, "submit");
    fill(o->fetch, "fetch");
  }

  // --- the client that submits each message ---
  for (MessageSpec& m : spec.messages) resolve_via(m);
}

// resolve_via - the mail client that sends a message without via: the mua whose user is its from.
void Loader::resolve_via(MessageSpec& m) {
  if (!m.via.empty()) return;  // checked in validate_semantics
  if (m.from.empty()) return;
  for (const HostSpec& h : spec.hosts)
    if (const MuaOptions* o = h.as<MuaOptions>(); o && o->user == m.from) {
      m.via = h.name;
      break;
    }
  if (m.via.empty())
    d.error(m.src.at("from"), "from: no mua sends as " + m.from + " (add via: <a mua>, or a mua "
                                                                  "with user: " + m.from + ")");
}

}  // namespace smtpsim::scenario::detail
