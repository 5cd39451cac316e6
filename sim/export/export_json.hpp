// export_json.hpp - a small JSON writer: string escaping that never emits invalid UTF-8 (raw bytes
// go as base64, sim/core/base64.hpp) and a one-line object builder. Shared by the JSONL exporter and anything else that prints JSON.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/base64.hpp"  // base64_encode for raw bytes in JSON

namespace smtpsim::exporter {

// utf8_sequence_length - length (1-4) of the well-formed UTF-8 sequence starting at s[i], or 0
// when the byte there does not start one (stray continuation, overlong, surrogate, > U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// is_valid_utf8 - true when `s` is well-formed UTF-8 (no overlongs, surrogates, or > U+10FFFF).
bool is_valid_utf8(std::string_view s);

// json_escape_to - append `s` as a quoted JSON string. Well-formed UTF-8 sequences pass through;
// ", \ and control characters (C0 U+0000-U+001F, DEL, C1 U+0080-U+009F) are escaped (\n \r \t \b
// \f or \u00XX), U+2028/U+2029 become \u2028/\u2029 (so no line separator of any kind appears raw
// inside a line), and every byte that is not part of a well-formed UTF-8
// sequence becomes \u00XX (the byte read as Latin-1). The output is always valid UTF-8 and ASCII-
// safe for control characters; it is lossless for valid UTF-8 input (use base64 for raw bytes).
void json_escape_to(std::string& out, std::string_view s);
// json_quote - json_escape_to into a fresh string.
std::string json_quote(std::string_view s);

// JsonObject - builds one JSON object on a single line, fields in the order they are added.
// Keys are escaped like values. Example: JsonObject().str("kind", "reply").num("code", 250).done()
class JsonObject {
 public:
  JsonObject& str(std::string_view key, std::string_view value);
  JsonObject& num(std::string_view key, std::int64_t value);
  JsonObject& unum(std::string_view key, std::uint64_t value);
  JsonObject& boolean(std::string_view key, bool value);
  JsonObject& null(std::string_view key);
  // raw - a value that is already JSON (an array or object built elsewhere).
  JsonObject& raw(std::string_view key, std::string_view json);
  // done - the object text "{...}" (the builder stays usable: more fields can follow).
  std::string done() const { return out_ + "}"; }

 private:
  void key(std::string_view k);
  std::string out_ = "{";
  bool first_ = true;
};

}  // namespace smtpsim::exporter
