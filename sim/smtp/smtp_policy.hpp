// smtp_policy.hpp - what an SMTP server role (MSA, MTA, MX) tells the server engine: which domains
// are local, which recipients exist, who may relay, whose password is right, and where finished
// messages go. Plus the failure-lesson switches (ServerBehaviour) and the greylist memory.
//
// The engine owns the protocol and picks the standard replies from the catalogue:
//   RCPT to a local domain, unknown user      -> 550 5.1.1 (recipient_exists() == false)
//   RCPT to a foreign domain, no relay right  -> 554 5.7.1 Relay access denied (may_relay() == false)
//   AUTH with wrong credentials               -> 535 5.7.8 (check_credentials() == false)
//   "." after a stored message                -> 250 2.0.0 Ok: queued as <id> (accept_message())
// The role answers synchronously. A role that needs more (a sender check, a per-recipient rule)
// overrides check_sender() / check_recipient() and returns the reply to send.
//
// Order of checks at RCPT: recipient limit (452 4.5.3), behaviour.reject_recipient, <postmaster>
// (always accepted), local domain -> recipient_exists / else may_relay, check_recipient(),
// greylisting (not for authenticated or relay-permitted clients), 250 2.1.5.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/smtp/smtp_command.hpp"
#include "sim/smtp/smtp_greylist.hpp"

namespace smtpsim::smtp {

// ServerReply - a reply picked by a role or a scenario ("550 5.7.1 spam"). Empty parts are filled
// by the engine: enhanced "" -> "<class>.0.0" (none for a greeting); text "" -> the catalogue's
// text for (code, enhanced), else for code, else "Error".
struct ServerReply {
  int code = 0;
  std::string enhanced;
  std::string text;
  int times = 0;  // as a behaviour override: answer only the next N such commands (0 = until changed)

  // refuses - a 4xx/5xx reply (as an override: the command is refused, nothing changes).
  bool refuses() const { return code >= 400; }
};

// use_override - one use of a behaviour override: the reply to send (nullopt when none is set);
// an override with `times` counts down and is removed after its last use.
inline std::optional<ServerReply> use_override(std::optional<ServerReply>& o) {
  if (!o) return std::nullopt;
  std::optional<ServerReply> r = o;
  if (o->times > 0 && --o->times == 0) o.reset();
  return r;
}

// SessionFacts - what the engine knows about the session; handed to every policy call and used
// by the role to write the Received: header (RFC 5321 4.4) of an accepted message.
struct SessionFacts {
  std::string server_name;   // our host name (ServerConfig::hostname)
  std::string client_ip;     // "192.0.2.10"
  std::string client_name;   // the client's reverse-DNS name, "" = unknown
  std::string helo;          // EHLO/HELO argument, "" before it
  bool esmtp = false;        // the client said EHLO (not HELO)
  bool tls = false;          // STARTTLS completed
  std::string tls_version;   // "TLSv1.3"
  std::string tls_cipher;    // "TLS_AES_256_GCM_SHA384"
  std::string auth_user;     // authenticated user, "" = none
  std::string auth_mechanism;  // "PLAIN" / "LOGIN"
  SimTime connected_at = 0;
  SimTime now = 0;           // the virtual time of the current call

  // protocol - the Received "with" keyword (RFC 3848): SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA.
  std::string protocol() const {
    if (!esmtp) return "SMTP";
    std::string p = "ESMTP";
    if (tls) p += 'S';
    if (!auth_user.empty()) p += 'A';
    return p;
  }
};

// Envelope - the transaction: MAIL FROM and the accepted recipients, in order.
struct Envelope {
  MailFrom mail;
  std::vector<RcptTo> rcpts;
};

// AcceptResult - the role's answer to accept_message. Stored: a non-empty queue_id (the engine
// sends 250 only now). Not stored: `error` (a 4xx/5xx). Neither: 451 4.3.0 local error.
struct AcceptResult {
  std::string queue_id;
  std::optional<ServerReply> error;

