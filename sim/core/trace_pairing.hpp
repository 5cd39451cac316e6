// trace_pairing.hpp - reading commands and replies as pairs: which command events a reader shows
// (a server's received copy only where no client-side copy exists), and which command each reply
// answers (the `answers` field, resolved to the command's verb).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/core/trace.hpp"

namespace smtpsim {

// CommandSides - a server records every line it receives as a `command` event with rx set, so a
// session without a simulated client (talk, the live bridge, the far side of a relay) still shows
// its commands. Where the client's own command events exist (on the connection, or on the one a
// relay forwards it from), the received copy is a duplicate that transcripts and matchers skip.
class CommandSides {
 public:
  // duplicate - feed every event in order; true for a received copy a reader should leave out.
  bool duplicate(const TraceEvent& e);

 private:
  std::unordered_set<std::uint64_t> client_side_;                   // conns with client commands
  std::unordered_map<std::uint64_t, std::uint64_t> forwarded_from_;  // relay's far conn -> client conn
};

// relay_link - for a relay's "forwards connection #N ..." note: the client-side conn N (0 if none).
std::uint64_t relay_link(const TraceEvent& e);

// AnsweredVerbs - resolves a reply's `answers` to the verb of the received command: "EHLO", "MAIL",
// "DATA" for both the 354 and the reply after the end-of-data line ".", "AUTH" for every SASL line
// of an AUTH exchange, "CONNECT" for a connection's first reply when it answers nothing (greeting).
class AnsweredVerbs {
 public:
  // observe - feed every event in order; for a final reply line, the verb it answers, else "".
  std::string observe(const TraceEvent& e);

 private:
  struct ConnPairs {
    std::vector<std::pair<std::uint64_t, std::string>> recent;  // last received commands: seq, verb
    bool greeted = false;
    bool in_auth = false;  // an AUTH exchange is open: lines are SASL responses
  };
  std::unordered_map<std::uint64_t, ConnPairs> conns_;
};

// command_verb - "MAIL FROM:<a@b>" -> "MAIL" (upper case).
std::string command_verb(std::string_view line);
// is_final_reply_line - "250 ok" / "+OK ..." yes; "250-PIPELINING" no.
bool is_final_reply_line(const TraceEvent& e);

}  // namespace smtpsim
