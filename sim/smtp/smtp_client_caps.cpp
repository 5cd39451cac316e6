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

// split_words - words separated by spaces or tabs.
std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// add_mechs - append SASL mechanism names, skipping duplicates.
void add_mechs(Capabilities& caps, const std::vector<std::string_view>& words, std::size_t from) {
  for (std::size_t i = from; i < words.size(); ++i) {
    std::string m = upper(words[i]);
    if (std::find(caps.auth.begin(), caps.auth.end(), m) == caps.auth.end()) caps.auth.push_back(std::move(m));
  }
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
    const auto words = split_words(reply.lines.front());
    if (!words.empty()) caps.server_name = std::string(words.front());
  }
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    const std::string& line = reply.lines[i];
    const auto words = split_words(line);
    if (words.empty()) continue;
    caps.keywords.push_back(line);
    const std::string kw = upper(words.front());
    if (kw == "PIPELINING") {
      caps.pipelining = true;
    } else if (kw == "STARTTLS") {
      caps.starttls = true;
    } else if (kw == "8BITMIME") {
      caps.eightbitmime = true;
    } else if (kw == "ENHANCEDSTATUSCODES") {
      caps.enhanced_codes = true;
    } else if (kw == "DSN") {
      caps.dsn = true;
    } else if (kw == "SMTPUTF8") {
      caps.smtputf8 = true;
    } else if (kw == "CHUNKING") {
      caps.chunking = true;
    } else if (kw == "SIZE") {
      caps.size = true;
      caps.size_limit = 0;
      if (words.size() > 1) {
        std::uint64_t n = 0;
        bool ok = !words[1].empty() && words[1].size() <= 19;
        for (char c : words[1]) {
          if (c < '0' || c > '9') {
            ok = false;
            break;
          }
          n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (ok) caps.size_limit = n;
      }
    } else if (kw == "AUTH") {
      add_mechs(caps, words, 1);
    } else if (kw.rfind("AUTH=", 0) == 0) {  // pre-standard "AUTH=LOGIN PLAIN" (old Outlook clients)
      std::vector<std::string_view> mechs = words;
      mechs.front().remove_prefix(5);
      add_mechs(caps, mechs, mechs.front().empty() ? 1 : 0);
    }
  }
  return caps;
}

}  // namespace smtpsim::smtp
