// reply_catalog.cpp - catalogue lookups: labels, placeholder rendering, the RFC 3463 enhanced
// status registry, reply-code classes, and Catalog search (explain).
#include "sim/reply/reply_catalog.hpp"
#include "sim/core/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace smtpsim::reply {
namespace {

// StatusRow - one registered subject.detail (RFC 3463 and the IANA registry).
struct StatusRow {
  int subject;
  int detail;
  std::string_view title;
  std::string_view description;
  std::string_view rfc;
};

constexpr StatusRow kStatus[] = {
    {0, 0, "Other undefined status", "No more specific code applies.", "RFC 3463 3.1"},
    {1, 0, "Other address status", "Something about the address was wrong.", "RFC 3463 3.2"},
    {1, 1, "Bad destination mailbox address", "The mailbox named by the recipient address does not exist.", "RFC 3463 3.2"},
    {1, 2, "Bad destination system address", "The recipient's domain does not exist or cannot take mail.", "RFC 3463 3.2"},
    {1, 3, "Bad destination mailbox address syntax", "The recipient address is not valid syntax.", "RFC 3463 3.2"},
    {1, 4, "Destination mailbox address ambiguous", "The address matches more than one mailbox.", "RFC 3463 3.2"},
    {1, 5, "Destination address valid", "The address is fine (used in success codes).", "RFC 3463 3.2"},
    {1, 6, "Destination mailbox has moved, no forwarding address", "The user is gone from this system.", "RFC 3463 3.2"},
    {1, 7, "Bad sender's mailbox address syntax", "The sender address is not valid syntax.", "RFC 3463 3.2"},
    {1, 8, "Bad sender's system address", "The sender's domain does not exist or cannot receive replies.", "RFC 3463 3.2"},
    {1, 9, "Message relayed to non-compliant mailer", "Delivered to a system that cannot return DSNs.", "RFC 3886"},
    {1, 10, "Recipient address has null MX", "The recipient domain publishes MX 0 . and never accepts mail.", "RFC 7505 4.1"},
    {2, 0, "Other or undefined mailbox status", "Something about the mailbox is wrong.", "RFC 3463 3.3"},
    {2, 1, "Mailbox disabled, not accepting messages", "The mailbox exists but takes no mail.", "RFC 3463 3.3"},
    {2, 2, "Mailbox full", "The mailbox is over its quota.", "RFC 3463 3.3"},
    {2, 3, "Message length exceeds administrative limit", "Too big for this mailbox.", "RFC 3463 3.3"},
    {2, 4, "Mailing list expansion problem", "A mailing list could not be expanded.", "RFC 3463 3.3"},
    {3, 0, "Other or undefined mail system status", "The receiving mail system has a problem.", "RFC 3463 3.4"},
    {3, 1, "Mail system full", "The server's storage (queue disk) is full.", "RFC 3463 3.4"},
    {3, 2, "System not accepting network messages", "The host does not take mail (now or ever).", "RFC 3463 3.4"},
    {3, 3, "System not capable of selected features", "A requested feature is not supported.", "RFC 3463 3.4"},
    {3, 4, "Message too big for system", "Larger than the server's size limit.", "RFC 3463 3.4"},
    {3, 5, "System incorrectly configured", "A configuration error on the server.", "RFC 3463 3.4"},
    {4, 0, "Other or undefined network or routing status", "A network or routing problem.", "RFC 3463 3.5"},
    {4, 1, "No answer from host", "The connection could not be made (refused, timed out).", "RFC 3463 3.5"},
    {4, 2, "Bad connection", "The connection broke or timed out during the dialogue.", "RFC 3463 3.5"},
    {4, 3, "Directory server failure", "DNS (or another directory) failed temporarily.", "RFC 3463 3.5"},
    {4, 4, "Unable to route", "No route to the destination (for example no such domain).", "RFC 3463 3.5"},
    {4, 5, "Mail system congestion", "The system is too busy.", "RFC 3463 3.5"},
    {4, 6, "Routing loop detected", "The message went round in a loop (too many Received: lines).", "RFC 3463 3.5"},
    {4, 7, "Delivery time expired", "The message stayed in the queue too long and was given up.", "RFC 3463 3.5"},
    {5, 0, "Other or undefined protocol status", "A protocol problem.", "RFC 3463 3.6"},
    {5, 1, "Invalid command", "A command out of sequence or not supported.", "RFC 3463 3.6"},
    {5, 2, "Syntax error", "A command the server could not parse.", "RFC 3463 3.6"},
    {5, 3, "Too many recipients", "More recipients than the server takes in one transaction.", "RFC 3463 3.6"},
    {5, 4, "Invalid command arguments", "A valid command with invalid or unsupported arguments.", "RFC 3463 3.6"},
    {5, 5, "Wrong protocol version", "The protocol version is not supported.", "RFC 3463 3.6"},
    {5, 6, "Authentication exchange line is too long", "An AUTH line exceeded the limit.", "RFC 4954 6"},
    {6, 0, "Other or undefined media error", "A problem with the message content.", "RFC 3463 3.7"},
    {6, 1, "Media not supported", "The content type is not supported.", "RFC 3463 3.7"},
    {6, 2, "Conversion required and prohibited", "Content needed conversion but that was forbidden.", "RFC 3463 3.7"},
    {6, 3, "Conversion required but not supported", "Content needed a conversion that is not available.", "RFC 3463 3.7"},
    {6, 4, "Conversion with loss performed", "Content was converted, losing information.", "RFC 3463 3.7"},
    {6, 5, "Conversion failed", "Content conversion failed.", "RFC 3463 3.7"},
    {6, 6, "Message content not available", "Referenced content could not be fetched.", "RFC 4468"},
    {6, 7, "Non-ASCII addresses not permitted", "The peer does not support SMTPUTF8 addresses.", "RFC 6531"},
    {6, 8, "UTF-8 string reply is required", "The reply needs UTF-8 but the client cannot take it.", "RFC 6531"},
    {6, 9, "UTF-8 header message cannot be transferred", "The next hop cannot take UTF-8 headers.", "RFC 6531"},
    {7, 0, "Other or undefined security status", "A security or policy problem.", "RFC 3463 3.8"},
    {7, 1, "Delivery not authorized, message refused", "Policy refuses it (relay denied, blocked sender, spam).", "RFC 3463 3.8"},
    {7, 2, "Mailing list expansion prohibited", "The sender may not expand this list.", "RFC 3463 3.8"},
    {7, 3, "Security conversion required but not possible", "A secure-messaging conversion failed.", "RFC 3463 3.8"},
    {7, 4, "Security features not supported", "Requested security features are not available.", "RFC 3463 3.8"},
    {7, 5, "Cryptographic failure", "A cryptographic operation failed.", "RFC 3463 3.8"},
    {7, 6, "Cryptographic algorithm not supported", "An algorithm is not supported.", "RFC 3463 3.8"},
    {7, 7, "Message integrity failure", "The message was altered on the way.", "RFC 3463 3.8"},
    {7, 8, "Authentication credentials invalid", "Wrong user name or password.", "RFC 4954 6"},
    {7, 9, "Authentication mechanism is too weak", "Policy wants a stronger SASL mechanism.", "RFC 4954 6"},
    {7, 10, "Encryption needed", "The message must travel encrypted.", "RFC 5248"},
    {7, 11, "Encryption required for requested authentication mechanism", "Use STARTTLS before AUTH.", "RFC 4954 6"},
    {7, 12, "A password transition is needed", "Log in once with PLAIN.", "RFC 4954 6"},
    {7, 13, "User account disabled", "The account exists but is disabled.", "RFC 5248"},
    {7, 14, "Trust relationship required", "The servers need a trust relationship.", "RFC 5248"},
    {7, 15, "Priority level is too low", "The message priority is too low for now.", "RFC 6710"},
    {7, 16, "Message is too big for the specified priority", "Too big at this priority.", "RFC 6710"},
    {7, 17, "Mailbox owner has changed", "The mailbox now belongs to someone else.", "RFC 7293"},
    {7, 18, "Domain owner has changed", "The domain now belongs to someone else.", "RFC 7293"},
    {7, 19, "RRVS test cannot be completed", "The require-recipient-valid-since test failed.", "RFC 7293"},
    {7, 20, "No passing DKIM signature found", "DKIM checking failed.", "RFC 7372"},
    {7, 21, "No acceptable DKIM signature found", "DKIM signatures were not acceptable.", "RFC 7372"},
    {7, 22, "No valid author-matched DKIM signature found", "No DKIM signature matches the author.", "RFC 7372"},
    {7, 23, "SPF validation failed", "The sending host is not allowed by SPF.", "RFC 7372"},
    {7, 24, "SPF validation error", "SPF could not be checked.", "RFC 7372"},
    {7, 25, "Reverse DNS validation failed", "The client's address has no matching host name.", "RFC 7372"},
    {7, 26, "Multiple authentication checks failed", "Several sender checks failed.", "RFC 7372"},
    {7, 27, "Sender address has null MX", "The sender's domain cannot receive replies.", "RFC 7505 4.2"},
};

constexpr std::string_view kSubjects[] = {
    "Other or Undefined Status", "Addressing Status", "Mailbox Status", "Mail System Status",
    "Network and Routing Status", "Mail Delivery Protocol Status", "Message Content or Media Status",
    "Security or Policy Status",
};

// upper - ASCII upper case copy.
std::string upper(std::string_view s) { return ascii_upper_copy(s); }

// trim - without leading/trailing blanks.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// parse_number - 1..3 decimal digits; -1 when not.
int parse_number(std::string_view s) {
  if (s.empty() || s.size() > 3) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// split_status - "5.1.10" -> {5, 1, 10}; false when malformed (class may be 'X').
bool split_status(std::string_view s, int& klass, int& subject, int& detail) {
  auto dot1 = s.find('.');
  if (dot1 == std::string_view::npos) return false;
  auto dot2 = s.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return false;
  std::string_view c = s.substr(0, dot1);
  if (c == "X" || c == "x") {
    klass = 0;
  } else {
    if (c.size() != 1) return false;
    klass = parse_number(c);
  }
  subject = parse_number(s.substr(dot1 + 1, dot2 - dot1 - 1));
  detail = parse_number(s.substr(dot2 + 1));
  return klass >= 0 && subject >= 0 && detail >= 0;
}

// is_code - exactly three digits, first 1..5.
bool is_code(std::string_view s) {
  return s.size() == 3 && s[0] >= '1' && s[0] <= '5' && std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[2]));
}

