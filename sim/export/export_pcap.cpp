// export_pcap.cpp - TCP flow reconstruction from trace events (the rules are in export_pcap.hpp).
#include "sim/export/export_pcap.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sim/core/rng.hpp"
#include "sim/export/export_pcap_dns.hpp"
#include "sim/export/export_pcap_frame.hpp"

namespace smtpsim::exporter {

namespace {

// Side - one end of a flow: its address, what it sent, what of it reached the other end.
struct Side {
  std::uint32_t ip = 0;
  std::uint16_t port = 0;
  std::string host;
  std::uint32_t isn = 0;
  std::uint64_t sent = 0;       // payload bytes sent
  std::uint64_t delivered = 0;  // of those, bytes the peer has received
  bool fin = false;             // FIN sent
  bool acked_any = false;       // has sent a segment with ACK set
  std::uint32_t last_ack = 0;   // the ack number of that segment
  bool pending = false;         // owes a pure ACK at pending_at (see PendingAck)
  SimTime pending_at = 0;
  std::deque<SimTime> in_flight;  // send times of the writes not yet delivered, oldest first
  Duration latency = 0;           // the last one-way delay seen towards the peer
};

enum class Phase : unsigned char { SynSent, SynAckSent, Established };

struct Flow {
  Side s[2];  // 0 = client (sent the SYN), 1 = server
  Phase phase = Phase::SynSent;
  SimTime last_syn = 0;            // when the client's latest SYN (attempt) was sent
  bool pop_message_asked = false;  // the client's last write was a POP3 RETR/TOP command
};

struct PendingAck {
  std::uint64_t conn;
  int side;
  SimTime at;
};

// starts_with_nocase - whether `s` begins with the upper-case ASCII word `w`.
bool starts_with_nocase(std::string_view s, std::string_view w) {
  if (s.size() < w.size()) return false;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) != w[i]) return false;
  return true;
}

// first_segment_end - where the first segment of a write ends when it must end early: a POP3
// "+OK" status line answering RETR/TOP goes alone, because Wireshark reassembles the message (and
// hands it to IMF) only from the segments after the one holding the status line. 0 = no cut.
std::size_t first_segment_end(const Flow& f, int side, std::string_view data) {
  if (side != 1 || !f.pop_message_asked || !starts_with_nocase(data, "+OK")) return 0;
  std::size_t eol = data.find("\r\n");
  return (eol != std::string_view::npos && eol + 2 < data.size()) ? eol + 2 : 0;
}

// isn_for - a deterministic initial sequence number per connection and side.
std::uint32_t isn_for(std::uint64_t conn, int side) {
  std::string key = (side == 0 ? "isn-client-" : "isn-server-") + std::to_string(conn);
  return static_cast<std::uint32_t>(fnv1a64(key));
}

}  // namespace

struct PcapWriter::Impl {
  std::ostream& out;
  PcapOptions opt;
  std::unordered_map<std::uint64_t, Flow> flows;
  std::unordered_set<std::uint64_t> finished;   // conns whose flow ended (ignore late reports)
  std::vector<PendingAck> pending;
  std::unordered_map<std::uint32_t, std::uint16_t> ip_ids;
  std::uint64_t packets = 0;
  std::uint64_t conns = 0;

  Impl(std::ostream& o, PcapOptions p) : out(o), opt(p) {
    opt.mss = std::clamp<std::uint16_t>(opt.mss, 64, 65495);
    opt.window_scale = std::min<std::uint8_t>(opt.window_scale, 14);
    std::string h = pcap_file_header();
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
  }

  // seq_next - the sequence number of side s's next segment.
  static std::uint32_t seq_next(const Side& s) {
    return static_cast<std::uint32_t>(s.isn + 1 + s.sent + (s.fin ? 1 : 0));
  }
  // ack_of - what side `i` acknowledges: the peer's delivered bytes, and its FIN once all arrived.
  static std::uint32_t ack_of(const Flow& f, int i) {
    const Side& p = f.s[1 - i];
    bool fin_in = p.fin && p.delivered >= p.sent;
    return static_cast<std::uint32_t>(p.isn + 1 + p.delivered + (fin_in ? 1 : 0));
  }

