// scenario_load.cpp - the loader's entry points: read the file, parse the YAML (syntax errors with
// friendly wording), read each section, run the cross-checks, and hand back spec or diagnostics.
#include "sim/scenario/scenario_load.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "sim/scenario/scenario_load_scan.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace smtpsim::scenario {

namespace {

using detail::Diags;

// line_at - the text of 0-based line `n` of text ("" when out of range).
std::string_view line_at(std::string_view text, int n) {
  std::size_t start = 0;
  for (int i = 0; i < n; ++i) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  std::size_t end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
}

// first_tab_indent - the 0-based line of the first line indented with a tab, or -1.
int first_tab_indent(std::string_view text) {
  int line = 0;
  bool at_start = true;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      at_start = true;
      continue;
    }
    if (!at_start) continue;
    if (c == '\t') return line;
    if (c != ' ') at_start = false;
  }
  return -1;
}

// unclosed_bracket - where the innermost bracket `open` ('[' or '{') still open at 0-based line
// `upto` starts (quoted text and comments skipped); nullopt when none is found.
std::optional<SourcePos> unclosed_bracket(std::string_view text, int upto, char open) {
  struct Open {
    char c;
    SourcePos pos;
  };
  std::vector<Open> stack;
  int line = 0, col = 0;
  char quote = 0;
  bool comment = false;
  char prev = '\n';
  for (std::size_t i = 0; i < text.size() && line <= upto; ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      col = 0;
      comment = false;
      if (quote == 0) prev = c;
      continue;
    }
    ++col;
    if (comment) continue;
    if (quote) {
      if (c == '\\' && quote == '"') ++i, ++col;
      else if (c == quote) quote = 0;
    } else if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
      comment = true;
    } else if ((c == '"' || c == '\'') && (prev == ' ' || prev == '[' || prev == '{' ||
                                            prev == ',' || prev == ':' || prev == '\n')) {
      quote = c;
    } else if (c == '[' || c == '{') {
      stack.push_back({c, {line + 1, col}});
    } else if ((c == ']' || c == '}') && !stack.empty()) {
      stack.pop_back();
    }
    prev = c;
  }
  for (auto it = stack.rbegin(); it != stack.rend(); ++it)
    if (it->c == open) return it->pos;
  return std::nullopt;
}

// nesting_message - the error for a file that nests lists and maps deeper than `levels`.
std::string nesting_message(int levels) {
  return "the file nests deeper than " + std::to_string(levels) +
         " levels (lists and maps inside each other; a lesson needs only a few)";
}

// clamped - a yaml-cpp mark as a position inside its line (a mark can point past the line's end).
SourcePos clamped(std::string_view text, const YAML::Mark& m) {
  if (m.line < 0) return {};
  int len = int(line_at(text, m.line).size());
  return {m.line + 1, std::max(1, std::min(m.column + 1, len))};
}

// syntax_message - yaml-cpp's parser message in words a teacher can act on.
std::string syntax_message(const std::string& msg) {
  std::string m = msg;
  if (m == YAML::ErrorMsg::END_OF_SEQ_FLOW)
    return "YAML syntax error: this '[' list is never closed with ']'";
  if (m == YAML::ErrorMsg::END_OF_MAP_FLOW)
    return "YAML syntax error: this '{' map is never closed with '}'";
  if (m == YAML::ErrorMsg::END_OF_MAP || m == YAML::ErrorMsg::END_OF_SEQ)
    return "YAML syntax error: " + m + " (check the indentation of this line)";
  if (m == YAML::ErrorMsg::MAP_VALUE)
    return "YAML syntax error: illegal map value (check the indentation, and put text that "
           "contains ': ' in quotes)";
  if (m == YAML::ErrorMsg::FLOW_END)
    return "YAML syntax error: this closing bracket does not match the one that opened (a '[' "
           "closes with ']', a '{' with '}')";
  if (m == YAML::ErrorMsg::EOF_IN_SCALAR) return "YAML syntax error: a quoted text is not closed";
  if (m == YAML::ErrorMsg::TAB_IN_INDENTATION)
    return "tab character in indentation (YAML indents with spaces only)";
  if (m == YAML::ErrorMsg::UNKNOWN_ANCHOR)
    return "YAML syntax error: an alias (*name) refers to an anchor (&name) that is not defined";
  if (m.rfind(YAML::ErrorMsg::INVALID_ESCAPE, 0) == 0)
    return "YAML syntax error: " + m + " (in double quotes write \\\\ for a backslash, or use "
           "single quotes)";
  return "YAML syntax error: " + m;
}

