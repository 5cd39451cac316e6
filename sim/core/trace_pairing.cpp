// trace_pairing.cpp - duplicate received commands, and the verb each reply answers.
#include "sim/core/trace_pairing.hpp"

#include "sim/core/ascii.hpp"

namespace smtpsim {

namespace {
constexpr std::string_view kForwards = "forwards connection #";
constexpr std::size_t kRecent = 16;  // received commands remembered per connection
}  // namespace

std::uint64_t relay_link(const TraceEvent& e) {
  if (e.kind != TraceKind::Note || e.code <= 0 || e.text.rfind(kForwards, 0) != 0) return 0;
  return std::uint64_t(e.code);
}

bool CommandSides::duplicate(const TraceEvent& e) {
  if (std::uint64_t from = relay_link(e)) {
    forwarded_from_[e.conn] = from;
    return false;
  }
  if (e.kind != TraceKind::Command || e.conn == 0) return false;
  if (!e.rx) {
    client_side_.insert(e.conn);
    return false;
  }
  if (client_side_.count(e.conn)) return true;
  auto f = forwarded_from_.find(e.conn);
  return f != forwarded_from_.end() && client_side_.count(f->second) != 0;
}

std::string command_verb(std::string_view line) {
  std::string v;
  for (char c : line) {
    if (c == ' ' || c == ':' || c == '\r' || c == '\n') break;
    v += ascii_upper(c);
  }
  return v;
}

bool is_final_reply_line(const TraceEvent& e) {
  if (e.kind != TraceKind::Reply) return false;
  if (e.code == 1 || e.code == 2) return true;  // POP3 status lines are single lines
  return e.text.size() <= 3 || e.text[3] != '-';
}

std::string AnsweredVerbs::observe(const TraceEvent& e) {
  if (e.conn == 0) return "";
  if (e.kind == TraceKind::ConnClose || e.kind == TraceKind::ConnReset) {
    if (e.kind == TraceKind::ConnReset) conns_.erase(e.conn);
    return "";
  }
  if (e.kind == TraceKind::Command && e.rx) {
    ConnPairs& c = conns_[e.conn];
    std::string verb = c.in_auth ? std::string("AUTH") : e.text == "." ? std::string("DATA") : command_verb(e.text);
    if (verb == "AUTH") c.in_auth = true;
    if (c.recent.size() >= kRecent) c.recent.erase(c.recent.begin());
    c.recent.emplace_back(e.seq, std::move(verb));
    return "";
  }
  if (e.kind != TraceKind::Reply) return "";
  ConnPairs& c = conns_[e.conn];
  const bool first = !c.greeted;
  c.greeted = true;
  if (!is_final_reply_line(e)) return "";
  if (e.answers == 0) return first ? "CONNECT" : "";
  std::string verb;
  for (auto it = c.recent.rbegin(); it != c.recent.rend(); ++it)
    if (it->first == e.answers) { verb = it->second; break; }
  // An AUTH exchange goes on while the server sends 334 challenges (SMTP) or "+ " (POP3, code 3).
  if (c.in_auth && e.code != 334 && e.code != 3) c.in_auth = false;
  return verb;
}

}  // namespace smtpsim
