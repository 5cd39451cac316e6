// bench_mail.cpp - what an MTA pays per message for the mail model, measured side by side in one run:
//  1. Message::parse + serialize of a 10 KB and a 1 MB message, against copying the same bytes
//     (the floor: a relay must at least copy what it forwards); ratio = copy time / our time;
//  2. prepend a Received field + serialize, against the same copy;
//  3. build_dsn for one failed recipient (10 KB original), absolute per-DSN time.
// Parse copies the body once and serialize once more, so ~0.5 is the expected ratio for big bodies.
// With glibc defaults the 1 MB case measures far lower (~0.03): each 1 MB buffer is mmapped and
// trimmed again, page-faulting every time; run with
//   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=16777216
// to see the cost of the code alone.
// Last line: "bench_mail: parse+serialize 10KB at <x> of copy speed".
#include <chrono>
#include <cstdio>
#include <string>

#include "sim/mail/mail_compose.hpp"
#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_received.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;
using Clock = std::chrono::steady_clock;

namespace {

// seconds_since - elapsed wall time (benchmarks may time themselves).
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// message_of - a realistic message: trace fields, a folded header, a filler body of `body` bytes.
std::string message_of(std::size_t body) {
  ComposeSpec s;
  s.from = "Alice <alice@a.example>";
  s.to = {"bob@b.example", "carol@c.example"};
  s.subject = "benchmark message with a subject that is long enough to be folded once at least ok";
  s.date = "Mon, 02 Mar 2026 09:15:00 +0000";
  s.message_id = "<20260302091500.01A2B3@client.a.example>";
  s.body_size = body;
  Message m = compose(s);
  for (int i = 0; i < 3; ++i)
    m.prepend("Received", "from hop" + std::to_string(i) + ".example (hop.example [192.0.2.1])\r\n\tby x.example "
              "(smtpsim) with ESMTPS id 3F2A81C0B4; Mon, 02 Mar 2026 09:15:00 +0000");
  return m.serialize();
}

// run - repeat f until ~0.3 s have passed; seconds per call.
template <class F>
double per_call(F&& f) {
  std::size_t n = 0;
  auto t0 = Clock::now();
  double el;
  do {
    for (int k = 0; k < 16; ++k) f();
    n += 16;
  } while ((el = seconds_since(t0)) < 0.3);
  return el / double(n);
}

}  // namespace

int main() {
  std::size_t sink = 0;
  double ratio10k = 0;
  for (std::size_t body : {std::size_t(10000), std::size_t(1000000)}) {
    const std::string raw = message_of(body);
    double copy = per_call([&] {
      std::string c = raw;
      sink += c.size() + std::size_t(c[c.size() / 2]);
    });
    double ours = per_call([&] {
      Message m = Message::parse(raw);
      sink += m.serialize().size();
    });
    double stamp = per_call([&] {
      Message m = Message::parse(raw);
      m.prepend("Received", "from a (b [192.0.2.9]) by c (smtpsim) with ESMTP id Q; Mon, 02 Mar 2026 09:15:01 +0000");
      sink += m.serialize().size();
    });
    std::printf("%8zu-byte body: copy %.2f us, parse+serialize %.2f us (ratio %.2f), +Received %.2f us (ratio %.2f)\n",
                body, copy * 1e6, ours * 1e6, copy / ours, stamp * 1e6, copy / stamp);
    if (body == 10000) ratio10k = copy / ours;
  }
  Envelope env;
  env.reverse_path = *Address::parse("alice@a.example").address;
  Recipient r;
  r.address = *Address::parse("bob@b.example").address;
  env.recipients = {r};
  Message orig = Message::parse(message_of(10000));
  DsnReport rep;
  rep.reporting_mta = "out1.fra.a.example";
  rep.queue_id = "3F2A81C0B4";
  DsnRecipientReport rr;
  rr.recipient = r;
  rr.status = "5.1.1";
  rr.remote_mta = "mx1.b.example";
  rr.diagnostic = "550 5.1.1 <bob@b.example>: Recipient address rejected: User unknown";
  rep.recipients = {rr};
  double dsn = per_call([&] { sink += build_dsn(rep, env, orig)->message.size(); });
  std::printf("build_dsn (10 KB original returned in full): %.2f us per DSN\n", dsn * 1e6);
  std::printf("bench_mail: parse+serialize 10KB at %.2f of copy speed (sink %zu)\n", ratio10k, sink % 10);
  return 0;
}
