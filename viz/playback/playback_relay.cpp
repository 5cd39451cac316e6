// playback_relay.cpp - which chunk a write's events name (the last of a write), and naming the
// bytes a relay forwards: the cluster's balancer splices a
// client's connection to a member's (sim/roles/cluster_balancer.cpp) and writes on each leg the
// bytes it read from the other, unchanged. Its chunks carry no Command/Reply events of their own,
// so the token on a balancer hop takes the names of the bytes it forwards: the chunks the other
// end wrote on the other leg at the same stream offsets.
#include <algorithm>

#include "viz/playback/playback.hpp"

namespace smtpsim::viz {

// index_relay - a balancer's "forwards connection #A ... as #B" note (conn B, code A) pairs the legs.
void Playback::index_relay(const TraceEvent& e) {
  if (e.text.rfind("forwards connection #", 0) != 0 || !e.conn || e.code <= 0 || !run_) return;
  std::optional<HostId> relay = run_->world().net.find_host(e.host);
  if (!relay) return;
  const std::uint64_t client = std::uint64_t(e.code), member = e.conn;
  relay_[client] = {member, *relay};
  relay_[member] = {client, *relay};
}

// index_chunk - each chunk once, at its first hop: who wrote it, where in the stream, when.
void Playback::index_chunk(const HopSpan& h) {
  if (h.hop != 0 || h.fin || h.bytes == 0 || h.conn == 0) return;
  chunks_[h.conn].push_back({h.sender, h.offset, h.bytes, h.written});
}

// relayed_events - the events of the other leg's chunks (written by the far end) that overlap
// h's bytes; in the order they were written.
std::vector<std::size_t> Playback::relayed_events(const HopSpan& h) const {
  std::vector<std::size_t> out;
  auto leg = relay_.find(h.conn);
  if (leg == relay_.end() || leg->second.relay != h.sender || !run_) return out;
  auto chunks = chunks_.find(leg->second.other);
  if (chunks == chunks_.end()) return out;
  World& w = run_->world();
  const std::uint64_t lo = h.offset, hi = h.offset + h.bytes;
  for (const ChunkAt& c : chunks->second) {
    if (c.sender == h.sender || c.offset >= hi || c.offset + c.bytes <= lo) continue;
    if (!last_chunk(leg->second.other, c.sender, c.written, c.offset)) continue;  // its write's events ride a later chunk
    if (const std::vector<std::size_t>* ev = wire_events(WireKey{leg->second.other, w.net.host_name(c.sender), c.written}))
      out.insert(out.end(), ev->begin(), ev->end());
  }
  return out;
}

// last_of_write - no chunk written later at the same time by the same sender on h's connection.
bool Playback::last_of_write(const HopSpan& h) const { return last_chunk(h.conn, h.sender, h.written, h.offset); }

// last_chunk - whether the chunk at `offset` is the last one `sender` wrote on conn at `written`.
bool Playback::last_chunk(std::uint64_t conn, HostId sender, SimTime written, std::uint64_t offset) const {
  auto it = chunks_.find(conn);
  if (it == chunks_.end()) return true;
  for (auto c = it->second.rbegin(); c != it->second.rend() && c->written >= written; ++c)
    if (c->sender == sender && c->written == written && c->offset > offset) return false;
  return true;
}

}  // namespace smtpsim::viz
