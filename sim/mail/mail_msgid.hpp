// mail_msgid.hpp - Message-IDs and queue ids: unique per host, deterministic for (seed, host, time).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"
#include "sim/mail/mail_date.hpp"

namespace smtpsim::mail {

// IdGenerator - one per host. Uniqueness does not rest on luck: a per-host counter is part of
// every id; the Rng only makes ids of different hosts and runs look different.
class IdGenerator {
 public:
  // IdGenerator - `host` is the FQDN used on the right of Message-IDs; `rng` should be a stream
  // derived for this purpose, e.g. world_rng.derive("ids/" + host).
  IdGenerator(std::string host, Rng rng);

  // message_id - "<20260302091500.01A2B3@out1.fra.a.example>": local date-time of `now` on
  // `clock`, then the counter (2+ hex digits) and 4 random hex digits.
  std::string message_id(SimTime now, const MailClock& clock);
  // queue_id - Postfix "short" style, 10 upper-case hex digits: 5 from the microseconds of `now`
  // (as Postfix uses the microsecond clock), 5 from the counter scrambled by a per-host salt;
  // longer once more than 2^20 ids were made, never repeated by this generator.
  std::string queue_id(SimTime now);

  const std::string& host() const { return host_; }
  std::uint64_t messages_made() const { return msg_counter_; }
  std::uint64_t queue_ids_made() const { return queue_counter_; }

 private:
  std::string host_;
  Rng rng_;
  std::uint64_t salt_;
  std::uint64_t msg_counter_ = 0;
  std::uint64_t queue_counter_ = 0;
};

}  // namespace smtpsim::mail
