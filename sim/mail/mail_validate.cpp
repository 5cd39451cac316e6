// mail_validate.cpp - the checks behind validate(): RFC 5322 field counts, syntax and line rules.
#include "sim/mail/mail_validate.hpp"

#include "sim/mail/mail_address.hpp"
#include "sim/mail/mail_date.hpp"
#include "sim/mail/mail_mime.hpp"

namespace smtpsim::mail {

namespace {

using Sev = Problem::Severity;

// add - append one problem.
void add(std::vector<Problem>& out, Sev s, std::string field, std::string text, std::string rfc) {
  out.push_back(Problem{s, std::move(field), std::move(text), std::move(rfc)});
}

// is_dot_atom_text - RFC 5322 dot-atom-text (atext separated by single dots).
bool is_dot_atom_text(std::string_view s) { return is_dot_string(s); }

}  // namespace

bool is_msg_id(std::string_view v) {
  if (v.size() < 5 || v.front() != '<' || v.back() != '>') return false;
  std::string_view in = v.substr(1, v.size() - 2);
  std::size_t at = in.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view left = in.substr(0, at), right = in.substr(at + 1);
  if (!is_dot_atom_text(left)) return false;
  if (is_dot_atom_text(right)) return true;
  if (right.size() >= 2 && right.front() == '[' && right.back() == ']') {
    for (char c : right.substr(1, right.size() - 2)) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 33 || u > 126 || c == '[' || c == ']' || c == '\\') return false;
    }
    return true;
  }
  return false;
}

bool has_errors(const std::vector<Problem>& problems) {
  for (const Problem& p : problems)
    if (p.severity == Sev::Error) return true;
  return false;
}

std::vector<Problem> validate(const Message& m) {
  std::vector<Problem> out;

  // --- byte-level rules ---
  if (m.has_nul())
    add(out, Sev::Error, "message", "contains NUL octets, which are not allowed in message text",
        "RFC 5322 2.1, 3.5");
  if (m.has_bare_line_ends())
    add(out, Sev::Error, "message",
        "contains a bare CR or LF; lines must end with CRLF, and a bare LF near the end-of-data dot "
        "is what SMTP smuggling abuses",
        "RFC 5322 2.3, RFC 5321 2.3.8");
  std::vector<std::size_t> longs = m.long_lines();
  for (std::size_t k = 0; k < longs.size() && k < 5; ++k)
    add(out, Sev::Error, "line " + std::to_string(longs[k]),
        "longer than 998 characters; servers may reject or break the line (use quoted-printable)",
        "RFC 5322 2.1.1, RFC 5321 4.5.3.1.6");
  if (longs.size() > 5)
    add(out, Sev::Error, "message", std::to_string(longs.size() - 5) + " more lines longer than 998 characters",
        "RFC 5322 2.1.1");
  if (!m.has_separator() && !m.body().empty())
    add(out, Sev::Warning, "line " + std::to_string(m.body_first_line()),
        "is not a header field (no \"name:\"), so the header section ended there and everything from "
        "this line on is body text; put an empty line between header and body",
        "RFC 5322 2.1, 3.5");

  // --- Date ---
  std::size_t dates = m.count("Date");
  if (dates == 0)
    add(out, Sev::Error, "Date", "missing: every message must carry exactly one Date field (the time the "
        "author sent it); submission servers often add one", "RFC 5322 3.6, 3.6.1");
  else if (dates > 1)
    add(out, Sev::Error, "Date", "appears " + std::to_string(dates) + " times; it must appear exactly once",
        "RFC 5322 3.6");
  if (dates >= 1 && !parse_rfc5322_date(*m.get("Date")))
    add(out, Sev::Error, "Date", "\"" + *m.get("Date") + "\" is not a valid date-time such as "
        "\"Mon, 02 Mar 2026 09:15:00 +0000\"", "RFC 5322 3.3");

  // --- From / Sender ---
  std::size_t froms = m.count("From");
  if (froms == 0)
    add(out, Sev::Error, "From", "missing: every message must say who wrote it, exactly once",
        "RFC 5322 3.6, 3.6.2");
  else if (froms > 1)
    add(out, Sev::Error, "From", "appears " + std::to_string(froms) + " times; it must appear exactly once",
        "RFC 5322 3.6");
  if (froms >= 1) {
    std::vector<std::string> addrs = header_addresses(*m.get("From"));
    if (addrs.empty())
      add(out, Sev::Error, "From", "contains no address", "RFC 5322 3.6.2");
    for (const std::string& a : addrs)
      if (!Address::parse(a))
        add(out, Sev::Error, "From", "\"" + a + "\" is not a valid address (" +
            std::string(describe(Address::parse(a).error)) + ")", "RFC 5322 3.4.1");
    if (addrs.size() > 1 && m.count("Sender") == 0)
      add(out, Sev::Error, "Sender", "From lists " + std::to_string(addrs.size()) +
          " authors, so a Sender field must name the one who sent it", "RFC 5322 3.6.2");
  }

  // --- fields that may appear at most once (RFC 5322 3.6 table) ---
  static constexpr const char* kOnce[] = {"Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID",
                                          "In-Reply-To", "References", "Subject"};
  for (const char* name : kOnce) {
    std::size_t n = m.count(name);
    if (n > 1)
      add(out, Sev::Error, name, "appears " + std::to_string(n) + " times; it may appear at most once",
          "RFC 5322 3.6");
  }

  // --- Message-ID ---
  if (m.count("Message-ID") == 0)
    add(out, Sev::Warning, "Message-ID", "missing: a message should carry a unique Message-ID so replies "
        "and duplicates can be recognised; the submission server often adds one", "RFC 5322 3.6.4");
  else if (!is_msg_id(*m.get("Message-ID")))
    add(out, Sev::Warning, "Message-ID", "\"" + *m.get("Message-ID") + "\" is not of the form "
        "<unique-part@domain>", "RFC 5322 3.6.4");

  // --- 8-bit content ---
  for (const Header& h : m.headers())
    if (!is_ascii(h.raw())) {
      add(out, Sev::Warning, h.name(), "contains 8-bit characters; header text must be ASCII unless "
          "SMTPUTF8 is used (encode it as =?UTF-8?B?...?= words)", "RFC 5322 2.2, RFC 2047, RFC 6532");
      break;
    }
  if (!is_ascii(m.body())) {
    std::string cte = m.get("Content-Transfer-Encoding").value_or("");
    if (!iequals(cte, "8bit") && !iequals(cte, "binary"))
      add(out, Sev::Warning, "body", "contains 8-bit characters but no \"Content-Transfer-Encoding: "
          "8bit\"; it can only travel with BODY=8BITMIME and should be declared as MIME",
          "RFC 2045 6, RFC 6152");
  }
  return out;
}

}  // namespace smtpsim::mail
