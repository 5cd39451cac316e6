// export_tshark.hpp - reading captures back with tshark for the pcap tests: one pass that returns a
// table of dissected fields per packet, and one pass with Wireshark's own "something is wrong"
// filter (TCP analysis flags, bad checksums, malformed packets, expert errors).
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace exporttest {

// Packet - the dissected fields of one frame; absent fields read as "", several occurrences are
// joined with '|'.
struct Packet {
  std::map<std::string, std::string> fields;
  const std::string& operator[](const std::string& name) const;
};

// require_tshark - fails the test (never skips) when tshark is not installed.
void require_tshark();
// dissect - every frame of a capture with the fields listed in export_tshark.cpp.
std::vector<Packet> dissect(const std::string& pcap_path);
// problems - "frame<TAB>expert messages" for every frame Wireshark flags.
std::vector<std::string> problems(const std::string& pcap_path);
// packet_table - one readable line per TCP packet that passes `keep`:
// "0.015 10.0.1.2:25 > 10.0.0.5:49152 SYN,ACK seq=0 ack=1 len=0" (relative time, seq, ack).
std::vector<std::string> packet_table(const std::vector<Packet>& packets,
                                      const std::function<bool(const Packet&)>& keep = nullptr);
// values - the non-empty values of one field, frame by frame.
std::vector<std::string> values(const std::vector<Packet>& packets, const std::string& field);

}  // namespace exporttest
