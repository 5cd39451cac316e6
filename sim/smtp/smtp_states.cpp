// smtp_states.cpp - the rows of the SMTP server state table.
#include "sim/smtp/smtp_states.hpp"

#include <cstddef>

namespace smtpsim::smtp {
namespace {

using S = ServerState;
using V = Verb;

constexpr StateInfo kStates[] = {
    {S::Connected, "CONNECTED", "Greeting sent; the client must introduce itself with EHLO or HELO."},
    {S::Ready, "READY", "Session open after EHLO/HELO; no mail transaction yet."},
    {S::Mail, "MAIL", "MAIL FROM accepted: a transaction is open, recipients come next."},
    {S::Rcpt, "RCPT", "At least one recipient accepted; more RCPT TO or DATA."},
    {S::Data, "DATA", "354 sent: every line is message content until <CR><LF>.<CR><LF>."},
    {S::Auth, "AUTH", "334 sent: the next line is a base64 SASL response (or * to cancel)."},
    {S::StartTls, "STARTTLS", "220 sent: the TLS handshake runs; plaintext pipelined after STARTTLS was thrown away."},
    {S::Refused, "REFUSED", "Greeted with 554: nothing but QUIT is accepted."},
    {S::Closed, "CLOSED", "221 or 421 sent, or the connection is gone."},
};

// The rows. Commands valid "at any time" (NOOP, HELP, VRFY, RSET, QUIT) are listed per state so
// that the table alone says everything.
constexpr Transition kTransitions[] = {
    // CONNECTED
    {S::Connected, V::Ehlo, S::Ready, "EHLO"},
    {S::Connected, V::Helo, S::Ready, "HELO"},
    {S::Connected, V::Noop, S::Connected, "NOOP"},
    {S::Connected, V::Help, S::Connected, "HELP"},
    {S::Connected, V::Vrfy, S::Connected, "VRFY"},
    {S::Connected, V::Rset, S::Connected, "RSET"},
    {S::Connected, V::Quit, S::Closed, "QUIT"},
    // READY
    {S::Ready, V::Ehlo, S::Ready, "EHLO (resets)"},
    {S::Ready, V::Helo, S::Ready, "HELO (resets)"},
    {S::Ready, V::Mail, S::Mail, "MAIL FROM"},
    {S::Ready, V::StartTls, S::StartTls, "STARTTLS"},
    {S::Ready, V::Auth, S::Auth, "AUTH (334 challenge; 235 or 5xx goes back to READY)"},
    {S::Ready, V::Noop, S::Ready, "NOOP"},
    {S::Ready, V::Help, S::Ready, "HELP"},
    {S::Ready, V::Vrfy, S::Ready, "VRFY"},
    {S::Ready, V::Rset, S::Ready, "RSET"},
    {S::Ready, V::Quit, S::Closed, "QUIT"},
    // MAIL
    {S::Mail, V::Rcpt, S::Rcpt, "RCPT TO"},
    {S::Mail, V::Ehlo, S::Ready, "EHLO (resets)"},
    {S::Mail, V::Helo, S::Ready, "HELO (resets)"},
    {S::Mail, V::Rset, S::Ready, "RSET"},
    {S::Mail, V::Noop, S::Mail, "NOOP"},
    {S::Mail, V::Help, S::Mail, "HELP"},
    {S::Mail, V::Vrfy, S::Mail, "VRFY"},
    {S::Mail, V::Quit, S::Closed, "QUIT"},
    // RCPT
    {S::Rcpt, V::Rcpt, S::Rcpt, "RCPT TO"},
    {S::Rcpt, V::Data, S::Data, "DATA (354)"},
    {S::Rcpt, V::Ehlo, S::Ready, "EHLO (resets)"},
    {S::Rcpt, V::Helo, S::Ready, "HELO (resets)"},
    {S::Rcpt, V::Rset, S::Ready, "RSET"},
    {S::Rcpt, V::Noop, S::Rcpt, "NOOP"},
    {S::Rcpt, V::Help, S::Rcpt, "HELP"},
    {S::Rcpt, V::Vrfy, S::Rcpt, "VRFY"},
    {S::Rcpt, V::Quit, S::Closed, "QUIT"},
    // REFUSED
    {S::Refused, V::Quit, S::Closed, "QUIT"},
    // non-command triggers
    {S::Data, V::None, S::Ready, "<CR><LF>.<CR><LF> (250 queued, or 4xx/5xx: message refused)"},
    {S::Auth, V::None, S::Auth, "SASL response (LOGIN: 334 Password:)"},
    {S::Auth, V::None, S::Ready, "SASL response (235, 535) or * (501)"},
    {S::StartTls, V::None, S::Connected, "TLS handshake done (client must EHLO again)"},
    {S::StartTls, V::None, S::Closed, "TLS handshake failed"},
    {S::Connected, V::None, S::Closed, "timeout, too many errors, 421 (any state)"},
};

// Replies for commands out of place. Rows with a specific verb win over the state's default.
constexpr SequenceRule kRules[] = {
    {S::Connected, V::None, ReplyId::NeedHelo},
    {S::Ready, V::Rcpt, ReplyId::NeedMail},
    {S::Ready, V::Data, ReplyId::NeedRcpt},
    {S::Mail, V::Mail, ReplyId::NestedMail},
    {S::Mail, V::Data, ReplyId::NeedRcpt},
    {S::Mail, V::Auth, ReplyId::TransactionInProgress},
    {S::Mail, V::StartTls, ReplyId::TransactionInProgress},
    {S::Rcpt, V::Mail, ReplyId::NestedMail},
    {S::Rcpt, V::Auth, ReplyId::TransactionInProgress},
    {S::Rcpt, V::StartTls, ReplyId::TransactionInProgress},
    {S::Refused, V::None, ReplyId::NoServiceHere},
};

}  // namespace

std::span<const StateInfo> server_states() { return kStates; }
std::span<const Transition> server_transitions() { return kTransitions; }
std::span<const SequenceRule> server_sequence_rules() { return kRules; }

// to_string - state name.
std::string_view to_string(ServerState s) {
  for (const StateInfo& i : kStates)
    if (i.state == s) return i.name;
  return "?";
}

// TransitionIndex - kTransitions by (state, verb): the first matching row, or nullptr.
struct TransitionIndex {
  static constexpr std::size_t kStates = static_cast<std::size_t>(ServerState::Closed) + 1;
  static constexpr std::size_t kVerbs = static_cast<std::size_t>(Verb::Unknown) + 1;
  const Transition* row[kStates][kVerbs] = {};

  TransitionIndex() {
    for (const Transition& t : kTransitions) {
      const Transition*& slot = row[static_cast<std::size_t>(t.from)][static_cast<std::size_t>(t.verb)];
      if (!slot) slot = &t;
    }
  }
};

// find_transition - the command row, if any (a table lookup; the server asks once per command).
const Transition* find_transition(ServerState s, Verb v) {
  if (v == Verb::None) return nullptr;
  static const TransitionIndex index;
  return index.row[static_cast<std::size_t>(s)][static_cast<std::size_t>(v)];
}

// sequence_error - specific rule, else the state's default, else generic "need MAIL"-style 503.
ReplyId sequence_error(ServerState s, Verb v) {
  for (const SequenceRule& r : kRules)
    if (r.state == s && r.verb == v) return r.reply;
  for (const SequenceRule& r : kRules)
    if (r.state == s && r.verb == Verb::None) return r.reply;
  // A command valid elsewhere but not here (e.g. STARTTLS after TLS is handled by the engine).
  return ReplyId::NeedHelo;
}

}  // namespace smtpsim::smtp
