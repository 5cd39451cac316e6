// mail_received.cpp - building Received/Return-Path/Delivered-To fields and reading Received back.
#include "sim/mail/mail_received.hpp"
#include "sim/mail/mail_cfws.hpp"

#include "sim/mail/mail_date.hpp"

namespace smtpsim::mail {

namespace {

// is_unsafe - a character that must not appear as itself in a Received field's client text.
bool is_unsafe(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u <= 32 || u >= 127 || c == '(' || c == ')' || c == '\\' || c == '<' || c == '>' || c == ';';
}

// append_safe - client-supplied text made harmless inside a Received field, appended to out.
void append_safe(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  out.append(s);
  for (std::size_t i = start; i < out.size(); ++i)
    if (is_unsafe(out[i])) out[i] = '?';
}

// trim - strip whitespace at both ends.
std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// starts_with_ci - case-insensitive prefix test.
bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

struct Token {
  enum class Kind { Word, Angle, Comment } kind;
  std::string text;
};

// tokenize - words, <angle> addresses, quoted strings (as words) and (nested) comments.
std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { ++i; continue; }
    if (c == '(') {
      std::size_t start = i;
      i = skip_comment(s, i);
      std::size_t end = (i > start + 1 && s[i - 1] == ')') ? i - 1 : i;
      out.push_back({Token::Kind::Comment, std::string(trim(s.substr(start + 1, end - start - 1)))});
      continue;
    }
    if (c == '<') {
      std::size_t j = s.find('>', i);
      if (j == std::string_view::npos) j = s.size();
      out.push_back({Token::Kind::Angle, std::string(s.substr(i + 1, j - i - 1))});
      i = j + 1;
      continue;
    }
    if (c == '"') {
      std::string w;
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        w.push_back(s[i++]);
      }
      ++i;
      out.push_back({Token::Kind::Word, std::move(w)});
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '(' &&
           s[i] != '<')
      ++i;
    out.push_back({Token::Kind::Word, std::string(s.substr(start, i - start))});
  }
  return out;
}

// last_semicolon - the position of the last ';' outside comments and quotes, or npos.
std::size_t last_semicolon(std::string_view s) {
  std::size_t found = std::string_view::npos;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') { ++i; continue; }
    if (quoted) { if (c == '"') quoted = false; continue; }
    if (c == '"' && depth == 0) quoted = true;
    else if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (c == ';' && depth == 0) found = i;
  }
  return found;
}

// parse_tcp_info - "rdns [ip]", "[ip]", "unknown [IPv6:..]", "host" into the hop.
void parse_tcp_info(std::string_view text, ReceivedHop& hop) {
  std::size_t lb = text.find('[');
  std::size_t rb = lb == std::string_view::npos ? lb : text.find(']', lb);
  if (lb != std::string_view::npos && rb != std::string_view::npos) {
    std::string_view ip = text.substr(lb + 1, rb - lb - 1);
    if (starts_with_ci(ip, "IPv6:")) ip.remove_prefix(5);
    hop.from_ip = std::string(ip);
    std::string_view name = trim(text.substr(0, lb));
    if (name.find_first_of(" \t=") == std::string_view::npos) hop.from_rdns = std::string(name);
  } else {
    std::string_view name = trim(text);
    if (!name.empty() && name.find_first_of(" \t=") == std::string_view::npos) hop.from_rdns = std::string(name);
  }
}

}  // namespace

std::string with_protocol(bool esmtp, bool tls, bool authenticated, bool lmtp) {
  std::string w = lmtp ? "LMTP" : (esmtp || tls || authenticated ? "ESMTP" : "SMTP");
  if (tls) w += "S";
  if (authenticated) w += "A";
  return w;
}

