// world.cpp - building and starting a simulated mail network.
#include "sim/roles/world.hpp"

#include <stdexcept>

namespace smtpsim {

World::World(std::uint64_t seed, NetConfig netcfg)
    : net(sched, trace, Rng(seed).derive("net"), netcfg),
      tls(seed),
      ctx{sched, trace, net, zones, ledger, tls, Rng(seed), kNoHost, mail::MailClock()} {}

World::~World() = default;

HostId World::add_host(const std::string& name, const std::string& ip) {
  HostId h = net.add_host(name, ip);
  std::uint32_t addr = 0;
  parse_ipv4(ip, addr);
  zones.add_a(name, addr);
  return h;
}

void World::set_dns_host(HostId h) { ctx.dns_host = h; }

MtaHost& World::add_mta(HostId h, MtaConfig cfg) {
  mtas_.push_back(std::make_unique<MtaHost>(ctx, h, std::move(cfg)));
  return *mtas_.back();
}

Mua& World::add_mua(HostId h, MuaConfig cfg) {
  muas_.push_back(std::make_unique<Mua>(ctx, h, std::move(cfg)));
  return *muas_.back();
}

Pop3Host& World::add_pop3(HostId h, Pop3HostConfig cfg) {
  pop3s_.push_back(std::make_unique<Pop3Host>(ctx, h, std::move(cfg)));
  return *pop3s_.back();
}

Balancer& World::add_balancer(HostId h, std::uint16_t port, std::vector<BalancerMember> members, BalanceStrategy s,
                              Duration health_interval) {
  balancers_.push_back(std::make_unique<Balancer>(net, h, port, std::move(members), s, health_interval));
  return *balancers_.back();
}

MitmProxy& World::add_mitm(HostId h, MitmConfig cfg) {
  mitms_.push_back(std::make_unique<MitmProxy>(ctx, h, std::move(cfg)));
  return *mitms_.back();
}

void World::start() {
  if (started_) throw std::logic_error("World::start called twice");
  started_ = true;
  if (ctx.dns_host == kNoHost) throw std::logic_error("World has no DNS host");
  net.on_host_change([this](HostId h, bool up) {
    for (auto& m : mtas_) if (m->host() == h) m->on_host_change(up);
    for (auto& m : muas_) if (net.find_host(m->name()) == h) m->on_host_change(up);
    for (auto& p : pop3s_) if (net.find_host(p->name()) == h) p->on_host_change(up);
    for (auto& b : balancers_) if (net.find_host(b->name()) == h) b->on_host_change(up);
    for (auto& m : mitms_) if (net.find_host(m->name()) == h) m->on_host_change(up);
  });
  for (auto& m : mtas_) m->start();
  for (auto& p : pop3s_) p->start();
  for (auto& b : balancers_) b->start();
  for (auto& m : mitms_) m->start();
  for (auto& m : muas_) m->start();
}

MtaHost* World::mta(const std::string& name) {
  for (auto& m : mtas_) if (m->name() == name) return m.get();
  return nullptr;
}
Mua* World::mua(const std::string& name) {
  for (auto& m : muas_) if (m->name() == name) return m.get();
  return nullptr;
}
Pop3Host* World::pop3(const std::string& name) {
  for (auto& p : pop3s_) if (p->name() == name) return p.get();
  return nullptr;
}
Balancer* World::balancer(const std::string& name) {
  for (auto& b : balancers_) if (b->name() == name) return b.get();
  return nullptr;
}

MitmProxy* World::mitm(const std::string& name) {
  for (auto& m : mitms_) if (m->name() == name) return m.get();
  return nullptr;
}

bool World::busy() const {
  for (const auto& m : mtas_) if (m->queue_depth() > 0 || m->active_connections() > 0) return true;
  for (const auto& m : muas_)
    for (const auto& o : m->outbox())
      if (o.state == OutboxEntry::State::Waiting || o.state == OutboxEntry::State::Submitting) return true;
  return false;
}

}  // namespace smtpsim
