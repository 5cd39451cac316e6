// views_tutor_test.cpp - the reply tutor's words come from the catalogue (as `smtpsim explain`),
// and reply codes are read from reply texts.
#include <catch2/catch.hpp>

#include "viz/views/views.hpp"

using namespace smtpsim::viz;

TEST_CASE("reply_code_in reads SMTP and POP3 replies", "[tutor]") {
  std::string e;
  CHECK(reply_code_in("451 4.3.0 Try again later", &e) == 451);
  CHECK(e == "4.3.0");
  CHECK(reply_code_in("250-mx1.b.example", &e) == 250);
  CHECK(e.empty());
  CHECK(reply_code_in("354", &e) == 354);
  CHECK(reply_code_in("+OK 2 messages", &e) == 1);
  CHECK(reply_code_in("-ERR [IN-USE] mailbox locked", &e) == 2);
  CHECK(e == "IN-USE");
  CHECK(reply_code_in("RCPT TO:<b@b.example>", &e) == 0);
  CHECK(reply_code_in("4511 x", &e) == 0);
}

TEST_CASE("the tutor explains 451 4.3.0 with meaning, next step and RFC", "[tutor]") {
  std::string t = reply_tooltip_text(451, "4.3.0");
  CHECK(t.find("451: 4xx") != std::string::npos);
  CHECK(t.find("meaning:") != std::string::npos);
  CHECK(t.find("client next: retry later") != std::string::npos);
  CHECK(t.find("see: RFC") != std::string::npos);
  CHECK(t.find("status 4.3.0") != std::string::npos);
  CHECK(reply_tooltip_text(999).empty());
  std::string p = reply_tooltip_text(2, "IN-USE");
  CHECK(p.find("-ERR [IN-USE]") != std::string::npos);
}

TEST_CASE("the glossary explains role names and finds the terms of a card", "[tutor][glossary]") {
  CHECK(term_text("MSA").rfind("MSA: ", 0) == 0);
  CHECK(term_text("octets").rfind("octet: ", 0) == 0);
  CHECK(term_text("no-such-term-here").empty());
  std::vector<std::string> t = glossary_terms_in(
      "The cluster asks DNS for b.example's MX records. The message stays deferred in the queue; give up after 4h.");
  std::vector<std::string> want = {"cluster", "DNS", "MX", "deferral", "queue", "give-up deadline"};
  CHECK(t == want);
}
