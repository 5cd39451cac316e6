// scenario_load.hpp - loading a lesson file: YAML in, either a complete ScenarioSpec or the list of
// everything wrong with the file (`file:line:column: message`), never half of each, never a crash.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

struct LoadResult {
  std::optional<ScenarioSpec> spec;     // set only when the file has no errors
  std::vector<Diagnostic> diagnostics;  // errors and warnings by position, root causes first

  bool ok() const { return spec.has_value(); }
  std::size_t error_count() const;
  // format - every diagnostic on its own line (the text a CLI prints).
  std::string format() const;
};

// load_scenario_file - read and validate a lesson file (problems opening it are diagnostics too).
LoadResult load_scenario_file(const std::string& path);

// load_scenario_string - the same for text already in memory; `name` is used in diagnostics.
LoadResult load_scenario_string(std::string_view text, const std::string& name);

// kMaxScenarioBytes - larger files are refused (a lesson is a page of text, not a data set).
inline constexpr std::size_t kMaxScenarioBytes = 4 * 1024 * 1024;

}  // namespace smtpsim::scenario
