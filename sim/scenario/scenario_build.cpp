// scenario_build.cpp - from ScenarioSpec to World: one function per part of the file.
#include "sim/scenario/scenario_build.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/roles/mta_server.hpp"

namespace smtpsim::scenario {

namespace {

smtp::TlsMode client_tls(TlsMode m) {
  switch (m) {
    case TlsMode::None: return smtp::TlsMode::None;
    case TlsMode::Opportunistic: return smtp::TlsMode::Opportunistic;
    case TlsMode::Required: return smtp::TlsMode::Required;
  }
  return smtp::TlsMode::Opportunistic;
}

std::uint32_t ip_of(const std::string& text) {
  std::uint32_t ip = 0;
  parse_ipv4(text, ip);
  return ip;
}

// outbound - the sending side of an MTA config from the file's options.
void outbound(MtaConfig& c, const OutboundOptions& o) {
  c.relay_to = o.relay_to;
  c.retry = to_retry_preset(o.retry);
  c.tls_out = client_tls(o.tls_policy);
  c.tls_verify = o.tls_policy == TlsMode::Required ? TlsVerify::Peer : TlsVerify::None;
  c.max_per_destination = std::max(1, o.concurrency);
  c.durable_spool = o.spool == SpoolMode::Durable;
}

// server - the listening side.
void server(MtaConfig& c, const SmtpServerOptions& s) {
  c.ports = {s.port};
  c.offer_starttls = s.tls != TlsMode::None;
  c.require_starttls = s.tls == TlsMode::Required;
  c.greylist = s.greylist.enabled;
  c.greylist_delay = s.greylist.delay;
  c.max_message_size = s.max_size;
}

// add_mta - an MTA role with its server-side switches that live outside MtaConfig.
MtaHost& add_mta(World& w, HostId id, MtaConfig c, const SmtpServerOptions& s) {
  MtaHost& m = w.add_mta(id, std::move(c));
  m.server_side().bare_newline = s.normalize_bare_newline ? smtp::BareNewlineMode::Normalize : smtp::BareNewlineMode::Reject;
  return m;
}

}  // namespace

smtpsim::RetrySchedule to_retry_preset(const RetrySpec& r) {
  smtpsim::RetrySchedule p;
  p.name = to_string(r.preset);
  if (auto builtin = smtpsim::retry_preset(p.name); builtin && r.preset != RetryPreset::Custom) p.description = builtin->description;
  else p.description = "a schedule written in the lesson file";
  for (const RetryStage& s : r.stages) {
    RetryRule rule;
    rule.interval = s.interval;
    rule.factor = s.factor;
    rule.until = s.until == kNever ? r.give_up_after : s.until;
    rule.attempts = s.attempts;
    rule.max_interval = s.max_interval;  // per stage: a cap on one stage is not a cap on the others
    p.rules.push_back(rule);
  }
  p.queue_run = r.queue_run;
  if (r.preset == RetryPreset::Sendmail) p.min_queue_age = minutes(30);
  if (r.warn_after != kNever) p.warn_after = r.warn_after;
  p.give_up_after = r.give_up_after;
  p.from_start = r.preset == RetryPreset::Story;
  return p;
}

std::vector<LinkId> BuiltWorld::links_between(const std::string& a, const std::string& b) const {
  auto it = links.find({a, b});
  return it == links.end() ? std::vector<LinkId>{} : it->second;
}

BuiltWorld build_world(const ScenarioSpec& spec, std::uint64_t seed) {
  BuiltWorld b;
  b.world = std::make_unique<World>(seed);
  World& w = *b.world;
  auto fail = [&](SourcePos pos, const std::string& msg) { throw std::runtime_error(spec.diagnostic(pos, msg).to_string()); };

  // Hosts first (every role needs its HostId), the DNS host before anyone resolves.
  for (const HostSpec& h : spec.hosts) b.hosts[h.name] = w.add_host(h.name, h.ip);
  for (const HostSpec& h : spec.hosts)
    if (h.role == Role::Dns) w.set_dns_host(b.hosts[h.name]);
  if (w.ctx.dns_host == kNoHost) {
    // Lessons may leave DNS out: the simulator then runs one itself on the `internet` router,
    // or on the first host, so lookups still cross the network.
    auto it = b.hosts.find("internet");
    w.set_dns_host(it != b.hosts.end() ? it->second : b.hosts.begin()->second);
  }

  // Links. A mitm is cabled into the link it sits on: a <-> b is built as a <-> mitm <-> b, each
  // half with half the latency (the loss on the first half only), so that every packet between
  // the two sides crosses the mitm's host (mitm_proxy.hpp).
  std::map<std::pair<std::string, std::string>, std::string> mitm_on;
  for (const HostSpec& h : spec.hosts)
    if (const auto* o = h.as<MitmOptions>()) {
      if (mitm_on.count({o->a, o->b})) fail(h.src.pos, "two mitm hosts sit on the link between " + o->a + " and " + o->b);
      mitm_on[{o->a, o->b}] = mitm_on[{o->b, o->a}] = h.name;
    }
  for (const LinkSpec& l : spec.links) {
    LinkParams p;
    p.latency = l.latency;
    p.bandwidth_bps = l.bandwidth_bps;
    p.loss = l.loss;
    std::vector<LinkId> ids;
    if (auto m = mitm_on.find({l.a, l.b}); m != mitm_on.end()) {
      LinkParams first = p, second = p;
      first.latency = p.latency / 2;
      second.latency = p.latency - first.latency;
      second.loss = 0;
      ids.push_back(w.net.add_link(b.hosts.at(l.a), b.hosts.at(m->second), first));
      ids.push_back(w.net.add_link(b.hosts.at(m->second), b.hosts.at(l.b), second));
    } else {
      ids.push_back(w.net.add_link(b.hosts.at(l.a), b.hosts.at(l.b), p));
    }
    if (!l.up)
      for (LinkId id : ids) w.net.set_link_up(id, false);
    b.links[{l.a, l.b}] = b.links[{l.b, l.a}] = ids;
  }

  // DNS zones.
  for (const DomainSpec& d : spec.domains) {
    switch (d.mx_mode) {
      case MxMode::Explicit:
        for (const MxEntry& m : d.mx) w.zones.add_mx(d.name, m.pref, m.host);
        break;
      case MxMode::Null: w.zones.set_null_mx(d.name); break;
      case MxMode::Implicit: break;
    }
    for (const AddressRecord& a : d.a) {
      if (!a.host.empty()) {
        const HostSpec* h = spec.find_host(a.host);
        if (!h) fail(a.pos, "unknown host '" + a.host + "' in an A record");
        w.zones.add_a(d.name, ip_of(h->ip));
      } else {
        w.zones.add_a(d.name, ip_of(a.ip));
      }
    }
  }

  // Mailboxes: one directory and store per MDA, holding the users whose mailbox is there.
  for (const HostSpec& h : spec.hosts) {
    if (h.role != Role::Mda) continue;
    auto dir = std::make_shared<mail::Directory>();
    auto store = std::make_shared<mail::MemoryStore>();
    const auto* o = h.as<MdaOptions>();
    if (o && o->quota) store->set_default_quota({o->quota, 0});
    for (const DomainSpec& d : spec.domains) {
      if (d.local_to == h.name) dir->add_domain(d.name);
      for (const UserSpec& u : d.users) {
        if (u.mailbox_host != h.name) continue;
        dir->add_domain(d.name);
        const mail::User& user = dir->add_user(u.address, u.password);
        if (u.quota) store->set_quota(user.mailbox, {u.quota, 0});
      }
    }
    b.directories[h.name] = dir;
    b.stores[h.name] = store;
  }

  // Every account's password, for the MSAs (submission needs AUTH).
  std::map<std::string, std::string> accounts;
  for (const DomainSpec& d : spec.domains)
    for (const UserSpec& u : d.users) accounts[u.address] = u.password;

  // Roles.
  for (const HostSpec& h : spec.hosts) {
    HostId id = b.hosts.at(h.name);
    if (const auto* o = h.as<MuaOptions>()) {
      MuaConfig c;
      c.name = h.name;
      c.user = o->user;
      c.password = o->password;
      c.submit_host = o->submit.host;
      if (o->submit.port) c.submit_port = o->submit.port;
      c.smtp_tls = client_tls(o->tls);
      c.smtp_verify = o->tls == TlsMode::Required ? TlsVerify::Peer : TlsVerify::None;
      c.smtp_auth = o->auth != AuthMech::None;
      c.smtp_auth_mech = o->auth == AuthMech::Login ? smtp::AuthMech::Login : smtp::AuthMech::Plain;
      c.pipelining = o->pipelining;
      c.blind_pipelining = o->blind_pipelining;
      c.fetch_host = o->fetch.host;
      if (o->fetch.port) c.fetch_port = o->fetch.port;
      c.poll = o->poll;
      c.pop3_tls = o->tls == TlsMode::None ? 0 : o->tls == TlsMode::Required ? 2 : 1;
      c.leave_on_server = o->leave_on_server;
      w.add_mua(id, c);
    } else if (const auto* o = h.as<MsaOptions>()) {
      MtaConfig c;
      c.name = h.name;
      server(c, o->server);
      outbound(c, o->out);
      // required: 530 before AUTH; optional: AUTH offered, mail taken without it too; off: no AUTH.
      c.submission = o->auth == AuthRequirement::Required;
      c.relay_without_auth = o->auth != AuthRequirement::Required;
      if (o->auth != AuthRequirement::Off) c.users = accounts;
      c.auth_plain = std::find(o->auth_mechs.begin(), o->auth_mechs.end(), AuthMech::Plain) != o->auth_mechs.end();
      c.auth_login = std::find(o->auth_mechs.begin(), o->auth_mechs.end(), AuthMech::Login) != o->auth_mechs.end();
      add_mta(w, id, c, o->server);
    } else if (const auto* o = h.as<MtaOptions>()) {
      MtaConfig c;
      c.name = h.name;
      server(c, o->server);
      outbound(c, o->out);
      for (const std::string& d : o->local_domains) {
        const DomainSpec* ds = spec.find_domain(d);
        if (ds && !ds->local_to.empty()) c.transport[d] = ds->local_to;
      }
      c.relay_clients.insert(o->relay_for.begin(), o->relay_for.end());
      // Behind a balancer the member sees the balancer as its client: trust it as the cluster does.
      if (!o->member_of.empty()) {
        c.relay_clients.insert(o->member_of);
        if (const HostSpec* cl = spec.find_host(o->member_of))
          if (const auto* co = cl->as<ClusterOptions>()) c.relay_clients.insert(co->relay_for.begin(), co->relay_for.end());
      }
      add_mta(w, id, c, o->server);
    } else if (const auto* o = h.as<ClusterOptions>()) {
      std::vector<BalancerMember> members;
      for (const std::string& m : o->members) {
        BalancerMember bm;
        bm.name = m;
        bm.host = b.hosts.at(m);
        members.push_back(bm);
      }
      Balancer& bal = w.add_balancer(id, o->server.port, std::move(members),
                                     o->balance == Balance::LeastQueue ? BalanceStrategy::LeastQueue
                                                                       : BalanceStrategy::RoundRobin,
                                     o->health_check);
      (void)bal;
    } else if (const auto* o = h.as<MxOptions>()) {
      MtaConfig c;
      c.name = h.name;
      server(c, o->server);
      outbound(c, o->out);
      for (const std::string& d : o->accepts) {
        c.relay_domains.insert(d);
        if (!o->deliver_to.empty()) c.transport[d] = o->deliver_to;
      }
      add_mta(w, id, c, o->server);
    } else if (const auto* o = h.as<MdaOptions>()) {
      MtaConfig c;
      c.name = h.name;
      server(c, o->server);
      c.directory = b.directories.at(h.name);
      c.store = b.stores.at(h.name);
      add_mta(w, id, c, o->server);
    } else if (const auto* o = h.as<Pop3Options>()) {
      Pop3HostConfig c;
      c.name = h.name;
      c.port = o->port;
      c.offer_stls = o->tls != TlsMode::None;
      c.plaintext_needs_tls = o->tls == TlsMode::Required;
      c.allow_apop = o->apop;
      auto d = b.directories.find(o->store);
      if (d == b.directories.end()) fail(h.src.at("store"), "pop3 host '" + h.name + "' needs `store:` naming an mda host");
      c.directory = d->second;
      c.store = b.stores.at(o->store);
      w.add_pop3(id, c);
    } else if (const auto* o = h.as<MitmOptions>()) {
      MitmConfig c;
      c.name = h.name;
      c.mode = o->impersonate ? MitmMode::Impersonate : o->strip_starttls ? MitmMode::StripStartTls : MitmMode::Relay;
      w.add_mitm(id, c);
    }
  }
  // Cluster members report their queue depth to the balancer (its agent check).
  for (const HostSpec& h : spec.hosts) {
    const auto* o = h.as<ClusterOptions>();
    if (!o) continue;
    Balancer* bal = w.balancer(h.name);
    for (const std::string& m : o->members)
      if (MtaHost* mta = w.mta(m)) bal->set_queue_agent(m, [mta] { return mta->queue_depth(); });
  }
  return b;
}

}  // namespace smtpsim::scenario
