// smtp_catalog_test.cpp - the reply catalogue: table integrity (one row per ReplyId, codes and
// enhanced codes consistent), explain() queries for SMTP and a registered POP3 table, placeholder
// rendering, the RFC 3463 registry and reply-code classes.
#include <catch2/catch.hpp>

#include <set>

#include "sim/smtp/smtp_catalog.hpp"

using namespace smtpsim::smtp;

namespace {

// A POP3 table as the POP3 area would register it from its own file.
constexpr ReplyEntry kPop3[] = {
    {.key = "pop3.ok", .protocol = ReplyProtocol::Pop3, .code = kPop3Ok, .enhanced = "", .text = "+OK",
     .meaning = "Success.", .next = "Go on.", .next_kind = ClientNext::GoOn, .rfc = "RFC 1939 3"},
    {.key = "pop3.in_use", .protocol = ReplyProtocol::Pop3, .code = kPop3Err, .enhanced = "IN-USE",
     .text = "Mailbox locked by another session", .meaning = "Another session holds the maildrop lock.",
     .next = "Try again later.", .next_kind = ClientNext::RetryLater, .rfc = "RFC 2449 8.1.1"},
    {.key = "pop3.auth", .protocol = ReplyProtocol::Pop3, .code = kPop3Err, .enhanced = "AUTH",
     .text = "Invalid password", .meaning = "Credentials were wrong.", .next = "Fix the password.",
     .next_kind = ClientNext::GiveUp, .rfc = "RFC 3206 4"},
};

std::vector<std::string> labels(const std::vector<const ReplyEntry*>& v) {
  std::vector<std::string> out;
  for (auto* e : v) out.push_back(e->label());
  return out;
}

}  // namespace

TEST_CASE("catalog: one well-formed entry per ReplyId") {
  auto entries = smtp_catalog_entries();
  REQUIRE(entries.size() == static_cast<std::size_t>(ReplyId::Count));
  std::set<std::string_view> keys;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ReplyEntry& e = entries[i];
    INFO(e.key);
    CHECK(&smtp_reply(static_cast<ReplyId>(i)) == &e);
    CHECK(keys.insert(e.key).second);  // keys are unique
    CHECK(e.key.starts_with("smtp."));
    CHECK(e.protocol == ReplyProtocol::Smtp);
    CHECK(e.code >= 200);
    CHECK(e.code <= 599);
    CHECK_FALSE(e.text.empty());
    CHECK_FALSE(e.meaning.empty());
    CHECK_FALSE(e.next.empty());
    CHECK(e.rfc.starts_with("RFC"));
    // The enhanced code's class matches the reply class (RFC 3463 2), when there is one.
    if (!e.enhanced.empty()) {
      CHECK(is_enhanced_status(e.enhanced));
      CHECK(e.enhanced[0] - '0' == e.code / 100);
      CHECK(describe_status(e.enhanced).has_value());
    }
    // The tutor's icon follows the class.
    switch (e.code / 100) {
      case 2: CHECK(e.next_kind == ClientNext::GoOn); break;
      case 3: CHECK(e.next_kind == ClientNext::SendMore); break;
      case 4: CHECK(e.next_kind == ClientNext::RetryLater); break;
      case 5: CHECK(e.next_kind == ClientNext::GiveUp); break;
    }
    // Reply lines stay far below 512 octets.
    CHECK(e.text.size() < 200);
  }
}

TEST_CASE("catalog: every code the brief lists is present") {
  Catalog c = Catalog::smtp();
  for (int code : {211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 454, 455, 500, 501, 502,
                   503, 504, 521, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556}) {
    INFO(code);
    CHECK_FALSE(c.by_code(code).empty());
  }
  struct Pair { int code; const char* enh; };
  for (Pair p : {Pair{550, "5.1.1"}, {554, "5.7.1"}, {550, "5.7.1"}, {552, "5.3.4"}, {452, "4.5.3"},
                 {451, "4.7.1"}, {554, "5.4.6"}, {556, "5.1.10"}, {550, "5.5.2"}, {538, "5.7.11"}, {535, "5.7.8"},
                 {530, "5.7.0"}, {554, "5.5.0"}, {452, "4.3.1"}, {421, "4.4.2"}, {421, "4.7.0"}}) {
    INFO(p.code << " " << p.enh);
    CHECK_FALSE(c.find(p.code, p.enh).empty());
  }
}

