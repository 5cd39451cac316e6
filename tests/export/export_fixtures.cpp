// export_fixtures.cpp - the hand-built sessions and the external-program helpers of the export tests.
#include "export/export_fixtures.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace exporttest {

using namespace smtpsim;

namespace {
std::uint32_t ip_of(const std::string& text) {
  std::uint32_t ip = 0;
  if (!parse_ipv4(text, ip)) throw std::invalid_argument("bad IPv4 in fixture: " + text);
  return ip;
}
}  // namespace

TraceEvent TraceBuilder::base(const Conn& c, TraceKind k, bool from_client, SimTime t) const {
  const Endpoint& me = from_client ? c.client : c.server;
  const Endpoint& other = from_client ? c.server : c.client;
  TraceEvent e;
  e.time = t;
  e.kind = k;
  e.host = me.host;
  e.peer = other.host;
  e.conn = c.id;
  e.src_ip = ip_of(me.ip);
  e.src_port = me.port;
  e.dst_ip = ip_of(other.ip);
  e.dst_port = other.port;
  return e;
}

TraceBuilder::Conn TraceBuilder::open(std::uint64_t id, Endpoint client, Endpoint server, SimTime t, Duration owd) {
  Conn c{id, std::move(client), std::move(server), owd};
  TraceEvent e = base(c, TraceKind::ConnOpen, true, t);
  e.text = "SYN";
  events_.push_back(e);
  return c;
}

void TraceBuilder::accept(const Conn& c, SimTime t) {
  TraceEvent e = base(c, TraceKind::ConnAccept, true, t);
  e.text = "accepted by " + c.server.host;
  events_.push_back(e);
}

SimTime TraceBuilder::client_says(const Conn& c, SimTime t, const std::string& line) {
  TraceEvent e = base(c, TraceKind::Command, true, t);
  e.text = line;
  events_.push_back(e);
  return bytes(c, true, t, line + "\r\n");
}

SimTime TraceBuilder::server_says(const Conn& c, SimTime t, int code, const std::vector<std::string>& lines,
                                  const std::string& extra) {
  std::string wire;
  for (const std::string& l : lines) {
    TraceEvent e = base(c, TraceKind::Reply, false, t);
    e.code = code;
    e.text = l;
    events_.push_back(e);
    wire += l + "\r\n";
  }
  return bytes(c, false, t, wire + extra);
}

SimTime TraceBuilder::bytes(const Conn& c, bool from_client, SimTime t, const std::string& data) {
  TraceEvent s = base(c, TraceKind::BytesSent, from_client, t);
  s.data = data;
  events_.push_back(s);
  TraceEvent d = base(c, TraceKind::BytesDelivered, from_client, t + c.owd);
  d.data = data;
  events_.push_back(d);
  return t + c.owd;
}

void TraceBuilder::close(const Conn& c, bool from_client, SimTime t, const std::string& how) {
  TraceEvent e = base(c, TraceKind::ConnClose, from_client, t);
  e.text = how;
  events_.push_back(e);
}

void TraceBuilder::reset(const Conn& c, bool by_client, SimTime t, const std::string& cause) {
  TraceEvent e = base(c, TraceKind::ConnReset, by_client, t);
  e.text = cause;
  events_.push_back(e);
}

void TraceBuilder::conn_event(const Conn& c, TraceKind k, bool from_client, SimTime t, const std::string& text,
                              int code) {
  TraceEvent e = base(c, k, from_client, t);
  e.text = text;
  e.code = code;
  events_.push_back(e);
}

void TraceBuilder::other(TraceKind k, SimTime t, const std::string& host, const std::string& text,
                         const std::string& msg, const std::string& rcpt, int code, const std::string& peer) {
  TraceEvent e;
  e.time = t;
  e.kind = k;
  e.host = host;
  e.peer = peer;
  e.text = text;
  e.msg = msg;
  e.rcpt = rcpt;
  e.code = code;
  events_.push_back(e);
}

std::vector<TraceEvent> TraceBuilder::sorted() const {
  std::vector<TraceEvent> out = events_;
  std::stable_sort(out.begin(), out.end(), [](const TraceEvent& a, const TraceEvent& b) { return a.time < b.time; });
  return out;
}

std::string sample_message() {
  std::string m =
      "From: A <a@a.example>\r\n"
      "To: B <b@b.example>\r\n"
      "Subject: Lunch on Friday?\r\n"
      "Date: Mon, 01 Jan 2024 00:15:00 +0000\r\n"
      "Message-ID: <m1@a.example>\r\n"
      "\r\n"
      "Are you free on Friday?\r\n"
      ".this line starts with a dot\r\n";
  for (int i = 1; i <= 40; ++i) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "Line %02d: the quick brown fox jumps over the lazy dog 0123456789\r\n", i);
    m += buf;
  }
  return m;
}

