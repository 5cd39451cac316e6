// scenario_test_util.hpp - helpers shared by the scenario loader tests: loading inline text and
// printing diagnostics the way fixtures write them ("3:14: message").
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/scenario_load.hpp"

namespace smtpsim::scenario::test {

// diag_lines - "L:C: message" (or "L:C: warning: message", or "message" without a position).
inline std::vector<std::string> diag_lines(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    std::string s;
    if (d.line > 0) s = std::to_string(d.line) + ":" + std::to_string(d.column) + ": ";
    if (d.severity == Severity::Warning) s += "warning: ";
    out.push_back(s + d.message);
  }
  return out;
}

// load - load_scenario_string with the name "t.yaml".
inline LoadResult load(const std::string& text) { return load_scenario_string(text, "t.yaml"); }

// replace - replace the first `from` in text (which must be there) with `to`.
inline void replace(std::string& text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test text has no '" + from + "'");
  text.replace(at, from.size(), to);
}

// source_path - a file of the repository.
inline std::string source_path(const std::string& rel) { return std::string(SMTPSIM_SOURCE_DIR) + "/" + rel; }

// kBase - a small valid lesson that inline tests extend (22 lines; `send:` etc. follow it).
inline const char* kBase = R"(domains:
  a.example: { mx: mx.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a, role: mua, user: a@a.example, submit: msa.a.example }
  - { name: client-b, role: mua, user: b@b.example, fetch: pop }
  - { name: msa.a.example, role: msa }
  - { name: mx.a.example, role: mx, deliver_to: mda }
  - { name: mx.b.example, role: mx, deliver_to: mda }
  - { name: mda, role: mda, mailboxes: [a.example, b.example] }
  - { name: pop, role: pop3, store: mda }
  - { name: dns, role: dns }
links:
  - { between: [client-a, msa.a.example] }
  - { between: [msa.a.example, internet] }
  - { between: [internet, mx.a.example] }
  - { between: [internet, mx.b.example] }
  - { between: [internet, mda] }
  - { between: [internet, pop] }
  - { between: [client-b, pop] }
  - { between: [internet, dns] }
)";

}  // namespace smtpsim::scenario::test
