// lessons_run_test.cpp - every lesson in scenarios/lessons runs through the real engines, passes
// its own expectations with no mail lost, and reaches the last step of its narration.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/export/export_transcript.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

using namespace smtpsim;
namespace fs = std::filesystem;

namespace {
std::vector<std::string> lesson_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(SMTPSIM_SOURCE_DIR) / "scenarios" / "lessons"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("every lesson passes its expectations") {
  auto files = lesson_files();
  REQUIRE(!files.empty());
  for (const std::string& f : files) {
    DYNAMIC_SECTION(fs::path(f).filename().string()) {
      auto loaded = scenario::load_scenario_file(f);
      INFO(loaded.format());
      REQUIRE(loaded.ok());
      scenario::ScenarioRun run(*loaded.spec);
      run.run_to_end();
      scenario::RunReport rep = run.finish();
      std::string details;
      for (const auto& e : rep.expectations)
        details += std::string(e.pass ? "PASS " : "FAIL ") + e.expectation.describe() + " - " + e.detail + "\n";
      for (const auto& p : rep.ledger.problems) details += p + "\n";
      if (!rep.ok()) {
        std::ofstream(fs::path(SMTPSIM_BINARY_DIR) / (fs::path(f).stem().string() + ".transcript.txt"))
            << exporter::format_transcript(run.world().trace.events());
      }
      INFO(details << rep.summary_line());
      CHECK(rep.ok());
      CHECK(rep.passed == int(rep.expectations.size()));
      // The story told along the way is complete: every narration step started (a step whose
      // start_on or the previous step's pause_on never matches leaves the student stranded).
      INFO("narration reached step " << run.current_step() + 1 << " of " << loaded.spec->narration.size());
      CHECK(run.current_step() == int(loaded.spec->narration.size()) - 1);
    }
  }
}
