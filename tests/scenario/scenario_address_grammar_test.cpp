// scenario_address_grammar_test.cpp - a lesson file accepts exactly the addresses the SMTP server
// accepts: the loader, the server's MAIL/RCPT parser and mail::Address share one RFC 5321 grammar.
#include <catch2/catch.hpp>

#include <string>

#include "sim/mail/mail_address.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_units.hpp"
#include "sim/smtp/smtp_command.hpp"

using namespace smtpsim;

namespace {

// loader_accepts - whether a lesson may name `address` (an expectation's recipient).
bool loader_accepts(const std::string& address) {
  std::string quoted;
  for (char c : address) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  const std::string text = "hosts:\n  - { name: r, role: router }\nexpect:\n  - { not_delivered: '" + quoted + "' }\n";
  scenario::LoadResult r = scenario::load_scenario_string(text, "grammar.yaml");
  return r.format().find("is not an email address") == std::string::npos;
}

// server_accepts - whether the SMTP server takes it in RCPT TO:<...> (and MAIL FROM:<...>).
bool server_accepts(const std::string& address) {
  const bool rcpt = smtp::parse_rcpt_to("TO:<" + address + ">").ok;
  CHECK(smtp::parse_mail_from("FROM:<" + address + ">").ok == rcpt);
  return rcpt;
}

}  // namespace

TEST_CASE("addresses: the loader accepts exactly what the server accepts", "[scenario][address]") {
  const std::string local64(64, 'l'), local65(65, 'l'), label63(63, 'd'), label64(64, 'd');
  struct Row {
    std::string address;
    bool ok;
  };
  const Row rows[] = {
      {"b@b.example", true},
      {"first.last@b.example", true},
      {"o'neil+tag@b.example", true},
      {"!#$%&'*+-/=?^_`{|}~@b.example", true},  // every atext character
      {"\"john doe\"@b.example", true},         // quoted-string local part
      {"\"a@b\"@b.example", true},              // '@' inside the quotes
      {"\"a\\\"b\"@b.example", true},           // quoted-pair
      {"b@localhost", true},                    // one-label domain: the grammar allows it
      {"b@[192.0.2.1]", true},                  // address literals
      {"b@[IPv6:2001:db8::1]", true},
      {local64 + "@b.example", true},
      {"b@" + label63 + ".example", true},
      {"b@my_host.example", false},  // '_' is fine in a host name, not in a mail domain
      {"b@-b.example", false},
      {"b@b-.example", false},
      {"b@b..example", false},
      {"b@b.example.", false},
      {"b@" + label64 + ".example", false},
      {local65 + "@b.example", false},
      {".b@b.example", false},
      {"b.@b.example", false},
      {"a..b@b.example", false},
      {"a b@b.example", false},
      {"a(b)@b.example", false},
      {"\"unterminated@b.example", false},
      {"b@[192.0.2.256]", false},
      {"b@[1.2.3]", false},
      {"b@[IPv6:1:2:3:4:5:6:7:8:9]", false},
      {"b\xc3\xbc@b.example", false},  // no SMTPUTF8
      {"b@", false},
      {"@b.example", false},
      {"bob", false},
  };
  for (const Row& r : rows) {
    INFO(r.address);
    CHECK(server_accepts(r.address) == r.ok);
    CHECK(scenario::valid_address(r.address) == r.ok);
    CHECK(loader_accepts(r.address) == r.ok);
    CHECK(mail::is_mailbox(r.address) == r.ok);
  }
}
