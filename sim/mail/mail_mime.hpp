// mail_mime.hpp - the MIME pieces messages and DSNs need: Content-Type values, multipart bodies,
// quoted-printable and base64 transfer encodings, RFC 2047 encoded words for non-ASCII headers.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/base64.hpp"

namespace smtpsim::mail {

// ContentType - "type/subtype; name=value; ..." (type, subtype and parameter names lower-cased,
// values unquoted).
struct ContentType {
  std::string type = "text";
  std::string subtype = "plain";
  std::vector<std::pair<std::string, std::string>> params;

  // mime_type - "type/subtype".
  std::string mime_type() const { return type + "/" + subtype; }
  // is - case-insensitive match of "type/subtype".
  bool is(std::string_view mime_type) const;
  // param - a parameter value by (case-insensitive) name.
  std::optional<std::string> param(std::string_view name) const;
  // str - the header value again, quoting values that are not MIME tokens.
  std::string str() const;
};

// parse_content_type - a Content-Type header value (unfolded or folded; comments skipped);
// nullopt if there is no "type/subtype".
std::optional<ContentType> parse_content_type(std::string_view value);
// is_mime_token - RFC 2045 token (no tspecials, no SP/CTLs).
bool is_mime_token(std::string_view s);
// quote_param_value - a token as is, anything else as a quoted-string.
std::string quote_param_value(std::string_view v);
// is_valid_boundary - RFC 2046 5.1.1: 1-70 bchars, not ending in a space.
bool is_valid_boundary(std::string_view b);

// MultipartBody - a multipart body split at its boundary delimiters.
struct MultipartBody {
  std::string preamble;             // text before the first delimiter (without its CRLF)
  std::vector<std::string> parts;   // each part's bytes: its headers, empty line, its body
  std::string epilogue;             // text after the close delimiter line
  bool closed = false;              // the "--boundary--" line was found
};
// split_multipart - the parts of a multipart body; nullopt when no delimiter line is present.
// A part's content excludes the CRLF that precedes the next delimiter (RFC 2046 5.1.1).
std::optional<MultipartBody> split_multipart(std::string_view body, std::string_view boundary);
// join_multipart - the inverse: preamble (+CRLF), then "--b CRLF part CRLF" per part, "--b--" CRLF.
std::string join_multipart(const std::vector<std::string>& parts, std::string_view boundary,
                           std::string_view preamble = {});

// qp_encode - quoted-printable for text whose lines end CRLF (line breaks stay hard breaks,
// encoded lines <= 76 characters, trailing SP/HTAB encoded, bare CR/LF encoded).
std::string qp_encode(std::string_view text);
// qp_decode - lenient decoding (soft breaks removed, "=XX" decoded, malformed "=" kept).
std::string qp_decode(std::string_view text);
// base64_encode_lines - RFC 2045 base64 body: lines of `line_length` characters, each ending CRLF
// (the base64 itself, and base64_decode_lenient for reading bodies, are in sim/core/base64.hpp).
std::string base64_encode_lines(std::string_view data, std::size_t line_length = 76);

// is_ascii - no octet >= 0x80.
bool is_ascii(std::string_view s);
// encode_words - RFC 2047 "=?UTF-8?B?...?=" words separated by spaces (each <= 75 characters,
// never splitting a UTF-8 sequence); ASCII-only text without "=?" is returned unchanged.
std::string encode_words(std::string_view utf8);
// decode_words - the inverse for display: B and Q encoded words of any charset label are
// decoded to their bytes, whitespace between adjacent encoded words dropped.
std::string decode_words(std::string_view text);

}  // namespace smtpsim::mail
