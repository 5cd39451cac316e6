// mail_msgid_test.cpp - Message-IDs and queue ids: exact form, uniqueness, determinism.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"
#include "sim/mail/mail_msgid.hpp"
#include "sim/mail/mail_validate.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

TEST_CASE("Message-ID form: local date-time, counter + random, host") {
  MailClock clock;
  IdGenerator gen("out1.fra.a.example", Rng(42).derive("ids/out1.fra.a.example"));
  std::string id = gen.message_id(minutes(15), clock);
  CHECK(id.size() == std::string("<20260302091500.00XXXX@out1.fra.a.example>").size());
  CHECK(id.substr(0, 18) == "<20260302091500.00");
  CHECK(id.substr(id.size() - 20) == "@out1.fra.a.example>");
  CHECK(is_msg_id(id));
  CHECK(gen.message_id(minutes(15), clock).substr(0, 18) == "<20260302091500.01");
  CHECK(gen.messages_made() == 2);
}

TEST_CASE("Message-IDs are unique even at the same instant, and deterministic per seed") {
  MailClock clock;
  IdGenerator a("mx.example", Rng(7).derive("ids/mx.example"));
  IdGenerator b("mx.example", Rng(7).derive("ids/mx.example"));
  IdGenerator c("mx.example", Rng(8).derive("ids/mx.example"));
  std::set<std::string> seen;
  bool differs = false;
  for (int i = 0; i < 5000; ++i) {
    std::string x = a.message_id(0, clock);
    CHECK(x == b.message_id(0, clock));
    differs |= x != c.message_id(0, clock);
    seen.insert(x);
  }
  CHECK(seen.size() == 5000);
  CHECK(differs);
}

TEST_CASE("queue ids: 10 upper-case hex digits, unique, deterministic") {
  IdGenerator gen("out1.fra.a.example", Rng(1).derive("ids/out1"));
  IdGenerator same("out1.fra.a.example", Rng(1).derive("ids/out1"));
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    SimTime t = sec(i / 100) + msec(123) + (i % 3);  // many ids in the same microsecond
    std::string q = gen.queue_id(t);
    REQUIRE(q.size() == 10);
    for (char ch : q) CHECK(((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F')));
    CHECK(q == same.queue_id(t));
    seen.insert(q);
  }
  CHECK(seen.size() == 20000);
  IdGenerator at("h", Rng(1));
  CHECK(at.queue_id(msec(123) + 4).substr(0, 5) == "1E07C");  // 123004 microseconds
}

TEST_CASE("queue ids stay unique past 2^20 ids") {
  IdGenerator gen("h", Rng(3));
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < (1u << 20) + 5000; ++i) seen.insert(gen.queue_id(0));
  CHECK(seen.size() == (1u << 20) + 5000);
  // past 2^20 the counter's high part follows in hex without padding: "<5 time><5 low>1"
  const std::string next = gen.queue_id(sec(1) + 10);
  REQUIRE(next.size() == 11);
  CHECK(next.substr(0, 5) == "0000A");
  CHECK(next.back() == '1');
}

TEST_CASE("unusable host names are made safe") {
  MailClock clock;
  IdGenerator gen("bad host..name.", Rng(1));
  std::string id = gen.message_id(0, clock);
  CHECK(is_msg_id(id));
  CHECK(id.find("@bad-host.name>") != std::string::npos);
  IdGenerator empty("", Rng(1));
  CHECK(empty.message_id(0, clock).find("@localhost>") != std::string::npos);
}
