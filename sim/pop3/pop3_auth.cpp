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

}  // namespace smtpsim::pop3
