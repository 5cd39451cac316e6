// scenario_load_scan.cpp - the pre-parse scan of a lesson file's text: unclosed quoted text and
// nesting depth, each with the position a person should look at.
#include "sim/scenario/scenario_load_scan.hpp"

#include <vector>

namespace smtpsim::scenario {

namespace {

// is_blank - a space or a tab.
bool is_blank(char c) { return c == ' ' || c == '\t'; }

// opens_mapping - whether the rest of a line from `from` holds a block mapping key ("name: x" or
// "name:"), quoted text and flow brackets skipped; a '#' after a blank ends the look.
bool opens_mapping(std::string_view line, std::size_t from) {
  char quote = 0;
  int flow = 0;
  for (std::size_t j = from; j < line.size(); ++j) {
    char c = line[j];
    if (quote) {
      if (c == '\\' && quote == '"') ++j;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && j > from && is_blank(line[j - 1])) return false;
    if ((c == '"' || c == '\'') && (j == from || is_blank(line[j - 1]))) quote = c;
    else if (c == '[' || c == '{') ++flow;
    else if ((c == ']' || c == '}') && flow > 0) --flow;
    else if (c == ':' && flow == 0 && (j + 1 == line.size() || is_blank(line[j + 1]))) return true;
  }
  return false;
}

// Scan - the scanner's state across lines.
struct Scan {
  ScanFinding found;
  std::vector<int> block;  // 0-based columns of the open block collections, innermost last
  int flow = 0;            // '[' / '{' open
  char quote = 0;          // the quote character of an open quoted text
  SourcePos quote_pos;
  std::size_t quote_offset = 0;
  int quote_indent = 0;    // the indent of the line the open quote started on
  int block_scalar = -1;   // >= 0: inside a '|' / '>' text whose header line had this indent
  int line = 0;            // 0-based

  // depth - the levels open now.
  int depth() const { return int(block.size()) + flow; }

  // push_block - a block collection starting at 0-based column `c`; false once too deep.
  bool push_block(int c) {
    if (!block.empty() && block.back() >= c) return true;
    block.push_back(c);
    if (depth() > kMaxNesting && !found.too_deep) found.too_deep = SourcePos{line + 1, c + 1};
    return !found.too_deep;
  }

  // chars - scan the characters of one line from `from`; `expect` says a value may start there.
  void chars(std::string_view l, std::size_t from, std::size_t line_start, int indent) {
    bool expect = true;
    for (std::size_t j = from; j < l.size() && !found.too_deep; ++j) {
      char c = l[j];
      if (quote) {
        if (quote == '"' && c == '\\') ++j;
        else if (quote == '\'' && c == '\'' && j + 1 < l.size() && l[j + 1] == '\'') ++j;
        else if (c == quote) { quote = 0; expect = false; }
        continue;
      }
      if (is_blank(c)) continue;
      if (c == '#' && (j == 0 || is_blank(l[j - 1]))) return;  // a comment
      const bool next_blank = j + 1 == l.size() || is_blank(l[j + 1]);
      if (expect && (c == '"' || c == '\'')) {
        quote = c;
        quote_pos = {line + 1, int(j) + 1};
        quote_offset = line_start + j;
        quote_indent = indent;
      } else if (expect && (c == '[' || c == '{')) {
        ++flow;
        if (depth() > kMaxNesting) found.too_deep = SourcePos{line + 1, int(j) + 1};
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
        expect = false;
      } else if (c == ',' && flow > 0) {
        expect = true;
      } else if (c == ':' && (next_blank || flow > 0)) {
        expect = true;
      } else if (c == '-' && expect && flow == 0 && next_blank) {
        // a sequence entry: its content, when a list or a map, is one level further in
        std::size_t k = j + 1;
        while (k < l.size() && is_blank(l[k])) ++k;
        if (k < l.size() && l[k] != '#' &&
            ((l[k] == '-' && (k + 1 == l.size() || is_blank(l[k + 1]))) || opens_mapping(l, k)))
          if (!push_block(int(k))) return;
      } else if ((c == '|' || c == '>') && expect && flow == 0) {
        block_scalar = indent;  // the rest of the line is the header
        return;
      } else if ((c == '&' || c == '!') && expect) {
        while (j + 1 < l.size() && !is_blank(l[j + 1])) ++j;  // an anchor or tag; the value follows
      } else {
        expect = false;
      }
    }
  }
};

}  // namespace

ScanFinding scan_lesson_text(std::string_view text) {
  Scan s;
  std::size_t start = 0;
  while (start <= text.size() && !s.found.too_deep) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (s.quote) {
      // a quoted text going on over lines; one going on into what looks like the next key or
      // list entry has lost its closing quote
      std::size_t ind = 0;
      while (ind < l.size() && l[ind] == ' ') ++ind;
      const bool entry = ind < l.size() && l[ind] == '-' && (ind + 1 == l.size() || is_blank(l[ind + 1]));
      if (!s.found.runaway_quote && int(ind) <= s.quote_indent && ind < l.size() && (entry || opens_mapping(l, ind))) {
        s.found.runaway_quote = s.quote_pos;
        s.found.runaway = s.quote;
      }
      s.chars(l, 0, start, 0);
    } else {
      std::size_t ind = 0;
      while (ind < l.size() && l[ind] == ' ') ++ind;
      const bool blank = ind == l.size() || l[ind] == '#' || l[ind] == '\t';
      if (s.block_scalar >= 0 && (blank || int(ind) > s.block_scalar)) {
        // a line of a '|' / '>' text
      } else if (!blank) {
        s.block_scalar = -1;
        if (s.flow == 0) {
          while (!s.block.empty() && s.block.back() > int(ind)) s.block.pop_back();
          // a list entry or a key opens a block collection here; a flow value or text does not
          const bool entry = l[ind] == '-' && (ind + 1 == l.size() || is_blank(l[ind + 1]));
          if (entry || opens_mapping(l, ind)) s.push_block(int(ind));
        }
        if (!s.found.too_deep) s.chars(l, ind, start, int(ind));
      }
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
    ++s.line;
  }
  if (s.quote && !s.found.too_deep) {
    s.found.unclosed_quote = s.quote_pos;
    s.found.quote = s.quote;
    s.found.quote_offset = s.quote_offset;
  }
  return s.found;
}

}  // namespace smtpsim::scenario