// DocScan - counts the documents of a stream without building them. yaml-cpp 0.7's LoadAll loops
// forever (allocating) on inputs like "," (upstream issue #1040, fixed after 0.7): the parser keeps
// reporting an empty document at the same place. This scan stops there and reports the character.
class DocScan : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& m) override { start = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    if (watch >= 0 && m.pos == watch) watched = true;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start;
  int watch = -1;        // a byte offset where a scalar may start (an unclosed quote's)
  bool watched = false;  // a scalar did start there
};

// ScanResult - how many documents there are, where the second starts, and where the parser got
// stuck (pos < 0: it did not).
struct ScanResult {
  bool watched = false;  // a scalar starts at the offset asked for
  int documents = 0;
  YAML::Mark second;
  YAML::Mark stuck = YAML::Mark::null_mark();
};

// scan_documents - count documents (throws YAML::ParserException like Load does).
ScanResult scan_documents(const std::string& text, int watch) {
  std::stringstream in(text);
  YAML::Parser parser(in);
  DocScan scan;
  scan.watch = watch;
  ScanResult r;
  int last_pos = -1;
  while (r.documents < 3) {
    scan.start = YAML::Mark::null_mark();
    if (!parser.HandleNextDocument(scan)) break;
    if (scan.start.pos == last_pos) {  // no progress: yaml-cpp would loop here forever
      r.stuck = scan.start;
      break;
    }
    last_pos = scan.start.pos;
    if (++r.documents == 2) r.second = scan.start;
  }
  r.watched = scan.watched;
  return r;
}

// finish - the result: the spec only when there is no error.
LoadResult finish(Diags& d, std::optional<ScenarioSpec> spec) {
  LoadResult r;
  r.diagnostics = d.sorted();
  if (d.errors() == 0 && spec) r.spec = std::move(spec);
  return r;
}

// too_large - the error for a file over the size cap, with its real size.
LoadResult too_large(Diags& d, std::uintmax_t bytes) {
  d.error({}, "the file is too large (" + std::to_string(bytes) + " bytes; a lesson file may have at most " +
                  std::to_string(kMaxScenarioBytes) + ")");
  return finish(d, std::nullopt);
}

// load_document - every section of a parsed document, then the cross-checks.
std::optional<ScenarioSpec> load_document(Diags& d, const YAML::Node& root, const std::string& name) {
  ScenarioSpec spec;
  spec.file = name;
  detail::Loader L{d, spec};
  detail::Val rv = detail::val_of(root, "lesson file");
  if (rv.is_null()) {
    d.error({}, "the file is empty: a lesson needs at least hosts: (see scenarios/FORMAT.md)");
    return std::nullopt;
  }
  if (!rv.is_map()) {
    d.error(rv.pos, "expected keys at the top of the file (lesson:, hosts:, links:, ...), got " +
                        detail::shown(root));
    return std::nullopt;
  }
  detail::Fields top(d, rv, KeyPlace::Top);
  // keys starting with "x-" are the file's own (anchors to reuse: x-defaults: &d {...})
  std::vector<std::string> valid = keys_of(KeyPlace::Top);
  for (const std::string& k : top.written())
    if (k.rfind("x-", 0) == 0) valid.push_back(k);
  top.check(valid);
  L.read_lesson(top.get("lesson"));
  L.read_seed(top.get("seed"));
  L.read_until(top.get("until"));
  if (top.has("retry"))
    if (auto r = L.read_retry(top.get("retry"))) spec.retry = *r;
  L.read_domains(top.get("domains"));
  if (!top.has("hosts"))
    d.derived(rv.pos, "the file has no hosts: section (a lesson needs at least one host)");
  L.read_hosts(top.get("hosts"));
  L.read_links(top.get("links"));
  L.read_send(top.get("send"));
  L.read_timeline(top.get("timeline"));
  L.read_narration(top.get("narration"));
  L.read_expect(top.get("expect"));
  L.add_implicit_hosts();
  L.validate_references();
  L.resolve();
  L.validate_semantics();
  if (spec.lesson.title.empty()) {
    std::string stem = std::filesystem::path(name).stem().string();
    spec.lesson.title = stem.empty() ? name : stem;
  }
  return spec;
}

}  // namespace

std::size_t LoadResult::error_count() const {
  std::size_t n = 0;
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Severity::Error) ++n;
  return n;
}

