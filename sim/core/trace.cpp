// trace.cpp - event names, the trace hash, subscribers, and IPv4 text helpers.
#include "sim/core/trace.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/core/rng.hpp"

namespace smtpsim {

const char* to_string(TraceKind k) {
  switch (k) {
    case TraceKind::HostUp: return "host_up";
    case TraceKind::HostDown: return "host_down";
    case TraceKind::LinkChange: return "link";
    case TraceKind::ConnOpen: return "conn_open";
    case TraceKind::ConnAccept: return "conn_accept";
    case TraceKind::ConnRefused: return "conn_refused";
    case TraceKind::ConnTimeout: return "conn_timeout";
    case TraceKind::ConnReset: return "conn_reset";
    case TraceKind::ConnClose: return "conn_close";
    case TraceKind::BytesSent: return "bytes_sent";
    case TraceKind::BytesDelivered: return "bytes_delivered";
    case TraceKind::Command: return "command";
    case TraceKind::Reply: return "reply";
    case TraceKind::Tls: return "tls";
    case TraceKind::Queue: return "queue";
    case TraceKind::Delivery: return "delivery";
    case TraceKind::Bounce: return "bounce";
    case TraceKind::Fault: return "fault";
    case TraceKind::Dns: return "dns";
    case TraceKind::Note: return "note";
  }
  return "unknown";
}

const char* to_string(QueueState s) {
  switch (s) {
    case QueueState::None: return "";
    case QueueState::Queued: return "queued";
    case QueueState::Attempt: return "attempt";
    case QueueState::Deferred: return "deferred";
    case QueueState::Sent: return "sent";
    case QueueState::Delivered: return "delivered";
    case QueueState::Bounced: return "bounced";
    case QueueState::Warned: return "warned";
    case QueueState::Expired: return "expired";
  }
  return "";
}

namespace {
// mix_int / mix_str - fold a word, or a length-prefixed byte string, into the running hash.
std::uint64_t mix_int(std::uint64_t h, std::uint64_t v) { return hash_mix(h, v); }
std::uint64_t mix_str(std::uint64_t h, std::string_view s) { return hash_bytes(s, hash_mix(h, s.size())); }
}  // namespace

TraceView TraceView::of(const TraceEvent& e) {
  TraceView v;
  v.time = e.time;
  v.kind = e.kind;
  v.host = e.host;
  v.peer = e.peer;
  v.conn = e.conn;
  v.src_ip = e.src_ip;
  v.dst_ip = e.dst_ip;
  v.src_port = e.src_port;
  v.dst_port = e.dst_port;
  v.code = e.code;
  v.text = e.text;
  v.data = e.data;
  v.msg = e.msg;
  v.rcpt = e.rcpt;
  v.rx = e.rx;
  v.answers = e.answers;
  v.state = e.state;
  v.attempt = e.attempt;
  v.next_attempt_us = e.next_attempt_us;
  v.give_up_us = e.give_up_us;
  return v;
}

TraceEvent TraceView::event() const {
  TraceEvent e;
  e.time = time;
  e.kind = kind;
  e.host = host;
  e.peer = peer;
  e.conn = conn;
  e.src_ip = src_ip;
  e.dst_ip = dst_ip;
  e.src_port = src_port;
  e.dst_port = dst_port;
  e.code = code;
  e.text = text;
  e.data = data;
  e.msg = msg;
  e.rcpt = rcpt;
  e.rx = rx;
  e.answers = answers;
  e.state = state;
  e.attempt = attempt;
  e.next_attempt_us = next_attempt_us;
  e.give_up_us = give_up_us;
  return e;
}

// hash_event - fold every field of v into the running hash.
void Trace::hash_event(const TraceView& v) {
  std::uint64_t h = hash_;
  h = mix_int(h, static_cast<std::uint64_t>(v.time));
  h = mix_int(h, static_cast<std::uint64_t>(v.kind));
  h = mix_str(h, v.host);
  h = mix_str(h, v.peer);
  h = mix_int(h, v.conn);
  h = mix_int(h, (std::uint64_t(v.src_ip) << 32) | v.dst_ip);
  h = mix_int(h, (std::uint64_t(v.src_port) << 16) | v.dst_port);
  h = mix_int(h, static_cast<std::uint64_t>(static_cast<std::int64_t>(v.code)));
  h = mix_str(h, v.text);
  h = mix_str(h, v.data);
  h = mix_str(h, v.msg);
  h = mix_str(h, v.rcpt);
  // Pairing and queue fields (folded only when set, in one word each).
  if (v.rx || v.answers) h = mix_int(h, (v.answers << 1) | (v.rx ? 1 : 0));
  if (v.state != QueueState::None) {
    h = mix_int(h, (std::uint64_t(v.state) << 32) | std::uint32_t(v.attempt));
    h = mix_int(h, static_cast<std::uint64_t>(v.next_attempt_us));
    h = mix_int(h, static_cast<std::uint64_t>(v.give_up_us));
  }
  hash_ = h;
  ++count_;
}

void Trace::emit(TraceEvent e) {
  const std::uint64_t seq = count_;
  hash_event(TraceView::of(e));
  publish(std::move(e), seq);
}

void Trace::emit_view(const TraceView& v) {
  const std::uint64_t seq = count_;
  hash_event(v);
  if (!recording_ && subs_.empty()) return;  // nobody keeps or watches it: the hash is all
  publish(v.event(), seq);
}

// publish - store (when recording) and notify subscribers; e is already hashed.
void Trace::publish(TraceEvent e, std::uint64_t seq) {
  e.seq = seq;
  const bool strip = !keep_bytes_ && (e.kind == TraceKind::BytesSent || e.kind == TraceKind::BytesDelivered);
  if (subs_.empty()) {
    if (recording_) {
      if (strip) e.data.clear();
      events_.push_back(std::move(e));
    }
    return;
  }
  // Store before notifying, so an event a subscriber emits lands after this one (as it is hashed).
  if (recording_) {
    events_.push_back(e);
    if (strip) events_.back().data.clear();
  }
  // Subscribers may subscribe, unsubscribe (themselves too) or emit from inside: while emitting,
  // subs_ is not touched; changes wait in added_/removed_ until the outermost emit ends.
  ++emitting_;
  for (auto& [handle, fn] : subs_) {
    if (!removed_.empty() && std::find(removed_.begin(), removed_.end(), handle) != removed_.end()) continue;
    fn(e);
  }
  if (--emitting_ == 0 && (!removed_.empty() || !added_.empty())) {
    std::erase_if(subs_, [this](const auto& s) {
      return std::find(removed_.begin(), removed_.end(), s.first) != removed_.end();
    });
    removed_.clear();
    for (auto& s : added_) subs_.push_back(std::move(s));
    added_.clear();
  }
}

std::size_t Trace::subscribe(Subscriber fn) {
  (emitting_ ? added_ : subs_).emplace_back(next_handle_, std::move(fn));
  return next_handle_++;
}

void Trace::unsubscribe(std::size_t handle) {
  for (auto it = added_.begin(); it != added_.end(); ++it)
    if (it->first == handle) { added_.erase(it); return; }
  for (auto it = subs_.begin(); it != subs_.end(); ++it) {
    if (it->first != handle) continue;
    if (emitting_) removed_.push_back(handle);
    else subs_.erase(it);
    return;
  }
}

std::string Trace::hash_hex() const {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash_));
  return buf;
}

std::string ipv4_to_string(std::uint32_t ip) {
  std::string s;
  s.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    unsigned v = (ip >> shift) & 0xff;
    if (v >= 100) s += char('0' + v / 100);
    if (v >= 10) s += char('0' + v / 10 % 10);
    s += char('0' + v % 10);
    if (shift) s += '.';
  }
  return s;
}

bool parse_ipv4(std::string_view text, std::uint32_t& out) {
  std::uint32_t ip = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    unsigned v = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      v = v * 10 + unsigned(text[i] - '0');
      if (++digits > 3 || v > 255) return false;
      ++i;
    }
    ip = (ip << 8) | v;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i != text.size()) return false;
  out = ip;
  return true;
}

}  // namespace smtpsim
