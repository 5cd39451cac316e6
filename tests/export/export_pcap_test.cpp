// export_pcap_test.cpp - captures rebuilt from hand-made traces, read back with tshark: SMTP, IMF
// and POP are dissected with no options and agree with the transcript; seq/ack, checksums and
// handshakes pass Wireshark's TCP analysis; refused and reset connections look like real ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "export/export_fixtures.hpp"
#include "export/export_tshark.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_pcap_frame.hpp"
#include "sim/export/export_transcript.hpp"

using namespace exporttest;
using namespace smtpsim;
using namespace smtpsim::exporter;

namespace {

std::string pcap_bytes(const std::vector<TraceEvent>& events, const PcapOptions& opt = {}) {
  std::ostringstream out;
  write_pcap(out, events, opt);
  return out.str();
}

// capture - the trace exported to a temp .pcap file.
std::string capture(const std::vector<TraceEvent>& events, const PcapOptions& opt = {}) {
  std::string path = temp_path(".pcap");
  write_file(path, pcap_bytes(events, opt));
  return path;
}

// transcript_dialogue - the C:/S: texts of the transcript, in order, tagged "C " / "S ".
std::vector<std::string> transcript_dialogue(const std::vector<TraceEvent>& events) {
  std::vector<std::string> out;
  for (const TranscriptLine& l : transcript_lines(events, TranscriptOptions::protocol_only()))
    out.push_back((l.tag == LineTag::Command ? "C " : "S ") + l.text);
  return out;
}

std::vector<TraceEvent> merged(std::initializer_list<std::vector<TraceEvent>> parts) {
  std::vector<TraceEvent> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  std::stable_sort(all.begin(), all.end(), [](const TraceEvent& a, const TraceEvent& b) { return a.time < b.time; });
  return all;
}

// frame_offsets - where each frame starts in a pcap file (after its 16-byte record header).
std::vector<std::size_t> frame_offsets(const std::string& pcap) {
  std::vector<std::size_t> out;
  std::size_t pos = 24;
  while (pos + 16 <= pcap.size()) {
    auto u32 = [&](std::size_t at) {
      return std::uint32_t(std::uint8_t(pcap[at])) | std::uint32_t(std::uint8_t(pcap[at + 1])) << 8 |
             std::uint32_t(std::uint8_t(pcap[at + 2])) << 16 | std::uint32_t(std::uint8_t(pcap[at + 3])) << 24;
    };
    std::uint32_t caplen = u32(pos + 8);
    out.push_back(pos + 16);
    pos += 16 + caplen;
  }
  return out;
}

}  // namespace

