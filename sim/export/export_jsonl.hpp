// export_jsonl.hpp - the JSON Lines event log: one JSON object per trace event, with stable field
// names documented in sim/export/EVENTS.md. Streams from a live Trace or writes a finished one.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/export/export_subscription.hpp"

namespace smtpsim::exporter {

struct JsonlOptions {
  bool bytes_events = true;        // write bytes_sent / bytes_delivered events at all
  bool data = true;                // data_b64 (exact wire bytes) on bytes_sent events
  bool data_on_delivered = false;  // data_b64 on bytes_delivered too (same bytes as the matching send)
  bool flush_each = false;         // flush the stream after every line (for `tail -f`)
};

// event_json - one event as a single-line JSON object (no trailing newline); `seq` is the event's
// 0-based position in its trace. See EVENTS.md for the fields.
std::string event_json(const TraceEvent& e, std::uint64_t seq, const JsonlOptions& opt = {});

// JsonlWriter - writes one line per event to `out` as events are given (write) or emitted by a
// Trace it is attached to. Not copyable or movable (the subscription points at it).
class JsonlWriter {
 public:
  explicit JsonlWriter(std::ostream& out, JsonlOptions opt = {});
  ~JsonlWriter();
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;

  // write - the line for one event (none if filtered out); seq counts every event given, from 0.
  void write(const TraceEvent& e);
  // attach - write every event `trace` emits from now on, seq counting on from trace.count() (the
  // index in the trace; an event a subscriber emits while another is being delivered may reach
  // this writer first and take the lower number). detach - stop. The trace must outlive this.
  void attach(Trace& trace);
  void detach();
  void flush();

  std::uint64_t lines() const { return lines_; }
  // ok - false once the output stream has failed (disk full, closed pipe).
  bool ok() const;

 private:
  std::ostream& out_;
  JsonlOptions opt_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t lines_ = 0;
  TraceSubscription sub_;
};

// write_jsonl - every event of a finished trace, one line each; returns the number of lines.
std::uint64_t write_jsonl(std::ostream& out, const std::vector<TraceEvent>& events,
                          const JsonlOptions& opt = {});

}  // namespace smtpsim::exporter
