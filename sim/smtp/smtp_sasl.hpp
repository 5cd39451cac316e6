// smtp_sasl.hpp - SASL helpers for the SMTP server's AUTH (RFC 4954): strict base64 decoding
// (RFC 4648 4, padding required, no whitespace), the PLAIN message (RFC 4616) and the LOGIN prompts.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace smtpsim::smtp {

// LOGIN's challenges: base64 of "Username:" and "Password:" (draft-murchison-sasl-login).
inline constexpr std::string_view kLoginUserPrompt = "VXNlcm5hbWU6";
inline constexpr std::string_view kLoginPasswordPrompt = "UGFzc3dvcmQ6";
// kMaskedSecret - what a trace shows instead of a SASL secret (client's sent and server's received lines).
inline constexpr std::string_view kMaskedSecret = "********";

// sasl_base64_decode - RFC 4648 base64 with '=' padding; nullopt on any other character, bad
// length or bad padding. "" decodes to "" (an empty response) and "=" is rejected.
std::optional<std::string> sasl_base64_decode(std::string_view in);

// PlainCredentials - the three fields of a PLAIN response.
struct PlainCredentials {
  std::string authzid;  // authorization identity ("" = same as authcid)
  std::string authcid;  // user name
  std::string password;
};

// sasl_parse_plain - split "authzid NUL authcid NUL passwd" (RFC 4616 2); nullopt unless there are
// exactly two NULs and authcid and passwd are non-empty.
std::optional<PlainCredentials> sasl_parse_plain(std::string_view decoded);

}  // namespace smtpsim::smtp
