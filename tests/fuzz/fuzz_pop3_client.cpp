// fuzz_pop3_client.cpp - libFuzzer target: a hostile or broken POP3 server. Random response
// bytes split at random places, random TLS results, timers and disconnects against the client.
// Checks: the client writes only CRLF-terminated lines of sane length, nothing after it closed,
// and with TLS required it never sends credentials outside TLS.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/pop3/pop3_client.hpp"

using namespace smtpsim;

namespace {

// check - abort (a crash libFuzzer reports) when an invariant breaks.
void check(bool ok) {
  if (!ok) std::abort();
}

// lines_ok - every line ends in CRLF, no bare CR/LF, no line over 512 octets.
bool lines_ok(const std::string& s) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) return false;
    if (s[i] == '\n') {
      if (i == 0 || s[i - 1] != '\r' || i - start + 1 > 512) return false;
      start = i + 1;
    }
  }
  return start == s.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  data += 1;
  size -= 1;

  pop3::ClientConfig cfg;
  cfg.user = "b@b.example";
  cfg.password = "secret";
  cfg.auth = static_cast<pop3::AuthMethod>(flags % 3);
  cfg.tls = static_cast<pop3::TlsPolicy>((flags >> 2) % 3);
  cfg.leave_on_server = flags & 16;
  cfg.pipelining = flags & 32;
  cfg.use_capa = !(flags & 64);
  cfg.max_message_bytes = (flags & 128) ? 64 : 1 << 20;
  pop3::ClientState state;
  state.seen.insert("1.a");

  pop3::Client client(cfg, state);
  SimTime now = 0;
  bool closed = false, tls = false, awaiting_tls = false;
  std::string wire_plain;  // what the client wrote outside TLS
  const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;  // replaying one input by hand
  auto drain = [&]() {
    EngineOutput o = client.take_output();
    if (verbose && !o.bytes.empty()) std::fprintf(stderr, "C: %s", o.bytes.c_str());
    if (verbose)
      for (const auto& ev : o.events) std::fprintf(stderr, "   [%d %d] %s\n", int(ev.kind), ev.code, ev.text.c_str());
    if (closed) check(o.bytes.empty());
    check(lines_ok(o.bytes));
    if (!tls) wire_plain += o.bytes;
    if (o.start_tls) awaiting_tls = true;
    if (o.close) closed = true;
  };
  client.on_open(now);
  drain();
  std::size_t pos = 0;
  while (pos < size) {
    const std::uint8_t op = data[pos++];
    switch (op >> 5) {
      case 0: {  // TLS result
        const bool ok = op & 1;
        if (awaiting_tls) tls = ok;  // only a requested handshake counts
        awaiting_tls = false;
        client.on_tls(TlsInfo{ok, "TLSv1.3", "TLS_AES_128_GCM_SHA256", true, "fuzz"}, now);
        break;
      }
      case 1:  // time passes
        now += (op & 31) * sec(20) + 1;
        if (client.deadline() <= now) client.on_timer(now);
        break;
      case 2:  // the server hangs up
        if (op == 0x40) client.on_closed(now);
        break;
      default: {  // server bytes
        std::size_t len = (op & 63) + 1;
        if (len > size - pos) len = size - pos;
        if (verbose) {
          std::fputs("S: ", stderr);
          std::fwrite(data + pos, 1, len, stderr);
          std::fputs("\n", stderr);
        }
        client.on_bytes(std::string_view(reinterpret_cast<const char*>(data + pos), len), now);
        pos += len;
        break;
      }
    }
    drain();
  }
  if (cfg.tls == pop3::TlsPolicy::Required) {
    check(wire_plain.find("PASS ") == std::string::npos);
    check(wire_plain.find("APOP ") == std::string::npos);
    check(wire_plain.find("AUTH ") == std::string::npos);
  }
  const auto& r = client.result();
  if (verbose) std::fprintf(stderr, "deleted %d, retrieved %d\n", int(r.deleted), int(r.messages.size()));
  check(r.deleted <= r.messages.size() + 1);  // +1: the pre-seen "1.a" may be deleted
  return 0;
}
