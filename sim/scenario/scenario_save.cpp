// scenario_save.cpp - inserting records into a lesson's text: find a top-level section, then add
// entries to its block list, its flow list, or a new section, leaving every other byte alone.
#include "sim/scenario/scenario_save.hpp"

#include <cstddef>
#include <string_view>

namespace smtpsim::scenario {

namespace {

// line_starts - the offset of every line's first byte.
std::vector<std::size_t> line_starts(const std::string& s) {
  std::vector<std::size_t> out{0};
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n' && i + 1 < s.size()) out.push_back(i + 1);
  return out;
}

// line_at - line k without its newline.
std::string_view line_at(const std::string& s, const std::vector<std::size_t>& starts, std::size_t k) {
  std::size_t b = starts[k], e = s.find('\n', b);
  return std::string_view(s).substr(b, (e == std::string::npos ? s.size() : e) - b);
}

// is_filler - blank or comment-only line.
bool is_filler(std::string_view l) {
  std::size_t i = l.find_first_not_of(" \t\r");
  return i == std::string_view::npos || l[i] == '#';
}

// matching_bracket - offset of the ']' closing the '[' at `open` (quotes and nesting honoured),
// npos if unbalanced; `empty` says whether only blanks and comments were inside.
std::size_t matching_bracket(const std::string& s, std::size_t open, bool& empty) {
  int depth = 0;
  empty = true;
  for (std::size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n')) {  // comment to end of line
      i = s.find('\n', i);
      if (i == std::string::npos) return i;
      continue;
    }
    if (c == '"' || c == '\'') {
      empty = false;
      for (++i; i < s.size() && s[i] != c; ++i)
        if (c == '"' && s[i] == '\\') ++i;
      continue;
    }
    if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') {
      if (--depth == 0) return i;
    } else if (i > open && c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != ',') {
      empty = false;
    }
    if (depth > 1) empty = false;
  }
  return std::string::npos;
}

// add_to_section - insert `entries` (one flow mapping each) into top-level section `key`.
std::string add_to_section(std::string text, const std::string& key, const std::vector<std::string>& entries) {
  if (entries.empty()) return text;
  std::vector<std::size_t> starts = line_starts(text);
  const std::string head = key + ":";
  for (std::size_t k = 0; k < starts.size(); ++k) {
    std::string_view l = line_at(text, starts, k);
    if (l.substr(0, head.size()) != head) continue;
    std::string_view rest = l.substr(head.size());
    std::size_t v = rest.find_first_not_of(" \t");
    bool has_value = v != std::string_view::npos && rest[v] != '#' && rest[v] != '\r';
    if (has_value && rest[v] == '[') {  // flow list: add before its closing bracket
      std::size_t open = starts[k] + head.size() + v;
      bool empty = true;
      std::size_t close = matching_bracket(text, open, empty);
      if (close == std::string::npos) break;
      std::string ins;
      for (std::size_t i = 0; i < entries.size(); ++i) ins += ((i == 0 && empty) ? "" : ",") + ("\n  " + entries[i]);
      text.insert(close, ins);
      return text;
    }
    if (has_value) {
      // `key: null` / `key: ~` (an empty section, as YAML spells it): drop the null, then fill the
      // section as a block list. Any other scalar is not a list (the loader refuses it): add a new section.
      std::size_t end = rest.find_first_of(" \t#\r", v);
      std::string_view val = rest.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v);
      if (val != "null" && val != "Null" && val != "NULL" && val != "~") break;
      text.erase(starts[k] + head.size(), v + val.size());
      return add_to_section(std::move(text), key, entries);
    }
    // block list: after the section's last content line, at its items' indentation
    std::string indent = "  ";
    std::size_t last = k;
    bool found_item = false;
    for (std::size_t j = k + 1; j < starts.size(); ++j) {
      std::string_view lj = line_at(text, starts, j);
      if (is_filler(lj)) continue;
      if (lj[0] != ' ' && lj[0] != '-' && lj[0] != '\t') break;  // the next top-level key
      if (lj[0] == '-' && !found_item) indent.clear();             // items at column 0
      if (!found_item) {
        std::size_t d = lj.find_first_not_of(' ');
        if (lj[d] == '-') {
          indent = std::string(d, ' ');
          found_item = true;
        }
      }
      last = j;
    }
    std::size_t at = last + 1 < starts.size() ? starts[last + 1] : text.size();
    std::string ins;
    if (at == text.size() && !text.empty() && text.back() != '\n') ins += "\n";
    for (const std::string& e : entries) ins += indent + "- " + e + "\n";
    text.insert(at, ins);
    return text;
  }
  // no such section (or one we cannot extend in place): a new one at the end
  if (!text.empty() && text.back() != '\n') text += "\n";
  text += "\n" + head + "\n";
  for (const std::string& e : entries) text += "  - " + e + "\n";
  return text;
}

}  // namespace

// save_as_lesson - timeline records to `timeline:`, messages to `send:`.
std::string save_as_lesson(const std::string& original, const std::vector<AppliedAction>& actions) {
  std::vector<std::string> timeline, sends;
  for (const AppliedAction& a : actions)
    (std::holds_alternative<TimelineEntry>(a.action) ? timeline : sends).push_back(action_yaml(a));
  return add_to_section(add_to_section(original, "timeline", timeline), "send", sends);
}

}  // namespace smtpsim::scenario
