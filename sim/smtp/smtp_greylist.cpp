// smtp_greylist.cpp - the greylisting decision and its bounded memory.
#include "sim/smtp/smtp_greylist.hpp"
#include "sim/core/ascii.hpp"

#include <cctype>

namespace smtpsim::smtp {
namespace {

// lower_append - append s in ASCII lower case.
void lower_append(std::string& out, std::string_view s) { append_ascii_lower(out, s); }

}  // namespace

// Greylist::check - refuse the first attempt, accept a retry in the window.
Greylist::Verdict Greylist::check(std::string_view client_ip, std::string_view sender,
                                  std::string_view recipient, SimTime now, const GreylistConfig& cfg) {
  std::string key(client_ip);
  key += '\0';
  lower_append(key, sender);
  key += '\0';
  lower_append(key, recipient);

  Verdict v;
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    Entry& e = it->second;
    bool expired = e.passed ? now - e.last > cfg.pass_lifetime : now - e.first > cfg.retry_window;
    if (!expired) {
      e.last = now;
      if (e.passed || now - e.first >= cfg.delay) {
        e.passed = true;
        v.pass = true;
        return v;
      }
      v.wait = cfg.delay - (now - e.first);
      return v;
    }
    entries_.erase(it);
  }
  if (entries_.size() >= max_entries_) prune(now, cfg);
  v.first_seen = true;
  v.wait = cfg.delay;
  if (entries_.size() < max_entries_) entries_.emplace(std::move(key), Entry{now, now, false});
  return v;
}

// Greylist::prune - forget expired triplets.
void Greylist::prune(SimTime now, const GreylistConfig& cfg) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    bool expired = e.passed ? now - e.last > cfg.pass_lifetime : now - e.first > cfg.retry_window;
    it = expired ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace smtpsim::smtp
