// scenario_match.hpp - reading a trace the way lessons talk about it: which command a reply
// answers, and whether an event is the one a narration step or an expectation describes.
#pragma once
#include <deque>
#include <map>
#include <string>

#include "sim/core/trace.hpp"
#include "sim/core/trace_pairing.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// ReplyTracker - follows a trace the way lessons read it: the verb each final reply line answers
// (from the reply's `answers` field: "CONNECT" for a greeting, "DATA" for the 354 and for the
// reply to the end-of-data line, "AUTH" through a SASL exchange), and whether a command event is a
// server's received copy that a client-side event already shows (CommandSides).
class ReplyTracker {
 public:
  // observe - feed every trace event in order; for a final reply line returns the verb it
  // answers, else "".
  std::string observe(const TraceEvent& e) {
    duplicate_ = sides_.duplicate(e);
    return verbs_.observe(e);
  }
  // duplicate - the last observed event is a received command copy readers leave out.
  bool duplicate() const { return duplicate_; }

 private:
  CommandSides sides_;
  AnsweredVerbs verbs_;
  bool duplicate_ = false;
};

using smtpsim::command_verb;
using smtpsim::is_final_reply_line;

// MatchContext - what matching needs beyond the event itself.
struct MatchContext {
  std::string answered;                                // for replies: the verb answered
  const std::map<int, std::vector<std::string>>* msgids = nullptr;  // send index -> Message-IDs
  // rx_shown - a received command copy (rx) counts as a command: only where the connection has no
  // client-side copy (ReplyTracker::duplicate() is false). Off by default: lessons have clients.
  bool rx_shown = false;
};

// queue_state_matches - whether a lesson's `queue:` state word names the event's state.
bool queue_state_matches(const std::string& want, QueueState state);

// matches - whether event e is what matcher m describes (occurrence counting is the caller's).
bool matches(const EventMatcher& m, const TraceEvent& e, const MatchContext& ctx);

}  // namespace smtpsim::scenario
