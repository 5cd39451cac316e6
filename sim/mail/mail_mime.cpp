// mail_mime.cpp - Content-Type parsing, multipart split/join, quoted-printable, base64, RFC 2047.
#include "sim/mail/mail_mime.hpp"
#include "sim/mail/mail_cfws.hpp"

#include "sim/mail/mail_message.hpp"

namespace smtpsim::mail {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// lower - ASCII lower-case copy.
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// is_tspecial - RFC 2045 tspecials.
bool is_tspecial(char c) {
  switch (c) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':': case '\\':
    case '"': case '/': case '[': case ']': case '?': case '=':
      return true;
    default:
      return false;
  }
}

// hex_value - 0..15 for a hex digit, -1 otherwise.
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Scanner - walks a structured header value, skipping CFWS.
struct Scanner {
  std::string_view s;
  std::size_t i = 0;
  void skip_cfws() {
    while (i < s.size()) {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { ++i; continue; }
      if (c == '(') {
        i = skip_comment(s, i);
        continue;
      }
      break;
    }
  }
  std::string token() {
    std::size_t start = i;
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c <= 32 || c >= 127 || is_tspecial(char(c))) break;
      ++i;
    }
    return std::string(s.substr(start, i - start));
  }
  // quoted - a quoted-string's content; nullopt if unterminated.
  std::optional<std::string> quoted() {
    std::string out;
    ++i;  // opening quote
    while (i < s.size()) {
      char c = s[i];
      if (c == '\\' && i + 1 < s.size()) { out.push_back(s[i + 1]); i += 2; continue; }
      if (c == '"') { ++i; return out; }
      if (c != '\r' && c != '\n') out.push_back(c);
      ++i;
    }
    return std::nullopt;
  }
};

}  // namespace

// ---- Content-Type ----

bool ContentType::is(std::string_view mt) const { return iequals(mime_type(), mt); }

std::optional<std::string> ContentType::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

std::string ContentType::str() const {
  std::string out = mime_type();
  for (const auto& [k, v] : params) out += "; " + k + "=" + quote_param_value(v);
  return out;
}

bool is_mime_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 32 || c >= 127 || is_tspecial(char(c))) return false;
  return true;
}

std::string quote_param_value(std::string_view v) {
  if (is_mime_token(v)) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::optional<ContentType> parse_content_type(std::string_view value) {
  Scanner sc{value};
  sc.skip_cfws();
  ContentType ct;
  ct.type = lower(sc.token());
  sc.skip_cfws();
  if (ct.type.empty() || sc.i >= value.size() || value[sc.i] != '/') return std::nullopt;
  ++sc.i;
  sc.skip_cfws();
  ct.subtype = lower(sc.token());
  if (ct.subtype.empty()) return std::nullopt;
  ct.params.clear();
  while (true) {
    sc.skip_cfws();
    if (sc.i >= value.size() || value[sc.i] != ';') break;
    ++sc.i;
    sc.skip_cfws();
    std::string name = lower(sc.token());
    sc.skip_cfws();
    if (name.empty() || sc.i >= value.size() || value[sc.i] != '=') {
      // tolerate junk such as a trailing ";": skip to the next ';'
      while (sc.i < value.size() && value[sc.i] != ';') ++sc.i;
      continue;
    }
    ++sc.i;
    sc.skip_cfws();
    std::string v;
    if (sc.i < value.size() && value[sc.i] == '"') {
      auto q = sc.quoted();
      if (!q) break;
      v = *q;
    } else {
      v = sc.token();
    }
    ct.params.emplace_back(std::move(name), std::move(v));
  }
  return ct;
}

bool is_valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  for (char c : b) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    switch (c) {
      case '\'': case '(': case ')': case '+': case '_': case ',': case '-': case '.': case '/':
      case ':': case '=': case '?': case ' ':
        ok = true;
        break;
      default:
        break;
    }
    if (!ok) return false;
  }
  return true;
}

// ---- multipart ----

std::optional<MultipartBody> split_multipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) return std::nullopt;
  std::string dash = "--" + std::string(boundary);
  struct Delim { std::size_t before, content; bool close; };
  std::vector<Delim> delims;
  std::size_t search = 0;
  while (search <= body.size()) {
    std::size_t ls;
    if (search == 0 && body.substr(0, dash.size()) == dash) {
      ls = 0;
    } else {
      std::size_t p = body.find("\r\n" + dash, search);
      if (p == std::string_view::npos) break;
      ls = p + 2;
    }
    std::size_t j = ls + dash.size();
    bool close = body.substr(j, 2) == "--";
    if (close) j += 2;
    while (j < body.size() && (body[j] == ' ' || body[j] == '\t')) ++j;  // transport padding
    bool at_end = j >= body.size();
    if (at_end || body.substr(j, 2) == "\r\n") {
      std::size_t before = ls >= 2 ? ls - 2 : 0;
      delims.push_back({before, at_end ? body.size() : j + 2, close});
      if (close) break;
    }
    search = ls + 1;
  }
  if (delims.empty()) return std::nullopt;
  MultipartBody mb;
  mb.preamble = std::string(body.substr(0, delims[0].before));
  for (std::size_t k = 0; k < delims.size(); ++k) {
    const Delim& d = delims[k];
    if (d.close) {
      mb.closed = true;
      mb.epilogue = std::string(body.substr(d.content));
      break;
    }
    std::size_t end = k + 1 < delims.size() ? delims[k + 1].before : body.size();
    if (end < d.content) end = d.content;
    mb.parts.emplace_back(body.substr(d.content, end - d.content));
  }
  return mb;
}

