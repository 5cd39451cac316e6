// pop3_states.hpp - the POP3 state machine as data (RFC 1939 section 3, RFC 2449, RFC 2595): the
// states, which command is valid where, and the transitions. The server engine checks commands
// against this table and the visualizer draws its state diagram from it.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace smtpsim::pop3 {

enum class State : unsigned char {
  Authorization,  // after the greeting: USER/PASS, APOP, AUTH, STLS, CAPA, QUIT
  Transaction,    // maildrop locked: STAT LIST RETR DELE NOOP RSET TOP UIDL CAPA QUIT
  Update,         // after QUIT in TRANSACTION: deletions applied, lock released, connection closed
  Closed,         // the session is over
};
const char* to_string(State s);

// StateMask - a set of states (bit per State).
using StateMask = std::uint8_t;
constexpr StateMask bit(State s) { return StateMask(1u << unsigned(s)); }
inline constexpr StateMask kAuth = bit(State::Authorization);
inline constexpr StateMask kTrans = bit(State::Transaction);

// CommandSpec - one row of the command table.
struct CommandSpec {
  std::string_view verb;
  StateMask valid;           // states in which the command is allowed
  std::uint8_t min_args;
  std::uint8_t max_args;     // 255 = any (PASS counts its whole rest as one)
  std::string_view syntax;   // "RETR msg"
  std::string_view summary;  // what it does, in plain words
  std::string_view rfc;      // "RFC 1939 section 5"
};

// commands - the table, in RFC order.
std::span<const CommandSpec> commands();
// find_command - the row for a verb (upper case), or nullptr for an unknown command.
const CommandSpec* find_command(std::string_view verb);

// Transition - one edge of the state diagram.
struct Transition {
  State from;
  State to;
  std::string_view trigger;  // "PASS ok", "QUIT", "connection lost"
};
// transitions - every edge of the diagram.
std::span<const Transition> transitions();

}  // namespace smtpsim::pop3