  // emit - frame one segment from side i of f and append it to the capture.
  void emit(Flow& f, int i, SimTime at, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
            std::string_view payload = {}) {
    Side& a = f.s[i];
    const Side& b = f.s[1 - i];
    TcpSegment seg;
    seg.src_ip = a.ip;
    seg.dst_ip = b.ip;
    seg.src_port = a.port;
    seg.dst_port = b.port;
    seg.seq = seq;
    seg.ack = (flags & kTcpAck) ? ack : 0;
    seg.flags = flags;
    seg.ip_id = ip_ids[a.ip]++;
    seg.syn_options = (flags & kTcpSyn) != 0;
    seg.mss = opt.mss;
    seg.window_scale = opt.window_scale;
    seg.payload = payload;
    if (flags & kTcpAck) {
      a.acked_any = true;
      a.last_ack = ack;
    }
    write_frame(at, build_frame(seg));
  }

  // emit_dns - the UDP datagram a Dns event stands for (query or answer), if any.
  void emit_dns(const TraceEvent& e) {
    std::optional<DnsPacket> p = dns_packet_for(e);
    if (!p) return;
    UdpDatagram d;
    d.src_ip = p->response ? e.dst_ip : e.src_ip;
    d.dst_ip = p->response ? e.src_ip : e.dst_ip;
    d.src_port = p->response ? e.dst_port : e.src_port;
    d.dst_port = p->response ? e.src_port : e.dst_port;
    d.ip_id = ip_ids[d.src_ip]++;
    d.payload = p->payload;
    write_frame(e.time, build_udp_frame(d));
  }

  // write_frame - one captured frame at virtual time `at`.
  void write_frame(SimTime at, const std::string& frame) {
    std::string rec = pcap_record_header(opt.epoch_us + std::max<SimTime>(at, 0),
                                         static_cast<std::uint32_t>(frame.size()),
                                         static_cast<std::uint32_t>(frame.size()));
    out.write(rec.data(), static_cast<std::streamsize>(rec.size()));
    out.write(frame.data(), static_cast<std::streamsize>(frame.size()));
    ++packets;
  }

  // emit_ack - a segment without payload from side i, ACK plus `extra` flags (FIN, RST).
  void emit_ack(Flow& f, int i, SimTime at, std::uint8_t extra = 0) {
    emit(f, i, at, kTcpAck | extra, seq_next(f.s[i]), ack_of(f, i));
  }

  // open - a new flow with the event's src as client; SYN unless it starts mid-stream.
  Flow& open(const TraceEvent& e, bool syn) {
    Flow& f = flows[e.conn];
    f.s[0].ip = e.src_ip;
    f.s[0].port = e.src_port;
    f.s[0].host = e.host;
    f.s[1].ip = e.dst_ip;
    f.s[1].port = e.dst_port;
    f.s[1].host = e.peer;
    f.s[0].isn = isn_for(e.conn, 0);
    f.s[1].isn = isn_for(e.conn, 1);
    ++conns;
    if (syn) {
      f.phase = Phase::SynSent;
      f.last_syn = e.time;
      emit(f, 0, e.time, kTcpSyn, f.s[0].isn, 0);
    } else {
      f.phase = Phase::Established;
    }
    return f;
  }

  // find - the live flow of a connection, or null.
  Flow* find(std::uint64_t conn) {
    auto it = flows.find(conn);
    return it == flows.end() ? nullptr : &it->second;
  }

  // retire - the connection is over: forget its flow, ignore its later events.
  void retire(std::uint64_t conn) {
    flows.erase(conn);
    finished.insert(conn);
  }

  // side_of - which end of f the event's host is (by address, then by name).
  static int side_of(const Flow& f, const TraceEvent& e) {
    if (e.src_ip == f.s[0].ip && e.src_port == f.s[0].port) return 0;
    if (e.src_ip == f.s[1].ip && e.src_port == f.s[1].port) return 1;
    return e.host == f.s[0].host ? 0 : 1;
  }

  // synack - the server accepts at `at`: SYN-ACK; the client's ACK is due one SYN travel time
  // later (the trace does not say when the client saw it), unless the client acts before.
  void synack(Flow& f, std::uint64_t conn, SimTime at) {
    emit(f, 1, at, kTcpSyn | kTcpAck, f.s[1].isn, ack_of(f, 1));
    f.phase = Phase::SynAckSent;
    Duration owd = std::max<Duration>(0, at - f.last_syn);
    f.s[0].latency = f.s[1].latency = owd;
    want_ack(f, conn, 0, at + owd);
  }

