// base64.cpp - RFC 4648 base64: the encoder and the strict and lenient decoders.
#include "sim/core/base64.hpp"

namespace smtpsim {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// value - the 6-bit value of a base64 character, -1 if it is not one.
int value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// decode_quanta - 4 characters to 3 octets, padding only in the last quantum; with canonical, the
// bits the padding hides must be zero.
std::optional<std::string> decode_quanta(std::string_view in, bool canonical) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    unsigned n = 0;
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = in[i + k];
      int v = 0;
      if (c == '=') {
        if (!last || k < 2) return std::nullopt;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;  // data after padding
        v = value(c);
        if (v < 0) return std::nullopt;
      }
      n = n << 6 | unsigned(v);
    }
    out += static_cast<char>(n >> 16 & 0xff);
    if (pad < 2) out += static_cast<char>(n >> 8 & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
    if (canonical && ((pad == 1 && (n & 0xff) != 0) || (pad == 2 && (n & 0xffff) != 0))) return std::nullopt;
  }
  return out;
}

}  // namespace

// base64_encode_to - 3 octets to 4 characters; a last 1 or 2 octets padded with '='.
void base64_encode_to(std::string& out, std::string_view data) {
  out.reserve(out.size() + (data.size() + 2) / 3 * 4);
  auto b = [&](std::size_t k) { return unsigned(static_cast<unsigned char>(data[k])); };
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v = b(i) << 16 | b(i + 1) << 8 | b(i + 2);
    const char q[4] = {kAlphabet[v >> 18 & 63], kAlphabet[v >> 12 & 63], kAlphabet[v >> 6 & 63], kAlphabet[v & 63]};
    out.append(q, 4);
  }
  if (const std::size_t rest = data.size() - i; rest > 0) {
    const unsigned v = b(i) << 16 | (rest == 2 ? b(i + 1) << 8 : 0u);
    const char q[4] = {kAlphabet[v >> 18 & 63], kAlphabet[v >> 12 & 63], rest == 2 ? kAlphabet[v >> 6 & 63] : '=',
                       '='};
    out.append(q, 4);
  }
}

// base64_encode - a fresh string.
std::string base64_encode(std::string_view data) {
  std::string out;
  base64_encode_to(out, data);
  return out;
}

// base64_decode_strict - whole quanta, canonical padding, nothing else.
std::optional<std::string> base64_decode_strict(std::string_view in) { return decode_quanta(in, true); }

// base64_decode_lenient - whitespace dropped first, then whole quanta with any hidden bits.
std::optional<std::string> base64_decode_lenient(std::string_view in) {
  std::string packed;
  packed.reserve(in.size());
  for (char c : in)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') packed += c;
  return decode_quanta(packed, false);
}

}  // namespace smtpsim
