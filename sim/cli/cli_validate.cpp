// cli_validate.cpp - `smtpsim validate FILE...`: every problem of each lesson file, or what a valid
// lesson holds, without running anything.
#include <ostream>
#include <stdexcept>

#include "sim/cli/cli_commands.hpp"
#include "sim/scenario/scenario_build.hpp"
#include "sim/scenario/scenario_load.hpp"

namespace smtpsim::cli {

namespace {

// plural - "1 host", "3 hosts".
std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// describe_spec - "12 hosts, 14 links, 2 messages, 7 timeline entries, 3 steps, 9 expectations".
std::string describe_spec(const scenario::ScenarioSpec& s) {
  return plural(s.hosts.size(), "host", "hosts") + ", " + plural(s.links.size(), "link", "links") + ", " +
         plural(s.messages.size(), "message", "messages") + ", " +
         plural(s.timeline.size(), "timeline entry", "timeline entries") + ", " +
         plural(s.narration.size(), "narration step", "narration steps") + ", " +
         plural(s.expectations.size(), "expectation", "expectations");
}

}  // namespace

// cmd_validate - `smtpsim validate FILE...`: diagnostics, or one line per valid lesson.
int cmd_validate(const std::vector<std::string>& args, Context& ctx) {
  static constexpr FlagSpec kFlags[] = {{"--quiet", false, "-q"}};
  ParsedArgs a;
  try {
    a = parse_args(args, kFlags);
    if (a.positional.empty()) throw UsageError("no lesson file given (smtpsim validate FILE...)");
  } catch (const UsageError& e) {
    return usage_error(ctx, "validate", e.what());
  }
  const bool quiet = a.has("--quiet");
  int status = kExitOk;
  for (const std::string& file : a.positional) {
    scenario::LoadResult lr = scenario::load_scenario_file(file);
    ctx.out << lr.format();
    if (!lr.ok()) {
      ctx.out << file << ": " << plural(lr.error_count(), "error", "errors") << "\n";
      status = kExitUsage;
      continue;
    }
    // What the loader accepts must also build: the same check `run` makes before it starts.
    try {
      scenario::build_world(*lr.spec, lr.spec->seed);
    } catch (const std::runtime_error& e) {
      ctx.out << e.what() << "\n" << file << ": the simulator cannot build this network\n";
      status = kExitUsage;
      continue;
    }
    if (!quiet) {
      ctx.out << file << ": ok - \"" << lr.spec->lesson.title << "\" (" << describe_spec(*lr.spec) << ")\n";
    }
  }
  ctx.out.flush();
  return status;
}

}  // namespace smtpsim::cli
