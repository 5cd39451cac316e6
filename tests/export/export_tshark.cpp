// export_tshark.cpp - tshark runs for the pcap tests (checksum validation always on).
#include "export/export_tshark.hpp"

#include <catch2/catch.hpp>

#include <cstdio>

#include "export/export_fixtures.hpp"

namespace exporttest {

namespace {

const char* const kFields[] = {
    "frame.number", "frame.time_epoch", "frame.time_relative", "eth.src", "eth.dst", "ip.src", "tcp.srcport",
    "ip.dst", "tcp.dstport", "tcp.flags", "tcp.seq", "tcp.ack", "tcp.seq_raw", "tcp.ack_raw", "tcp.len",
    "tcp.stream", "tcp.options.mss_val", "smtp.req", "smtp.req.command", "smtp.req.parameter",
    "smtp.response.code", "smtp.rsp.parameter", "pop.request.command", "pop.request.parameter",
    "pop.response.indicator", "pop.response.description", "imf.from", "imf.to", "imf.subject", "imf.message_id",
    "_ws.col.Info", "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.record.opaque_type",
};

const std::string kChecksums = "-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE ";

std::string flag_names(unsigned flags) {
  static const std::pair<unsigned, const char*> names[] = {
      {0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}, {0x08, "PSH"}, {0x10, "ACK"}};
  std::string out;
  for (auto [bit, name] : names)
    if (flags & bit) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

}  // namespace

const std::string& Packet::operator[](const std::string& name) const {
  static const std::string empty;
  auto it = fields.find(name);
  return it == fields.end() ? empty : it->second;
}

void require_tshark() {
  if (!have_program("tshark"))
    FAIL("tshark is not installed: the pcap tests read every capture back with tshark "
         "(Debian: DEBIAN_FRONTEND=noninteractive apt-get install -y tshark)");
}

std::vector<Packet> dissect(const std::string& path) {
  std::string cmd = "tshark -n -r '" + path + "' " + kChecksums + "-T fields -E occurrence=a -E aggregator='|'";
  for (const char* f : kFields) cmd += std::string(" -e ") + f;
  int status = 0;
  std::string out = run(cmd, &status);
  REQUIRE(status == 0);
  std::vector<Packet> packets;
  for (const std::string& line : lines(out)) {
    auto cols = split(line, '\t');
    REQUIRE(cols.size() == std::size(kFields));
    Packet p;
    for (std::size_t i = 0; i < cols.size(); ++i) p.fields[kFields[i]] = cols[i];
    packets.push_back(std::move(p));
  }
  return packets;
}

std::vector<std::string> problems(const std::string& path) {
  int status = 0;
  std::string out = run("tshark -n -r '" + path + "' " + kChecksums +
                            "-Y 'tcp.analysis.flags || ip.checksum.status == \"Bad\" || "
                            "tcp.checksum.status == \"Bad\" || _ws.malformed || _ws.expert.severity == \"Error\"' "
                            "-T fields -E occurrence=a -E aggregator=';' -e frame.number -e _ws.expert.message",
                        &status);
  REQUIRE(status == 0);
  return lines(out);
}

std::vector<std::string> packet_table(const std::vector<Packet>& packets,
                                      const std::function<bool(const Packet&)>& keep) {
  std::vector<std::string> table;
  for (const Packet& p : packets) {
    if (p["tcp.flags"].empty() || (keep && !keep(p))) continue;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%.3f %s:%s > %s:%s %s seq=%s ack=%s len=%s", std::stod(p["frame.time_relative"]),
                  p["ip.src"].c_str(), p["tcp.srcport"].c_str(), p["ip.dst"].c_str(), p["tcp.dstport"].c_str(),
                  flag_names(static_cast<unsigned>(std::stoul(p["tcp.flags"], nullptr, 16))).c_str(),
                  p["tcp.seq"].c_str(), p["tcp.ack"].c_str(), p["tcp.len"].c_str());
    table.push_back(buf);
  }
  return table;
}

std::vector<std::string> values(const std::vector<Packet>& packets, const std::string& field) {
  std::vector<std::string> out;
  for (const Packet& p : packets)
    if (!p[field].empty()) out.push_back(p[field]);
  return out;
}

}  // namespace exporttest
