// pop3_auth.hpp - the credentials side of POP3: the APOP digest (RFC 1939 section 7, MD5 via
// OpenSSL EVP), the greeting timestamp, and SASL PLAIN (RFC 4616) encoding for AUTH (RFC 5034).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/sasl_plain.hpp"
#include "sim/core/time.hpp"

namespace smtpsim::pop3 {

// apop_digest - lower-case hex MD5 of timestamp (with its angle brackets) followed by secret.
std::string apop_digest(std::string_view timestamp, std::string_view secret);

// apop_timestamp - the greeting's msg-id "<session.time@host>" from a session number and the
// injected virtual time, unique per session and host, never from a wall clock.
std::string apop_timestamp(std::uint64_t session_id, SimTime now, std::string_view host);

// greeting_timestamp - the last "<...@...>" in a greeting line, or "" if there is none.
std::string greeting_timestamp(std::string_view greeting);

// SASL PLAIN (PlainCredentials, sasl_plain_encode, sasl_plain_decode) is shared with SMTP:
// sim/core/sasl_plain.hpp.
using smtpsim::PlainCredentials;
using smtpsim::sasl_plain_decode;
using smtpsim::sasl_plain_encode;

}  // namespace smtpsim::pop3
