// mail_address_test.cpp - RFC 5321 mailboxes and paths: tables of valid and invalid forms, limits, case rules.
#include <catch2/catch.hpp>

#include <string>

#include "sim/mail/mail_address.hpp"

using namespace smtpsim::mail;

TEST_CASE("valid mailboxes parse into local part and domain") {
  struct Row { const char* text; const char* local; const char* domain; const char* wire; };
  const Row rows[] = {
      {"alice@a.example", "alice", "a.example", "alice@a.example"},
      {"Alice.Smith@A.Example", "Alice.Smith", "A.Example", "Alice.Smith@A.Example"},
      {"bob+tag@b.example", "bob+tag", "b.example", "bob+tag@b.example"},
      {"o'brien@c.example", "o'brien", "c.example", "o'brien@c.example"},
      {"!#$%&'*+-/=?^_`{|}~@x.example", "!#$%&'*+-/=?^_`{|}~", "x.example", "!#$%&'*+-/=?^_`{|}~@x.example"},
      {"\"john doe\"@d.example", "john doe", "d.example", "\"john doe\"@d.example"},
      {"\"a\\\"b\"@d.example", "a\"b", "d.example", "\"a\\\"b\"@d.example"},
      {"\"plain\"@d.example", "plain", "d.example", "plain@d.example"},  // quoting not needed: dropped
      {"\"@\"@d.example", "@", "d.example", "\"@\"@d.example"},
      {"\"\"@d.example", "", "d.example", "\"\"@d.example"},
      {"user@localhost", "user", "localhost", "user@localhost"},
      {"user@[192.0.2.1]", "user", "[192.0.2.1]", "user@[192.0.2.1]"},
      {"user@[IPv6:2001:db8::1]", "user", "[IPv6:2001:db8::1]", "user@[IPv6:2001:db8::1]"},
      {"user@[ipv6:::1]", "user", "[ipv6:::1]", "user@[ipv6:::1]"},
      {"user@[IPv6:::ffff:192.0.2.1]", "user", "[IPv6:::ffff:192.0.2.1]", "user@[IPv6:::ffff:192.0.2.1]"},
      {"user@[x-tag:anything-here]", "user", "[x-tag:anything-here]", "user@[x-tag:anything-here]"},
      {"u@1.2.3.example", "u", "1.2.3.example", "u@1.2.3.example"},
      {"u@xn--bcher-kva.example", "u", "xn--bcher-kva.example", "u@xn--bcher-kva.example"},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    AddressResult res = Address::parse(r.text);
    REQUIRE(res);
    CHECK(res.address->local() == r.local);
    CHECK(res.address->domain() == r.domain);
    CHECK(res.address->str() == r.wire);
    CHECK_FALSE(res.address->is_null());
  }
}

TEST_CASE("invalid mailboxes are rejected with the right reason") {
  struct Row { std::string text; AddressError err; };
  const Row rows[] = {
      {"", AddressError::Empty},
      {"alice", AddressError::MissingAt},
      {"@a.example", AddressError::EmptyLocalPart},
      {"alice@", AddressError::EmptyDomain},
      {".alice@a.example", AddressError::BadLocalPart},
      {"alice.@a.example", AddressError::BadLocalPart},
      {"al..ice@a.example", AddressError::BadLocalPart},
      {"al ice@a.example", AddressError::BadLocalPart},
      {"al(ice@a.example", AddressError::BadLocalPart},
      {"\"unterminated@a.example", AddressError::BadLocalPart},
      {"\"a\"b@a.example", AddressError::BadLocalPart},
      {"\"tab\there\"@a.example", AddressError::BadLocalPart},
      {std::string(65, 'a') + "@a.example", AddressError::LocalPartTooLong},
      {"a@b@c.example", AddressError::BadDomain},
      {"a@-b.example", AddressError::BadDomain},
      {"a@b-.example", AddressError::BadDomain},
      {"a@b..example", AddressError::BadDomain},
      {"a@b.example.", AddressError::BadDomain},
      {"a@b_c.example", AddressError::BadDomain},
      {"a@" + std::string(64, 'x') + ".example", AddressError::LabelTooLong},
      {"a@[192.0.2.256]", AddressError::BadAddressLiteral},
      {"a@[192.0.2]", AddressError::BadAddressLiteral},
      {"a@[IPv6:2001:db8::1::2]", AddressError::BadAddressLiteral},
      {"a@[IPv6:1:2:3:4:5:6:7:8:9]", AddressError::BadAddressLiteral},
      {"a@[IPv6:12345::1]", AddressError::BadAddressLiteral},
      {"a@[tag:]", AddressError::BadAddressLiteral},
      {"a@[192.0.2.1", AddressError::BadAddressLiteral},
      {"j\xC3\xBCrgen@a.example", AddressError::NonAscii},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    AddressResult res = Address::parse(r.text);
    CHECK_FALSE(res);
    CHECK(res.error == r.err);
    CHECK_FALSE(res.address.has_value());
  }
}