  // handshake_for - before side i sends anything, the handshake must have got that far.
  void handshake_for(Flow& f, std::uint64_t conn, int i, SimTime at) {
    if (f.phase == Phase::SynSent) synack(f, conn, at);
    if (i == 0 && f.phase == Phase::SynAckSent) {
      emit_ack(f, 0, at);
      f.phase = Phase::Established;
      f.s[0].pending = false;
    }
  }

  // want_ack - side i owes a pure ACK at `at` (written once time has moved past it, unless a
  // segment of its own carries it first); an earlier due time replaces a later one.
  void want_ack(Flow& f, std::uint64_t conn, int i, SimTime at) {
    Side& s = f.s[i];
    if (!opt.pure_acks || (s.pending && s.pending_at <= at)) return;
    if (s.pending) {
      auto old = std::find_if(pending.begin(), pending.end(), [&](const PendingAck& p) {
        return p.conn == conn && p.side == i && p.at == s.pending_at;
      });
      if (old != pending.end()) pending.erase(old);
    }
    s.pending = true;
    s.pending_at = at;
    auto pos = std::upper_bound(pending.begin(), pending.end(), at,
                                [](SimTime t, const PendingAck& p) { return t < p.at; });
    pending.insert(pos, {conn, i, at});
  }

  // complete - both FINs sent, everything delivered and acknowledged: nothing more can follow.
  static bool complete(const Flow& f) {
    for (int i = 0; i < 2; ++i) {
      const Side& s = f.s[i];
      if (!s.fin || s.delivered < s.sent || s.pending) return false;
      if (!f.s[1 - i].acked_any || f.s[1 - i].last_ack != ack_of(f, 1 - i)) return false;
    }
    return true;
  }

