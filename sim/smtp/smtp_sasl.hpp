// smtp_sasl.hpp - SASL helpers for SMTP AUTH (RFC 4954): the LOGIN prompts and the masked secret;
// the PLAIN message (RFC 4616) is sim/core/sasl_plain.hpp. Responses are decoded with
// base64_decode_strict (sim/core/base64.hpp).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/sasl_plain.hpp"

namespace smtpsim::smtp {

// LOGIN's challenges: base64 of "Username:" and "Password:" (draft-murchison-sasl-login).
inline constexpr std::string_view kLoginUserPrompt = "VXNlcm5hbWU6";
inline constexpr std::string_view kLoginPasswordPrompt = "UGFzc3dvcmQ6";
// kMaskedSecret - what a trace shows instead of a SASL secret (client's sent and server's received lines).
inline constexpr std::string_view kMaskedSecret = "********";

// The PLAIN message itself (PlainCredentials, sasl_plain_encode/split/decode) is shared with POP3:
// sim/core/sasl_plain.hpp.

}  // namespace smtpsim::smtp
