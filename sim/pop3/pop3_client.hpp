// pop3_client.hpp - the POP3 client engine: what a recipient's mail program does in one session.
//
// One Client object per connection (smtpsim::Engine: no I/O, no clock). The dialogue:
//   greeting -> CAPA -> [STLS -> TLS -> CAPA] -> login (USER/PASS, APOP or AUTH PLAIN) -> STAT ->
//   UIDL -> RETR each message whose UIDL is not in the persistent "seen" set -> DELE (unless the
//   account leaves mail on the server) -> QUIT.
// What the client remembers between sessions lives in ClientState, owned by the caller (the mail
// client role keeps it and polls on its virtual-time interval); a session adds the UIDLs it
// fetched, and forgets UIDLs the server no longer lists.
// Safety rules: a DELE is sent only after the message's RETR succeeded (or for a message fetched in
// an earlier session); commands are pipelined only in the fetch phase and only when the server
// lists PIPELINING; nothing is sent between STLS's +OK and the TLS handshake.
#pragma once
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/time.hpp"
#include "sim/pop3/pop3_command.hpp"

namespace smtpsim::pop3 {

enum class TlsPolicy : unsigned char {
  None,           // never STLS
  Opportunistic,  // STLS when CAPA lists it, else carry on in plaintext
  Required,       // STLS or give up (QUIT) before sending any credentials
};
enum class AuthMethod : unsigned char {
  UserPass,   // USER name, PASS secret
  Apop,       // APOP name md5(timestamp secret): needs a timestamp in the greeting
  SaslPlain,  // AUTH PLAIN base64(\0name\0secret) (RFC 5034)
};
const char* to_string(TlsPolicy p);
const char* to_string(AuthMethod m);

// ClientConfig - the account and the client's habits.
struct ClientConfig {
  std::string user;
  std::string password;
  AuthMethod auth = AuthMethod::UserPass;
  TlsPolicy tls = TlsPolicy::None;
  bool tls_active = false;          // the connection starts inside TLS (pop3s, port 995)
  bool leave_on_server = true;      // false: DELE what was fetched
  bool use_capa = true;             // ask CAPA after the greeting (and again after TLS)
  bool pipelining = true;           // pipeline RETR/DELE when the server lists PIPELINING
  std::size_t pipeline_window = 16; // commands in flight at most
  std::size_t max_messages = 0;     // new messages fetched per session (0 = all)
  std::uint64_t max_message_bytes = 64ull << 20;  // a bigger message is not stored (error)
  Duration timeout = minutes(5);    // waiting for a response (or the greeting) this long -> give up
};

// ClientState - what the mail program keeps between sessions.
struct ClientState {
  std::set<std::string, std::less<>> seen;  // UIDLs already downloaded
  std::uint64_t sessions = 0;               // sessions started with this state
};

// FetchedMessage - one downloaded message.
struct FetchedMessage {
  std::size_t number = 0;  // message number in that session
  std::string uidl;        // "" when the server has no UIDL
  std::string raw;         // the message with CRLF line ends, dot-stuffing removed
};

// ClientResult - what the session achieved.
struct ClientResult {
  bool ok = false;               // ended with QUIT answered +OK
  bool logged_in = false;
  bool tls = false;              // the session ran inside TLS (STLS or implicit)
  std::uint64_t stat_count = 0;  // STAT: messages in the maildrop
  std::uint64_t stat_octets = 0;
  std::vector<FetchedMessage> messages;  // downloaded in this session, in order
  std::uint64_t skipped = 0;     // listed but already seen (left on the server)
  std::uint64_t deleted = 0;     // DELE accepted and committed by QUIT's +OK
  std::vector<std::string> errors;
  std::string last_code;         // RFC 2449 response code of the last -ERR ("AUTH", "IN-USE", ...)
  std::vector<std::string> capabilities;  // the last CAPA listing
};

class Client final : public Engine {
 public:
  // Client - one session for cfg's account, reading and updating state (which must outlive it).
  Client(ClientConfig cfg, ClientState& state);

  void on_open(SimTime now) override;
  void on_bytes(std::string_view bytes, SimTime now) override;
  void on_tls(const TlsInfo& info, SimTime now) override;
  void on_timer(SimTime now) override;
  void on_closed(SimTime now) override;
  SimTime deadline() const override;
  EngineOutput take_output() override { return std::exchange(out_, EngineOutput{}); }
  bool finished() const override { return done_; }

  const ClientResult& result() const { return result_; }
  const ClientConfig& config() const { return cfg_; }

 private:
  enum class Op : unsigned char { Greeting, Capa, Stls, User, Pass, Apop, Auth, Stat, Uidl, Retr, Dele, Quit };
  struct Pending {
    Op op;
    std::size_t number = 0;  // message number for RETR/DELE
    std::string uidl;
  };
  struct Work {
    Op op;  // Retr or Dele
    std::size_t number;
    std::string uidl;
  };

  std::size_t consume(std::string_view data, SimTime now);
  void on_status(std::string_view line, SimTime now);
  void on_block_done(SimTime now);
  void start_login();
  void after_capa();
  void after_login();
  void plan_fetch(const std::vector<std::pair<std::size_t, std::string>>& listing);
  void pump();
  void send(Op op, std::string_view line, std::size_t number = 0, std::string uidl = {});
  void quit();
  void fail(std::string_view why);
  void note(std::string_view text, ProtoEvent::Kind kind = ProtoEvent::Kind::Note);
  void abort(std::string_view why);
  bool has_cap(std::string_view name) const;

  ClientConfig cfg_;
  ClientState& state_;
  ClientResult result_;
  EngineOutput out_;

  std::deque<Pending> pending_;
  std::deque<Work> work_;
  std::string in_;
  std::string timestamp_;
  bool caps_known_ = false;
  bool pipelining_ = false;      // the server listed PIPELINING (and the config allows it)
  bool tls_active_ = false;
  bool awaiting_tls_ = false;
  bool quitting_ = false;
  bool done_ = false;
  bool in_block_ = false;        // reading a multi-line body
  Pending block_for_{Op::Greeting, 0, {}};
  std::string block_;            // listing bodies (CAPA, UIDL)
  DotReader reader_;
  FetchedMessage current_;       // the RETR being received
  std::uint64_t dele_ok_ = 0;
  std::size_t new_taken_ = 0;
  SimTime last_io_ = 0;
};

}  // namespace smtpsim::pop3
