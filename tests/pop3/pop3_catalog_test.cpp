// pop3_catalog_test.cpp - the POP3 rows of the reply catalogue and the lines the server renders.
#include <catch2/catch.hpp>

#include <set>

#include "sim/pop3/pop3_catalog.hpp"

using namespace smtpsim;
using pop3::Reply;

TEST_CASE("pop3 catalogue: one row per reply, unique keys", "[pop3][catalog]") {
  auto rows = pop3::catalog_entries();
  REQUIRE(rows.size() == std::size_t(Reply::Count));
  std::set<std::string_view> keys;
  for (const auto& e : rows) {
    INFO(e.key);
    CHECK(e.protocol == reply::ReplyProtocol::Pop3);
    CHECK((e.code == reply::kPop3Ok || e.code == reply::kPop3Err));
    CHECK(keys.insert(e.key).second);
    CHECK_FALSE(e.meaning.empty());
    CHECK_FALSE(e.next.empty());
    CHECK(e.rfc.rfind("RFC ", 0) == 0);
    if (e.code == reply::kPop3Ok) CHECK(e.enhanced.empty());  // response codes only go with -ERR
  }
  CHECK(&pop3::reply_entry(Reply::InUse) == &rows[std::size_t(Reply::InUse)]);
}

TEST_CASE("pop3 catalogue: rendered lines", "[pop3][catalog]") {
  CHECK(pop3::reply_line(Reply::Greeting, {{"host", "pop.b.example"}, {"timestamp", "<1.2@pop.b.example>"}}) ==
        "+OK pop.b.example POP3 server ready <1.2@pop.b.example>");
  CHECK(pop3::reply_line(Reply::Greeting, {{"host", "pop.b.example"}, {"timestamp", ""}}) ==
        "+OK pop.b.example POP3 server ready");
  CHECK(pop3::reply_line(Reply::Noop) == "+OK");
  CHECK(pop3::reply_line(Reply::InUse) == "-ERR [IN-USE] Mailbox is locked by another POP3 session");
  CHECK(pop3::reply_line(Reply::LoginDelay, {{"seconds", "300"}}) ==
        "-ERR [LOGIN-DELAY] Minimum time between logins is 300 seconds");
  CHECK(pop3::reply_line(Reply::NoSuchMessage, {{"count", "1"}, {"messages", "message"}}) ==
        "-ERR no such message, only 1 message in maildrop");
  CHECK(pop3::reply_entry(Reply::SysTemp).label() == "-ERR [SYS/TEMP]");
  CHECK(pop3::reply_entry(Reply::Retr).label() == "+OK");
}

