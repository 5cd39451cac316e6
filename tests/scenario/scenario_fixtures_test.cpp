// scenario_fixtures_test.cpp - every malformed lesson in tests/scenario/bad/ is rejected with exactly
// the diagnostics written at its end ("# expect: L:C: message"), and every lesson in good/ loads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/scenario_test_util.hpp"

using namespace smtpsim::scenario;
namespace fs = std::filesystem;

namespace {

// yaml_files - the .yaml files of a directory, sorted by name.
std::vector<fs::path> yaml_files(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// expected_lines - the "# expect: " lines of a fixture, in order.
std::vector<std::string> expected_lines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  std::string line;
  const std::string tag = "# expect: ";
  while (std::getline(in, line))
    if (line.rfind(tag, 0) == 0) out.push_back(line.substr(tag.size()));
  return out;
}

}  // namespace

TEST_CASE("every malformed fixture gets exactly its expected diagnostics") {
  auto files = yaml_files(test::source_path("tests/scenario/bad"));
  REQUIRE(files.size() >= 25);
  for (const fs::path& p : files) {
    DYNAMIC_SECTION(p.filename().string()) {
      auto want = expected_lines(p);
      REQUIRE_FALSE(want.empty());  // a fixture without expectations would test nothing
      LoadResult r = load_scenario_file(p.string());
      CHECK_FALSE(r.ok());
      CHECK_FALSE(r.spec.has_value());
      CHECK(test::diag_lines(r) == want);
      for (const Diagnostic& d : r.diagnostics) CHECK(d.file == p.string());
    }
  }
}

TEST_CASE("every good lesson loads without any diagnostic") {
  auto files = yaml_files(test::source_path("tests/scenario/good"));
  REQUIRE_FALSE(files.empty());
  for (const fs::path& p : files) {
    DYNAMIC_SECTION(p.filename().string()) {
      LoadResult r = load_scenario_file(p.string());
      INFO(r.format());
      CHECK(r.ok());
      CHECK(r.diagnostics.empty());
    }
  }
}

TEST_CASE("diagnostics print as file:line:column: message") {
  LoadResult r = load_scenario_file(test::source_path("tests/scenario/bad/link-key-typo.yaml"));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].to_string() ==
        test::source_path("tests/scenario/bad/link-key-typo.yaml") +
            ":5:26: unknown key 'latncy' in link (did you mean 'latency'?)");
  CHECK(r.format() == r.diagnostics[0].to_string() + "\n");
  CHECK(r.error_count() == 1);
}
