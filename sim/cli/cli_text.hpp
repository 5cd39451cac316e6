// cli_text.hpp - small text layout helpers for terminal output.
#pragma once
#include <cstddef>
#include <string>

namespace smtpsim::cli {

// wrap - `text` re-flowed into lines of at most `width` columns (longer words stay whole); the
// first line starts with `first`, the others with `indent`; every line ends with "\n".
std::string wrap(const std::string& text, std::size_t width, const std::string& first, const std::string& indent);

}  // namespace smtpsim::cli
