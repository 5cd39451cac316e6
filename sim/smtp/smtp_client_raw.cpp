// smtp_client_raw.cpp - the raw DATA encoder: CRLF-only framing, bare CR/LF passed through.
#include "sim/smtp/smtp_client_raw.hpp"

namespace smtpsim::smtp {

// append_raw_body - one pass; only CRLF starts a new line (for dot-stuffing and line counts).
BodyStats append_raw_body(std::string& out, std::string_view data, std::size_t* bare) {
  BodyStats st;
  std::size_t bare_count = 0;
  out.reserve(out.size() + data.size() + 8);
  std::size_t line_start = 0;
  bool at_start = true;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (at_start && c == '.') {
      out += '.';
      ++st.stuffed;
    }
    at_start = false;
    out += c;
    if (static_cast<unsigned char>(c) >= 0x80) st.eight_bit = true;
    if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') {
      out += '\n';
      const std::size_t len = i - line_start;
      if (len > st.longest) st.longest = len;
      ++st.lines;
      ++i;
      line_start = i + 1;
      at_start = true;
    } else if (c == '\r' || c == '\n') {
      ++bare_count;
    }
  }
  st.size = data.size();
  if (!at_start) {  // the last line has no CRLF: add one
    const std::size_t len = data.size() - line_start;
    if (len > st.longest) st.longest = len;
    ++st.lines;
    out += "\r\n";
    st.size += 2;
  }
  out += ".\r\n";
  if (bare) *bare = bare_count;
  return st;
}

}  // namespace smtpsim::smtp
