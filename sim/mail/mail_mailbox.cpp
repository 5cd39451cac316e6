// mail_mailbox.cpp - the common mailbox-store logic (canonical form, UIDs, locks, quotas, faults)
// and the in-memory backend.
#include "sim/mail/mail_mailbox.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "sim/core/rng.hpp"

namespace smtpsim::mail {

// to_string - stable names for store statuses.
const char* to_string(StoreStatus s) {
  switch (s) {
    case StoreStatus::Ok: return "ok";
    case StoreStatus::InvalidName: return "invalid mailbox name";
    case StoreStatus::OverQuota: return "over quota";
    case StoreStatus::NotFound: return "not found";
    case StoreStatus::TempFailure: return "temporary failure";
    case StoreStatus::PermFailure: return "permanent failure";
  }
  return "?";
}

namespace {
// crlf_only - every line end in raw is CRLF (mail that crossed SMTP): jump from LF to LF.
bool crlf_only(std::string_view raw) {
  for (std::size_t pos = 0; pos < raw.size();) {
    const void* lf = std::memchr(raw.data() + pos, '\n', raw.size() - pos);
    const std::size_t end = lf ? std::size_t(static_cast<const char*>(lf) - raw.data()) : raw.size();
    const void* cr = std::memchr(raw.data() + pos, '\r', end - pos);
    if ((lf && (cr == nullptr || static_cast<const char*>(cr) != raw.data() + end - 1)) || (!lf && cr)) return false;
    pos = end + 1;
  }
  return true;
}
}  // namespace

// to_canonical_crlf - canonical_crlf without a copy for text that has CRLF line ends only.
std::string to_canonical_crlf(std::string raw) {
  if (!crlf_only(raw)) return canonical_crlf(raw);
  if (!raw.empty() && raw.back() != '\n') raw.append("\r\n");
  return raw;
}

// canonical_crlf - normalise every line end to CRLF and end a non-empty text with CRLF.
std::string canonical_crlf(std::string_view raw) {
  if (crlf_only(raw)) {
    std::string out(raw);
    if (!out.empty() && out.back() != '\n') out.append("\r\n");
    return out;
  }
  std::string out;
  out.reserve(raw.size() + raw.size() / 32 + 2);
  const char* p = raw.data();
  const std::size_t n = raw.size();
  std::size_t run = 0;  // start of the pending run of ordinary bytes
  for (std::size_t i = 0; i < n; ++i) {
    const char c = p[i];
    if (c != '\r' && c != '\n') continue;
    out.append(p + run, i - run);
    out.append("\r\n");
    if (c == '\r' && i + 1 < n && p[i + 1] == '\n') ++i;
    run = i + 1;
  }
  out.append(p + run, n - run);
  if (!out.empty() && (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0)) out.append("\r\n");
  return out;
}

// valid_mailbox_name - printable ASCII without '/', '\\', ':' or a leading '.', at most 255 octets.
bool valid_mailbox_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '.') return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7F || c == '/' || c == '\\' || c == ':') return false;
  }
  return true;
}

// valid_uidl - 1-70 characters in 0x21-0x7E (RFC 1939 section 7).
bool valid_uidl(std::string_view uid) {
  if (uid.empty() || uid.size() > 70) return false;
  return std::all_of(uid.begin(), uid.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x21 && c <= 0x7E;
  });
}

// make_uid - "<counter>.<16 hex digits of the message's hash>": unique by the counter, recognisable
// by the hash.
std::string make_uid(std::uint64_t counter, std::string_view canonical) {
  char buf[48];  // up to 20 decimal digits, '.', 16 hex digits
  char* end = buf + sizeof buf;
  char* p = end;
  for (std::uint64_t h = hash_bytes(canonical), i = 0; i < 16; ++i, h >>= 4) *--p = "0123456789abcdef"[h & 0xF];
  *--p = '.';
  do {
    *--p = char('0' + counter % 10);
    counter /= 10;
  } while (counter != 0);
  return std::string(p, end);
}

