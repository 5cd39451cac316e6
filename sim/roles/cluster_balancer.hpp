// cluster_balancer.hpp - the outbound cluster's front: a TCP (layer 4) balancer in front of N MTAs.
//
// Clients connect to the balancer's address; it picks a healthy member (round robin, or the one
// with the shortest queue as reported by the members' agents) and splices the two connections,
// like HAProxy in TCP mode. A member that refuses or times out a hand-off is taken out of rotation
// (passive check) and the client is handed to the next one; members out of rotation are probed
// on an interval (active check) and return once a probe connects.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/net/network.hpp"

namespace smtpsim {

enum class BalanceStrategy : unsigned char { RoundRobin, LeastQueue };

struct BalancerMember {
  std::string name;
  HostId host = kNoHost;
  std::function<std::size_t()> queue_depth;  // the member's agent: messages in its queue
  bool healthy = true;
  std::uint64_t connections = 0;             // connections handed to it so far
  std::uint64_t health_epoch = 0;            // bumps at every up/down change: a check that began
                                             // before the last change has nothing to say any more
  bool probing = false;                      // an active check of it is in flight
  std::uint64_t probe_id = 0;                // names the check in flight (a late answer is dropped)
};

class Balancer {
 public:
  Balancer(Network& net, HostId self, std::uint16_t port, std::vector<BalancerMember> members,
           BalanceStrategy strategy, Duration health_interval);
  ~Balancer();
  // start - listen and begin health checks (again after a restart).
  void start();
  // on_host_change - the balancer's own host went down or came up.
  void on_host_change(bool up);

  const std::vector<BalancerMember>& members() const { return members_; }
  // set_queue_agent - how the balancer learns a member's queue depth (for least-queue).
  void set_queue_agent(const std::string& member, std::function<std::size_t()> fn);
  std::string name() const;

 private:
  struct Splice;
  void accept(StreamPtr client);
  void try_member(std::shared_ptr<Splice> sp, int tries_left);
  int pick();
  void health_check();
  void set_health(std::size_t i, bool healthy, const std::string& why);

  Network& net_;
  HostId self_;
  std::uint16_t port_;
  std::vector<BalancerMember> members_;
  BalanceStrategy strategy_;
  Duration health_interval_;
  std::size_t rr_next_ = 0;
  EventId health_timer_;
  std::uint64_t generation_ = 0;  // bumps on restart so stale callbacks do nothing
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace smtpsim
