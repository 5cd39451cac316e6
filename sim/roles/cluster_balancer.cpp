// cluster_balancer.cpp - member choice, connection splicing and health checks of the cluster front.
#include "sim/roles/cluster_balancer.hpp"

namespace smtpsim {

struct Balancer::Splice {
  StreamPtr client;
  StreamPtr member;
  std::string pending;     // client bytes that arrived before the member connection was up
  bool client_eof = false;
};

Balancer::Balancer(Network& net, HostId self, std::uint16_t port, std::vector<BalancerMember> members,
                   BalanceStrategy strategy, Duration health_interval)
    : net_(net), self_(self), port_(port), members_(std::move(members)), strategy_(strategy),
      health_interval_(health_interval) {}

Balancer::~Balancer() {
  *alive_ = false;
  if (health_timer_) net_.scheduler().cancel(health_timer_);
}

std::string Balancer::name() const { return net_.host_name(self_); }

void Balancer::set_queue_agent(const std::string& member, std::function<std::size_t()> fn) {
  for (BalancerMember& m : members_)
    if (m.name == member) m.queue_depth = fn;
}

void Balancer::start() {
  ++generation_;
  for (BalancerMember& m : members_) m.probing = false;  // checks of an earlier life report nothing
  if (!net_.listening(self_, port_))
    net_.listen(self_, port_, [this, alive = alive_](StreamPtr s) { if (*alive) accept(std::move(s)); });
  if (health_timer_) net_.scheduler().cancel(health_timer_);
  health_timer_ = {};
  if (health_interval_ > 0)
    health_timer_ = net_.scheduler().schedule_in(health_interval_, [this, alive = alive_] { if (*alive) health_check(); });
}

void Balancer::on_host_change(bool up) {
  if (up) {
    start();
  } else {
    ++generation_;
    if (health_timer_) net_.scheduler().cancel(health_timer_);
    health_timer_ = {};
  }
}

// pick - the member for the next connection, or -1 when none is healthy.
int Balancer::pick() {
  const std::size_t n = members_.size();
  if (strategy_ == BalanceStrategy::LeastQueue) {
    int best = -1;
    std::size_t best_depth = 0;
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t i = (rr_next_ + k) % n;  // rotate the start so ties spread out
      if (!members_[i].healthy) continue;
      std::size_t d = members_[i].queue_depth ? members_[i].queue_depth() : 0;
      if (best < 0 || d < best_depth) { best = int(i); best_depth = d; }
    }
    if (best >= 0) rr_next_ = (std::size_t(best) + 1) % n;
    return best;
  }
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t i = (rr_next_ + k) % n;
    if (members_[i].healthy) { rr_next_ = (i + 1) % n; return int(i); }
  }
  return -1;
}

void Balancer::accept(StreamPtr client) {
  auto sp = std::make_shared<Splice>();
  sp->client = client;
  std::weak_ptr<Splice> weak = sp;
  StreamHandler h;
  h.on_data = [weak](std::string_view b) {
    auto s = weak.lock();
    if (!s) return;
    if (s->member && s->member->is_open()) s->member->write(b);
    else s->pending.append(b);
  };
  h.on_eof = [weak] {
    auto s = weak.lock();
    if (!s) return;
    s->client_eof = true;
    if (s->member) s->member->shutdown_write();
  };
  h.on_closed = [sp](CloseReason r) {  // holds the splice alive until the client side ends
    if (sp->member && sp->member->is_open()) {
      if (r == CloseReason::Reset || r == CloseReason::Timeout) sp->member->abort();
      else sp->member->close();
    }
    sp->member.reset();
  };
  client->set_handler(std::move(h));
  try_member(sp, int(members_.size()));
}