// deliver - validate, apply faults and quota, then hand the canonical bytes to the backend.
StoreResult MailboxStore::deliver(std::string_view mailbox, std::string_view raw) {
  if (!valid_mailbox_name(mailbox)) {
    return {StoreStatus::InvalidName, "", "invalid mailbox name \"" + std::string(mailbox.substr(0, 64)) + "\""};
  }
  if (unavailable(mailbox)) return {StoreStatus::TempFailure, "", "mailbox temporarily unavailable"};
  return store_canonical(mailbox, canonical_crlf(raw));
}

// deliver_owned - deliver() for bytes the caller gives away: canonical text is stored uncopied.
StoreResult MailboxStore::deliver_owned(std::string_view mailbox, std::string raw) {
  if (!valid_mailbox_name(mailbox)) {
    return {StoreStatus::InvalidName, "", "invalid mailbox name \"" + std::string(mailbox.substr(0, 64)) + "\""};
  }
  if (unavailable(mailbox)) return {StoreStatus::TempFailure, "", "mailbox temporarily unavailable"};
  return store_canonical(mailbox, to_canonical_crlf(std::move(raw)));
}

// store_canonical - check the quota, then hand the canonical bytes to the backend.
StoreResult MailboxStore::store_canonical(std::string_view mailbox, std::string canonical) {
  const Quota q = quota(mailbox);
  if (q.max_bytes != 0 || q.max_messages != 0) {
    const Usage u = usage(mailbox);
    if (q.max_messages != 0 && u.messages + 1 > q.max_messages) {
      return {StoreStatus::OverQuota, "",
              "message count quota exceeded (" + std::to_string(u.messages) + " of " +
                  std::to_string(q.max_messages) + " messages)"};
    }
    if (q.max_bytes != 0 && u.bytes + canonical.size() > q.max_bytes) {
      return {StoreStatus::OverQuota, "",
              "byte quota exceeded (" + std::to_string(u.bytes) + " + " + std::to_string(canonical.size()) +
                  " > " + std::to_string(q.max_bytes) + " octets)"};
    }
  }
  return store_message(mailbox, std::move(canonical));
}

// usage - sum the listing.
Usage MailboxStore::usage(std::string_view mailbox) const {
  Usage u;
  for (const auto& m : list(mailbox).messages) {
    u.bytes += m.size;
    ++u.messages;
  }
  return u;
}

// lock - take the mailbox for one session.
std::optional<LockToken> MailboxStore::lock(std::string_view mailbox) {
  if (locks_.find(mailbox) != locks_.end()) return std::nullopt;
  LockToken t = next_token_++;
  locks_.emplace(std::string(mailbox), t);
  on_lock(mailbox);
  return t;
}

// unlock - release the session's lock.
bool MailboxStore::unlock(std::string_view mailbox, LockToken token) {
  auto it = locks_.find(mailbox);
  if (it == locks_.end() || it->second != token) return false;
  locks_.erase(it);
  return true;
}

// is_locked - a session holds the mailbox.
bool MailboxStore::is_locked(std::string_view mailbox) const { return locks_.find(mailbox) != locks_.end(); }

// set_quota - limits for one mailbox.
void MailboxStore::set_quota(std::string_view mailbox, Quota q) {
  auto it = quotas_.find(mailbox);
  if (it != quotas_.end()) it->second = q;
  else quotas_.emplace(std::string(mailbox), q);
}

// quota - the mailbox's own limits, else the default.
Quota MailboxStore::quota(std::string_view mailbox) const {
  auto it = quotas_.find(mailbox);
  return it != quotas_.end() ? it->second : default_quota_;
}

