// mail_compose.cpp - new messages from scenario fields: headers, MIME when needed, filler bodies.
#include "sim/mail/mail_compose.hpp"

#include <cstdio>

#include "sim/mail/mail_mime.hpp"

namespace smtpsim::mail {

namespace {

// trim - strip SP/HTAB at both ends.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// is_phrase_safe - a display name that can go out as atoms separated by spaces.
bool is_phrase_safe(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
    switch (c) {
      case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
      case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
      case '~':
        ok = true;
        break;
      default:
        break;
    }
    if (!ok) return false;
  }
  return true;
}

// filler_line - the n-th filler line (1-based), CRLF included.
std::string filler_line(std::size_t n) {
  char buf[120];
  std::snprintf(buf, sizeof buf,
                "Line %06zu of smtpsim filler text: the quick brown fox jumps over the lazy dog.\r\n", n);
  return buf;
}

// has_long_line - a CRLF-delimited line longer than 998 octets.
bool has_long_line(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find("\r\n", pos);
    std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    if (end - pos > kMaxLineLength) return true;
    if (eol == std::string_view::npos) break;
    pos = eol + 2;
  }
  return false;
}

}  // namespace

std::string format_mailbox(std::string_view text) {
  text = trim(text);
  std::size_t lt = text.rfind('<');
  if (lt == std::string_view::npos || text.back() != '>') return std::string(text);
  std::string_view name = trim(text.substr(0, lt));
  std::string_view addr = text.substr(lt);
  if (name.empty()) return std::string(addr);
  std::string out;
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    out = std::string(name);  // already a quoted-string
  } else if (!is_ascii(name)) {
    out = encode_words(name);
  } else if (is_phrase_safe(name)) {
    out = std::string(name);
  } else {
    out = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out += "\"";
  }
  return out + " " + std::string(addr);
}

std::string filler_body(std::size_t octets) {
  std::string out;
  out.reserve(octets);
  std::size_t n = 1;
  while (true) {
    std::size_t remaining = octets - out.size();
    if (remaining == 0) break;
    std::string line = filler_line(n++);
    std::size_t len = line.size();
    if (remaining == len || remaining >= len + 4) {
      out += line;
    } else if (remaining > len) {
      // too much for one line, too little for two full ones: a shorter line, then a 4-octet one
      out.append(line, 0, remaining - 4 - 2);
      out += "\r\n";
      out += "Lx\r\n";
    } else if (remaining >= 2) {
      out.append(line, 0, remaining - 2);
      out += "\r\n";
    } else {
      out += "L";  // a 1-octet body cannot end with CRLF
    }
  }
  return out;
}

Message compose(const ComposeSpec& spec) {
  Message m;
  if (!spec.from.empty()) m.append("From", format_mailbox(spec.from));
  auto list = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& a : v) {
      if (!out.empty()) out += ", ";
      out += format_mailbox(a);
    }
    return out;
  };
  if (!spec.to.empty()) m.append("To", list(spec.to));
  if (!spec.cc.empty()) m.append("Cc", list(spec.cc));
  bool mime = false;
  if (!spec.subject.empty()) {
    std::string subj = encode_words(spec.subject);
    if (subj != spec.subject) mime = true;
    m.append("Subject", subj);
  }
  if (!spec.date.empty()) m.append("Date", spec.date);
  if (!spec.message_id.empty()) m.append("Message-ID", spec.message_id);

  std::string body;
  BodyEncoding enc = spec.encoding;
  if (spec.body_size) {
    body = filler_body(*spec.body_size);
    if (enc == BodyEncoding::Auto) enc = BodyEncoding::Raw;
  } else {
    body = to_crlf(spec.body);
  }
  bool ascii = is_ascii(body);
  if (enc == BodyEncoding::Auto)
    enc = (ascii && !has_long_line(body)) ? BodyEncoding::Raw : BodyEncoding::QuotedPrintable;
  const char* cte = nullptr;
  switch (enc) {
    case BodyEncoding::Auto:
    case BodyEncoding::Raw:
      break;
    case BodyEncoding::EightBit:
      cte = "8bit";
      break;
    case BodyEncoding::QuotedPrintable:
      cte = "quoted-printable";
      body = qp_encode(body);
      break;
    case BodyEncoding::Base64:
      cte = "base64";
      body = base64_encode_lines(body);
      break;
  }
  if (cte) mime = true;
  if (mime) m.append("MIME-Version", "1.0");
  if (cte) {
    m.append("Content-Type", ascii ? "text/plain; charset=us-ascii" : "text/plain; charset=UTF-8");
    m.append("Content-Transfer-Encoding", cte);
  }
  for (const auto& [name, value] : spec.extra_headers) m.append(name, value);
  m.set_body(std::move(body));
  return m;
}

}  // namespace smtpsim::mail
