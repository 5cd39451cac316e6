// scenario_load_scan.hpp - a light scan of a lesson file's text before YAML parses it, for the
// mistakes yaml-cpp reports badly or not at all: a quoted text never closed (it swallows the rest
// of the file), and nesting deep enough to hit the parser's recursion guard ("bad file").
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// kMaxNesting - lists and maps inside each other deeper than this are refused (a lesson needs a
// handful of levels; yaml-cpp's own guard gives up near 500 with "bad file").
inline constexpr int kMaxNesting = 100;

// ScanFinding - what the scan found: the unclosed quote's opening position and character, and the
// position where the nesting first goes past kMaxNesting (each unset when not found).
struct ScanFinding {
  std::optional<SourcePos> unclosed_quote;
  char quote = 0;
  std::size_t quote_offset = 0;  // the opening quote's byte offset in the text
  // a quoted text that goes on into a line that looks like the next key or list entry (no
  // further in than the line it opened on): its closing quote is missing, and it swallowed what
  // follows up to the next quote
  std::optional<SourcePos> runaway_quote;
  char runaway = 0;
  std::optional<SourcePos> too_deep;
};

// scan_lesson_text - one pass over the text (comments, block scalars and quoted text understood).
ScanFinding scan_lesson_text(std::string_view text);

}  // namespace smtpsim::scenario