// append_received_value - received_value(f) appended to out, built in place.
void append_received_value(std::string& out, const ReceivedFields& f) {
  const std::string_view rdns = f.client_rdns.empty() ? std::string_view("unknown") : std::string_view(f.client_rdns);
  out += " from ";
  append_safe(out, f.helo.empty() ? rdns : std::string_view(f.helo));  // no HELO: the reverse DNS name
  out += " (";
  append_safe(out, rdns);
  if (!f.client_ip.empty()) {
    out += " [";
    if (f.client_ip.find(':') != std::string::npos) out += "IPv6:";  // ':' is not changed by append_safe
    append_safe(out, f.client_ip);
    out += "]";
  }
  out += ")";
  if (!f.tls_version.empty()) {
    out += "\r\n\t(using ";
    append_safe(out, f.tls_version);
    out += " with cipher ";
    append_safe(out, f.tls_cipher);
    if (f.tls_bits > 0) out.append(" (").append(std::to_string(f.tls_bits)).append("/").append(std::to_string(f.tls_bits)).append(" bits)");
    out += ")";
  }
  if (!f.auth_user.empty()) {
    out += "\r\n\t(Authenticated sender: ";
    append_safe(out, f.auth_user);
    out += ")";
  }
  out += "\r\n\tby ";
  append_safe(out, f.by);
  out += " (";
  append_safe(out, f.software);
  out += ")";
  if (!f.with.empty()) {
    out += " with ";
    append_safe(out, f.with);
  }
  if (!f.id.empty()) {
    out += " id ";
    append_safe(out, f.id);
  }
  if (f.recipients.size() == 1) {
    out += "\r\n\tfor <";
    append_safe(out, f.recipients.front());
    out.append(">; ").append(f.date);
  } else {
    out.append(";\r\n\t").append(f.date);
  }
}

std::string received_value(const ReceivedFields& f) {
  std::string v;
  v.reserve(256);
  append_received_value(v, f);
  return v;
}

void append_received_field(std::string& out, const ReceivedFields& f) {
  out += "Received:";
  append_received_value(out, f);
  out += "\r\n";
}

Header received_header(const ReceivedFields& f) {
  std::string raw;
  raw.reserve(256);
  append_received_field(raw, f);
  return Header::from_raw(std::move(raw));
}

Header return_path_header(const Address& reverse_path) { return Header("Return-Path", reverse_path.path()); }

Header delivered_to_header(const Address& recipient) { return Header("Delivered-To", recipient.str()); }

ReceivedHop parse_received(std::string_view value) {
  ReceivedHop hop;
  std::string s = unfold(value);
  std::size_t semi = last_semicolon(s);
  std::string_view clauses = s;
  if (semi != std::string_view::npos) {
    hop.date = std::string(trim(std::string_view(s).substr(semi + 1)));
    clauses = std::string_view(s).substr(0, semi);
    if (auto d = parse_rfc5322_date(hop.date)) hop.unix_time = d->unix_seconds;
  }
  enum class Clause { None, From, By, Via, With, Id, For };
  Clause clause = Clause::None;
  bool want_value = false;
  bool tcp_info_seen = false;
  for (Token& t : tokenize(clauses)) {
    if (t.kind == Token::Kind::Comment) {
      if (starts_with_ci(t.text, "using ")) {
        hop.tls = t.text.substr(6);
      } else if (starts_with_ci(t.text, "Authenticated sender:")) {
        hop.auth_user = std::string(trim(std::string_view(t.text).substr(21)));
      } else if (clause == Clause::From && !want_value && !tcp_info_seen) {
        parse_tcp_info(t.text, hop);
        tcp_info_seen = true;
      }
      hop.comments.push_back(std::move(t.text));
      continue;
    }
    if (want_value) {
      std::string v = std::move(t.text);
      switch (clause) {
        case Clause::From: hop.from = v; break;
        case Clause::By: hop.by = v; break;
        case Clause::Via: hop.via = v; break;
        case Clause::With: hop.with = v; break;
        case Clause::Id: hop.id = v; break;
        case Clause::For:
          if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
          hop.for_rcpt = v;
          break;
        case Clause::None: break;
      }
      want_value = false;
      continue;
    }
    if (t.kind != Token::Kind::Word) continue;
    Clause next = Clause::None;
    if (iequals(t.text, "from")) next = Clause::From;
    else if (iequals(t.text, "by")) next = Clause::By;
    else if (iequals(t.text, "via")) next = Clause::Via;
    else if (iequals(t.text, "with")) next = Clause::With;
    else if (iequals(t.text, "id")) next = Clause::Id;
    else if (iequals(t.text, "for")) next = Clause::For;
    if (next != Clause::None) {
      clause = next;
      want_value = true;
    }
  }
  return hop;
}

std::vector<ReceivedHop> parse_received_chain(const Message& m) {
  std::vector<ReceivedHop> hops;
  const auto& hs = m.headers();
  for (auto it = hs.rbegin(); it != hs.rend(); ++it)
    if (it->is("Received")) hops.push_back(parse_received(it->raw_value()));
  return hops;
}

}  // namespace smtpsim::mail
