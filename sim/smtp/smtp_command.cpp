// smtp_command.cpp - SMTP command words, path and address syntax, MAIL/RCPT parameters.
#include "sim/smtp/smtp_command.hpp"
#include "sim/core/ascii.hpp"
#include "sim/mail/mail_address.hpp"

#include <array>
#include <cctype>

namespace smtpsim::smtp {
namespace {

struct VerbName {
  Verb verb;
  std::string_view name;
};

constexpr VerbName kVerbs[] = {
    {Verb::Helo, "HELO"}, {Verb::Ehlo, "EHLO"}, {Verb::Mail, "MAIL"}, {Verb::Rcpt, "RCPT"},
    {Verb::Data, "DATA"}, {Verb::Rset, "RSET"}, {Verb::Noop, "NOOP"}, {Verb::Quit, "QUIT"},
    {Verb::Vrfy, "VRFY"}, {Verb::Help, "HELP"}, {Verb::StartTls, "STARTTLS"}, {Verb::Auth, "AUTH"},
    {Verb::Expn, "EXPN"}, {Verb::Bdat, "BDAT"}, {Verb::Turn, "TURN"}, {Verb::Etrn, "ETRN"},
    {Verb::Atrn, "ATRN"}, {Verb::Send, "SEND"}, {Verb::Soml, "SOML"}, {Verb::Saml, "SAML"},
};

constexpr auto iequal = ascii_iequals;
constexpr auto istarts = ascii_istarts;

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_let_dig(char c) { return is_alpha(c) || is_digit(c); }

// The address grammar (atext, Dot-string, Quoted-string, Domain, address literals) is the mail
// area's (sim/mail/mail_address.hpp): the same one the lesson loader checks addresses with.
using mail::is_atext;
constexpr auto valid_dot_string = mail::is_dot_string;
constexpr auto valid_quoted_string = mail::is_quoted_string;

// xtext_valid_char - xchar except '+' and '='.
bool xchar_plain(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 33 && u <= 126 && c != '+' && c != '=';
}

// PathScan - what scan_path found inside "<...>".
struct PathScan {
  bool ok = false;
  bool too_long = false;
  std::string mailbox;     // without the source route; "" for <>
  std::size_t consumed = 0;  // octets of arg used, up to and including '>'
};

// scan_path - parse "<[A-d-l:]Mailbox>" or "<>" at the start of s. A quoted local part may contain
// '>' so the end is found by walking the grammar, not by searching for '>'.
PathScan scan_path(std::string_view s) {
  PathScan r;
  if (s.empty() || s.front() != '<') return r;
  std::size_t i = 1;
  // Source route: "@dom,@dom:" - accepted and ignored.
  if (i < s.size() && s[i] == '@') {
    while (true) {
      if (i >= s.size() || s[i] != '@') return r;
      std::size_t start = ++i;
      while (i < s.size() && s[i] != ',' && s[i] != ':' && s[i] != '>') ++i;
      if (i >= s.size() || !valid_domain(s.substr(start, i - start))) return r;
      if (s[i] == ':') {
        ++i;
        break;
      }
      if (s[i] != ',') return r;
      ++i;
    }
  }
  std::size_t mb_start = i;
  if (i < s.size() && s[i] == '>') {  // "<>" (or a route with no mailbox, rejected below)
    if (mb_start != 1) return r;
    r.ok = true;
    r.consumed = i + 1;
    return r;
  }
  // Local part.
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\') ++i;
      ++i;
    }
    if (i >= s.size()) return r;
    ++i;  // closing quote
  } else {
    while (i < s.size() && s[i] != '@' && s[i] != '>' && s[i] != ' ') ++i;
  }
  std::string_view local = s.substr(mb_start, i - mb_start);
  if (i < s.size() && s[i] == '>') {
    // Only <postmaster> may go without a domain (checked by the caller).
    r.mailbox = std::string(local);
    r.consumed = i + 1;
    r.ok = true;
    if (local.size() > kMaxLocalPart || r.consumed > kMaxPath) r.too_long = true;
    return r;
  }
  if (i >= s.size() || s[i] != '@') return r;
  ++i;
  std::size_t dom_start = i;
  if (i < s.size() && s[i] == '[') {
    while (i < s.size() && s[i] != ']' && s[i] != '>') ++i;
    if (i >= s.size() || s[i] != ']') return r;
    ++i;
  } else {
    while (i < s.size() && s[i] != '>' && s[i] != ' ') ++i;
  }
  if (i >= s.size() || s[i] != '>') return r;
  std::string_view domain = s.substr(dom_start, i - dom_start);
  r.consumed = i + 1;
  if (local.size() > kMaxLocalPart || domain.size() > kMaxDomain || r.consumed > kMaxPath) {
    r.too_long = true;
    r.ok = true;
    return r;
  }
  if (!(valid_dot_string(local) || valid_quoted_string(local)) || !valid_domain(domain)) return r;
  r.mailbox = std::string(s.substr(mb_start, i - mb_start));
  r.ok = true;
  return r;
}

