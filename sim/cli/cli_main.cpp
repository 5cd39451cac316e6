// cli_main.cpp - the smtpsim program: picks the subcommand, answers --help and --version, and turns
// anything unexpected into a message and an exit status instead of a crash.
#include <unistd.h>

#include <climits>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "sim/cli/cli_commands.hpp"
#include "sim/scenario/scenario_suggest.hpp"

namespace smtpsim::cli {
namespace {

using Command = int (*)(const std::vector<std::string>&, Context&);

struct CommandEntry {
  const char* name;
  Command run;
  const char* help;
};

const CommandEntry kCommands[] = {
    {"run", cmd_run, kRunHelp},         {"validate", cmd_validate, kValidateHelp},
    {"list", cmd_list, kListHelp},      {"explain", cmd_explain, kExplainHelp},
    {"talk", cmd_talk, kTalkHelp},      {"live", cmd_live, kLiveHelp},
};

// find_command - the entry named `name`, or nullptr.
const CommandEntry* find_command(const std::string& name) {
  for (const CommandEntry& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

// exe_path - the running program's path (from /proc), or argv[0] when that is unavailable.
std::string exe_path(const char* argv0) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, std::size_t(n));
  return argv0 ? argv0 : "";
}

// dispatch - run the command line; may throw (main catches).
int dispatch(const std::vector<std::string>& args, Context& ctx) {
  if (args.empty()) {
    ctx.err << kMainHelp;
    return kExitUsage;
  }
  const std::string& first = args[0];
  if (first == "-h" || first == "--help") {
    ctx.out << kMainHelp;
    return kExitOk;
  }
  if (first == "--version" || first == "-V") {
    ctx.out << "smtpsim " << kVersion << "\n";
    return kExitOk;
  }
  if (first == "help") {
    if (args.size() == 1) {
      ctx.out << kMainHelp;
      return kExitOk;
    }
    const CommandEntry* c = find_command(args[1]);
    if (!c) return usage_error(ctx, "help", "unknown command '" + args[1] + "'");
    ctx.out << c->help;
    return kExitOk;
  }
  const CommandEntry* c = find_command(first);
  if (!c) {
    std::vector<std::string> names;
    for (const CommandEntry& e : kCommands) names.emplace_back(e.name);
    std::string what = first.starts_with("-") ? "unknown option '" + first + "'"
                                              : "unknown command '" + first + "'";
    ctx.err << "smtpsim: " << what << scenario::did_you_mean(first, names) << "\n"
            << "Commands: run, validate, list, explain, talk, live, help. Try 'smtpsim --help'.\n";
    return kExitUsage;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  // --help anywhere among a command's own flags (not after "--", not as explain's query).
  for (const std::string& a : rest) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") {
      ctx.out << c->help;
      return kExitOk;
    }
  }
  return c->run(rest, ctx);
}

}  // namespace

// usage_error - the message, the --help hint, and the usage exit status.
int usage_error(Context& ctx, const std::string& command, const std::string& message) {
  ctx.err << "smtpsim " << command << ": " << message << "\n"
          << "Try 'smtpsim " << command << " --help'.\n";
  return kExitUsage;
}

}  // namespace smtpsim::cli

// main - the program entry: everything is caught, so no input makes it crash.
int main(int argc, char** argv) {
  using namespace smtpsim::cli;
  std::ios::sync_with_stdio(true);
  Context ctx{std::cout, std::cerr, exe_path(argc > 0 ? argv[0] : nullptr), ::isatty(1) == 1, ::isatty(2) == 1};
  int status = kExitInternal;
  try {
    std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    status = dispatch(args, ctx);
  } catch (const UsageError& e) {
    std::cerr << "smtpsim: " << e.what() << "\nTry 'smtpsim --help'.\n";
    status = kExitUsage;
  } catch (const std::bad_alloc&) {
    std::cerr << "smtpsim: out of memory\n";
    status = kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "smtpsim: internal error: " << e.what() << "\n";
    status = kExitInternal;
  } catch (...) {
    std::cerr << "smtpsim: internal error (unknown exception)\n";
    status = kExitInternal;
  }
  std::cout.flush();
  return status;
}
