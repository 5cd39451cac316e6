// trace.hpp - the typed event record of a run: what every exporter, expectation and view reads.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim {

// TraceKind - what happened. Names (to_string) are stable: they appear in JSONL exports.
enum class TraceKind : std::uint8_t {
  HostUp,          // host: came up (start or restart)
  HostDown,        // host: crashed; text: reason
  LinkChange,      // host/peer: the link's ends; code: 1 up, 0 down; text: detail
  ConnOpen,        // host (client) sent SYN to peer; endpoints set
  ConnAccept,      // connection established (host = client, peer = server)
  ConnRefused,     // peer answered RST: nothing listening
  ConnTimeout,     // SYN never answered (host down or unreachable)
  ConnReset,       // host: the side that sees/sends the reset; text: cause
  ConnClose,       // host closed its sending direction (FIN); text: "half" or "full"
  BytesSent,       // host wrote data (the real wire bytes, ciphertext under TLS) towards peer
  BytesDelivered,  // the bytes reached peer (host is still the sender)
  Command,         // host (client) sent one protocol command line (plaintext); text: the line;
                   // rx: the server's copy of a line it received (host = the server)
  Reply,           // host (server) sent one reply line (plaintext); code; text: the line;
                   // answers: seq of the rx command it answers (0 = none: greeting, 421, ...)
  Tls,             // TLS handshake step; text: "start" / "done TLSv1.3 ..." / "failed: ..."
  Queue,           // queue change; host: MTA; msg; rcpt; state (QueueState); text: "qid: state ..."
  Delivery,        // msg delivered to rcpt's mailbox at host
  Bounce,          // DSN generated for msg/rcpt; text: reason
  Fault,           // a fault or behaviour change applied; text: what
  Dns,             // resolver query/answer; text: "MX b.example -> ..."; code: rcode
  Note,            // anything else worth showing (narration step, expectation result)
};

const char* to_string(TraceKind k);

// QueueState - what a queue event says happened to (msg, rcpt) on an MTA. Names are stable (JSONL).
enum class QueueState : std::uint8_t {
  None,       // not a queue event
  Queued,     // accepted into the queue
  Attempt,    // one delivery try at one scheduled time starts (may contact several MX hosts)
  Deferred,   // the try failed temporarily; a next attempt is scheduled
  Sent,       // handed to the next hop (accepted with 250 by another MTA)
  Delivered,  // stored by the MDA (local mailbox)
  Bounced,    // failed permanently; a DSN goes to the sender
  Warned,     // a delay warning DSN was sent; the recipient stays queued
  Expired,    // gave up after the maximum queue lifetime; a DSN goes to the sender
};

const char* to_string(QueueState s);

struct TraceEvent {
  SimTime time = 0;
  TraceKind kind = TraceKind::Note;
  std::string host;          // where it happened (the sender, for bytes / commands / replies)
  std::string peer;          // the other end, when there is one
  std::uint64_t conn = 0;    // connection id, 0 when none
  // Endpoints of conn, from the point of view of `host`: src = host's address and port, dst = peer's.
  // Every connection event (ConnOpen .. ConnClose, BytesSent/Delivered) carries them, so exporters
  // (pcap) can rebuild the TCP flow from the trace alone. IPv4 in host byte order.
  std::uint32_t src_ip = 0;
  std::uint32_t dst_ip = 0;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  int code = 0;              // reply code, DNS rcode, link state
  std::string text;          // human-readable line
  std::string data;          // raw bytes (BytesSent / BytesDelivered)
  std::string msg;           // message id, when about a message
  std::string rcpt;          // recipient, when about one
  // Pairing (Command / Reply): rx marks a command event recorded by the server that received the
  // line; answers is the seq of the rx command a reply answers (0 = answers nothing).
  bool rx = false;
  std::uint64_t answers = 0;
  // Queue events: the state, the attempt number (1.., 0 = none), the next attempt and the give-up
  // deadline in virtual microseconds (-1 = none).
  QueueState state = QueueState::None;
  int attempt = 0;
  SimTime next_attempt_us = -1;
  SimTime give_up_us = -1;
  // seq - position of the event in its trace (0-based), set by Trace; not part of the hash.
  std::uint64_t seq = 0;
};

// TraceView - the fields of one event as views into the caller's strings. Trace::emit_view hashes
// it exactly as the equal TraceEvent and builds a TraceEvent only when one is kept or watched, so
// headless runs (recording off, no subscribers) copy no names or payloads per event.
struct TraceView {
  SimTime time = 0;
  TraceKind kind = TraceKind::Note;
  std::string_view host;
  std::string_view peer;
  std::uint64_t conn = 0;
  std::uint32_t src_ip = 0;
  std::uint32_t dst_ip = 0;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  int code = 0;
  std::string_view text;
  std::string_view data;
  std::string_view msg;
  std::string_view rcpt;
  bool rx = false;
  std::uint64_t answers = 0;
  QueueState state = QueueState::None;
  int attempt = 0;
  SimTime next_attempt_us = -1;
  SimTime give_up_us = -1;
  // event - the same fields as an owning TraceEvent.
  TraceEvent event() const;
  // of - a view of e's fields (valid while e is).
  static TraceView of(const TraceEvent& e);
};

// Trace - collects events in order, keeps a stable hash of them, and notifies subscribers.
class Trace {
 public:
  using Subscriber = std::function<void(const TraceEvent&)>;

  // emit - append one event (its time is the caller's virtual now).
  void emit(TraceEvent e);
  // emit_view - emit the event v describes (see TraceView).
  void emit_view(const TraceView& v);
  // subscribe - call fn for every later event; returns a handle for unsubscribe.
  std::size_t subscribe(Subscriber fn);
  void unsubscribe(std::size_t handle);

  // set_recording - keep events in memory (default on); the hash is kept either way.
  void set_recording(bool on) { recording_ = on; }
  bool recording() const { return recording_; }
  // set_keep_bytes - keep BytesSent/BytesDelivered data in stored events (default on).
  void set_keep_bytes(bool on) { keep_bytes_ = on; }

  const std::vector<TraceEvent>& events() const { return events_; }
  // count - events emitted so far; also the seq the next event gets.
  std::uint64_t count() const { return count_; }
  // hash - a 64-bit multiply-xorshift hash over every field of every event, in order: equal
  // hashes mean identical runs.
  std::uint64_t hash() const { return hash_; }
  // hash_hex - the hash as 16 hex digits.
  std::string hash_hex() const;

 private:
  void hash_event(const TraceView& v);
  void publish(TraceEvent e, std::uint64_t seq);
  std::vector<TraceEvent> events_;
  std::vector<std::pair<std::size_t, Subscriber>> subs_;
  std::vector<std::pair<std::size_t, Subscriber>> added_;  // subscribed while emitting
  std::vector<std::size_t> removed_;                       // unsubscribed while emitting
  int emitting_ = 0;
  std::size_t next_handle_ = 1;
  std::uint64_t count_ = 0;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  bool recording_ = true;
  bool keep_bytes_ = true;
};

// ipv4_to_string / parse_ipv4 - dotted quad text for a host-order address.
std::string ipv4_to_string(std::uint32_t ip);
bool parse_ipv4(std::string_view text, std::uint32_t& out);

}  // namespace smtpsim
