// export_json.cpp - JSON string escaping (always valid UTF-8 out) and the object builder.
#include "sim/export/export_json.hpp"

namespace smtpsim::exporter {

namespace {
const char kHex[] = "0123456789abcdef";

// append_u00 - append the \u00XX escape for one byte value.
void append_u00(std::string& out, unsigned char c) {
  out += "\\u00";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

// is_cont - a UTF-8 continuation byte (10xxxxxx).
bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  if (c < 0x80) return 1;
  std::size_t n = s.size() - i;
  if (c >= 0xC2 && c <= 0xDF) return (n >= 2 && is_cont(at(i + 1))) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !is_cont(at(i + 1)) || !is_cont(at(i + 2))) return 0;
    unsigned char c1 = at(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !is_cont(at(i + 1)) || !is_cont(at(i + 2)) || !is_cont(at(i + 3))) return 0;
    unsigned char c1 = at(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;  // continuation byte, C0/C1 overlong lead, F5..FF
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void json_escape_to(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    // Fast path: a run of printable ASCII that needs no escape goes in at once.
    std::size_t run = i;
    while (run < s.size()) {
      unsigned char r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x7f || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(s.substr(i, run - i));
      i = run;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7f) append_u00(out, c);
          else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      append_u00(out, c);
      ++i;
      continue;
    }
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    // C1 controls U+0080-U+009F (C2 80 .. C2 9F): NEL breaks lines, CSI drives terminals.
    if (n == 2 && c == 0xC2 && c1 <= 0x9F) {
      append_u00(out, c1);
    } else if (n == 3 && c == 0xE2 && c1 == 0x80 && (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are legal JSON but end lines in JavaScript and Python.
      out += (static_cast<unsigned char>(s[i + 2]) == 0xA8) ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out += '"';
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  json_escape_to(out, s);
  return out;
}

// key - the separator and the quoted key of the next field.
void JsonObject::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  json_escape_to(out_, k);
  out_ += ':';
}

JsonObject& JsonObject::str(std::string_view k, std::string_view value) {
  key(k);
  json_escape_to(out_, value);
  return *this;
}

JsonObject& JsonObject::num(std::string_view k, std::int64_t value) {
  key(k);
  out_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::unum(std::string_view k, std::uint64_t value) {
  key(k);
  out_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::null(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

JsonObject& JsonObject::raw(std::string_view k, std::string_view json) {
  key(k);
  out_.append(json);
  return *this;
}

}  // namespace smtpsim::exporter
