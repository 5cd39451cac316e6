// fuzz_pop3_server.cpp - libFuzzer target: random command bytes, split at random places, against
// the POP3 server with a small maildrop; also random TLS results, timers and connection loss.
// Checks: output lines end in CRLF, nothing after close, messages are removed only through
// QUIT in TRANSACTION, and the maildrop lock never outlives the session.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/mail/mail_directory.hpp"
#include "sim/mail/mail_mailbox.hpp"
#include "sim/pop3/pop3_server.hpp"

using namespace smtpsim;

namespace {

// check - abort (a crash libFuzzer reports) when an invariant breaks, naming the broken line.
void check_at(bool ok, int line) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_pop3_server.cpp:%d: invariant broken\n", line);
  std::abort();
}
#define check(ok) check_at((ok), __LINE__)

// crlf_only - every LF is preceded by CR and non-empty output ends with CRLF.
bool crlf_only(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
  }
  return s.empty() || (s.size() >= 2 && s[s.size() - 2] == '\r' && s.back() == '\n');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  const std::uint8_t limits = data[1];
  data += 2;
  size -= 2;

  mail::Directory dir;
  dir.add_user("b", "pw");
  dir.add_user("c@x", "p w");
  mail::MemoryStore store;
  store.deliver("b", "Subject: a\r\n\r\n.dot\r\nbody\r\n");
  store.deliver("b", "Subject: b\r\n\r\n");
  store.deliver("b", "..\r\n.\r\nx");
  const std::size_t before = store.list("b").messages.size();

  pop3::ServerConfig cfg;
  cfg.host_name = "pop.fuzz";
  cfg.tls_available = flags & 1;
  cfg.plaintext_needs_tls = flags & 2;
  cfg.allow_apop = !(flags & 4);
  cfg.behaviour.response_delay = (flags & 8) ? msec(limits & 15) : 0;
  cfg.auth_failure_delay = (flags & 16) ? sec(1) : 0;
  cfg.login_delay = (flags & 32) ? sec(10) : 0;
  cfg.max_line = 16 + (limits & 0xF0);
  cfg.max_auth_failures = 1 + (limits & 3);
  cfg.max_bad_commands = 1 + (limits >> 2 & 31);
  pop3::LoginTracker logins;

  std::size_t deleted = 0;
  {
    pop3::Server srv(cfg, dir, store, &logins);
    SimTime now = 0;
    bool closed = false;
    std::string all;
    const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;  // replaying one input by hand
    auto drain = [&]() {
      EngineOutput o = srv.take_output();
      if (verbose && !o.bytes.empty()) std::fprintf(stderr, "S: %s", o.bytes.c_str());
      if (verbose)
        for (const auto& ev : o.events) std::fprintf(stderr, "   [%d %d] %s\n", int(ev.kind), ev.code, ev.text.c_str());
      if (closed) check(o.bytes.empty());
      check(crlf_only(o.bytes));
      all += o.bytes;
      if (o.close) closed = true;
    };
    srv.on_open(now);
    drain();
    if (flags & 64) {
      srv.on_bytes("USER b\r\nPASS pw\r\n", now);
      drain();
    }
    std::size_t pos = 0;
    while (pos < size) {
      const std::uint8_t op = data[pos++];
      if (verbose && op >> 5 < 3) std::fprintf(stderr, "-- op %d (t=%lld)\n", op >> 5, (long long)now);
      switch (op >> 5) {
        case 0:  // on_tls success / failure
          srv.on_tls(TlsInfo{(op & 1) != 0, "TLSv1.3", "TLS_AES_128_GCM_SHA256", false, "fuzz"}, now);
          break;
        case 1:  // time passes, timer fires if due
          now += (op & 31) * sec(30) + 1;
          if (srv.deadline() <= now) srv.on_timer(now);
          break;
        case 2:  // connection lost
          if (op == 0x40) srv.on_closed(now);
          break;
        default: {  // a chunk of bytes
          std::size_t len = (op & 63) + 1;
          if (len > size - pos) len = size - pos;
          if (verbose) {
            std::fputs("C: ", stderr);
            std::fwrite(data + pos, 1, len, stderr);
            std::fputs("\n", stderr);
          }
          srv.on_bytes(std::string_view(reinterpret_cast<const char*>(data + pos), len), now);
          pos += len;
          break;
        }
      }
      drain();
      if (srv.deadline() != kNever && srv.deadline() < now) {
        srv.on_timer(now);
        drain();
      }
    }
    // Let every held response out (a slow server may hold one per pipelined command).
    for (int i = 0; i < 1000 && srv.deadline() != kNever; ++i) {
      now = srv.deadline();
      srv.on_timer(now);
      drain();
    }
    // UPDATE commits when QUIT is processed (RFC 1939 6); a slow server's held "+OK ... signing off"
    // may then be lost with the connection, so the reply is not required - the count is.
    deleted = srv.stats().deleted;
    if (srv.finished()) check(!store.is_locked("b") && !store.is_locked("c@x"));
  }
  check(!store.is_locked("b"));
  const std::size_t after = store.list("b").messages.size();
  check(after + deleted == before);
  return 0;
}
