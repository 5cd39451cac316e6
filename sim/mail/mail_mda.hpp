// mail_mda.hpp - local delivery: an MTA hands the MDA (envelope sender, recipient, message) and
// the MDA puts the message in the recipient's mailbox, or says in SMTP terms why not.
//
// What the MDA does, in order (as Postfix local(8) / Dovecot LDA do):
//  1. look the recipient up in the Directory (case folding, plus-addressing, aliases, postmaster):
//     unknown user 550 5.1.1, domain not local 550 5.1.2, not an address 501 5.1.3;
//  2. refuse a message bigger than max_message_bytes: 552 5.3.4;
//  3. loop check: a Delivered-To: header naming this recipient already -> 554 5.4.6;
//  4. prepend "Return-Path: <sender>" (RFC 5321 4.4, final delivery) and "Delivered-To: rcpt";
//  5. store it: over quota 552 5.2.2 (or 452 4.2.2 when quota is a temporary condition by policy),
//     store unavailable 451 4.3.0, store cannot keep it 554 5.3.0; otherwise 250 2.0.0 + the UID.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/mail/mail_directory.hpp"
#include "sim/mail/mail_mailbox.hpp"

namespace smtpsim::mail {

enum class DeliveryStatus : unsigned char {
  Delivered,
  BadAddress,     // 501 5.1.3
  UnknownUser,    // 550 5.1.1
  UnknownDomain,  // 550 5.1.2
  TooBig,         // 552 5.3.4
  Loop,           // 554 5.4.6 (Delivered-To already present, or an alias loop)
  OverQuota,      // 552 5.2.2 or 452 4.2.2
  TempFailure,    // 451 4.3.0
  PermFailure,    // 554 5.3.0
};
const char* to_string(DeliveryStatus s);

// DeliveryResult - the outcome as an SMTP reply, plus where the message went.
struct DeliveryResult {
  DeliveryStatus status = DeliveryStatus::Delivered;
  int code = 250;                  // SMTP reply code
  std::string enhanced = "2.0.0";  // RFC 3463 status code
  std::string text;                // reply text after the codes
  std::string mailbox;             // the mailbox delivered to (or that refused)
  std::string id;                  // the stored message's UID (POP3 UIDL) when delivered
  std::string rcpt;                // the canonical recipient address

  bool ok() const { return status == DeliveryStatus::Delivered; }
  bool temporary() const { return code / 100 == 4; }
  bool permanent() const { return code / 100 == 5; }
  // reply - the whole SMTP reply line without CRLF: "550 5.1.1 <x@b.example>: ...".
  std::string reply() const;
};

// MdaConfig - delivery policy.
struct MdaConfig {
  bool quota_is_permanent = true;       // over quota: 552 5.2.2 (true) or 452 4.2.2 (false)
  std::uint64_t max_message_bytes = 0;  // 0 = no limit; counted after the MDA's own headers
  bool add_return_path = true;
  bool add_delivered_to = true;
  bool detect_loops = true;             // refuse when Delivered-To: <rcpt> is already there
};

class Mda {
 public:
  // Mda - delivers into store for the users of directory (both must outlive it).
  Mda(const Directory& directory, MailboxStore& store, MdaConfig cfg = {});

  // check - the answer a RCPT TO for rcpt would get, without delivering anything.
  DeliveryResult check(std::string_view rcpt) const;
  // accepts - whether check(rcpt) would say 250, without building its reply.
  bool accepts(std::string_view rcpt) const;
  // deliver - deliver one copy of raw (any line ends) to rcpt; sender "" means the null sender <>.
  DeliveryResult deliver(std::string_view sender, std::string_view rcpt, std::string_view raw);

  // trace_headers - the lines deliver() prepends, each ending in CRLF.
  std::string trace_headers(std::string_view sender, std::string_view rcpt) const;
  // append_trace_headers - the same lines appended to out.
  void append_trace_headers(std::string& out, std::string_view sender, std::string_view rcpt) const;

  const MdaConfig& config() const { return cfg_; }
  void set_config(const MdaConfig& cfg) { cfg_ = cfg; }

 private:
  const Directory& dir_;
  MailboxStore& store_;
  MdaConfig cfg_;
};

// has_delivered_to - whether the header section of message has "Delivered-To: addr" (any case).
bool has_delivered_to(std::string_view message, std::string_view addr);

}  // namespace smtpsim::mail
