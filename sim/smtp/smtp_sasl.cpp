// smtp_sasl.cpp - the SASL PLAIN message for the SMTP server.
#include "sim/smtp/smtp_sasl.hpp"

namespace smtpsim::smtp {
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
