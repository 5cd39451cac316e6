// smtp_client_caps.hpp - the ESMTP capabilities a client reads from a server's EHLO reply.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/smtp/smtp_reply_parser.hpp"

namespace smtpsim::smtp {

// Capabilities - what the last EHLO (or HELO) reply announced.
struct Capabilities {
  bool esmtp = false;          // EHLO succeeded (HELO fallback leaves every extension off)
  std::string server_name;     // the first word of the first reply line (the server's domain)
  bool pipelining = false;     // RFC 2920
  bool starttls = false;       // RFC 3207
  bool eightbitmime = false;   // RFC 6152
  bool enhanced_codes = false; // RFC 2034 ENHANCEDSTATUSCODES
  bool dsn = false;            // RFC 3461
  bool smtputf8 = false;       // RFC 6531 (recorded only)
  bool chunking = false;       // RFC 3030 (recorded only)
  bool size = false;           // RFC 1870 SIZE offered
  std::uint64_t size_limit = 0;// SIZE n: fixed maximum message size; 0 = none announced
  std::vector<std::string> auth;     // SASL mechanisms (upper case), from "AUTH ..." and "AUTH=..."
  std::vector<std::string> keywords; // every extension line as sent, for display

  // has_auth - the server offers mechanism `mech` (upper case).
  bool has_auth(std::string_view mech) const;
};

// parse_ehlo - capabilities from a 250 EHLO reply; lines it does not understand are kept in keywords.
Capabilities parse_ehlo(const Reply& reply);

}  // namespace smtpsim::smtp
