// smtp_client.hpp - the SMTP client engine (RFC 5321 + PIPELINING, SIZE, 8BITMIME, DSN,
// ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN/LOGIN): the client half of an MUA submitting on 587
// and of an MTA relaying on 25. Bytes in, bytes + events out, no I/O, no clock.
//
// Use: construct with a ClientConfig, enqueue() messages (before or after on_open), call
// no_more_messages() when done; the engine greets, says EHLO, upgrades to TLS and authenticates
// as configured, runs one transaction per message and QUITs after the last. Drain
// take_results(): exactly one MessageResult per enqueued message, whatever the server does.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/fifo.hpp"
#include "sim/core/engine.hpp"
#include "sim/smtp/smtp_client_caps.hpp"
#include "sim/smtp/smtp_client_message.hpp"
#include "sim/smtp/smtp_reply_parser.hpp"

namespace smtpsim::smtp {

// TlsMode - how the client treats STARTTLS (Postfix smtp_tls_security_level none / may / encrypt).
enum class TlsMode : unsigned char {
  None,           // never STARTTLS
  Opportunistic,  // STARTTLS when offered; go on in plaintext when not offered or refused with 4xx/5xx
  Required,       // STARTTLS or give up: every message deferred "TLS required but not offered"
};

// AuthMech - which SASL mechanism to use; Auto picks PLAIN, then LOGIN, among those offered.
enum class AuthMech : unsigned char { Auto, Plain, Login };

// Credentials - SMTP AUTH (RFC 4954) account.
struct Credentials {
  std::string user;
  std::string password;
  std::string authzid;           // PLAIN authorization identity, usually ""
  AuthMech mech = AuthMech::Auto;
  bool initial_response = true;  // AUTH PLAIN <response> in one line (RFC 4954 4), else wait for 334
  bool require = true;           // no usable mechanism offered -> defer everything (else send unauthenticated)
  bool allow_plaintext = true;   // false: never send credentials before TLS is active
};

// Timeouts - how long to wait for each reply (RFC 5321 4.5.3.2; Postfix smtp_*_timeout).
struct Timeouts {
  Duration greeting = minutes(5);   // 220 greeting
  Duration command = minutes(5);    // EHLO/HELO, MAIL, RCPT, RSET, STARTTLS, AUTH steps
  Duration data_init = minutes(2);  // reply to DATA (354)
  // data_block - the longest a body write may stall. The engine hands the whole body to the
  // driver in one output and cannot see write progress, so the driver's transport enforces it.
  Duration data_block = minutes(3);
  Duration data_done = minutes(10); // reply to the final "."
  Duration tls_handshake = minutes(5);  // from the STARTTLS 220 to on_tls
  Duration quit = minutes(5);       // reply to QUIT
  Duration idle = minutes(2);       // nothing to send and no_more_messages() not called: QUIT after this
};

// ClientConfig - everything the engine needs to know up front.
struct ClientConfig {
  std::string helo_name = "localhost";  // EHLO/HELO argument (the client's FQDN or [address literal])
  std::string server_name;              // the peer's host name, used only in texts ("host mx.b.example")
  TlsMode tls = TlsMode::Opportunistic;
  std::optional<Credentials> auth;
  bool pipelining = true;               // use PIPELINING when offered
  bool blind_data = false;              // hostile: with PIPELINING, the message goes right behind DATA
                                        // in the same group, before the 354 (RFC 2920 3.1 forbids it)
  bool helo_fallback = true;            // EHLO refused with 5xx -> try HELO (RFC 5321 3.2)
  Timeouts timeouts;
  ReplyLimits reply_limits;
};

// ClientPhase - where the dialogue is (for views and tests).
enum class ClientPhase : unsigned char {
  Connecting,    // before on_open
  Greeting,      // waiting for the 220
  Ehlo,          // EHLO or HELO sent
  StartTls,      // STARTTLS sent
  TlsHandshake,  // 220 to STARTTLS received, driver runs TLS
  Auth,          // AUTH exchange
  Idle,          // between transactions, nothing queued
  Transaction,   // MAIL .. DATA .. "." of a message
  Rset,          // RSET sent
  Quit,          // QUIT sent
  Closed,        // the engine asked to close or the connection is gone
};
const char* to_string(ClientPhase p);

class SmtpClient final : public Engine {
 public:
  explicit SmtpClient(ClientConfig config);

  // enqueue - add a message; returns its seq (as in its MessageResult). Allowed at any time: after
  // the session ended it gets an immediate result (the session's failure, or "session closed").
  std::uint64_t enqueue(OutgoingMessage msg);
  // no_more_messages - QUIT after the last queued message instead of waiting for more.
  void no_more_messages();
  // connect_failed - the driver could not connect at all (refused, timeout): fail every message.
  void connect_failed(std::string_view why, SimTime now);
  // take_results - finished messages since the last call, in the order they finished.
  std::vector<MessageResult> take_results();

  // Engine
  void on_open(SimTime now) override;
  void on_bytes(std::string_view bytes, SimTime now) override;
  void on_tls(const TlsInfo& info, SimTime now) override;
  void on_timer(SimTime now) override;
  void on_closed(SimTime now) override;
  SimTime deadline() const override { return deadline_; }
  EngineOutput take_output() override;
  void take_output_into(EngineOutput& into) override;
  bool finished() const override { return phase_ == ClientPhase::Closed; }

  // Inspection.
  ClientPhase phase() const { return phase_; }
  const Capabilities& capabilities() const { return caps_; }
  bool tls_active() const { return tls_active_; }
  bool authenticated() const { return authenticated_; }
  std::size_t queued() const { return queue_.size() + (active_ ? 1 : 0); }
  const ClientConfig& config() const { return config_; }

