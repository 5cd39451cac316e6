// smtp_client_codec.cpp - DATA body preparation, xtext and path checks for the client.
#include "sim/smtp/smtp_client_codec.hpp"

#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace smtpsim::smtp {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// has_byte - nonzero when some byte of w equals b (exact for the lowest match, which is all we use).
inline std::uint64_t has_byte(std::uint64_t w, unsigned char b) {
  const std::uint64_t x = w ^ (kOnes * b);
  return (x - kOnes) & ~x & kHighs;
}

// find_line_end - the first CR or LF in [p, end), or end; ORs every octet's high bit into high.
// 16 octets at a time with SSE2 (every x86-64), then 8 at a time, then octet by octet.
inline const char* find_line_end(const char* p, const char* end, std::uint64_t& high) {
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned ends = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
    const unsigned tops = static_cast<unsigned>(_mm_movemask_epi8(v));  // octets >= 0x80
    if (ends != 0) {
      const int at = __builtin_ctz(ends);
      if (tops & ((1u << at) - 1)) high |= 0x80;
      return p + at;
    }
    if (tops != 0) high |= 0x80;
    p += 16;
  }
#endif
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (has_byte(w, '\r') | has_byte(w, '\n')) break;
    high |= w;
    p += 8;
  }
  while (p < end && *p != '\r' && *p != '\n') {
    high |= static_cast<unsigned char>(*p);
    ++p;
  }
  return p;
}

}  // namespace

// append_body - one pass over data; a line ends at CRLF, a bare LF or a bare CR. Unchanged runs
// of input are copied in one piece; only stuffed dots and rewritten line ends break a run.
BodyStats append_body(std::string& out, std::string_view data) {
  BodyStats st;
  out.reserve(out.size() + data.size() + 8);
  const char* p = data.data();
  const char* const end = p + data.size();
  const char* run = p;  // start of input not yet copied to out
  std::uint64_t high = 0;
  while (p < end) {
    if (*p == '.') {  // at the start of a line: double the dot
      out.append(run, static_cast<std::size_t>(p - run));
      out += '.';
      run = p;
      ++st.stuffed;
    }
    const char* q = find_line_end(p, end, high);
    const std::size_t len = static_cast<std::size_t>(q - p);
    if (len > st.longest) st.longest = len;
    st.size += len + 2;
    ++st.lines;
    if (q == end) {  // last line had no line end: CRLF added
      out.append(run, static_cast<std::size_t>(end - run));
      out += "\r\n";
      run = end;
      break;
    }
    if (*q == '\r' && q + 1 < end && q[1] == '\n') {
      p = q + 2;
      continue;
    }
    out.append(run, static_cast<std::size_t>(q - run));  // bare CR or LF: written as CRLF
    out += "\r\n";
    ++st.normalised;
    p = q + 1;
    run = p;
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out += ".\r\n";
  st.eight_bit = (high & kHighs) != 0;
  return st;
}

// xtext_encode - hexchar form for '+', '=', controls, space and 8-bit octets.
std::string xtext_encode(std::string_view data) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : data) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= '!' && c <= '~' && c != '+' && c != '=') {
      out += ch;
    } else {
      out += '+';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// path_problem - reasons a mailbox cannot go between angle brackets.
std::string path_problem(std::string_view address) {
  if (address.size() > 254) return "address longer than 254 octets (RFC 5321 4.5.3.1.3)";
  for (char ch : address) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return "control character in address";
    if (c == '<' || c == '>') return "angle bracket in address";
  }
  return {};
}

}  // namespace smtpsim::smtp