// Param - one "KEYWORD[=value]".
struct Param {
  std::string_view keyword;
  std::string_view value;
  bool has_value = false;
  std::string_view whole;
};

// next_param - split the next parameter off s (separated by spaces); false when s is empty.
// Sets bad when the parameter is malformed.
bool next_param(std::string_view& s, Param& p, bool& bad) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.empty()) return false;
  auto sp = s.find(' ');
  p.whole = s.substr(0, sp);
  s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp);
  auto eq = p.whole.find('=');
  p.keyword = p.whole.substr(0, eq);
  p.has_value = eq != std::string_view::npos;
  p.value = p.has_value ? p.whole.substr(eq + 1) : std::string_view{};
  bad = p.keyword.empty() || !is_let_dig(p.keyword.front());
  for (char c : p.keyword)
    if (!is_let_dig(c) && c != '-') bad = true;
  if (p.has_value) {  // an empty value is judged by the parameter's own syntax
    for (char c : p.value) {
      auto u = static_cast<unsigned char>(c);
      if (u < 33 || u > 126 || c == '=') bad = true;
    }
  }
  return true;
}

// parse_u64 - decimal digits only, no overflow.
std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// PathArg - the path part of a MAIL/RCPT argument after the "FROM:"/"TO:" keyword.
struct PathArg {
  bool syntax_ok = false;  // shape of the command is fine
  PathScan scan;
  std::string_view params;
};

// split_path_arg - strict/liberal handling of the colon and brackets, then scan the path.
PathArg split_path_arg(std::string_view rest, bool strict) {
  PathArg a;
  if (!strict)
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return a;
  if (rest.front() != '<') {
    if (strict) return a;
    // Liberal: a bare address up to the first space, as if it were bracketed.
    auto sp = rest.find(' ');
    std::string_view addr = rest.substr(0, sp);
    std::string wrapped = "<" + std::string(addr) + ">";
    a.syntax_ok = true;
    a.scan = scan_path(wrapped);
    a.scan.consumed = addr.size();
    a.params = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp);
    if (a.scan.consumed + 2 > kMaxPath && a.scan.ok) a.scan.too_long = true;
    return a;
  }
  a.syntax_ok = true;
  a.scan = scan_path(rest);
  if (a.scan.ok) a.params = rest.substr(a.scan.consumed);
  return a;
}

}  // namespace

// verb_name - the command word.
std::string_view verb_name(Verb v) {
  if (v == Verb::None) return "";
  for (const VerbName& n : kVerbs)
    if (n.verb == v) return n.name;
  return "?";
}

// verb_from_word - case-insensitive.
Verb verb_from_word(std::string_view word) {
  for (const VerbName& n : kVerbs)
    if (iequal(n.name, word)) return n.verb;
  return Verb::Unknown;
}

// verb_implemented - commands the server answers itself.
bool verb_implemented(Verb v) {
  switch (v) {
    case Verb::Expn: case Verb::Bdat: case Verb::Turn: case Verb::Etrn: case Verb::Atrn:
    case Verb::Send: case Verb::Soml: case Verb::Saml: case Verb::Unknown: case Verb::None:
      return false;
    default:
      return true;
  }
}

