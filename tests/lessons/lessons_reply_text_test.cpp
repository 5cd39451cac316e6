// lessons_reply_text_test.cpp - replies as students read them in notes, queue lines and bounces:
// "451 4.7.4 text" or, for a sender's own finding, "4.7.4 text" - the enhanced status code once,
// never "4.7.4 4.7.4 text" (a local verdict's text already starts with its code).
#include <filesystem>
#include <regex>

#include "lessons/lessons_mta_util.hpp"

using namespace smtpsim;
using namespace smtpsim::mta_test;
namespace fs = std::filesystem;

namespace {

// doubled - the first place in `text` where an enhanced status code follows itself, or "".
std::string doubled(const std::string& text) {
  static const std::regex kTwice(R"(\b([245]\.[0-9]{1,3}\.[0-9]{1,3})( |\r?\n)+\1\b)");
  std::smatch m;
  return std::regex_search(text, m, kTwice) ? m.str(0) : std::string();
}

// shown_texts - every text of a run that people read: event texts and payloads (notes, queue
// lines, bounces, the delivered messages and DSNs themselves).
std::vector<std::string> shown_texts(World& w) {
  std::vector<std::string> out;
  for (const TraceEvent& e : w.trace.events()) {
    if (!e.text.empty()) out.push_back(e.host + ": " + e.text);
    if (!e.data.empty()) out.push_back(e.host + ": " + e.data);
  }
  return out;
}

// kTlsRequired - client-a insists on TLS, its MSA offers none; the MSA insists on TLS towards
// B's MX, which offers none either: both give up with their own 4.7.4 finding.
const char* kTlsRequired = R"(
seed: 3
retry: { every: 10m, give_up_after: 30m }
domains:
  a.example: { mx: mx.a.example, users: { a: apple, z: zebra } }
  b.example: { mx: mx.b.example, users: { b: banana } }
hosts:
  - { name: client-a,      role: mua, user: a@a.example, submit: msa.a.example, tls: required }
  - { name: client-z,      role: mua, user: z@a.example, submit: msa.a.example, tls: none }
  - { name: msa.a.example, role: msa, tls: none, tls_policy: required }
  - { name: mx.a.example,  role: mx,  deliver_to: mda.a.example }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mx.b.example,  role: mx,  deliver_to: mda.b.example, tls: none }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns,           role: dns }
links:
  - { between: [client-a, msa.a.example], latency: 10ms }
  - { between: [client-z, msa.a.example], latency: 10ms }
  - { between: [msa.a.example, internet], latency: 10ms }
  - { between: [internet, mx.a.example], latency: 10ms }
  - { between: [mx.a.example, mda.a.example] }
  - { between: [internet, mx.b.example], latency: 20ms }
  - { between: [mx.b.example, mda.b.example] }
  - { between: [internet, dns], latency: 5ms }
send:
  - { id: never, at: 1s, from: a@a.example, to: b@b.example, subject: "Over TLS only", body: "x" }
  - { id: plain, at: 2s, from: z@a.example, to: b@b.example, subject: "Relayed over TLS only", body: "y" }
until: 2h
expect:
  - { not_delivered: b@b.example, message: never }
  - { bounced: b@b.example, message: plain, status: 4.7.4 }
)";

}  // namespace

TEST_CASE("format_reply shows the code and the enhanced code once before the text") {
  struct Row {
    int code;
    const char* enhanced;
    const char* text;
    const char* shown;
  };
  const Row rows[] = {
      {451, "4.7.4", "TLS required but not offered", "451 4.7.4 TLS required but not offered"},
      {451, "4.7.4", "4.7.4 TLS required but not offered", "451 4.7.4 TLS required but not offered"},
      {0, "4.7.5", "4.7.5 TLS handshake failed", "4.7.5 TLS handshake failed"},
      {0, "4.4.1", "mx.b.example said: 4.7.5 TLS handshake failed", "4.4.1 mx.b.example said: 4.7.5 TLS handshake failed"},
      {0, "4.4.2", "4.4.2", "4.4.2"},
      {550, "5.1.1", "5.1.10 different code", "550 5.1.1 5.1.10 different code"},
      {250, "", "Ok", "250 Ok"},
      {0, "", "just words", "just words"},
      {421, "4.3.2", "", "421 4.3.2"},
  };
  for (const Row& r : rows) {
    INFO(r.code << " / " << r.enhanced << " / " << r.text);
    CHECK(smtp::format_reply(r.code, r.enhanced, r.text) == r.shown);
  }
  CHECK(smtp::Reply{0, "4.7.4", {"4.7.4 TLS required but not offered by host msa"}}.summary() ==
        "4.7.4 TLS required but not offered by host msa");
}

TEST_CASE("a client's and an MTA's own findings show their enhanced code once") {
  Lesson l = run_lesson(kTlsRequired);
  INFO(l.problems());
  REQUIRE(l.report.ok());
  World& w = l.world();
  INFO(transcript(w));

  // The client gave up with its own finding, shown once.
  bool retried = false, gave_up = false;
  for (const TraceEvent& e : events_of(w, TraceKind::Note, "client-a")) {
    if (e.text.find("sending failed for now (4.7.4 TLS required but not offered by host msa.a.example)") !=
        std::string::npos)
      retried = true;
    if (e.text.find("gave up sending after 5 tries: 4.7.4 TLS required") != std::string::npos) gave_up = true;
  }
  CHECK(retried);
  CHECK(gave_up);
  // The MSA's deferrals and its bounce say 4.7.4 once.
  bool deferred = false;
  for (const QueueLine& q : queue_lines(w, "deferred", "msa.a.example"))
    if (q.text.find("4.7.4 TLS required but not offered by host mx.b.example") != std::string::npos) deferred = true;
  CHECK(deferred);
  auto reports = dsns(mailbox(w, "mda.a.example", "z@a.example"));
  REQUIRE(reports.size() == 1);
  for (const std::string& t : shown_texts(w)) {
    INFO(t);
    CHECK(doubled(t).empty());
  }
}

TEST_CASE("no lesson shows an enhanced status code twice in a row") {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(SMTPSIM_SOURCE_DIR) / "scenarios" / "lessons"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  for (const std::string& f : files) {
    auto loaded = scenario::load_scenario_file(f);
    REQUIRE(loaded.ok());
    scenario::ScenarioRun run(*loaded.spec);
    run.run_to_end();
    std::vector<std::string> bad;
    for (const std::string& t : shown_texts(run.world()))
      if (!doubled(t).empty()) bad.push_back(t);
    INFO(fs::path(f).filename().string());
    CHECK(bad == std::vector<std::string>{});
  }
}
