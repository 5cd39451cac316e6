// export_pcap_frame.cpp - libpcap headers and checksummed Ethernet/IPv4/TCP and UDP frames.
#include "sim/export/export_pcap_frame.hpp"

namespace smtpsim::exporter {

namespace {

// put8 / put16be / put32be / put16le / put32le - append an integer in network or little-endian order.
void put8(std::string& b, std::uint8_t v) { b += static_cast<char>(v); }
void put16be(std::string& b, std::uint16_t v) {
  b += static_cast<char>(v >> 8);
  b += static_cast<char>(v & 0xff);
}
void put32be(std::string& b, std::uint32_t v) {
  put16be(b, static_cast<std::uint16_t>(v >> 16));
  put16be(b, static_cast<std::uint16_t>(v & 0xffff));
}
void put16le(std::string& b, std::uint16_t v) {
  b += static_cast<char>(v & 0xff);
  b += static_cast<char>(v >> 8);
}
void put32le(std::string& b, std::uint32_t v) {
  put16le(b, static_cast<std::uint16_t>(v & 0xffff));
  put16le(b, static_cast<std::uint16_t>(v >> 16));
}
// set16be - overwrite two bytes at `at` (checksum fields).
void set16be(std::string& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<char>(v >> 8);
  b[at + 1] = static_cast<char>(v & 0xff);
}

constexpr std::size_t kEthLen = 14;
constexpr std::size_t kIpLen = 20;

// put_eth_ip - the Ethernet II and IPv4 headers (DF, TTL 64, header checksum) of a frame.
void put_eth_ip(std::string& f, std::uint32_t src, std::uint32_t dst, std::uint8_t proto, std::size_t l4_len,
                std::uint16_t ip_id);

}  // namespace

std::array<std::uint8_t, 6> mac_for_ip(std::uint32_t ip) {
  return {0x02, 0x00, static_cast<std::uint8_t>(ip >> 24), static_cast<std::uint8_t>(ip >> 16),
          static_cast<std::uint8_t>(ip >> 8), static_cast<std::uint8_t>(ip)};
}

std::uint32_t checksum_add(std::uint32_t sum, std::string_view bytes) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2)
    sum += (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 8) |
           static_cast<unsigned char>(bytes[i + 1]);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 8;
  // Fold now and then so long payloads cannot overflow 32 bits.
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

std::uint16_t checksum_fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

namespace {
void put_eth_ip(std::string& f, std::uint32_t src, std::uint32_t dst, std::uint8_t proto, std::size_t l4_len,
                std::uint16_t ip_id) {
  // Ethernet II
  for (std::uint8_t b : mac_for_ip(dst)) put8(f, b);
  for (std::uint8_t b : mac_for_ip(src)) put8(f, b);
  put16be(f, 0x0800);
  // IPv4
  put8(f, 0x45);
  put8(f, 0);
  put16be(f, static_cast<std::uint16_t>(kIpLen + l4_len));
  put16be(f, ip_id);
  put16be(f, 0x4000);  // DF
  put8(f, 64);
  put8(f, proto);
  put16be(f, 0);  // checksum, below
  put32be(f, src);
  put32be(f, dst);
  set16be(f, kEthLen + 10, checksum_fold(checksum_add(0, std::string_view(f).substr(kEthLen, kIpLen))));
}
}  // namespace

std::string build_frame(const TcpSegment& s) {
  std::size_t tcp_hdr = s.syn_options ? 28 : 20;
  std::size_t tcp_len = tcp_hdr + s.payload.size();
  std::string f;
  f.reserve(kEthLen + kIpLen + tcp_len);
  put_eth_ip(f, s.src_ip, s.dst_ip, 6, tcp_len, s.ip_id);
  // TCP
  std::size_t t0 = f.size();
  put16be(f, s.src_port);
  put16be(f, s.dst_port);
  put32be(f, s.seq);
  put32be(f, s.ack);
  put8(f, static_cast<std::uint8_t>((tcp_hdr / 4) << 4));
  put8(f, s.flags);
  put16be(f, s.window);
  put16be(f, 0);  // checksum, below
  put16be(f, 0);  // urgent pointer
  if (s.syn_options) {
    put8(f, 2);  // MSS
    put8(f, 4);
    put16be(f, s.mss);
    put8(f, 1);  // NOP
    put8(f, 3);  // window scale
    put8(f, 3);
    put8(f, s.window_scale);
  }
  f.append(s.payload);
  std::string pseudo;
  put32be(pseudo, s.src_ip);
  put32be(pseudo, s.dst_ip);
  put8(pseudo, 0);
  put8(pseudo, 6);
  put16be(pseudo, static_cast<std::uint16_t>(tcp_len));
  std::uint32_t sum = checksum_add(0, pseudo);
  sum = checksum_add(sum, std::string_view(f).substr(t0));
  set16be(f, t0 + 16, checksum_fold(sum));
  return f;
}

std::string build_udp_frame(const UdpDatagram& d) {
  const std::size_t udp_len = 8 + d.payload.size();
  std::string f;
  f.reserve(kEthLen + kIpLen + udp_len);
  put_eth_ip(f, d.src_ip, d.dst_ip, 17, udp_len, d.ip_id);
  std::size_t u0 = f.size();
  put16be(f, d.src_port);
  put16be(f, d.dst_port);
  put16be(f, static_cast<std::uint16_t>(udp_len));
  put16be(f, 0);  // checksum, below
  f.append(d.payload);
  std::string pseudo;
  put32be(pseudo, d.src_ip);
  put32be(pseudo, d.dst_ip);
  put8(pseudo, 0);
  put8(pseudo, 17);
  put16be(pseudo, static_cast<std::uint16_t>(udp_len));
  std::uint16_t sum = checksum_fold(checksum_add(checksum_add(0, pseudo), std::string_view(f).substr(u0)));
  set16be(f, u0 + 6, sum == 0 ? 0xffff : sum);  // 0 means "no checksum" in UDP (RFC 768)
  return f;
}

std::string pcap_file_header(std::uint32_t snaplen, std::uint32_t linktype) {
  std::string h;
  put32le(h, 0xa1b2c3d4);
  put16le(h, 2);
  put16le(h, 4);
  put32le(h, 0);  // thiszone
  put32le(h, 0);  // sigfigs
  put32le(h, snaplen);
  put32le(h, linktype);
  return h;
}

std::string pcap_record_header(std::int64_t unix_us, std::uint32_t caplen, std::uint32_t origlen) {
  if (unix_us < 0) unix_us = 0;
  std::string h;
  put32le(h, static_cast<std::uint32_t>(unix_us / 1000000));
  put32le(h, static_cast<std::uint32_t>(unix_us % 1000000));
  put32le(h, caplen);
  put32le(h, origlen);
  return h;
}

}  // namespace smtpsim::exporter
