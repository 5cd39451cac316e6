// pop3_catalog.hpp - the POP3 responses in the reply catalogue (sim/reply/reply_catalog.hpp): every
// status line the POP3 server sends, with its RFC 2449/3206 response code, a plain-language meaning,
// what the client does next and the RFC section. The server renders its lines from here, so the
// tutor's explanation and the wire can never disagree. Register with a Catalog:
//     reply::Catalog cat;  // or smtp::Catalog::smtp(), to search the SMTP table too
//     cat.add(pop3::catalog_entries());
//     cat.explain("-ERR [IN-USE]");
#pragma once
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>

#include "sim/reply/reply_catalog.hpp"

namespace smtpsim::pop3 {

// Reply - every status line the server engine sends, by name (the order of the table).
enum class Reply : std::uint16_t {
  // +OK
  Greeting, CapaFollows, UserOk, LoginOk, Stat, ListAll, ListOne, Retr, Top, UidlAll, UidlOne, Dele,
  Rset, Noop, QuitAuth, QuitUpdate, StlsOk, SaslList,
  // -ERR with a response code
  AuthFailed, AuthFailedClose, PlaintextDisallowed, InUse, SysTemp, SysPermOpen, Vanished,
  UpdateFailed, LoginDelay,
  // -ERR without one
  NoSuchMessage, AlreadyDeleted, BadNumber, BadLineCount, Unknown, WrongState, Syntax, NoUser,
  BadLine, LineTooLong, TooManyBad, UserDisabled, ApopDisabled, SaslUnsupported, SaslCancelled,
  StlsActive, StlsUnavailable, NotImplemented,
  Count
};

// catalog_entries - the POP3 table (protocol Pop3, code reply::kPop3Ok / kPop3Err, enhanced = the
// response code without brackets), in Reply order.
std::span<const reply::ReplyEntry> catalog_entries();

// reply_entry - the entry for an id.
const reply::ReplyEntry& reply_entry(Reply id);

// reply_line - the status line without CRLF: "+OK text" / "-ERR [CODE] text", placeholders filled.
std::string reply_line(Reply id, std::initializer_list<reply::TextVar> vars = {});

}  // namespace smtpsim::pop3
