// pop3_auth.cpp - APOP digest and timestamp, base64, SASL PLAIN.
#include "sim/pop3/pop3_auth.hpp"

#include <openssl/evp.h>

namespace smtpsim::pop3 {

// apop_digest - EVP one-shot MD5 (MD5 is in OpenSSL 3's default provider).
std::string apop_digest(std::string_view timestamp, std::string_view secret) {
  std::string input;
  input.reserve(timestamp.size() + secret.size());
  input.append(timestamp);
  input.append(secret);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), md, &len, EVP_md5(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

// apop_timestamp - "<session.seconds-and-micros@host>".
std::string apop_timestamp(std::uint64_t session_id, SimTime now, std::string_view host) {
  std::string h;
  for (char c : host) {
    if (c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '@') h.push_back(c);
  }
  if (h.empty()) h = "localhost";
  return "<" + std::to_string(session_id) + "." + std::to_string(now < 0 ? 0 : now) + "@" + h + ">";
}

// greeting_timestamp - RFC 1939 does not fix its place; take the last bracketed msg-id.
std::string greeting_timestamp(std::string_view greeting) {
  std::size_t close = greeting.rfind('>');
  if (close == std::string_view::npos) return "";
  std::size_t open = greeting.rfind('<', close);
  if (open == std::string_view::npos) return "";
  std::string_view ts = greeting.substr(open, close - open + 1);
  if (ts.find('@') == std::string_view::npos || ts.find(' ') != std::string_view::npos) return "";
  return std::string(ts);
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// b64_value - the 6-bit value of a base64 character, or -1.
int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

// base64_encode - three bytes to four characters, '=' padded.
std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    out.push_back(kB64[v >> 18 & 63]);
    out.push_back(kB64[v >> 12 & 63]);
    out.push_back(kB64[v >> 6 & 63]);
    out.push_back(kB64[v & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16;
    if (i + 1 < bytes.size()) v |= (unsigned char)bytes[i + 1] << 8;
    out.push_back(kB64[v >> 18 & 63]);
    out.push_back(kB64[v >> 12 & 63]);
    out.push_back(i + 1 < bytes.size() ? kB64[v >> 6 & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// base64_decode - strict: length a multiple of 4, padding only at the end, no stray bits.
std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[k] = b64_value(c);
      if (v[k] < 0) return std::nullopt;
    }
    unsigned bits = unsigned(v[0]) << 18 | unsigned(v[1]) << 12 | unsigned(v[2]) << 6 | unsigned(v[3]);
    out.push_back(char(bits >> 16 & 255));
    if (pad < 2) out.push_back(char(bits >> 8 & 255));
    else if ((bits >> 8 & 255) != 0) return std::nullopt;
    if (pad < 1) out.push_back(char(bits & 255));
    else if ((bits & 255) != 0) return std::nullopt;
  }
  return out;
}

// sasl_plain_encode - the PLAIN message, base64.
std::string sasl_plain_encode(std::string_view authcid, std::string_view password, std::string_view authzid) {
  std::string m;
  m.append(authzid);
  m.push_back('\0');
  m.append(authcid);
  m.push_back('\0');
  m.append(password);
  return base64_encode(m);
}

// sasl_plain_decode - exactly two NULs separating the fields; authcid must not be empty.
std::optional<PlainCredentials> sasl_plain_decode(std::string_view base64) {
  auto raw = base64_decode(base64);
  if (!raw) return std::nullopt;
  std::size_t a = raw->find('\0');
  if (a == std::string::npos) return std::nullopt;
  std::size_t b = raw->find('\0', a + 1);
  if (b == std::string::npos || raw->find('\0', b + 1) != std::string::npos) return std::nullopt;
  PlainCredentials c{raw->substr(0, a), raw->substr(a + 1, b - a - 1), raw->substr(b + 1)};
  if (c.authcid.empty()) return std::nullopt;
  return c;
}

}  // namespace smtpsim::pop3