std::string LoadResult::format() const {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

LoadResult load_scenario_string(std::string_view text, const std::string& name) {
  Diags d(name);
  if (text.size() > kMaxScenarioBytes) return too_large(d, text.size());
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    int line = 1;
    std::size_t col_start = 0;
    for (std::size_t i = 0; i < nul; ++i)
      if (text[i] == '\n') {
        ++line;
        col_start = i + 1;
      }
    d.error({line, int(nul - col_start) + 1}, "the file contains a NUL byte (is it a text file?)");
    return finish(d, std::nullopt);
  }
  // Nesting past the limit, where it crosses it (yaml-cpp's own guard says "bad file" somewhere
  // further on); a quoted text never closed, where it opens (yaml-cpp takes the rest of the file
  // into it when it ends with a newline).
  const ScanFinding found = scan_lesson_text(text);
  if (found.too_deep) {
    d.error(*found.too_deep, nesting_message(kMaxNesting));
    return finish(d, std::nullopt);
  }
  const std::string unclosed = std::string("YAML syntax error: this ") + (found.quote == '"' ? "double" : "single") +
                               "-quoted text is never closed: it runs to the end of the file";
  if (found.runaway_quote && !found.unclosed_quote) {
    d.error(*found.runaway_quote, std::string("YAML syntax error: this ") + (found.runaway == '"' ? "double" : "single") +
                                      "-quoted text is not closed on its line: it runs on into the keys below, up to "
                                      "the next quote");
    return finish(d, std::nullopt);
  }
  try {
    std::string owned(text);
    YAML::Node root;
    ScanResult scan;
    try {
      scan = scan_documents(owned, found.unclosed_quote ? int(found.quote_offset) : -1);
      if (found.unclosed_quote && scan.watched) {
        d.error(*found.unclosed_quote, unclosed);
        return finish(d, std::nullopt);
      }
      if (scan.stuck.pos < 0 && scan.documents == 1) root = YAML::Load(owned);
    } catch (const YAML::DeepRecursion& e) {
      // the scan above counts levels its own way; should yaml-cpp's guard still trip first
      d.error(clamped(text, e.mark), nesting_message(e.depth() - 1));
      return finish(d, std::nullopt);
    } catch (const YAML::ParserException& e) {
      if (e.msg == YAML::ErrorMsg::EOF_IN_SCALAR && found.unclosed_quote) {
        d.error(*found.unclosed_quote, unclosed);
        return finish(d, std::nullopt);
      }
      SourcePos at{e.mark.line + 1, e.mark.column + 1};
      if (e.mark.line < 0) at = {};
      std::string message = syntax_message(e.msg);
      // an unclosed bracket is reported where it was opened, not where the parser gave up
      if (e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW || e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) {
        char open = e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW ? '[' : '{';
        if (auto p = unclosed_bracket(text, e.mark.line, open)) at = *p;
      }
      int tab = first_tab_indent(text);
      if (tab >= 0 && tab <= e.mark.line) {
        at = {tab + 1, 1};
        message = "tab character in indentation (YAML indents with spaces only)";
      } else if (e.msg == YAML::ErrorMsg::MAP_VALUE && e.mark.line >= 0 &&
                 line_at(text, e.mark.line).find('\t') != std::string_view::npos) {
        message = "tab character in indentation (YAML indents with spaces only)";
      }
      d.error(at, message);
      return finish(d, std::nullopt);
    }
    if (scan.stuck.pos >= 0) {
      std::size_t at = std::size_t(scan.stuck.pos);
      std::string c = at < owned.size() ? std::string(1, owned[at]) : std::string();
      d.error({scan.stuck.line + 1, scan.stuck.column + 1},
              "YAML syntax error: unexpected '" + c + "' (put text that starts with it in quotes)");
      return finish(d, std::nullopt);
    }
    if (scan.documents == 0) {
      d.error({}, "the file is empty: a lesson needs at least hosts: (see scenarios/FORMAT.md)");
      return finish(d, std::nullopt);
    }
    if (scan.documents > 1) {
      d.error({scan.second.line + 1, scan.second.column + 1},
              "only one YAML document per lesson file (a second one starts here with '---')");
      return finish(d, std::nullopt);
    }
    return finish(d, load_document(d, root, name));
  } catch (const std::exception& e) {
    // a safety net: nothing in a file may crash the loader
    d.error({}, std::string("cannot read the file: ") + e.what());
    return finish(d, std::nullopt);
  }
}

LoadResult load_scenario_file(const std::string& path) {
  Diags d(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    d.error({}, "cannot read: it is a directory");
    return finish(d, std::nullopt);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    d.error({}, std::string("cannot open: ") + std::strerror(errno));
    return finish(d, std::nullopt);
  }
  std::string text;
  char buf[65536];
  std::uintmax_t total = 0;  // every byte, also those past the cap (kept only up to it)
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    total += static_cast<std::uintmax_t>(in.gcount());
    if (total <= kMaxScenarioBytes) text.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    d.error({}, std::string("cannot read: ") + std::strerror(errno));
    return finish(d, std::nullopt);
  }
  if (total > kMaxScenarioBytes) return too_large(d, total);
  return load_scenario_string(text, path);
}

}  // namespace smtpsim::scenario
