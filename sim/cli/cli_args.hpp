// cli_args.hpp - command-line parsing for smtpsim: flags before or after the file names,
// `--flag value` and `--flag=value`, `--` to end flags, and clear errors that name the flag.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim::cli {

// Exit statuses of every subcommand.
inline constexpr int kExitOk = 0;        // everything passed
inline constexpr int kExitFailed = 1;    // ran, but an expectation failed or mail was lost
inline constexpr int kExitUsage = 2;     // unusable input: bad flags, unreadable or invalid file
inline constexpr int kExitInternal = 3;  // a bug in the simulator (reported, never a crash)

// UsageError - a command line that cannot be used; what() is the message without the usage hint.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// FlagSpec - one flag a subcommand takes.
struct FlagSpec {
  std::string_view name;         // "--seed"
  bool takes_value = false;      // --seed N
  std::string_view alias = {};   // "-h"
};

// ParsedArgs - what a command line said: positional words and flag values, in order.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string, std::less<>> values;  // flag name -> value ("" for switches)

  bool has(std::string_view flag) const { return values.find(flag) != values.end(); }
  // value - the flag's value, or nullopt when it was not given.
  std::optional<std::string> value(std::string_view flag) const;
};

// ParseMode - how words that start with '-' but are not flags are read.
enum class ParseMode : unsigned char {
  Strict,           // an unknown '-word' is an error
  DashPositionals,  // an unknown '-word' is positional ("-ERR [IN-USE]" for explain)
};

// parse_args - read args (without the program and subcommand names) against `flags`.
// Throws UsageError for an unknown flag (with a "did you mean" hint), a missing value, a flag
// given twice or a value given to a switch.
ParsedArgs parse_args(std::span<const std::string> args, std::span<const FlagSpec> flags,
                      ParseMode mode = ParseMode::Strict);

// parse_seed - a whole number 0..2^64-1 ("--seed abc" -> UsageError naming the flag).
std::uint64_t parse_seed(std::string_view flag, std::string_view text);
// parse_run_time - a positive duration like "90m", "1h30m" (UsageError otherwise).
SimTime parse_run_time(std::string_view flag, std::string_view text);
// parse_host_port - "mx.b.example:25" -> {host, port} (UsageError naming what is wrong).
std::pair<std::string, std::uint16_t> parse_host_port(std::string_view text);

}  // namespace smtpsim::cli