TEST_CASE("length limits sit exactly at 64 and 255 octets") {
  std::string local64(64, 'l');
  CHECK(Address::parse(local64 + "@a.example"));
  CHECK(Address::parse("\"" + std::string(62, 'q') + "\"@a.example"));          // 64 with quotes
  CHECK(Address::parse("\"" + std::string(63, 'q') + "\"@a.example").error == AddressError::LocalPartTooLong);
  // 255-octet domain of 63-char labels: 63*4 + 3 dots = 255
  std::string label(63, 'd');
  std::string d255 = label + "." + label + "." + label + "." + label;
  REQUIRE(d255.size() == 255);
  CHECK(check_domain(d255) == AddressError::None);
  CHECK(check_domain(d255 + "x") == AddressError::DomainTooLong);
  CHECK(check_domain(std::string(64, 'e') + ".example") == AddressError::LabelTooLong);
  CHECK(check_domain("a." + d255) == AddressError::DomainTooLong);
}

TEST_CASE("domain is compared without case, local part with case, postmaster always without") {
  Address a = *Address::parse("Alice@A.Example").address;
  Address b = *Address::parse("Alice@a.example").address;
  Address c = *Address::parse("alice@a.example").address;
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a.key() == "Alice@a.example");
  CHECK(a.domain_lower() == "a.example");
  CHECK(a.domain() == "A.Example");  // preserved as written
  CHECK(*Address::parse("POSTMASTER@b.example").address == *Address::parse("postmaster@B.EXAMPLE").address);
  CHECK(Address::parse("PostMaster@b.example").address->is_postmaster());
  CHECK_FALSE(c.is_postmaster());
  CHECK(*Address::parse("\"alice\"@a.example").address == c);  // needless quotes do not matter
}

TEST_CASE("reverse paths: null path, brackets, source routes, lenient mode") {
  PathResult null = parse_reverse_path("<>");
  REQUIRE(null);
  CHECK(null.address->is_null());
  CHECK(null.address->str().empty());
  CHECK(null.address->path() == "<>");

  PathResult p = parse_reverse_path("<alice@a.example>");
  REQUIRE(p);
  CHECK(p.address->str() == "alice@a.example");
  CHECK(p.address->path() == "<alice@a.example>");

  PathResult routed = parse_reverse_path("<@relay1.example,@relay2.example:alice@a.example>");
  REQUIRE(routed);
  CHECK(routed.address->str() == "alice@a.example");

  CHECK(parse_reverse_path("alice@a.example").error == AddressError::MissingBrackets);
  CHECK(parse_reverse_path("alice@a.example", false));
  CHECK(parse_reverse_path("<alice@a.example").error == AddressError::MissingBrackets);
  CHECK(parse_reverse_path("<@relay1.example alice@a.example>").error == AddressError::BadSourceRoute);
  CHECK(parse_reverse_path("<@:alice@a.example>").error == AddressError::BadSourceRoute);
  CHECK(parse_reverse_path("<@[192.0.2.1]:alice@a.example>").error == AddressError::BadSourceRoute);
  CHECK(parse_reverse_path("").error == AddressError::Empty);
  CHECK(parse_reverse_path("<alice@" + std::string(250, 'a') + ">").error == AddressError::PathTooLong);
}

