// smtp_states.hpp - the SMTP server session state table (RFC 5321 4.1.4, RFC 3207, RFC 4954):
// the states, which commands are valid in each and where they lead, and which 503-class reply a
// command gets in a state where it is not valid. The server engine dispatches with this table;
// the visualizer draws the state diagram from the same rows.
//
// A Transition row names the state reached when the command SUCCEEDS; a refused command (a 5xx
// from policy or syntax) leaves the state as it was. Rows whose verb is Verb::None are not
// commands (end of data, TLS handshake, SASL steps); the engine follows them itself and the
// diagram draws them with their trigger text.
#pragma once
#include <span>
#include <string_view>

#include "sim/smtp/smtp_catalog.hpp"
#include "sim/smtp/smtp_command.hpp"

namespace smtpsim::smtp {

// ServerState - where a server session is.
enum class ServerState : unsigned char {
  Connected,  // greeted the client; waiting for EHLO/HELO
  Ready,      // EHLO/HELO done; no mail transaction
  Mail,       // MAIL FROM accepted; waiting for RCPT TO
  Rcpt,       // at least one RCPT TO accepted
  Data,       // 354 sent; receiving the message until <CR><LF>.<CR><LF>
  Auth,       // 334 sent; waiting for a SASL response line
  StartTls,   // 220 to STARTTLS sent; the driver runs the TLS handshake
  Refused,    // greeted with 554: only QUIT is accepted (RFC 5321 3.1)
  Closed,     // the session is over (221/421 sent, or the connection is gone)
};

// StateInfo - a state's name and description for views.
struct StateInfo {
  ServerState state;
  std::string_view name;         // "MAIL"
  std::string_view description;  // one line for the diagram's tooltip
};

// Transition - one edge of the diagram.
struct Transition {
  ServerState from;
  Verb verb;                 // Verb::None for a non-command trigger
  ServerState to;
  std::string_view trigger;  // "MAIL FROM", "<CR><LF>.<CR><LF>", "TLS handshake done"
};

// SequenceRule - the reply for a command that is not valid in a state.
struct SequenceRule {
  ServerState state;
  Verb verb;  // Verb::None = any other command not listed for this state
  ReplyId reply;
};

std::span<const StateInfo> server_states();
std::span<const Transition> server_transitions();
std::span<const SequenceRule> server_sequence_rules();

// to_string - the state's name ("MAIL").
std::string_view to_string(ServerState s);

// find_transition - the command row for (state, verb), or nullptr when the verb is not valid there.
const Transition* find_transition(ServerState s, Verb v);

// sequence_error - the reply for a verb that has no row in state s (503 5.5.1 variants).
ReplyId sequence_error(ServerState s, Verb v);

}  // namespace smtpsim::smtp