TEST_CASE("pcap: an SMTP session on port 25 dissects as SMTP and IMF, matching the transcript") {
  require_tshark();
  auto events = smtp_session();
  std::string path = capture(events);
  CHECK(problems(path).empty());
  auto packets = dissect(path);
  std::remove(path.c_str());

  // Commands and reply lines as tshark dissects them (a multi-line reply: one code, one parameter
  // per line) against the transcript's C:/S: lines.
  std::vector<std::string> dissected;
  for (const Packet& p : packets) {
    if (!p["smtp.req.command"].empty())
      dissected.push_back("C " + p["smtp.req.command"] +
                          (p["smtp.req.parameter"].empty() ? "" : " " + p["smtp.req.parameter"]));
    if (!p["smtp.response.code"].empty()) {
      auto params = split(p["smtp.rsp.parameter"], '|');
      for (std::size_t i = 0; i < params.size(); ++i)
        dissected.push_back("S " + p["smtp.response.code"] + (i + 1 < params.size() ? "-" : " ") + params[i]);
    }
  }
  CHECK(dissected == transcript_dialogue(events));
  CHECK(dissected.size() == 15);  // 5 commands, 10 reply lines (EHLO is answered with 4)

  // The message after DATA is reassembled and handed to the IMF dissector.
  CHECK(values(packets, "imf.from") == std::vector<std::string>{"A <a@a.example>"});
  CHECK(values(packets, "imf.to") == std::vector<std::string>{"B <b@b.example>"});
  CHECK(values(packets, "imf.subject") == std::vector<std::string>{"Lunch on Friday?"});

  // The TCP story: handshake, data at sending time split at the MSS, FIN both ways, last ACK.
  auto table = packet_table(packets);
  REQUIRE(table.size() == 20);
  CHECK(table[0] == "0.000 10.0.0.5:49152 > 10.0.1.2:25 SYN seq=0 ack=0 len=0");
  CHECK(table[1] == "0.015 10.0.1.2:25 > 10.0.0.5:49152 SYN,ACK seq=0 ack=1 len=0");
  CHECK(table[2] == "0.015 10.0.1.2:25 > 10.0.0.5:49152 PSH,ACK seq=1 ack=1 len=32");
  CHECK(table[3] == "0.030 10.0.0.5:49152 > 10.0.1.2:25 ACK seq=1 ack=33 len=0");
  CHECK(table[4] == "0.030 10.0.0.5:49152 > 10.0.1.2:25 PSH,ACK seq=1 ack=33 len=21");
  CHECK(table[12] == "0.150 10.0.0.5:49152 > 10.0.1.2:25 ACK seq=76 ack=165 len=1460");
  CHECK(table[13] == "0.150 10.0.0.5:49152 > 10.0.1.2:25 PSH,ACK seq=1536 ack=165 len=1339");
  CHECK(table[17] == "0.195 10.0.1.2:25 > 10.0.0.5:49152 FIN,ACK seq=211 ack=2881 len=0");
  CHECK(table[18] == "0.210 10.0.0.5:49152 > 10.0.1.2:25 FIN,ACK seq=2881 ack=212 len=0");
  // The client's FIN needs one travel time (15 ms) to arrive before the server can ACK it.
  CHECK(table[19] == "0.225 10.0.1.2:25 > 10.0.0.5:49152 ACK seq=212 ack=2882 len=0");
  CHECK(packets[0]["tcp.ack_raw"] == "0");  // the SYN's ack field is zero

  // Virtual time 00:15:00.000 is 15 minutes after the default epoch (2024-01-01T00:00:00Z).
  CHECK(packets[0]["frame.time_epoch"] == "1704068100.000000000");
  // MAC addresses are derived from the IPs.
  CHECK(packets[0]["eth.src"] == "02:00:0a:00:00:05");
  CHECK(packets[0]["eth.dst"] == "02:00:0a:00:01:02");
}

TEST_CASE("pcap: a POP3 session on port 110 dissects as POP, RETR's message as IMF") {
  require_tshark();
  auto events = pop3_session();
  std::string path = capture(events);
  CHECK(problems(path).empty());
  auto packets = dissect(path);
  std::remove(path.c_str());

  std::vector<std::string> dissected;
  for (const Packet& p : packets) {
    if (!p["pop.request.command"].empty())
      dissected.push_back("C " + p["pop.request.command"] +
                          (p["pop.request.parameter"].empty() ? "" : " " + p["pop.request.parameter"]));
    if (!p["pop.response.indicator"].empty())
      dissected.push_back("S " + p["pop.response.indicator"] +
                          (p["pop.response.description"].empty() ? "" : " " + p["pop.response.description"]));
  }
  CHECK(dissected == transcript_dialogue(events));
  CHECK(dissected.size() == 11);  // greeting + 5 commands with their answers

  CHECK(values(packets, "imf.subject") == std::vector<std::string>{"Lunch on Friday?"});
  CHECK(values(packets, "imf.message_id") == std::vector<std::string>{"<m1@a.example>"});

  // The +OK of RETR travels alone, then the message in MSS-sized pieces.
  auto table = packet_table(packets, [](const Packet& p) { return p["tcp.srcport"] == "110" && p["tcp.len"] != "0"; });
  REQUIRE(table.size() == 8);
  CHECK(split(table[4], ' ').back() == "len=17");  // "+OK 2795 octets\r\n"
  CHECK(table[5] == "0.045 10.0.2.2:110 > 10.0.2.9:49200 ACK seq=74 ack=36 len=1460");
  CHECK(table[6] == "0.045 10.0.2.2:110 > 10.0.2.9:49200 PSH,ACK seq=1534 ack=36 len=1339");
}

