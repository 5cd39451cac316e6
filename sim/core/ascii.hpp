// ascii.hpp - ASCII case folding for protocol text (commands, keywords, domains, header names).
// Only A-Z and a-z change, as std::tolower/std::toupper in the C locale, without a libc call per
// character.
#pragma once
#include <string>
#include <string_view>

namespace smtpsim {

// ascii_lower / ascii_upper - one character folded; every other byte is left as it is.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// append_ascii_lower - s in lower case, appended to out.
inline void append_ascii_lower(std::string& out, std::string_view s) {
  for (char c : s) out.push_back(ascii_lower(c));
}

// ascii_lower_copy - s in lower case.
inline std::string ascii_lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// ascii_upper_copy - s in upper case.
inline std::string ascii_upper_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

// ascii_iequals - a and b are equal ignoring ASCII case.
constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// ascii_istarts - s begins with prefix, ignoring ASCII case.
constexpr bool ascii_istarts(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace smtpsim
