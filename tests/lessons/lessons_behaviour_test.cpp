// lessons_behaviour_test.cpp - behaviour reply overrides as a lesson writes them, through the real
// engines: EHLO refused once (the sender falls back to HELO), DATA refused once (deferred, then
// retried), STARTTLS refused (the sender goes on in plaintext), the final reply reworded - and a
// cluster's members all answering as the cluster was told to.
#include "lessons/lessons_mta_util.hpp"
#include "sim/roles/mta_server.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// kTwoProviders - A's client and MSA (doing MX lookups), B's MX and MDA.
const char* kTwoProviders = R"(
seed: 6
retry: { every: 10m, give_up_after: 2h }
domains:
  a.example: { mx: mda.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mda.a.example], latency: 10ms }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
)";

// lines_from - the reply and command lines of the sessions between two hosts, in order.
std::vector<std::string> lines_from(World& w, const std::string& server, const std::string& client) {
  std::vector<std::string> out;
  for (const TraceEvent& e : w.trace.events()) {
    if (e.kind == TraceKind::Reply && e.host == server && e.peer == client) out.push_back("S: " + e.text);
    if (e.kind == TraceKind::Command && e.host == client && e.peer == server) out.push_back("C: " + e.text);
  }
  return out;
}

// has - the list holds this line.
bool has(const std::vector<std::string>& v, const std::string& line) {
  return std::find(v.begin(), v.end(), line) != v.end();
}

}  // namespace

TEST_CASE("behaviour: EHLO, DATA and STARTTLS refused, the final reply reworded") {
  Lesson l = run_lesson(std::string(kTwoProviders) + R"(send:
  - { id: m, at: 1s, from: a@a.example, to: b@b.example, subject: "Hi", body: "Hello B" }
timeline:
  - { at: 0s, host: mx.b.example, behaviour: {
        connect: { reply: "220 mx.b.example ESMTP lesson server", times: 1 },
        ehlo: { reply: "550 5.7.1 No ESMTP today", times: 1 },
        data: { reply: "451 4.3.0 Queue full, try later", times: 1 },
        starttls: "454 4.7.0 TLS not available due to temporary reason",
        dot: "250 2.0.0 Thanks, filed as {id}" } }
expect:
  - { delivered: b@b.example, message: m }
  - { reply: 550, after: EHLO, host: mx.b.example, exactly: 1 }
  - { reply: 451, after: DATA, host: mx.b.example, exactly: 1 }
  - { reply: 454, after: STARTTLS, host: mx.b.example, exactly: 1 }
  - { attempts: { message: m, exactly: 2, host: msa.a.example } }
)");
  INFO(l.problems());
  World& w = l.world();
  INFO(transcript(w));
  REQUIRE(l.report.ok());
  auto s = lines_from(w, "mx.b.example", "msa.a.example");
  // First session: the reworded greeting, EHLO refused, HELO instead, DATA refused.
  CHECK(has(s, "S: 220 mx.b.example ESMTP lesson server"));
  CHECK(has(s, "S: 550 5.7.1 No ESMTP today"));
  CHECK(has(s, "C: HELO msa.a.example"));
  CHECK(has(s, "S: 451 4.3.0 Queue full, try later"));
  // Second session: the normal greeting and EHLO, STARTTLS refused, plaintext, reworded 250.
  CHECK(has(s, "S: 220 mx.b.example ESMTP smtpsim"));
  CHECK(has(s, "S: 454 4.7.0 TLS not available due to temporary reason"));
  bool reworded = false;
  for (const std::string& line : s) reworded |= line.rfind("S: 250 2.0.0 Thanks, filed as ", 0) == 0;
  CHECK(reworded);
  for (const TraceEvent& e : events_of(w, TraceKind::Tls, "msa.a.example")) CHECK(e.peer != "mx.b.example");
  auto fault = events_of(w, TraceKind::Fault);
  REQUIRE(!fault.empty());
  CHECK(fault[0].text.find("ignored") == std::string::npos);
}

TEST_CASE("behaviour: NOOP, RSET, VRFY, HELO and QUIT overrides reach the server") {
  // The roles never send these (HELO only after a refused EHLO), so the overrides are checked on
  // the server the world built: what it answers a session fed by hand.
  Lesson l = start_lesson(std::string(kTwoProviders) + R"(timeline:
  - { at: 0s, host: mx.b.example, behaviour: {
        noop: "250 2.0.0 Still here", rset: "502 5.5.1 RSET is off", vrfy: "252 2.1.5 Try it",
        helo: "250 mx.b.example at your service", quit: "221 2.0.0 Come back soon" } }
until: 1m
)");
  finish_lesson(l);
  MtaHost* mx = l.world().mta("mx.b.example");
  REQUIRE(mx);
  auto& side = mx->server_side();
  smtp::SmtpServer srv(side.config(), side, smtp::PeerInfo{"192.0.2.1", "client.example"});
  srv.on_open(0);
  auto say = [&](const std::string& line) {
    srv.on_bytes(line + "\r\n", 0);
    return srv.take_output().bytes;
  };
  srv.take_output();
  CHECK(say("HELO client.example") == "250 mx.b.example at your service\r\n");
  CHECK(say("NOOP") == "250 2.0.0 Still here\r\n");
  CHECK(say("RSET") == "502 5.5.1 RSET is off\r\n");
  CHECK(say("VRFY b") == "252 2.1.5 Try it\r\n");
  CHECK(say("QUIT") == "221 2.0.0 Come back soon\r\n");
  CHECK(srv.finished());
}

