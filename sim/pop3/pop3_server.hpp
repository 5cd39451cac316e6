// pop3_server.hpp - the POP3 server engine (RFC 1939 with RFC 2449 CAPA/response codes, RFC 2595
// STLS, RFC 3206 [AUTH]/[SYS/*] codes, RFC 5034 AUTH PLAIN). One object per connection; it does no
// I/O and reads no clock (smtpsim::Engine). The maildrop comes from a mail::MailboxStore, the
// accounts from a mail::Directory; both must outlive the session.
//
// Behaviour in brief:
//  * greeting "+OK <host> POP3 server ready <session.time@host>" (the APOP timestamp);
//  * AUTHORIZATION: USER/PASS, APOP, AUTH PLAIN, STLS, CAPA, QUIT; a successful login locks the
//    maildrop (a second session gets -ERR [IN-USE]) and takes a snapshot of it: message numbers
//    and sizes stay fixed for the session;
//  * TRANSACTION: STAT LIST RETR DELE NOOP RSET TOP UIDL CAPA QUIT; DELE only marks;
//  * UPDATE only on QUIT from TRANSACTION: marked messages are removed, the lock released. A lost
//    connection, autologout or a destroyed engine removes nothing (like Dovecot);
//  * multi-line responses are dot-stuffed; sizes count CRLF line ends;
//  * limits: command lines of 255 octets (RFC 2449), N failed logins, M bad commands, then close;
//    an idle session is closed silently after the autologout time (RFC 1939: at least 10 minutes);
//  * STLS discards anything pipelined after its line; afterwards CAPA no longer lists STLS;
//  * lesson behaviours: slow answers, refused credentials, mailbox in use, [SYS/TEMP], and a
//    lesson's own reply to any command (ServerBehaviour::replies).
// Events: Reply for every status line (code 1 "+OK", 2 "-ERR", text = the line), Data for every
// multi-line body (code = octets on the wire), Note for state changes, Error for bad input.
// Passwords never appear in events.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/time.hpp"
#include "sim/mail/mail_directory.hpp"
#include "sim/mail/mail_mailbox.hpp"
#include "sim/pop3/pop3_catalog.hpp"
#include "sim/pop3/pop3_command.hpp"
#include "sim/pop3/pop3_states.hpp"

namespace smtpsim::pop3 {

// ReplyOverride - a lesson's own answer to one command (ServerBehaviour::replies).
struct ReplyOverride {
  std::string line;  // "+OK ..." / "-ERR ...", sent as it is
  int times = 0;     // answer only the next N such commands (0 = until changed)

  bool refuses() const { return line.rfind("-ERR", 0) == 0; }
};
// ReplyOverrides - by verb in upper case; "CONNECT" is the greeting.
using ReplyOverrides = std::map<std::string, ReplyOverride, std::less<>>;

// ServerBehaviour - faults a lesson can switch on (also mid-session, with set_behaviour).
struct ServerBehaviour {
  Duration response_delay = 0;       // every response, the greeting too, is held this long
  bool reject_credentials = false;   // every login fails: -ERR [AUTH] (as if the password were wrong)
  bool mailbox_in_use = false;       // every login fails: -ERR [IN-USE]
  bool sys_temp = false;             // every login fails: -ERR [SYS/TEMP]
  // Reply overrides, shared by every session of a host (copies of the behaviour share the map),
  // so a change and a `times` count reach sessions already open. -ERR: the command is refused and
  // nothing changes (a refused greeting closes; a refused QUIT closes and removes nothing). +OK:
  // only the words change - the command runs as usual and, when it succeeds, its status line is
  // this one (a greeting keeps its APOP timestamp). `times` counts the commands it answered.
  std::shared_ptr<ReplyOverrides> replies;
};

// ServerConfig - one server's settings (the POP3 host role fills it per connection).
struct ServerConfig {
  std::string host_name = "pop.example";      // in the greeting, the APOP timestamp, sign-off lines
  std::string implementation = "smtpsim";     // CAPA IMPLEMENTATION
  std::uint64_t session_id = 0;               // the connection id: makes the APOP timestamp unique
  bool tls_available = false;                 // STLS offered (the driver can do TLS as a server)
  bool tls_active = false;                    // the session starts inside TLS (pop3s, port 995)
  bool plaintext_needs_tls = false;           // refuse USER/PASS and AUTH PLAIN before TLS
  bool allow_user = true;                     // USER/PASS
  bool allow_apop = true;                     // APOP (the greeting carries a timestamp only then)
  bool allow_sasl_plain = true;               // AUTH PLAIN
  Duration autologout = minutes(10);          // idle time before a silent close (RFC 1939: >= 10 min)
  std::size_t max_line = 255;                 // command line octets including CRLF (RFC 2449)
  std::size_t max_sasl_line = 8192;           // a SASL response line
  std::size_t max_buffered_input = 1u << 20;  // unprocessed input (while answers are held): close beyond
  int max_auth_failures = 3;                  // close after this many failed logins
  int max_bad_commands = 20;                  // close after this many unknown/invalid commands
  Duration auth_failure_delay = 0;            // hold the -ERR of a failed login (Dovecot: 2 s)
  Duration login_delay = 0;                   // RFC 2449 LOGIN-DELAY (needs a LoginTracker)
  ServerBehaviour behaviour;
};

// LoginTracker - when each mailbox last logged in (shared by a host's sessions; LOGIN-DELAY).
class LoginTracker {
 public:
  // last - the time of the last successful login, if any.
  std::optional<SimTime> last(std::string_view mailbox) const;
  // record - a login happened now.
  void record(std::string_view mailbox, SimTime now);

