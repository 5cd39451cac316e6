// cli_args.cpp - command-line parsing: flags, values, and the errors a person can act on.
#include "sim/cli/cli_args.hpp"

#include <charconv>

#include "sim/live/live_args.hpp"
#include "sim/scenario/scenario_suggest.hpp"

namespace smtpsim::cli {

namespace {

// find_flag - the spec whose name or alias is `word`, or nullptr.
const FlagSpec* find_flag(std::span<const FlagSpec> flags, std::string_view word) {
  for (const FlagSpec& f : flags)
    if (f.name == word || (!f.alias.empty() && f.alias == word)) return &f;
  return nullptr;
}

// unknown_flag - the error for a word that looks like a flag but is none of ours.
UsageError unknown_flag(std::span<const FlagSpec> flags, std::string_view word) {
  std::vector<std::string> names;
  for (const FlagSpec& f : flags) names.emplace_back(f.name);
  std::string base(word.substr(0, word.find('=')));
  return UsageError("unknown flag '" + std::string(word) + "'" + scenario::did_you_mean(base, names));
}

}  // namespace

// ParsedArgs::value - a flag's value, if given.
std::optional<std::string> ParsedArgs::value(std::string_view flag) const {
  auto it = values.find(flag);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

// parse_args - words against the flag table (see the header for the rules).
ParsedArgs parse_args(std::span<const std::string> args, std::span<const FlagSpec> flags, ParseMode mode) {
  ParsedArgs out;
  bool flags_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (flags_done || word.size() < 2 || word[0] != '-') {
      if (word.empty()) throw UsageError("an empty argument ('') was given");
      out.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      flags_done = true;
      continue;
    }
    std::string_view name = word;
    std::optional<std::string> inline_value;
    if (word.starts_with("--")) {
      auto eq = word.find('=');
      if (eq != std::string::npos) {
        name = std::string_view(word).substr(0, eq);
        inline_value = word.substr(eq + 1);
      }
    }
    const FlagSpec* spec = find_flag(flags, name);
    if (!spec) {
      if (mode == ParseMode::DashPositionals) {
        out.positional.push_back(word);
        continue;
      }
      throw unknown_flag(flags, word);
    }
    std::string key(spec->name);
    if (out.has(key)) throw UsageError(key + " is given twice");
    if (!spec->takes_value) {
      if (inline_value) throw UsageError(key + " takes no value (got '" + *inline_value + "')");
      out.values[key] = "";
      continue;
    }
    if (inline_value) {
      if (inline_value->empty()) throw UsageError(key + " needs a value after '='");
      out.values[key] = *inline_value;
      continue;
    }
    if (i + 1 >= args.size()) throw UsageError(key + " needs a value");
    const std::string& next = args[i + 1];
    if (next.size() >= 2 && next.starts_with("--"))
      throw UsageError(key + " needs a value (got the flag '" + next + "')");
    out.values[key] = next;
    ++i;
  }
  return out;
}

// parse_seed - a whole-number seed, or a UsageError naming the flag.
std::uint64_t parse_seed(std::string_view flag, std::string_view text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec == std::errc::result_out_of_range)
    throw UsageError(std::string(flag) + ": expected a whole number from 0 to 18446744073709551615, got '" +
                     std::string(text) + "'");
  if (ec != std::errc() || p != end)
    throw UsageError(std::string(flag) + ": expected a whole number like 42, got '" + std::string(text) + "'");
  return v;
}

// parse_run_time - a positive duration, or a UsageError naming the flag.
SimTime parse_run_time(std::string_view flag, std::string_view text) {
  auto d = parse_duration(text);
  if (!d)
    throw UsageError(std::string(flag) + ": expected a duration like 90m, 6h or 1h30m (units us ms s m h d), got '" +
                     std::string(text) + "'");
  if (*d <= 0) throw UsageError(std::string(flag) + ": the run must last longer than 0, got '" + std::string(text) + "'");
  return *d;
}

// parse_host_port - "host:port" split and checked (the live bridge's parser, errors as UsageError).
std::pair<std::string, std::uint16_t> parse_host_port(std::string_view text) {
  try {
    return live::parse_host_port(text);
  } catch (const live::ArgError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace smtpsim::cli
