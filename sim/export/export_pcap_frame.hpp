// export_pcap_frame.hpp - bytes of a libpcap file: the file and record headers, and Ethernet II /
// IPv4 / TCP and UDP frames with correct IPv4 header and TCP checksums.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace smtpsim::exporter {

// TCP flag bits (RFC 9293).
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;

inline constexpr std::uint32_t kLinktypeEthernet = 1;

// TcpSegment - one TCP segment to frame. Addresses in host byte order.
struct TcpSegment {
  std::uint32_t src_ip = 0, dst_ip = 0;
  std::uint16_t src_port = 0, dst_port = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0xffff;
  std::uint16_t ip_id = 0;
  bool syn_options = false;    // add MSS, NOP, window-scale options (SYN and SYN-ACK)
  std::uint16_t mss = 1460;
  std::uint8_t window_scale = 7;
  std::string_view payload;
};

// UdpDatagram - one UDP datagram to frame (DNS). Addresses in host byte order.
struct UdpDatagram {
  std::uint32_t src_ip = 0, dst_ip = 0;
  std::uint16_t src_port = 0, dst_port = 0;
  std::uint16_t ip_id = 0;
  std::string_view payload;
};

// mac_for_ip - 02:00:a:b:c:d, a locally administered unicast MAC derived from the IPv4 address.
std::array<std::uint8_t, 6> mac_for_ip(std::uint32_t ip);

// checksum_add / checksum_fold - RFC 1071 ones'-complement sum over big-endian 16-bit words
// (an odd last byte is padded with zero); fold gives the final complemented checksum.
std::uint32_t checksum_add(std::uint32_t sum, std::string_view bytes);
std::uint16_t checksum_fold(std::uint32_t sum);

// build_frame - the Ethernet II + IPv4 (DF, TTL 64) + TCP frame, both checksums filled in.
std::string build_frame(const TcpSegment& s);

// build_udp_frame - the Ethernet II + IPv4 (DF, TTL 64) + UDP frame, both checksums filled in.
std::string build_udp_frame(const UdpDatagram& d);

// pcap_file_header - libpcap 2.4 header: little-endian, microsecond timestamps.
std::string pcap_file_header(std::uint32_t snaplen = 262144, std::uint32_t linktype = kLinktypeEthernet);
// pcap_record_header - per-packet header for a capture time in microseconds since the Unix epoch.
std::string pcap_record_header(std::int64_t unix_us, std::uint32_t caplen, std::uint32_t origlen);

}  // namespace smtpsim::exporter
