// cli_explain_test.cpp - `smtpsim explain` for what a student meets beyond reply codes: glossary
// terms (MSA, MX, octet...), the status codes only bounces carry (4.4.7), exact retry durations.
#include <catch2/catch.hpp>

#include <string>

#include "lessons/cli_harness.hpp"
#include "sim/core/glossary.hpp"

using clitest::Scratch;

TEST_CASE("explain TERM: the glossary's text, for every term a lesson uses", "[cli][explain]") {
  Scratch s;
  for (const char* term : {"MSA", "MX", "MDA", "octet", "UIDL", "MUA", "MTA", "STARTTLS", "STLS", "DSN",
                           "greylisting", "AUTHORIZATION", "null MX", "NXDOMAIN", "Message-ID"}) {
    INFO(term);
    auto r = s.run({"explain", term});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    const smtpsim::GlossaryEntry* e = smtpsim::glossary_find(term);
    REQUIRE(e);
    // The same words the visualizer's hover shows, then the paragraph and the RFC.
    CHECK(r.out.starts_with(std::string(e->term) + " - " + std::string(e->short_text) + "\n"));
    CHECK(r.out.find(std::string(e->long_text.substr(0, 30))) != std::string::npos);
    if (!e->rfc.empty()) CHECK(r.out.find("see:   " + std::string(e->rfc)) != std::string::npos);
  }
  // Any spelling: case, two words, an alias.
  CHECK(s.run({"explain", "msa"}).out == s.run({"explain", "MSA"}).out);
  CHECK(s.run({"explain", "queue", "id"}).out == s.run({"explain", "queue-id"}).out);
  CHECK(s.run({"explain", "Mail", "Exchanger"}).out == s.run({"explain", "MX"}).out);
  auto octet = s.run({"explain", "octet"});
  CHECK(octet.out.find("8 bits") != std::string::npos);
  // Every term listed, one line each.
  auto all = s.run({"explain", "terms"});
  CHECK(all.status == 0);
  for (const smtpsim::GlossaryEntry& e : smtpsim::glossary_all())
    CHECK(all.out.find("\n  " + std::string(e.term) + " ") != std::string::npos);
  // Something that is neither a reply nor a term still says so, and suggests a near term.
  auto typo = s.run({"explain", "MXX"});
  CHECK(typo.status == 2);
  CHECK(typo.err.find("Nor is it a term of the glossary (did you mean 'mx'?).") != std::string::npos);
}

TEST_CASE("explain 4.4.7: a status only bounces carry is explained, exit 0", "[cli][explain]") {
  Scratch s;
  auto r = s.run({"explain", "4.4.7"});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("no reply in the catalogue matches") == std::string::npos);
  CHECK(r.out.starts_with("4.4.7 Persistent Transient Failure / Network and Routing Status"));
  CHECK(r.out.find("Status: field of a bounce") != std::string::npos);
  CHECK(r.out.find("(a reply such as \"451 4.3.0\"") != std::string::npos);
  // Another registered status no server sends is explained too; nonsense still is not.
  auto other = s.run({"explain", "5.3.5"});
  CHECK(other.status == 0);
  CHECK(other.out.starts_with("5.3.5 "));
  CHECK(s.run({"explain", "5.9.9.9"}).status == 2);
  CHECK(s.run({"explain", "599"}).status == 2);
}

TEST_CASE("explain retry: durations keep every unit they have (4000 s is 1h6m40s)", "[cli][explain]") {
  Scratch s;
  auto all = s.run({"explain", "retry"});
  REQUIRE(all.status == 0);
  CHECK(all.out.find("(max 1h6m40s)") != std::string::npos);
  CHECK(all.out.find("1h6m ") == std::string::npos);
  CHECK(all.out.find("1h6m)") == std::string::npos);
  auto postfix = s.run({"explain", "retry", "postfix"});
  REQUIRE(postfix.status == 0);
  CHECK(postfix.out.find("from 5m x2.0 (max 1h6m40s) until 5d") != std::string::npos);
  // attempts (each lasting the 30 s connect timeout, as in a run) wait for the 5-minute queue runs:
  // the 4000 s cap becomes gaps of 1h10m
  CHECK(postfix.out.find("    6  02:45:00  (+1h10m)\n") != std::string::npos);
  // The bounce line says which status the bounce carries (the last failure's), not always 4.4.7.
  auto story = s.run({"explain", "retry", "story"});
  CHECK(story.out.find("status 4.4.7") == std::string::npos);
  CHECK(story.out.find("the last failure's: 4.3.0 after \"451 4.3.0\"") != std::string::npos);
}
