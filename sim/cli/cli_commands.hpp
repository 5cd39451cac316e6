// cli_commands.hpp - the subcommands of the smtpsim program and the context they run in.
// Each takes the words after its name and returns the process exit status (cli_args.hpp).
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/cli/cli_args.hpp"

namespace smtpsim::cli {

inline constexpr const char* kVersion = "0.1.0";

// Context - where a command writes, and what it knows about the process it runs in.
struct Context {
  std::ostream& out;        // results (stdout)
  std::ostream& err;        // diagnostics, progress (stderr)
  std::string exe_path;     // the running program (for <exe dir>/../scenarios/lessons)
  bool out_is_tty = false;  // stdout is a terminal
  bool err_is_tty = false;  // stderr is a terminal
};

// cmd_run - run lessons: transcript/JSONL/pcap while running, then PASS/FAIL lines and the summary.
int cmd_run(const std::vector<std::string>& args, Context& ctx);
// cmd_validate - check lesson files (load and build) without running them.
int cmd_validate(const std::vector<std::string>& args, Context& ctx);
// cmd_list - the lessons of a directory with their level and title.
int cmd_list(const std::vector<std::string>& args, Context& ctx);
// cmd_explain - replies from the SMTP/POP3 catalogue, or the retry presets side by side.
int cmd_explain(const std::vector<std::string>& args, Context& ctx);
// cmd_talk - type SMTP/POP3 at a server of a running lesson, like telnet.
int cmd_talk(const std::vector<std::string>& args, Context& ctx);
// cmd_live - run a lesson in real time with some servers open to real clients on loopback.
int cmd_live(const std::vector<std::string>& args, Context& ctx);

// usage_error - print "smtpsim CMD: message" and the hint to CMD's --help; returns kExitUsage.
int usage_error(Context& ctx, const std::string& command, const std::string& message);

// Help texts, printed by `smtpsim CMD --help` and `smtpsim help CMD`.
extern const char* const kMainHelp;
extern const char* const kRunHelp;
extern const char* const kValidateHelp;
extern const char* const kListHelp;
extern const char* const kExplainHelp;
extern const char* const kTalkHelp;
extern const char* const kLiveHelp;

}  // namespace smtpsim::cli