TEST_CASE("pcap: a refused connection is a SYN answered by RST,ACK from the server") {
  require_tshark();
  std::string path = capture(refused_conn());
  CHECK(problems(path).empty());
  auto packets = dissect(path);
  std::remove(path.c_str());
  CHECK(packet_table(packets) == std::vector<std::string>{
                                     "0.000 10.0.0.5:49153 > 10.0.1.3:25 SYN seq=0 ack=0 len=0",
                                     "0.040 10.0.1.3:25 > 10.0.0.5:49153 RST,ACK seq=1 ack=1 len=0",
                                 });
  // The RST carries sequence number 0 and acknowledges the client's ISN + 1, like Linux.
  REQUIRE(packets.size() == 2);
  CHECK(packets[0]["tcp.ack_raw"] == "0");
  CHECK(packets[1]["tcp.seq_raw"] == "0");
  CHECK(std::stoul(packets[1]["tcp.ack_raw"]) == (std::stoul(packets[0]["tcp.seq_raw"]) + 1) % 4294967296UL);
}

TEST_CASE("pcap: a reset sends one RST from the side that reset, after the data so far") {
  require_tshark();
  std::string path = capture(reset_conn());
  CHECK(problems(path).empty());
  auto table = packet_table(dissect(path));
  std::remove(path.c_str());
  CHECK(table == std::vector<std::string>{
                     "0.000 10.0.0.5:49154 > 10.0.1.2:25 SYN seq=0 ack=0 len=0",
                     "0.015 10.0.1.2:25 > 10.0.0.5:49154 SYN,ACK seq=0 ack=1 len=0",
                     "0.015 10.0.1.2:25 > 10.0.0.5:49154 PSH,ACK seq=1 ack=1 len=32",
                     "0.030 10.0.0.5:49154 > 10.0.1.2:25 ACK seq=1 ack=33 len=0",
                     "0.030 10.0.0.5:49154 > 10.0.1.2:25 PSH,ACK seq=1 ack=33 len=21",
                     "0.045 10.0.1.2:25 > 10.0.0.5:49154 PSH,ACK seq=33 ack=22 len=18",
                     // nobody answers the 250 at once: the client's ACK goes alone
                     "0.060 10.0.0.5:49154 > 10.0.1.2:25 ACK seq=22 ack=51 len=0",
                     "1.060 10.0.1.2:25 > 10.0.0.5:49154 RST,ACK seq=51 ack=22 len=0",
                 });
}

TEST_CASE("pcap: interleaved connections stay separate TCP streams") {
  require_tshark();
  // Shift the sessions so that they overlap in time.
  auto smtp = smtp_session(), pop = pop3_session(), refused = refused_conn(), reset = reset_conn();
  for (TraceEvent& e : pop) e.time -= minutes(5);
  for (TraceEvent& e : refused) e.time -= minutes(1) - msec(20);
  for (TraceEvent& e : reset) e.time -= minutes(2) - msec(50);
  std::string path = capture(merged({smtp, pop, refused, reset}));
  CHECK(problems(path).empty());
  auto packets = dissect(path);
  std::remove(path.c_str());
  CHECK(packets.size() == 20 + 19 + 2 + 8);
  std::vector<std::string> syn_streams;
  for (const Packet& p : packets)
    if (p["tcp.flags"] == "0x0002") syn_streams.push_back(p["tcp.stream"]);
  CHECK(syn_streams == std::vector<std::string>{"0", "1", "2", "3"});
  CHECK(values(packets, "imf.subject").size() == 2);
  // Each stream's packets are the same as when its session is exported alone.
  auto alone = [&](const std::vector<TraceEvent>& ev) { return pcap_bytes(ev).size(); };
  CHECK(alone(smtp) + alone(pop) + alone(refused) + alone(reset) == pcap_bytes(merged({smtp, pop, refused, reset})).size() + 3 * 24);
}

