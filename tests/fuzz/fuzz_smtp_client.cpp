// fuzz_smtp_client.cpp - libFuzzer target: the SMTP client engine against random server reply
// streams cut at random points, with random timer firings, TLS results and connection loss.
// Invariants checked (abort on violation): the client only ever writes CRLF-terminated lines,
// writes nothing after it closed, keeps parser memory bounded, and gives exactly one result per
// enqueued message with one entry per recipient.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "sim/smtp/smtp_client.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;

namespace {

// Input - reads the fuzzer's bytes front to back.
struct Input {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string_view take(std::size_t k) {
    if (k > n) k = n;
    std::string_view s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
};

// check - abort with a message (libFuzzer records the input).
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

// check_crlf - every byte the client writes belongs to a CRLF-terminated line.
void check_crlf(const std::string& out, bool& cr_pending) {
  for (char c : out) {
    if (cr_pending) {
      check(c == '\n', "bare CR written by the client");
      cr_pending = false;
      continue;
    }
    if (c == '\r') cr_pending = true;
    else check(c != '\n', "bare LF written by the client");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in{data, size};
  const std::uint8_t flags = in.byte();
  ClientConfig cfg;
  cfg.helo_name = "client.example";
  cfg.server_name = "mx.fuzz";
  cfg.pipelining = flags & 1;
  cfg.tls = (flags >> 1 & 3) == 0 ? TlsMode::None : (flags >> 1 & 3) == 1 ? TlsMode::Required : TlsMode::Opportunistic;
  if (flags & 8) {
    Credentials c;
    c.user = "alice";
    c.password = "secret";
    c.mech = (flags & 16) ? AuthMech::Login : AuthMech::Auto;
    c.initial_response = !(flags & 32);
    c.require = !(flags & 64);
    cfg.auth = c;
  }
  cfg.helo_fallback = !(flags & 128);
  cfg.reply_limits.max_line = 64 + in.byte() * 4;
  cfg.reply_limits.max_lines = 1 + in.byte() % 64;
  cfg.reply_limits.max_total = 64 + in.byte() * 32;

  SmtpClient client(cfg);
  std::size_t enqueued = 0, recipients = 0, results = 0, result_rcpts = 0;
  auto enqueue = [&](std::uint8_t b) {
    OutgoingMessage m;
    m.id = "m" + std::to_string(enqueued);
    m.reverse_path = (b & 1) ? "" : "alice@a.example";
    const int n = b >> 1 & 3;
    for (int i = 0; i < n; ++i) m.recipients.push_back(Recipient{"r" + std::to_string(i) + "@b.example", (b & 8) ? 6u : 0u, (b & 16) ? "rfc822;x+y@b" : ""});
    if (b & 32) m.recipients.push_back(Recipient{"bad\r\n@b", 0, ""});
    // Body: from the input itself (any octets: dots, bare CR/LF, NUL, 8-bit) or a fixed one.
    m.data = (b & 64) ? std::string(in.take(in.byte() % 80)) : "Subject: x\r\n\r\n.dot\r\nbody\r\n";
    m.body = (b & 128) ? BodyType::EightBitMime : BodyType::Unspecified;
    m.ret = (b & 8) ? DsnRet::Full : DsnRet::Unspecified;
    m.envid = (b & 16) ? "id=1" : "";
    recipients += m.recipients.size();
    ++enqueued;
    client.enqueue(std::move(m));
  };
  const int initial = in.byte() % 4;
  for (int i = 0; i < initial; ++i) enqueue(in.byte());

  SimTime now = 0;
  bool closed_out = false;
  bool cr_pending = false;
  std::uint64_t sink = 0;
  auto drain = [&] {
    for (int guard = 0; guard < 64; ++guard) {
      EngineOutput o = client.take_output();
      if (closed_out) check(o.bytes.empty() && !o.start_tls, "output after close");
      check_crlf(o.bytes, cr_pending);
      sink += o.bytes.size() + o.events.size();
      if (o.close) closed_out = true;
      for (auto& r : client.take_results()) {
        ++results;
        result_rcpts += r.recipients.size();
        for (auto& rr : r.recipients) sink += rr.reply.code + rr.reply.lines.size();
      }
      if (client.deadline() > now || client.finished()) return;
      client.on_timer(now);
    }
    check(false, "timer keeps firing at the same time");
  };

  client.on_open(now);
  drain();
  while (in.n > 0) {
    const std::uint8_t op = in.byte();
    switch (op % 10) {
      case 0: case 1: case 2: case 3: case 4: {  // server bytes, a random-sized cut of the input
        const std::size_t len = 1 + in.byte() % 96;
        client.on_bytes(in.take(len), now);
        break;
      }
      case 5:  // time passes
        now += (op >> 4) == 0 ? sec(1) : minutes(op >> 4);
        if (client.deadline() <= now) client.on_timer(now);
        break;
      case 6:  // the driver's timer fires exactly at the deadline
        if (client.deadline() != kNever && client.deadline() > now) now = client.deadline();
        client.on_timer(now);
        break;
      case 7:  // TLS finishes (ok or not), whether asked or not
        client.on_tls(TlsInfo{(op & 16) != 0, "TLSv1.3", "TLS_AES_128_GCM_SHA256", true, "alert"}, now);
        break;
      case 8:
        if (op & 16) enqueue(in.byte());
        else client.no_more_messages();
        break;
      case 9:
        if ((op & 48) == 48) client.on_closed(now);
        break;
    }
    drain();
    check(client.phase() == ClientPhase::Closed || closed_out == client.finished(), "finished without close");
  }
  client.on_closed(now);
  drain();
  check(results == enqueued, "not exactly one result per enqueued message");
  check(result_rcpts == recipients, "result recipients differ from message recipients");
  check(client.deadline() == kNever, "deadline after close");
  volatile std::uint64_t keep = sink;
  (void)keep;
  return 0;
}