// try_member - connect the splice to a healthy member, moving on to the next if one fails.
void Balancer::try_member(std::shared_ptr<Splice> sp, int tries_left) {
  if (!sp->client->is_open()) return;
  int i = tries_left > 0 ? pick() : -1;
  if (i < 0) {
    TraceEvent e;
    e.time = net_.scheduler().now();
    e.kind = TraceKind::Note;
    e.host = name();
    e.text = "no healthy cluster member: dropping the client connection";
    net_.trace().emit(std::move(e));
    sp->client->abort();
    return;
  }
  BalancerMember& m = members_[std::size_t(i)];
  std::uint64_t gen = generation_;
  std::uint64_t epoch = m.health_epoch;
  net_.connect(self_, net_.host_ip(m.host), port_,
               [this, alive = alive_, sp, i, tries_left, gen, epoch](ConnectResult r, StreamPtr member) {
    if (!*alive || gen != generation_) { if (member) member->abort(); return; }
    if (r != ConnectResult::Ok) {
      // A hand-off that began before the member's last up/down change does not overrule it.
      if (members_[std::size_t(i)].health_epoch == epoch)
        set_health(std::size_t(i), false, std::string("connect ") + to_string(r));
      try_member(sp, tries_left - 1);
      return;
    }
    if (!sp->client->is_open()) { member->close(); return; }
    members_[std::size_t(i)].connections++;
    sp->member = member;
    {
      // Tell readers of the trace that these two connections carry one conversation.
      TraceEvent e;
      e.time = net_.scheduler().now();
      e.kind = TraceKind::Note;
      e.host = name();
      e.peer = members_[std::size_t(i)].name;
      e.conn = member->id();
      e.code = int(sp->client->id());
      e.text = "forwards connection #" + std::to_string(sp->client->id()) + " from " + sp->client->remote_name() +
               " to cluster member " + members_[std::size_t(i)].name + " as #" + std::to_string(member->id());
      net_.trace().emit(std::move(e));
    }
    std::weak_ptr<Splice> weak = sp;
    StreamHandler h;
    h.on_data = [weak](std::string_view b) { if (auto s = weak.lock()) if (s->client->is_open()) s->client->write(b); };
    h.on_eof = [weak] { if (auto s = weak.lock()) s->client->shutdown_write(); };
    h.on_closed = [weak](CloseReason why) {
      auto s = weak.lock();
      if (!s || !s->client->is_open()) return;
      if (why == CloseReason::Reset || why == CloseReason::Timeout) s->client->abort();
      else s->client->close();
    };
    member->set_handler(std::move(h));
    if (!sp->pending.empty()) { member->write(sp->pending); sp->pending.clear(); }
    if (sp->client_eof) member->shutdown_write();
  });
}

void Balancer::set_health(std::size_t i, bool healthy, const std::string& why) {
  if (members_[i].healthy == healthy) return;
  members_[i].healthy = healthy;
  ++members_[i].health_epoch;
  TraceEvent e;
  e.time = net_.scheduler().now();
  e.kind = TraceKind::Note;
  e.host = name();
  e.peer = members_[i].name;
  e.text = "cluster member " + members_[i].name + (healthy ? " is UP again" : " taken out of rotation (" + why + ")");
  net_.trace().emit(std::move(e));
}

void Balancer::health_check() {
  health_timer_ = {};
  if (!net_.host_up(self_)) return;
  std::uint64_t gen = generation_;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    // Healthy members are watched passively (a failed hand-off takes them out); only members
    // out of rotation are probed, so the transcript is not flooded with check connections.
    if (members_[i].healthy || members_[i].probing) continue;
    // A check that has not connected within one interval has failed (HAProxy's `timeout check`
    // defaults to `inter`): the SYN retries to a dead host would outlast the interval, and a late
    // answer from a check that started before the host came back (or went away) must not
    // overrule a newer one. So: one check per member at a time, and its late answer is dropped.
    members_[i].probing = true;
    const std::uint64_t probe = ++members_[i].probe_id;
    const std::uint64_t epoch = members_[i].health_epoch;
    net_.scheduler().schedule_in(health_interval_, [this, alive = alive_, i, gen, probe] {
      if (!*alive || gen != generation_ || members_[i].probe_id != probe || !members_[i].probing) return;
      members_[i].probing = false;
      ++members_[i].probe_id;
    });
    net_.connect(self_, net_.host_ip(members_[i].host), port_,
                 [this, alive = alive_, i, gen, probe, epoch](ConnectResult r, StreamPtr s) {
      if (s) s->close();
      if (!*alive || gen != generation_ || members_[i].probe_id != probe) return;
      members_[i].probing = false;
      if (members_[i].health_epoch != epoch) return;
      set_health(i, r == ConnectResult::Ok, std::string("health check: connect ") + to_string(r));
    });
  }
  health_timer_ = net_.scheduler().schedule_in(health_interval_, [this, alive = alive_] { if (*alive) health_check(); });
}

}  // namespace smtpsim