TEST_CASE("pcap: what the network traces - SYN retries, unreachable, timeouts, an RST seen by its receiver") {
  require_tshark();
  TraceBuilder b;
  auto syn = [&](const TraceBuilder::Conn& c, SimTime t, int k) {
    b.conn_event(c, TraceKind::ConnOpen, true, t, "SYN retry " + std::to_string(k), k);
  };
  // conn 10: the first SYN is lost, the retry at 1 s gets through; then a short exchange and FINs.
  auto c10 = b.open(10, {"out1", "10.0.0.5", 49200}, {"mx.b.example", "10.0.1.2", 25}, 0, msec(10));
  syn(c10, sec(1), 1);
  b.accept(c10, sec(1) + msec(10));
  SimTime t = b.server_says(c10, sec(1) + msec(10), 220, {"220 mx.b.example ESMTP"});
  t = b.client_says(c10, t, "QUIT");
  t = b.server_says(c10, t, 221, {"221 Bye"});
  b.close(c10, false, t - msec(10));
  b.close(c10, true, t);
  // conn 11: no route: the network reports it at once, nothing is ever sent.
  TraceEvent unreachable;
  unreachable.time = sec(2);
  unreachable.kind = TraceKind::ConnTimeout;
  unreachable.host = "out1";
  unreachable.peer = "mx9.b.example";
  unreachable.conn = 11;
  unreachable.src_ip = 0x0a000005;
  unreachable.dst_ip = 0x0a000109;
  unreachable.dst_port = 25;
  unreachable.text = "unreachable: no route to mx9.b.example";
  b.raw().push_back(unreachable);
  // conn 12: host down: SYN, retries at 1 s and 3 s, then the connect timeout.
  auto c12 = b.open(12, {"out1", "10.0.0.5", 49201}, {"mx2.b.example", "10.0.1.3", 25}, sec(3), msec(10));
  syn(c12, sec(4), 1);
  syn(c12, sec(6), 2);
  b.conn_event(c12, TraceKind::ConnTimeout, true, sec(8), "no answer to SYN after 3 attempts");
  // conn 13: established, then a write that never arrives: both ends time out, no FIN, no RST.
  auto c13 = b.open(13, {"out1", "10.0.0.5", 49202}, {"mx.b.example", "10.0.1.2", 25}, sec(10), msec(10));
  b.accept(c13, sec(10) + msec(10));
  t = b.server_says(c13, sec(10) + msec(10), 220, {"220 mx.b.example ESMTP"});
  TraceEvent lost = b.raw().back();  // keep the delivery of the greeting; the EHLO is never delivered
  TraceEvent ehlo = lost;
  ehlo.kind = TraceKind::BytesSent;
  ehlo.time = t;
  std::swap(ehlo.host, ehlo.peer);
  std::swap(ehlo.src_ip, ehlo.dst_ip);
  std::swap(ehlo.src_port, ehlo.dst_port);
  ehlo.data = "EHLO out1.a.example\r\n";
  b.raw().push_back(ehlo);
  b.conn_event(c13, TraceKind::ConnTimeout, true, t + minutes(2), "stalled: no data got through for 2m");
  b.conn_event(c13, TraceKind::ConnTimeout, false, t + minutes(2), "stalled: no data got through for 2m");
  // conn 14: the server restarted meanwhile; the client's data draws an RST that only the client reports.
  auto c14 = b.open(14, {"out1", "10.0.0.5", 49203}, {"mx.b.example", "10.0.1.2", 25}, minutes(5), msec(10));
  b.accept(c14, minutes(5) + msec(10));
  t = b.server_says(c14, minutes(5) + msec(10), 220, {"220 mx.b.example ESMTP"});
  TraceEvent noop = b.raw().back();
  std::swap(noop.host, noop.peer);
  std::swap(noop.src_ip, noop.dst_ip);
  std::swap(noop.src_port, noop.dst_port);
  noop.kind = TraceKind::BytesSent;
  noop.time = t + minutes(1);
  noop.data = "NOOP\r\n";
  b.raw().push_back(noop);
  b.reset(c14, true, t + minutes(1) + msec(20), "reset by peer");
  auto events = b.sorted();

  std::string path = capture(events);
  auto flagged = problems(path);
  auto packets = dissect(path);
  std::remove(path.c_str());
  auto stream = [&](const char* port) {
    return packet_table(packets, [&](const Packet& p) { return p["tcp.srcport"] == port || p["tcp.dstport"] == port; });
  };
  CHECK(stream("49200") == std::vector<std::string>{
                               "0.000 10.0.0.5:49200 > 10.0.1.2:25 SYN seq=0 ack=0 len=0",
                               "1.000 10.0.0.5:49200 > 10.0.1.2:25 SYN seq=0 ack=0 len=0",
                               "1.010 10.0.1.2:25 > 10.0.0.5:49200 SYN,ACK seq=0 ack=1 len=0",
                               "1.010 10.0.1.2:25 > 10.0.0.5:49200 PSH,ACK seq=1 ack=1 len=24",
                               "1.020 10.0.0.5:49200 > 10.0.1.2:25 ACK seq=1 ack=25 len=0",
                               "1.020 10.0.0.5:49200 > 10.0.1.2:25 PSH,ACK seq=1 ack=25 len=6",
                               "1.030 10.0.1.2:25 > 10.0.0.5:49200 PSH,ACK seq=25 ack=7 len=9",
                               "1.030 10.0.1.2:25 > 10.0.0.5:49200 FIN,ACK seq=34 ack=7 len=0",
                               "1.040 10.0.0.5:49200 > 10.0.1.2:25 FIN,ACK seq=7 ack=35 len=0",
                               "1.050 10.0.1.2:25 > 10.0.0.5:49200 ACK seq=35 ack=8 len=0",
                           });
  CHECK(stream("49201") == std::vector<std::string>{
                               "3.000 10.0.0.5:49201 > 10.0.1.3:25 SYN seq=0 ack=0 len=0",
                               "4.000 10.0.0.5:49201 > 10.0.1.3:25 SYN seq=0 ack=0 len=0",
                               "6.000 10.0.0.5:49201 > 10.0.1.3:25 SYN seq=0 ack=0 len=0",
                           });
  auto stalled = stream("49202");
  REQUIRE(stalled.size() == 5);  // SYN, SYN-ACK, greeting, ACK, the EHLO that never arrives
  CHECK(stalled.back() == "10.020 10.0.0.5:49202 > 10.0.1.2:25 PSH,ACK seq=1 ack=25 len=21");
  auto reset = stream("49203");
  REQUIRE(reset.size() == 6);
  // The restarted server has no such connection: RST without ACK, seq = the client's ack.
  CHECK(reset.back() == "360.040 10.0.1.2:25 > 10.0.0.5:49203 RST seq=25 ack=0 len=0");
  CHECK(packets.size() == 10 + 3 + 5 + 6);  // nothing at all for the unreachable connect

  // Wireshark flags exactly the repeated SYNs, as retransmissions.
  std::vector<std::string> expected_flags;
  for (const Packet& p : packets)
    if (p["tcp.flags"] == "0x0002" && p["tcp.srcport"] != "49202" && p["tcp.srcport"] != "49203" &&
        p["frame.time_relative"] != "0.000000000" && p["frame.time_relative"] != "3.000000000")
      expected_flags.push_back(p["frame.number"]);
  REQUIRE(expected_flags.size() == 3);
  REQUIRE(flagged.size() == 3);
  for (std::size_t i = 0; i < flagged.size(); ++i) {
    CHECK(split(flagged[i], '\t')[0] == expected_flags[i]);
    CHECK(flagged[i].find("retransmission") != std::string::npos);
  }

  // The transcript says what each timeout was.
  std::string text = format_transcript(events);
  CHECK(text.find("** TCP connect 10.0.0.5:49200 -> 10.0.1.2:25 (SYN retry 1)\n") != std::string::npos);
  CHECK(text.find("** TCP connect failed, no SYN sent (unreachable: no route to mx9.b.example)\n") != std::string::npos);
  CHECK(text.find("** TCP connect timed out: no answer from 10.0.1.3:25 (no answer to SYN after 3 attempts)\n") !=
        std::string::npos);
  CHECK(text.find("** TCP connection timed out (stalled: no data got through for 2m)\n") != std::string::npos);
}

