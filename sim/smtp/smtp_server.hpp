// smtp_server.hpp - the SMTP server engine (RFC 5321 + PIPELINING, SIZE, 8BITMIME, DSN,
// ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN/LOGIN, HELP): the receiving half of an MSA, MTA or MX.
// Bytes in, bytes + events out, no I/O, no clock; decisions about addresses and storage are asked
// of a ServerPolicy (smtp_policy.hpp); reply texts come from the catalogue (smtp_catalog.hpp);
// command validity per state from the state table (smtp_states.hpp).
//
// Use:
//   SmtpServer srv(cfg, policy, PeerInfo{"192.0.2.10", "client.example"});
//   srv.on_open(now);                 // greeting
//   srv.on_bytes(bytes, now);         // client input, any split
//   EngineOutput out = srv.take_output();  // write out.bytes; then start TLS / close if asked
//   at srv.deadline(): srv.on_timer(now)    // timeouts, tarpit releases
//
// Behaviour worth knowing (details and choices in smtp_server.cpp's header):
//  * Only CRLF ends a line. Command lines with NUL, bare CR or bare LF get 500 5.5.2; over-long
//    ones 500 5.5.2 after the rest up to CRLF has been thrown away (memory stays bounded).
//  * DATA ends only at <CR><LF>.<CR><LF>. BareNewlineMode::Reject (default): a message with a
//    bare CR or LF is read to its real end and refused with 550 5.5.2. Normalize: bare CR/LF are
//    stored as CRLF, but a line after a bare newline never counts as a line start, so a "." there
//    can neither end nor shorten the message.
//  * Plaintext pipelined after STARTTLS is discarded (CVE-2011-0411), with an Error event.
//  * RFC 2920 synchronisation (enforce_sync): input waiting behind a command that must end a
//    pipelined group (EHLO, HELO, DATA, AUTH, VRFY, NOOP), behind any command when PIPELINING is
//    not in use, or before the greeting, gets 554 5.5.0 and the connection is closed.
//  * Events: one ProtoEvent::Reply per reply line (code, line), one Data per received message
//    (code = octets), Note/Error for discards, violations, timeouts. Client input is never echoed
//    into events except a short masked preview in synchronisation errors; AUTH data never.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/smtp/smtp_catalog.hpp"
#include "sim/smtp/smtp_command.hpp"
#include "sim/smtp/smtp_policy.hpp"
#include "sim/smtp/smtp_states.hpp"

namespace smtpsim::smtp {

// BareNewlineMode - what DATA does with a CR or LF that is not part of CRLF (Postfix
// smtpd_forbid_bare_newline = reject / normalize).
enum class BareNewlineMode : unsigned char { Reject, Normalize };

// ServerConfig - fixed for the life of a session (behaviour switches live in ServerPolicy).
struct ServerConfig {
  std::string hostname = "mx.example";  // greeting, EHLO first line, 421 texts

  // Extensions offered in the EHLO reply.
  bool pipelining = true;
  bool size = true;                   // "SIZE <max_message_size>"
  bool eightbitmime = true;
  bool enhanced_status_codes = true;  // also: put X.Y.Z on every reply but greeting/EHLO/HELO/334/354
  bool dsn = true;
  bool help = true;                   // "HELP" keyword line

  // Limits.
  std::uint64_t max_message_size = 10'240'000;  // octets after unstuffing (Postfix message_size_limit); > 0
  std::size_t max_recipients = 100;             // per transaction; more -> 452 4.5.3
  std::size_t max_line = kMaxCommandLine;       // command line incl. CRLF (AUTH lines: 12288)
  int max_errors = 20;                          // protocol errors (500-504, 535, 555) -> 421 4.7.0
  int max_received = 50;                        // a message with this many Received: -> 554 5.4.6
  std::size_t max_pending_input = 1 << 20;      // unanswered input buffered during a tarpit hold

