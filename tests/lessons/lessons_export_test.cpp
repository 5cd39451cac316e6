// lessons_export_test.cpp - the exporters on a whole simulated run: the story lesson written as
// pcap and JSON Lines, the capture read back by tshark (real SMTP, IMF, POP and TLS dissected),
// and what Wireshark sees of each session compared with the transcript and the event log.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "sim/export/export_jsonl.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_transcript.hpp"
#include "sim/net/network.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

using namespace smtpsim;
namespace fs = std::filesystem;

namespace {

// shell - run a command, return its stdout; status gets the exit code.
std::string shell(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    *status = -1;
    return out;
  }
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Endpoints - a TCP connection as (client ip:port, server ip:port), the key tshark and the trace share.
using Endpoints = std::pair<std::string, std::string>;

std::string ep(std::uint32_t ip, std::uint16_t port) { return ipv4_to_string(ip) + ":" + std::to_string(port); }

// Dissected - what tshark says about one TCP stream.
struct Dissected {
  Endpoints ends;
  std::vector<std::string> commands;  // command lines: "MAIL FROM:<a@a.example> SIZE=226"
  std::vector<std::string> replies;   // reply codes, one per reply
  bool client_hello = false, server_hello = false;
  std::vector<std::string> subjects;  // IMF subjects of messages carried in plain text
  std::vector<std::string> pop_commands;
};

const char* const kFields[] = {"tcp.stream",  "ip.src",           "tcp.srcport",        "ip.dst",
                               "tcp.dstport", "smtp.command_line", "smtp.response.code", "tls.handshake.type",
                               "imf.subject", "pop.request.command"};

// dissect - every TCP stream of the capture, by tshark.
std::map<int, Dissected> dissect(const std::string& pcap) {
  std::string cmd = "tshark -n -r '" + pcap + "' -T fields -E occurrence=a -E aggregator='|' -Y tcp";
  for (const char* f : kFields) cmd += std::string(" -e ") + f;
  cmd += " 2>/dev/null";
  int status = 0;
  std::string out = shell(cmd, &status);
  REQUIRE(status == 0);
  std::map<int, Dissected> streams;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    auto c = split(line, '\t');
    REQUIRE(c.size() == std::size(kFields));
    Dissected& d = streams[std::stoi(c[0])];
    const std::string src = c[1] + ":" + c[2], dst = c[3] + ":" + c[4];
    if (d.ends.first.empty()) d.ends = {src, dst};  // the first packet is the client's SYN
    // Command lines as tshark prints them: "MAIL FROM:<a@a.example> SIZE=226\r\n" (escaped).
    if (!c[5].empty())
      for (std::string l : split(c[5], '|')) {
        if (l.size() >= 4 && l.compare(l.size() - 4, 4, "\\r\\n") == 0) l.resize(l.size() - 4);
        d.commands.push_back(l);
      }
    if (!c[6].empty())
      for (const std::string& code : split(c[6], '|')) d.replies.push_back(code);
    for (const std::string& t : split(c[7], '|')) {
      d.client_hello |= t == "1";
      d.server_hello |= t == "2";
    }
    if (!c[8].empty()) d.subjects.push_back(c[8]);
    if (!c[9].empty())
      for (const std::string& v : split(c[9], '|')) d.pop_commands.push_back(v);
  }
  return streams;
}

// SessionTrace - what the trace and the transcript say about one connection.
struct SessionTrace {
  std::uint64_t conn = 0;
  Endpoints ends;
  std::string server;
  std::vector<std::string> commands;  // from the transcript's "C:" lines
  std::vector<std::string> replies;   // codes of the transcript's final "S:" lines
  bool tls = false;
  bool smtp = false;
};

std::map<std::uint64_t, SessionTrace> sessions(const std::vector<TraceEvent>& events) {
  std::map<std::uint64_t, SessionTrace> out;
  for (const TraceEvent& e : events) {
    if (e.kind == TraceKind::ConnAccept && e.conn) {
      SessionTrace& s = out[e.conn];
      s.conn = e.conn;
      s.ends = {ep(e.src_ip, e.src_port), ep(e.dst_ip, e.dst_port)};
      s.server = e.peer;
      s.smtp = e.dst_port == 25 || e.dst_port == 587;
    }
    if (e.kind == TraceKind::Tls && e.conn && e.text.rfind("done", 0) == 0) out[e.conn].tls = true;
  }
  // The transcript, one connection at a time: its C: and S: lines.
  for (auto& [conn, s] : out) {
    exporter::TranscriptOptions o = exporter::TranscriptOptions::protocol_only();
    o.conns = {conn};
    for (const std::string& line : split(exporter::format_transcript(events, o), '\n')) {
      auto c = line.find(" C: "), r = line.find(" S: ");
      if (c != std::string::npos) s.commands.push_back(line.substr(c + 4));
      if (r != std::string::npos && line.size() > r + 7 && line[r + 7] != '-') s.replies.push_back(line.substr(r + 4, 3));
    }
  }
  return out;
}

// plaintext_part - the command lines tshark can read: everything up to STARTTLS when TLS
// followed; the "." that ends the message is message data to the dissector, not a command line.
// Wireshark's SMTP dissector also takes every client line after a DATA as message data until a
// "." - it does not look at the reply - so when a pipelined DATA was refused (mx2's 451 at RCPT
// leaves no recipient: 554 to DATA) and no message followed, the client's QUIT is lost to it.
std::vector<std::string> plaintext_part(const SessionTrace& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.commands.size(); ++i) {
    const std::string& c = s.commands[i];
    if (c == ".") continue;
    out.push_back(c);
    if (c == "STARTTLS" && s.tls) break;
    if (c == "DATA" && (i + 1 >= s.commands.size() || s.commands[i + 1] != ".")) break;
  }
  return out;
}

}  // namespace