// set_unavailable - switch the lesson fault on or off.
void MailboxStore::set_unavailable(std::string_view mailbox, bool on) {
  auto it = unavailable_.find(mailbox);
  if (on && it == unavailable_.end()) unavailable_.emplace(mailbox);
  if (!on && it != unavailable_.end()) unavailable_.erase(it);
}

// unavailable - the fault is on for this mailbox or for all.
bool MailboxStore::unavailable(std::string_view mailbox) const {
  return unavailable_.count(std::string_view{}) != 0 || unavailable_.find(mailbox) != unavailable_.end();
}

// MemoryStore::store_message - append under the next counter value.
StoreResult MemoryStore::store_message(std::string_view mailbox, std::string canonical) {
  auto it = boxes_.find(mailbox);
  if (it == boxes_.end()) it = boxes_.emplace(std::string(mailbox), Box{}).first;
  Box& box = it->second;
  std::string uid = make_uid(++box.counter, canonical);
  box.bytes += canonical.size();
  box.messages.push_back({box.counter, uid, std::make_shared<const std::string>(std::move(canonical))});
  return {StoreStatus::Ok, std::move(uid), ""};
}

// MemoryStore::list - UIDs and sizes in delivery order.
ListResult MemoryStore::list(std::string_view mailbox) const {
  ListResult r;
  if (unavailable(mailbox)) {
    r.status = StoreStatus::TempFailure;
    r.detail = "mailbox temporarily unavailable";
    return r;
  }
  auto it = boxes_.find(mailbox);
  if (it == boxes_.end()) return r;
  r.messages.reserve(it->second.messages.size());
  for (const auto& m : it->second.messages) r.messages.push_back({m.uid, m.bytes->size()});
  return r;
}

// MemoryStore::find - binary search on the UID's counter, then one string comparison.
const MemoryStore::Stored* MemoryStore::find(const std::vector<Stored>& msgs, std::string_view uid) {
  std::uint64_t counter = 0;
  std::size_t i = 0;
  for (; i < uid.size() && i < 20 && uid[i] >= '0' && uid[i] <= '9'; ++i) counter = counter * 10 + std::uint64_t(uid[i] - '0');
  if (i == 0 || i >= uid.size() || uid[i] != '.') return nullptr;
  auto it = std::lower_bound(msgs.begin(), msgs.end(), counter,
                             [](const Stored& s, std::uint64_t c) { return s.counter < c; });
  if (it == msgs.end() || it->counter != counter || it->uid != uid) return nullptr;
  return &*it;
}

// MemoryStore::read - shared, immutable bytes of one message.
MessagePtr MemoryStore::read(std::string_view mailbox, std::string_view uid) const {
  auto it = boxes_.find(mailbox);
  if (it == boxes_.end()) return nullptr;
  const Stored* m = find(it->second.messages, uid);
  return m == nullptr ? nullptr : m->bytes;
}

// MemoryStore::remove - erase one message.
StoreResult MemoryStore::remove(std::string_view mailbox, std::string_view uid) {
  auto it = boxes_.find(mailbox);
  if (it != boxes_.end()) {
    auto& msgs = it->second.messages;
    if (const Stored* m = find(msgs, uid)) {
      it->second.bytes -= m->bytes->size();
      msgs.erase(msgs.begin() + (m - msgs.data()));
      return {StoreStatus::Ok, std::string(uid), ""};
    }
  }
  return {StoreStatus::NotFound, "", "no message " + std::string(uid.substr(0, 70))};
}

// MemoryStore::mailboxes - every mailbox delivered to so far.
std::vector<std::string> MemoryStore::mailboxes() const {
  std::vector<std::string> out;
  for (const auto& [name, box] : boxes_) out.push_back(name);
  return out;
}

// MemoryStore::usage - kept as a running total.
Usage MemoryStore::usage(std::string_view mailbox) const {
  auto it = boxes_.find(mailbox);
  if (it == boxes_.end()) return {};
  return {it->second.bytes, it->second.messages.size()};
}

}  // namespace smtpsim::mail
