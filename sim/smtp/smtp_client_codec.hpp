// smtp_client_codec.hpp - encodings the SMTP client puts on the wire: the DATA body (line ends
// normalised, dot-stuffed, terminated), xtext for DSN parameters, path checks.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace smtpsim::smtp {

// BodyStats - what prepare_body found.
struct BodyStats {
  std::size_t size = 0;        // message octets with CRLF line ends, before dot-stuffing (RFC 1870 SIZE)
  std::size_t lines = 0;       // lines in the message
  std::size_t stuffed = 0;     // lines that got an extra leading "."
  std::size_t normalised = 0;  // bare CR / bare LF line ends rewritten to CRLF (RFC 5321 2.3.8)
  std::size_t longest = 0;     // longest line without CRLF (RFC 5321 4.5.3.1.6 allows 998)
  bool eight_bit = false;      // some octet >= 0x80
};

// append_body - append data to out as the DATA phase sends it (RFC 5321 4.5.2): every line end
// CRLF, a leading "." doubled, a final CRLF added when missing, then ".\r\n".
BodyStats append_body(std::string& out, std::string_view data);

// xtext_encode - RFC 3461 4 xtext: '!'..'~' except '+' and '=' as is, everything else "+HH".
std::string xtext_encode(std::string_view data);

// path_problem - why address cannot be sent inside <...> in MAIL/RCPT ("" when it can):
// control characters (CR/LF would inject commands), angle brackets, or over 254 octets.
std::string path_problem(std::string_view address);

}  // namespace smtpsim::smtp
