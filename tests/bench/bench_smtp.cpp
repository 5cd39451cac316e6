// bench_smtp.cpp - SMTP engine throughput, measured in one run so the numbers are ratios of the
// same machine state:
//  1. complete sessions in memory: client engine <-> server engine, greeting .. EHLO .. MAIL ..
//     RCPT .. DATA .. one 1 KB message .. QUIT, no TLS, pipelining on (transactions per second);
//  2. the server's DATA reader on a 64 MB stream of realistic message lines against a plain
//     memchr line scan of the same buffer (ratio of throughputs, 1.0 = as fast as memchr): the
//     parser alone (size limit below the message: everything scanned, nothing kept), and with
//     the message stored, next to the cost of merely copying 64 MB into fresh memory.
// Times are this thread's CPU time. Last line: "bench_smtp: <tx/s> tx/s, parser/memchr <ratio>".
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <time.h>

#include "sim/core/rng.hpp"
#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_server.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;

namespace {

// SinkPolicy - accepts everything for b.example and throws the message away (counting octets).
struct SinkPolicy : ServerPolicy {
  std::uint64_t octets = 0;
  std::uint64_t messages = 0;
  bool is_local_domain(std::string_view d) override { return d == "b.example"; }
  bool recipient_exists(std::string_view) override { return true; }
  bool may_relay(const SessionFacts&) override { return false; }
  bool check_credentials(std::string_view, std::string_view) override { return false; }
  AcceptResult accept_message(const SessionFacts&, const Envelope&, std::string data) override {
    octets += data.size();
    ++messages;
    return AcceptResult::stored("Q1");
  }
};

// cpu_now - this thread's CPU time in seconds. CPU time, not wall time: the numbers mean "on one
// core" even when other processes share the machine.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double seconds_since(double t0) { return cpu_now() - t0; }

// pump - carry output between the engines until both are done; false if they stall.
bool pump(SmtpClient& c, SmtpServer& s) {
  s.on_open(0);
  c.on_open(0);
  for (int rounds = 0; rounds < 64; ++rounds) {
    EngineOutput so = s.take_output();
    if (!so.bytes.empty()) c.on_bytes(so.bytes, 0);
    if (so.close) {
      c.on_closed(0);
      return true;
    }
    EngineOutput co = c.take_output();
    if (!co.bytes.empty()) s.on_bytes(co.bytes, 0);
    if (co.close) {
      s.on_closed(0);
      return true;
    }
    if (so.bytes.empty() && co.bytes.empty() && c.deadline() > 0) return false;
    if (c.deadline() <= 0) c.on_timer(0);
  }
  return false;
}

// one_kb_message - a plausible 1 KB message.
std::string one_kb_message() {
  std::string m =
      "Received: from client.a.example (client.a.example [192.0.2.10])\r\n"
      "\tby mx.b.example (smtpsim) with ESMTP id 4F2A9C\r\n"
      "\tfor <bob@b.example>; Sat, 28 Nov 2026 18:00:00 +0000\r\n"
      "From: Alice <alice@a.example>\r\nTo: Bob <bob@b.example>\r\n"
      "Subject: Quarterly numbers\r\nDate: Sat, 28 Nov 2026 18:00:00 +0000\r\n"
      "Message-ID: <20261128180000.4F2A9C@a.example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=us-ascii\r\n\r\n";
  while (m.size() < 1000) m += "The quick brown fox jumps over the lazy dog, again and again.\r\n";
  m.resize(1022);
  m += "\r\n";
  return m;
}

// bench_sessions - complete client/server sessions per second.
double bench_sessions(double min_seconds, std::uint64_t& done) {
  SinkPolicy policy;
  ServerConfig scfg;
  scfg.hostname = "mx.b.example";
  ClientConfig ccfg;
  ccfg.helo_name = "client.a.example";
  ccfg.server_name = "mx.b.example";
  ccfg.tls = TlsMode::None;
  OutgoingMessage proto;
  proto.id = "m";
  proto.reverse_path = "alice@a.example";
  proto.recipients.push_back(Recipient{"bob@b.example", 0, ""});
  proto.data = one_kb_message();
  const PeerInfo peer{"192.0.2.10", "client.a.example"};

  std::uint64_t n = 0, delivered = 0;
  const double t0 = cpu_now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 1000; ++i) {
      SmtpServer server(scfg, policy, peer);
      SmtpClient client(ccfg);
      client.enqueue(proto);
      client.no_more_messages();
      if (!pump(client, server)) {
        std::fprintf(stderr, "bench_smtp: session stalled\n");
        return 0;
      }
      for (const auto& r : client.take_results()) delivered += r.count(Outcome::Delivered);
      ++n;
    }
    elapsed = seconds_since(t0);
  } while (elapsed < min_seconds);
  if (delivered != n || policy.messages != n) {
    std::fprintf(stderr, "bench_smtp: %llu sessions but %llu delivered, %llu stored\n", (unsigned long long)n,
                 (unsigned long long)delivered, (unsigned long long)policy.messages);
    return 0;
  }
  done = n;
  return static_cast<double>(n) / elapsed;
}

