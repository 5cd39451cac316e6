// mail_compose.hpp - building new messages the way a mail client would, from a scenario's fields.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/mail/mail_message.hpp"

namespace smtpsim::mail {

// BodyEncoding - how compose() puts the body text on the wire.
enum class BodyEncoding : unsigned char {
  Auto,             // plain ASCII with lines <= 998: as is (no MIME fields); otherwise quoted-printable
  Raw,              // exactly as given (CRLF-normalised), no MIME fields: lessons can send 8-bit or
                    // over-long lines on purpose
  EightBit,         // Content-Transfer-Encoding: 8bit (needs BODY=8BITMIME)
  QuotedPrintable,  // Content-Transfer-Encoding: quoted-printable
  Base64,           // Content-Transfer-Encoding: base64
};

// ComposeSpec - what a scenario says about a new message. Empty fields are left out, so a
// lesson can build a message without Date or Message-ID and show what validation says.
struct ComposeSpec {
  std::string from;                  // "alice@a.example" or "Alice Example <alice@a.example>"
  std::vector<std::string> to;       // same forms
  std::vector<std::string> cc;
  std::string subject;               // UTF-8; RFC 2047-encoded when not ASCII
  std::string date;                  // RFC 5322 date text (MailClock::rfc5322(now)); "" = none
  std::string message_id;            // "<id@host>" (IdGenerator::message_id); "" = none
  std::string body;                  // text with LF or CRLF line ends
  std::optional<std::size_t> body_size;  // a deterministic filler body of exactly this many octets
  BodyEncoding encoding = BodyEncoding::Auto;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // appended in order
};

// compose - the message: From, To, Cc, Subject, Date, Message-ID, then MIME-Version /
// Content-Type / Content-Transfer-Encoding when the body or subject needs MIME, then extras.
Message compose(const ComposeSpec& spec);

// filler_body - `octets` bytes of readable ASCII lines ending CRLF ("Line 000001 of smtpsim filler
// text: ..."), the same for the same size; the last line is shortened to hit the size exactly.
std::string filler_body(std::size_t octets);

// format_mailbox - a header mailbox: "addr" as is; "Name <addr>" with the name quoted when it has
// specials and RFC 2047-encoded when it is not ASCII.
std::string format_mailbox(std::string_view text);

}  // namespace smtpsim::mail
