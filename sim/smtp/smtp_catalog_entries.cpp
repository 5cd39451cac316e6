// smtp_catalog_entries.cpp - the SMTP reply table: one row per ReplyId, in enum order.
//
// Texts follow Postfix 3.7 where a real server's wording helps students recognise logs; codes and
// enhanced codes follow RFC 5321 4.2, RFC 3463, RFC 4954 (AUTH), RFC 3207 (STARTTLS), RFC 7504
// (521/556), RFC 7505 (null MX). Placeholders: {host} our host name, {address} a mailbox,
// {id} a queue id, {option}/{param} a MAIL/RCPT parameter, {verb} a command, {seconds} a wait,
// {commands} the command list, {challenge} a base64 SASL challenge, {user}, {path}.
#include <array>
#include <cstddef>

#include "sim/smtp/smtp_catalog.hpp"

namespace smtpsim::smtp {
namespace {

using N = ClientNext;

struct Row {
  ReplyId id;
  ReplyEntry e;
};

// Shared wording of the "next" column.
constexpr std::string_view kNextGoOn = "Go on with the next command of the dialogue.";
constexpr std::string_view kNextFixCommand =
    "The client has a bug or a typo: it must correct the command; repeating it unchanged fails again.";
constexpr std::string_view kNextBounceRcpt =
    "A relaying MTA bounces the message for this recipient to the sender with a DSN and goes on "
    "with the other recipients; an MUA shows the error to the user.";
constexpr std::string_view kNextRetryQueue =
    "Keep the message in the queue and try again later (the retry schedule decides when); after "
    "the maximal queue lifetime the message bounces.";

constexpr Row kRows[] = {
    // ---- connection ----
    {ReplyId::Greeting,
     {.key = "smtp.greeting", .code = 220, .enhanced = "", .text = "{host} ESMTP smtpsim",
      .meaning = "The server is ready. The first word is its host name; the client speaks next.",
      .next = "Send EHLO with your own host name (HELO only for very old servers).",
      .next_kind = N::GoOn, .rfc = "RFC 5321 3.1, 4.3.2"}},
    {ReplyId::ServiceUnavailable,
     {.key = "smtp.service_unavailable", .code = 421, .enhanced = "4.3.2",
      .text = "{host} Service not available, closing transmission channel",
      .meaning = "The server is shutting down or refuses service for now, and closes the connection "
                 "right after this reply. It may come as the greeting or as the answer to any command.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 3.8, 4.2.3"}},
    {ReplyId::NoService,
     {.key = "smtp.no_service", .code = 554, .enhanced = "", .text = "{host} No SMTP service here",
      .meaning = "A greeting that refuses the whole session. The server keeps the connection open but "
                 "answers every command except QUIT with 503.",
      .next = "Send QUIT; a relaying MTA tries the next MX host or bounces the message.",
      .next_kind = N::GiveUp, .rfc = "RFC 5321 3.1, 4.2.3"}},
    {ReplyId::Closing,
     {.key = "smtp.closing", .code = 221, .enhanced = "2.0.0", .text = "Bye",
      .meaning = "Answer to QUIT: the server closes the connection after this reply.",
      .next = "Close the connection too.", .next_kind = N::GoOn, .rfc = "RFC 5321 4.1.1.10"}},
    {ReplyId::Timeout,
     {.key = "smtp.timeout", .code = 421, .enhanced = "4.4.2", .text = "{host} Error: timeout exceeded",
      .meaning = "The client was silent too long (the server waits at least 5 minutes for a command) "
                 "and the server hangs up. A message whose final \".\" was not acknowledged is not "
                 "accepted.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 4.5.3.2.7"}},
    {ReplyId::TooManyErrors,
     {.key = "smtp.too_many_errors", .code = 421, .enhanced = "4.7.0", .text = "{host} Error: too many errors",
      .meaning = "The client made too many protocol errors in one session (unknown commands, bad syntax, "
                 "wrong order), so the server assumes a broken client or an attack and disconnects.",
      .next = "Fix the client. A queued message is retried later on a new connection.",
      .next_kind = N::RetryLater, .rfc = "RFC 5321 4.2.3; Postfix smtpd_hard_error_limit"}},
    {ReplyId::SyncError,
     {.key = "smtp.sync_error", .code = 554, .enhanced = "5.5.0", .text = "Error: SMTP protocol synchronization",
      .meaning = "The client sent more before this reply was due: data before the 354, commands before "
                 "the greeting, or commands after EHLO/DATA/AUTH (or any command without PIPELINING) "
                 "without waiting for the answer. Spam bots do this; the server hangs up.",
      .next = "Fix the client: wait for each reply where RFC 2920 says a command must end a group.",
      .next_kind = N::GiveUp, .rfc = "RFC 2920 3.1; RFC 5321 4.3.1"}},
    {ReplyId::ServerNotAcceptingMail,
     {.key = "smtp.does_not_accept_mail", .code = 521, .enhanced = "5.3.2", .text = "{host} does not accept mail",
      .meaning = "This host never accepts mail at all (for example a web server that is not a mail "
                 "server).",
      .next = "Do not retry; a relaying MTA bounces the message.", .next_kind = N::GiveUp,
      .rfc = "RFC 7504 3"}},

    // ---- session commands ----
    {ReplyId::Ok,
     {.key = "smtp.ok", .code = 250, .enhanced = "2.0.0", .text = "Ok",
      .meaning = "The command worked (RSET, NOOP).", .next = kNextGoOn, .next_kind = N::GoOn,
      .rfc = "RFC 5321 4.1.1.5, 4.1.1.9"}},
    {ReplyId::HeloOk,
     {.key = "smtp.helo", .code = 250, .enhanced = "", .text = "{host}",
      .meaning = "HELO accepted: a plain RFC 821 session without extensions. The text is the server's name.",
      .next = "Send MAIL FROM to start a transaction.", .next_kind = N::GoOn, .rfc = "RFC 5321 4.1.1.1"}},
    {ReplyId::EhloOk,
     {.key = "smtp.ehlo", .code = 250, .enhanced = "", .text = "{host}",
      .meaning = "EHLO accepted. The first line names the server; each further line names one extension "
                 "it offers (PIPELINING, SIZE, STARTTLS, AUTH, ...).",
      .next = "Use only the extensions listed: STARTTLS or AUTH if needed, then MAIL FROM.",
      .next_kind = N::GoOn, .rfc = "RFC 5321 4.1.1.1, 2.2"}},
    {ReplyId::HelpCommands,
     {.key = "smtp.help", .code = 214, .enhanced = "2.0.0", .text = "Commands: {commands}",
      .meaning = "Help text for a human at the keyboard.", .next = kNextGoOn, .next_kind = N::GoOn,
      .rfc = "RFC 5321 4.1.1.8"}},
    {ReplyId::HelpEnd,
     {.key = "smtp.help_end", .code = 214, .enhanced = "2.0.0",
      .text = "Reply codes are explained by: smtpsim explain CODE",
      .meaning = "Last line of the HELP reply.", .next = kNextGoOn, .next_kind = N::GoOn,
      .rfc = "RFC 5321 4.1.1.8"}},
    {ReplyId::SystemStatus,
     {.key = "smtp.system_status", .code = 211, .enhanced = "2.0.0", .text = "System status",
      .meaning = "System status or help reply; rarely used.", .next = kNextGoOn, .next_kind = N::GoOn,
      .rfc = "RFC 5321 4.2.2"}},
    {ReplyId::VrfyCannot,
     {.key = "smtp.vrfy_cannot", .code = 252, .enhanced = "2.0.0",
      .text = "Cannot VRFY user, but will accept message and attempt delivery",
      .meaning = "The server does not reveal whether a mailbox exists (that would help spammers harvest "
                 "addresses), but it will take mail for it.",
      .next = "Go on; the truth comes at RCPT or later as a bounce.", .next_kind = N::GoOn,
      .rfc = "RFC 5321 3.5.3, 7.3"}},

    // ---- transaction ----
    {ReplyId::MailOk,
     {.key = "smtp.mail_ok", .code = 250, .enhanced = "2.1.0", .text = "Ok",
      .meaning = "The sender (reverse path) is accepted and a mail transaction has started.",
      .next = "Send RCPT TO for each recipient.", .next_kind = N::GoOn, .rfc = "RFC 5321 4.1.1.2"}},
    {ReplyId::RcptOk,
     {.key = "smtp.rcpt_ok", .code = 250, .enhanced = "2.1.5", .text = "Ok",
      .meaning = "This recipient is accepted for the transaction.",
      .next = "Send more RCPT TO, or DATA when all recipients are given.", .next_kind = N::GoOn,
      .rfc = "RFC 5321 4.1.1.3"}},
    {ReplyId::RcptForward,
     {.key = "smtp.rcpt_forward", .code = 251, .enhanced = "2.1.5", .text = "User not local; will forward to {path}",
      .meaning = "Recipient accepted; the server will forward the mail to another address.",
      .next = kNextGoOn, .next_kind = N::GoOn, .rfc = "RFC 5321 3.4"}},
    {ReplyId::StartData,
     {.key = "smtp.start_data", .code = 354, .enhanced = "", .text = "End data with <CR><LF>.<CR><LF>",
      .meaning = "The server is ready for the message: headers, an empty line, the body. Lines starting "
                 "with \".\" get an extra \".\" (dot-stuffing); a line holding only \".\" ends the message.",
      .next = "Send the message, then <CR><LF>.<CR><LF>, and wait for the final reply.",
      .next_kind = N::SendMore, .rfc = "RFC 5321 4.1.1.4, 4.5.2"}},
    {ReplyId::Queued,
     {.key = "smtp.queued", .code = 250, .enhanced = "2.0.0", .text = "Ok: queued as {id}",
      .meaning = "The server has stored the message and now owns it: it must deliver it or bounce it. "
                 "The queue id finds the message in the server's logs.",
      .next = "The sender deletes its copy; the message is the next hop's responsibility now.",
      .next_kind = N::GoOn, .rfc = "RFC 5321 4.1.1.4, 6.1"}},

    // ---- sequence errors ----
    {ReplyId::NeedHelo,
     {.key = "smtp.need_helo", .code = 503, .enhanced = "5.5.1", .text = "Error: send HELO/EHLO first",
      .meaning = "A mail command came before the client introduced itself with EHLO or HELO.",
      .next = "Send EHLO first, then repeat the command.", .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.4"}},
    {ReplyId::NestedMail,
     {.key = "smtp.nested_mail", .code = 503, .enhanced = "5.5.1", .text = "Error: nested MAIL command",
      .meaning = "MAIL FROM came while a transaction was already open.",
      .next = "Finish the transaction (DATA) or cancel it with RSET first.", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.1.4"}},
    {ReplyId::NeedMail,
     {.key = "smtp.need_mail", .code = 503, .enhanced = "5.5.1", .text = "Error: need MAIL command",
      .meaning = "RCPT TO came before MAIL FROM.", .next = "Send MAIL FROM first.", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.1.4"}},
    {ReplyId::NeedRcpt,
     {.key = "smtp.need_rcpt", .code = 503, .enhanced = "5.5.1", .text = "Error: need RCPT command",
      .meaning = "DATA came before any RCPT TO.", .next = "Send MAIL FROM and RCPT TO first.",
      .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.4"}},
    {ReplyId::NoValidRecipients,
     {.key = "smtp.no_valid_recipients", .code = 554, .enhanced = "5.5.1", .text = "Error: no valid recipients",
      .meaning = "DATA came, but every RCPT TO of this transaction was refused, so there is no one to "
                 "deliver to. (A pipelining client sends DATA before it sees the RCPT replies.)",
      .next = "Nothing to send; the refused recipients were already handled one by one.",
      .next_kind = N::GiveUp, .rfc = "RFC 5321 3.3; RFC 2920 3.1"}},
    {ReplyId::TransactionInProgress,
     {.key = "smtp.transaction_in_progress", .code = 503, .enhanced = "5.5.1",
      .text = "Error: MAIL transaction in progress",
      .meaning = "AUTH or STARTTLS is not allowed inside a mail transaction.",
      .next = "Send RSET (or finish the message) first.", .next_kind = N::GiveUp, .rfc = "RFC 4954 4; RFC 3207 4"}},
    {ReplyId::NoServiceHere,
     {.key = "smtp.no_service_here", .code = 503, .enhanced = "5.5.1",
      .text = "Error: this server refused the session; send QUIT",
      .meaning = "The server greeted with 554, so nothing but QUIT is accepted.",
      .next = "Send QUIT.", .next_kind = N::GiveUp, .rfc = "RFC 5321 3.1"}},

    // ---- syntax errors ----
    {ReplyId::Unrecognized,
     {.key = "smtp.unrecognized", .code = 500, .enhanced = "5.5.2", .text = "Error: command not recognized",
      .meaning = "The server does not know this command word at all.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.4"}},
    {ReplyId::EmptyCommand,
     {.key = "smtp.empty_command", .code = 500, .enhanced = "5.5.2", .text = "Error: bad syntax",
      .meaning = "An empty line (or only spaces) where a command was expected.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.1"}},
    {ReplyId::LineTooLong,
     {.key = "smtp.line_too_long", .code = 500, .enhanced = "5.5.2", .text = "Error: line too long",
      .meaning = "A command line was longer than 512 octets including <CR><LF>. The server threw the rest "
                 "of the line away up to the next <CR><LF>.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.5.3.1.4"}},
    {ReplyId::NulInCommand,
     {.key = "smtp.nul_in_command", .code = 500, .enhanced = "5.5.2", .text = "Error: NUL character in command",
      .meaning = "The command line held a NUL byte, which no SMTP command may contain; the line is ignored.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.1, 2.3.8"}},
    {ReplyId::BareLfInCommand,
     {.key = "smtp.bare_lf_command", .code = 500, .enhanced = "5.5.2", .text = "Error: bare <LF> received",
      .meaning = "The command line held a line feed without a carriage return before it. Only <CR><LF> "
                 "ends a line, so the whole thing was one (bad) line and was ignored.",
      .next = "Fix the client to end lines with <CR><LF>.", .next_kind = N::GiveUp, .rfc = "RFC 5321 2.3.8"}},
    {ReplyId::BareCrInCommand,
     {.key = "smtp.bare_cr_command", .code = 500, .enhanced = "5.5.2", .text = "Error: bare <CR> received",
      .meaning = "The command line held a carriage return not followed by a line feed; the line was ignored.",
      .next = "Fix the client to end lines with <CR><LF>.", .next_kind = N::GiveUp, .rfc = "RFC 5321 2.3.8"}},
    {ReplyId::NotImplemented,
     {.key = "smtp.not_implemented", .code = 502, .enhanced = "5.5.1", .text = "Error: command not implemented",
      .meaning = "A real SMTP command (EXPN, TURN, ETRN, BDAT, ...) that this server does not support.",
      .next = "Do without it.", .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.4"}},
    {ReplyId::HeloSyntax,
     {.key = "smtp.helo_syntax", .code = 501, .enhanced = "5.5.4", .text = "Syntax: {verb} hostname",
      .meaning = "EHLO/HELO needs the client's host name (or an address literal like [192.0.2.1]).",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.1.1"}},
    {ReplyId::MailSyntax,
     {.key = "smtp.mail_syntax", .code = 501, .enhanced = "5.5.4", .text = "Syntax: MAIL FROM:<address>",
      .meaning = "MAIL must be followed by FROM:<address>, with no space around the colon; <> is the null "
                 "sender used by bounces.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.1.2, 3.3"}},
    {ReplyId::RcptSyntax,
     {.key = "smtp.rcpt_syntax", .code = 501, .enhanced = "5.5.4", .text = "Syntax: RCPT TO:<address>",
      .meaning = "RCPT must be followed by TO:<address>, with no space around the colon.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.1.3, 3.3"}},
    {ReplyId::NoArgsSyntax,
     {.key = "smtp.no_args_syntax", .code = 501, .enhanced = "5.5.4", .text = "Syntax: {verb}",
      .meaning = "This command takes no arguments.", .next = kNextFixCommand, .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.1.1"}},
    {ReplyId::VrfySyntax,
     {.key = "smtp.vrfy_syntax", .code = 501, .enhanced = "5.5.4", .text = "Syntax: VRFY address",
      .meaning = "VRFY needs a user name or address.", .next = kNextFixCommand, .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.1.1.6"}},
    {ReplyId::BadSender,
     {.key = "smtp.bad_sender", .code = 501, .enhanced = "5.1.7", .text = "Bad sender address syntax",
      .meaning = "The address in MAIL FROM:<...> is not a valid mailbox (local-part@domain).",
      .next = "Fix the sender address.", .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.2; RFC 3463 X.1.7"}},
    {ReplyId::BadRecipient,
     {.key = "smtp.bad_recipient", .code = 501, .enhanced = "5.1.3", .text = "Bad recipient address syntax",
      .meaning = "The address in RCPT TO:<...> is not a valid mailbox (local-part@domain, or <postmaster>).",
      .next = kNextBounceRcpt, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.1.2; RFC 3463 X.1.3"}},
    {ReplyId::SenderTooLong,
     {.key = "smtp.sender_too_long", .code = 501, .enhanced = "5.1.7", .text = "Sender address too long",
      .meaning = "The sender path breaks a size limit: local part 64, domain 255, path 256 octets.",
      .next = "Fix the sender address.", .next_kind = N::GiveUp, .rfc = "RFC 5321 4.5.3.1.1-3"}},
    {ReplyId::RecipientTooLong,
     {.key = "smtp.recipient_too_long", .code = 501, .enhanced = "5.1.3", .text = "Recipient address too long",
      .meaning = "The recipient path breaks a size limit: local part 64, domain 255, path 256 octets.",
      .next = kNextBounceRcpt, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.5.3.1.1-3"}},
    {ReplyId::UnsupportedOption,
     {.key = "smtp.unsupported_option", .code = 555, .enhanced = "5.5.4", .text = "Unsupported option: {option}",
      .meaning = "MAIL FROM or RCPT TO carried a parameter of an extension the server did not offer in EHLO.",
      .next = "Send only parameters of extensions listed in the EHLO reply.", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.1.1.11"}},
    {ReplyId::BadParameter,
     {.key = "smtp.bad_parameter", .code = 501, .enhanced = "5.5.4", .text = "Bad {param} parameter syntax",
      .meaning = "A known MAIL/RCPT parameter (SIZE, BODY, RET, ENVID, NOTIFY, ORCPT, AUTH) has a value "
                 "of the wrong form, or appears twice.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 1870; RFC 6152; RFC 3461 4"}},
    {ReplyId::ParameterNotImplemented,
     {.key = "smtp.parameter_not_implemented", .code = 504, .enhanced = "5.5.4",
      .text = "{param} parameter not implemented",
      .meaning = "The parameter is well-formed but this server does not implement that value "
                 "(for example BODY=BINARYMIME without CHUNKING).",
      .next = "Send the message another way (for example as 8BITMIME or 7BIT).", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.2.4; RFC 3030"}},
    {ReplyId::ParametersNotAccommodated,
     {.key = "smtp.parameters_not_accommodated", .code = 455, .enhanced = "4.5.4",
      .text = "Server unable to accommodate parameters",
      .meaning = "The parameters are understood but cannot be handled right now.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 4.2.3"}},
    {ReplyId::SizeExceeded,
     {.key = "smtp.size_exceeded", .code = 552, .enhanced = "5.3.4", .text = "Message size exceeds fixed limit",
      .meaning = "MAIL FROM declared SIZE= larger than the limit announced in the EHLO SIZE line.",
      .next = "Do not send it here: the sender gets a bounce saying the message is too big.",
      .next_kind = N::GiveUp, .rfc = "RFC 1870 6"}},

    // ---- STARTTLS ----
    {ReplyId::ReadyTls,
     {.key = "smtp.ready_tls", .code = 220, .enhanced = "2.0.0", .text = "Ready to start TLS",
      .meaning = "Start the TLS handshake now. Afterwards both sides forget the session: the client must "
                 "send EHLO again, and STARTTLS is no longer offered.",
      .next = "Run the TLS handshake, then send EHLO.", .next_kind = N::GoOn, .rfc = "RFC 3207 4, 4.2"}},
    {ReplyId::TlsUnavailable,
     {.key = "smtp.tls_unavailable", .code = 454, .enhanced = "4.7.0", .text = "TLS not available due to local problem",
      .meaning = "The server cannot do TLS right now (no certificate, TLS disabled).",
      .next = "Opportunistic TLS: go on in plaintext. Mandatory TLS: keep the message queued and retry later.",
      .next_kind = N::RetryLater, .rfc = "RFC 3207 4"}},
    {ReplyId::TlsAlreadyActive,
     {.key = "smtp.tls_already_active", .code = 554, .enhanced = "5.5.1", .text = "Error: TLS already active",
      .meaning = "STARTTLS came inside a TLS session; TLS cannot be started twice.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 3207 4.2"}},
    {ReplyId::TlsRequired,
     {.key = "smtp.tls_required", .code = 530, .enhanced = "5.7.0", .text = "Must issue a STARTTLS command first",
      .meaning = "This server only accepts mail over an encrypted connection.",
      .next = "Send STARTTLS, then EHLO, then repeat the command.", .next_kind = N::GiveUp,
      .rfc = "RFC 3207 4"}},

    // ---- AUTH ----
    {ReplyId::AuthOk,
     {.key = "smtp.auth_ok", .code = 235, .enhanced = "2.7.0", .text = "Authentication successful",
      .meaning = "The user name and password were right; this session is now authenticated and may send "
                 "(relay) mail as that user.",
      .next = "Send MAIL FROM.", .next_kind = N::GoOn, .rfc = "RFC 4954 4, 6"}},
    {ReplyId::AuthChallenge,
     {.key = "smtp.auth_challenge", .code = 334, .enhanced = "", .text = "{challenge}",
      .meaning = "A SASL challenge in base64: empty means \"send your response\"; with LOGIN, "
                 "VXNlcm5hbWU6 is \"Username:\" and UGFzc3dvcmQ6 is \"Password:\".",
      .next = "Send one line with the base64 response, or \"*\" to cancel.", .next_kind = N::SendMore,
      .rfc = "RFC 4954 4"}},
    {ReplyId::AuthFailed,
     {.key = "smtp.auth_failed", .code = 535, .enhanced = "5.7.8", .text = "Authentication credentials invalid",
      .meaning = "Wrong user name or password.",
      .next = "The user fixes the password; a mail client shows this as a login error.",
      .next_kind = N::GiveUp, .rfc = "RFC 4954 6"}},
    {ReplyId::AuthAborted,
     {.key = "smtp.auth_aborted", .code = 501, .enhanced = "5.7.0", .text = "Authentication aborted",
      .meaning = "The client cancelled the exchange by sending \"*\".",
      .next = "Authenticate again or go on without.", .next_kind = N::GiveUp, .rfc = "RFC 4954 4"}},
    {ReplyId::AuthBadBase64,
     {.key = "smtp.auth_bad_base64", .code = 501, .enhanced = "5.5.2", .text = "Cannot Base64-decode client response",
      .meaning = "An AUTH response was not valid base64 (or a PLAIN response lacked its NUL separators).",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 4954 4; RFC 4616 2"}},
    {ReplyId::AuthEncryptionRequired,
     {.key = "smtp.auth_encryption_required", .code = 538, .enhanced = "5.7.11",
      .text = "Encryption required for requested authentication mechanism",
      .meaning = "Passwords may only be sent after STARTTLS, or anyone on the path could read them.",
      .next = "Send STARTTLS, EHLO, then AUTH.", .next_kind = N::GiveUp, .rfc = "RFC 4954 4, 6"}},
    {ReplyId::AuthRequired,
     {.key = "smtp.auth_required", .code = 530, .enhanced = "5.7.0", .text = "Authentication required",
      .meaning = "A submission server (port 587) accepts mail only from logged-in users.",
      .next = "Authenticate with AUTH, then repeat MAIL FROM.", .next_kind = N::GiveUp,
      .rfc = "RFC 4954 6; RFC 6409 4.3"}},
    {ReplyId::AuthAlready,
     {.key = "smtp.auth_already", .code = 503, .enhanced = "5.5.1", .text = "Error: already authenticated",
      .meaning = "AUTH may succeed only once per session.", .next = "Go on with MAIL FROM.",
      .next_kind = N::GiveUp, .rfc = "RFC 4954 4"}},
    {ReplyId::AuthNotEnabled,
     {.key = "smtp.auth_not_enabled", .code = 503, .enhanced = "5.5.1", .text = "Error: authentication not enabled",
      .meaning = "This server does not offer AUTH at all (an MX host usually does not).",
      .next = "Send without AUTH, or use the submission server.", .next_kind = N::GiveUp,
      .rfc = "RFC 4954 4"}},
    {ReplyId::AuthMechanismUnknown,
     {.key = "smtp.auth_mechanism_unknown", .code = 504, .enhanced = "5.5.4", .text = "Unrecognized authentication type",
      .meaning = "The SASL mechanism named after AUTH is not among those in the EHLO AUTH line.",
      .next = "Pick a mechanism the server listed.", .next_kind = N::GiveUp, .rfc = "RFC 4954 4"}},
    {ReplyId::AuthSyntax,
     {.key = "smtp.auth_syntax", .code = 501, .enhanced = "5.5.4", .text = "Syntax: AUTH mechanism [initial-response]",
      .meaning = "AUTH needs a mechanism name, optionally followed by one base64 initial response.",
      .next = kNextFixCommand, .next_kind = N::GiveUp, .rfc = "RFC 4954 4"}},
    {ReplyId::AuthLineTooLong,
     {.key = "smtp.auth_line_too_long", .code = 500, .enhanced = "5.5.6", .text = "Authentication Exchange line is too long",
      .meaning = "An AUTH line was longer than 12288 octets.", .next = kNextFixCommand, .next_kind = N::GiveUp,
      .rfc = "RFC 4954 4, 6"}},
    {ReplyId::AuthTempFail,
     {.key = "smtp.auth_temp_fail", .code = 454, .enhanced = "4.7.0", .text = "Temporary authentication failure",
      .meaning = "The server could not check the password right now (its user database is down).",
      .next = "Try again later.", .next_kind = N::RetryLater, .rfc = "RFC 4954 6"}},
    {ReplyId::AuthTooWeak,
     {.key = "smtp.auth_too_weak", .code = 534, .enhanced = "5.7.9", .text = "Authentication mechanism is too weak",
      .meaning = "Policy forbids this mechanism for this user.", .next = "Use a stronger mechanism.",
      .next_kind = N::GiveUp, .rfc = "RFC 4954 6"}},
    {ReplyId::AuthPasswordTransition,
     {.key = "smtp.auth_password_transition", .code = 432, .enhanced = "4.7.12",
      .text = "A password transition is needed",
      .meaning = "The user must log in once with PLAIN so the server can store the password for the chosen "
                 "mechanism.",
      .next = "Authenticate once with PLAIN (over TLS).", .next_kind = N::RetryLater, .rfc = "RFC 4954 6"}},
    {ReplyId::SenderNotOwned,
     {.key = "smtp.sender_not_owned", .code = 553, .enhanced = "5.7.1",
      .text = "{address}: Sender address rejected: not owned by user {user}",
      .meaning = "A logged-in user tried to send with somebody else's address as the sender.",
      .next = "Send with your own address.", .next_kind = N::GiveUp, .rfc = "RFC 6409 6.1; RFC 3463 X.7.1"}},

    // ---- recipient / sender policy ----
    {ReplyId::UserUnknown,
     {.key = "smtp.user_unknown", .code = 550, .enhanced = "5.1.1",
      .text = "{address}: Recipient address rejected: User unknown in local recipient table",
      .meaning = "The domain is handled here, but no such mailbox exists (a typo in the user name).",
      .next = kNextBounceRcpt, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.2; RFC 3463 X.1.1"}},
    {ReplyId::RelayDenied,
     {.key = "smtp.relay_denied", .code = 554, .enhanced = "5.7.1", .text = "{address}: Relay access denied",
      .meaning = "The recipient's domain is not handled here and this client may not relay through this "
                 "server (it is neither authenticated nor from a trusted network). This is what stops "
                 "open relays.",
      .next = "An MUA must authenticate (AUTH) on the submission port; an MTA must send to the domain's "
              "own MX host.",
      .next_kind = N::GiveUp, .rfc = "RFC 5321 3.6.2, 7.1; RFC 3463 X.7.1"}},
    {ReplyId::RelayDenied550,
     {.key = "smtp.relay_denied_550", .code = 550, .enhanced = "5.7.1", .text = "Unable to relay",
      .meaning = "The same as 554 5.7.1 Relay access denied, as other servers (Exchange, Exim) word it.",
      .next = kNextBounceRcpt, .next_kind = N::GiveUp, .rfc = "RFC 5321 3.6.2; RFC 3463 X.7.1"}},
    {ReplyId::TooManyRecipients,
     {.key = "smtp.too_many_recipients", .code = 452, .enhanced = "4.5.3", .text = "Error: too many recipients",
      .meaning = "The transaction already has the maximum number of recipients (at least 100 must be "
                 "allowed). Not an error of the address.",
      .next = "Send DATA for the accepted recipients, then the rest in a new transaction.",
      .next_kind = N::RetryLater, .rfc = "RFC 5321 4.5.3.1.8, 4.5.3.1.10"}},
    {ReplyId::Greylisted,
     {.key = "smtp.greylisted", .code = 451, .enhanced = "4.7.1",
      .text = "{address}: Recipient address rejected: Greylisted, try again in {seconds} seconds",
      .meaning = "Greylisting: the server has never seen this (client address, sender, recipient) before "
                 "and refuses it once. A real MTA retries and is let in; many spam bots never retry.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 6647 2; RFC 5321 4.5.4.1"}},
    {ReplyId::StorageFull,
     {.key = "smtp.storage_full", .code = 452, .enhanced = "4.3.1", .text = "Insufficient system storage",
      .meaning = "The server's disk (its queue) is full, so it cannot take mail right now.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 4.2.3; RFC 3463 X.3.1"}},
    {ReplyId::SenderRejected,
     {.key = "smtp.sender_rejected", .code = 550, .enhanced = "5.7.1",
      .text = "{address}: Sender address rejected: Access denied",
      .meaning = "Local policy refuses mail from this sender (a block list, a spoofed domain).",
      .next = "A relaying MTA bounces the message to its sender.", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.2.2; RFC 3463 X.7.1"}},
    {ReplyId::RecipientRejected,
     {.key = "smtp.recipient_rejected", .code = 550, .enhanced = "5.7.1",
      .text = "{address}: Recipient address rejected: Access denied",
      .meaning = "Local policy refuses mail to this recipient.", .next = kNextBounceRcpt,
      .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.2; RFC 3463 X.7.1"}},
    {ReplyId::MailboxBusy,
     {.key = "smtp.mailbox_busy", .code = 450, .enhanced = "4.2.1", .text = "{address}: Mailbox temporarily unavailable",
      .meaning = "The mailbox exists but cannot take mail right now (locked, busy).",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 4.2.3; RFC 3463 X.2.1"}},
    {ReplyId::MailboxFull,
     {.key = "smtp.mailbox_full", .code = 452, .enhanced = "4.2.2", .text = "{address}: Mailbox full",
      .meaning = "The recipient's mailbox is over its quota; it may have room later.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 4.2.3; RFC 3463 X.2.2"}},
    {ReplyId::MailboxFullPermanent,
     {.key = "smtp.mailbox_full_permanent", .code = 552, .enhanced = "5.2.2",
      .text = "{address}: Mailbox full, exceeded storage allocation",
      .meaning = "The recipient's mailbox is over its quota and the server treats that as final.",
      .next = kNextBounceRcpt, .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.2; RFC 3463 X.2.2"}},
    {ReplyId::UserNotLocal,
     {.key = "smtp.user_not_local", .code = 551, .enhanced = "5.1.6", .text = "User not local; please try {path}",
      .meaning = "The user has moved; the reply names the new address.",
      .next = "Send to the new address instead (a person decides; MTAs bounce).", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 3.4; RFC 3463 X.1.6"}},
    {ReplyId::MailboxNameNotAllowed,
     {.key = "smtp.mailbox_name_not_allowed", .code = 553, .enhanced = "5.1.3",
      .text = "{address}: Mailbox name not allowed",
      .meaning = "The address is syntactically possible but not acceptable here.", .next = kNextBounceRcpt,
      .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.2"}},
    {ReplyId::NullMx,
     {.key = "smtp.null_mx", .code = 556, .enhanced = "5.1.10", .text = "{address}: Recipient domain does not accept mail (null MX)",
      .meaning = "The recipient's domain publishes \"MX 0 .\": it declares that it never receives mail. "
                 "A sending MTA reports this itself without connecting anywhere.",
      .next = "Bounce at once; never retry.", .next_kind = N::GiveUp, .rfc = "RFC 7505 4.1; RFC 7504"}},
    {ReplyId::DomainNotFound,
     {.key = "smtp.domain_not_found", .code = 550, .enhanced = "5.1.2",
      .text = "{address}: Recipient address rejected: Domain not found",
      .meaning = "The domain of the address does not exist in DNS (NXDOMAIN).", .next = kNextBounceRcpt,
      .next_kind = N::GiveUp, .rfc = "RFC 5321 5.1; RFC 3463 X.1.2"}},

    // ---- end of data ----
    {ReplyId::LocalError,
     {.key = "smtp.local_error", .code = 451, .enhanced = "4.3.0", .text = "Error: queue file write error",
      .meaning = "The server could not store the message (disk error, spool problem). Nothing was "
                 "accepted.",
      .next = kNextRetryQueue, .next_kind = N::RetryLater, .rfc = "RFC 5321 4.2.3; RFC 3463 X.3.0"}},
    {ReplyId::TooManyHops,
     {.key = "smtp.too_many_hops", .code = 554, .enhanced = "5.4.6", .text = "Error: too many hops",
      .meaning = "The message already carries too many Received: header lines: it is going round in a "
                 "mail loop (two servers forwarding to each other), so it is stopped.",
      .next = "Bounce to the sender; the administrator fixes the routing loop.", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 6.3; RFC 3463 X.4.6"}},
    {ReplyId::MessageTooBig,
     {.key = "smtp.message_too_big", .code = 552, .enhanced = "5.3.4", .text = "Error: message file too big",
      .meaning = "The message turned out larger than the server's size limit; it was thrown away.",
      .next = "Bounce to the sender: the message is too big for this server.", .next_kind = N::GiveUp,
      .rfc = "RFC 5321 4.5.3.1.10; RFC 1870"}},
    {ReplyId::BareNewlineInData,
     {.key = "smtp.bare_newline_data", .code = 550, .enhanced = "5.5.2",
      .text = "Error: bare <LF> or <CR> received; message discarded",
      .meaning = "The message held a line feed or carriage return that was not part of a <CR><LF> pair. "
                 "Such bytes are how SMTP smuggling hides a second message inside the first, so the "
                 "server refuses the whole message (Postfix smtpd_forbid_bare_newline = reject).",
      .next = "Fix the client to send <CR><LF> line ends; a relaying MTA bounces the message.",
      .next_kind = N::GiveUp, .rfc = "RFC 5321 2.3.8, 4.1.1.4"}},
    {ReplyId::MessageRejected,
     {.key = "smtp.message_rejected", .code = 554, .enhanced = "5.7.1", .text = "Error: message content rejected",
      .meaning = "The server refused the message after reading it (content filter, spam, virus).",
      .next = "Bounce to the sender.", .next_kind = N::GiveUp, .rfc = "RFC 5321 4.2.3; RFC 3463 X.7.1"}},
};

constexpr std::size_t kCount = sizeof(kRows) / sizeof(kRows[0]);
static_assert(kCount == static_cast<std::size_t>(ReplyId::Count), "one row per ReplyId");

// rows_in_order - every row sits at the index of its id.
constexpr bool rows_in_order() {
  for (std::size_t i = 0; i < kCount; ++i)
    if (static_cast<std::size_t>(kRows[i].id) != i) return false;
  return true;
}
static_assert(rows_in_order(), "kRows must list the ReplyIds in enum order");

constexpr std::array<ReplyEntry, kCount> kEntries = [] {
  std::array<ReplyEntry, kCount> a{};
  for (std::size_t i = 0; i < kCount; ++i) a[i] = kRows[i].e;
  return a;
}();

}  // namespace

// smtp_catalog_entries - the SMTP table.
std::span<const ReplyEntry> smtp_catalog_entries() { return {kEntries.data(), kEntries.size()}; }

// smtp_reply - the entry for an id.
const ReplyEntry& smtp_reply(ReplyId id) { return kEntries[static_cast<std::size_t>(id)]; }

// Catalog::smtp - the SMTP table alone.
Catalog Catalog::smtp() {
  Catalog c;
  c.add(smtp_catalog_entries());
  return c;
}

}  // namespace smtpsim::smtp
