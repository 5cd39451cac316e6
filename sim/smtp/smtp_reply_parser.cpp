// smtp_reply_parser.cpp - incremental SMTP reply parser (RFC 5321 4.2, enhanced codes RFC 3463).
#include "sim/smtp/smtp_reply_parser.hpp"

#include "sim/smtp/smtp_scan.hpp"

#include <cstring>
#include <initializer_list>

namespace smtpsim::smtp {
namespace {

// printable - a short, escaped copy of hostile bytes for an error message.
std::string printable(std::string_view s, std::size_t max = 60) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

// digit - the value of an ASCII digit, or -1.
int digit(char c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

}  // namespace

// Reply::text - lines joined with '\n'.
std::string Reply::text() const {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += lines[i];
  }
  return out;
}

// Reply::message - first line without the enhanced code.
std::string Reply::message() const {
  if (lines.empty()) return {};
  std::string_view first = lines.front();
  if (!enhanced.empty() && first.substr(0, enhanced.size()) == enhanced) {
    first.remove_prefix(enhanced.size());
    while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  }
  return std::string(first);
}

// Reply::summary - "550 5.1.1 text" from the first line; local replies (code 0) omit the code.
std::string Reply::summary() const {
  return format_reply(code, enhanced, lines.empty() ? std::string_view() : std::string_view(lines.front()));
}

// format_reply - "code enhanced text", each part only when there is one, the enhanced code once.
std::string format_reply(int code, std::string_view enhanced, std::string_view text) {
  const bool has_enhanced = !enhanced.empty() && text.substr(0, enhanced.size()) == enhanced &&
                            (text.size() == enhanced.size() || text[enhanced.size()] == ' ');
  if (has_enhanced) enhanced = {};
  std::string out;
  out.reserve(4 + enhanced.size() + 1 + text.size());
  if (code != 0) out += std::to_string(code);
  for (std::string_view part : {enhanced, text}) {
    if (part.empty()) continue;
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

// Reply::wire - the reply with "ddd-" continuation markers and CRLF line ends.
std::string Reply::wire() const {
  std::string out;
  const std::string c = std::to_string(code);
  if (lines.empty()) return c + "\r\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += c;
    out += i + 1 < lines.size() ? '-' : ' ';
    out += lines[i];
    out += "\r\n";
  }
  return out;
}

// parse_enhanced_code - "d.ddd.ddd" followed by a space or the end, class equal to the code's.
std::string parse_enhanced_code(std::string_view text, int reply_code) {
  const int cls = reply_code / 100;
  if (text.size() < 5 || digit(text[0]) != cls || (cls != 2 && cls != 4 && cls != 5) || text[1] != '.')
    return {};
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    const std::size_t start = i;
    while (i < text.size() && digit(text[i]) >= 0 && i - start < 4) ++i;
    const std::size_t n = i - start;
    if (n == 0 || n > 3) return {};
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return {};
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return {};
  return std::string(text.substr(0, i));
}

// ReplyParser - starts empty.
ReplyParser::ReplyParser(ReplyLimits limits) : limits_(limits) {
  if (limits_.max_line < 8) limits_.max_line = 8;
  if (limits_.max_lines < 1) limits_.max_lines = 1;
}

// pending - bytes held for an incomplete reply.
std::size_t ReplyParser::pending() const { return partial_.size() + current_bytes_ + (pending_cr_ ? 1 : 0); }

// reset - drop everything buffered and clear the error.
void ReplyParser::reset() {
  partial_.clear();
  pending_cr_ = false;
  current_ = Reply{};
  current_bytes_ = 0;
  error_.clear();
}

// fail - remember the first error; drop buffers so memory stays small.
void ReplyParser::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
  partial_.clear();
  partial_.shrink_to_fit();
  current_ = Reply{};
  current_bytes_ = 0;
  pending_cr_ = false;
}

// next - one complete reply, or nullopt.
std::optional<Reply> ReplyParser::next(std::string_view& input) {
  Reply r;
  if (!next(input, r)) return std::nullopt;
  return r;
}

// hand_out - the completed reply goes to out; the parser keeps out's old storage for the next one.
void ReplyParser::hand_out(Reply& out) {
  std::swap(out, current_);
  current_.code = 0;
  current_.enhanced.clear();
  current_.lines.clear();
  current_bytes_ = 0;
}

// next - the line splitter: only CRLF ends a line (RFC 5321 2.3.8); bare CR, bare LF and NUL are errors.
bool ReplyParser::next(std::string_view& input, Reply& out) {
  if (failed()) return false;
  const std::size_t line_cap = limits_.max_line - 2;  // text bytes allowed before the CRLF
  while (!input.empty()) {
    if (pending_cr_) {
      if (input.front() != '\n') {
        fail("bare CR in reply line \"" + printable(partial_) + "\" (only CRLF ends a line)");
        return false;
      }
      input.remove_prefix(1);
      pending_cr_ = false;
      std::string line;
      line.swap(partial_);
      if (take_line(line)) {
        hand_out(out);
        return true;
      }
      if (failed()) return false;
      continue;
    }
    // Find the end of this line in the chunk.
    const char* base = input.data();
    const std::size_t room = line_cap - partial_.size() + 1;  // scanning one past the cap detects overflow
    const std::size_t scan = input.size() < room ? input.size() : room;
    const std::size_t end = static_cast<std::size_t>(find_special(base, base + scan) - base);
    if (partial_.size() + end > line_cap) {
      fail("reply line longer than " + std::to_string(limits_.max_line) + " bytes: \"" +
           printable(partial_.empty() ? input.substr(0, end) : std::string_view(partial_)) + "\"");
      return false;
    }
    if (end == input.size()) {  // no line end yet: keep the partial line
      partial_.append(input);
      input = {};
      return false;
    }
    const char stop = base[end];
    if (stop == '\0') {
      fail("NUL byte in reply line \"" + printable(std::string(partial_).append(input.substr(0, end))) + "\"");
      return false;
    }
    if (stop == '\n') {
      fail("bare LF ends reply line \"" + printable(std::string(partial_).append(input.substr(0, end))) +
           "\" (only CRLF ends a line)");
      return false;
    }
    // CR: need the LF, maybe in the next chunk.
    if (end + 1 == input.size()) {
      partial_.append(input.substr(0, end));
      pending_cr_ = true;
      input = {};
      return false;
    }
    if (base[end + 1] != '\n') {
      fail("bare CR in reply line \"" + printable(std::string(partial_).append(input.substr(0, end))) +
           "\" (only CRLF ends a line)");
      return false;
    }
    bool complete;
    if (partial_.empty()) {
      complete = take_line(input.substr(0, end));
    } else {
      partial_.append(input.substr(0, end));
      std::string line;
      line.swap(partial_);
      complete = take_line(line);
    }
    input.remove_prefix(end + 2);
    if (complete) {
      hand_out(out);
      return true;
    }
    if (failed()) return false;
  }
  return false;
}

// take_line - check `ddd[ -]text` and add it to the reply being built.
bool ReplyParser::take_line(std::string_view line) {
  if (line.size() < 3 || digit(line[0]) < 0 || digit(line[1]) < 0 || digit(line[2]) < 0) {
    fail("malformed reply line \"" + printable(line) + "\" (expected a 3-digit reply code)");
    return false;
  }
  const int code = digit(line[0]) * 100 + digit(line[1]) * 10 + digit(line[2]);
  if (line[0] < '2' || line[0] > '5' || line[1] > '5') {
    fail("reply code " + std::string(line.substr(0, 3)) + " out of range in \"" + printable(line) + "\"");
    return false;
  }
  bool last = true;
  if (line.size() > 3) {
    if (line[3] == '-') {
      last = false;
    } else if (line[3] != ' ') {
      fail("malformed reply line \"" + printable(line) + "\" (expected space or '-' after the code)");
      return false;
    }
  }
  if (!current_.lines.empty() && code != current_.code) {
    fail("multi-line reply changes its code from " + std::to_string(current_.code) + " to " +
         std::to_string(code) + " in \"" + printable(line) + "\"");
    return false;
  }
  if (current_.lines.size() >= limits_.max_lines) {
    fail("multi-line " + std::to_string(current_.code) + " reply longer than " +
         std::to_string(limits_.max_lines) + " lines");
    return false;
  }
  const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view{};
  current_bytes_ += text.size();
  if (current_bytes_ > limits_.max_total) {
    fail("multi-line " + std::to_string(code) + " reply larger than " + std::to_string(limits_.max_total) +
         " bytes");
    return false;
  }
  if (current_.lines.empty()) {
    current_.code = code;
    current_.enhanced = parse_enhanced_code(text, code);
    if (current_.lines.capacity() < kLinesReserve) current_.lines.reserve(kLinesReserve);
  }
  current_.lines.emplace_back(text);
  return last;
}

}  // namespace smtpsim::smtp
