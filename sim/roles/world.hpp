// world.hpp - one simulated mail network: clock, trace, network, DNS, TLS, ledger and the roles
// running on its hosts. The scenario runner builds one from a lesson; tests build them by hand.
// The visualizer and the CLI only read it and ask it to run to a time.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/roles/cluster_balancer.hpp"
#include "sim/roles/mitm_proxy.hpp"
#include "sim/roles/mta_host.hpp"
#include "sim/roles/mua_client.hpp"
#include "sim/roles/pop3_host.hpp"
#include "sim/roles/world_context.hpp"

namespace smtpsim {

class World {
 public:
  explicit World(std::uint64_t seed, NetConfig net = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // add_host - a machine on the network (roles are added to it separately); its A record too.
  HostId add_host(const std::string& name, const std::string& ip);
  // set_dns_host - the host that answers DNS queries (add it first).
  void set_dns_host(HostId h);

  MtaHost& add_mta(HostId h, MtaConfig cfg);
  Mua& add_mua(HostId h, MuaConfig cfg);
  Pop3Host& add_pop3(HostId h, Pop3HostConfig cfg);
  Balancer& add_balancer(HostId h, std::uint16_t port, std::vector<BalancerMember> members, BalanceStrategy s,
                         Duration health_interval);
  // add_mitm - a man in the middle on host h (the host must sit on the path it intercepts).
  MitmProxy& add_mitm(HostId h, MitmConfig cfg);

  // start - start every role (listeners, timers) and hook host crash/restart into them.
  void start();

  MtaHost* mta(const std::string& name);
  Mua* mua(const std::string& name);
  Pop3Host* pop3(const std::string& name);
  Balancer* balancer(const std::string& name);
  MitmProxy* mitm(const std::string& name);
  const std::vector<std::unique_ptr<MtaHost>>& mtas() const { return mtas_; }
  const std::vector<std::unique_ptr<Mua>>& muas() const { return muas_; }

  // busy - mail still moving: queued messages, outbox entries waiting, or client sessions open.
  bool busy() const;

  Scheduler sched;
  Trace trace;
  Network net;
  DnsZones zones;
  MailLedger ledger;
  WorldTls tls;
  WorldContext ctx;

 private:
  std::vector<std::unique_ptr<MtaHost>> mtas_;
  std::vector<std::unique_ptr<Mua>> muas_;
  std::vector<std::unique_ptr<Pop3Host>> pop3s_;
  std::vector<std::unique_ptr<Balancer>> balancers_;
  std::vector<std::unique_ptr<MitmProxy>> mitms_;
  bool started_ = false;
};

}  // namespace smtpsim
