// mail_dsn.hpp - RFC 3464 delivery status notifications (bounces, delay warnings, success notices).
//
// A DSN goes from MAILER-DAEMON@<reporting host> to the original envelope sender, with
// MAIL FROM:<> so it can never be bounced in turn. Its body is multipart/report
// (RFC 6522, report-type=delivery-status) with three parts:
//   1. text/plain: what happened, in plain language (recipient, what the far server said, how long
//      it was tried, what to do);
//   2. message/delivery-status: Reporting-MTA, Arrival-Date, Original-Envelope-Id; per recipient
//      Original-Recipient (only with ORCPT), Final-Recipient, Action, Status, Remote-MTA,
//      Diagnostic-Code, Last-Attempt-Date, Will-Retry-Until (delayed only);
//   3. the original: message/rfc822 (RET=FULL) or text/rfc822-headers (RET=HDRS).
// Return policy (documented choice, Postfix' behaviour): a failure DSN returns the full message
// unless RET=HDRS, or unless the original is larger than return_size_limit (Postfix
// bounce_size_limit, 50000 bytes), in which case only its headers are returned and the text says
// so. Delay and success DSNs return only the headers (RFC 3461 4.3).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/mail/mail_date.hpp"
#include "sim/mail/mail_envelope.hpp"
#include "sim/mail/mail_message.hpp"

namespace smtpsim::mail {

enum class DsnAction : unsigned char { Failed, Delayed, Delivered, Relayed, Expanded };
// to_string - "failed", "delayed", "delivered", "relayed", "expanded".
std::string_view to_string(DsnAction a);
// parse_dsn_action - the inverse (case-insensitive); nullopt if unknown.
std::optional<DsnAction> parse_dsn_action(std::string_view text);
// should_notify - the recipient's NOTIFY asks for a DSN with this action (Failed: FAILURE or
// unset; Delayed: DELAY or unset; Delivered/Relayed/Expanded: SUCCESS).
bool should_notify(const Recipient& r, DsnAction a);

// status_meaning - plain-language meaning of an enhanced status code ("5.1.1" -> "the receiving
// server says this mailbox does not exist"); falls back to the class and subject.
std::string status_meaning(std::string_view status);
// status_advice - what the sender can do about it.
std::string status_advice(std::string_view status, DsnAction action);

// DsnRecipientReport - the outcome for one recipient.
struct DsnRecipientReport {
  Recipient recipient;          // address, ORCPT, NOTIFY as given in the original envelope
  DsnAction action = DsnAction::Failed;
  std::string status;           // "5.1.1" (RFC 3463)
  std::string remote_mta;       // the server that answered ("" if none was reached)
  std::string remote_ip;        // its address, for the text
  std::string diagnostic;       // its reply, e.g. "550 5.1.1 <bob@b.example>: User unknown"
                                // (multi-line replies joined with spaces)
  std::string smtp_command;     // the command it answered: "RCPT TO", "MAIL FROM", "end of DATA"
  std::string reason;           // a local reason when no server replied: "connect to
                                // mx.c.example[192.0.2.30]:25: Connection timed out"
  std::optional<SimTime> last_attempt;
  std::optional<SimTime> will_retry_until;  // Delayed only
  int attempts = 0;             // 0 = not shown
};

// DsnReport - everything build_dsn needs besides the original envelope and message.
struct DsnReport {
  std::string reporting_mta;       // this host's name
  MailClock clock;                 // for all dates
  SimTime now = 0;                 // when the DSN is made
  SimTime arrival = 0;             // when the original was accepted here
  std::string queue_id;            // the original's queue id here (text, boundary)
  std::string message_id;          // the DSN's own Message-ID ("" = derived from queue id/time)
  std::string received_from_mta;   // optional: "client.a.example ([192.0.2.10])"
  std::vector<DsnRecipientReport> recipients;
  std::size_t return_size_limit = 50000;  // 0 = no limit
};

// Dsn - the notification ready to queue: its envelope and its message.
struct Dsn {
  Envelope envelope;   // MAIL FROM:<>, RCPT TO:<original sender>, BODY=8BITMIME if needed
  Message message;
};

// build_dsn - the notification, or nullopt when none may be sent: the original is itself a bounce
// (null reverse path), or no recipient's NOTIFY asks for this report (recipients whose NOTIFY
// excludes their action are left out).
std::optional<Dsn> build_dsn(const DsnReport& report, const Envelope& original_env, const Message& original);

// dsn_human_text - the plain-language first part for these recipients (ASCII, CRLF line ends,
// lines <= 76 columns); `attached` says what part 3 holds ("A copy of your message is attached").
std::string dsn_human_text(const DsnReport& report, const std::vector<DsnRecipientReport>& shown,
                           std::string_view attached);
// human_duration - "4 hours", "1 hour 30 minutes", "2 days 3 hours", "45 seconds".
std::string human_duration(Duration d);

// dsn_boundary - Postfix-style "<queue id>.<unix time>/<host>", extended until it does not occur
// in `content`.
std::string dsn_boundary(std::string_view queue_id, std::int64_t unix_seconds, std::string_view host,
                         std::string_view content);

// ---- reading a DSN back (tests, the lesson checker, the visualizer) ----

using DsnFields = std::vector<std::pair<std::string, std::string>>;

// ParsedDsnRecipient - one per-recipient block of message/delivery-status.
struct ParsedDsnRecipient {
  DsnFields fields;                 // every field in order (unfolded values)
  std::string original_recipient;   // the address after "rfc822;" ("" if absent)
  std::string final_recipient;      // the address after "rfc822;"
  std::optional<DsnAction> action;
  std::string status;
  std::string remote_mta;           // after "dns;"
  std::string diagnostic_code;      // the whole value, e.g. "smtp; 550 5.1.1 ..."
  std::string last_attempt_date;
  std::string will_retry_until;
  // field - a field's value by name ("" if absent).
  std::string field(std::string_view name) const;
};

// ParsedDsn - a multipart/report delivery-status message taken apart.
struct ParsedDsn {
  std::string boundary;
  std::string human_text;           // the first part's body
  DsnFields message_fields;         // per-message fields
  std::string reporting_mta;        // after "dns;"
  std::string arrival_date;
  std::string original_envelope_id;
  std::vector<ParsedDsnRecipient> recipients;
  std::string returned_type;        // "message/rfc822", "text/rfc822-headers", or "" (none)
  std::string returned;             // that part's body bytes
  // find - the block whose Final-Recipient (or Original-Recipient) is this address.
  const ParsedDsnRecipient* find(std::string_view address) const;
};

// parse_dsn - nullopt (and *error set) if the message is not a delivery-status report.
std::optional<ParsedDsn> parse_dsn(const Message& m, std::string* error = nullptr);

}  // namespace smtpsim::mail
