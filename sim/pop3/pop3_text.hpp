// pop3_text.hpp - small text helpers shared by the POP3 server files (internal to sim/pop3).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace smtpsim::pop3::text {

// ieq - ASCII case-insensitive equality.
inline bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// printable - a short, safe rendering of peer-supplied text for event texts.
inline std::string printable(std::string_view s, std::size_t max = 64) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) out.push_back(c >= 0x20 && c < 0x7F ? char(c) : '?');
  if (s.size() > max) out += "...";
  return out;
}

// count_of - "1 message" / "2 messages".
inline std::string count_of(std::uint64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// messages_word - the {messages} placeholder: "message" / "messages".
inline std::string_view messages_word(std::uint64_t n) { return n == 1 ? "message" : "messages"; }

}  // namespace smtpsim::pop3::text
