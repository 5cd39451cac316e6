// base64.hpp - the one RFC 4648 base64 (section 4 alphabet, '=' padding) of the project: an
// encoder, a strict decoder for protocol input (SASL responses in SMTP AUTH and POP3 AUTH) and a
// lenient one for message content (MIME bodies and RFC 2047 words, where line breaks are normal).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace smtpsim {

// base64_encode - data as one unbroken line of base64, '=' padded ("" for "").
std::string base64_encode(std::string_view data);
// base64_encode_to - the same, appended to out (no string of its own).
void base64_encode_to(std::string& out, std::string_view data);

// base64_decode_strict - RFC 4648 4 as protocol input must be: a length that is a multiple of 4,
// only alphabet characters, '=' only as the last one or two characters, and the bits the padding
// hides all zero (one canonical encoding). No whitespace. "" decodes to "". nullopt otherwise.
std::optional<std::string> base64_decode_strict(std::string_view in);

// base64_decode_lenient - for message content: SP, HT, CR and LF are skipped anywhere and the bits
// the padding hides may be set; everything else is as strict (alphabet only, padding only at the
// end, whole quanta). nullopt otherwise.
std::optional<std::string> base64_decode_lenient(std::string_view in);

}  // namespace smtpsim