// equal_nocase - ASCII case-insensitive equality.
constexpr auto equal_nocase = ascii_iequals;

}  // namespace

// to_string - the tutor's words for a ClientNext.
const char* to_string(ClientNext n) {
  switch (n) {
    case ClientNext::GoOn: return "go on";
    case ClientNext::SendMore: return "send more";
    case ClientNext::RetryLater: return "retry later";
    case ClientNext::GiveUp: return "give up";
  }
  return "?";
}

// ReplyEntry::label - how the reply starts on the wire.
std::string ReplyEntry::label() const {
  std::string out;
  if (protocol == ReplyProtocol::Pop3) {
    out = code == kPop3Ok ? "+OK" : "-ERR";
    if (!enhanced.empty()) {
      out += " [";
      out += enhanced;
      out += "]";
    }
    return out;
  }
  out = std::to_string(code);
  if (!enhanced.empty()) {
    out += ' ';
    out += enhanced;
  }
  return out;
}

// append_rendered - fill {name} placeholders, appending to out: text between placeholders is
// copied in runs; a '{' that opens no known name is copied as it is.
void append_rendered(std::string& out, std::string_view tmpl, std::span<const TextVar> vars) {
  if (vars.empty()) {  // no names to fill: every placeholder stays as it is
    out += tmpl;
    return;
  }
  std::size_t i = 0;
  while (i < tmpl.size()) {
    const std::size_t open = tmpl.find('{', i);
    if (open == std::string_view::npos) {
      out += tmpl.substr(i);
      return;
    }
    out += tmpl.substr(i, open - i);
    const std::size_t close = tmpl.find('}', open + 1);
    if (close != std::string_view::npos) {
      const std::string_view name = tmpl.substr(open + 1, close - open - 1);
      auto it = std::find_if(vars.begin(), vars.end(), [&](const TextVar& v) { return v.first == name; });
      if (it != vars.end()) {
        out += it->second;
        i = close + 1;
        continue;
      }
    }
    out += '{';
    i = open + 1;
  }
}

