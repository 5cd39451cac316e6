// scenario_units.cpp - parsing and printing of sizes, bandwidths, loss rates, reply lines, names.
#include "sim/scenario/scenario_units.hpp"
#include "sim/core/ascii.hpp"
#include "sim/mail/mail_address.hpp"

#include <cctype>
#include <cmath>

namespace smtpsim::scenario {

namespace {

// Number - a non-negative decimal with its unit suffix.
struct Number {
  double value = 0;
  std::string unit;  // lower case, spaces removed
  bool fraction = false;
};

// split_number - "1.5 MB" -> {1.5, "mb"}; nullopt when there is no leading number.
std::optional<Number> split_number(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  std::size_t start = i;
  double v = 0;
  bool digits = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    v = v * 10 + (text[i] - '0');
    if (v > 1e18) return std::nullopt;
    digits = true;
    ++i;
  }
  Number n;
  if (i < text.size() && text[i] == '.') {
    ++i;
    double scale = 0.1;
    bool frac_digits = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      v += (text[i] - '0') * scale;
      scale /= 10;
      frac_digits = true;
      ++i;
    }
    if (!frac_digits) return std::nullopt;
    n.fraction = true;
  }
  if (!digits || i == start) return std::nullopt;
  if (i < text.size() && text[i] == ' ') ++i;  // one space allowed before the unit
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ') {
      // only trailing spaces
      for (std::size_t j = i; j < text.size(); ++j)
        if (text[j] != ' ') return std::nullopt;
      break;
    }
    n.unit += ascii_lower(c);
  }
  n.value = v;
  return n;
}

// scaled - value * scale as a whole number, nullopt if not whole or too big.
std::optional<std::uint64_t> scaled(double value, double scale) {
  double r = value * scale;
  if (r > 1.8e19) return std::nullopt;
  double rounded = std::round(r);
  if (std::fabs(r - rounded) > 1e-6 * std::max(1.0, r)) return std::nullopt;
  return static_cast<std::uint64_t>(rounded);
}

}  // namespace

std::string to_lower(std::string_view s) { return ascii_lower_copy(s); }

std::optional<std::uint64_t> parse_size(std::string_view text) {
  auto n = split_number(text);
  if (!n) return std::nullopt;
  double scale;
  const std::string& u = n->unit;
  if (u.empty() || u == "b" || u == "bytes" || u == "byte") scale = 1;
  else if (u == "k" || u == "kb" || u == "kib") scale = 1024.0;
  else if (u == "m" || u == "mb" || u == "mib") scale = 1024.0 * 1024;
  else if (u == "g" || u == "gb" || u == "gib") scale = 1024.0 * 1024 * 1024;
  else return std::nullopt;
  return scaled(n->value, scale);
}

std::optional<std::uint64_t> parse_bandwidth(std::string_view text) {
  auto n = split_number(text);
  if (!n) return std::nullopt;
  double scale;
  const std::string& u = n->unit;
  if (u == "bit" || u == "bps" || u == "bit/s") scale = 1;
  else if (u == "kbit" || u == "kbps" || u == "kbit/s") scale = 1e3;
  else if (u == "mbit" || u == "mbps" || u == "mbit/s") scale = 1e6;
  else if (u == "gbit" || u == "gbps" || u == "gbit/s") scale = 1e9;
  else return std::nullopt;
  return scaled(n->value, scale);
}

std::optional<std::string> bytes_per_second_hint(std::string_view text) {
  auto n = split_number(text);
  if (!n) return std::nullopt;
  std::string u = n->unit;
  if (u.size() >= 2 && u.substr(u.size() - 2) == "/s") u.resize(u.size() - 2);
  else if (u.size() >= 2 && u.substr(u.size() - 2) == "ps") u.resize(u.size() - 2);
  else return std::nullopt;
  // the original spelling must have had an upper-case B (bytes): "MB/s", "kBps"
  bool upper_b = false;
  for (char c : text)
    if (c == 'B') upper_b = true;
  if (!upper_b) return std::nullopt;
  double scale;
  if (u == "b") scale = 1;
  else if (u == "kb") scale = 1e3;
  else if (u == "mb") scale = 1e6;
  else if (u == "gb") scale = 1e9;
  else return std::nullopt;
  auto bps = scaled(n->value * 8, scale);
  if (!bps) return std::nullopt;
  return format_bandwidth(*bps);
}

