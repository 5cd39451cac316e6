// reply_catalog.hpp - the reply catalogue's protocol-neutral part: the entry type every protocol's
// table is made of (a reply's code, enhanced/response code, default text, a plain-language meaning
// for students, what the client does next, the RFC section), placeholder rendering, the RFC 3463
// enhanced status registry and the searchable Catalog. The SMTP table lives in sim/smtp
// (smtp_catalog.hpp), the POP3 table in sim/pop3 (pop3_catalog.hpp); neither area needs the other.
//
// Tools build a Catalog from entry tables and search it: Catalog::add() takes any span of
// ReplyEntry (protocol Pop3 entries use code kPop3Ok / kPop3Err, `enhanced` holding the RFC 2449
// response code such as "IN-USE"):
//     smtp::Catalog cat = smtp::Catalog::smtp();
//     cat.add(pop3::catalog_entries());
//     for (const ReplyEntry* e : cat.explain("-ERR [IN-USE]")) ...
//
// Entry texts may hold named placeholders such as "{host}" or "{address}"; render_text() fills
// them. Explanations show the template, so a student sees where the variable part goes.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smtpsim::reply {

// ReplyProtocol - which protocol a catalogue entry belongs to.
enum class ReplyProtocol : unsigned char { Smtp, Pop3 };

// POP3 entries use these codes (the same convention as ProtoEvent::Reply for POP3).
inline constexpr int kPop3Ok = 1;   // "+OK"
inline constexpr int kPop3Err = 2;  // "-ERR"

// ClientNext - what a client does after this reply, for the tutor's icon.
enum class ClientNext : unsigned char {
  GoOn,        // success: continue with the next command
  SendMore,    // intermediate (3xx): send the next part (message data, SASL response)
  RetryLater,  // transient (4xx): keep the message queued, try again later
  GiveUp,      // permanent (5xx): do not retry this; bounce to the sender or fix the request
};
const char* to_string(ClientNext n);  // "go on", "send more", "retry later", "give up"

// ReplyEntry - one catalogue entry. All fields point to static text.
struct ReplyEntry {
  std::string_view key;       // stable name, "smtp.rcpt_unknown" (used by tests, JSON, the tutor)
  ReplyProtocol protocol = ReplyProtocol::Smtp;
  int code = 0;               // SMTP: 3-digit code; POP3: kPop3Ok / kPop3Err
  std::string_view enhanced;  // SMTP: "5.1.1" or "" (none sent); POP3: "IN-USE" or ""
  std::string_view text;      // default text, may hold {placeholders}
  std::string_view meaning;   // what it means, for a student
  std::string_view next;      // what the client does next, in words
  ClientNext next_kind = ClientNext::GoOn;
  std::string_view rfc;       // "RFC 5321 4.2.3"

  // label - "550 5.1.1", "354", "-ERR [IN-USE]", "+OK".
  std::string label() const;
};

// TextVar - one placeholder value for render_text: {"host", "mx.example"}.
using TextVar = std::pair<std::string_view, std::string_view>;

// render_text - the template with every "{name}" replaced by its value; unknown names stay as they are.
std::string render_text(std::string_view tmpl, std::initializer_list<TextVar> vars);
std::string render_text(std::string_view tmpl, std::span<const TextVar> vars);
// append_rendered - the same, appended to out (no string of its own).
void append_rendered(std::string& out, std::string_view tmpl, std::span<const TextVar> vars);

// StatusInfo - the RFC 3463 meaning of an enhanced status code "c.s.d".
struct StatusInfo {
  std::string_view klass;    // "Permanent Failure"
  std::string_view subject;  // "Addressing Status"
  std::string_view detail;   // "Bad destination mailbox address" ("" when the detail is unregistered)
  std::string_view description;  // the registry's explanation ("" when unregistered)
  std::string_view rfc;      // "RFC 3463 3.2"
};

// describe_status - meaning of "5.1.1" (also "X.1.1" for the detail alone); nullopt when the text
// is not an enhanced status code or its class/subject is unknown.
std::optional<StatusInfo> describe_status(std::string_view enhanced);

// describe_code_class - one line about a reply code's class and category: 550 -> "5xx permanent
// failure; x5x mail system". "" for codes outside 200..599.
std::string describe_code_class(int code);

// is_enhanced_status - "d.ddd.ddd" with class 2, 4 or 5 (RFC 3463 syntax).
bool is_enhanced_status(std::string_view s);

// Catalog - a searchable collection of entries from one or more protocols' tables.
class Catalog {
 public:
  Catalog() = default;
  // add - register a table (its storage must outlive the catalogue; tables are static arrays).
  void add(std::span<const ReplyEntry> entries);

  // all - every entry, in registration order.
  const std::vector<const ReplyEntry*>& all() const { return entries_; }
  // by_key - the entry with this key, or nullptr.
  const ReplyEntry* by_key(std::string_view key) const;
  // by_code - every entry of a protocol with this code.
  std::vector<const ReplyEntry*> by_code(int code, ReplyProtocol p = ReplyProtocol::Smtp) const;
  // find - entries with exactly this (code, enhanced); enhanced "" finds the entries without one.
  std::vector<const ReplyEntry*> find(int code, std::string_view enhanced,
                                      ReplyProtocol p = ReplyProtocol::Smtp) const;
  // default_text - the text of the first entry matching (code, enhanced), else the first entry
  // with this code, else "". Used when a scenario picks a reply code without a text.
  std::string_view default_text(int code, std::string_view enhanced) const;

  // explain - entries answering a query, best first:
  //   "550"            every SMTP entry with code 550
  //   "5.1.1"          every entry with enhanced code 5.1.1 (any reply code)
  //   "550 5.1.1"      the exact entries; when none: the 5.1.1 entries, then the 550 entries
  //   "-ERR", "+OK"    every POP3 entry of that kind
  //   "-ERR [IN-USE]"  POP3 entries with that response code ("[IN-USE]" alone works too)
  //   "smtp.greylisted" an entry key
  // Case and surrounding spaces do not matter. Unparseable or unknown queries give an empty list.
  std::vector<const ReplyEntry*> explain(std::string_view query) const;

 private:
  std::vector<const ReplyEntry*> entries_;
};

}  // namespace smtpsim::reply
