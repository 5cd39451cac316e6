// smtp_client_codec.cpp - DATA body preparation, base64, xtext and path checks for the client.
#include "sim/smtp/smtp_client_codec.hpp"

namespace smtpsim::smtp {

// append_body - one pass over data; a line ends at CRLF, a bare LF or a bare CR.
BodyStats append_body(std::string& out, std::string_view data) {
  BodyStats st;
  out.reserve(out.size() + data.size() + data.size() / 64 + 8);
  const char* p = data.data();
  const char* const end = p + data.size();
  while (p < end) {
    // At the start of a line.
    if (*p == '.') {
      out += '.';
      ++st.stuffed;
    }
    const char* q = p;
    while (q < end && *q != '\r' && *q != '\n') {
      if (static_cast<unsigned char>(*q) >= 0x80) st.eight_bit = true;
      ++q;
    }
    out.append(p, static_cast<std::size_t>(q - p));
    const std::size_t len = static_cast<std::size_t>(q - p);
    if (len > st.longest) st.longest = len;
    st.size += len + 2;
    ++st.lines;
    out += "\r\n";
    if (q == end) break;  // last line had no line end: CRLF added
    if (*q == '\r' && q + 1 < end && q[1] == '\n') {
      p = q + 2;
    } else {
      ++st.normalised;
      p = q + 1;
    }
  }
  out += ".\r\n";
  return st;
}

// base64_encode - 3 octets to 4 characters, '=' padding.
std::string base64_encode(std::string_view data) {
  static constexpr char kAlpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(data[i]) << 16 | static_cast<unsigned char>(data[i + 1]) << 8 |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlpha[v >> 18 & 63];
    out += kAlpha[v >> 12 & 63];
    out += kAlpha[v >> 6 & 63];
    out += kAlpha[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlpha[v >> 18 & 63];
    out += kAlpha[v >> 12 & 63];
    out += i + 1 < data.size() ? kAlpha[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
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
