// scenario_match.cpp - command/reply pairing and event matching for narration and expectations.
#include "sim/scenario/scenario_match.hpp"
#include "sim/core/ascii.hpp"

#include <algorithm>

namespace smtpsim::scenario {

std::string command_verb(const std::string& line) {
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

std::string ReplyTracker::observe(const TraceEvent& in) {
  if (in.kind == TraceKind::Note && in.text.rfind("forwards connection #", 0) == 0 && in.code > 0) {
    alias_[in.conn] = std::uint64_t(in.code);
    // The server greets as soon as it accepts, which a relay (balancer, mitm) learns only a
    // moment later: a greeting already seen on the server side was the client's greeting.
    if (greeted_[in.conn]) greeted_[std::uint64_t(in.code)] = true;
    return "";
  }
  const TraceEvent& e = in;
  std::uint64_t conn = e.conn;
  if (auto a = alias_.find(conn); a != alias_.end()) conn = a->second;
  if (e.kind == TraceKind::Command) {
    std::string v = command_verb(e.text);
    // Only a word of letters is a command: the "." that ends DATA belongs to DATA (its reply is
    // the reply to DATA), and an AUTH cancel "*" is no command of its own.
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return "";
    // AUTH continuation lines (base64 answers to 334) are not commands of their own.
    auto& q = pending_[conn];
    if (!q.empty() && q.back() == "AUTH" && v != "QUIT" && v != "RSET" && v != "EHLO" && v != "MAIL") {
      // still inside AUTH: an answer to a 334 challenge
      bool is_verb = v == "HELO" || v == "DATA" || v == "RCPT" || v == "NOOP" || v == "STARTTLS";
      if (!is_verb) return "";
    }
    q.push_back(v);
    return "";
  }
  if (e.kind == TraceKind::ConnClose || e.kind == TraceKind::ConnReset) return "";
  if (!is_final_reply_line(e)) return "";
  // The server side emits replies; its conn id is the same connection as the client's commands.
  if (!greeted_[conn]) {
    greeted_[conn] = true;
    return "CONNECT";
  }
  auto& q = pending_[conn];
  if (q.empty()) return "";
  std::string v = q.front();
  if (v == "AUTH" && e.code == 334) return v;  // a challenge: AUTH stays pending
  if (v == "DATA" && e.code == 354) {
    // The 354 answers DATA; the reply after the message answers it too.
    return v;
  }
  q.pop_front();
  return v;
}

namespace {
bool ieq(const std::string& a, const std::string& b) { return ascii_iequals(a, b); }
bool msg_ok(const EventMatcher& m, const TraceEvent& e, const MatchContext& ctx) {
  if (m.message == 0) return true;
  if (!ctx.msgids) return false;
  auto it = ctx.msgids->find(m.message);
  if (it == ctx.msgids->end()) return false;
  return std::find(it->second.begin(), it->second.end(), e.msg) != it->second.end();
}
bool state_in(const std::string& want, const std::string& text) {
  return want.empty() || text.find(want) != std::string::npos;
}
}  // namespace

bool matches(const EventMatcher& m, const TraceEvent& e, const MatchContext& ctx) {
  if (!m.host.empty() && !ieq(m.host, e.host)) return false;
  if (!m.peer.empty() && !ieq(m.peer, e.peer)) return false;
  switch (m.kind) {
    case EventMatcher::Kind::Time: return e.time >= m.at;
    case EventMatcher::Kind::Reply:
      if (e.kind != TraceKind::Reply || !is_final_reply_line(e)) return false;
      if (m.code && e.code != m.code) return false;
      if (m.code_class && e.code / 100 != m.code_class) return false;
      if (!m.command.empty() && m.command != ctx.answered) return false;
      return true;
    case EventMatcher::Kind::Command:
      return e.kind == TraceKind::Command && (m.command.empty() || command_verb(e.text) == m.command);
    case EventMatcher::Kind::Queue: {
      if (e.kind != TraceKind::Queue) return false;
      if (!m.rcpt.empty() && !ieq(m.rcpt, e.rcpt)) return false;
      if (!msg_ok(m, e, ctx)) return false;
      std::string s = m.state;
      // Queue texts are "<qid>: queued ...", "<qid>: deferred: ...", "<qid>: attempt N ...", ...
      std::string text = e.text.substr(e.text.find(": ") == std::string::npos ? 0 : e.text.find(": ") + 2);
      if (s == "retrying") s = "attempt";
      if (s == "warned") s = "delay warning";
      return s.empty() || text.rfind(s, 0) == 0;
    }
    case EventMatcher::Kind::Delivery:
      return e.kind == TraceKind::Delivery && (m.rcpt.empty() || ieq(m.rcpt, e.rcpt)) && msg_ok(m, e, ctx);
    case EventMatcher::Kind::Bounce:
      return e.kind == TraceKind::Bounce && (m.rcpt.empty() || ieq(m.rcpt, e.rcpt)) && msg_ok(m, e, ctx);
    case EventMatcher::Kind::Tls:
      return e.kind == TraceKind::Tls && state_in(m.state, e.text);
    case EventMatcher::Kind::Connection: {
      const std::string& s = m.state;
      switch (e.kind) {
        case TraceKind::ConnOpen: return s.empty() || s == "open";
        case TraceKind::ConnRefused: return s.empty() || s == "refused";
        case TraceKind::ConnTimeout: return s.empty() || s == "timeout";
        case TraceKind::ConnReset: return s.empty() || s == "reset";
        case TraceKind::ConnClose: return s.empty() || s == "close";
        default: return false;
      }
    }
    case EventMatcher::Kind::Dns:
      if (e.kind != TraceKind::Dns) return false;
      if (!m.dns_name.empty() && e.text.find(m.dns_name) == std::string::npos) return false;
      return m.state.empty() || e.text.find(m.state) != std::string::npos;
    case EventMatcher::Kind::Fault:
      return e.kind == TraceKind::Fault;
  }
  return false;
}

}  // namespace smtpsim::scenario