std::string join_multipart(const std::vector<std::string>& parts, std::string_view boundary,
                           std::string_view preamble) {
  std::string out;
  if (!preamble.empty()) {
    out += preamble;
    out += "\r\n";
  }
  for (const std::string& p : parts) {
    out += "--";
    out += boundary;
    out += "\r\n";
    out += p;
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

// ---- quoted-printable ----

std::string qp_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find("\r\n", pos);
    std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      char tok[4];
      std::size_t n;
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      if (literal) {
        tok[0] = char(c);
        n = 1;
      } else {
        tok[0] = '=';
        tok[1] = kHex[c >> 4];
        tok[2] = kHex[c & 15];
        n = 3;
      }
      // keep room for a soft break "=" unless this token ends the line
      std::size_t limit = last ? 76 : 75;
      if (col + n > limit) {
        out += "=\r\n";
        col = 0;
      }
      out.append(tok, n);
      col += n;
    }
    if (eol == std::string_view::npos) break;
    out += "\r\n";
    pos = eol + 2;
  }
  return out;
}

std::string qp_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find("\r\n", pos);
    std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    bool soft = !line.empty() && line.back() == '=';
    if (soft) line.remove_suffix(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '=' && i + 2 < line.size() && hex_value(line[i + 1]) >= 0 &&
          hex_value(line[i + 2]) >= 0) {
        out.push_back(char(hex_value(line[i + 1]) * 16 + hex_value(line[i + 2])));
        i += 2;
      } else {
        out.push_back(line[i]);  // a malformed "=" is kept as is
      }
    }
    if (eol == std::string_view::npos) break;
    if (!soft) out += "\r\n";
    pos = eol + 2;
  }
  return out;
}

// ---- base64 ----

// base64_encode_lines - the one-line encoding cut every line_length characters.
std::string base64_encode_lines(std::string_view data, std::size_t line_length) {
  const std::string flat = base64_encode(data);
  if (line_length == 0) return flat;
  std::string out;
  out.reserve(flat.size() + (flat.size() / line_length + 1) * 2);
  for (std::size_t i = 0; i < flat.size(); i += line_length) {
    out.append(flat, i, line_length);
    out += "\r\n";
  }
  return out;
}

// ---- RFC 2047 ----

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string encode_words(std::string_view utf8) {
  if (is_ascii(utf8) && utf8.find("=?") == std::string_view::npos) return std::string(utf8);
  constexpr std::size_t kMaxBytes = 45;  // 60 base64 chars + "=?UTF-8?B?" + "?=" = 72
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i + kMaxBytes < utf8.size() ? i + kMaxBytes : utf8.size();
    // back up so a multi-byte sequence is never split (continuation bytes are 10xxxxxx)
    if (end < utf8.size())
      while (end > i + 1 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += ' ';
    out += "=?UTF-8?B?";
    out += base64_encode(utf8.substr(i, end - i));
    out += "?=";
    i = end;
  }
  return out;
}

std::string decode_words(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  bool prev_word = false;
  std::string pending_ws;
  while (i < text.size()) {
    if (text.substr(i, 2) == "=?") {
      std::size_t q1 = text.find('?', i + 2);
      std::size_t q2 = q1 == std::string_view::npos ? q1 : text.find('?', q1 + 1);
      std::size_t e = q2 == std::string_view::npos ? q2 : text.find("?=", q2 + 1);
      if (e != std::string_view::npos) {
        char enc = text[q1 + 1];
        std::string_view payload = text.substr(q2 + 1, e - q2 - 1);
        std::optional<std::string> dec;
        if ((enc == 'B' || enc == 'b') && q2 == q1 + 2) {
          dec = base64_decode_lenient(payload);
        } else if ((enc == 'Q' || enc == 'q') && q2 == q1 + 2) {
          std::string s;
          for (std::size_t k = 0; k < payload.size(); ++k) {
            if (payload[k] == '_') s.push_back(' ');
            else if (payload[k] == '=' && k + 2 < payload.size() && hex_value(payload[k + 1]) >= 0 &&
                     hex_value(payload[k + 2]) >= 0) {
              s.push_back(char(hex_value(payload[k + 1]) * 16 + hex_value(payload[k + 2])));
              k += 2;
            } else s.push_back(payload[k]);
          }
          dec = s;
        }
        if (dec) {
          if (!prev_word) out += pending_ws;
          pending_ws.clear();
          out += *dec;
          prev_word = true;
          i = e + 2;
          continue;
        }
      }
    }
    char c = text[i++];
    if (c == '\r' || c == '\n') continue;  // unfold
    if (c == ' ' || c == '\t') {
      pending_ws.push_back(c);
      continue;
    }
    out += pending_ws;
    pending_ws.clear();
    out.push_back(c);
    prev_word = false;
  }
  out += pending_ws;
  return out;
}

}  // namespace smtpsim::mail
