// pop3_auth.cpp - APOP digest and timestamp, SASL PLAIN.
#include "sim/pop3/pop3_auth.hpp"

#include <openssl/evp.h>

#include "sim/core/base64.hpp"

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
  auto raw = base64_decode_strict(base64);
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