TEST_CASE("the story as pcap and JSONL: tshark reads every session as the transcript tells it") {
  int status = 0;
  shell("command -v tshark >/dev/null 2>&1", &status);
  if (status != 0)
    FAIL("tshark is not installed: this test reads the story's capture back with it "
         "(Debian: apt-get install -y tshark)");

  auto loaded = scenario::load_scenario_file((fs::path(SMTPSIM_SOURCE_DIR) / "scenarios" / "lessons" / "story.yaml").string());
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  scenario::ScenarioSpec spec = *loaded.spec;
  // B's MX hosts speak without TLS in this copy of the story, so that whole SMTP sessions -
  // mx2's 451s and mx1's delivery with the message itself - cross the wire in plain text.
  for (const char* mx : {"mx1.b.example", "mx2.b.example"}) {
    auto it = std::find_if(spec.hosts.begin(), spec.hosts.end(), [&](const scenario::HostSpec& h) { return h.name == mx; });
    REQUIRE(it != spec.hosts.end());
    REQUIRE(it->as<scenario::MxOptions>());
    it->as<scenario::MxOptions>()->server.tls = scenario::TlsMode::None;
  }
  scenario::ScenarioRun run(spec);
  run.run_to_end();
  scenario::RunReport rep = run.finish();
  REQUIRE(rep.ok());
  const std::vector<TraceEvent>& events = run.world().trace.events();

  const fs::path dir = fs::temp_directory_path();
  const std::string pcap = (dir / "smtpsim_lessons_story.pcap").string();
  const std::string jsonl = (dir / "smtpsim_lessons_story.jsonl").string();
  {
    std::ofstream p(pcap, std::ios::binary), j(jsonl, std::ios::binary);
    CHECK(exporter::write_pcap(p, events) > 100);
    CHECK(exporter::write_jsonl(j, events) == events.size());
  }

  // --- the capture, dissected ---
  std::map<int, Dissected> streams = dissect(pcap);
  std::map<Endpoints, const Dissected*> by_ends;
  for (const auto& [n, d] : streams) by_ends[d.ends] = &d;
  std::map<std::uint64_t, SessionTrace> traced = sessions(events);

  int plaintext_sessions = 0, tls_sessions = 0, pop_sessions = 0;
  for (const auto& [conn, s] : traced) {
    INFO("connection #" << conn << " " << s.ends.first << " -> " << s.ends.second << " (" << s.server << ")");
    auto d = by_ends.find(s.ends);
    REQUIRE(d != by_ends.end());
    // TLS: a Client Hello and a Server Hello exactly on the sessions that used STARTTLS/STLS.
    CHECK(d->second->client_hello == s.tls);
    CHECK(d->second->server_hello == s.tls);
    if (!s.smtp) {
      if (!s.commands.empty()) {
        ++pop_sessions;
        // POP3 before STLS: CAPA and STLS in the clear, nothing after.
        CHECK(d->second->pop_commands == std::vector<std::string>{"CAPA", "STLS"});
      }
      continue;
    }
    if (s.commands.empty()) continue;  // a connection the cluster's balancer spliced (no dialogue of its own)
    // The commands Wireshark reads are exactly the transcript's, up to where TLS starts.
    CHECK(d->second->commands == plaintext_part(s));
    if (s.tls) {
      ++tls_sessions;
    } else {
      ++plaintext_sessions;
      // A plaintext session: every reply too, one code per reply, in order.
      CHECK(d->second->replies == s.replies);
    }
  }
  CHECK(plaintext_sessions >= 5);  // mx2's deferrals, then mx1's delivery
  CHECK(tls_sessions >= 3);        // submission, relay to the cluster, mx1 -> mda
  CHECK(pop_sessions >= 20);       // both clients poll every 5 minutes
  // The one message that crossed the wire in plain text (out*.fra -> mx1.b.example) is
  // reassembled and handed to the IMF dissector; the TLS sessions show no message at all.
  std::vector<std::string> subjects;
  for (const auto& [n, d] : streams)
    for (const std::string& s : d.subjects) subjects.push_back(s);
  CHECK(subjects == std::vector<std::string>{"Lunch on Friday?"});

  // --- the JSON Lines log: one line per event, in order, and the same commands ---
  std::ifstream j(jsonl);
  std::string line;
  std::size_t n = 0;
  std::map<std::uint64_t, std::vector<std::string>> jsonl_commands;
  const std::regex cmd_re(R"re("kind":"command".*"conn":(\d+),.*"text":"((?:[^"\\]|\\.)*)")re");
  while (std::getline(j, line)) {
    REQUIRE(line.rfind("{\"seq\":" + std::to_string(n) + ",", 0) == 0);
    REQUIRE(line.back() == '}');
    std::smatch m;
    // The client's lines (the server's received copies, "rx", are what the transcript leaves out).
    if (line.find("\"rx\":true") == std::string::npos && std::regex_search(line, m, cmd_re))
      jsonl_commands[std::stoull(m[1])].push_back(m[2]);
    ++n;
  }
  CHECK(n == events.size());
  for (const auto& [conn, s] : traced) {
    if (s.commands.empty()) continue;
    INFO("connection #" << conn);
    CHECK(jsonl_commands[conn] == s.commands);
  }
  std::remove(pcap.c_str());
  std::remove(jsonl.c_str());
}
