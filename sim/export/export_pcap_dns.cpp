// export_pcap_dns.cpp - DNS wire messages from Dns trace events (the text forms are in
// export_pcap_dns.hpp and sim/net/dns.hpp).
#include "sim/export/export_pcap_dns.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/core/rng.hpp"

namespace smtpsim::exporter {

namespace {

constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeMx = 15;
constexpr std::uint32_t kTtl = 300;

// put16 / put32 - append big-endian integers.
void put16(std::string& b, std::uint16_t v) {
  b += static_cast<char>(v >> 8);
  b += static_cast<char>(v & 0xff);
}
void put32(std::string& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v & 0xffff));
}

// put_name - a domain name as length-prefixed labels ending in the root label; "." is the root.
bool put_name(std::string& b, std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.size() > 253) return false;  // 255 octets on the wire at most (RFC 1035 3.1)
  while (!name.empty()) {
    std::size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63) return false;
    b += static_cast<char>(label.size());
    b.append(label);
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  b += '\0';
  return true;
}

// split_list - "a, b, c" into its items.
std::vector<std::string_view> split_list(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    std::size_t c = s.find(", ");
    out.push_back(s.substr(0, c));
    s = c == std::string_view::npos ? std::string_view{} : s.substr(c + 2);
  }
  return out;
}

// parse_ipv4_view - a dotted quad (parse_ipv4 on a view).
bool parse_ipv4_view(std::string_view s, std::uint32_t& ip) { return parse_ipv4(std::string(s), ip); }

}  // namespace

std::optional<DnsPacket> dns_packet_for(const TraceEvent& e) {
  if (e.kind != TraceKind::Dns || e.code < 0) return std::nullopt;  // timeouts: no answer on the wire
  std::string_view text = e.text;
  std::size_t q_end = text.find('?');
  if (q_end == std::string_view::npos) return std::nullopt;
  std::string_view question = text.substr(0, q_end);  // "MX b.example"
  std::size_t sp = question.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  std::string_view type_name = question.substr(0, sp), qname = question.substr(sp + 1);
  const bool mx = type_name == "MX";
  if (!mx && type_name != "A") return std::nullopt;
  std::string_view rest = text.substr(q_end + 1);
  const bool response = rest.starts_with(" -> ");
  if (!response && !rest.empty()) return std::nullopt;
  std::string_view answer = response ? rest.substr(4) : std::string_view{};

  // One ID for the query and its answer: the asker, its port and the question.
  const std::string key =
      e.host + ":" + std::to_string(e.src_port) + " " + std::string(question);
  const auto id = static_cast<std::uint16_t>(fnv1a64(key) & 0xffff);

  std::string records;
  std::uint16_t ancount = 0;
  int rcode = response ? e.code : 0;
  if (response && rcode == 0 && answer != "no records (NODATA)") {
    if (answer.ends_with(" (null MX)")) answer.remove_suffix(10);
    for (std::string_view item : split_list(answer)) {
      std::string rdata;
      if (mx) {
        std::size_t s2 = item.find(' ');
        if (s2 == std::string_view::npos) return std::nullopt;
        int pref = 0;
        for (char c : item.substr(0, s2)) {
          if (c < '0' || c > '9') return std::nullopt;
          pref = pref * 10 + (c - '0');
        }
        put16(rdata, static_cast<std::uint16_t>(pref));
        if (!put_name(rdata, item.substr(s2 + 1))) return std::nullopt;
      } else {
        std::uint32_t ip = 0;
        if (!parse_ipv4_view(item, ip)) return std::nullopt;
        put32(rdata, ip);
      }
      put16(records, 0xc00c);  // the name: a pointer to the question's name
      put16(records, mx ? kTypeMx : kTypeA);
      put16(records, 1);  // IN
      put32(records, kTtl);
      put16(records, static_cast<std::uint16_t>(rdata.size()));
      records += rdata;
      ++ancount;
    }
  }

  DnsPacket p;
  p.response = response;
  std::string& m = p.payload;
  put16(m, id);
  // Query: RD. Answer: QR, AA (the DNS host is authoritative for the lesson's zones), RD, RA, rcode.
  put16(m, response ? static_cast<std::uint16_t>(0x8580 | (rcode & 0xf)) : 0x0100);
  put16(m, 1);
  put16(m, ancount);
  put16(m, 0);
  put16(m, 0);
  if (!put_name(m, qname)) return std::nullopt;
  put16(m, mx ? kTypeMx : kTypeA);
  put16(m, 1);  // IN
  m += records;
  return p;
}

}  // namespace smtpsim::exporter
