// mua_fetch.cpp - the mail client's receiving side: poll the POP3 server, download what is new.
#include "sim/mail/mail_message.hpp"
#include "sim/roles/mua_client.hpp"
#include "sim/roles/role_conn.hpp"

namespace smtpsim {

void Mua::schedule_poll() {
  if (cfg_.poll <= 0 || ctx_.sched.is_pending(poll_timer_)) return;
  poll_timer_ = ctx_.sched.schedule_in(cfg_.poll, [this, alive = alive_] {
    if (!*alive) return;
    poll_timer_ = {};
    fetch_now();
    schedule_poll();
  });
}

void Mua::fetch_now() {
  if (fetching_ || cfg_.fetch_host.empty() || !ctx_.net.host_up(host_)) return;
  fetching_ = true;
  std::uint64_t gen = generation_;
  resolver_->query_a(cfg_.fetch_host, [this, alive = alive_, gen](const DnsAnswer& a) {
    if (!*alive || gen != generation_) return;
    if (a.rcode != DnsRcode::NoError || a.addrs.empty()) {
      ctx_.note(cfg_.name, "cannot find the POP3 server " + cfg_.fetch_host + " in DNS (" + to_string(a.rcode) + ")");
      fetching_ = false;
      return;
    }
    std::uint32_t ip = a.addrs.front();
    ctx_.net.connect(host_, ip, cfg_.fetch_port, [this, alive, gen, ip](ConnectResult r, StreamPtr s) {
      if (!*alive || gen != generation_) { if (s) s->abort(); return; }
      if (r != ConnectResult::Ok) {
        ctx_.note(cfg_.name, "cannot reach the POP3 server " + cfg_.fetch_host + "[" + ipv4_to_string(ip) + "]:" +
                                 std::to_string(cfg_.fetch_port) + " (" + to_string(r) + ")");
        fetching_ = false;
        return;
      }
      pop3::ClientConfig pc;
      pc.user = cfg_.login;
      pc.password = cfg_.password;
      pc.auth = cfg_.apop ? pop3::AuthMethod::Apop : pop3::AuthMethod::UserPass;
      pc.tls = cfg_.pop3_tls == 0 ? pop3::TlsPolicy::None
             : cfg_.pop3_tls == 2 ? pop3::TlsPolicy::Required : pop3::TlsPolicy::Opportunistic;
      pc.leave_on_server = cfg_.leave_on_server;
      ++fetch_sessions_;
      auto client = std::make_unique<pop3::Client>(pc, pop3_state_);
      pop3::Client* raw = client.get();
      fetch_conn_ = std::make_shared<Conn>(ctx_.sched, ctx_.trace, s, std::move(client), false,
                                           ctx_.tls.factory(cfg_.name, TlsVerify::None), cfg_.fetch_host);
      fetch_conn_->on_done([this, alive, gen, raw](Conn&) {
        ctx_.sched.schedule_in(0, [this, alive, gen, raw] {
          if (!*alive || gen != generation_) return;
          on_fetch_done(*raw);
        });
      });
      fetch_conn_->start();
    });
  });
}

void Mua::on_fetch_done(pop3::Client& c) {
  std::shared_ptr<Conn> keep = std::move(fetch_conn_);
  fetching_ = false;
  const pop3::ClientResult& res = c.result();
  for (const pop3::FetchedMessage& f : res.messages) {
    FetchedMessage m;
    m.uidl = f.uidl;
    m.raw = f.raw;
    m.at = ctx_.sched.now();
    mail::Message msg = mail::Message::parse(f.raw);
    m.message_id = msg.get("Message-ID").value_or("");
    m.subject = msg.get("Subject").value_or("");
    auto ct = msg.get("Content-Type").value_or("");
    m.is_dsn = ct.find("delivery-status") != std::string::npos;
    ctx_.note(cfg_.name, std::string(m.is_dsn ? "fetched a delivery status notification" : "fetched") + " \"" +
                             m.subject + "\" (" + std::to_string(f.raw.size()) + " bytes)", m.message_id);
    inbox_.push_back(std::move(m));
  }
  if (!res.ok && !res.errors.empty())
    ctx_.note(cfg_.name, "POP3 session with " + cfg_.fetch_host + " failed: " + res.errors.back());
}

}  // namespace smtpsim