TEST_CASE("pcap: the checks catch a broken capture (bad checksum, bad sequence number)") {
  require_tshark();
  std::string good = pcap_bytes(smtp_session());
  auto frames = frame_offsets(good);
  REQUIRE(frames.size() == 20);

  SECTION("a payload byte changed without fixing the TCP checksum") {
    std::string bad = good;
    bad[frames[4] + 14 + 20 + 20] ^= 0x20;  // "EHLO" -> "eHLO"
    std::string path = temp_path(".pcap");
    write_file(path, bad);
    auto p = problems(path);
    REQUIRE(p.size() == 1);
    CHECK(p[0].rfind("5\t", 0) == 0);
    CHECK(p[0].find("Bad checksum") != std::string::npos);
    std::remove(path.c_str());
  }
  SECTION("an IPv4 header byte changed (TTL)") {
    std::string bad = good;
    bad[frames[6] + 14 + 8] = 63;
    std::string path = temp_path(".pcap");
    write_file(path, bad);
    auto p = problems(path);
    REQUIRE(p.size() == 1);
    CHECK(p[0].rfind("7\t", 0) == 0);
    std::remove(path.c_str());
  }
  SECTION("a data segment that skips ahead (seq + 100, checksum recomputed)") {
    // Rebuild frame 5 (the EHLO) with a wrong sequence number but a valid checksum.
    std::string bad = good;
    std::size_t f = frames[4];
    auto be32 = [&](std::size_t at) {
      return std::uint32_t(std::uint8_t(bad[at])) << 24 | std::uint32_t(std::uint8_t(bad[at + 1])) << 16 |
             std::uint32_t(std::uint8_t(bad[at + 2])) << 8 | std::uint32_t(std::uint8_t(bad[at + 3]));
    };
    TcpSegment s;
    s.src_ip = be32(f + 26);
    s.dst_ip = be32(f + 30);
    s.src_port = 49152;
    s.dst_port = 25;
    s.seq = be32(f + 38) + 100;
    s.ack = be32(f + 42);
    s.flags = kTcpAck | kTcpPsh;
    s.ip_id = static_cast<std::uint16_t>(std::uint8_t(bad[f + 18]) << 8 | std::uint8_t(bad[f + 19]));
    std::string payload = "EHLO out1.a.example\r\n";
    s.payload = payload;
    std::string frame = build_frame(s);
    REQUIRE(frame.size() == 14 + 20 + 20 + payload.size());
    bad.replace(f, frame.size(), frame);
    std::string path = temp_path(".pcap");
    write_file(path, bad);
    auto p = problems(path);
    REQUIRE_FALSE(p.empty());
    CHECK(p[0].find("Previous segment") != std::string::npos);
    std::remove(path.c_str());
  }
}

