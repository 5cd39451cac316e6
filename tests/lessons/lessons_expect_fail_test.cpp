// lessons_expect_fail_test.cpp - every kind of expectation can fail: each is shown failing on a
// run built to fail it, with the words it fails with. Negative checks (not delivered, no reply, no
// TLS) fail when what they watch never happened, and every check answers the same with the trace's
// recording off (they read a subscriber's evidence, not the stored events).
#include <catch2/catch.hpp>

#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using Catch::Matchers::Contains;

namespace {

// kNet - one client, its MSA, B's MX and MDA: "hello" is sent at 10s and delivered.
const std::string kNet = R"(
lesson:
  title: "expectations that fail"
  summary: "a fixture"
  level: beginner
seed: 1
domains:
  a.example: { mx: mda.a.example, users: { a: "apple pie" } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example:587, fetch: pop.a.example:110, poll: 5m }
  - { name: pop.a.example, role: pop3, store: mda.a.example }
  - { name: msa.a.example, role: msa, auth: required }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 20ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mx.b.example], latency: 30ms }
  - { between: [mx.b.example, mda.b.example], latency: 1ms }
  - { between: [internet, mda.a.example], latency: 10ms }
  - { between: [internet, dns], latency: 5ms }
  - { between: [client-a, pop.a.example], latency: 5ms }
  - { between: [pop.a.example, mda.a.example], latency: 1ms }
send:
  - { id: hello, at: 10s, from: a@a.example, to: b@b.example, subject: "Hello", body: "Hi B" }
)";

// kCutOff - the client's link to its MSA is down from the start: nothing is ever submitted.
const std::string kCutOff = R"(
timeline:
  - { at: 0s, link: [client-a, msa.a.example], state: down }
until: 30m
)";

// Outcome - one expectation's verdict and words.
struct Outcome {
  bool pass;
  std::string detail;
};

// check_all - run kNet + extra + `expect:` lines (recording on or off); the verdicts in order.
std::vector<Outcome> check_all(const std::string& extra, const std::vector<std::string>& expect, bool recording) {
  std::string text = kNet + extra + "expect:\n";
  for (const auto& e : expect) text += "  - " + e + "\n";
  mta_test::Lesson l = mta_test::start_lesson(text);
  l.world().trace.set_recording(recording);
  const std::size_t kept = l.world().trace.events().size();  // building the world (hosts coming up)
  mta_test::finish_lesson(l);
  if (!recording) CHECK(l.world().trace.events().size() == kept);
  std::vector<Outcome> out;
  for (const auto& r : l.report.expectations) out.push_back({r.pass, r.detail});
  REQUIRE(out.size() == expect.size());
  return out;
}

// check - as check_all, and the same verdicts and words with recording off.
std::vector<Outcome> check(const std::string& extra, const std::vector<std::string>& expect) {
  std::vector<Outcome> on = check_all(extra, expect, true);
  std::vector<Outcome> off = check_all(extra, expect, false);
  for (std::size_t i = 0; i < on.size(); ++i) {
    INFO(expect[i]);
    CHECK(on[i].pass == off[i].pass);
    CHECK(on[i].detail == off[i].detail);
  }
  return on;
}

}  // namespace

