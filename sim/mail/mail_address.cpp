// mail_address.cpp - parsing and canonical forms of RFC 5321 mailboxes and SMTP paths.
#include "sim/mail/mail_address.hpp"
#include "sim/mail/mail_cfws.hpp"

#include <algorithm>
#include <vector>

namespace smtpsim::mail {

namespace {

// is_alpha / is_digit / is_hex - ASCII character classes (locale independent).
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// lower - ASCII lower case copy.
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// is_qtext_smtp - RFC 5321 qtextSMTP: %d32-33 / %d35-91 / %d93-126.
bool is_qtext_smtp(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 32 && u <= 126) && c != '"' && c != '\\';
}

// has_non_ascii - any byte >= 0x80.
bool has_non_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

// scan_quoted - length of the Quoted-string at s[0] ('"'), or 0 if it is malformed; the unquoted
// content goes to *out.
std::size_t scan_quoted(std::string_view s, std::string* out) {
  if (s.empty() || s[0] != '"') return 0;
  std::size_t i = 1;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      if (i + 1 >= s.size()) return 0;
      unsigned char n = static_cast<unsigned char>(s[i + 1]);
      if (n < 32 || n > 126) return 0;  // quoted-pairSMTP = %d92 %d32-126
      out->push_back(char(n));
      i += 2;
      continue;
    }
    if (!is_qtext_smtp(c)) return 0;
    out->push_back(c);
    ++i;
  }
  return 0;
}

// check_label_ldh - a Let-dig [Ldh-str] label (or Standardized-tag) of any length > 0.
bool check_label_ldh(std::string_view label) {
  if (label.empty()) return false;
  for (char c : label)
    if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
  return label.front() != '-' && label.back() != '-';
}

// hex_groups - count the ':'-separated groups of s; false if any is not 1-4 hex digits.
bool hex_groups(std::string_view s, int* count) {
  *count = 0;
  if (s.empty()) return true;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = s.find(':', start);
    std::string_view g = s.substr(start, colon == std::string_view::npos ? s.npos : colon - start);
    if (g.empty() || g.size() > 4) return false;
    for (char c : g)
      if (!is_hex(c)) return false;
    ++*count;
    if (colon == std::string_view::npos) return true;
    start = colon + 1;
  }
}

}  // namespace

// is_atext - RFC 5322 atext (the characters of an Atom).
bool is_atext(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

// is_quoted_string - the whole of s is one quoted string.
bool is_quoted_string(std::string_view s) {
  std::string content;
  return !s.empty() && scan_quoted(s, &content) == s.size();
}

// is_mailbox - what Address::parse accepts.
bool is_mailbox(std::string_view s) { return Address::parse(s).error == AddressError::None; }

std::string_view describe(AddressError e) {
  switch (e) {
    case AddressError::None: return "ok";
    case AddressError::Empty: return "empty address";
    case AddressError::MissingAt: return "missing \"@\" between local part and domain";
    case AddressError::EmptyLocalPart: return "empty local part";
    case AddressError::BadLocalPart: return "local part is neither a dot-string nor a quoted-string";
    case AddressError::LocalPartTooLong: return "local part longer than 64 octets";
    case AddressError::EmptyDomain: return "empty domain";
    case AddressError::BadDomain: return "malformed domain name";
    case AddressError::LabelTooLong: return "domain label longer than 63 octets";
    case AddressError::DomainTooLong: return "domain longer than 255 octets";
    case AddressError::BadAddressLiteral: return "malformed address literal";
    case AddressError::NonAscii: return "non-ASCII characters (SMTPUTF8 is not supported)";
    case AddressError::MissingBrackets: return "path must be enclosed in \"<\" and \">\"";
    case AddressError::BadSourceRoute: return "malformed source route";
    case AddressError::PathTooLong: return "path longer than 256 octets";
    case AddressError::NullNotAllowed: return "null path \"<>\" is not allowed here";
  }
  return "unknown error";
}

bool is_dot_string(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!is_atext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    if (i == start || value > 255) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv6(std::string_view s) {
  if (s.empty()) return false;
  // An IPv4 tail ("::ffff:192.0.2.1") counts as two groups.
  int tail = 0;
  std::size_t last_colon = s.rfind(':');
  if (last_colon == std::string_view::npos) return false;
  if (s.find('.', last_colon) != std::string_view::npos) {
    if (!is_ipv4(s.substr(last_colon + 1))) return false;
    tail = 2;
    s = s.substr(0, last_colon + 1);
    // keep the trailing ':' only when it belongs to "::"
    if (s.size() < 2 || s.substr(s.size() - 2) != "::") s.remove_suffix(1);
  }
  std::size_t dbl = s.find("::");
  int left = 0, right = 0;
  if (dbl == std::string_view::npos) {
    if (!hex_groups(s, &left) || s.empty()) return false;
    return left + tail == 8;
  }
  if (s.find("::", dbl + 1) != std::string_view::npos) return false;
  if (!hex_groups(s.substr(0, dbl), &left) || !hex_groups(s.substr(dbl + 2), &right)) return false;
  return left + right + tail <= 7;
}

AddressError check_address_literal(std::string_view lit) {
  if (lit.size() < 3 || lit.front() != '[' || lit.back() != ']') return AddressError::BadAddressLiteral;
  std::string_view in = lit.substr(1, lit.size() - 2);
  if (is_ipv4(in)) return AddressError::None;
  std::size_t colon = in.find(':');
  if (colon == std::string_view::npos) return AddressError::BadAddressLiteral;
  std::string_view tag = in.substr(0, colon), content = in.substr(colon + 1);
  if (lower(tag) == "ipv6")
    return is_ipv6(content) ? AddressError::None : AddressError::BadAddressLiteral;
  // General-address-literal = Standardized-tag ":" 1*dcontent (dcontent = %d33-90 / %d94-126)
  if (!check_label_ldh(tag) || content.empty()) return AddressError::BadAddressLiteral;
  for (char c : content) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == '[' || c == '\\' || c == ']') return AddressError::BadAddressLiteral;
  }
  return AddressError::None;
}

