// mail_received.hpp - trace header fields: Received (build and parse back), Return-Path, Delivered-To.
//
// The Received line follows RFC 5321 4.4 / RFC 5322 3.6.7 in Postfix' layout:
//   Received: from <helo> (<reverse-dns or "unknown"> [<ip>])
//   \t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))      <- only under TLS
//   \t(Authenticated sender: alice)                                         <- only when asked
//   \tby <host> (smtpsim) with ESMTPS id <queue id>
//   \tfor <rcpt>; <date>                                                    <- "for" only with 1 rcpt
// and without a "for" clause the date goes on its own line:  "... id <queue id>;\r\n\t<date>".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/mail_address.hpp"
#include "sim/mail/mail_message.hpp"

namespace smtpsim::mail {

// with_protocol - the RFC 3848 "with" keyword: SMTP (HELO), ESMTP, ESMTPS (TLS), ESMTPA (AUTH),
// ESMTPSA (both); LMTP variants when lmtp is set.
std::string with_protocol(bool esmtp, bool tls, bool authenticated, bool lmtp = false);

// ReceivedFields - what the receiving server knows when it accepts a message.
struct ReceivedFields {
  std::string helo;          // the EHLO/HELO argument as the client gave it ("" -> reverse DNS name)
  std::string client_rdns;   // the client's verified reverse DNS name ("" -> "unknown")
  std::string client_ip;     // "192.0.2.10" or "2001:db8::10" (printed as "IPv6:2001:db8::10")
  std::string by;            // this server's host name
  std::string software = "smtpsim";  // the comment after "by <host>"
  std::string with;          // with_protocol(...)
  std::string id;            // this server's queue id
  std::vector<std::string> recipients;  // the envelope recipients; "for" only when exactly one
  std::string tls_version;   // "TLSv1.3" (empty: no TLS comment)
  std::string tls_cipher;    // "TLS_AES_256_GCM_SHA384"
  int tls_bits = 0;          // 256 -> "(256/256 bits)"; 0 leaves it out
  std::string auth_user;     // non-empty: "(Authenticated sender: <user>)" (Postfix
                             // smtpd_sasl_authenticated_header)
  std::string date;          // RFC 5322 date text
};

// received_header - the folded "Received:" field (name included, ends CRLF). Client-supplied
// text (HELO name, user) is made safe: characters outside printable ASCII, parentheses, backslash
// and angle brackets become '?', so it cannot break the comment structure.
Header received_header(const ReceivedFields& f);
// received_value - the same field's value (after "Received:"), with its CRLF+TAB folds.
std::string received_value(const ReceivedFields& f);
// append_received_field - the same field's exact bytes ("Received: ...\r\n") appended to out:
// the spool puts it in front of a message without parsing the message.
void append_received_field(std::string& out, const ReceivedFields& f);

// return_path_header - "Return-Path: <alice@a.example>" ("<>" for a bounce), added at final delivery.
Header return_path_header(const Address& reverse_path);
// delivered_to_header - "Delivered-To: bob@b.example" (Postfix' local delivery loop marker).
Header delivered_to_header(const Address& recipient);

// ReceivedHop - one Received field read back. Works on any MTA's Received lines, not only ours:
// missing clauses stay empty.
struct ReceivedHop {
  std::string from;        // "from" clause: the name the client gave (HELO)
  std::string from_rdns;   // from the TCP-info comment: reverse DNS name ("unknown" as written)
  std::string from_ip;     // from the TCP-info comment, without "IPv6:"
  std::string by;          // the receiving host
  std::string via;
  std::string with;        // ESMTP, ESMTPS, ...
  std::string id;          // the receiving host's queue id
  std::string for_rcpt;    // without angle brackets
  std::string tls;         // "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"
  std::string auth_user;   // from "(Authenticated sender: x)"
  std::string date;        // the date text after ';'
  std::optional<std::int64_t> unix_time;  // parsed date (UTC seconds)
  std::vector<std::string> comments;      // every comment, in order, without parentheses
};

// parse_received - one Received value (unfolded or folded). Never fails; unknown parts are kept
// in comments or ignored.
ReceivedHop parse_received(std::string_view value);
// parse_received_chain - every Received field of a message, first hop (bottom-most field) first,
// last hop (top-most, the final server) last.
std::vector<ReceivedHop> parse_received_chain(const Message& m);

}  // namespace smtpsim::mail
