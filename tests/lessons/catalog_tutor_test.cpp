// catalog_tutor_test.cpp - the reply catalogue as the tutor uses it: the SMTP and POP3 tables in one
// Catalog. It lives here, with the whole engine, because sim/pop3 does not link sim/smtp (test_pop3
// links only what sim/pop3 needs, so a POP3 file that reached for the SMTP area would not link).
#include <catch2/catch.hpp>

#include <set>

#include "sim/pop3/pop3_catalog.hpp"
#include "sim/smtp/smtp_catalog.hpp"

using namespace smtpsim;
using pop3::Reply;

TEST_CASE("pop3 catalogue: the tutor finds POP3 answers next to SMTP ones", "[pop3][catalog]") {
  smtp::Catalog cat = smtp::Catalog::smtp();
  const std::size_t smtp_rows = cat.all().size();
  cat.add(pop3::catalog_entries());
  CHECK(cat.all().size() == smtp_rows + std::size_t(Reply::Count));

  auto in_use = cat.explain("-ERR [IN-USE]");
  REQUIRE(in_use.size() == 1);
  CHECK(in_use[0]->key == "pop3.in_use");
  CHECK(in_use[0]->next_kind == smtp::ClientNext::RetryLater);

  auto auth = cat.explain("[AUTH]");
  std::set<std::string_view> auth_keys;
  for (auto* e : auth) auth_keys.insert(e->key);
  CHECK(auth_keys == std::set<std::string_view>{"pop3.auth_failed", "pop3.auth_failed_close", "pop3.plaintext_disallowed"});

  for (const char* code : {"SYS/TEMP", "SYS/PERM", "LOGIN-DELAY"}) {
    INFO(code);
    CHECK_FALSE(cat.explain(std::string("-ERR [") + code + "]").empty());
  }
  std::size_t oks = 0;
  for (const auto& e : pop3::catalog_entries()) oks += e.code == smtp::kPop3Ok;
  CHECK(cat.explain("+OK").size() == oks);
  CHECK(cat.explain("-err").size() == std::size_t(Reply::Count) - oks);
  // SMTP queries are not disturbed by the POP3 rows.
  for (auto* e : cat.explain("550 5.1.1")) CHECK(e->protocol == smtp::ReplyProtocol::Smtp);
}