// render_text - fill {name} placeholders into a new string.
std::string render_text(std::string_view tmpl, std::span<const TextVar> vars) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  append_rendered(out, tmpl, vars);
  return out;
}

std::string render_text(std::string_view tmpl, std::initializer_list<TextVar> vars) {
  return render_text(tmpl, std::span<const TextVar>(vars.begin(), vars.size()));
}

// is_enhanced_status - RFC 3463 syntax with class 2/4/5.
bool is_enhanced_status(std::string_view s) {
  int k = 0, sub = 0, det = 0;
  if (s.empty() || s[0] == 'X' || s[0] == 'x') return false;
  if (!split_status(s, k, sub, det)) return false;
  return k == 2 || k == 4 || k == 5;
}

// describe_status - registry lookup.
std::optional<StatusInfo> describe_status(std::string_view enhanced) {
  int k = 0, sub = 0, det = 0;
  if (!split_status(trim(enhanced), k, sub, det)) return std::nullopt;
  StatusInfo info;
  switch (k) {
    case 0: info.klass = "Any class"; break;
    case 2: info.klass = "Success"; break;
    case 4: info.klass = "Persistent Transient Failure"; break;
    case 5: info.klass = "Permanent Failure"; break;
    default: return std::nullopt;
  }
  if (sub < 0 || sub > 7) return std::nullopt;
  info.subject = kSubjects[sub];
  info.rfc = "RFC 3463 2";
  for (const StatusRow& r : kStatus) {
    if (r.subject == sub && r.detail == det) {
      info.detail = r.title;
      info.description = r.description;
      info.rfc = r.rfc;
      break;
    }
  }
  return info;
}

