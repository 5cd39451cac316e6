// fuzz_smtp_server.cpp - libFuzzer target for the SMTP server engine: random bytes split at random
// points, random timer calls, TLS completions and closes, under random configurations and
// behaviours (reply overrides included). Besides "no crash, no leak, no UB" (ASan) it checks invariants and traps on a breach:
// every reply line is "ddd-" / "ddd " + text + CRLF and at most 512 octets; one Reply event per
// line; nothing is written after close; accepted messages never exceed stored ones.
// Structure, so mutations start deep in a session instead of spending their bytes on reaching it:
// besides raw chunks, one op feeds a whole command line from a table (EHLO, MAIL with ESMTP
// parameters, RCPT with DSN parameters, DATA, a message with an ending, STARTTLS, AUTH PLAIN/LOGIN
// with the right and wrong secrets, smuggling endings) and another a whole session prefix (EHLO,
// or EHLO + MAIL + RCPT + DATA, or EHLO + AUTH, or EHLO + STARTTLS + handshake), each line on its own.
// The dictionary tests/fuzz/fuzz_smtp_server.dict and the corpus tests/fuzz/corpus/ go with it.
// The output is hashed into a volatile so the optimizer cannot drop the engine.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "sim/smtp/smtp_server.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;

namespace {

volatile std::uint64_t g_sink = 0;

// FuzzPolicy - deterministic answers driven by the input's first bytes.
struct FuzzPolicy : ServerPolicy {
  std::uint8_t bits = 0;
  std::size_t stored = 0;
  bool is_local_domain(std::string_view d) override { return d.size() % 2 == 0 || (bits & 1); }
  bool recipient_exists(std::string_view a) override { return a.size() % 3 != 0; }
  bool may_relay(const SessionFacts& s) override { return (bits & 2) || !s.auth_user.empty(); }
  bool check_credentials(std::string_view u, std::string_view p) override { return u == "alice" && p == "secret"; }
  AcceptResult accept_message(const SessionFacts&, const Envelope& env, std::string message) override {
    if ((bits & 4) && message.size() % 5 == 0) return AcceptResult::refused(ServerReply{451, "4.3.0", ""});
    if (env.rcpts.empty()) __builtin_trap();  // DATA needs a recipient
    ++stored;
    return AcceptResult::stored("Q" + std::to_string(stored));
  }
};

// Reader - consumes the fuzz input.
struct Reader {
  const std::uint8_t* p;
  std::size_t n;
  bool empty() const { return n == 0; }
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string_view take(std::size_t k) {
    k = k < n ? k : n;
    std::string_view s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
};

// is_queued_reply - the reply that takes responsibility for a message: "250 2.0.0 Ok: queued as ID"
// (or "250 Ok: queued as ID" without enhanced codes). Only the start of the line counts: a refusal
// may quote the address it refuses, and an address can hold any text ("554 5.7.1 <\"Ok: queued
// as\"@a>: Relay access denied" is no acceptance - the campaign of 2026-12-08 found that one).
bool is_queued_reply(std::string_view line) {
  if (line.substr(0, 4) != "250 ") return false;
  line.remove_prefix(4);
  if (line.substr(0, 6) == "2.0.0 ") line.remove_prefix(6);
  return line.substr(0, 14) == "Ok: queued as ";
}

// check_output - the invariants of one drained output.
void check_output(const EngineOutput& o, bool& closed, std::size_t& queued) {
  if (closed && !o.bytes.empty()) __builtin_trap();  // written after close
  std::size_t lines = 0;
  std::string_view s = o.bytes;
  while (!s.empty()) {
    auto end = s.find("\r\n");
    if (end == std::string_view::npos) __builtin_trap();  // a reply line without CRLF
    std::string_view line = s.substr(0, end);
    if (line.size() < 4 || line.size() + 2 > 512) __builtin_trap();
    if (line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' || line[2] < '0' || line[2] > '9')
      __builtin_trap();
    if (line[3] != ' ' && line[3] != '-') __builtin_trap();
    if (line.find('\r') != std::string_view::npos || line.find('\n') != std::string_view::npos) __builtin_trap();
    if (is_queued_reply(line)) ++queued;
    ++lines;
    s.remove_prefix(end + 2);
  }
  std::size_t replies = 0;
  for (const ProtoEvent& e : o.events)
    if (e.kind == ProtoEvent::Kind::Reply) ++replies;
  if (replies != lines) __builtin_trap();
  if (o.close) closed = true;
}

// kLines - whole command lines the "line" op feeds (index = a byte of the input).
constexpr std::string_view kLines[] = {
    "EHLO client.fuzz.example\r\n",
    "HELO client.fuzz.example\r\n",
    "MAIL FROM:<a@bc.example>\r\n",
    "MAIL FROM:<a@bc.example> SIZE=120 BODY=8BITMIME RET=HDRS ENVID=QQ314159\r\n",
    "MAIL FROM:<> AUTH=<>\r\n",
    "RCPT TO:<bob@ab.example>\r\n",
    "RCPT TO:<bob@ab.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@ab.example\r\n",
    "RCPT TO:<postmaster>\r\n",
    "DATA\r\n",
    "Subject: fuzz\r\nReceived: from x\r\n\r\nbody\r\n..dot\r\n.\r\n",
    "STARTTLS\r\n",
    "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n",
    "AUTH PLAIN\r\n",
    "AGFsaWNlAHNlY3JldA==\r\n",
    "AUTH LOGIN\r\n",
    "YWxpY2U=\r\n",
    "c2VjcmV0\r\n",
    "AUTH LOGIN YWxpY2U=\r\n",
    "*\r\n",
    "RSET\r\n",
    "NOOP\r\n",
    "VRFY bob\r\n",
    "HELP\r\n",
    "QUIT\r\n",
    "\n.\r\n",
    "\r\n.\n",
    "\n.\n",
    "\r.\r\n",
    "\r\n.\r\nMAIL FROM:<ceo@ab.example>\r\nRCPT TO:<bob@ab.example>\r\nDATA\r\n",
};

// kPrefixes - session openings the "prefix" op feeds, one line per on_bytes (a client that waits).
constexpr std::string_view kPrefixes[][5] = {
    {"EHLO client.fuzz.example\r\n"},
    {"EHLO client.fuzz.example\r\n", "MAIL FROM:<a@bc.example>\r\n", "RCPT TO:<bob@ab.example>\r\n", "DATA\r\n"},
    {"EHLO client.fuzz.example\r\n", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"},
    {"EHLO client.fuzz.example\r\n", "STARTTLS\r\n"},
    {"EHLO client.fuzz.example\r\n", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "MAIL FROM:<a@bc.example>\r\n",
     "RCPT TO:<bob@cd.example>\r\n", "DATA\r\n"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in{data, size};
  std::uint8_t c1 = in.byte(), c2 = in.byte(), c3 = in.byte();

  ServerConfig cfg;
  cfg.hostname = "mx.fuzz.example";
  cfg.bare_newline = (c1 & 1) ? BareNewlineMode::Normalize : BareNewlineMode::Reject;
  cfg.tls_available = c1 & 2;
  cfg.auth = c1 & 4;
  cfg.auth_plaintext = c1 & 8;
  cfg.msa_mode = c1 & 16;
  cfg.pipelining = !(c1 & 32);
  cfg.enforce_sync = !(c1 & 64);
  cfg.enhanced_status_codes = !(c1 & 128);
  cfg.max_recipients = 1 + (c2 & 7);
  cfg.max_message_size = 64 + (c2 >> 3) * 97;
  cfg.max_errors = 1 + (c3 & 31);
  cfg.max_received = 1 + (c3 >> 5);
  cfg.tls_required = (c2 & 0x80) && (c3 & 1);
  cfg.strict_syntax = !(c3 & 2);
  cfg.max_pending_input = 4096;
  cfg.command_timeout = sec(300);
  cfg.data_timeout = sec(180);

  FuzzPolicy policy;
  policy.bits = in.byte();
  ServerBehaviour& b = policy.behaviour;
  b.greylist = policy.bits & 8;
  b.greylist_config.delay = sec(5);
  if (policy.bits & 16) b.tarpit = sec(1 + (policy.bits >> 6));
  if (policy.bits & 32) b.drop_in_data = 50 + (c2 & 0x7f);
  std::uint8_t c4 = in.byte();
  if (c4 & 1) b.storage_full = true;
  if (c4 & 2) b.reject_sender = ServerReply{550, "", ""};
  if (c4 & 4) b.reject_recipient = ServerReply{450, "4.2.1", ""};
  if (c4 & 8) b.reject_data = ServerReply{554, "", "{address} spam"};
  if (c4 & 16) b.close_at = static_cast<Verb>(c4 >> 5);
  if ((c4 & 0xe0) == 0xe0) b.refuse_connection = ServerReply{(c4 & 1) ? 421 : 554, "", ""};
  // Lesson reply overrides: refusals, rewordings, and some only for the next N such commands -
  // including combinations the lesson loader refuses (250 to DATA), which must not break anything.
  std::uint8_t c5 = in.byte();
  const int times = (c5 >> 6) & 3;
  if (c5 & 1) b.ehlo = ServerReply{(c5 & 2) ? 250 : 421, "", (c5 & 2) ? "hello there" : "", times};
  if (c5 & 2) b.helo = ServerReply{(c5 & 1) ? 501 : 250, "", "", times};
  if (c5 & 4) b.data = ServerReply{(c5 & 8) ? 354 : ((c5 & 1) ? 250 : 451), "", "", times};
  if (c5 & 16) b.rset = ServerReply{(c5 & 2) ? 250 : 500, "", "", times};
  if (c5 & 32) {
    b.noop = ServerReply{(c5 & 1) ? 421 : 250, "", "still here", times};
    b.vrfy = ServerReply{252, "", "", 0};
  }
  if (c5 & 64) b.starttls = ServerReply{(c5 & 8) ? 220 : 454, (c5 & 8) ? "" : "4.7.0", "", times};
  if (c5 & 128) {
    b.quit = ServerReply{(c5 & 4) ? 221 : 554, "", "bye", 0};
    b.shutting_down = c4 & 1;
  }

  SmtpServer srv(cfg, policy, PeerInfo{"192.0.2.77", (c3 & 4) ? "client.fuzz.example" : ""});
  SimTime now = 0;
  bool closed = false;
  bool tls_pending = false;
  std::size_t queued = 0;
  std::uint64_t h = 1469598103934665603ULL;
  auto drain = [&] {
    EngineOutput o = srv.take_output();
    check_output(o, closed, queued);
    if (o.start_tls) tls_pending = true;
    for (unsigned char ch : o.bytes) h = (h ^ ch) * 1099511628211ULL;
    h ^= o.events.size();
  };

  srv.on_open(now);
  drain();
  while (!in.empty() && !srv.finished()) {
    std::uint8_t op = in.byte();
    switch (op % 8) {
      case 0: case 1: case 2: case 3: case 4: {  // feed 1..64 bytes
        std::string_view chunk = in.take(1 + (op >> 2) % 64);
        srv.on_bytes(chunk, now);
        break;
      }
      case 5: {  // time passes: sometimes to the deadline, sometimes a little
        SimTime d = srv.deadline();
        if ((op & 8) && d != kNever) now = d > now ? d : now;
        else now += sec(op >> 4);
        if (now >= srv.deadline()) srv.on_timer(now);
        break;
      }
      case 6:  // the TLS handshake the engine asked for (or a stray one)
        if (tls_pending || (op & 8)) {
          TlsInfo info;
          info.ok = !(op & 16);
          info.version = "TLSv1.3";
          info.cipher = "TLS_AES_128_GCM_SHA256";
          info.error = info.ok ? "" : "alert";
          srv.on_tls(info, now);
          tls_pending = false;
        }
        break;
      case 7:  // feed a long run of one octet, the peer goes away, a whole line, or a session prefix
        if (op & 8) {
          std::string run(static_cast<std::size_t>(op) * 16, static_cast<char>(in.byte()));
          srv.on_bytes(run, now);
        } else if ((op & 0xf0) == 0xf0) {
          srv.on_closed(now);
          closed = true;
        } else if (op & 0x80) {
          srv.on_bytes(kLines[in.byte() % std::size(kLines)], now);
        } else {
          for (std::string_view line : kPrefixes[in.byte() % std::size(kPrefixes)]) {
            if (line.empty() || srv.finished()) break;
            srv.on_bytes(line, now);
            drain();
            if (tls_pending) {  // the handshake succeeds
              TlsInfo info;
              info.ok = true;
              info.version = "TLSv1.3";
              info.cipher = "TLS_AES_128_GCM_SHA256";
              srv.on_tls(info, now);
              tls_pending = false;
              drain();
            }
          }
        }
        break;
    }
    drain();
  }
  // Let held replies and timeouts run out.
  for (int i = 0; i < 8 && srv.deadline() != kNever; ++i) {
    now = srv.deadline() > now ? srv.deadline() : now;
    srv.on_timer(now);
    drain();
  }
  if (queued > policy.stored) __builtin_trap();  // a 250 for a message that was not stored
  g_sink = g_sink + h + policy.stored;
  return 0;
}