  // flush_pending - pure ACKs owed since before `now` (all of them when now == kNever).
  void flush_pending(SimTime now) {
    std::size_t done = 0;
    for (; done < pending.size() && pending[done].at < now; ++done) {
      const PendingAck& p = pending[done];
      Flow* f = find(p.conn);
      if (!f || !f->s[p.side].pending || f->s[p.side].pending_at != p.at) continue;
      Side& s = f->s[p.side];
      s.pending = false;
      if (f->phase == Phase::SynSent) continue;
      if (p.side == 0 && f->phase == Phase::SynAckSent) f->phase = Phase::Established;
      std::uint32_t ack = ack_of(*f, p.side);
      if (!(s.acked_any && s.last_ack == ack)) emit_ack(*f, p.side, p.at);
      if (complete(*f)) retire(p.conn);
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done));
  }

  // on_event - the packets one trace event stands for.
  void on_event(const TraceEvent& e) {
    if (!pending.empty()) flush_pending(e.time);
    if (e.kind == TraceKind::Dns) {
      if (opt.dns) emit_dns(e);
      return;
    }
    if (e.conn == 0 || finished.count(e.conn)) return;
    Flow* f = find(e.conn);
    switch (e.kind) {
      case TraceKind::ConnOpen:  // the first SYN, or a retry (same sequence number)
        if (!f) {
          open(e, true);
        } else if (f->phase != Phase::Established) {
          emit(*f, 0, e.time, kTcpSyn, f->s[0].isn, 0);
          f->last_syn = e.time;
        }
        break;
      case TraceKind::ConnAccept:  // the server accepted: its SYN-ACK
        if (!f) f = &open(e, true);
        if (f->phase == Phase::SynSent) synack(*f, e.conn, e.time);
        break;
      case TraceKind::ConnRefused:
        if (!f) f = &open(e, true);
        if (f->phase == Phase::SynSent) emit(*f, 1, e.time, kTcpRst | kTcpAck, 0, f->s[0].isn + 1);
        retire(e.conn);
        break;
      case TraceKind::ConnTimeout:  // no SYN ever sent (unreachable), SYNs unanswered, or a stall
        if (f) retire(e.conn);
        else finished.insert(e.conn);
        break;
      case TraceKind::ConnReset: {
        if (!f) break;
        int i = side_of(*f, e);
        // Usually the first report comes from the side that sent the RST ("host crash", "abort").
        // An RST drawn by data to a host that lost the connection (restarted) is only reported
        // where it arrived; that host answers like any stack without the connection: RST, no ACK,
        // sequence number = the ACK of the segment that drew it (RFC 9293 3.10.7.1).
        if (e.text.rfind("reset by peer", 0) == 0) {
          emit(*f, 1 - i, e.time, kTcpRst, ack_of(*f, i), 0);
        } else if (f->phase == Phase::SynSent) {
          if (i == 1) emit(*f, 1, e.time, kTcpRst | kTcpAck, 0, f->s[0].isn + 1);
          else emit(*f, 0, e.time, kTcpRst, seq_next(f->s[0]), 0);
        } else {
          emit_ack(*f, i, e.time, kTcpRst);
        }
        retire(e.conn);
        break;
      }
      case TraceKind::ConnClose: {
        if (!f) break;
        int i = side_of(*f, e);
        if (f->s[i].fin) break;
        handshake_for(*f, e.conn, i, e.time);
        emit_ack(*f, i, e.time, kTcpFin);
        Side& s = f->s[i];
        s.fin = true;
        s.pending = false;
        // The FIN's arrival is not traced: the peer ACKs it one (last seen) travel time later,
        // or when the data still in flight ahead of it has arrived.
        if (s.delivered >= s.sent) want_ack(*f, e.conn, 1 - i, e.time + s.latency);
        break;
      }
      case TraceKind::BytesSent: {
        if (e.data.empty()) break;
        if (!f) f = &open(e, false);
        int i = side_of(*f, e);
        Side& s = f->s[i];
        if (s.fin) break;  // nothing can follow a FIN
        handshake_for(*f, e.conn, i, e.time);
        s.in_flight.push_back(e.time);
        std::string_view data = e.data;
        std::size_t cut = first_segment_end(*f, i, data);
        for (std::size_t off = 0; off < data.size();) {
          std::size_t len = std::min<std::size_t>(opt.mss, (off == 0 && cut) ? cut : data.size() - off);
          std::string_view seg = data.substr(off, len);
          off += seg.size();
          emit(*f, i, e.time, kTcpAck | (off == data.size() ? kTcpPsh : 0), seq_next(s), ack_of(*f, i), seg);
          s.sent += seg.size();
        }
        s.pending = false;
        if (i == 0) f->pop_message_asked = starts_with_nocase(data, "RETR ") || starts_with_nocase(data, "TOP ");
        else f->pop_message_asked = false;
        break;
      }
      case TraceKind::BytesDelivered: {
        if (!f || e.data.empty()) break;
        int i = side_of(*f, e);
        Side& s = f->s[i];
        s.delivered = std::min(s.sent, s.delivered + e.data.size());
        if (!s.in_flight.empty()) {
          s.latency = e.time - s.in_flight.front();
          s.in_flight.pop_front();
        }
        want_ack(*f, e.conn, 1 - i, e.time);
        break;
      }
      default: break;
    }
  }
};

PcapWriter::PcapWriter(std::ostream& out, PcapOptions opt) : impl_(std::make_unique<Impl>(out, opt)) {}

PcapWriter::~PcapWriter() {
  sub_.reset();
  flush();
}

void PcapWriter::write(const TraceEvent& e) { impl_->on_event(e); }

void PcapWriter::flush() {
  impl_->flush_pending(kNever);
  impl_->out.flush();
}

void PcapWriter::attach(Trace& trace) {
  sub_.attach(trace, [this](const TraceEvent& e) { impl_->on_event(e); });
}

void PcapWriter::detach() { sub_.reset(); }

std::uint64_t PcapWriter::packets() const { return impl_->packets; }
std::uint64_t PcapWriter::connections() const { return impl_->conns; }
bool PcapWriter::ok() const { return static_cast<bool>(impl_->out); }

std::uint64_t write_pcap(std::ostream& out, const std::vector<TraceEvent>& events, const PcapOptions& opt) {
  PcapWriter w(out, opt);
  for (const TraceEvent& e : events) w.write(e);
  w.flush();
  return w.packets();
}

}  // namespace smtpsim::exporter