TEST_CASE("every expectation kind fails on a run built to fail it, and says why") {
  const std::vector<std::string> expect = {
      "{ delivered: b@b.example, message: hello, by: 5s }",            // 0: delivered later
      "{ not_delivered: b@b.example, message: hello }",                // 1: it was delivered
      "{ bounced: b@b.example, message: hello }",                      // 2: no bounce
      "{ warned: b@b.example, message: hello }",                       // 3: no delay warning
      "{ reply: 550, host: mx.b.example }",                            // 4: never said 550
      "{ no_reply: 250, after: DATA, host: mx.b.example }",            // 5: it did say 250
      "{ attempts: { message: hello, rcpt: b@b.example, at_least: 3 } }",  // 6: one attempt
      "{ fetched_by: client-a, message: hello }",                      // 7: client-a never fetches
      "{ lost: 1 }",                                                   // 8: nothing lost
      "{ duplicates: 1 }",                                             // 9: no duplicate
      "{ queued: 1 }",                                                 // 10: nothing left queued
      "{ tls: [client-a, msa.a.example], used: false }",               // 11: submission used TLS
      "{ delivered: b@b.example, message: hello }",                    // 12: control: passes
  };
  std::vector<Outcome> r = check("", expect);
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {
    INFO(expect[i] << " -> " << r[i].detail);
    CHECK_FALSE(r[i].pass);
  }
  CHECK(r[12].pass);
  CHECK_THAT(r[0].detail, Contains("delivered, but at 00:00:1") && Contains("outside by 00:00:05"));
  CHECK_THAT(r[1].detail, Contains("delivered at 00:00:1") && Contains("by mda.b.example"));
  CHECK_THAT(r[2].detail, Contains("no failed notification about b@b.example was made"));
  CHECK_THAT(r[3].detail, Contains("no delayed notification about b@b.example was made"));
  CHECK_THAT(r[4].detail, Contains("seen 0 time(s); expected at least 1"));
  CHECK_THAT(r[5].detail, Contains("seen 1 time(s), first at 00:00:1"));
  CHECK_THAT(r[6].detail, Contains("2 attempt(s): msa.a.example #1 00:00:1") && Contains("mx.b.example #1 00:00:1") &&
                              Contains("expected at least 3"));
  CHECK_THAT(r[7].detail, Contains("client-a fetched 0 message(s) in ") && Contains("POP3 session(s), not this one"));
  CHECK(r[8].detail == "0 lost; expected exactly 1");
  CHECK(r[9].detail == "0 duplicate deliveries; expected exactly 1");
  CHECK(r[10].detail == "0 message(s) still queued; expected exactly 1");
  CHECK_THAT(r[11].detail, Contains("1 TLS session(s) (TLSv1.3") && Contains("of 1 session(s) between client-a and msa.a.example"));
}

TEST_CASE("negative checks fail when the traffic they watch never happened: a client cut off from its MSA") {
  const std::vector<std::string> expect = {
      "{ not_delivered: b@b.example, message: hello }",
      "{ no_reply: 5xx, host: msa.a.example }",
      "{ no_reply: 250, after: DATA, host: msa.a.example, peer: client-a }",
      "{ tls: [client-a, msa.a.example], used: false }",
  };
  std::vector<Outcome> r = check(kCutOff, expect);
  for (std::size_t i = 0; i < r.size(); ++i) {
    INFO(expect[i] << " -> " << r[i].detail);
    CHECK_FALSE(r[i].pass);
  }
  CHECK_THAT(r[0].detail, Contains("nothing was submitted: message 1 for b@b.example: client-a never got it to its "
                                   "submission server ("));
  CHECK_THAT(r[1].detail, Contains("nothing was exchanged: no reply at all from msa.a.example (") &&
                              Contains("connection(s) opened, none answered), so its absence proves nothing"));
  CHECK_THAT(r[2].detail, Contains("nothing was exchanged") && Contains("between msa.a.example and client-a"));
  CHECK(r[3].detail == "no session at all between client-a and msa.a.example, so the absence of TLS proves nothing");
}

TEST_CASE("negative checks pass with evidence: a refused recipient was offered; SYNs nobody answered are none") {
  // B's MX refuses the recipient: the message was handed to a server and never delivered.
  const std::string refused = R"(
timeline:
  - { at: 0s, host: mx.b.example, behaviour: { rcpt: "550 5.1.1 No such user" } }
)";
  std::vector<Outcome> r = check(refused, {"{ not_delivered: b@b.example, message: hello }",
                                          "{ no_reply: 250, after: RCPT, host: mx.b.example }"});
  CHECK(r[0].pass);
  CHECK_THAT(r[0].detail, Contains("handed to a server, not delivered; last queue event:") && Contains("bounced: "));
  CHECK(r[1].pass);
  CHECK_THAT(r[1].detail, Contains("never seen in ") && Contains("reply line(s) from mx.b.example"));
  // B's MX is cut off: the MSA's SYNs go unanswered. That is no session: "no reply" proves nothing.
  const std::string dark = R"(
timeline:
  - { at: 0s, link: [internet, mx.b.example], state: down }
until: 20m
)";
  r = check(dark, {"{ no_reply: 2xx, host: mx.b.example }"});
  CHECK_FALSE(r[0].pass);
  CHECK_THAT(r[0].detail, Contains("nothing was exchanged") && Contains("connection(s) opened, none answered"));
}
