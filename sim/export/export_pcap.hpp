// export_pcap.hpp - a libpcap capture (LINKTYPE_ETHERNET) of every TCP connection and DNS query in a trace,
// rebuilt from the trace alone, so Wireshark/tshark dissect SMTP, IMF, POP and TLS with no options.
//
// How each connection (trace `conn`) becomes packets, all stamped in virtual time + epoch. The
// network (sim/net/network.hpp) documents when it emits each event; packets follow it:
//   conn_open      a SYN from the client (ack 0, MSS + window-scale options; ISN derived from the
//                  conn id). Every retry is another conn_open: the same SYN again (Wireshark marks
//                  it as a retransmission, as it would on a real wire).
//   conn_accept    the SYN-ACK from the server at its accept time. The client's ACK is not traced:
//                  it goes one SYN travel time later (estimated from SYN -> accept) or with the
//                  client's first data, whichever comes first.
//   bytes_sent     data segments from the sender, at the time of SENDING, split at the MSS
//                  (1460), PSH on the last one; seq counts the sender's bytes, ack what it has had
//                  delivered. Ciphertext after STARTTLS/STLS is exactly what the trace holds.
//                  One exception to plain MSS cuts: a POP3 "+OK" line answering RETR/TOP goes in
//                  a segment of its own (Wireshark reassembles the message for IMF only then).
//   bytes_delivered  the receiver's pure ACK, at delivery time, unless the receiver sends data or a
//                  FIN at that same instant (then the ACK rides on that segment: delayed ACK of 0).
//   conn_close     FIN+ACK from the closing side; the peer ACKs it one travel time later (the last
//                  delay seen that way), or once the data ahead of the FIN has been delivered.
//   conn_reset     RST+ACK from the event's host (the first report of the reset; later ones,
//                  from the other side seeing it, add nothing). When the first report is "reset
//                  by peer" (data reached a host that had lost the connection), the RST comes
//                  from the peer, without ACK, seq = the reporter's ack.
//   conn_refused   RST+ACK from the server (seq 0, ack = client ISN + 1) after the SYN(s).
//   conn_timeout   nothing: an unanswered connect leaves its SYNs, an unreachable one (no
//                  conn_open) sends nothing, a stalled connection just stops.
// dns               one UDP datagram per Dns event with an answer on the wire: the query from the
//                  asker's port to port 53 of the DNS host at the question's time, the answer back at
//                  its arrival time (real DNS messages: export_pcap_dns.hpp); a timeout has none.
// Events of a connection whose conn_open was not seen (writer attached mid-run) start the flow
// mid-stream, without a handshake. Other event kinds produce no packets.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/export/export_subscription.hpp"

namespace smtpsim::exporter {

struct PcapOptions {
  std::int64_t epoch_us = 1'704'067'200'000'000LL;  // Unix time of virtual 0 (2024-01-01 00:00:00 UTC)
  std::uint16_t mss = 1460;                          // largest TCP payload per segment (64..65495)
  std::uint8_t window_scale = 7;                     // advertised window = 65535 << window_scale
  bool pure_acks = true;                             // ACK delivered data and FINs (see above)
  bool dns = true;                                   // DNS queries and answers as UDP/53 datagrams
};

// PcapWriter - appends packets to `out` as events come (write, or attach to a live Trace). The file
// header is written by the constructor. Pure ACKs wait until the virtual time moves on (or flush),
// so that an immediate answer carries them. Not copyable or movable (the subscription points at it).
class PcapWriter {
 public:
  explicit PcapWriter(std::ostream& out, PcapOptions opt = {});
  ~PcapWriter();  // flush()es
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // write - the packets for one event (events must come in time order, as a Trace emits them).
  void write(const TraceEvent& e);
  // flush - write the ACKs still waiting, then flush the stream (call at the end of a run).
  void flush();
  // attach - write packets for every event `trace` emits from now on; detach - stop.
  void attach(Trace& trace);
  void detach();

  std::uint64_t packets() const;
  std::uint64_t connections() const;   // flows seen so far
  bool ok() const;                     // false once the output stream has failed

  struct Impl;  // flow state (export_pcap.cpp)
 private:
  std::unique_ptr<Impl> impl_;
  TraceSubscription sub_;
};

// write_pcap - the capture of a finished trace; returns the number of packets. The trace must have
// kept its bytes (Trace::set_keep_bytes(true), the default) or data segments are empty.
std::uint64_t write_pcap(std::ostream& out, const std::vector<TraceEvent>& events, const PcapOptions& opt = {});

}  // namespace smtpsim::exporter