TEST_CASE("forward paths: <Postmaster> without domain in any case, no null path") {
  for (const char* text : {"<Postmaster>", "<postmaster>", "<POSTMASTER>"}) {
    PathResult p = parse_forward_path(text);
    INFO(text);
    REQUIRE(p);
    CHECK(p.address->is_postmaster());
    CHECK(p.address->domain().empty());
    CHECK(p.address->key() == "postmaster");
    CHECK_FALSE(p.address->is_null());
  }
  CHECK(parse_forward_path("<Postmaster>").address->str() == "Postmaster");
  CHECK(parse_forward_path("<>").error == AddressError::NullNotAllowed);
  CHECK(parse_forward_path("<bob>").error == AddressError::MissingAt);
  CHECK(parse_reverse_path("<Postmaster>").error == AddressError::MissingAt);  // only RCPT has it
  CHECK(parse_forward_path("<bob@b.example>").address->str() == "bob@b.example");
}

TEST_CASE("address literals and IP text forms") {
  CHECK(is_ipv4("0.0.0.0"));
  CHECK(is_ipv4("255.255.255.255"));
  CHECK_FALSE(is_ipv4("256.1.1.1"));
  CHECK_FALSE(is_ipv4("1.2.3"));
  CHECK_FALSE(is_ipv4("1.2.3.4.5"));
  CHECK_FALSE(is_ipv4("1..3.4"));
  CHECK_FALSE(is_ipv4("1234.1.1.1"));
  CHECK(is_ipv6("2001:db8:0:0:0:0:0:1"));
  CHECK(is_ipv6("2001:db8::1"));
  CHECK(is_ipv6("::"));
  CHECK(is_ipv6("::1"));
  CHECK(is_ipv6("1::"));
  CHECK(is_ipv6("::ffff:192.0.2.1"));
  CHECK(is_ipv6("1:2:3:4:5:6:192.0.2.1"));
  CHECK_FALSE(is_ipv6("1:2:3:4:5:6:7:192.0.2.1"));
  CHECK_FALSE(is_ipv6("1:2:3:4:5:6:7"));
  CHECK_FALSE(is_ipv6(":::"));
  CHECK_FALSE(is_ipv6("1:2:3:4:5:6:7:8:"));
  CHECK_FALSE(is_ipv6("g::1"));
  CHECK(Address::parse("x@[IPv6:2001:db8::1]").address->is_address_literal());
  CHECK_FALSE(Address::parse("x@a.example").address->is_address_literal());
}

TEST_CASE("header_addresses pulls addr-specs out of From/To/Cc values") {
  using V = std::vector<std::string>;
  CHECK(header_addresses("alice@a.example") == V{"alice@a.example"});
  CHECK(header_addresses("Alice Example <alice@a.example>") == V{"alice@a.example"});
  CHECK(header_addresses("\"Doe, John\" <john@d.example>, bob@b.example (Bob)") ==
        V{"john@d.example", "bob@b.example"});
  CHECK(header_addresses("team: a@x.example, b@x.example;, c@y.example") ==
        V{"a@x.example", "b@x.example", "c@y.example"});
  CHECK(header_addresses("undisclosed-recipients:;").empty());
  CHECK(header_addresses("<@route.example:carol@c.example>") == V{"carol@c.example"});
  CHECK(header_addresses("not an address") == V{"not an address"});
  CHECK(header_addresses("").empty());
}

TEST_CASE("describe gives a readable reason for every error") {
  for (int e = 0; e <= int(AddressError::NullNotAllowed); ++e)
    CHECK_FALSE(describe(AddressError(e)).empty());
  CHECK(describe(AddressError::LocalPartTooLong) == "local part longer than 64 octets");
}
