// pop3_catalog.cpp - the POP3 response table: one row per pop3::Reply, in enum order.
//
// Wording follows RFC 1939's examples and Dovecot 2.3 where a real server's words help students
// recognise them. Codes: RFC 2449 section 8 ([IN-USE], [LOGIN-DELAY]), RFC 3206 ([SYS/TEMP],
// [SYS/PERM], [AUTH]). Placeholders: {host}, {timestamp}, {count}, {messages} ("message" or
// "messages"), {octets}, {msg}, {size}, {uid}, {deleted}, {left}, {removed}, {marked}, {seconds},
// {arg}, {verb}, {state}, {syntax}, {error}, {limit}, {mechanism}.
#include "sim/pop3/pop3_catalog.hpp"

#include <array>

namespace smtpsim::pop3 {
namespace {

using reply::ReplyEntry;
using reply::ReplyProtocol;
using N = reply::ClientNext;
constexpr int kOk = reply::kPop3Ok;
constexpr int kErr = reply::kPop3Err;
constexpr ReplyProtocol P = ReplyProtocol::Pop3;

constexpr std::string_view kNextGoOn = "Go on with the next command.";
constexpr std::string_view kNextFix = "The client must correct the command; sending it again unchanged fails again.";

constexpr std::array<ReplyEntry, std::size_t(Reply::Count)> kRows{{
    // ---- +OK ----
    {.key = "pop3.greeting", .protocol = P, .code = kOk, .enhanced = "",
     .text = "{host} POP3 server ready {timestamp}",
     .meaning = "The server is ready and waits in the AUTHORIZATION state. The <...@...> part is the APOP "
                "timestamp: unique for this connection, the client mixes it with the password for APOP.",
     .next = "Ask CAPA, then STLS if wanted, then log in (USER/PASS, APOP or AUTH).",
     .next_kind = N::GoOn, .rfc = "RFC 1939 section 4, section 7 (APOP)"},
    {.key = "pop3.capa", .protocol = P, .code = kOk, .enhanced = "", .text = "Capability list follows",
     .meaning = "A multi-line list of what the server supports (TOP, USER, SASL, RESP-CODES, PIPELINING, "
                "UIDL, STLS...), ending with a line holding a single dot.",
     .next = "Pick the login method and STLS from the list.", .next_kind = N::GoOn, .rfc = "RFC 2449 section 5"},
    {.key = "pop3.user_ok", .protocol = P, .code = kOk, .enhanced = "", .text = "send PASS",
     .meaning = "The name is noted. The server says +OK whether or not the user exists, so that nobody can "
                "probe for valid names.",
     .next = "Send PASS with the password.", .next_kind = N::SendMore, .rfc = "RFC 1939 section 7 (USER)"},
    {.key = "pop3.login_ok", .protocol = P, .code = kOk, .enhanced = "",
     .text = "maildrop has {count} {messages} ({octets} octets)",
     .meaning = "Logged in: the maildrop is now locked for this session and the server is in the TRANSACTION "
                "state. Message numbers and sizes stay fixed until QUIT.",
     .next = "STAT / UIDL to see what is there, then RETR what is new.", .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 7 (PASS), section 4"},
    {.key = "pop3.stat", .protocol = P, .code = kOk, .enhanced = "", .text = "{count} {octets}",
     .meaning = "Number of messages (not counting those marked deleted) and their total size in octets, "
                "counted with CRLF line ends.",
     .next = kNextGoOn, .next_kind = N::GoOn, .rfc = "RFC 1939 section 5 (STAT)"},
    {.key = "pop3.list_all", .protocol = P, .code = kOk, .enhanced = "",
     .text = "{count} {messages} ({octets} octets)",
     .meaning = "A multi-line scan listing follows: one \"number size\" line per message, then \".\".",
     .next = kNextGoOn, .next_kind = N::GoOn, .rfc = "RFC 1939 section 5 (LIST)"},
    {.key = "pop3.list_one", .protocol = P, .code = kOk, .enhanced = "", .text = "{msg} {size}",
     .meaning = "The size in octets of one message.", .next = kNextGoOn, .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 5 (LIST)"},
    {.key = "pop3.retr", .protocol = P, .code = kOk, .enhanced = "", .text = "{octets} octets",
     .meaning = "The whole message follows, then a line with a single \".\". Lines of the message that begin "
                "with \".\" get another \".\" in front (dot-stuffing); the client removes it.",
     .next = "Store the message; DELE it unless mail is left on the server.", .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 5 (RETR), section 3 (multi-line responses)"},
    {.key = "pop3.top", .protocol = P, .code = kOk, .enhanced = "", .text = "top of message follows",
     .meaning = "The header section, the empty line and the first n lines of the body follow (dot-stuffed).",
     .next = kNextGoOn, .next_kind = N::GoOn, .rfc = "RFC 1939 section 7 (TOP)"},
    {.key = "pop3.uidl_all", .protocol = P, .code = kOk, .enhanced = "", .text = "unique-id listing follows",
     .meaning = "One \"number unique-id\" line per message. A unique-id never changes between sessions: that is "
                "how a client that leaves mail on the server knows what it has already downloaded.",
     .next = "RETR the messages whose unique-id was not seen before.", .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 7 (UIDL)"},
    {.key = "pop3.uidl_one", .protocol = P, .code = kOk, .enhanced = "", .text = "{msg} {uid}",
     .meaning = "The unique-id of one message.", .next = kNextGoOn, .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 7 (UIDL)"},
    {.key = "pop3.dele", .protocol = P, .code = kOk, .enhanced = "", .text = "message {msg} deleted",
     .meaning = "The message is only MARKED deleted. It is removed when the client sends QUIT (UPDATE state); "
                "if the connection drops first, it stays in the maildrop.",
     .next = kNextGoOn, .next_kind = N::GoOn, .rfc = "RFC 1939 section 5 (DELE), section 6"},
    {.key = "pop3.rset", .protocol = P, .code = kOk, .enhanced = "",
     .text = "maildrop has {count} {messages} ({octets} octets)",
     .meaning = "Every deletion mark of this session is undone.", .next = kNextGoOn, .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 5 (RSET)"},
    {.key = "pop3.noop", .protocol = P, .code = kOk, .enhanced = "", .text = "",
     .meaning = "Nothing happens; the server answers to show it is alive (and the autologout timer restarts).",
     .next = kNextGoOn, .next_kind = N::GoOn, .rfc = "RFC 1939 section 5 (NOOP)"},
    {.key = "pop3.quit_auth", .protocol = P, .code = kOk, .enhanced = "", .text = "{host} POP3 server signing off",
     .meaning = "The session ends before login; nothing in the maildrop changes.", .next = "Close the connection.",
     .next_kind = N::GoOn, .rfc = "RFC 1939 section 4 (QUIT)"},
    {.key = "pop3.quit_update", .protocol = P, .code = kOk, .enhanced = "",
     .text = "{host} POP3 server signing off ({deleted} deleted, {left} left)",
     .meaning = "UPDATE state: the messages marked with DELE are now really removed, the maildrop lock is "
                "released and the connection closes.",
     .next = "Close the connection; the deletions are final.", .next_kind = N::GoOn,
     .rfc = "RFC 1939 section 6 (UPDATE)"},
    {.key = "pop3.stls_ok", .protocol = P, .code = kOk, .enhanced = "", .text = "Begin TLS negotiation",
     .meaning = "The next bytes on the connection are the TLS handshake. Anything the client sent after STLS "
                "in plaintext is thrown away (a defence against command injection).",
     .next = "Start TLS, then CAPA again (the list may differ inside TLS), then log in.", .next_kind = N::GoOn,
     .rfc = "RFC 2595 section 4"},
    {.key = "pop3.sasl_list", .protocol = P, .code = kOk, .enhanced = "", .text = "SASL mechanisms follow",
     .meaning = "AUTH without arguments: the SASL mechanisms the server accepts, one per line.",
     .next = "AUTH with one of them.", .next_kind = N::GoOn, .rfc = "RFC 5034 section 4 (AUTH); RFC 1734"},

    // ---- -ERR with a response code ----
    {.key = "pop3.auth_failed", .protocol = P, .code = kErr, .enhanced = "AUTH", .text = "Authentication failed.",
     .meaning = "The user name or password (or APOP digest) is wrong. [AUTH] tells the client that retrying "
                "with the same credentials will not help.",
     .next = "Ask the user for the right password; do not retry with the same one.", .next_kind = N::GiveUp,
     .rfc = "RFC 3206 section 4 ([AUTH]); RFC 1939 section 7"},
    {.key = "pop3.auth_failed_close", .protocol = P, .code = kErr, .enhanced = "AUTH",
     .text = "Authentication failed; too many failures, closing connection",
     .meaning = "Too many wrong passwords on one connection: the server hangs up to slow down password guessing.",
     .next = "Stop; check the password.", .next_kind = N::GiveUp, .rfc = "RFC 3206 section 4; RFC 1939 section 13"},
    {.key = "pop3.plaintext_disallowed", .protocol = P, .code = kErr, .enhanced = "AUTH",
     .text = "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
     .meaning = "This server does not let a password travel unencrypted. The client must switch to TLS (STLS) "
                "first, or use port 995 (POP3S).",
     .next = "Send STLS, then log in again inside TLS.", .next_kind = N::GiveUp,
     .rfc = "RFC 2595 section 4; RFC 3206 section 4 (Dovecot's wording)"},
    {.key = "pop3.in_use", .protocol = P, .code = kErr, .enhanced = "IN-USE",
     .text = "Mailbox is locked by another POP3 session",
     .meaning = "The password was right, but another POP3 session has the maildrop open (maybe another device of "
                "the same user, or a session that has not timed out yet). Only one session may hold the lock.",
     .next = "Try again later, once the other session has ended.", .next_kind = N::RetryLater,
     .rfc = "RFC 2449 section 8.1.1 ([IN-USE]); RFC 1939 section 8"},
    {.key = "pop3.sys_temp", .protocol = P, .code = kErr, .enhanced = "SYS/TEMP",
     .text = "Mailbox temporarily unavailable, try again later",
     .meaning = "A temporary problem on the server side (storage unreachable, overload). Nothing is wrong with "
                "the client's credentials.",
     .next = "Try again later.", .next_kind = N::RetryLater, .rfc = "RFC 3206 section 4 ([SYS/TEMP])"},
    {.key = "pop3.sys_perm_open", .protocol = P, .code = kErr, .enhanced = "SYS/PERM",
     .text = "Mailbox cannot be opened",
     .meaning = "A permanent problem on the server side: the mailbox cannot be used, and retrying will not help "
                "until an administrator fixes it.",
     .next = "Tell the user to contact the administrator.", .next_kind = N::GiveUp,
     .rfc = "RFC 3206 section 4 ([SYS/PERM])"},
    {.key = "pop3.vanished", .protocol = P, .code = kErr, .enhanced = "SYS/PERM",
     .text = "message {msg} is no longer in the maildrop",
     .meaning = "The message was removed from the store behind this session's back (another program, an "
                "administrator). This message cannot be retrieved.",
     .next = "Skip it and go on with the others.", .next_kind = N::GiveUp, .rfc = "RFC 3206 section 4 ([SYS/PERM])"},
    {.key = "pop3.update_failed", .protocol = P, .code = kErr, .enhanced = "SYS/TEMP",
     .text = "some deleted messages were not removed ({removed} of {marked})",
     .meaning = "In the UPDATE state the server could not remove every message marked deleted. It never removes "
                "a message that was not marked; the lock is released and the connection closes anyway.",
     .next = "Next session: the client deletes the left-over messages again.", .next_kind = N::RetryLater,
     .rfc = "RFC 1939 section 6 (QUIT in UPDATE); RFC 3206"},
    {.key = "pop3.login_delay", .protocol = P, .code = kErr, .enhanced = "LOGIN-DELAY",
     .text = "Minimum time between logins is {seconds} seconds",
     .meaning = "The client polls more often than the server allows (CAPA announced LOGIN-DELAY). The password "
                "was right.",
     .next = "Wait at least that long between polls.", .next_kind = N::RetryLater,
     .rfc = "RFC 2449 section 8.1.2 ([LOGIN-DELAY]), section 6.5"},

    // ---- -ERR without a response code ----
    {.key = "pop3.no_such_message", .protocol = P, .code = kErr, .enhanced = "",
     .text = "no such message, only {count} {messages} in maildrop",
     .meaning = "The message number is outside 1..N of this session's listing.", .next = kNextFix,
     .next_kind = N::GiveUp, .rfc = "RFC 1939 section 5"},
    {.key = "pop3.already_deleted", .protocol = P, .code = kErr, .enhanced = "", .text = "message {msg} already deleted",
     .meaning = "The message is marked deleted in this session: it cannot be read or deleted again (RSET unmarks "
                "it).",
     .next = kNextGoOn, .next_kind = N::GiveUp, .rfc = "RFC 1939 section 5 (DELE)"},
    {.key = "pop3.bad_number", .protocol = P, .code = kErr, .enhanced = "", .text = "Invalid message number \"{arg}\"",
     .meaning = "A message number must be a plain decimal number.", .next = kNextFix, .next_kind = N::GiveUp,
     .rfc = "RFC 1939 section 3"},
    {.key = "pop3.bad_line_count", .protocol = P, .code = kErr, .enhanced = "", .text = "Invalid line count \"{arg}\"",
     .meaning = "TOP's second argument must be a non-negative decimal number of lines.", .next = kNextFix,
     .next_kind = N::GiveUp, .rfc = "RFC 1939 section 7 (TOP)"},
    {.key = "pop3.unknown", .protocol = P, .code = kErr, .enhanced = "", .text = "Unknown command {verb}",
     .meaning = "The server does not know this command.", .next = kNextFix, .next_kind = N::GiveUp,
     .rfc = "RFC 1939 section 3"},
    {.key = "pop3.wrong_state", .protocol = P, .code = kErr, .enhanced = "", .text = "{verb} is not valid in the {state} state",
     .meaning = "POP3 commands belong to states: USER/PASS/APOP/STLS before login (AUTHORIZATION), "
                "STAT/LIST/RETR/DELE/... after it (TRANSACTION).",
     .next = "Log in first (or do not send login commands after login).", .next_kind = N::GiveUp,
     .rfc = "RFC 1939 sections 3-6"},
    {.key = "pop3.syntax", .protocol = P, .code = kErr, .enhanced = "", .text = "Syntax: {syntax}",
     .meaning = "Wrong number of arguments for this command.", .next = kNextFix, .next_kind = N::GiveUp,
     .rfc = "RFC 1939 section 3"},
    {.key = "pop3.no_user", .protocol = P, .code = kErr, .enhanced = "", .text = "No user name given: send USER first",
     .meaning = "PASS must come immediately after a successful USER.", .next = "Send USER, then PASS.",
     .next_kind = N::GiveUp, .rfc = "RFC 1939 section 7 (PASS)"},
    {.key = "pop3.bad_line", .protocol = P, .code = kErr, .enhanced = "", .text = "{error}",
     .meaning = "The line is not a command at all (empty, control characters such as NUL or a bare CR, or a "
                "malformed keyword).",
     .next = kNextFix, .next_kind = N::GiveUp, .rfc = "RFC 1939 section 3"},
    {.key = "pop3.line_too_long", .protocol = P, .code = kErr, .enhanced = "", .text = "Line too long (limit {limit} octets)",
     .meaning = "A command line may be at most 255 octets including CRLF; the rest of the line is ignored.",
     .next = kNextFix, .next_kind = N::GiveUp, .rfc = "RFC 2449 section 4"},
    {.key = "pop3.too_many_bad", .protocol = P, .code = kErr, .enhanced = "",
     .text = "{error}; too many invalid commands, closing connection",
     .meaning = "The client sent too many invalid commands; the server assumes it is broken or hostile and hangs up.",
     .next = "Stop.", .next_kind = N::GiveUp, .rfc = "RFC 1939 section 3 (server protection)"},
    {.key = "pop3.user_disabled", .protocol = P, .code = kErr, .enhanced = "", .text = "USER/PASS is not enabled on this server",
     .meaning = "This server does not accept USER/PASS logins.", .next = "Use APOP or AUTH.", .next_kind = N::GiveUp,
     .rfc = "RFC 1939 section 7"},
    {.key = "pop3.apop_disabled", .protocol = P, .code = kErr, .enhanced = "", .text = "APOP is not enabled on this server",
     .meaning = "This server does not accept APOP (it needs the plaintext password stored on the server, so many "
                "servers switch it off).",
     .next = "Use USER/PASS or AUTH, preferably inside TLS.", .next_kind = N::GiveUp, .rfc = "RFC 1939 section 7 (APOP)"},
    {.key = "pop3.sasl_unsupported", .protocol = P, .code = kErr, .enhanced = "",
     .text = "Unsupported authentication mechanism {mechanism}",
     .meaning = "The server does not offer this SASL mechanism (see CAPA's SASL line).",
     .next = "Use a mechanism from CAPA.", .next_kind = N::GiveUp, .rfc = "RFC 5034 section 4"},
    {.key = "pop3.sasl_cancelled", .protocol = P, .code = kErr, .enhanced = "", .text = "Authentication cancelled",
     .meaning = "The client answered the SASL challenge with \"*\": the login attempt is abandoned.",
     .next = kNextGoOn, .next_kind = N::GiveUp, .rfc = "RFC 5034 section 4"},
    {.key = "pop3.stls_active", .protocol = P, .code = kErr, .enhanced = "", .text = "Command not permitted when TLS active",
     .meaning = "TLS is already running on this connection; STLS can be used only once.", .next = kNextGoOn,
     .next_kind = N::GiveUp, .rfc = "RFC 2595 section 4"},
    {.key = "pop3.stls_unavailable", .protocol = P, .code = kErr, .enhanced = "", .text = "STLS not available on this server",
     .meaning = "This server cannot do TLS. A client whose policy requires TLS must stop before sending a password.",
     .next = "Continue in plaintext only if the policy allows it.", .next_kind = N::GiveUp, .rfc = "RFC 2595 section 4"},
    {.key = "pop3.not_implemented", .protocol = P, .code = kErr, .enhanced = "", .text = "Command not implemented",
     .meaning = "The command is known but this server does not implement it.", .next = kNextFix,
     .next_kind = N::GiveUp, .rfc = "RFC 1939 section 3"},
}};

// rows_complete - every Reply has a row (a missing row would be value-initialised: empty key).
constexpr bool rows_complete() {
  for (const auto& r : kRows) {
    if (r.key.size() < 6 || r.key.substr(0, 5) != "pop3." || r.meaning.empty() || r.rfc.empty()) return false;
  }
  return true;
}
static_assert(rows_complete(), "one complete row per pop3::Reply");

}  // namespace

// catalog_entries - the whole table.
std::span<const reply::ReplyEntry> catalog_entries() { return kRows; }

// reply_entry - O(1) by id.
const reply::ReplyEntry& reply_entry(Reply id) { return kRows[std::size_t(id)]; }

// reply_line - indicator, [code], rendered text.
std::string reply_line(Reply id, std::initializer_list<reply::TextVar> vars) {
  const reply::ReplyEntry& e = reply_entry(id);
  std::string line = e.code == reply::kPop3Ok ? "+OK" : "-ERR";
  if (!e.enhanced.empty()) {
    line += " [";
    line += e.enhanced;
    line += "]";
  }
  std::string text = reply::render_text(e.text, vars);
  while (!text.empty() && text.back() == ' ') text.pop_back();  // an empty last placeholder
  if (!text.empty()) {
    line += ' ';
    line += text;
  }
  return line;
}

}  // namespace smtpsim::pop3
