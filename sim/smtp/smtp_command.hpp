// smtp_command.hpp - SMTP command parsing for the server: verbs, MAIL FROM / RCPT TO paths
// (RFC 5321 4.1.2) with their ESMTP parameters (SIZE, BODY, RET, ENVID, AUTH, NOTIFY, ORCPT),
// address syntax and the RFC 5321 4.5.3.1 size limits.
//
// Strictness (documented choice): by default paths follow RFC 5321 exactly: "FROM:<path>" with no
// space around the colon, angle brackets required, dot-atom or quoted local part, LDH domain or
// address literal, ASCII only. ParseOptions::strict = false accepts what Postfix accepts with
// strict_rfc821_envelopes = no: spaces after the colon and a bare address without brackets.
// Source routes (<@a,@b:user@c>) are accepted and dropped in both modes (RFC 5321 4.1.2, C.).
// <postmaster> (any case, no domain) is a valid forward path.
//
// Errors name the catalogue reply to send: 501 5.5.4 for the command shape, 501 5.1.7 / 5.1.3 for
// a bad sender / recipient address, 555 5.5.4 for a parameter of an extension not offered,
// 501 5.5.4 "Bad X parameter syntax" for a malformed known parameter, 504 5.5.4 for BINARYMIME.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/smtp/smtp_catalog.hpp"

namespace smtpsim::smtp {

// Verb - an SMTP command word. Unknown = not an SMTP command; None = no command (empty line).
enum class Verb : unsigned char {
  None, Helo, Ehlo, Mail, Rcpt, Data, Rset, Noop, Quit, Vrfy, Help, StartTls, Auth,
  // known commands this server does not implement (502)
  Expn, Bdat, Turn, Etrn, Atrn, Send, Soml, Saml,
  Unknown,
};

// verb_name - "EHLO", "STARTTLS", "" for None, "?" for Unknown.
std::string_view verb_name(Verb v);
// verb_from_word - case-insensitive lookup; Unknown when not an SMTP command word.
Verb verb_from_word(std::string_view word);
// verb_implemented - false for EXPN, BDAT, TURN, ETRN, ATRN, SEND, SOML, SAML (answered 502).
bool verb_implemented(Verb v);

// CommandLine - a command line split into its verb and argument (line without CRLF).
struct CommandLine {
  Verb verb = Verb::None;
  std::string_view word;  // the command word as sent
  std::string_view arg;   // everything after the first space(s), trailing blanks removed
};
// split_command - split at the first space; verb None for an empty/blank line.
CommandLine split_command(std::string_view line);

// Limits - RFC 5321 4.5.3.1 (octets).
inline constexpr std::size_t kMaxLocalPart = 64;
inline constexpr std::size_t kMaxDomain = 255;
inline constexpr std::size_t kMaxPath = 256;       // "<...>" including the brackets
inline constexpr std::size_t kMaxCommandLine = 512;  // including CRLF
inline constexpr std::size_t kMaxTextLine = 1000;    // including CRLF
inline constexpr std::size_t kMaxAuthLine = 12288;   // RFC 4954 4, including CRLF
inline constexpr std::size_t kMaxEnvid = 100;        // RFC 3461 4.4

// BodyParam - MAIL BODY= (RFC 6152); same order as the client's BodyType.
enum class BodyParam : unsigned char { Unspecified, SevenBit, EightBitMime };
// RetParam - MAIL RET= (RFC 3461 4.3); same order as the client's DsnRet.
enum class RetParam : unsigned char { Unspecified, Full, Headers };
// DsnNotify - RCPT NOTIFY= bits (RFC 3461 4.1); the same values as the client's NotifyFlags.
struct DsnNotify {
  static constexpr unsigned Never = 1, Success = 2, Failure = 4, Delay = 8;
};

// MailParams - parameters of MAIL FROM.
struct MailParams {
  std::optional<std::uint64_t> size;  // SIZE= declared message size
  BodyParam body = BodyParam::Unspecified;
  RetParam ret = RetParam::Unspecified;
  std::string envid;                  // ENVID= xtext-decoded, "" = none
  std::optional<std::string> auth;    // AUTH= xtext-decoded ("<>" kept as "<>")
};

// MailFrom - a parsed MAIL FROM command.
struct MailFrom {
  std::string reverse_path;  // "user@example.org"; "" = the null path <>
  MailParams params;
};

// RcptParams - parameters of RCPT TO.
struct RcptParams {
  unsigned notify = 0;  // DsnNotify bits, 0 = not given
  std::string orcpt;    // "rfc822;user@example.org" (xtext-decoded), "" = not given
};

// RcptTo - a parsed RCPT TO command.
struct RcptTo {
  std::string forward_path;  // "user@example.org" or "postmaster"
  bool postmaster = false;   // <postmaster> without a domain (any case); forward_path = "postmaster"
  RcptParams params;
};

// ParseOptions - which syntax and which extension parameters are accepted.
struct ParseOptions {
  bool strict = true;        // see the file comment
  bool size = true;          // SIZE offered: MAIL SIZE=
  bool eightbitmime = true;  // 8BITMIME offered: MAIL BODY=
  bool dsn = true;           // DSN offered: MAIL RET= ENVID=, RCPT NOTIFY= ORCPT=
  bool auth = false;         // AUTH offered: MAIL AUTH=
};

// ParseError - which reply to send, with the {option}/{param} text it needs.
struct ParseError {
  ReplyId reply = ReplyId::MailSyntax;
  std::string param;  // "SIZE", or the whole offending parameter for 555
};

// ParseResult - a parsed value or the error reply.
template <class T>
struct ParseResult {
  bool ok = false;
  T value{};
  ParseError error;
};

// parse_mail_from - the argument of MAIL ("FROM:<a@b> SIZE=10").
ParseResult<MailFrom> parse_mail_from(std::string_view arg, const ParseOptions& opts = {});
// parse_rcpt_to - the argument of RCPT ("TO:<a@b> NOTIFY=NEVER").
ParseResult<RcptTo> parse_rcpt_to(std::string_view arg, const ParseOptions& opts = {});

// valid_domain - RFC 5321 Domain (LDH labels <= 63, total <= 255) or address literal ([192.0.2.1],
// [IPv6:...], [tag:content]).
bool valid_domain(std::string_view d);
// valid_local_part - Dot-string or Quoted-string, <= 64 octets.
bool valid_local_part(std::string_view l);
// valid_mailbox - local-part "@" domain, each valid.
bool valid_mailbox(std::string_view m);
// xtext_decode - RFC 3461 4 xtext ("+2B" -> "+"); nullopt when malformed.
std::optional<std::string> xtext_decode(std::string_view x);

}  // namespace smtpsim::smtp
