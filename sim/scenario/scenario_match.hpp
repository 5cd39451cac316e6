// scenario_match.hpp - reading a trace the way lessons talk about it: which command a reply
// answers, and whether an event is the one a narration step or an expectation describes.
#pragma once
#include <deque>
#include <map>
#include <string>

#include "sim/core/trace.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// ReplyTracker - follows commands and replies per connection (replies come in command order,
// pipelined or not) and names the command each final reply line answers: "CONNECT" for a
// greeting, the verb otherwise ("DATA" for both the 354 and the reply after the message).
class ReplyTracker {
 public:
  // observe - feed every trace event in order; for a final reply line returns the verb it
  // answers, else "".
  std::string observe(const TraceEvent& e);
  // forget - drop what is known of a connection (it closed).
  void forget(std::uint64_t conn) { pending_.erase(conn); }

 private:
  std::map<std::uint64_t, std::deque<std::string>> pending_;
  std::map<std::uint64_t, bool> greeted_;
  std::map<std::uint64_t, std::uint64_t> alias_;  // a balancer's member-side conn -> client-side conn
};

// command_verb - "MAIL FROM:<a@b>" -> "MAIL" (upper case).
std::string command_verb(const std::string& line);
// is_final_reply_line - "250 ok" / "+OK ..." yes; "250-PIPELINING" no.
bool is_final_reply_line(const TraceEvent& e);

// MatchContext - what matching needs beyond the event itself.
struct MatchContext {
  std::string answered;                                // for replies: the verb answered
  const std::map<int, std::vector<std::string>>* msgids = nullptr;  // send index -> Message-IDs
};

// matches - whether event e is what matcher m describes (occurrence counting is the caller's).
bool matches(const EventMatcher& m, const TraceEvent& e, const MatchContext& ctx);

}  // namespace smtpsim::scenario