std::optional<double> parse_loss(std::string_view text) {
  auto n = split_number(text);
  if (!n) return std::nullopt;
  if (n->unit.empty()) return n->value;
  if (n->unit == "%") return n->value / 100.0;
  return std::nullopt;
}

std::string format_size(std::uint64_t bytes) {
  static constexpr const char* units[] = {"B", "KB", "MB", "GB"};
  int u = 0;
  while (u < 3 && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++u;
  }
  return std::to_string(bytes) + units[u];
}

std::string format_bandwidth(std::uint64_t bps) {
  static constexpr const char* units[] = {"bit", "kbit", "Mbit", "Gbit"};
  int u = 0;
  while (u < 3 && bps >= 1000 && bps % 1000 == 0) {
    bps /= 1000;
    ++u;
  }
  return std::to_string(bps) + units[u];
}

std::optional<ReplyLine> parse_reply_line(std::string_view text, std::string* why) {
  auto fail = [&](const char* w) -> std::optional<ReplyLine> {
    if (why) *why = w;
    return std::nullopt;
  };
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  for (char c : text)
    if (c == '\r' || c == '\n' || c == '\0') return fail("a reply is one line");
  if (text.size() > 510) return fail("a reply line is at most 512 bytes with its CRLF");
  ReplyLine r;
  r.line = std::string(text);
  if (text.substr(0, 3) == "+OK" || text.substr(0, 4) == "-ERR") {
    r.pop3 = true;
    r.code = text[0] == '+' ? 1 : 2;
    std::size_t len = r.code == 1 ? 3 : 4;
    if (text.size() > len && text[len] != ' ') return fail("+OK / -ERR is followed by a space");
    return r;
  }
  if (text.size() < 3 || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) ||
      !std::isdigit(static_cast<unsigned char>(text[2])))
    return fail("a reply starts with a three-digit code");
  if (text.size() > 3 && text[3] != ' ')
    return fail("the code is followed by a space (multi-line replies cannot be injected)");
  r.code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
  if (text[0] < '2' || text[0] > '5') return fail("the code's first digit is 2, 3, 4 or 5");
  if (text[1] > '5') return fail("the code's second digit is 0 to 5");
  // an optional enhanced status code must agree with the reply class
  std::string_view rest = text.size() > 4 ? text.substr(4) : std::string_view();
  std::size_t sp = rest.find(' ');
  std::string_view first = rest.substr(0, sp);
  if (!first.empty() && first.size() >= 5 && std::isdigit(static_cast<unsigned char>(first[0])) &&
      first[1] == '.') {
    if (!valid_status_pattern(first) || first.find_first_of("xX") != std::string_view::npos)
      return fail("the enhanced status code looks like 4.3.0");
    if (first[0] != text[0] && !(text[0] == '3' && first[0] == '2'))
      return fail("the enhanced status code's class must match the reply code's first digit");
    r.enhanced = std::string(first);
  }
  return r;
}

bool valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  char prev = '.';
  for (char c : name) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

bool valid_address(std::string_view address) { return mail::is_mailbox(address); }

bool valid_status_pattern(std::string_view p) {
  if (p.size() < 5) return false;
  if (p[0] != '2' && p[0] != '4' && p[0] != '5') return false;
  if (p[1] != '.') return false;
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    std::size_t start = i;
    if (i < p.size() && (p[i] == 'x' || p[i] == 'X')) {
      ++i;
    } else {
      while (i < p.size() && std::isdigit(static_cast<unsigned char>(p[i])) && i - start < 3) ++i;
    }
    if (i == start) return false;
    if (part == 0) {
      if (i >= p.size() || p[i] != '.') return false;
      ++i;
    }
  }
  return i == p.size();
}

}  // namespace smtpsim::scenario