AddressError check_domain(std::string_view d) {
  if (d.empty()) return AddressError::EmptyDomain;
  if (has_non_ascii(d)) return AddressError::NonAscii;
  if (d.size() > kMaxDomain) return AddressError::DomainTooLong;
  if (d.front() == '[') return check_address_literal(d);
  std::size_t start = 0;
  while (true) {
    std::size_t dot = d.find('.', start);
    std::string_view label = d.substr(start, dot == std::string_view::npos ? d.npos : dot - start);
    if (label.size() > kMaxLabel) return AddressError::LabelTooLong;
    if (!check_label_ldh(label)) return AddressError::BadDomain;
    if (dot == std::string_view::npos) return AddressError::None;
    start = dot + 1;
  }
}

AddressResult Address::parse(std::string_view text) {
  AddressResult r;
  if (text.empty()) { r.error = AddressError::Empty; return r; }
  if (has_non_ascii(text)) { r.error = AddressError::NonAscii; return r; }
  std::string local;
  std::size_t at;
  if (text.front() == '"') {
    std::size_t n = scan_quoted(text, &local);
    if (n == 0) { r.error = AddressError::BadLocalPart; return r; }
    if (n >= text.size() || text[n] != '@') {
      r.error = n >= text.size() ? AddressError::MissingAt : AddressError::BadLocalPart;
      return r;
    }
    at = n;
  } else {
    at = text.find('@');
    if (at == std::string_view::npos) { r.error = AddressError::MissingAt; return r; }
    if (at == 0) { r.error = AddressError::EmptyLocalPart; return r; }
    local = std::string(text.substr(0, at));
    if (!is_dot_string(local)) { r.error = AddressError::BadLocalPart; return r; }
  }
  if (at > kMaxLocalPart) { r.error = AddressError::LocalPartTooLong; return r; }
  std::string_view domain = text.substr(at + 1);
  AddressError de = check_domain(domain);
  if (de != AddressError::None) { r.error = de; return r; }
  Address a;
  a.local_ = std::move(local);
  a.domain_ = std::string(domain);
  r.address = std::move(a);
  return r;
}

Address Address::make(std::string local, std::string domain) {
  Address a;
  a.local_ = std::move(local);
  a.domain_ = std::move(domain);
  return a;
}

Address Address::postmaster() { return make("Postmaster", ""); }

bool Address::is_postmaster() const { return lower(local_) == "postmaster"; }

