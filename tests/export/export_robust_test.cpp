// export_robust_test.cpp - arbitrary event sequences (seeded random kinds, connections, endpoints,
// bytes and text, out-of-order and duplicate reports) never crash an exporter, and what they
// write is still a valid capture (tshark reads it, nothing malformed) and valid JSON Lines.
#include <catch2/catch.hpp>

#include <sstream>

#include "export/export_fixtures.hpp"
#include "export/export_tshark.hpp"
#include "sim/core/rng.hpp"
#include "sim/export/export_jsonl.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_transcript.hpp"

using namespace exporttest;
using namespace smtpsim;
using namespace smtpsim::exporter;

namespace {

std::string random_bytes(Rng& r, std::size_t max_len) {
  std::string s(r.below(max_len + 1), '\0');
  for (char& c : s) c = static_cast<char>(r.below(256));
  return s;
}

std::vector<TraceEvent> random_trace(std::uint64_t seed, std::size_t n) {
  Rng r(seed);
  const char* hosts[] = {"a", "b.example", "c", "", "caf\xc3\xa9"};
  std::vector<TraceEvent> out;
  SimTime t = 0;
  for (std::size_t i = 0; i < n; ++i) {
    TraceEvent e;
    t += static_cast<SimTime>(r.below(3)) * msec(1) - (r.chance(0.02) ? msec(5) : 0);  // sometimes backwards
    e.time = t;
    e.kind = static_cast<TraceKind>(r.below(static_cast<std::uint64_t>(TraceKind::Note) + 1));
    e.host = hosts[r.below(5)];
    e.peer = hosts[r.below(5)];
    e.conn = r.below(300);
    e.src_ip = 0x0a000000u + static_cast<std::uint32_t>(r.below(3));
    e.dst_ip = 0x0a000000u + static_cast<std::uint32_t>(r.below(3));
    e.src_port = static_cast<std::uint16_t>(r.chance(0.5) ? 25 : 40000 + r.below(3));
    e.dst_port = static_cast<std::uint16_t>(r.chance(0.5) ? 110 : 25);
    e.code = static_cast<int>(r.below(600)) - 5;
    e.text = r.chance(0.5) ? random_bytes(r, 40) : std::string(r.chance(0.5) ? "354 go" : "RETR 1");
    if (e.kind == TraceKind::BytesSent || e.kind == TraceKind::BytesDelivered || r.chance(0.05))
      e.data = r.chance(0.3) ? std::string("+OK 5\r\nabc\r\n.\r\n") : random_bytes(r, 4000);
    e.msg = r.chance(0.2) ? random_bytes(r, 8) : "";
    e.rcpt = r.chance(0.2) ? "b@b.example" : "";
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

TEST_CASE("exporters survive arbitrary event sequences and still write valid files") {
  auto events = random_trace(GENERATE(1, 2, 3), 3000);

  TranscriptOptions topt;
  topt.data = true;
  topt.bytes = true;
  topt.conn_column = true;
  std::string text = format_transcript(events, topt);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\0') == std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') >= static_cast<long>(events.size()));

  std::ostringstream jsonl;
  REQUIRE(write_jsonl(jsonl, events) == events.size());
  if (!have_program("python3")) FAIL("python3 is not installed: needed to parse the JSONL output");
  std::string jpath = temp_path(".jsonl");
  write_file(jpath, jsonl.str());
  int status = 0;
  std::string out = run("python3 -c 'import json,sys; n=sum(1 for l in open(sys.argv[1],\"rb\").read()"
                        ".decode(\"utf-8\").splitlines() if json.loads(l)); print(n)' '" + jpath + "'",
                        &status, true);
  std::remove(jpath.c_str());
  CHECK(status == 0);
  CHECK(out == std::to_string(events.size()) + "\n");

  std::ostringstream pcap;
  PcapOptions popt;
  popt.mss = 100;
  std::uint64_t packets_written = write_pcap(pcap, events, popt);
  CHECK(packets_written > 300);
  require_tshark();
  std::string ppath = temp_path(".pcap");
  write_file(ppath, pcap.str());
  // Nothing malformed, no bad checksum (TCP analysis may complain: the events make no sense).
  auto flagged = problems(ppath);
  auto packets = dissect(ppath);
  CHECK(packets.size() == packets_written);
  std::vector<std::string> broken;
  for (const std::string& f : flagged)
    if (f.find("checksum") != std::string::npos || f.find("Malformed") != std::string::npos) broken.push_back(f);
  CHECK(broken.empty());
  std::remove(ppath.c_str());
}
