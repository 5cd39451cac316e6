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

namespace {
std::uint64_t mix_int(std::uint64_t h, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 0x100000001b3ULL;
  }
  return h;
}
std::uint64_t mix_str(std::uint64_t h, const std::string& s) {
  h = mix_int(h, s.size());
  return fnv1a64(s, h);
}
}  // namespace

void Trace::emit(TraceEvent e) {
  std::uint64_t h = hash_;
  h = mix_int(h, static_cast<std::uint64_t>(e.time));
  h = mix_int(h, static_cast<std::uint64_t>(e.kind));
  h = mix_str(h, e.host);
  h = mix_str(h, e.peer);
  h = mix_int(h, e.conn);
  h = mix_int(h, (std::uint64_t(e.src_ip) << 32) | e.dst_ip);
  h = mix_int(h, (std::uint64_t(e.src_port) << 16) | e.dst_port);
  h = mix_int(h, static_cast<std::uint64_t>(static_cast<std::int64_t>(e.code)));
  h = mix_str(h, e.text);
  h = mix_str(h, e.data);
  h = mix_str(h, e.msg);
  h = mix_str(h, e.rcpt);
  hash_ = h;
  ++count_;
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
  char buf[20];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
  return buf;
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