// describe_code_class - RFC 5321 4.2.1 first and second digit.
std::string describe_code_class(int code) {
  if (code < 200 || code > 599) return "";
  std::string out = std::to_string(code / 100) + "xx ";
  switch (code / 100) {
    case 2: out += "positive completion (success)"; break;
    case 3: out += "positive intermediate (send more)"; break;
    case 4: out += "transient negative completion (try again later)"; break;
    case 5: out += "permanent negative completion (do not repeat as is)"; break;
  }
  out += "; x" + std::to_string((code / 10) % 10) + "x ";
  switch ((code / 10) % 10) {
    case 0: out += "syntax"; break;
    case 1: out += "information"; break;
    case 2: out += "connections"; break;
    case 5: out += "mail system"; break;
    default: out += "unspecified"; break;
  }
  return out;
}

// Catalog::add - register a table.
void Catalog::add(std::span<const ReplyEntry> entries) {
  entries_.reserve(entries_.size() + entries.size());
  for (const ReplyEntry& e : entries) entries_.push_back(&e);
}

// Catalog::by_key - lookup by stable key.
const ReplyEntry* Catalog::by_key(std::string_view key) const {
  for (const ReplyEntry* e : entries_)
    if (equal_nocase(e->key, key)) return e;
  return nullptr;
}

// Catalog::by_code - every entry with a code.
std::vector<const ReplyEntry*> Catalog::by_code(int code, ReplyProtocol p) const {
  std::vector<const ReplyEntry*> out;
  for (const ReplyEntry* e : entries_)
    if (e->protocol == p && e->code == code) out.push_back(e);
  return out;
}

// Catalog::find - exact (code, enhanced).
std::vector<const ReplyEntry*> Catalog::find(int code, std::string_view enhanced, ReplyProtocol p) const {
  std::vector<const ReplyEntry*> out;
  for (const ReplyEntry* e : entries_)
    if (e->protocol == p && e->code == code && equal_nocase(e->enhanced, enhanced)) out.push_back(e);
  return out;
}

// Catalog::default_text - a text for a chosen code.
std::string_view Catalog::default_text(int code, std::string_view enhanced) const {
  auto exact = find(code, enhanced);
  if (!exact.empty()) return exact.front()->text;
  auto any = by_code(code);
  if (!any.empty()) return any.front()->text;
  return {};
}

// Catalog::explain - parse the query and collect matches.
std::vector<const ReplyEntry*> Catalog::explain(std::string_view query) const {
  std::vector<const ReplyEntry*> out;
  std::string q = upper(trim(query));
  std::string_view s = q;
  if (s.empty()) return out;

  // POP3: "+OK", "-ERR", "-ERR [IN-USE]", "[IN-USE]".
  bool pop_ok = s.starts_with("+OK");
  bool pop_err = s.starts_with("-ERR");
  if (pop_ok || pop_err || s.front() == '[') {
    if (pop_ok) s.remove_prefix(3);
    if (pop_err) s.remove_prefix(4);
    s = trim(s);
    std::string_view status;
    if (!s.empty()) {
      if (s.front() != '[') return out;
      auto close = s.find(']');
      if (close == std::string_view::npos) return out;
      status = s.substr(1, close - 1);
    }
    for (const ReplyEntry* e : entries_) {
      if (e->protocol != ReplyProtocol::Pop3) continue;
      if (pop_ok && e->code != kPop3Ok) continue;
      if (pop_err && e->code != kPop3Err) continue;
      if (!status.empty() && !equal_nocase(e->enhanced, status)) continue;
      out.push_back(e);
    }
    return out;
  }

  // An entry key.
  if (s.find('.') != std::string_view::npos && !std::isdigit(static_cast<unsigned char>(s.front()))) {
    if (const ReplyEntry* e = by_key(s)) out.push_back(e);
    return out;
  }

  // SMTP: "550", "5.1.1", "550 5.1.1" (in either order).
  int code = -1;
  std::string_view status;
  while (!s.empty()) {
    auto sp = s.find_first_of(" \t");
    std::string_view tok = s.substr(0, sp);
    s = sp == std::string_view::npos ? std::string_view{} : trim(s.substr(sp));
    if (is_code(tok) && code < 0) {
      code = parse_number(tok);
    } else if (is_enhanced_status(tok) && status.empty()) {
      status = tok;
    } else {
      return {};
    }
  }
  auto add_unique = [&](const ReplyEntry* e) {
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  };
  if (code >= 0 && !status.empty()) {
    for (const ReplyEntry* e : find(code, status)) add_unique(e);
    if (!out.empty()) return out;
  }
  if (!status.empty()) {
    for (const ReplyEntry* e : entries_)
      if (e->protocol == ReplyProtocol::Smtp && equal_nocase(e->enhanced, status)) add_unique(e);
  }
  if (code >= 0) {
    for (const ReplyEntry* e : by_code(code)) add_unique(e);
  }
  return out;
}

}  // namespace smtpsim::reply