std::string Address::local_wire() const {
  if (is_dot_string(local_)) return local_;
  std::string out = "\"";
  for (char c : local_) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string Address::str() const {
  if (is_null()) return "";
  if (domain_.empty()) return local_wire();
  return local_wire() + "@" + domain_;
}

std::string Address::domain_lower() const { return lower(domain_); }

std::string Address::key() const {
  if (is_null()) return "";
  std::string l = is_postmaster() ? std::string("postmaster") : local_wire();
  if (domain_.empty()) return l;
  return l + "@" + lower(domain_);
}

namespace {

// parse_path - shared body of the reverse/forward path parsers.
PathResult parse_path(std::string_view text, bool require_brackets, bool forward) {
  PathResult r;
  if (text.empty()) { r.error = AddressError::Empty; return r; }
  if (text.size() > kMaxPath) { r.error = AddressError::PathTooLong; return r; }
  std::string_view in;
  if (text.front() == '<') {
    if (text.size() < 2 || text.back() != '>') { r.error = AddressError::MissingBrackets; return r; }
    in = text.substr(1, text.size() - 2);
  } else {
    if (require_brackets) { r.error = AddressError::MissingBrackets; return r; }
    in = text;
  }
  if (in.empty()) {
    if (forward) { r.error = AddressError::NullNotAllowed; return r; }
    r.address = Address();
    return r;
  }
  if (forward && lower(in) == "postmaster") {
    r.address = Address::make(std::string(in), "");
    return r;
  }
  // Source route "@a.example,@b.example:" (RFC 5321 4.1.2, accepted and ignored).
  if (in.front() == '@') {
    std::size_t colon = in.find(':');
    if (colon == std::string_view::npos) { r.error = AddressError::BadSourceRoute; return r; }
    std::string_view route = in.substr(0, colon);
    std::size_t start = 0;
    while (true) {
      std::size_t comma = route.find(',', start);
      std::string_view hop = route.substr(start, comma == std::string_view::npos ? route.npos : comma - start);
      if (hop.size() < 2 || hop.front() != '@' || hop[1] == '[' ||
          check_domain(hop.substr(1)) != AddressError::None) {
        r.error = AddressError::BadSourceRoute;
        return r;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    in = in.substr(colon + 1);
  }
  AddressResult a = Address::parse(in);
  r.error = a.error;
  r.address = std::move(a.address);
  return r;
}

}  // namespace

std::vector<std::string> header_addresses(std::string_view v) {
  std::vector<std::string> out;
  std::string plain;      // element text outside comments, quotes kept
  std::string angle;      // content of the last <...>
  bool has_angle = false;
  auto flush = [&] {
    std::string a = has_angle ? angle : plain;
    std::size_t b = 0, e = a.size();
    while (b < e && (a[b] == ' ' || a[b] == '\t' || a[b] == '\r' || a[b] == '\n')) ++b;
    while (e > b && (a[e - 1] == ' ' || a[e - 1] == '\t' || a[e - 1] == '\r' || a[e - 1] == '\n')) --e;
    a = a.substr(b, e - b);
    if (has_angle && !a.empty() && a.front() == '@') {  // "<@route:user@x>"
      std::size_t colon = a.find(':');
      if (colon != std::string::npos) a = a.substr(colon + 1);
    }
    if (!a.empty()) out.push_back(std::move(a));
    plain.clear();
    angle.clear();
    has_angle = false;
  };
  std::size_t i = 0;
  while (i < v.size()) {
    char c = v[i];
    if (c == '"') {  // quoted string: copied, commas inside do not split
      std::size_t j = i + 1;
      while (j < v.size() && v[j] != '"') j += (v[j] == '\\' && j + 1 < v.size()) ? 2 : 1;
      plain.append(v.substr(i, std::min(j + 1, v.size()) - i));
      i = j + 1;
      continue;
    }
    if (c == '(') {  // comment, possibly nested
      i = skip_comment(v, i);
      plain.push_back(' ');
      continue;
    }
    if (c == '<') {
      std::size_t j = v.find('>', i);
      if (j == std::string_view::npos) j = v.size();
      angle = std::string(v.substr(i + 1, j - i - 1));
      has_angle = true;
      i = j + 1;
      continue;
    }
    if (c == ':' && !has_angle) {  // "group-name:" - drop the display name
      plain.clear();
      ++i;
      continue;
    }
    if (c == ',' || c == ';') {
      flush();
      ++i;
      continue;
    }
    plain.push_back(c);
    ++i;
  }
  flush();
  return out;
}

PathResult parse_reverse_path(std::string_view text, bool require_brackets) {
  return parse_path(text, require_brackets, false);
}

PathResult parse_forward_path(std::string_view text, bool require_brackets) {
  return parse_path(text, require_brackets, true);
}

}  // namespace smtpsim::mail
