// pop3_command.cpp - POP3 command/status line syntax, message numbers, dot-stuffing.
#include "sim/pop3/pop3_command.hpp"

#include <cstring>

namespace smtpsim::pop3 {

namespace {

// upper - ASCII upper case.
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

// parse_command - keyword, then arguments separated by (runs of) spaces.
bool parse_command(std::string_view line, Command& out, std::string& error) {
  out.verb.clear();  // cleared, not replaced: a reused Command keeps its buffers
  out.args.clear();
  out.rest.clear();
  for (unsigned char c : line) {
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      error = "invalid characters in command";
      return false;
    }
  }
  std::size_t sp = line.find(' ');
  std::string_view verb = line.substr(0, sp);
  if (verb.empty()) {
    error = line.empty() ? "empty command line" : "command line starts with a space";
    return false;
  }
  if (verb.size() > 16) {
    error = "command keyword too long";
    return false;
  }
  for (char c : verb) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      error = "invalid command keyword";
      return false;
    }
  }
  out.verb.assign(verb);
  for (char& c : out.verb) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  if (sp == std::string_view::npos) return true;
  std::string_view rest = line.substr(sp + 1);
  out.rest.assign(rest);
  std::size_t pos = 0;
  while (pos < rest.size()) {
    while (pos < rest.size() && rest[pos] == ' ') ++pos;
    if (pos >= rest.size()) break;
    std::size_t e = rest.find(' ', pos);
    if (e == std::string_view::npos) e = rest.size();
    out.args.emplace_back(rest.substr(pos, e - pos));
    pos = e;
  }
  return true;
}

// mask_command - hide secrets.
std::string mask_command(std::string_view line, bool in_sasl) {
  if (in_sasl) return line == "*" ? std::string("*") : std::string("****");
  std::size_t sp = line.find(' ');
  if (sp != 4) return std::string(line);  // only PASS and AUTH carry secrets
  const std::string verb = upper(line.substr(0, sp));
  if (verb == "PASS") return std::string(line.substr(0, sp)) + " ****";
  if (verb == "AUTH") {
    std::string_view rest = line.substr(sp + 1);
    std::size_t sp2 = rest.find(' ');
    if (sp2 != std::string_view::npos) return std::string(line.substr(0, sp + 1 + sp2)) + " ****";
  }
  return std::string(line);
}

// parse_status - "+OK[ text]" / "-ERR[ [CODE] text]".
bool parse_status(std::string_view line, Status& out) {
  out = Status{};
  std::string_view rest;
  if (line.substr(0, 3) == "+OK") {
    out.ok = true;
    rest = line.substr(3);
  } else if (line.substr(0, 4) == "-ERR") {
    rest = line.substr(4);
  } else {
    return false;
  }
  if (!rest.empty() && rest.front() != ' ') return false;  // "+OKAY" is not a status
  if (!rest.empty()) rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    if (close != std::string_view::npos) {
      out.code = std::string(rest.substr(1, close - 1));
      rest = rest.substr(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  out.text = std::string(rest);
  return true;
}

// parse_number - strict decimal.
std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + std::uint64_t(c - '0');
  }
  return v;
}

// append_stuffed - copy runs between line-leading dots in bulk. Dots are rarer than line ends in
// mail, so the scan looks for '.' and checks what precedes it.
void append_stuffed(std::string& out, std::string_view body) {
  out.reserve(out.size() + body.size() + 8);
  const char* p = body.data();
  const std::size_t n = body.size();
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < n) {
    const void* dot = std::memchr(p + i, '.', n - i);
    if (dot == nullptr) break;
    const std::size_t j = std::size_t(static_cast<const char*>(dot) - p);
    if (j == 0 || p[j - 1] == '\n') {
      out.append(p + run, j - run);
      out.push_back('.');
      run = j;
    }
    i = j + 1;
  }
  out.append(p + run, n - run);
  if (n > 0 && (n < 2 || p[n - 2] != '\r' || p[n - 1] != '\n')) out.append("\r\n");
  out.append(".\r\n");
}

// top_view - find the end of the header section, then count body lines.
std::string_view top_view(std::string_view message, std::uint64_t lines) {
  std::size_t body;
  if (message.substr(0, 2) == "\r\n") {
    body = 2;
  } else {
    std::size_t blank = message.find("\r\n\r\n");
    if (blank == std::string_view::npos) return message;  // headers only
    body = blank + 4;
  }
  std::size_t pos = body;
  for (std::uint64_t k = 0; k < lines && pos < message.size(); ++k) {
    std::size_t lf = message.find('\n', pos);
    if (lf == std::string_view::npos) return message;
    pos = lf + 1;
  }
  return message.substr(0, pos);
}

// DotReader::reset - a fresh block.
void DotReader::reset(std::string* out, std::size_t limit) {
  out_ = out;
  limit_ = limit;
  wire_ = 0;
  at_line_start_ = true;
  dot_ = 0;
  done_ = false;
  overflow_ = false;
}

// DotReader::emit - append content within the limit.
void DotReader::emit(const char* p, std::size_t n) {
  if (n == 0 || out_ == nullptr) return;
  if (overflow_ || out_->size() + n > limit_) {
    overflow_ = true;
    return;
  }
  out_->append(p, n);
}

// DotReader::feed - a small state machine at line starts, bulk copies in between.
std::size_t DotReader::feed(std::string_view in) {
  const char* p = in.data();
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n && !done_) {
    if (dot_ == 1) {  // a line began with '.'
      if (p[i] == '\r') {
        dot_ = 2;
        ++i;
        continue;
      }
      if (p[i] == '\n') {  // ".\n": a lenient terminator
        done_ = true;
        ++i;
        break;
      }
      dot_ = 0;  // a stuffed dot: drop it, the line goes on
      at_line_start_ = false;
      continue;
    }
    if (dot_ == 2) {  // ".\r"
      if (p[i] == '\n') {
        done_ = true;
        ++i;
        break;
      }
      emit("\r", 1);
      dot_ = 0;
      at_line_start_ = false;
      continue;
    }
    if (at_line_start_ && p[i] == '.') {
      dot_ = 1;
      ++i;
      continue;
    }
    // Bulk: copy up to the next line that starts with '.' (found by its dot), or to the end.
    const std::size_t run = i;
    for (;;) {
      const void* dot = std::memchr(p + i, '.', n - i);
      if (dot == nullptr) {
        emit(p + run, n - run);
        if (n > run) at_line_start_ = p[n - 1] == '\n';
        i = n;
        break;
      }
      const std::size_t j = std::size_t(static_cast<const char*>(dot) - p);
      if (j > run && p[j - 1] == '\n') {
        emit(p + run, j - run);
        at_line_start_ = true;
        i = j;
        break;
      }
      i = j + 1;
    }
  }
  wire_ += i;
  return i;
}

}  // namespace smtpsim::pop3