// make_stream - ~size bytes of message lines: headers, prose, quoted text, dotted lines, blanks.
std::string make_stream(std::size_t size) {
  Rng rng(2026);
  static const char* kWords[] = {"mail", "server", "queue", "the",  "relay", "of",   "delivery", "message",
                                 "and",  "to",     "retry", "host", "a",     "with", "header",   "status"};
  std::string s;
  s.reserve(size + 200);
  s += "From: Alice <alice@a.example>\r\nTo: bob@b.example\r\nSubject: big\r\n\r\n";
  while (s.size() < size) {
    const auto kind = rng.below(20);
    if (kind == 0) {
      s += "\r\n";
      continue;
    }
    if (kind == 1) s += '.';      // a line that needed dot-stuffing: ".." on the wire
    if (kind == 1) s += '.';
    if (kind == 2) s += "> ";
    const std::size_t target = 30 + rng.below(48);
    std::size_t len = 0;
    while (len < target) {
      const char* w = kWords[rng.below(16)];
      s += w;
      s += ' ';
      len += std::strlen(w) + 1;
    }
    s += "\r\n";
  }
  return s;
}

// memchr_lines - the reference: count lines with memchr.
std::size_t memchr_lines(std::string_view buf) {
  std::size_t n = 0;
  const char* p = buf.data();
  const char* end = p + buf.size();
  while (p < end) {
    const void* q = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!q) break;
    ++n;
    p = static_cast<const char*>(q) + 1;
  }
  return n;
}

