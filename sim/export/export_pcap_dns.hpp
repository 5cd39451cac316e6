// export_pcap_dns.hpp - DNS messages (RFC 1035 wire format) rebuilt from the trace's Dns events, so
// a capture shows each resolver query and answer as real DNS over UDP/53 that tshark dissects.
//
// The trace says it all (sim/net/dns.hpp): a question event "MX b.example?" (src = the asking
// host and its per-query port, dst = the DNS host port 53) and an answer event with the same
// question, " -> ", and the answer: "10 mx1.b.example, 20 mx2.b.example", "0 . (null MX)",
// "10.0.0.5, 10.0.0.6", "NXDOMAIN", "SERVFAIL", "no records (NODATA)" or "timeout after 5s"
// (code -1: no answer ever came, so no packet). Both messages share a 16-bit ID derived from the
// asking host, its port and the question, so Wireshark pairs them.
#pragma once
#include <optional>
#include <string>

#include "sim/core/trace.hpp"

namespace smtpsim::exporter {

// DnsPacket - one DNS message and which way it goes.
struct DnsPacket {
  bool response = false;  // false: asker -> DNS host (the query); true: DNS host -> asker
  std::string payload;    // the DNS message (header, question, answer records)
};

// dns_packet_for - the DNS message a Dns trace event stands for; nothing for a timeout or an event
// whose text is not in the documented form.
std::optional<DnsPacket> dns_packet_for(const TraceEvent& e);

}  // namespace smtpsim::exporter