  // TLS (the driver does the handshake when take_output() says start_tls).
  bool tls_available = false;  // offer STARTTLS (454 4.7.0 when asked without)
  bool tls_required = false;   // MAIL needs TLS first (530 5.7.0); AUTH then needs it too (538)

  // AUTH.
  bool auth = false;            // offer AUTH
  bool auth_plain = true;
  bool auth_login = true;
  bool auth_plaintext = false;  // allow AUTH before TLS (else not offered, and 538 5.7.11)
  bool msa_mode = false;        // submission: MAIL needs AUTH first (530 5.7.0)

  // Timeouts (virtual time).
  Duration command_timeout = minutes(5);  // from our last reply to the next complete command
  Duration data_timeout = minutes(5);     // between complete lines while receiving DATA

  // Hostile input.
  BareNewlineMode bare_newline = BareNewlineMode::Reject;
  bool enforce_sync = true;   // RFC 2920 synchronisation check
  bool strict_syntax = true;  // ParseOptions::strict (no space after "FROM:", brackets required)
};

// PeerInfo - who connected (from the transport and reverse DNS).
struct PeerInfo {
  std::string ip;    // "192.0.2.10"
  std::string name;  // reverse-DNS name, "" = unknown
};

class SmtpServer final : public Engine {
 public:
  // The policy must outlive the engine.
  SmtpServer(ServerConfig config, ServerPolicy& policy, PeerInfo peer);

  // Engine
  void on_open(SimTime now) override;
  void on_bytes(std::string_view bytes, SimTime now) override;
  void on_tls(const TlsInfo& info, SimTime now) override;
  void on_timer(SimTime now) override;
  void on_closed(SimTime now) override;
  SimTime deadline() const override;
  EngineOutput take_output() override;
  void take_output_into(EngineOutput& into) override;
  bool finished() const override;

  // Inspection (views, tests).
  ServerState state() const { return state_; }
  const SessionFacts& session() const { return facts_; }
  const Envelope& envelope() const { return env_; }
  const ServerConfig& config() const { return cfg_; }
  int error_count() const { return errors_; }
  std::uint64_t messages_accepted() const { return accepted_; }

 private:
  enum class AuthStep : unsigned char { None, PlainResponse, LoginUser, LoginPassword };

  // DataRx - the message being received (smtp_server_data.cpp).
  struct DataRx {
    std::string message;          // unstuffed content, CRLF line ends (empty once refused)
    std::uint64_t size = 0;       // octets received after unstuffing
    std::size_t line_len = 0;     // octets in the current line so far
    int received = 0;             // Received: header lines seen in the header section
    bool line_start = true;       // the next octet starts a line (after a real CRLF)
    bool in_headers = true;
    bool bare_newline = false;    // a bare CR or LF was seen
    bool too_big = false;
    bool long_line_noted = false;
    bool nul_noted = false;
  };

  // Input and dispatch (smtp_server.cpp).
  void process(SimTime now);
  bool next_line(std::string_view& line, bool& too_long);
  std::size_t line_limit() const;
  void handle_line(std::string_view line, bool too_long, SimTime now);
  void handle_received(std::string_view line, bool too_long, SimTime now);
  bool sync_violation(Verb v) const;
  void end_step(SimTime now);
  void release_hold(SimTime now);
  void compact_input();

  // EhloKeywords - the extension lines of the EHLO reply: views of static text or of size_keyword_.
  struct EhloKeywords {
    std::array<std::string_view, 8> lines;
    std::size_t count = 0;
    void add(std::string_view line) { lines[count++] = line; }
  };

  // Room kept in the step's output buffers (an EHLO reply fits).
  static constexpr std::size_t kStageBytes = 256;
  static constexpr std::size_t kStageEvents = 8;
  // Room kept in the input buffer for unprocessed commands.
  static constexpr std::size_t kInputReserve = 256;

