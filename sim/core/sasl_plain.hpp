// sasl_plain.hpp - the SASL PLAIN message (RFC 4616 2): "authzid NUL authcid NUL passwd", base64 on
// the wire. One copy for every engine that speaks it: the SMTP client and server (AUTH PLAIN,
// RFC 4954) and the POP3 client and server (AUTH PLAIN, RFC 5034).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace smtpsim {

// PlainCredentials - the three fields of a PLAIN message.
struct PlainCredentials {
  std::string authzid;  // authorization identity ("" = same as authcid)
  std::string authcid;  // user name
  std::string password;
};

// sasl_plain_encode - base64(authzid NUL authcid NUL password).
std::string sasl_plain_encode(std::string_view authcid, std::string_view password, std::string_view authzid = {});
// sasl_plain_split - the fields of a decoded message; nullopt unless there are exactly two NULs and
// authcid and passwd are non-empty (RFC 4616: authcid = 1*SAFE, passwd = 1*SAFE).
std::optional<PlainCredentials> sasl_plain_split(std::string_view decoded);
// sasl_plain_decode - the fields of a base64 PLAIN response (base64_decode_strict, then split).
std::optional<PlainCredentials> sasl_plain_decode(std::string_view base64);

}  // namespace smtpsim