 private:
  // Expect - one command whose reply is still due, in send order (RFC 2920: replies come in order).
  enum class Expect : unsigned char {
    Greeting, Ehlo, Helo, StartTls, Auth, Mail, Rcpt, Data, EndOfData, Rset, Quit
  };
  // RcptState - progress of one recipient inside the active transaction.
  enum class RcptState : unsigned char { Pending, Accepted, Done };
  // Prepared - an enqueued message with its wire body ready.
  struct Prepared {
    std::uint64_t seq = 0;
    OutgoingMessage msg;  // data moved out into wire
    std::string wire;     // dot-stuffed body ending in ".\r\n"
    std::uint64_t size = 0;
    bool eight_bit = false;
    std::size_t normalised = 0;  // bare CR/LF rewritten
    std::size_t longest = 0;     // longest line
    std::size_t lines = 0;
  };
  // Active - the transaction in progress.
  struct Active {
    Prepared p;
    MessageResult result;
    std::vector<RcptState> state;
    std::vector<std::size_t> sent;  // recipient indexes in the order their RCPTs went out
    std::size_t next_rcpt = 0;   // lock-step: next recipient index to consider
    std::size_t replies = 0;     // RCPT replies seen
    std::size_t accepted = 0;
    bool mail_ok = false;
    bool pipelined = false;      // MAIL, RCPTs and DATA went out as one group (RFC 2920)
    bool lone_dot = false;       // DATA got 354 with no recipient accepted: sent "." alone
    bool body_sent = false;      // blind_data: the message went out behind DATA already
  };
  // Verdict - the decision applied to every message not yet finished.
  struct Verdict {
    Outcome outcome = Outcome::Deferred;
    Stage stage = Stage::Connect;
    Reply reply;
    bool local = false;
  };

  // Room kept in the output buffers (a pipelined MAIL/RCPT/DATA group fits).
  static constexpr std::size_t kOutputBytes = 256;
  static constexpr std::size_t kOutputEvents = 8;
  // Room kept for replies due at once (MAIL, a few RCPTs, DATA).
  static constexpr std::size_t kExpectReserve = 8;

  // Dialogue steps (smtp_client.cpp).
  void send_line(std::string_view line, std::string_view shown = {});
  std::size_t begin_command();
  void end_command(std::size_t start);
  void send_hello(std::string_view verb);
  void expect(Expect e, SimTime now);
  void set_deadline_for_front(SimTime now);
  Duration timeout_for(Expect e) const;
  Stage phase_stage() const;
  void handle_reply(const Reply& reply, SimTime now);
  void on_greeting(const Reply& r, SimTime now);
  void on_ehlo(const Reply& r, SimTime now);
  void on_helo(const Reply& r, SimTime now);
  void after_hello(SimTime now);
  void on_starttls(const Reply& r, SimTime now);
  void on_rset(const Reply& r, SimTime now);
  void on_quit(const Reply& r, SimTime now);
  void next_step(SimTime now);
  void send_quit(SimTime now);
  void close_now();

  // Authentication (smtp_client_auth.cpp).
  bool start_auth(SimTime now);
  void on_auth(const Reply& r, SimTime now);

  // Transactions (smtp_client_txn.cpp).
  void start_transaction(SimTime now);
  void append_mail_command(std::string& out, const Prepared& p) const;
  void append_rcpt_command(std::string& out, const Recipient& r) const;
  void send_body(Prepared& p);
  void send_rcpt(std::size_t i, SimTime now);
  void on_mail(const Reply& r, SimTime now);
  void on_rcpt(const Reply& r, SimTime now);
  void after_rcpts(SimTime now);
  void on_data(const Reply& r, SimTime now);
  void on_end_of_data(const Reply& r, SimTime now);
  void finish_active();
  void after_transaction(bool server_txn_open, SimTime now);
  void settle_rcpt(std::size_t i, Outcome o, Stage s, const Reply& r, bool local);

  // Failures (smtp_client_fail.cpp).
  static Outcome outcome_of(const Reply& r);
  static Verdict from_reply(const Reply& r, Stage s);
  static Verdict local(Outcome o, Stage s, std::string enhanced, std::string text);
  void fail_message(Prepared p, const Verdict& v);
  void fail_all(const Verdict& v);
  void protocol_error(std::string why, Stage stage, SimTime now);
  void end_session(const Verdict& v, bool quit, SimTime now);
  void note(std::string text);
  void error(std::string text);
  std::string host_text() const;
  Stage stage_of(Expect e) const;
  static const char* expect_name(Expect e);

  ClientConfig config_;
  ClientPhase phase_ = ClientPhase::Connecting;
  ReplyParser parser_;
  Reply reply_;  // the reply being handled (its line storage is reused from reply to reply)
  EngineOutput out_;
  SimTime deadline_ = kNever;
  Fifo<Expect> expect_;
  Fifo<Prepared> queue_;
  std::optional<Active> active_;
  std::vector<MessageResult> results_;
  std::optional<Verdict> session_verdict_;  // set once the session can take no more mail
  Capabilities caps_;
  std::uint64_t next_seq_ = 1;
  bool opened_ = false;
  bool no_more_ = false;
  bool tls_active_ = false;
  bool tls_tried_ = false;
  bool authenticated_ = false;
  int auth_step_ = 0;        // AUTH exchange: 334 challenges answered so far
  AuthMech auth_mech_ = AuthMech::Auto;
  bool quit_sent_ = false;
};

}  // namespace smtpsim::smtp