TEST_CASE("pcap: the streaming writer attached to a Trace writes the same bytes as write_pcap") {
  auto events = merged({smtp_session(), pop3_session(), refused_conn(), reset_conn()});
  std::string whole = pcap_bytes(events);

  std::ostringstream streamed;
  {
    Trace trace;
    trace.set_recording(false);
    PcapWriter w(streamed);
    w.attach(trace);
    for (const TraceEvent& e : events) trace.emit(e);
    CHECK(w.connections() == 4);
    w.detach();
    trace.emit(events.front());  // after detach: nothing more is written
  }  // the destructor flushes the last pending ACK
  CHECK(streamed.str() == whole);
  CHECK(frame_offsets(whole).size() == 20 + 19 + 2 + 8);
}

TEST_CASE("pcap: options (epoch, MSS, no pure ACKs) and events without a handshake (mid-stream)") {
  require_tshark();
  SECTION("epoch and MSS") {
    PcapOptions o;
    o.epoch_us = 0;
    o.mss = 536;
    std::string path = capture(smtp_session(), o);
    CHECK(problems(path).empty());
    auto packets = dissect(path);
    std::remove(path.c_str());
    CHECK(packets[0]["frame.time_epoch"] == "900.000000000");
    CHECK(packets[0]["tcp.options.mss_val"] == "536");
    std::vector<std::string> lens;
    for (const Packet& p : packets)
      if (p["tcp.srcport"] == "49152" && std::stoi(p["tcp.len"]) > 100) lens.push_back(p["tcp.len"]);
    CHECK(lens == std::vector<std::string>{"536", "536", "536", "536", "536", "119"});
    CHECK(values(packets, "imf.subject").size() == 1);
  }
  SECTION("pure ACKs off: only the handshake ACK carries no data or flags") {
    PcapOptions o;
    o.pure_acks = false;
    std::string path = capture(reset_conn(), o);
    CHECK(problems(path).empty());
    auto table = packet_table(dissect(path));
    std::remove(path.c_str());
    CHECK(table.size() == 7);
    CHECK(std::none_of(table.begin(), table.end(), [](const std::string& l) { return l.find("0.060") == 0; }));
  }
  SECTION("a writer that missed the connection's opening") {
    auto events = smtp_session();
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const TraceEvent& e) {
                                  return e.kind == TraceKind::ConnOpen || e.kind == TraceKind::ConnAccept;
                                }),
                 events.end());
    std::string path = capture(events);
    auto packets = dissect(path);
    std::remove(path.c_str());
    auto table = packet_table(packets);
    REQUIRE(table.size() == 17);  // no SYN, SYN-ACK, handshake ACK
    CHECK(table[0].find("10.0.1.2:25 > 10.0.0.5:49152 PSH,ACK") != std::string::npos);
    CHECK(values(packets, "smtp.req.command").size() == 5);
  }
}

