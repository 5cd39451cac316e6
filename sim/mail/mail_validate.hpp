// mail_validate.hpp - RFC 5322 basics checked on a message, as a list a lesson can show.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/mail_message.hpp"

namespace smtpsim::mail {

// Problem - one finding about a message.
struct Problem {
  enum class Severity : unsigned char { Error, Warning };
  Severity severity = Severity::Error;
  std::string field;  // header name ("Date"), "line 12", "body", "message"
  std::string text;   // plain language: what is wrong and why it matters
  std::string rfc;    // "RFC 5322 3.6"
};

// validate - Date and From exactly once (parseable, with an address), Message-ID present and
// well formed, Sender when From has several mailboxes, single-instance fields not repeated,
// lines <= 998, no NUL or bare CR/LF, 8-bit content declared, header section properly ended.
std::vector<Problem> validate(const Message& m);

// has_errors - any Problem of severity Error.
bool has_errors(const std::vector<Problem>& problems);

// is_msg_id - "<id-left@id-right>" (dot-atom-text or a [no-fold-literal] on the right).
bool is_msg_id(std::string_view value);

}  // namespace smtpsim::mail