// split_command - verb and argument.
CommandLine split_command(std::string_view line) {
  CommandLine c;
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  std::size_t lead = 0;
  while (lead < line.size() && line[lead] == ' ') ++lead;
  line.remove_prefix(lead);
  if (line.empty()) return c;
  auto sp = line.find(' ');
  c.word = line.substr(0, sp);
  if (sp != std::string_view::npos) {
    std::string_view arg = line.substr(sp);
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    c.arg = arg;
  }
  c.verb = verb_from_word(c.word);
  return c;
}

// valid_domain - LDH domain or address literal, by the mail area's grammar.
bool valid_domain(std::string_view d) { return mail::check_domain(d) == mail::AddressError::None; }

// valid_local_part - dot-string or quoted-string within the length limit.
bool valid_local_part(std::string_view l) {
  return l.size() <= kMaxLocalPart && (valid_dot_string(l) || valid_quoted_string(l));
}

// valid_mailbox - local@domain, as the mail area parses a mailbox.
bool valid_mailbox(std::string_view m) { return mail::is_mailbox(m); }

// xtext_decode - "+HH" escapes (upper-case hex), other chars 33..126 except '+' '='.
std::optional<std::string> xtext_decode(std::string_view x) {
  std::string out;
  for (std::size_t i = 0; i < x.size(); ++i) {
    char c = x[i];
    if (c == '+') {
      if (i + 2 >= x.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(x[i + 1]), lo = hex(x[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (xchar_plain(c)) {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// parse_mail_from - "FROM:<path> [params]".
ParseResult<MailFrom> parse_mail_from(std::string_view arg, const ParseOptions& opts) {
  ParseResult<MailFrom> r;
  auto fail = [&](ReplyId id, std::string_view param = {}) {
    r.ok = false;
    r.error = ParseError{id, std::string(param)};
    return r;
  };
  if (!istarts(arg, "FROM:")) return fail(ReplyId::MailSyntax);
  PathArg pa = split_path_arg(arg.substr(5), opts.strict);
  if (!pa.syntax_ok) return fail(ReplyId::MailSyntax);
  if (!pa.scan.ok) return fail(ReplyId::BadSender);
  if (pa.scan.too_long) return fail(ReplyId::SenderTooLong);
  // A sender needs a domain (only <postmaster> as a recipient may go without one).
  if (!pa.scan.mailbox.empty() && pa.scan.mailbox.find('@') == std::string::npos)
    return fail(ReplyId::BadSender);
  if (!pa.params.empty() && pa.params.front() != ' ') return fail(ReplyId::BadSender);
  r.value.reverse_path = pa.scan.mailbox;

  std::string_view rest = pa.params;
  Param p;
  bool bad = false;
  bool seen_size = false, seen_body = false, seen_ret = false, seen_envid = false, seen_auth = false;
  while (next_param(rest, p, bad)) {
    if (bad) return fail(ReplyId::UnsupportedOption, p.whole);
    if (opts.size && iequal(p.keyword, "SIZE")) {
      auto v = parse_u64(p.value);
      if (seen_size || !v) return fail(ReplyId::BadParameter, "SIZE");
      seen_size = true;
      r.value.params.size = *v;
    } else if (opts.eightbitmime && iequal(p.keyword, "BODY")) {
      if (seen_body || !p.has_value) return fail(ReplyId::BadParameter, "BODY");
      seen_body = true;
      if (iequal(p.value, "7BIT")) r.value.params.body = BodyParam::SevenBit;
      else if (iequal(p.value, "8BITMIME")) r.value.params.body = BodyParam::EightBitMime;
      else if (iequal(p.value, "BINARYMIME")) return fail(ReplyId::ParameterNotImplemented, "BODY=BINARYMIME");
      else return fail(ReplyId::BadParameter, "BODY");
    } else if (opts.dsn && iequal(p.keyword, "RET")) {
      if (seen_ret || !p.has_value) return fail(ReplyId::BadParameter, "RET");
      seen_ret = true;
      if (iequal(p.value, "FULL")) r.value.params.ret = RetParam::Full;
      else if (iequal(p.value, "HDRS")) r.value.params.ret = RetParam::Headers;
      else return fail(ReplyId::BadParameter, "RET");
    } else if (opts.dsn && iequal(p.keyword, "ENVID")) {
      auto v = p.has_value ? xtext_decode(p.value) : std::nullopt;
      if (seen_envid || !v || v->empty() || p.value.size() > kMaxEnvid) return fail(ReplyId::BadParameter, "ENVID");
      seen_envid = true;
      r.value.params.envid = *v;
    } else if (opts.auth && iequal(p.keyword, "AUTH")) {
      auto v = p.has_value ? xtext_decode(p.value) : std::nullopt;
      if (seen_auth || !v || v->empty()) return fail(ReplyId::BadParameter, "AUTH");
      seen_auth = true;
      r.value.params.auth = *v;
    } else {
      return fail(ReplyId::UnsupportedOption, p.whole);
    }
  }
  r.ok = true;
  return r;
}

// parse_rcpt_to - "TO:<path> [params]".
ParseResult<RcptTo> parse_rcpt_to(std::string_view arg, const ParseOptions& opts) {
  ParseResult<RcptTo> r;
  auto fail = [&](ReplyId id, std::string_view param = {}) {
    r.ok = false;
    r.error = ParseError{id, std::string(param)};
    return r;
  };
  if (!istarts(arg, "TO:")) return fail(ReplyId::RcptSyntax);
  PathArg pa = split_path_arg(arg.substr(3), opts.strict);
  if (!pa.syntax_ok) return fail(ReplyId::RcptSyntax);
  if (!pa.scan.ok) return fail(ReplyId::BadRecipient);
  if (pa.scan.too_long) return fail(ReplyId::RecipientTooLong);
  if (pa.scan.mailbox.empty()) return fail(ReplyId::BadRecipient);  // <> is no forward path
  if (pa.scan.mailbox.find('@') == std::string::npos) {
    if (!iequal(pa.scan.mailbox, "postmaster")) return fail(ReplyId::BadRecipient);
    r.value.postmaster = true;
    r.value.forward_path = "postmaster";
  } else {
    r.value.forward_path = pa.scan.mailbox;
  }
  if (!pa.params.empty() && pa.params.front() != ' ') return fail(ReplyId::BadRecipient);

  std::string_view rest = pa.params;
  Param p;
  bool bad = false;
  bool seen_notify = false, seen_orcpt = false;
  while (next_param(rest, p, bad)) {
    if (bad) return fail(ReplyId::UnsupportedOption, p.whole);
    if (opts.dsn && iequal(p.keyword, "NOTIFY")) {
      if (seen_notify || !p.has_value) return fail(ReplyId::BadParameter, "NOTIFY");
      seen_notify = true;
      unsigned bits = 0;
      std::string_view list = p.value;
      while (true) {
        auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        unsigned bit = 0;
        if (iequal(item, "NEVER")) bit = DsnNotify::Never;
        else if (iequal(item, "SUCCESS")) bit = DsnNotify::Success;
        else if (iequal(item, "FAILURE")) bit = DsnNotify::Failure;
        else if (iequal(item, "DELAY")) bit = DsnNotify::Delay;
        if (bit == 0 || (bits & bit)) return fail(ReplyId::BadParameter, "NOTIFY");
        bits |= bit;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
      if ((bits & DsnNotify::Never) && bits != DsnNotify::Never) return fail(ReplyId::BadParameter, "NOTIFY");
      r.value.params.notify = bits;
    } else if (opts.dsn && iequal(p.keyword, "ORCPT")) {
      if (seen_orcpt || !p.has_value) return fail(ReplyId::BadParameter, "ORCPT");
      seen_orcpt = true;
      auto semi = p.value.find(';');
      if (semi == std::string_view::npos || semi == 0) return fail(ReplyId::BadParameter, "ORCPT");
      std::string_view type = p.value.substr(0, semi);
      for (char c : type)
        if (!is_atext(c)) return fail(ReplyId::BadParameter, "ORCPT");
      auto addr = xtext_decode(p.value.substr(semi + 1));
      if (!addr || addr->empty()) return fail(ReplyId::BadParameter, "ORCPT");
      r.value.params.orcpt = std::string(type) + ";" + *addr;
    } else {
      return fail(ReplyId::UnsupportedOption, p.whole);
    }
  }
  r.ok = true;
  return r;
}

}  // namespace smtpsim::smtp
