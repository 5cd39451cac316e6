// mail_cfws.hpp - RFC 5322 3.2.2 comments, shared by every structured-header scanner.
#pragma once
#include <cstddef>
#include <string_view>

namespace smtpsim::mail {

// skip_comment - index just past the (possibly nested) comment opening at s[i] == '('; an
// unterminated comment or a trailing quoted-pair backslash ends at s.size(), never beyond.
inline std::size_t skip_comment(std::string_view s, std::size_t i) {
  int depth = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\') { i = i + 2 < s.size() ? i + 2 : s.size(); continue; }
    if (c == '(') ++depth;
    else if (c == ')' && --depth == 0) return i + 1;
    ++i;
  }
  return s.size();
}

}  // namespace smtpsim::mail
