// cli_transcript_test.cpp - `smtpsim run --transcript` as a student reads it: the lesson's title
// and summary on top, timeline entries named for what they do (FAULT, REPAIR, CHANGE).
#include <catch2/catch.hpp>

#include <string>

#include "lessons/cli_harness.hpp"

using clitest::Scratch;

using clitest::has_line;
using clitest::with_timeline;

TEST_CASE("run --transcript: the lesson's title and summary come first", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto r = s.run({"run", "--transcript", "ok.yaml"});
  REQUIRE(r.status == 0);
  auto ls = clitest::lines(r.out);
  REQUIRE(ls.size() > 4);
  CHECK(ls[0].starts_with("== ok.yaml: CLI test: one message from A to B"));
  CHECK(ls[1] == "Lesson: CLI test: one message from A to B");
  CHECK(ls[2] == "Summary: A sends one message to B through its submission server.");
  CHECK(ls[3].empty());
  CHECK(ls[4].starts_with("["));
  // Without --transcript the results stay as they were.
  auto plain = s.run({"run", "ok.yaml"});
  CHECK(plain.out.find("Summary:") == std::string::npos);
}

TEST_CASE("run --transcript: faults, repairs and changes are named for what they do", "[cli][run]") {
  Scratch s;
  s.write("t.yaml", with_timeline(
                        "  - { at: 0s, host: mx.b.example, behaviour: { rcpt: \"451 4.3.0 Try again later\" } }\n"
                        "  - { at: 2m, host: mx.b.example, behaviour: { rcpt: normal } }\n"
                        "  - { at: 3m, link: [internet, mx.b.example], state: down }\n"
                        "  - { at: 4m, link: [internet, mx.b.example], state: up }\n"
                        "  - { at: 5m, link: [internet, mx.b.example], latency: 50ms }\n"
                        "  - { at: 6m, host: mx.b.example, behaviour: { rcpt: normal, greylisting: on } }\n"
                        "  - { at: 7m, dns: { name: b.example, fault: servfail } }\n"
                        "  - { at: 8m, dns: { name: b.example, fault: none } }\n"));
  auto r = s.run({"run", "--transcript", "t.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(has_line(r.out, "FAULT mx.b.example: RCPT answered \"451 4.3.0 Try again later\""));
  CHECK(has_line(r.out, "REPAIR mx.b.example: RCPT answered normally"));
  CHECK_FALSE(has_line(r.out, "FAULT mx.b.example: RCPT answered normally"));
  CHECK(has_line(r.out, "FAULT link internet <-> mx.b.example down"));
  CHECK(has_line(r.out, "REPAIR link internet <-> mx.b.example up"));
  CHECK(has_line(r.out, "CHANGE link internet <-> mx.b.example changed"));
  CHECK(has_line(r.out, "CHANGE mx.b.example: RCPT answered normally; greylisting on"));
  CHECK(has_line(r.out, "FAULT DNS for b.example: now answers"));
  CHECK(has_line(r.out, "REPAIR DNS for b.example: answers normally again"));
  // The JSONL export carries the same distinction in the fault event's code.
  auto j = s.run({"run", "--events", "t.jsonl", "t.yaml"});
  REQUIRE(j.status == 0);
  std::string events = clitest::read_file(s.path("t.jsonl"));
  bool repair = false, fault = false;
  for (const auto& l : clitest::lines(events)) {
    if (l.find("\"kind\":\"fault\"") == std::string::npos) continue;
    if (l.find("RCPT answered normally\"") != std::string::npos) repair = l.find("\"code\":1") != std::string::npos;
    if (l.find("Try again later") != std::string::npos) fault = l.find("\"code\"") == std::string::npos;
  }
  CHECK(repair);
  CHECK(fault);
}