  // Replies and events (smtp_server.cpp).
  void send_line(int code, std::string_view enhanced, std::string_view text, bool more);
  void send_rendered(int code, std::string_view enhanced, std::string_view tmpl, std::span<const TextVar> vars,
                     bool more);
  void reserve_stage();
  void reply(ReplyId id, std::initializer_list<TextVar> vars = {});
  void reply_lines(ReplyId id, const std::vector<std::string>& texts);
  void reply_custom(const ServerReply& r, ReplyId context, std::initializer_list<TextVar> vars, bool bare = false);
  bool refused_by(std::optional<ServerReply>& o, ReplyId context, std::initializer_list<TextVar> vars,
                  std::string_view what);
  void answer(std::optional<ServerReply>& o, ReplyId normal, std::initializer_list<TextVar> vars, bool bare = false);
  void count_error(int code);
  void note(std::string text);
  void error(std::string text);
  void record_rx(std::string_view line, bool too_long);
  void close_session();
  std::string preview_pending(Verb v) const;

  // Commands (smtp_server_commands.cpp).
  void dispatch(const CommandLine& c, const Transition& t, SimTime now);
  void cmd_hello(const CommandLine& c, SimTime now);
  void cmd_mail(std::string_view arg, SimTime now);
  void cmd_rcpt(std::string_view arg, SimTime now);
  void cmd_data(std::string_view arg, SimTime now);
  void cmd_rset(std::string_view arg);
  void cmd_noop();
  void cmd_quit();
  void cmd_vrfy(std::string_view arg);
  void cmd_help();
  void cmd_starttls(std::string_view arg);
  void reset_transaction();
  EhloKeywords ehlo_keywords() const;
  std::string_view shown_address(std::string_view address);
  ParseOptions parse_options() const;

  // AUTH (smtp_server_auth.cpp).
  void cmd_auth(std::string_view arg, SimTime now);
  void auth_response(std::string_view line, SimTime now);
  void auth_finish(std::string_view authzid, std::string_view user, std::string_view password, SimTime now);
  void auth_end();
  bool auth_mechanism_enabled(std::string_view mech) const;
  bool auth_offered() const;

  // DATA (smtp_server_data.cpp).
  bool consume_data(std::string_view s, std::size_t& used, SimTime now);
  void data_store(std::string_view bytes);
  bool data_drop_check();
  void data_finish(SimTime now);
  void data_reply();

  ServerConfig cfg_;
  ServerPolicy& policy_;
  SessionFacts facts_;
  ServerState state_ = ServerState::Connected;
  Envelope env_;
  bool rcpt_attempted_ = false;  // some RCPT was tried in this transaction (for 554 no valid recipients)
  DataRx rx_;
  std::string size_keyword_;   // "SIZE <max_message_size>" for the EHLO reply
  std::string shown_;          // "<address>" of the MAIL/RCPT being answered (reused buffer)

  AuthStep auth_step_ = AuthStep::None;
  bool answering_ = false;     // replies now answer the last received line (see record_rx)
  std::string auth_mech_;
  std::string auth_user_pending_;  // LOGIN user name between the two prompts

  std::string in_;             // unprocessed input from in_pos_ on (DATA input bypasses it when nothing waits)
  std::size_t in_pos_ = 0;
  bool discarding_ = false;    // inside an over-long line: drop until CRLF
  bool discard_cr_ = false;    // the last dropped octet was CR

  EngineOutput stage_;         // output of the current step
  EngineOutput ready_;         // what take_output() hands out
  EngineOutput held_;          // output held by the tarpit
  SimTime hold_until_ = kNever;
  SimTime idle_deadline_ = kNever;
  bool opened_ = false;
  bool greeting_sent_ = false;  // the greeting left the hold (for the pre-greeting check)
  bool pregreet_ = false;       // input arrived before the greeting was sent

  int errors_ = 0;
  std::uint64_t accepted_ = 0;
};

}  // namespace smtpsim::smtp
