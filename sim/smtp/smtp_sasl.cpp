// smtp_sasl.cpp - strict base64 decoding and the SASL PLAIN message for the SMTP server.
#include "sim/smtp/smtp_sasl.hpp"

namespace smtpsim::smtp {
namespace {

// b64_value - the 6-bit value of a base64 character, -1 if it is not one.
int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

// sasl_base64_decode - 4 characters to 3 octets; padding only at the end.
std::optional<std::string> sasl_base64_decode(std::string_view in) {
  std::string out;
  if (in.size() % 4 != 0) return std::nullopt;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    bool last = i + 4 == in.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=') {
        if (!last || k < 2) return std::nullopt;
        ++pad;
        v[k] = 0;
      } else {
        if (pad > 0) return std::nullopt;  // data after padding
        v[k] = b64_value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    unsigned n = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) | unsigned(v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
    // Canonical encoding: the bits hidden by padding must be zero.
    if (pad == 1 && (n & 0xff) != 0) return std::nullopt;
    if (pad == 2 && (n & 0xffff) != 0) return std::nullopt;
  }
  return out;
}

// sasl_parse_plain - authzid \0 authcid \0 passwd.
std::optional<PlainCredentials> sasl_parse_plain(std::string_view decoded) {
  auto first = decoded.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = decoded.find('\0', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (decoded.find('\0', second + 1) != std::string_view::npos) return std::nullopt;
  PlainCredentials c;
  c.authzid = std::string(decoded.substr(0, first));
  c.authcid = std::string(decoded.substr(first + 1, second - first - 1));
  c.password = std::string(decoded.substr(second + 1));
  if (c.authcid.empty() || c.password.empty()) return std::nullopt;
  return c;
}

}  // namespace smtpsim::smtp
