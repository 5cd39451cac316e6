// pop3_states.cpp - the POP3 command table and state diagram edges.
#include "sim/pop3/pop3_states.hpp"

#include <array>

namespace smtpsim::pop3 {

namespace {

constexpr std::array<CommandSpec, 15> kCommands{{
    {"USER", kAuth, 1, 1, "USER name", "names the mailbox to log in to; PASS must follow", "RFC 1939 section 7"},
    {"PASS", kAuth, 1, 255, "PASS string", "gives the password for the name sent with USER", "RFC 1939 section 7"},
    {"APOP", kAuth, 2, 2, "APOP name digest",
     "logs in with MD5(greeting timestamp + shared secret) instead of sending the password", "RFC 1939 section 7"},
    {"AUTH", kAuth, 0, 2, "AUTH mechanism [initial-response]", "logs in with a SASL mechanism (here PLAIN)",
     "RFC 5034 section 4"},
    {"STLS", kAuth, 0, 0, "STLS", "switches the connection to TLS before logging in", "RFC 2595 section 4"},
    {"CAPA", kAuth | kTrans, 0, 0, "CAPA", "lists what this server supports", "RFC 2449 section 5"},
    {"QUIT", kAuth | kTrans, 0, 0, "QUIT",
     "ends the session; in TRANSACTION it first removes the messages marked deleted (UPDATE state)",
     "RFC 1939 sections 4 and 6"},
    {"STAT", kTrans, 0, 0, "STAT", "number of messages and their total size in octets", "RFC 1939 section 5"},
    {"LIST", kTrans, 0, 1, "LIST [msg]", "size of each message (or of one)", "RFC 1939 section 5"},
    {"RETR", kTrans, 1, 1, "RETR msg", "sends a whole message, dot-stuffed, ending with a line \".\"",
     "RFC 1939 section 5"},
    {"DELE", kTrans, 1, 1, "DELE msg", "marks a message deleted; it is removed only at QUIT", "RFC 1939 section 5"},
    {"NOOP", kTrans, 0, 0, "NOOP", "does nothing but answer +OK (keeps the session alive)", "RFC 1939 section 5"},
    {"RSET", kTrans, 0, 0, "RSET", "unmarks every message marked deleted", "RFC 1939 section 5"},
    {"TOP", kTrans, 2, 2, "TOP msg n", "sends the headers and the first n body lines of a message",
     "RFC 1939 section 7"},
    {"UIDL", kTrans, 0, 1, "UIDL [msg]", "unique ids that stay the same across sessions (how clients know what is new)",
     "RFC 1939 section 7"},
}};

constexpr std::array<Transition, 8> kTransitions{{
    {State::Authorization, State::Transaction, "USER+PASS / APOP / AUTH accepted, maildrop locked"},
    {State::Authorization, State::Authorization, "STLS: TLS negotiated, login still required"},
    {State::Authorization, State::Closed, "QUIT, too many failures, autologout or connection lost"},
    {State::Transaction, State::Update, "QUIT"},
    {State::Update, State::Closed, "deleted messages removed, lock released"},
    {State::Transaction, State::Closed, "connection lost or autologout: nothing deleted"},
    {State::Transaction, State::Transaction, "STAT LIST RETR DELE NOOP RSET TOP UIDL CAPA"},
    {State::Authorization, State::Authorization, "-ERR: bad credentials, [IN-USE], [SYS/TEMP]"},
}};

}  // namespace

// to_string - state names as RFC 1939 writes them.
const char* to_string(State s) {
  switch (s) {
    case State::Authorization: return "AUTHORIZATION";
    case State::Transaction: return "TRANSACTION";
    case State::Update: return "UPDATE";
    case State::Closed: return "CLOSED";
  }
  return "?";
}

// commands - every row.
std::span<const CommandSpec> commands() { return kCommands; }

// find_command - linear search over 15 rows.
const CommandSpec* find_command(std::string_view verb) {
  for (const auto& c : commands()) {
    if (c.verb == verb) return &c;
  }
  return nullptr;
}

// transitions - the diagram's edges.
std::span<const Transition> transitions() { return kTransitions; }

}  // namespace smtpsim::pop3
