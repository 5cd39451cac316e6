// pop3_host.cpp - accepting POP3 connections and running one server engine per connection.
#include "sim/roles/pop3_host.hpp"

#include "sim/roles/role_conn.hpp"

namespace smtpsim {

Pop3Host::Pop3Host(WorldContext& ctx, HostId host, Pop3HostConfig cfg) : ctx_(ctx), host_(host), cfg_(std::move(cfg)) {
  // One map of reply overrides for all sessions: a lesson's change reaches sessions already open.
  if (!cfg_.behaviour.replies) cfg_.behaviour.replies = std::make_shared<pop3::ReplyOverrides>();
}

Pop3Host::~Pop3Host() { *alive_ = false; }

void Pop3Host::start() {
  if (!ctx_.net.listening(host_, cfg_.port))
    ctx_.net.listen(host_, cfg_.port, [this, alive = alive_](StreamPtr s) { if (*alive) on_accept(std::move(s)); });
}

void Pop3Host::on_host_change(bool up) {
  if (up) { start(); return; }
  for (auto& [id, c] : conns_) c->abort();
  conns_.clear();
}

void Pop3Host::on_accept(StreamPtr s) {
  pop3::ServerConfig sc;
  sc.host_name = cfg_.name;
  sc.session_id = s->id();
  sc.tls_available = cfg_.offer_stls;
  sc.plaintext_needs_tls = cfg_.plaintext_needs_tls;
  sc.allow_apop = cfg_.allow_apop;
  sc.behaviour = cfg_.behaviour;
  ++sessions_;
  auto engine = std::make_unique<pop3::Server>(sc, *cfg_.directory, *cfg_.store, &logins_);
  auto conn = std::make_shared<Conn>(ctx_.sched, ctx_.trace, s, std::move(engine), true,
                                     ctx_.tls.factory(cfg_.name, TlsVerify::None, false, s->is_live()), "");
  const std::uint64_t id = next_conn_id_++;
  conns_.emplace(id, conn);
  std::weak_ptr<Conn> weak = conn;
  conn->on_done([this, alive = alive_, weak, id](Conn&) {
    ctx_.sched.schedule_in(0, [this, alive, weak, id] {
      if (!*alive) return;
      if (auto c = weak.lock()) {
        auto it = conns_.find(id);
        if (it != conns_.end() && it->second == c) conns_.erase(it);
      }
    });
  });
  conn->start();
}

}  // namespace smtpsim
