// smtp_client_raw.hpp - the DATA body of a raw (hostile) message: sent as given, for lessons about
// SMTP smuggling. Kept apart from the normal encoder (smtp_client_codec.hpp), which repairs line ends.
#pragma once
#include <string>
#include <string_view>

#include "sim/smtp/smtp_client_codec.hpp"

namespace smtpsim::smtp {

// append_raw_body - append data to out the way a sender that knows only CRLF sends it: lines end
// at CRLF only, a "." at the start of such a line is doubled, and bare CR / bare LF pass through
// untouched (RFC 5321 2.3.8 forbids sending them; the outbound servers abused for SMTP smuggling in
// Dec 2023 did exactly this). A final CRLF is added when missing, then ".\r\n". BodyStats::normalised
// stays 0; `bare` (if given) gets the number of bare CR and LF octets passed on.
BodyStats append_raw_body(std::string& out, std::string_view data, std::size_t* bare = nullptr);

}  // namespace smtpsim::smtp