// server_data_seconds - one server session fed the stream in 64 KB chunks inside DATA. With store
// false the size limit is set below the message, so the server scans everything (unstuffing,
// CRLF checks, end detection, Received: counting) but keeps nothing: the parser alone.
double server_data_seconds(const std::string& stream, bool store, std::uint64_t& stored_octets) {
  SinkPolicy policy;
  ServerConfig cfg;
  cfg.hostname = "mx.b.example";
  cfg.max_message_size = store ? 1ULL << 40 : 1;
  SmtpServer srv(cfg, policy, PeerInfo{"192.0.2.10", "client.a.example"});
  srv.on_open(0);
  srv.take_output();
  srv.on_bytes("EHLO client.a.example\r\n", 0);
  srv.take_output();
  srv.on_bytes("MAIL FROM:<alice@a.example>\r\n", 0);
  srv.take_output();
  srv.on_bytes("RCPT TO:<bob@b.example>\r\n", 0);
  srv.take_output();
  srv.on_bytes("DATA\r\n", 0);
  const EngineOutput go = srv.take_output();
  if (go.bytes.rfind("354", 0) != 0) {
    std::fprintf(stderr, "bench_smtp: DATA refused: %s\n", go.bytes.c_str());
    return 0;
  }
  constexpr std::size_t kChunk = 64 * 1024;
  const double t0 = cpu_now();
  for (std::size_t off = 0; off < stream.size(); off += kChunk)
    srv.on_bytes(std::string_view(stream).substr(off, kChunk), 0);
  srv.on_bytes(".\r\n", 0);
  const double t = seconds_since(t0);
  const EngineOutput end = srv.take_output();
  if (end.bytes.rfind(store ? "250" : "552", 0) != 0) {
    std::fprintf(stderr, "bench_smtp: end of data refused: %.200s\n", end.bytes.c_str());
    return 0;
  }
  stored_octets = policy.octets;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  // "sessions" or "data" as the only argument runs just that part (for profiling).
  const std::string only = argc > 1 ? argv[1] : "";
  if (only == "sessions") {
    std::uint64_t n = 0;
    std::printf("sessions: %.0f tx/s\n", bench_sessions(3.0, n));
    return 0;
  }
  if (only == "data") {
    const std::string stream = make_stream(64u << 20);
    std::uint64_t stored = 0;
    double t = 0;
    for (int i = 0; i < 5; ++i) t += server_data_seconds(stream, argc > 2, stored);
    std::printf("DATA reader (%s): %.0f MB/s\n", argc > 2 ? "storing" : "parser only", 5 * 64 / t);
    return 0;
  }
  std::uint64_t sessions = 0;
  bench_sessions(0.2, sessions);  // warm-up
  double tx = 0;
  for (int i = 0; i < 3; ++i) tx = std::max(tx, bench_sessions(1.0, sessions));
  std::printf("sessions: %.0f complete transactions/s (EHLO..QUIT, 1 KB message, pipelined, %llu in the last round)\n",
              tx, static_cast<unsigned long long>(sessions));

  const std::string stream = make_stream(64u << 20);
  double best_parse = 1e9, best_store = 1e9, best_memchr = 1e9, best_copy = 1e9;
  std::size_t lines = 0;
  std::uint64_t stored = 0, ignored = 0;
  for (int i = 0; i < 3; ++i) {
    const double tp = server_data_seconds(stream, false, ignored);
    const double ts = server_data_seconds(stream, true, stored);
    if (tp <= 0 || ts <= 0) return 1;
    best_parse = std::min(best_parse, tp);
    best_store = std::min(best_store, ts);
    double t0 = cpu_now();
    lines = memchr_lines(stream);
    best_memchr = std::min(best_memchr, seconds_since(t0));
    // What storing alone costs: copying the stream into a fresh buffer (page faults included).
    t0 = cpu_now();
    std::string copy;
    copy.reserve(stream.size());
    for (std::size_t off = 0; off < stream.size(); off += 64 * 1024) copy.append(stream, off, 64 * 1024);
    best_copy = std::min(best_copy, seconds_since(t0));
    if (copy.size() != stream.size()) return 1;
  }
  const double mb = static_cast<double>(stream.size()) / (1 << 20);
  std::printf("memchr line scan:          %zu lines, %.1f MB in %6.1f ms = %5.0f MB/s\n", lines, mb,
              best_memchr * 1e3, mb / best_memchr);
  std::printf("DATA reader, parser only:  %6.1f ms = %5.0f MB/s (%.2fx memchr)\n", best_parse * 1e3,
              mb / best_parse, best_memchr / best_parse);
  std::printf("DATA reader, storing:      %6.1f ms = %5.0f MB/s (%.2fx memchr; stored %llu octets)\n",
              best_store * 1e3, mb / best_store, best_memchr / best_store, static_cast<unsigned long long>(stored));
  std::printf("copy into a fresh buffer:  %6.1f ms = %5.0f MB/s (%.2fx memchr: the floor for storing)\n",
              best_copy * 1e3, mb / best_copy, best_memchr / best_copy);
  std::printf("bench_smtp: %.0f tx/s, parser/memchr %.2f\n", tx, best_memchr / best_parse);
  return 0;
}
