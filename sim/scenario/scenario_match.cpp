// scenario_match.cpp - command/reply pairing and event matching for narration and expectations.
#include "sim/scenario/scenario_match.hpp"

#include <algorithm>

namespace smtpsim::scenario {

// queue_state_matches - a lesson's queue state against an event's: "retrying" is "attempt", and
// "bounced" covers "expired" (both end in a DSN to the sender).
bool queue_state_matches(const std::string& want, QueueState state) {
  if (want.empty()) return true;
  if (want == "retrying") return state == QueueState::Attempt;
  if (want == "bounced") return state == QueueState::Bounced || state == QueueState::Expired;
  return want == to_string(state);
}

namespace {
bool ieq(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}
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
      if (e.kind != TraceKind::Command || (e.rx && !ctx.rx_shown)) return false;
      return m.command.empty() || command_verb(e.text) == m.command;
    case EventMatcher::Kind::Queue: {
      if (e.kind != TraceKind::Queue) return false;
      if (!m.rcpt.empty() && !ieq(m.rcpt, e.rcpt)) return false;
      if (!msg_ok(m, e, ctx)) return false;
      return queue_state_matches(m.state, e.state);
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
