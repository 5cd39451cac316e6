// mail_address.hpp - RFC 5321 mailboxes (local@domain), SMTP paths (<...>, <>, <Postmaster>), limits.
//
// An Address keeps the local part in its unquoted (semantic) form and the domain as written.
// Comparison follows RFC 5321 2.4: the domain is case-insensitive, the local part is preserved
// and compared exactly, except "postmaster", which is case-insensitive everywhere.
// Only US-ASCII is accepted (no SMTPUTF8): a non-ASCII byte is reported as AddressError::NonAscii.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::mail {

inline constexpr std::size_t kMaxLocalPart = 64;   // RFC 5321 4.5.3.1.1, octets as written
inline constexpr std::size_t kMaxDomain = 255;     // RFC 5321 4.5.3.1.2
inline constexpr std::size_t kMaxPath = 256;       // RFC 5321 4.5.3.1.3, including "<" and ">"
inline constexpr std::size_t kMaxLabel = 63;       // RFC 1035 2.3.4

enum class AddressError : unsigned char {
  None,
  Empty,              // nothing at all
  MissingAt,          // no "@" separating local part and domain
  EmptyLocalPart,     // "@domain"
  BadLocalPart,       // not a Dot-string or Quoted-string
  LocalPartTooLong,   // > 64 octets
  EmptyDomain,        // "local@"
  BadDomain,          // label syntax (letters, digits, inner hyphens), empty label, trailing dot
  LabelTooLong,       // a label > 63 octets
  DomainTooLong,      // > 255 octets
  BadAddressLiteral,  // "[...]" that is not IPv4, IPv6: or a general literal
  NonAscii,           // 8-bit byte (SMTPUTF8 is not supported)
  MissingBrackets,    // a path without "<" ">"
  BadSourceRoute,     // "<@a,@b:user@c>" with a malformed route
  PathTooLong,        // > 256 octets
  NullNotAllowed,     // "<>" where a forward path is required
};

// describe - a short human explanation of an AddressError ("local part longer than 64 octets").
std::string_view describe(AddressError e);

struct AddressResult;

class Address {
 public:
  // Address - the null reverse path "<>" (is_null() is true).
  Address() = default;

  // parse - one RFC 5321 Mailbox "local@domain" without angle brackets.
  static AddressResult parse(std::string_view text);
  // make - an address from parts already known to be valid (tests, configuration); no checks.
  static Address make(std::string local, std::string domain);
  // postmaster - the bare "<Postmaster>" recipient of RFC 5321 4.1.1.3 (no domain).
  static Address postmaster();

  const std::string& local() const { return local_; }    // unquoted local part
  const std::string& domain() const { return domain_; }  // as written: "B.Example", "[192.0.2.1]"

  // is_null - the null reverse path "<>" (used by bounces).
  bool is_null() const { return local_.empty() && domain_.empty(); }
  // is_postmaster - local part "postmaster" in any case, with or without a domain.
  bool is_postmaster() const;
  // is_address_literal - the domain is "[...]".
  bool is_address_literal() const { return !domain_.empty() && domain_.front() == '['; }

  // local_wire - the local part as sent: a Dot-string when possible, else a Quoted-string.
  std::string local_wire() const;
  // str - "local@domain" as sent on the wire; "" for the null path; "Postmaster" for the bare form.
  std::string str() const;
  // path - str() in angle brackets: "<alice@a.example>", "<>".
  std::string path() const { return "<" + str() + ">"; }
  // domain_lower - the domain in lower case (routing, MX lookups).
  std::string domain_lower() const;
  // key - a canonical key for maps and equality: local + "@" + lower(domain), postmaster lowered.
  std::string key() const;

  friend bool operator==(const Address& a, const Address& b) { return a.key() == b.key(); }
  friend bool operator!=(const Address& a, const Address& b) { return !(a == b); }

 private:
  std::string local_;
  std::string domain_;
};

// AddressResult - an Address or the reason it was rejected.
struct AddressResult {
  std::optional<Address> address;
  AddressError error = AddressError::None;
  explicit operator bool() const { return error == AddressError::None; }
};

// PathResult - a path parsed from an SMTP command argument.
struct PathResult {
  std::optional<Address> address;
  AddressError error = AddressError::None;
  explicit operator bool() const { return error == AddressError::None; }
};

// parse_reverse_path - MAIL FROM argument: "<>" or "<[@route,...:]local@domain>".
// With require_brackets = false a bare "local@domain" is accepted too (Postfix-style leniency).
PathResult parse_reverse_path(std::string_view text, bool require_brackets = true);
// parse_forward_path - RCPT TO argument: "<Postmaster>" (any case) or "<[@route:]local@domain>".
PathResult parse_forward_path(std::string_view text, bool require_brackets = true);

// check_domain - RFC 5321 Domain (sub-domain *("." sub-domain)), length limits included.
AddressError check_domain(std::string_view domain);
// check_address_literal - "[192.0.2.1]", "[IPv6:2001:db8::1]", "[tag:content]".
AddressError check_address_literal(std::string_view literal);
// is_dot_string - RFC 5321 Dot-string (atoms separated by single dots).
bool is_dot_string(std::string_view s);
// is_atext - RFC 5322 atext, the characters of an Atom (also ORCPT's addr-type in RCPT).
bool is_atext(char c);
// is_quoted_string - RFC 5321 Quoted-string, quotes included: DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE.
bool is_quoted_string(std::string_view s);
// is_mailbox - RFC 5321 Mailbox: (Dot-string / Quoted-string, <= 64 octets) "@" Domain; the one
// test of an address that the SMTP server, the lesson loader and Address::parse all apply.
bool is_mailbox(std::string_view s);
// header_addresses - the addr-specs of an RFC 5322 address-list header value (From, To, Cc):
// "Alice <a@x>, b@y (Bob), team: c@z, d@z;" -> {"a@x", "b@y", "c@z", "d@z"}. Display names,
// comments and group names are dropped; a source route inside <> is removed. Elements are returned
// as written (an element without "@" is returned too, for validation to flag).
std::vector<std::string> header_addresses(std::string_view value);

// is_ipv4 / is_ipv6 - textual address forms as used inside address literals.
bool is_ipv4(std::string_view s);
bool is_ipv6(std::string_view s);

}  // namespace smtpsim::mail
