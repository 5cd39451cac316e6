// mua_client.hpp - a person's standalone mail client (like Thunderbird): writes messages, submits
// them over SMTP to its provider's MSA (587, STARTTLS, AUTH), and fetches mail over POP3 on a
// polling interval, remembering what it has seen by UIDL.
#pragma once
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/mail/mail_msgid.hpp"
#include "sim/roles/world_context.hpp"
#include "sim/pop3/pop3_client.hpp"
#include "sim/smtp/smtp_client.hpp"

namespace smtpsim {

class Conn;

struct MuaConfig {
  std::string name;                  // host name
  std::string user;                  // the person's address, a@a.example
  std::string login;                 // SMTP AUTH / POP3 login ("" = the address)
  std::string password;
  std::string submit_host;           // "" = this client does not send
  std::uint16_t submit_port = 587;
  smtp::TlsMode smtp_tls = smtp::TlsMode::Opportunistic;
  TlsVerify smtp_verify = TlsVerify::Peer;
  bool smtp_auth = true;
  smtp::AuthMech smtp_auth_mech = smtp::AuthMech::Auto;  // the SASL mechanism (Auto: PLAIN, then LOGIN)
  bool pipelining = true;            // use PIPELINING when the server offers it (RFC 2920)
  bool blind_pipelining = false;     // send the message behind DATA without waiting for 354 (hostile)
  Duration resubmit_after = minutes(5);  // a failed submission is tried again after this
  int max_submit_tries = 5;
  std::string fetch_host;            // "" = this client does not fetch
  std::uint16_t fetch_port = 110;
  Duration poll = minutes(5);        // 0 = fetch only when asked
  int pop3_tls = 1;                  // 0 none, 1 opportunistic (STLS when offered), 2 required
  bool apop = false;
  bool leave_on_server = false;
};

// SendRequest - what the person writes.
struct SendRequest {
  std::string from;                  // "" = the client's own address
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::vector<std::string> bcc;      // envelope only, not in the headers
  std::string subject;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra header fields
  std::optional<std::size_t> size;   // a filler body of this size instead of `body`
  bool raw = false;                  // raw_body follows the header exactly as written: bare CR/LF
  std::string raw_body;              // are sent unrepaired (SMTP smuggling lessons; see OutgoingMessage::raw)
  unsigned notify = 0;               // DSN NOTIFY flags for every recipient
  smtp::DsnRet ret = smtp::DsnRet::Unspecified;
  std::string envid;
  std::string label;                 // the scenario's name for this message (expectations)
};

// FetchedMessage - one message the client downloaded.
struct FetchedMessage {
  std::string uidl;
  std::string raw;
  SimTime at = 0;
  std::string message_id;
  std::string subject;
  bool is_dsn = false;
};

// OutboxEntry - a message the person sent, and how its submission went.
struct OutboxEntry {
  std::string label;
  std::string message_id;
  smtp::OutgoingMessage msg;
  enum class State : unsigned char { Waiting, Submitting, Sent, Rejected, GaveUp } state = State::Waiting;
  int tries = 0;
  SimTime written_at = 0;
  SimTime sent_at = -1;
  std::string last_reply;
};

class Mua {
 public:
  Mua(WorldContext& ctx, HostId host, MuaConfig cfg);
  ~Mua();

  void start();
  void on_host_change(bool up);

  // send - compose and submit a message now; returns its Message-ID.
  std::string send(const SendRequest& req);
  // fetch_now - start a POP3 session now (if none is running).
  void fetch_now();

  const std::deque<OutboxEntry>& outbox() const { return outbox_; }
  const std::vector<FetchedMessage>& inbox() const { return inbox_; }
  const MuaConfig& config() const { return cfg_; }
  const std::string& name() const { return cfg_.name; }
  int fetch_sessions() const { return fetch_sessions_; }

 private:
  void submit();
  void on_submit_done(smtp::SmtpClient& client);
  void apply_submit_results(const std::vector<smtp::MessageResult>& results);
  void schedule_resubmit();
  void schedule_poll();
  void on_fetch_done(pop3::Client& c);

  WorldContext& ctx_;
  HostId host_;
  MuaConfig cfg_;
  mail::IdGenerator ids_;
  std::unique_ptr<Resolver> resolver_;
  std::deque<OutboxEntry> outbox_;
  std::vector<FetchedMessage> inbox_;
  pop3::ClientState pop3_state_;         // survives sessions (seen UIDLs for leave-on-server)
  std::shared_ptr<Conn> submit_conn_;
  std::shared_ptr<Conn> fetch_conn_;
  bool submitting_ = false;
  bool fetching_ = false;
  int fetch_sessions_ = 0;
  EventId resubmit_timer_;
  EventId poll_timer_;
  std::uint64_t generation_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace smtpsim
