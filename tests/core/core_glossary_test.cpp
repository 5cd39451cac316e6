// core_glossary_test.cpp - the glossary finds every term a lesson uses, by any spelling, and each
// entry is complete (a one-line hover text and a paragraph).
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/glossary.hpp"

using namespace smtpsim;

TEST_CASE("glossary: every required term is there, found by its own name") {
  const char* terms[] = {"MUA", "MSA", "MTA", "MX", "MDA", "POP3", "SMTP", "DNS", "octet", "UIDL",
                         "STARTTLS", "STLS", "TLS", "AUTH", "SASL", "envelope", "header", "Received",
                         "DSN", "bounce", "queue", "queue id", "retry", "deferral", "greylisting",
                         "pipelining", "relay", "open relay", "smarthost", "cluster", "balancer", "spool",
                         "AUTHORIZATION", "TRANSACTION", "UPDATE", "null MX", "NXDOMAIN", "SERVFAIL",
                         "reply code", "enhanced status code", "give-up deadline", "Message-ID"};
  for (const char* t : terms) {
    INFO(t);
    const GlossaryEntry* e = glossary_find(t);
    REQUIRE(e != nullptr);
    CHECK(glossary_key(e->term) == glossary_key(t));
  }
}

TEST_CASE("glossary: spellings and aliases find the same entry") {
  CHECK(glossary_find("msa") == glossary_find("MSA"));
  CHECK(glossary_find("Mail Submission Agent") == glossary_find("MSA"));
  CHECK(glossary_find("queue-id") == glossary_find("queue id"));
  CHECK(glossary_find("Queue_ID") == glossary_find("queue id"));
  CHECK(glossary_find("received:") == glossary_find("Received"));
  CHECK(glossary_find("message id") == glossary_find("Message-ID"));
  CHECK(glossary_find("give_up_after") == glossary_find("give-up deadline"));
  CHECK(glossary_find("NDR") == glossary_find("bounce"));
  CHECK(glossary_find("deferred") == glossary_find("deferral"));
  CHECK(glossary_find("  open   relay ") == glossary_find("open relay"));
  CHECK(glossary_find("no-such-term") == nullptr);
  CHECK(glossary_find("") == nullptr);
  CHECK(glossary_find(":") == nullptr);
}

TEST_CASE("glossary: entries are complete, hover texts are one line, no name is taken twice") {
  auto all = glossary_all();
  REQUIRE(all.size() >= 42);
  for (const GlossaryEntry& e : all) {
    INFO(std::string(e.term));
    CHECK_FALSE(e.short_text.empty());
    CHECK(e.short_text.find('\n') == std::string_view::npos);
    CHECK(e.short_text.size() <= 130);
    CHECK(e.long_text.size() > e.short_text.size());
    // every name (term or alias) leads back to this entry, so no two entries share a spelling
    CHECK(glossary_find(e.term) == &e);
    std::string_view rest = e.aliases;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view one = rest.substr(0, comma);
      INFO("alias " << std::string(one));
      CHECK(glossary_find(one) == &e);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
}
