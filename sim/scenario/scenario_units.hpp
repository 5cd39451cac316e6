// scenario_units.hpp - the value forms people write in lesson files: sizes ("10KB"), bandwidth
// ("10Mbit"), loss ("1%"), reply lines ("451 4.3.0 Try again later"), names and addresses.
// Durations use parse_duration from sim/core/time.hpp. All functions are pure; nullopt = invalid.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smtpsim::scenario {

// parse_size - bytes: "512", "512B", "10KB", "10K", "1.5MB", "2GiB" (K/M/G = 1024-based).
std::optional<std::uint64_t> parse_size(std::string_view text);

// parse_bandwidth - bits per second: "9600bit", "56kbit", "10Mbit", "1Gbit", "100Mbps" (SI: k=1000).
std::optional<std::uint64_t> parse_bandwidth(std::string_view text);

// bytes_per_second_hint - for a byte rate like "10MB/s" or "5MBps": the same rate as "80Mbit"
// (nullopt when text is not such a byte rate).
std::optional<std::string> bytes_per_second_hint(std::string_view text);

// parse_loss - a probability: "0", "0.05", "1" or a percentage "1%", "0.5%" (range not checked).
std::optional<double> parse_loss(std::string_view text);

// format_size / format_bandwidth - the shortest exact form ("10KB", "10Mbit").
std::string format_size(std::uint64_t bytes);
std::string format_bandwidth(std::uint64_t bps);

// ReplyLine - a reply a host is told to give: SMTP "451 4.3.0 Try again later" or POP3 "-ERR ...".
struct ReplyLine {
  int code = 0;         // SMTP code; POP3: 1 = +OK, 2 = -ERR
  bool pop3 = false;
  std::string enhanced; // "4.3.0" when present
  std::string line;     // the whole line as given (trimmed)
};

// parse_reply_line - nullopt with `why` set when the line is not a valid reply.
std::optional<ReplyLine> parse_reply_line(std::string_view text, std::string* why = nullptr);

// valid_host_name - letters, digits, '-', '_' and '.'-separated labels (1..63 chars, total <= 253).
bool valid_host_name(std::string_view name);

// valid_address - an RFC 5321 Mailbox by the grammar the SMTP server uses (mail::is_mailbox), so a
// lesson accepts exactly the addresses its servers accept.
bool valid_address(std::string_view address);

// valid_status_pattern - an enhanced status code or pattern: "5.1.1", "5.x.x", "4.4.X".
bool valid_status_pattern(std::string_view pattern);

// to_lower - ASCII lower case.
std::string to_lower(std::string_view s);

}  // namespace smtpsim::scenario
