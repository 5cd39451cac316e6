// smtp_greylist.hpp - greylisting memory (RFC 6647; postgrey's defaults): the first delivery
// attempt for a (client address, sender, recipient) triplet is refused with 451 4.7.1; a retry
// after `delay` and within `retry_window` passes, and the triplet then passes for `pass_lifetime`.
// Keyed by virtual time; owned by a server role so it outlives single connections.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace smtpsim::smtp {

// GreylistConfig - postgrey: --delay=300, retry window 2 days, --max-age=35 days.
struct GreylistConfig {
  Duration delay = minutes(5);
  Duration retry_window = days(2);
  Duration pass_lifetime = days(35);
};

class Greylist {
 public:
  // Verdict - the answer for one RCPT.
  struct Verdict {
    bool pass = false;
    Duration wait = 0;        // when !pass: how long until a retry is accepted (>= 0)
    bool first_seen = false;  // this attempt created the entry
  };

  explicit Greylist(std::size_t max_entries = 100000) : max_entries_(max_entries) {}

  // check - record an attempt at `now` and decide. Addresses compare case-insensitively.
  Verdict check(std::string_view client_ip, std::string_view sender, std::string_view recipient,
                SimTime now, const GreylistConfig& cfg);

  std::size_t size() const { return entries_.size(); }
  void clear() { entries_.clear(); }

 private:
  struct Entry {
    SimTime first = 0;   // first refused attempt
    SimTime last = 0;    // latest attempt
    bool passed = false;
  };
  // prune - drop entries that expired by `now`.
  void prune(SimTime now, const GreylistConfig& cfg);

  std::map<std::string, Entry> entries_;
  std::size_t max_entries_;
};

}  // namespace smtpsim::smtp
