// mail_envelope.hpp - the SMTP envelope (reverse path, recipients, DSN/SIZE/BODY parameters) and
// the ESMTP parameter values of MAIL FROM / RCPT TO: parsing, checking, formatting.
//
// RFC 1870 SIZE, RFC 6152 BODY, RFC 3461 DSN (RET, ENVID, NOTIFY, ORCPT, xtext), RFC 6531
// SMTPUTF8 (flag only), RFC 4954 AUTH=. Errors carry the reply a server should give.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/mail_address.hpp"

namespace smtpsim::mail {

// Notify - RCPT NOTIFY=: "NEVER" or any of SUCCESS, FAILURE, DELAY.
struct Notify {
  bool never = false;
  bool success = false;
  bool failure = false;
  bool delay = false;
  bool operator==(const Notify&) const = default;
};
// parse_notify - "NEVER" alone, or a comma list of SUCCESS/FAILURE/DELAY (any case, each once).
std::optional<Notify> parse_notify(std::string_view value);
// format_notify - "NEVER" or "SUCCESS,FAILURE,DELAY" (in that order).
std::string format_notify(const Notify& n);

// OriginalRecipient - ORCPT=addr-type;xtext, kept decoded.
struct OriginalRecipient {
  std::string type = "rfc822";
  std::string address;
  bool operator==(const OriginalRecipient&) const = default;
};
// parse_orcpt - "rfc822;bob+2Bx@b.example" -> {rfc822, "bob+x@b.example"}; nullopt if malformed.
std::optional<OriginalRecipient> parse_orcpt(std::string_view value);
// format_orcpt - "rfc822;" + xtext(address).
std::string format_orcpt(const OriginalRecipient& o);

// xtext_encode - RFC 3461 4: printable ASCII except '+' and '=' as is, everything else "+XX".
std::string xtext_encode(std::string_view raw);
// xtext_decode - inverse; nullopt on a bad "+XX" (upper-case hex required) or a forbidden char.
std::optional<std::string> xtext_decode(std::string_view xtext);

enum class Ret : unsigned char { Unspecified, Full, Hdrs };
enum class BodyType : unsigned char { Unspecified, SevenBit, EightBitMime, BinaryMime };
std::string_view to_string(Ret r);        // "" / "FULL" / "HDRS"
std::string_view to_string(BodyType b);   // "" / "7BIT" / "8BITMIME" / "BINARYMIME"

inline constexpr std::size_t kMaxEnvid = 100;  // RFC 3461 4.4: ENVID at most 100 characters (xtext)

// Recipient - one RCPT TO with its DSN parameters.
struct Recipient {
  Address address;
  std::optional<Notify> notify;            // unset: "FAILURE (and maybe DELAY)" by default
  std::optional<OriginalRecipient> orcpt;
};

// Envelope - one message transaction.
struct Envelope {
  Address reverse_path;                   // null (<>) for bounces and other notifications
  std::vector<Recipient> recipients;
  Ret ret = Ret::Unspecified;
  std::string envid;                      // decoded ENVID ("" = none)
  std::optional<std::uint64_t> size;      // declared SIZE=
  BodyType body = BodyType::Unspecified;
  bool smtputf8 = false;
  std::optional<std::string> auth;        // decoded AUTH= mailbox ("<>" = unknown submitter)
};

// is_bounce - the reverse path is null: a DSN or other notification that must never itself be
// bounced (RFC 5321 4.5.5, 6.1).
bool is_bounce(const Envelope& e);
// wants_success / wants_failure / wants_delay - the recipient's NOTIFY asks for this DSN
// (unset NOTIFY: failure yes, delay yes (the MTA's choice; Postfix and Sendmail warn), success no).
bool wants_success(const Recipient& r);
bool wants_failure(const Recipient& r);
bool wants_delay(const Recipient& r);

// EsmtpParam - one "KEYWORD[=value]" of a MAIL/RCPT command.
struct EsmtpParam {
  std::string keyword;  // as written
  std::string value;
  bool has_value = false;
};
// split_esmtp_params - "SIZE=123 BODY=8BITMIME" -> params; nullopt on a malformed keyword or
// value (RFC 5321 4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"),
// esmtp-value = 1*(%d33-60 / %d62-126)).
std::optional<std::vector<EsmtpParam>> split_esmtp_params(std::string_view text);

// ParamSupport - what the server advertised (and so accepts), or what the peer advertised
// (and so the client may send).
struct ParamSupport {
  bool size = true;
  std::uint64_t max_size = 0;  // 0 = no limit
  bool dsn = true;
  bool eightbitmime = true;
  bool binarymime = false;
  bool smtputf8 = false;
  bool auth = false;
};

// ParamError - the reply for a rejected parameter (code 0 = accepted).
struct ParamError {
  int code = 0;            // 501, 552, 555
  std::string status;      // "5.5.4"
  std::string text;        // "Bad NOTIFY parameter syntax"
  explicit operator bool() const { return code != 0; }
};

// apply_mail_params - check the parameters of MAIL FROM and store them in `env` (reverse path
// untouched). Unknown or unadvertised keyword: 555 5.5.4; duplicate or bad value: 501 5.5.4;
// SIZE over max_size: 552 5.3.4.
ParamError apply_mail_params(const std::vector<EsmtpParam>& params, const ParamSupport& support, Envelope& env);
// apply_rcpt_params - the same for RCPT TO (NOTIFY, ORCPT) into `r`.
ParamError apply_rcpt_params(const std::vector<EsmtpParam>& params, const ParamSupport& support, Recipient& r);

// format_mail_params - " SIZE=1234 BODY=8BITMIME RET=HDRS ENVID=..." (leading space, or "") with
// only what `peer` advertised; `size` is the actual message size to announce (0 = leave out).
std::string format_mail_params(const Envelope& env, const ParamSupport& peer, std::uint64_t size);
// format_rcpt_params - " NOTIFY=... ORCPT=rfc822;..." (or "") when the peer advertised DSN.
std::string format_rcpt_params(const Recipient& r, const ParamSupport& peer);

}  // namespace smtpsim::mail