TEST_CASE("catalog: explain understands codes, enhanced codes, both, keys and POP3 codes") {
  Catalog c = Catalog::smtp();
  c.add(kPop3);

  auto r = c.explain("550 5.1.1");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->key == "smtp.user_unknown");
  CHECK(r[0]->label() == "550 5.1.1");

  r = c.explain("  5.1.1 ");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->code == 550);

  r = c.explain("554 5.7.1");
  REQUIRE(r.size() >= 2);  // relay denied and message rejected
  CHECK(r[0]->key == "smtp.relay_denied");

  r = c.explain("550");
  CHECK(r.size() >= 5);
  for (auto* e : r) CHECK(e->code == 550);

  // No exact entry: the enhanced code's entries first, then the code's.
  r = c.explain("550 5.3.4");
  REQUIRE(r.size() >= 2);
  CHECK(r[0]->enhanced == "5.3.4");
  CHECK(r.back()->code == 550);

  r = c.explain("-ERR [IN-USE]");
  CHECK(labels(r) == std::vector<std::string>{"-ERR [IN-USE]"});
  CHECK(labels(c.explain("-err [in-use]")) == std::vector<std::string>{"-ERR [IN-USE]"});
  CHECK(labels(c.explain("[AUTH]")) == std::vector<std::string>{"-ERR [AUTH]"});
  CHECK(c.explain("-ERR").size() == 2);
  CHECK(c.explain("+OK").size() == 1);

  REQUIRE(c.explain("smtp.greylisted").size() == 1);
  CHECK(c.explain("SMTP.GREYLISTED")[0]->code == 451);

  CHECK(c.explain("").empty());
  CHECK(c.explain("hello").empty());
  CHECK(c.explain("999").empty());
  CHECK(c.explain("5.9.9").empty());
  CHECK(c.explain("550 5.1.1 extra").empty());
  CHECK(c.explain("-ERR [IN-USE").empty());
}

TEST_CASE("catalog: by_key, by_code, find, default_text") {
  Catalog c = Catalog::smtp();
  REQUIRE(c.by_key("smtp.relay_denied") != nullptr);
  CHECK(c.by_key("smtp.nope") == nullptr);
  CHECK(c.find(250, "2.1.5").size() == 1);
  CHECK(c.find(354, "").size() == 1);
  CHECK(c.default_text(552, "5.3.4") == "Message size exceeds fixed limit");
  CHECK(c.default_text(552, "5.9.9") == c.by_code(552).front()->text);
  CHECK(c.default_text(299, "") == "");
}

TEST_CASE("catalog: render_text fills named placeholders and leaves unknown ones") {
  CHECK(render_text("{address}: Relay access denied", {{"address", "<x@y>"}}) == "<x@y>: Relay access denied");
  CHECK(render_text("{host} and {host}", {{"host", "mx"}}) == "mx and mx");
  CHECK(render_text("{unknown} {", {{"host", "mx"}}) == "{unknown} {");
  CHECK(render_text("", {}) == "");
  const ReplyEntry& e = smtp_reply(ReplyId::Greylisted);
  CHECK(render_text(e.text, {{"address", "<b@b>"}, {"seconds", "300"}}) ==
        "<b@b>: Recipient address rejected: Greylisted, try again in 300 seconds");
}

TEST_CASE("catalog: RFC 3463 registry and reply-code classes") {
  auto s = describe_status("5.1.1");
  REQUIRE(s);
  CHECK(s->klass == "Permanent Failure");
  CHECK(s->subject == "Addressing Status");
  CHECK(s->detail == "Bad destination mailbox address");
  s = describe_status("4.4.7");
  REQUIRE(s);
  CHECK(s->detail == "Delivery time expired");
  s = describe_status("X.7.11");
  REQUIRE(s);
  CHECK(s->detail == "Encryption required for requested authentication mechanism");
  s = describe_status("5.1.10");
  REQUIRE(s);
  CHECK(s->rfc == "RFC 7505 4.1");
  s = describe_status("5.4.99");  // registered subject, unregistered detail
  REQUIRE(s);
  CHECK(s->detail.empty());
  CHECK_FALSE(describe_status("3.1.1"));
  CHECK_FALSE(describe_status("5.8.1"));
  CHECK_FALSE(describe_status("5.1"));
  CHECK_FALSE(describe_status("five"));

  CHECK(is_enhanced_status("2.0.0"));
  CHECK(is_enhanced_status("5.7.11"));
  CHECK_FALSE(is_enhanced_status("5.7.1111"));
  CHECK_FALSE(is_enhanced_status("6.0.0"));
  CHECK_FALSE(is_enhanced_status("X.1.1"));

  CHECK(describe_code_class(550) == "5xx permanent negative completion (do not repeat as is); x5x mail system");
  CHECK(describe_code_class(421).starts_with("4xx transient"));
  CHECK(describe_code_class(354).starts_with("3xx positive intermediate"));
  CHECK(describe_code_class(600).empty());
  CHECK(std::string(to_string(ClientNext::RetryLater)) == "retry later");
}
