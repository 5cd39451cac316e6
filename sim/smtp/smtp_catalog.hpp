// smtp_catalog.hpp - the SMTP replies in the reply catalogue (sim/reply/reply_catalog.hpp): every
// reply the engines send or interpret, by ReplyId, with its enhanced status code (RFC 3463),
// default text, a plain-language meaning for students, what the client does next, and the RFC
// section. One source of truth for the SMTP server engine (its reply texts come from here), the
// CLI (`smtpsim explain 550 5.1.1`) and the visualizer's tutor: the engine names replies by
// ReplyId (compile-time checked) and renders them with smtp_reply(id) + render_text(); no reply
// text is written anywhere else. The catalogue's own names are visible here as smtp::ReplyEntry,
// smtp::Catalog and so on, as before the neutral part moved to sim/reply.
#pragma once
#include <cstdint>
#include <span>

#include "sim/reply/reply_catalog.hpp"

namespace smtpsim::smtp {

using reply::append_rendered;
using reply::ClientNext;
using reply::describe_code_class;
using reply::describe_status;
using reply::is_enhanced_status;
using reply::kPop3Err;
using reply::kPop3Ok;
using reply::render_text;
using reply::ReplyEntry;
using reply::ReplyProtocol;
using reply::StatusInfo;
using reply::TextVar;
using reply::to_string;

// ReplyId - every reply the SMTP engines send, by name. The order is the order of the table in
// smtp_catalog.cpp (checked at start-up by a static_assert and by tests).
enum class ReplyId : std::uint16_t {
  // connection
  Greeting, ServiceUnavailable, NoService, Closing, Timeout, TooManyErrors, SyncError,
  ServerNotAcceptingMail,
  // session commands
  Ok, HeloOk, EhloOk, HelpCommands, HelpEnd, SystemStatus, VrfyCannot,
  // transaction
  MailOk, RcptOk, RcptForward, StartData, Queued,
  // sequence errors (503 and friends)
  NeedHelo, NestedMail, NeedMail, NeedRcpt, NoValidRecipients, TransactionInProgress, NoServiceHere,
  // syntax errors
  Unrecognized, EmptyCommand, LineTooLong, NulInCommand, BareLfInCommand, BareCrInCommand,
  NotImplemented, HeloSyntax, MailSyntax, RcptSyntax, NoArgsSyntax, VrfySyntax, BadSender,
  BadRecipient, SenderTooLong, RecipientTooLong, UnsupportedOption, BadParameter,
  ParameterNotImplemented, ParametersNotAccommodated, SizeExceeded,
  // STARTTLS
  ReadyTls, TlsUnavailable, TlsAlreadyActive, TlsRequired,
  // AUTH
  AuthOk, AuthChallenge, AuthFailed, AuthAborted, AuthBadBase64, AuthEncryptionRequired,
  AuthRequired, AuthAlready, AuthNotEnabled, AuthMechanismUnknown, AuthSyntax, AuthLineTooLong,
  AuthTempFail, AuthTooWeak, AuthPasswordTransition, SenderNotOwned,
  // recipient / sender policy
  UserUnknown, RelayDenied, RelayDenied550, TooManyRecipients, Greylisted, StorageFull,
  SenderRejected, RecipientRejected, MailboxBusy, MailboxFull, MailboxFullPermanent,
  UserNotLocal, MailboxNameNotAllowed, NullMx, DomainNotFound,
  // end of data
  LocalError, TooManyHops, MessageTooBig, BareNewlineInData, MessageRejected,
  Count
};

// smtp_catalog_entries - the SMTP table, in ReplyId order.
std::span<const ReplyEntry> smtp_catalog_entries();

// smtp_reply - the entry for an id (O(1)).
const ReplyEntry& smtp_reply(ReplyId id);

// Catalog - the neutral Catalog with a way to start from the SMTP table.
class Catalog : public reply::Catalog {
 public:
  // smtp - a catalogue holding the SMTP table.
  static Catalog smtp();
};

}  // namespace smtpsim::smtp
