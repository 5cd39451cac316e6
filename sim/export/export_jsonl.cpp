// export_jsonl.cpp - trace events as JSON Lines (field reference: sim/export/EVENTS.md).
#include "sim/export/export_jsonl.hpp"

#include <ostream>

#include "sim/core/time.hpp"
#include "sim/export/export_json.hpp"

namespace smtpsim::exporter {

namespace {

// endpoint - "ip:port" for one end of a connection.
std::string endpoint(std::uint32_t ip, std::uint16_t port) {
  return ipv4_to_string(ip) + ":" + std::to_string(port);
}

// text_field - a string field; bytes that are not UTF-8 also get an exact `<key>_b64` twin.
void text_field(JsonObject& o, std::string_view key, const std::string& value) {
  o.str(key, value);
  if (!is_valid_utf8(value)) o.str(std::string(key) + "_b64", base64_encode(value));
}

// code_always - kinds whose code is meaningful even when 0 (DNS NOERROR, link down, TLS failed).
bool code_always(TraceKind k) {
  return k == TraceKind::Reply || k == TraceKind::Dns || k == TraceKind::LinkChange || k == TraceKind::Tls;
}

bool is_bytes(TraceKind k) { return k == TraceKind::BytesSent || k == TraceKind::BytesDelivered; }

}  // namespace

std::string event_json(const TraceEvent& e, std::uint64_t seq, const JsonlOptions& opt) {
  JsonObject o;
  o.unum("seq", seq);
  o.num("t_us", e.time);
  o.str("t", format_time(e.time));
  o.str("kind", to_string(e.kind));
  text_field(o, "host", e.host);
  if (!e.peer.empty()) text_field(o, "peer", e.peer);
  if (e.conn != 0) o.unum("conn", e.conn);
  if (e.src_ip != 0 || e.src_port != 0) o.str("src", endpoint(e.src_ip, e.src_port));
  if (e.dst_ip != 0 || e.dst_port != 0) o.str("dst", endpoint(e.dst_ip, e.dst_port));
  if (e.code != 0 || code_always(e.kind)) o.num("code", e.code);
  if (!e.text.empty()) text_field(o, "text", e.text);
  if (!e.msg.empty()) text_field(o, "msg", e.msg);
  if (!e.rcpt.empty()) text_field(o, "rcpt", e.rcpt);
  if (e.rx) o.boolean("rx", true);
  if (e.answers != 0) o.unum("answers", e.answers);
  if (e.state != QueueState::None) {
    o.str("state", to_string(e.state));
    if (e.attempt > 0) o.num("attempt", e.attempt);
    if (e.next_attempt_us >= 0) o.num("next_attempt_us", e.next_attempt_us);
    if (e.give_up_us >= 0) o.num("give_up_us", e.give_up_us);
  }
  if (is_bytes(e.kind)) {
    o.unum("data_len", e.data.size());
    bool with_data = opt.data && (e.kind == TraceKind::BytesSent || opt.data_on_delivered);
    if (with_data && !e.data.empty()) o.str("data_b64", base64_encode(e.data));
  } else if (!e.data.empty()) {
    o.unum("data_len", e.data.size());
    if (opt.data) o.str("data_b64", base64_encode(e.data));
  }
  return o.done();
}

JsonlWriter::JsonlWriter(std::ostream& out, JsonlOptions opt) : out_(out), opt_(opt) {}

JsonlWriter::~JsonlWriter() { sub_.reset(); }

void JsonlWriter::write(const TraceEvent& e) {
  std::uint64_t seq = next_seq_++;
  if (!opt_.bytes_events && is_bytes(e.kind)) return;
  std::string line = event_json(e, seq, opt_);
  line += '\n';
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  ++lines_;
  if (opt_.flush_each) out_.flush();
}

void JsonlWriter::attach(Trace& trace) {
  next_seq_ = trace.count();
  sub_.attach(trace, [this](const TraceEvent& e) { write(e); });
}

void JsonlWriter::detach() { sub_.reset(); }

void JsonlWriter::flush() { out_.flush(); }

bool JsonlWriter::ok() const { return static_cast<bool>(out_); }

std::uint64_t write_jsonl(std::ostream& out, const std::vector<TraceEvent>& events, const JsonlOptions& opt) {
  JsonlWriter w(out, opt);
  for (const TraceEvent& e : events) w.write(e);
  w.flush();
  return w.lines();
}

}  // namespace smtpsim::exporter
