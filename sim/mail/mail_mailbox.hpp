// mail_mailbox.hpp - the mailbox store: what the MDA delivers into and the POP3 server reads from.
//
// A store holds one mailbox per name (the directory maps addresses and logins to names). Every
// message is kept in canonical form: CRLF line ends, ending in CRLF, so its size is exactly the
// number of octets POP3 announces. Each message has a UID that is its POP3 UIDL: 1-70 characters
// 0x21-0x7E, stable across sessions and never derived from a clock (a per-mailbox counter plus the
// message's hash_bytes digest). Locks (one POP3 session per mailbox), quotas and lesson faults are
// kept here, common to every backend; the backends (MemoryStore below, MaildirStore in
// mail_maildir.hpp) only store, list, read and remove.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::mail {

// StoreStatus - the outcome of a store operation.
enum class StoreStatus : unsigned char {
  Ok,
  InvalidName,   // the mailbox name cannot be stored (empty, '/', control characters, "..")
  OverQuota,     // delivery would exceed the mailbox's byte or message quota
  NotFound,      // no such message (or mailbox) to read/remove
  TempFailure,   // temporarily unavailable (lesson fault, transient I/O error): try again later
  PermFailure,   // permanent failure (the backend cannot store this at all)
};
const char* to_string(StoreStatus s);

// StoreResult - status plus the stored message's UID (deliver) and a human-readable detail.
struct StoreResult {
  StoreStatus status = StoreStatus::Ok;
  std::string id;
  std::string detail;
  bool ok() const { return status == StoreStatus::Ok; }
};

// MessageInfo - one message in a listing: its UID and its size in octets (CRLF line ends).
struct MessageInfo {
  std::string uid;
  std::uint64_t size = 0;
};

// ListResult - a mailbox listing in delivery order (empty, status Ok, for a mailbox never used).
struct ListResult {
  StoreStatus status = StoreStatus::Ok;
  std::vector<MessageInfo> messages;
  std::string detail;
  bool ok() const { return status == StoreStatus::Ok; }
};

// Quota - per-mailbox limits; 0 means unlimited.
struct Quota {
  std::uint64_t max_bytes = 0;
  std::uint64_t max_messages = 0;
};

// Usage - what a mailbox currently holds.
struct Usage {
  std::uint64_t bytes = 0;
  std::uint64_t messages = 0;
};

using MessagePtr = std::shared_ptr<const std::string>;
using LockToken = std::uint64_t;

// canonical_crlf - raw bytes with every line end (CRLF, bare LF, bare CR) made CRLF, and a final
// CRLF added to a non-empty text that lacks one. Idempotent.
std::string canonical_crlf(std::string_view raw);
// to_canonical_crlf - the same for a string the caller gives away: already canonical text is
// returned as it is (plus the final CRLF it may lack), without a copy.
std::string to_canonical_crlf(std::string raw);

// valid_mailbox_name - true if name can be a mailbox in every backend (also a directory name).
bool valid_mailbox_name(std::string_view name);

// valid_uidl - true if uid is a legal POP3 unique-id: 1-70 characters in 0x21-0x7E.
bool valid_uidl(std::string_view uid);

// make_uid - the deterministic UID of the n-th message delivered to a mailbox: "<n>.<hash16hex>".
std::string make_uid(std::uint64_t counter, std::string_view canonical);

class MailboxStore {
 public:
  virtual ~MailboxStore() = default;

  // deliver - store raw bytes (any line ends; stored canonical) in mailbox, creating it on first
  // use. Checks the name, lesson faults and the quota first. Returns the new message's UID in id.
  StoreResult deliver(std::string_view mailbox, std::string_view raw);
  // deliver_owned - the same for bytes the caller gives away (no copy when they are canonical).
  StoreResult deliver_owned(std::string_view mailbox, std::string raw);

  // list - the mailbox's messages in delivery order.
  virtual ListResult list(std::string_view mailbox) const = 0;
  // read - the message's canonical bytes; nullptr if there is no such message.
  virtual MessagePtr read(std::string_view mailbox, std::string_view uid) const = 0;
  // remove - delete one message for good.
  virtual StoreResult remove(std::string_view mailbox, std::string_view uid) = 0;
  // mailboxes - names of the mailboxes that exist, sorted.
  virtual std::vector<std::string> mailboxes() const = 0;
  // usage - bytes and messages held (the default sums list()).
  virtual Usage usage(std::string_view mailbox) const;

  // lock - exclusive access for one POP3 session; nullopt if another session holds it.
  std::optional<LockToken> lock(std::string_view mailbox);
  // unlock - release a lock taken with lock(); false if token does not hold it.
  bool unlock(std::string_view mailbox, LockToken token);
  // is_locked - whether a session holds the mailbox now.
  bool is_locked(std::string_view mailbox) const;

  // set_quota / set_default_quota / quota - limits for one mailbox, or for all without their own.
  void set_quota(std::string_view mailbox, Quota q);
  void set_default_quota(Quota q) { default_quota_ = q; }
  Quota quota(std::string_view mailbox) const;

  // set_unavailable - lesson fault: deliver and list answer TempFailure for this mailbox ("" = all).
  void set_unavailable(std::string_view mailbox, bool on);
  // unavailable - whether the fault is active for mailbox.
  bool unavailable(std::string_view mailbox) const;

 protected:
  // store_message - keep canonical bytes under a new UID; returns the UID in id.
  virtual StoreResult store_message(std::string_view mailbox, std::string canonical) = 0;
  // on_lock - a session just locked the mailbox (Maildir moves new/ to cur/ here).
  virtual void on_lock(std::string_view /*mailbox*/) {}

 private:
  // store_canonical - check the quota, then store (deliver's last step).
  StoreResult store_canonical(std::string_view mailbox, std::string canonical);
  std::map<std::string, LockToken, std::less<>> locks_;
  std::map<std::string, Quota, std::less<>> quotas_;
  std::set<std::string, std::less<>> unavailable_;
  Quota default_quota_;
  LockToken next_token_ = 1;
};

// MemoryStore - mailboxes kept in memory (the default for simulations).
class MemoryStore final : public MailboxStore {
 public:
  ListResult list(std::string_view mailbox) const override;
  MessagePtr read(std::string_view mailbox, std::string_view uid) const override;
  StoreResult remove(std::string_view mailbox, std::string_view uid) override;
  std::vector<std::string> mailboxes() const override;
  Usage usage(std::string_view mailbox) const override;

 protected:
  StoreResult store_message(std::string_view mailbox, std::string canonical) override;

 private:
  struct Stored;
  // find - the stored message with this UID, or null.
  static const Stored* find(const std::vector<Stored>& msgs, std::string_view uid);
  struct Stored {
    std::uint64_t counter;  // the UID's leading number: ascending in delivery order
    std::string uid;
    MessagePtr bytes;
  };
  struct Box {
    std::vector<Stored> messages;  // delivery order, so sorted by counter: found by binary search
    std::uint64_t counter = 0;  // UIDs ever issued: never reused, even after removal
    std::uint64_t bytes = 0;
  };
  std::map<std::string, Box, std::less<>> boxes_;
};

}  // namespace smtpsim::mail
