// playback_capture.hpp - the message inspector's opt-in capture: every message as it entered an
// MTA's spool (what the client sent on that hop, plaintext as the endpoints see it, and the
// stored copy with the receiver's Received field on top), tied to the connection that carried it
// so the inspector can put the wire bytes (ciphertext under TLS) beside it. Playback attaches it
// only when the inspector asks (Requests::capture); a run without it keeps no bytes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim {
class World;
namespace scenario { struct BuiltWorld; }
}  // namespace smtpsim

namespace smtpsim::viz {

// CapturedHop - one message entering one spool.
struct CapturedHop {
  SimTime t_us = 0;
  std::string host;                // the receiver (whose spool)
  std::string from;                // the client's name as the receiver saw it ("" = made here: a DSN)
  std::uint64_t conn = 0;          // the connection it came on (0 = made here)
  std::string qid, msgid, sender;  // queue id at host, Message-ID, envelope MAIL FROM ("" = null path)
  std::vector<std::string> rcpts;  // envelope RCPT TO
  std::string received;            // the bytes the client sent after DATA (dot-unstuffed; "" = made here)
  std::string stored;              // the spooled copy: host's Received field on top
  bool tls = false;                // the hop ran under TLS
  std::string tls_detail;          // "TLSv1.3 TLS_AES_256_GCM_SHA384"
  bool dsn = false;                // a delivery status notification
};

// Capture - collects CapturedHops from every MTA of a world.
class Capture {
 public:
  // attach - observe every MTA of b (call before the world starts).
  void attach(scenario::BuiltWorld& b);
  void clear() { hops_.clear(); }
  const std::vector<CapturedHop>& hops() const { return hops_; }

 private:
  std::vector<CapturedHop> hops_;
};

}  // namespace smtpsim::viz