std::string dot_stuffed(const std::string& message) {
  std::string out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t nl = message.find("\r\n", pos);
    std::string line = message.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line[0] == '.') out += '.';
    out += line + "\r\n";
    if (nl == std::string::npos) break;
    pos = nl + 2;
  }
  return out + ".\r\n";
}

std::vector<TraceEvent> smtp_session() {
  TraceBuilder b;
  SimTime t0 = minutes(15);
  auto c = b.open(1, {"out1", "10.0.0.5", 49152}, {"mx.b.example", "10.0.1.2", 25}, t0, msec(15));
  b.accept(c, t0 + msec(15));
  SimTime t = b.server_says(c, t0 + msec(15), 220, {"220 mx.b.example ESMTP smtpsim"});
  t = b.client_says(c, t, "EHLO out1.a.example");
  t = b.server_says(c, t, 250, {"250-mx.b.example", "250-PIPELINING", "250-SIZE 10240000", "250 8BITMIME"});
  t = b.client_says(c, t, "MAIL FROM:<a@a.example>");
  t = b.server_says(c, t, 250, {"250 2.1.0 Ok"});
  t = b.client_says(c, t, "RCPT TO:<b@b.example>");
  t = b.server_says(c, t, 250, {"250 2.1.5 Ok"});
  t = b.client_says(c, t, "DATA");
  t = b.server_says(c, t, 354, {"354 End data with <CR><LF>.<CR><LF>"});
  t = b.bytes(c, true, t, dot_stuffed(sample_message()));
  t = b.server_says(c, t, 250, {"250 2.0.0 Ok: queued as 4F3A1"});
  t = b.client_says(c, t, "QUIT");
  SimTime fin = t;
  t = b.server_says(c, t, 221, {"221 2.0.0 Bye"});
  b.close(c, false, fin);
  b.close(c, true, t);
  return b.sorted();
}

std::vector<TraceEvent> pop3_session() {
  TraceBuilder b;
  SimTime t0 = minutes(20);
  auto c = b.open(2, {"client-b", "10.0.2.9", 49200}, {"pop.b.example", "10.0.2.2", 110}, t0, msec(5));
  b.accept(c, t0 + msec(5));
  SimTime t = b.server_says(c, t0 + msec(5), 1, {"+OK POP3 server ready"});
  t = b.client_says(c, t, "USER b");
  t = b.server_says(c, t, 1, {"+OK"});
  t = b.client_says(c, t, "PASS secret");
  t = b.server_says(c, t, 1, {"+OK Logged in."});
  std::string msg = sample_message();
  t = b.client_says(c, t, "STAT");
  t = b.server_says(c, t, 1, {"+OK 1 " + std::to_string(msg.size())});
  t = b.client_says(c, t, "RETR 1");
  t = b.server_says(c, t, 1, {"+OK " + std::to_string(msg.size()) + " octets"}, dot_stuffed(msg));
  t = b.client_says(c, t, "QUIT");
  SimTime fin = t;
  t = b.server_says(c, t, 1, {"+OK Logging out."});
  b.close(c, false, fin);
  b.close(c, true, t);
  return b.sorted();
}

std::vector<TraceEvent> refused_conn() {
  TraceBuilder b;
  SimTime t0 = minutes(16);
  auto c = b.open(3, {"out1", "10.0.0.5", 49153}, {"mx2.b.example", "10.0.1.3", 25}, t0, msec(20));
  b.conn_event(c, TraceKind::ConnRefused, true, t0 + msec(40), "RST: nothing listening on 10.0.1.3:25");
  return b.sorted();
}

std::vector<TraceEvent> reset_conn() {
  TraceBuilder b;
  SimTime t0 = minutes(17);
  auto c = b.open(4, {"out1", "10.0.0.5", 49154}, {"mx.b.example", "10.0.1.2", 25}, t0, msec(15));
  b.accept(c, t0 + msec(15));
  SimTime t = b.server_says(c, t0 + msec(15), 220, {"220 mx.b.example ESMTP smtpsim"});
  t = b.client_says(c, t, "EHLO out1.a.example");
  t = b.server_says(c, t, 250, {"250 mx.b.example"});
  b.reset(c, false, t + sec(1), "host crash");
  b.reset(c, true, t + sec(1) + msec(15), "reset by peer");
  return b.sorted();
}

std::string run(const std::string& command, int* status, bool merge_stderr) {
  std::string cmd = command + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = ::pclose(p);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

bool have_program(const std::string& name) {
  int st = 0;
  run("command -v " + name + " >/dev/null", &st);
  return st == 0;
}

std::string temp_path(const std::string& suffix) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path();
  return (dir / ("smtpsim-export-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + suffix))
      .string();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t at = text.find(sep, pos);
    out.push_back(text.substr(pos, at == std::string::npos ? std::string::npos : at - pos));
    if (at == std::string::npos) break;
    pos = at + 1;
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out = split(text, '\n');
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

}  // namespace exporttest
