// sasl_plain.cpp - the SASL PLAIN message, encoded and split (RFC 4616 2).
#include "sim/core/sasl_plain.hpp"

#include "sim/core/base64.hpp"

namespace smtpsim {

// sasl_plain_encode - base64(authzid NUL authcid NUL password).
std::string sasl_plain_encode(std::string_view authcid, std::string_view password, std::string_view authzid) {
  std::string m;
  m.reserve(authzid.size() + authcid.size() + password.size() + 2);
  m.append(authzid);
  m.push_back('\0');
  m.append(authcid);
  m.push_back('\0');
  m.append(password);
  return base64_encode(m);
}

// sasl_plain_split - exactly two NULs; authcid and passwd non-empty.
std::optional<PlainCredentials> sasl_plain_split(std::string_view decoded) {
  const auto first = decoded.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = decoded.find('\0', first + 1);
  if (second == std::string_view::npos || decoded.find('\0', second + 1) != std::string_view::npos)
    return std::nullopt;
  PlainCredentials c{std::string(decoded.substr(0, first)), std::string(decoded.substr(first + 1, second - first - 1)),
                     std::string(decoded.substr(second + 1))};
  if (c.authcid.empty() || c.password.empty()) return std::nullopt;
  return c;
}

// sasl_plain_decode - strict base64, then split.
std::optional<PlainCredentials> sasl_plain_decode(std::string_view base64) {
  auto raw = base64_decode_strict(base64);
  if (!raw) return std::nullopt;
  return sasl_plain_split(*raw);
}

}  // namespace smtpsim