 private:
  std::map<std::string, SimTime, std::less<>> last_;
};

// ServerStats - what the session did (for the role's trace and the tests).
struct ServerStats {
  std::uint64_t retrieved = 0;     // RETR answered +OK
  std::uint64_t deleted = 0;       // messages removed in UPDATE
  int auth_failures = 0;
  int bad_commands = 0;
  std::uint64_t discarded_after_stls = 0;  // plaintext octets dropped after STLS
};

class Server final : public Engine {
 public:
  Server(ServerConfig cfg, const mail::Directory& directory, mail::MailboxStore& store,
         LoginTracker* logins = nullptr);
  // ~Server - releases the maildrop lock if still held (removing nothing).
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void on_open(SimTime now) override;
  void on_bytes(std::string_view bytes, SimTime now) override;
  void on_tls(const TlsInfo& info, SimTime now) override;
  void on_timer(SimTime now) override;
  void on_closed(SimTime now) override;
  SimTime deadline() const override;
  EngineOutput take_output() override;
  bool finished() const override { return state_ == State::Closed && !holding(); }

  State state() const { return state_; }
  bool tls_active() const { return tls_active_; }
  const std::string& timestamp() const { return timestamp_; }  // the APOP timestamp ("" if none)
  const std::string& login() const { return login_; }          // the logged-in user ("" before)
  const std::string& mailbox() const { return mailbox_; }
  const ServerStats& stats() const { return stats_; }
  // set_behaviour - change lesson faults; applies to the next response.
  void set_behaviour(const ServerBehaviour& b) { cfg_.behaviour = b; }

 private:
  struct Msg {
    std::string uid;
    std::uint64_t size = 0;
    bool deleted = false;
  };
  // Input and dispatch.
  void process(SimTime now);
  void reserve_for_retr();
  void handle_line(std::string_view line, SimTime now);
  void record_rx(std::string_view line, bool too_long);
  void handle_sasl(std::string_view line, SimTime now);
  void dispatch(const Command& cmd, const CommandSpec& spec, SimTime now);
  // AUTHORIZATION.
  void cmd_user(const Command& c);
  void cmd_pass(const Command& c, SimTime now);
  void cmd_apop(const Command& c, SimTime now);
  void cmd_auth(const Command& c, SimTime now);
  void cmd_stls(const Command& c);
  void cmd_capa();
  void cmd_quit();
  bool plaintext_refused();
  void login_as(const mail::User& u, SimTime now);
  void auth_failed(std::string_view why);
  // TRANSACTION.
  void cmd_stat();
  void cmd_list(const Command& c);
  void cmd_retr(const Command& c);
  void cmd_dele(const Command& c);
  void cmd_rset();
  void cmd_top(const Command& c);
  void cmd_uidl(const Command& c);
  Msg* message_arg(std::string_view arg, bool allow_deleted = false);
  void update();
  // Output.
  void reply(Reply id, std::initializer_list<smtp::TextVar> vars = {});
  void multiline(Reply id, std::initializer_list<smtp::TextVar> vars, std::string_view body);
  void line_too_long(std::size_t limit);
  void note(std::string_view text, ProtoEvent::Kind kind = ProtoEvent::Kind::Note);
  void status_line(int code, std::string line);
  const ReplyOverride* override_for(std::string_view verb, bool refusing) const;
  std::string use_override(std::string_view verb);
  void refuse_by_override(std::string_view verb);
  void close_now(std::string_view why);
  void release_lock();
  bool holding() const { return hold_until_ != kNever; }
  void finish_response(SimTime now, Duration extra = 0);
  void release_held();
  void set_mark();
  std::uint64_t live_count() const;
  std::uint64_t live_bytes() const;

  ServerConfig cfg_;
  const mail::Directory& dir_;
  mail::MailboxStore& store_;
  LoginTracker* logins_;

  State state_ = State::Authorization;
  bool opened_ = false;
  bool tls_active_ = false;
  bool awaiting_tls_ = false;
  std::string timestamp_;
  std::string pending_user_;     // set by USER, consumed by PASS
  bool have_pending_user_ = false;
  bool in_sasl_ = false;         // AUTH PLAIN waiting for its response line
  bool answering_ = false;       // responses now answer the last received line (record_rx)
  std::string login_;
  std::string mailbox_;
  std::optional<mail::LockToken> lock_;
  std::vector<Msg> drop_;

  std::string in_;               // unconsumed input
  Command cmd_;                  // the command being handled
  std::string ok_override_;      // verb whose +OK override the command's success line takes ("" = none)
  bool discarding_ = false;      // dropping the rest of an over-long line
  SimTime last_activity_ = 0;
  struct Mark {
    std::size_t bytes = 0, events = 0;
    bool start_tls = false, close = false;
  };
  EngineOutput out_;             // ready for the driver; the current response is written here too
  Mark mark_;                    // where the current response starts in out_
  EngineOutput held_;            // a finished response held back (response delay)
  SimTime hold_until_ = kNever;
  Duration pending_extra_delay_ = 0;
  ServerStats stats_;
};

}  // namespace smtpsim::pop3
