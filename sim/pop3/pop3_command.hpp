// pop3_command.hpp - POP3 wire syntax shared by the server and the client: command lines, status
// lines with RFC 2449 response codes, message numbers, dot-stuffing and its incremental reversal.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::pop3 {

// Command - one parsed command line.
struct Command {
  std::string verb;               // upper-cased keyword ("RETR")
  std::vector<std::string> args;  // space-separated arguments
  std::string rest;               // everything after the keyword and its space (PASS keeps spaces)
};

// parse_command - split a command line (without CRLF). False (with a reason) for an empty line,
// a keyword that is not 1-16 printable ASCII letters, or control characters (NUL, bare CR ...).
bool parse_command(std::string_view line, Command& out, std::string& error);

// mask_command - the line as it may be shown in a trace: "PASS ****", "AUTH PLAIN ****", and a
// SASL response line (in_sasl) as "****".
std::string mask_command(std::string_view line, bool in_sasl = false);

// Status - a parsed "+OK ..." / "-ERR ..." line.
struct Status {
  bool ok = false;
  std::string code;  // RFC 2449 response code without brackets ("IN-USE", "SYS/TEMP"), or ""
  std::string text;  // the rest of the line after indicator and code
};

// parse_status - read a status line (without CRLF); false if it is neither +OK nor -ERR.
bool parse_status(std::string_view line, Status& out);

// parse_number - a message number or line count: 1-10 decimal digits, no sign; nullopt otherwise.
std::optional<std::uint64_t> parse_number(std::string_view s);

// append_stuffed - append body as a multi-line response block: each line starting with '.' gets
// another '.', a body not ending in CRLF gets one, then the terminating ".\r\n".
void append_stuffed(std::string& out, std::string_view body);

// top_view - the header section, the empty line and the first `lines` lines of the body of a
// CRLF message (TOP n m); the whole message if it is shorter.
std::string_view top_view(std::string_view message, std::uint64_t lines);

// DotReader - incremental reader of a dot-terminated multi-line block: removes dot-stuffing,
// stops after the terminating line, works with the block split at any byte.
class DotReader {
 public:
  // reset - start a new block, appending its unstuffed content to *out (at most limit octets).
  void reset(std::string* out, std::size_t limit);
  // feed - consume bytes of the block; returns how many were used (fewer than given once done).
  std::size_t feed(std::string_view in);
  bool done() const { return done_; }
  bool overflow() const { return overflow_; }   // the block was longer than limit (content cut)
  std::uint64_t wire_bytes() const { return wire_; }

 private:
  void emit(const char* p, std::size_t n);

  std::string* out_ = nullptr;
  std::size_t limit_ = 0;
  std::uint64_t wire_ = 0;
  bool at_line_start_ = true;
  int dot_ = 0;  // 1: a line began with '.', 2: with ".\r"
  bool done_ = false;
  bool overflow_ = false;
};

}  // namespace smtpsim::pop3
