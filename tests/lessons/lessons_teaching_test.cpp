// lessons_teaching_test.cpp - what some lessons teach in their narration, checked in the messages
// themselves where the expectation language cannot reach: the Received chain B reads in
// relay-chain.yaml, the server mailboxes after pop3-leave-on-server.yaml, the ledger's
// explanation of the duplicate in crash-and-the-250.yaml.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/mail/mail_message.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

using namespace smtpsim;
namespace fs = std::filesystem;

namespace {

// run_lesson - load scenarios/lessons/<name>, run it to its end, require it to pass.
std::unique_ptr<scenario::ScenarioRun> run_lesson(const std::string& name) {
  auto loaded = scenario::load_scenario_file((fs::path(SMTPSIM_SOURCE_DIR) / "scenarios" / "lessons" / name).string());
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  auto run = std::make_unique<scenario::ScenarioRun>(*loaded.spec);
  run->run_to_end();
  REQUIRE(run->finish().ok());
  return run;
}

// by_and_with - "from x (...) by msa.a.example (smtpsim) with ESMTPSA id ..." -> "msa.a.example ESMTPSA".
std::string by_and_with(const std::string& received) {
  std::vector<std::string> words;
  std::string w;
  for (char c : received + " ") {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';') {
      if (!w.empty()) words.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  // The first "by", then the first "with" after it ("using TLSv1.3 with cipher" comes before).
  std::size_t by = 0;
  while (by + 1 < words.size() && words[by] != "by") ++by;
  std::size_t with = by;
  while (with + 1 < words.size() && words[with] != "with") ++with;
  if (by + 1 >= words.size() || with + 1 >= words.size()) return "?";
  return words[by + 1] + " " + words[with + 1];
}

}  // namespace

TEST_CASE("relay-chain: B's copy carries one Received header per hop, newest on top") {
  auto run = run_lesson("relay-chain.yaml");
  Mua* b = run->world().mua("client-b");
  REQUIRE(b);
  REQUIRE(b->inbox().size() == 1);
  mail::Message m = mail::Message::parse(b->inbox()[0].raw);
  std::vector<std::string> chain;
  for (const std::string& r : m.get_all("Received")) chain.push_back(by_and_with(r));
  INFO(b->inbox()[0].raw);
  CHECK(chain == std::vector<std::string>{"mda.b.example ESMTPS", "mx.b.example ESMTPS", "relay.a.example ESMTPS",
                                          "msa.a.example ESMTPSA"});
  CHECK(m.get("Return-Path") == std::optional<std::string>("<a@a.example>"));
  CHECK(m.headers().front().is("Return-Path"));
}

TEST_CASE("pop3-leave-on-server: B's server mailbox is emptied, C's keeps all three, each fetched once") {
  auto run = run_lesson("pop3-leave-on-server.yaml");
  MtaHost* mda = run->world().mta("mda.b.example");
  REQUIRE(mda);
  REQUIRE(mda->config().store);
  CHECK(mda->config().store->usage("b@b.example").messages == 0);
  CHECK(mda->config().store->usage("c@b.example").messages == 3);
  for (const char* who : {"client-b", "client-c"}) {
    Mua* m = run->world().mua(who);
    REQUIRE(m);
    std::vector<std::string> subjects;
    for (const FetchedMessage& f : m->inbox()) subjects.push_back(f.subject);
    INFO(who);
    CHECK(subjects == std::vector<std::string>{"One", "Two", "Three"});
  }
}

TEST_CASE("crash-and-the-250: the duplicate is explained by the lost 250, and the sender's queue says why it retried") {
  auto run = run_lesson("crash-and-the-250.yaml");
  LedgerSummary s = run->world().ledger.summarize();
  CHECK(s.duplicates == 1);
  CHECK(s.problems.empty());
  std::vector<std::string> causes;
  for (const LedgerLine& l : s.lines)
    if (l.deliveries > 1) causes.push_back(l.cause);
  CHECK(causes == std::vector<std::string>{"msa.a.example lost the connection to mx.b.example after the end of DATA "
                                           "at 00:31:00.988, before the 250 arrived, and sent it again"});
  // The MSA's reason for each retry, as its queue recorded it (the client's own 4.4.2, once).
  std::vector<std::string> deferred;
  for (const TraceEvent& e : run->world().trace.events())
    if (e.kind == TraceKind::Queue && e.host == "msa.a.example" && e.text.find(": deferred: ") != std::string::npos)
      deferred.push_back(e.text.substr(e.text.find(": deferred: ") + 12, 87));
  CHECK(deferred == std::vector<std::string>(2, "4.4.2 lost connection with host mx.b.example while waiting for the "
                                                "reply to end of data"));
}

TEST_CASE("mail client options reach the SMTP session: pipelining: false, auth: login") {
  const char* yaml = R"(
domains:
  a.example: { mx: mda.a.example, users: { a: apple } }
  b.example: { mx: mda.b.example, users: { b: banana } }
hosts:
  - { name: client-a, role: mua, user: a@a.example, submit: msa.a.example, pipelining: false, auth: login }
  - { name: msa.a.example, role: msa }
  - { name: mda.a.example, role: mda, mailboxes: [a.example] }
  - { name: mda.b.example, role: mda, mailboxes: [b.example] }
  - { name: dns, role: dns }
links:
  - { between: [client-a, msa.a.example] }
  - { between: [msa.a.example, mda.b.example] }
  - { between: [msa.a.example, mda.a.example] }
  - { between: [msa.a.example, dns] }
  - { between: [client-a, dns] }
send:
  - { at: 1s, from: a@a.example, to: b@b.example, subject: "x" }
expect:
  - { delivered: b@b.example }
)";
  auto loaded = scenario::load_scenario_string(yaml, "inline.yaml");
  INFO(loaded.format());
  REQUIRE(loaded.ok());
  scenario::ScenarioRun run(*loaded.spec);
  run.run_to_end();
  REQUIRE(run.finish().ok());
  // The client's commands in order: AUTH LOGIN answers its two prompts on lines of their own,
  // the user name in base64 (a@a.example), the password masked in the trace.
  std::vector<std::string> cmds;
  for (const TraceEvent& e : run.world().trace.events())
    if (e.kind == TraceKind::Command && e.host == "client-a") cmds.push_back(e.text.substr(0, e.text.find(' ')));
  CHECK(cmds == std::vector<std::string>{"EHLO", "STARTTLS", "EHLO", "AUTH", "YUBhLmV4YW1wbGU=", "********", "MAIL", "RCPT",
                                         "DATA", ".", "QUIT"});
  // Without pipelining each command waits for the previous reply: MAIL, RCPT and DATA go out
  // at three different times.
  std::vector<SimTime> at;
  for (const TraceEvent& e : run.world().trace.events())
    if (e.kind == TraceKind::Command && e.host == "client-a" &&
        (e.text.rfind("MAIL", 0) == 0 || e.text.rfind("RCPT", 0) == 0 || e.text == "DATA"))
      at.push_back(e.time);
  REQUIRE(at.size() == 3);
  CHECK(at[0] < at[1]);
  CHECK(at[1] < at[2]);
}
