// pop3_host.hpp - a POP3 server host: serves the mailboxes an MDA delivers into (port 110).
#pragma once
#include <memory>
#include <map>
#include <set>

#include "sim/mail/mail_directory.hpp"
#include "sim/mail/mail_mailbox.hpp"
#include "sim/pop3/pop3_server.hpp"
#include "sim/roles/world_context.hpp"

namespace smtpsim {

struct Pop3HostConfig {
  std::string name;
  std::uint16_t port = 110;
  bool offer_stls = true;
  bool plaintext_needs_tls = false;
  bool allow_apop = true;
  pop3::ServerBehaviour behaviour;   // lesson faults, changeable at run time
  std::shared_ptr<mail::Directory> directory;
  std::shared_ptr<mail::MailboxStore> store;
};

class Pop3Host {
 public:
  Pop3Host(WorldContext& ctx, HostId host, Pop3HostConfig cfg);
  ~Pop3Host();
  void start();
  void on_host_change(bool up);
  Pop3HostConfig& config() { return cfg_; }
  const std::string& name() const { return cfg_.name; }
  std::uint64_t sessions() const { return sessions_; }

 private:
  void on_accept(StreamPtr s);
  WorldContext& ctx_;
  HostId host_;
  Pop3HostConfig cfg_;
  pop3::LoginTracker logins_;
  // Keyed by accept order, not by pointer: a crash aborts them in this order (trace lines).
  std::map<std::uint64_t, std::shared_ptr<Conn>> conns_;
  std::uint64_t next_conn_id_ = 1;
  std::uint64_t sessions_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace smtpsim
