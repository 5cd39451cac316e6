// mail_cfws_test.cpp - comments (RFC 5322 3.2.2) in every structured-header scanner: nested,
// quoted-pair, and unterminated at the end of the input.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/mail_address.hpp"
#include "sim/mail/mail_date.hpp"
#include "sim/mail/mail_mime.hpp"
#include "sim/mail/mail_received.hpp"

using namespace smtpsim::mail;

TEST_CASE("structured-header scanners stop at the end of an unterminated comment") {
  // "(\t\\" crashed parse_rfc5322_date (libFuzzer, CI): the quoted-pair skip stepped past the end.
  for (std::string_view bad : {std::string_view("(\t\\"), std::string_view("(\\"), std::string_view("((\\"),
                               std::string_view("Mon, 02 Mar 2026 (\\")}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc5322_date(bad));
    if (bad.front() == '(') CHECK(header_addresses(bad).empty());  // all of it is one comment
    CHECK_FALSE(parse_content_type(bad));
    CHECK(parse_received(bad).comments.size() <= 2);
  }
  auto ok = parse_rfc5322_date("Mon, 02 Mar 2026 09:15:00 +0000 (a \\) quoted paren)");
  REQUIRE(ok);
  CHECK(ok->offset_minutes == 0);
  CHECK(header_addresses("(a \\) b) x@example.org") == std::vector<std::string>{"x@example.org"});
  CHECK(header_addresses("(a \\) x@example.org").empty());  // the escaped ")" leaves the comment open
}
