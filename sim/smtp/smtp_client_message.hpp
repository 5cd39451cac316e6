// smtp_client_message.hpp - what the SMTP client engine is asked to send, and what became of it.
//
// A driver (MUA or MTA role) hands the client engine OutgoingMessages and later drains one
// MessageResult per message: per recipient delivered (2xx after the final "."), deferred (4xx or
// a local temporary failure) or failed (5xx or a local permanent failure), with the reply that
// decided it and the stage of the dialogue where that happened.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/smtp/smtp_reply_parser.hpp"

namespace smtpsim::smtp {

// DSN NOTIFY flags (RFC 3461 4.1); 0 = do not send NOTIFY.
enum NotifyFlags : unsigned {
  kNotifyNever = 1,
  kNotifySuccess = 2,
  kNotifyFailure = 4,
  kNotifyDelay = 8,
};

// Recipient - one forward path and its DSN parameters (sent only when the server offers DSN).
struct Recipient {
  std::string address;  // "user@example.org" (no angle brackets)
  unsigned notify = 0;  // NotifyFlags; NEVER must stand alone
  std::string orcpt;    // original recipient "rfc822;user@example.org" (address part xtext-encoded on the wire), or ""
};

// BodyType - the MAIL BODY= parameter (RFC 6152); sent only when the server offers 8BITMIME.
enum class BodyType : unsigned char { Unspecified, SevenBit, EightBitMime };

// DsnRet - the MAIL RET= parameter (RFC 3461 4.3).
enum class DsnRet : unsigned char { Unspecified, Full, Headers };

// OutgoingMessage - one message for one SMTP transaction.
struct OutgoingMessage {
  std::string id;                     // the driver's name for it (queue id); echoed in the result
  std::string reverse_path;           // "sender@example.org"; "" = the null path <> (bounces)
  std::vector<Recipient> recipients;
  std::string data;                   // RFC 5322 message, CRLF line ends (bare CR/LF are normalised)
  BodyType body = BodyType::Unspecified;
  DsnRet ret = DsnRet::Unspecified;
  std::string envid;                  // DSN ENVID (xtext-encoded on the wire), "" = none
  std::optional<std::uint64_t> size;  // SIZE= to declare; default: the data's size in octets
  // raw - send `data` without repairing line ends: bare CR/LF go out as they are, only lines that
  // begin after a CRLF are dot-stuffed (append_raw_body, smtp_client_raw.hpp). Hostile input for
  // lessons (SMTP smuggling); never set by the roles' normal paths.
  bool raw = false;
};

// Outcome - what happened to one recipient.
enum class Outcome : unsigned char { Delivered, Deferred, Failed };

// Stage - where in the dialogue the outcome was decided.
enum class Stage : unsigned char {
  Connect,         // the connection could not be made
  Greeting,        // the server's 220 (or refusal) greeting
  Ehlo,            // EHLO / HELO
  StartTls,        // STARTTLS or the TLS handshake (also "TLS required but not offered")
  Auth,            // AUTH
  Mail,            // MAIL FROM (also local checks: SIZE too big, 8BITMIME missing)
  Rcpt,            // RCPT TO
  Data,            // the DATA command itself
  EndOfData,       // the reply to the final "."
  Timeout,         // no reply in time (the reply text says to what)
  ConnectionLost,  // the connection dropped before the outcome was known
};

const char* to_string(Outcome o);  // "delivered" / "deferred" / "failed"
const char* to_string(Stage s);    // "connect", "greeting", "EHLO", ..., "end-of-data", "timeout", "connection lost"

// RecipientResult - the final word on one recipient.
struct RecipientResult {
  std::string address;
  Outcome outcome = Outcome::Deferred;
  Stage stage = Stage::Connect;
  Reply reply;         // the server reply that decided it; for local decisions code 0 + enhanced + text
  bool local = false;  // true when the client decided without a server reply (timeout, TLS required, ...)
};

// MessageResult - the final word on one message; one per enqueued message, always.
struct MessageResult {
  std::uint64_t seq = 0;  // as returned by SmtpClient::enqueue
  std::string id;         // OutgoingMessage::id
  std::vector<RecipientResult> recipients;

  // count - recipients with outcome o.
  std::size_t count(Outcome o) const;
};

}  // namespace smtpsim::smtp
