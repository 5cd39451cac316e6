// world_ledger.hpp - mail conservation: who holds custody of each (message, recipient) and how it ended.
//
// Custody starts when an MTA answers 250 to the end of DATA and passes on when the next hop
// answers 250 (or the MDA stores it, or a DSN replaces it). At the end of a run every accepted
// (message, recipient) must be delivered, bounced (its DSN delivered or queued), or still queued;
// anything else is lost, with its cause. A duplicate is explained only when a sender lost a
// connection after the end of DATA without seeing the 250 (the at-least-once window).
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace smtpsim {

struct LedgerKey {
  std::string msgid;  // the Message-ID header: it survives every hop
  std::string rcpt;   // envelope recipient (lower-cased domain)
  friend bool operator<(const LedgerKey& a, const LedgerKey& b) {
    const int c = a.msgid.compare(b.msgid);  // one pass over the message ids, not two
    return c != 0 ? c < 0 : a.rcpt < b.rcpt;
  }
};

// LedgerRef - a (message, recipient) named by views into the caller's strings: the ledger copies
// them only when the pair is new to it.
struct LedgerRef {
  std::string_view msgid;
  std::string_view rcpt;
  LedgerRef(std::string_view m, std::string_view r) : msgid(m), rcpt(r) {}
  LedgerRef(const LedgerKey& k) : msgid(k.msgid), rcpt(k.rcpt) {}  // NOLINT: a key names itself
};

// LedgerRefHash / LedgerRefEqual - a ref as a hash-map key (the ledger's index by name).
struct LedgerRefHash {
  std::size_t operator()(LedgerRef k) const { return std::size_t(hash_bytes(k.rcpt, hash_bytes(k.msgid) ^ k.msgid.size())); }
};
struct LedgerRefEqual {
  bool operator()(LedgerRef a, LedgerRef b) const { return a.msgid == b.msgid && a.rcpt == b.rcpt; }
};

// LedgerOrder - LedgerKey's order, also between keys and refs (so a lookup copies nothing).
struct LedgerOrder {
  using is_transparent = void;
  bool operator()(LedgerRef a, LedgerRef b) const {
    const int c = a.msgid.compare(b.msgid);  // one pass over the message ids, not two
    return c != 0 ? c < 0 : a.rcpt < b.rcpt;
  }
};

enum class Fate : unsigned char { Delivered, Bounced, Queued, Lost, NotAccepted };
const char* to_string(Fate f);

struct LedgerLine {
  LedgerKey key;
  Fate fate = Fate::NotAccepted;
  int deliveries = 0;                 // > 1 means duplicates
  std::vector<std::string> holders;   // "host:queue_id" still holding it
  std::string cause;                  // for Lost, for duplicates (the uncertain hop), for Bounced (the reason)
  bool is_dsn = false;                // this line is a bounce message itself
  SimTime delivered_at = -1;
  SimTime bounced_at = -1;
};

struct LedgerSummary {
  int messages = 0;      // distinct original messages submitted (not DSNs)
  int recipients = 0;    // (message, recipient) pairs accepted, DSNs excluded
  int delivered = 0, bounced = 0, queued = 0, lost = 0, duplicates = 0, dsn_sent = 0;
  std::vector<LedgerLine> lines;
  std::vector<std::string> problems;  // one sentence per lost or unexplained duplicate
};

// DsnLink - a notification an MTA sent about one (message, recipient).
struct DsnLink {
  LedgerKey original;
  std::string dsn_msgid;   // the DSN's own Message-ID
  std::string to;          // where it goes (the original sender)
  std::string action;      // "failed" / "delayed"
  std::string status;      // "5.1.1"
  std::string host;        // the reporting MTA
  SimTime at = 0;
};

class MailLedger {
 public:
  MailLedger() = default;
  MailLedger(const MailLedger&) = delete;  // index_ points into this ledger's own lines
  MailLedger& operator=(const MailLedger&) = delete;
  // dsn_sent - remember which notification speaks about which recipient (expectations read it).
  void dsn_sent(DsnLink l) { dsns_.push_back(std::move(l)); }
  const std::vector<DsnLink>& dsn_links() const { return dsns_; }

  // submitted - an MUA's submission was answered 250: the message now exists for this recipient.
  void submitted(LedgerRef k, SimTime t);
  // accepted - `host` stored it under queue id `qid` and answered 250: it holds custody.
  void accepted(LedgerRef k, const std::string& host, const std::string& qid, bool dsn);
  // released - `host` no longer holds it (passed on with a 250, delivered, or bounced).
  void released(LedgerRef k, const std::string& host, const std::string& qid);
  // delivered - stored in the recipient's mailbox.
  void delivered(LedgerRef k, const std::string& host, SimTime t);
  // bounced - given up on; a DSN (msgid dsn_msgid) goes back to the sender.
  void bounced(LedgerRef k, const std::string& host, SimTime t, const std::string& reason);
  // dropped - `host` lost its copy (volatile spool at a crash); cause says why.
  void dropped(LedgerRef k, const std::string& host, const std::string& qid, const std::string& cause);
  // uncertain - a sender lost the connection after sending the end of DATA: the peer may have it.
  void uncertain(LedgerRef k, const std::string& from, const std::string& to, SimTime t);

  LedgerSummary summarize() const;
  int custody_count(LedgerRef k) const;

 private:
  // HolderRef - a custody holder "host:queue_id" named by its two parts.
  struct HolderRef {
    std::string_view host, qid;
  };
  // HolderOrder - the order of holder names, also between a name and a HolderRef (no joining).
  struct HolderOrder {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a < b; }
    bool operator()(std::string_view a, HolderRef b) const { return compare_joined(a, b) < 0; }
    bool operator()(HolderRef a, std::string_view b) const { return compare_joined(b, a) > 0; }
  };
  // compare_joined - name compared with "host:qid" as if that were one string (<0, 0, >0).
  static int compare_joined(std::string_view name, HolderRef h);
  struct Entry {
    bool submitted = false;
    bool accepted = false;
    bool is_dsn = false;
    std::multiset<std::string, HolderOrder> holders;  // "host:queue_id"
    int deliveries = 0;
    bool bounced = false;
    std::string bounce_reason;
    std::vector<std::string> drops;
    std::vector<std::string> uncertain;
    SimTime delivered_at = -1, bounced_at = -1;
  };
  // entry - the line for k, made (with copies of its names) on first use.
  Entry& entry(LedgerRef k);
  std::map<LedgerKey, Entry, LedgerOrder> entries_;  // in (message, recipient) order, for the verdict
  // index_ - every line of entries_ by name (views of the map's own key strings, which never move):
  // a lookup is one hash instead of ~17 message-id comparisons down the tree of a big run.
  std::unordered_map<LedgerRef, Entry*, LedgerRefHash, LedgerRefEqual> index_;
  std::vector<DsnLink> dsns_;
};

}  // namespace smtpsim
