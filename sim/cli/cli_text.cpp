// cli_text.cpp - small text layout helpers for terminal output.
#include "sim/cli/cli_text.hpp"

#include <cctype>

namespace smtpsim::cli {

// wrap - greedy word wrap with a first-line and a hanging prefix.
std::string wrap(const std::string& text, std::size_t width, const std::string& first, const std::string& indent) {
  std::string out, line;
  const std::string* lead = &first;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i) break;
    std::string word = text.substr(i, j - i);
    if (!line.empty() && lead->size() + line.size() + 1 + word.size() > width) {
      out += *lead + line + "\n";
      lead = &indent;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    i = j;
  }
  if (!line.empty() || out.empty()) out += *lead + line + "\n";
  return out;
}

}  // namespace smtpsim::cli
