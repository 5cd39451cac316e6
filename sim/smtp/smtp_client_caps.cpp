// smtp_client_caps.cpp - EHLO reply keywords to Capabilities (RFC 5321 4.1.1.1, extension RFCs).
#include "sim/smtp/smtp_client_caps.hpp"

#include <algorithm>

namespace smtpsim::smtp {
namespace {

// upper - ASCII upper-case copy.
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// iequal_upper - s equals the upper-case word `upper_word`, ignoring the case of s (ASCII).
bool iequal_upper(std::string_view s, std::string_view upper_word) {
  if (s.size() != upper_word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i] >= 'a' && s[i] <= 'z' ? static_cast<char>(s[i] - 'a' + 'A') : s[i];
    if (c != upper_word[i]) return false;
  }
  return true;
}

// next_word - the next word of s (words are separated by spaces or tabs), removed from s; "" at the end.
std::string_view next_word(std::string_view& s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  const std::size_t start = i;
  while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
  const std::string_view word = s.substr(start, i - start);
  s.remove_prefix(i);
  return word;
}

// add_mech - append one SASL mechanism name (upper case), skipping duplicates.
void add_mech(Capabilities& caps, std::string_view word) {
  std::string m = upper(word);
  if (std::find(caps.auth.begin(), caps.auth.end(), m) == caps.auth.end()) caps.auth.push_back(std::move(m));
}

// add_mechs - append every mechanism named by the words left in rest.
void add_mechs(Capabilities& caps, std::string_view rest) {
  for (std::string_view w = next_word(rest); !w.empty(); w = next_word(rest)) add_mech(caps, w);
}

// parse_size - the SIZE parameter: up to 19 decimal digits, else 0 (no limit announced).
std::uint64_t parse_size(std::string_view word) {
  if (word.empty() || word.size() > 19) return 0;
  std::uint64_t n = 0;
  for (char c : word) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

// has_auth - mechanism offered?
bool Capabilities::has_auth(std::string_view mech) const {
  return std::find(auth.begin(), auth.end(), mech) != auth.end();
}

// parse_ehlo - the first line names the server; each later line is "KEYWORD [params]".
Capabilities parse_ehlo(const Reply& reply) {
  Capabilities caps;
  caps.esmtp = true;
  if (reply.lines.empty()) return caps;
  {
    std::string_view first = reply.lines.front();
    caps.server_name = std::string(next_word(first));
  }
  caps.keywords.reserve(reply.lines.size() - 1);
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    const std::string& line = reply.lines[i];
    std::string_view rest = line;
    const std::string_view kw = next_word(rest);
    if (kw.empty()) continue;
    caps.keywords.push_back(line);
    if (iequal_upper(kw, "PIPELINING")) {
      caps.pipelining = true;
    } else if (iequal_upper(kw, "STARTTLS")) {
      caps.starttls = true;
    } else if (iequal_upper(kw, "8BITMIME")) {
      caps.eightbitmime = true;
    } else if (iequal_upper(kw, "ENHANCEDSTATUSCODES")) {
      caps.enhanced_codes = true;
    } else if (iequal_upper(kw, "DSN")) {
      caps.dsn = true;
    } else if (iequal_upper(kw, "SMTPUTF8")) {
      caps.smtputf8 = true;
    } else if (iequal_upper(kw, "CHUNKING")) {
      caps.chunking = true;
    } else if (iequal_upper(kw, "SIZE")) {
      caps.size = true;
      caps.size_limit = parse_size(next_word(rest));
    } else if (iequal_upper(kw, "AUTH")) {
      add_mechs(caps, rest);
    } else if (kw.size() >= 5 && iequal_upper(kw.substr(0, 5), "AUTH=")) {
      // pre-standard "AUTH=LOGIN PLAIN" (old Outlook clients)
      if (kw.size() > 5) add_mech(caps, kw.substr(5));
      add_mechs(caps, rest);
    }
  }
  return caps;
}

}  // namespace smtpsim::smtp
