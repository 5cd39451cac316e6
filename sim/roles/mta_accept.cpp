// mta_accept.cpp - the SMTP server side of an MTA host: listening, the policy answers, and the
// hand-over of a finished message to the spool.
#include <algorithm>

#include "sim/roles/mta_server.hpp"
#include "sim/core/ascii.hpp"
#include "sim/roles/role_conn.hpp"

namespace smtpsim {

namespace {
constexpr auto lower = ascii_lower_copy;
}  // namespace

smtp::ServerConfig MtaHost::ServerSide::config() const {
  const MtaConfig& c = host.cfg_;
  smtp::ServerConfig sc;
  sc.hostname = c.name;
  sc.max_message_size = c.max_message_size ? c.max_message_size : 10'240'000;
  sc.size = c.max_message_size > 0;
  sc.max_received = c.max_received;
  sc.tls_available = c.offer_starttls;
  sc.tls_required = tls_required;
  sc.auth = c.submission || !c.users.empty();
  sc.auth_plain = c.auth_plain;
  sc.auth_login = c.auth_login;
  sc.auth_plaintext = !c.require_tls_for_auth || !c.offer_starttls;
  sc.msa_mode = c.submission;
  sc.bare_newline = bare_newline;
  return sc;
}

bool MtaHost::ServerSide::is_local_domain(std::string_view domain) {
  std::string d = lower(domain);
  return host.is_local_domain(d) || host.cfg_.relay_domains.count(d) || host.cfg_.transport.count(d);
}

bool MtaHost::ServerSide::recipient_exists(std::string_view address) {
  return host.rcpt_check(std::string(address)).ok;
}

bool MtaHost::ServerSide::may_relay(const smtp::SessionFacts& s) {
  return !s.auth_user.empty() || host.cfg_.relay_without_auth ||
         host.cfg_.relay_clients.count(lower(s.client_name)) > 0;
}

bool MtaHost::ServerSide::check_credentials(std::string_view user, std::string_view password) {
  auto it = host.cfg_.users.find(std::string(user));
  return it != host.cfg_.users.end() && it->second == password;
}

std::optional<smtp::ServerReply> MtaHost::ServerSide::check_recipient(const smtp::SessionFacts& s,
                                                                     const smtp::Envelope&, const smtp::RcptTo& r) {
  if (host.cfg_.extra_rcpt_check) return host.cfg_.extra_rcpt_check(s, r);
  return std::nullopt;
}

smtp::AcceptResult MtaHost::ServerSide::accept_message(const smtp::SessionFacts& s, const smtp::Envelope& env,
                                                       std::string message) {
  Incoming in;
  in.sender = env.mail.reverse_path;
  for (const smtp::RcptTo& r : env.rcpts) in.rcpts.push_back({r.forward_path, r.params.notify, r.params.orcpt});
  in.data = std::move(message);
  in.envid = env.mail.params.envid;
  in.ret = static_cast<smtp::DsnRet>(env.mail.params.ret);
  in.body = static_cast<smtp::BodyType>(env.mail.params.body);
  in.helo = s.helo;
  in.client_name = s.client_name;
  parse_ipv4(s.client_ip, in.client_ip);
  in.tls = s.tls;
  if (s.tls) {
    in.tls_detail = s.tls_version + " " + s.tls_cipher;
    in.tls_bits = host.ctx_.tls.cipher_bits(s.tls_cipher);
  }
  in.auth_user = s.auth_user;
  AcceptResult r = host.accept(std::move(in));
  if (!r.ok) return smtp::AcceptResult::refused({r.code, r.enhanced, r.text});
  if (drop_after_data) {
    // The lesson's fault: the message is safe in the spool, but the client never hears the 250.
    for (const auto& [id, c] : host.server_conns_) {
      auto* srv = dynamic_cast<smtp::SmtpServer*>(&c->engine());
      if (srv && &srv->session() == &s) {
        host.ctx_.note(host.cfg_.name, "stored " + r.qid + ", then the connection drops before the 250 is sent");
        c->abort();
        break;
      }
    }
  }
  return smtp::AcceptResult::stored(r.qid);
}

void MtaHost::listen_all() {
  for (std::uint16_t port : cfg_.ports)
    if (!ctx_.net.listening(host_, port))
      ctx_.net.listen(host_, port, [this, alive = alive_](StreamPtr s) { if (*alive) on_accept(std::move(s)); });
}

void MtaHost::on_accept(StreamPtr s) {
  smtp::PeerInfo peer{ipv4_to_string(s->remote_ip()), s->remote_name()};
  auto engine = std::make_unique<smtp::SmtpServer>(server_->config(), *server_, peer);
  auto conn = std::make_shared<Conn>(ctx_.sched, ctx_.trace, s, std::move(engine), true,
                                     ctx_.tls.factory(cfg_.name, TlsVerify::None, false, s->is_live()), "");
  const std::uint64_t id = next_conn_id_++;
  server_conns_.emplace(id, conn);
  std::weak_ptr<Conn> weak = conn;
  conn->on_done([this, alive = alive_, weak, id](Conn&) {
    ctx_.sched.schedule_in(0, [this, alive, weak, id] {
      if (!*alive) return;
      if (auto c = weak.lock()) {
        auto it = server_conns_.find(id);
        if (it != server_conns_.end() && it->second == c) server_conns_.erase(it);
      }
    });
  });
  conn->start();
}

}  // namespace smtpsim