TEST_CASE("behaviour: a cluster's members all answer as the cluster was told") {
  Lesson l = run_lesson(R"(
seed: 7
retry: { every: 10m, give_up_after: 2h }
domains:
  a.example: { mx: mda.a.example, users: { a: apple } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa, relay_to: cluster-fra }
  - { name: cluster-fra,   role: cluster, members: [out1.fra, out2.fra] }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, cluster-fra], latency: 1ms }
  - { between: [cluster-fra, out1.fra], latency: 1ms }
  - { between: [cluster-fra, out2.fra], latency: 1ms }
  - { between: [out1.fra, internet], latency: 10ms }
  - { between: [out2.fra, internet], latency: 10ms }
  - { between: [internet, mda.a.example], latency: 10ms }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: m1, at: 1s, from: a@a.example, to: b@b.example, subject: "one", body: "1" }
  - { id: m2, at: 2s, from: a@a.example, to: b@b.example, subject: "two", body: "2" }
timeline:
  - { at: 0s, host: cluster-fra, behaviour: { rcpt: "452 4.3.1 Cluster full" } }
  - { at: 25m, host: cluster-fra, behaviour: { rcpt: normal } }
expect:
  - { delivered: b@b.example, message: m1, not_before: 25m }
  - { delivered: b@b.example, message: m2, not_before: 25m }
  - { reply: 452, after: RCPT, host: out1.fra }
  - { reply: 452, after: RCPT, host: out2.fra }
)");
  INFO(l.problems());
  World& w = l.world();
  INFO(transcript(w));
  REQUIRE(l.report.ok());
  auto fault = events_of(w, TraceKind::Fault);
  REQUIRE(fault.size() == 2);
  CHECK(fault[0].text == "cluster-fra (members out1.fra, out2.fra): RCPT answered \"452 4.3.1 Cluster full\"");
}

TEST_CASE("behaviour: a POP3 server's own replies - a locked login, then a RETR refused once") {
  Lesson l = run_lesson(R"(
seed: 8
domains:
  a.example: { mx: mda.a.example, users: { a: apple } }
  b.example: { mx: mda.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua,  user: a@a.example, submit: msa.a.example }
  - { name: msa.a.example, role: msa }
  - { name: mda.a.example, role: mda,  mailboxes: [a.example] }
  - { name: mda.b.example, role: mda,  mailboxes: [b.example] }
  - { name: pop.b.example, role: pop3, store: mda.b.example }
  - { name: client-b,      role: mua,  user: b@b.example, fetch: pop.b.example, poll: 5m }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mda.a.example], latency: 10ms }
  - { between: [internet, mda.b.example], latency: 10ms }
  - { between: [mda.b.example, pop.b.example], latency: 1ms }
  - { between: [client-b, pop.b.example], latency: 20ms }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: m, at: 1s, from: a@a.example, to: b@b.example, subject: "Hi", body: "Hello B" }
timeline:
  - { at: 0s, host: pop.b.example, behaviour: {
        connect: "+OK B's mail, ask for the lesson",
        pass: { reply: "-ERR [IN-USE] locked by your phone", times: 1 },
        retr: { reply: "-ERR message is being scanned", times: 1 } } }
until: 30m
expect:
  - { delivered: b@b.example, message: m }
  - { fetched_by: client-b, message: m }
)");
  INFO(l.problems());
  World& w = l.world();
  INFO(transcript(w));
  REQUIRE(l.report.ok());
  auto s = lines_from(w, "pop.b.example", "client-b");
  CHECK(has(s, "S: -ERR [IN-USE] locked by your phone"));
  CHECK(has(s, "S: -ERR message is being scanned"));
  int greetings = 0, refused_logins = 0;
  for (const std::string& line : s) {
    greetings += line.rfind("S: +OK B's mail, ask for the lesson", 0) == 0;
    refused_logins += line.rfind("S: -ERR [IN-USE]", 0) == 0;
  }
  CHECK(greetings >= 3);  // every session, not only the first
  CHECK(refused_logins == 1);
  auto fault = events_of(w, TraceKind::Fault);
  REQUIRE(!fault.empty());
  CHECK(fault[0].text.find("ignored") == std::string::npos);
}
