// lessons_msa_auth_test.cpp - a submission server's `auth:` and `auth_mechs:` as a lesson writes
// them: required (530 before AUTH), optional (AUTH offered, mail taken without it too), off (no
// AUTH at all), and only the listed mechanisms in the EHLO reply.
#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;

namespace {

// lesson - client-l logs in with LOGIN, client-p with PLAIN, client-n not at all; each sends one
// message to B through A's MSA, written with `msa_keys`.
std::string lesson(const std::string& msa_keys, const std::string& expect) {
  return R"(
seed: 5
domains:
  a.example: { mx: mx.a.example, users: { l: lime, p: pear, n: nut } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-l,      role: mua, user: l@a.example, submit: msa.a.example, auth: login }
  - { name: client-p,      role: mua, user: p@a.example, submit: msa.a.example, auth: plain }
  - { name: client-n,      role: mua, user: n@a.example, submit: msa.a.example, auth: none }
  - { name: msa.a.example, role: msa, )" + msa_keys + R"( }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-l, msa.a.example], latency: 10ms }
  - { between: [client-p, msa.a.example], latency: 10ms }
  - { between: [client-n, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: by-login, at: 1s, from: l@a.example, to: b@b.example, subject: "login", body: "l" }
  - { id: by-plain, at: 2s, from: p@a.example, to: b@b.example, subject: "plain", body: "p" }
  - { id: by-nobody, at: 3s, from: n@a.example, to: b@b.example, subject: "none", body: "n" }
until: 1h
expect:
)" + expect;
}

// auth_lines - the AUTH lines of the MSA's EHLO replies, as sent (one per EHLO that offered it).
std::vector<std::string> auth_lines(World& w) {
  std::vector<std::string> out;
  for (const TraceEvent& e : events_of(w, TraceKind::Reply, "msa.a.example"))
    if (e.text.rfind("250-AUTH", 0) == 0 || e.text.rfind("250 AUTH", 0) == 0) out.push_back(e.text.substr(4));
  return out;
}

// first_reply_to_mail - the MSA's reply to client `peer`'s first MAIL FROM ("" when none was sent).
std::string first_reply_to_mail(World& w, const std::string& peer) {
  for (const TraceEvent& e : events_of(w, TraceKind::Reply, "msa.a.example"))
    if (e.peer == peer && (e.text.rfind("250 2.1.0", 0) == 0 || e.text.rfind("530", 0) == 0)) return e.text;
  return "";
}

}  // namespace

TEST_CASE("msa auth: required - 530 before AUTH; auth_mechs limits the offer to LOGIN") {
  Lesson l = run_lesson(lesson("auth: required, auth_mechs: [login]", R"(
  - { delivered: b@b.example, message: by-login }
  - { not_delivered: b@b.example, message: by-plain }
  - { not_delivered: b@b.example, message: by-nobody }
  - { reply: 530, after: MAIL, host: msa.a.example }
)"));
  INFO(l.problems());
  INFO(transcript(l.world()));
  REQUIRE(l.report.ok());
  World& w = l.world();
  auto offered = auth_lines(w);
  REQUIRE(!offered.empty());
  for (const std::string& a : offered) CHECK(a == "AUTH LOGIN");
  // The PLAIN-only client finds no mechanism it can use and says so.
  bool explained = false;
  for (const TraceEvent& e : w.trace.events())
    if (e.host == "client-p" && e.text.find("no usable AUTH mechanism (need PLAIN, offered: LOGIN)") != std::string::npos)
      explained = true;
  CHECK(explained);
  CHECK(first_reply_to_mail(w, "client-n").rfind("530 5.7.0", 0) == 0);
}

TEST_CASE("msa auth: optional - AUTH offered, and mail without it is taken too") {
  Lesson l = run_lesson(lesson("auth: optional", R"(
  - { delivered: b@b.example, message: by-login }
  - { delivered: b@b.example, message: by-plain }
  - { delivered: b@b.example, message: by-nobody }
  - { no_reply: 530, host: msa.a.example }
)"));
  INFO(l.problems());
  INFO(transcript(l.world()));
  REQUIRE(l.report.ok());
  World& w = l.world();
  auto offered = auth_lines(w);
  REQUIRE(!offered.empty());
  for (const std::string& a : offered) CHECK(a == "AUTH PLAIN LOGIN");
  CHECK(first_reply_to_mail(w, "client-n").rfind("250 2.1.0", 0) == 0);
  // Logged-in clients really logged in.
  int logged_in = 0;
  for (const TraceEvent& e : events_of(w, TraceKind::Reply, "msa.a.example")) logged_in += e.code == 235;
  CHECK(logged_in == 2);
}

TEST_CASE("msa auth: off - no AUTH in the EHLO reply, anybody may submit") {
  Lesson l = run_lesson(lesson("auth: off", R"(
  - { delivered: b@b.example, message: by-nobody }
  - { not_delivered: b@b.example, message: by-login }
  - { no_reply: 530, host: msa.a.example }
)"));
  INFO(l.problems());
  INFO(transcript(l.world()));
  REQUIRE(l.report.ok());
  World& w = l.world();
  CHECK(auth_lines(w).empty());
  CHECK(first_reply_to_mail(w, "client-n").rfind("250 2.1.0", 0) == 0);
  // A client set up to log in finds nothing to log in with: it gives up rather than send unauthenticated.
  bool explained = false;
  for (const TraceEvent& e : w.trace.events())
    if (e.host == "client-l" && e.text.find("no usable AUTH mechanism") != std::string::npos) explained = true;
  CHECK(explained);
}
