// mta_server.hpp - the SMTP server side of an MTA host: its policy (local domains, recipients,
// relay rights, AUTH accounts, accepting into the spool) and its lesson behaviours.
#pragma once
#include "sim/roles/mta_host.hpp"
#include "sim/smtp/smtp_policy.hpp"
#include "sim/smtp/smtp_server.hpp"

namespace smtpsim {

struct MtaHost::ServerSide final : smtp::ServerPolicy {
  explicit ServerSide(MtaHost& h) : host(h) {}

  // config - the engine's settings for a new session of this host.
  smtp::ServerConfig config() const;

  bool is_local_domain(std::string_view domain) override;
  bool recipient_exists(std::string_view address) override;
  bool may_relay(const smtp::SessionFacts& s) override;
  bool check_credentials(std::string_view user, std::string_view password) override;
  std::optional<smtp::ServerReply> check_recipient(const smtp::SessionFacts& s, const smtp::Envelope& env,
                                                   const smtp::RcptTo& r) override;
  smtp::AcceptResult accept_message(const smtp::SessionFacts& s, const smtp::Envelope& env, std::string message) override;

  MtaHost& host;
  smtp::BareNewlineMode bare_newline = smtp::BareNewlineMode::Reject;
  bool tls_required = false;      // 530 5.7.0 until STARTTLS
  bool drop_after_data = false;   // store the message, then cut the connection before the 250
};

}  // namespace smtpsim