  static AcceptResult stored(std::string id) { return AcceptResult{std::move(id), std::nullopt}; }
  static AcceptResult refused(ServerReply r) { return AcceptResult{{}, std::move(r)}; }
};

// ServerBehaviour - switches for failure lessons. A plain struct: a scenario fills it and may
// change it at any time; the engine reads it at every decision.
//
// Reply overrides (the std::optional<ServerReply> members) answer one command, once the state
// table allows it there and its syntax is right:
//  * a refusal (4xx/5xx) is sent instead of carrying the command out: nothing in the session
//    changes, and a 421 also closes the connection (RFC 5321 3.8);
//  * a positive reply (2xx/3xx) changes only the words: the command runs its normal checks, and
//    when it succeeds this reply goes out instead of the usual one (a refusal the checks make
//    stays a refusal: an override never makes the server take mail it would refuse). No enhanced
//    code is added to a greeting, an EHLO/HELO reply or a 354 (RFC 2034).
// An override with `times` counts only the commands it answered.
struct ServerBehaviour {
  // The greeting. 2xx: the normal session with these words. 421: sent and the connection
  // closed; any other refusal (554) is sent and then only QUIT is accepted (503 to everything
  // else, RFC 5321 3.1).
  std::optional<ServerReply> refuse_connection;
  // This command is answered "421 4.3.2 <host> Service not available" and the connection closed.
  Verb close_at = Verb::None;
  // The server is shutting down (RFC 5321 3.8): the next command of every open session but QUIT
  // is answered like close_at. (New sessions: refuse_connection with 421.)
  bool shutting_down = false;
  // EHLO / HELO. A positive EHLO override replaces the first line; the extension lines follow it.
  std::optional<ServerReply> ehlo;
  std::optional<ServerReply> helo;
  // MAIL FROM (after syntax checks) answered with this.
  std::optional<ServerReply> reject_sender;
  // RCPT TO answered with this; only for reject_recipient_match (case-insensitive) if not "".
  std::optional<ServerReply> reject_recipient;
  std::string reject_recipient_match;
  // A complete AUTH exchange answered with this instead of checking credentials (535, 454 ...);
  // a positive one (235) is the reply to credentials that check out.
  std::optional<ServerReply> reject_auth;
  // The DATA command itself: a refusal instead of the 354 (no message is read), or the 354's words.
  std::optional<ServerReply> data;
  // The final reply after "." (the message is read and discarded), e.g. 554 5.7.1 spam; a
  // positive one is the reply to a message that was stored ("{id}" in its text: the queue id).
  std::optional<ServerReply> reject_data;
  // RSET, NOOP, VRFY, STARTTLS. A refused STARTTLS leaves the session in plaintext. QUIT always
  // ends the session: its override is only the reply sent before the connection closes.
  std::optional<ServerReply> rset;
  std::optional<ServerReply> noop;
  std::optional<ServerReply> vrfy;
  std::optional<ServerReply> starttls;
  std::optional<ServerReply> quit;
  // MAIL FROM answered 452 4.3.1 Insufficient system storage.
  bool storage_full = false;
  // Greylisting at RCPT: 451 4.7.1 until the same (client ip, sender, recipient) retries after
  // greylist_config.delay (postgrey).
  bool greylist = false;
  GreylistConfig greylist_config;
  // Tarpit: every reply (greeting included) is held this long before it is sent; the engine reads
  // no further commands meanwhile (like a server that sleeps before answering).
  Duration tarpit = 0;
  // Drop the connection (no reply) once the message data reaches this many octets, or at the
  // final "." if the message is shorter: the client never learns whether the message arrived.
  std::optional<std::uint64_t> drop_in_data;
};

// ServerPolicy - implemented by the roles. One object per server host: its `greylist` outlives
// connections. Calls are synchronous.
class ServerPolicy {
 public:
  virtual ~ServerPolicy() = default;

  // is_local_domain - mail for this domain is delivered here (compare case-insensitively;
  // address literals such as "[192.0.2.1]" arrive as written).
  virtual bool is_local_domain(std::string_view domain) = 0;
  // recipient_exists - a local address ("bob@b.example") has a mailbox; false -> 550 5.1.1.
  virtual bool recipient_exists(std::string_view address) = 0;
  // may_relay - this session may send to domains that are not local (authenticated user, trusted
  // network ...); false -> 554 5.7.1 Relay access denied.
  virtual bool may_relay(const SessionFacts& s) = 0;
  // check_credentials - AUTH PLAIN / LOGIN: true when user and password match.
  virtual bool check_credentials(std::string_view user, std::string_view password) = 0;
  // check_sender - extra MAIL FROM rule (e.g. 553 5.7.1 sender not owned by the user); nullopt = accept.
  virtual std::optional<ServerReply> check_sender(const SessionFacts&, const MailFrom&) { return std::nullopt; }
  // check_recipient - extra RCPT rule after the standard ones; nullopt = accept.
  virtual std::optional<ServerReply> check_recipient(const SessionFacts&, const Envelope&, const RcptTo&) {
    return std::nullopt;
  }
  // accept_message - the message is complete (dot-unstuffed, CRLF line ends, exactly as received:
  // the role prepends Received: from `s`). Store it and return its queue id, or refuse.
  virtual AcceptResult accept_message(const SessionFacts& s, const Envelope& env, std::string message) = 0;

  ServerBehaviour behaviour;
  Greylist greylist;
};

}  // namespace smtpsim::smtp