TEST_CASE("pcap frames: checksums verify to zero, MACs come from the IP") {
  TcpSegment s;
  s.src_ip = 0x0a000005;
  s.dst_ip = 0x0a000102;
  s.src_port = 49152;
  s.dst_port = 25;
  s.seq = 1000;
  s.ack = 2000;
  s.flags = kTcpAck | kTcpPsh;
  s.payload = "odd length!";
  std::string f = build_frame(s);
  REQUIRE(f.size() == 14 + 20 + 20 + 11);
  // A correct ones'-complement checksum makes the covered bytes sum to 0xffff (fold -> 0).
  CHECK(checksum_fold(checksum_add(0, std::string_view(f).substr(14, 20))) == 0);
  std::string pseudo = f.substr(26, 8) + std::string("\0\x06", 2) + std::string(1, 0) + char(20 + 11);
  CHECK(checksum_fold(checksum_add(checksum_add(0, pseudo), std::string_view(f).substr(34))) == 0);
  CHECK(f.substr(0, 6) == std::string("\x02\x00\x0a\x00\x01\x02", 6));
  CHECK(f.substr(6, 6) == std::string("\x02\x00\x0a\x00\x00\x05", 6));
  // RFC 1071's worked example: 0001 f203 f4f5 f6f7 sums to ddf2 (checksum 220d).
  CHECK(checksum_fold(checksum_add(0, std::string("\x00\x01\xf2\x03\xf4\xf5\xf6\xf7", 8))) == 0x220d);
}
