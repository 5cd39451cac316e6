// smtp_command_test.cpp - command parsing as tables: verbs, MAIL FROM / RCPT TO paths (RFC 5321
// 4.1.2) with their reply on error, ESMTP parameters, RFC 5321 4.5.3.1 limits, xtext, SASL
// base64/PLAIN, and the state table's rows.
#include <catch2/catch.hpp>

#include "sim/core/base64.hpp"
#include "sim/smtp/smtp_command.hpp"
#include "sim/smtp/smtp_sasl.hpp"
#include "sim/smtp/smtp_states.hpp"

using namespace smtpsim::smtp;
using smtpsim::base64_decode_strict;
using smtpsim::sasl_plain_split;

TEST_CASE("command: verbs are case-insensitive; known-but-unimplemented are marked") {
  CHECK(verb_from_word("ehlo") == Verb::Ehlo);
  CHECK(verb_from_word("StartTLS") == Verb::StartTls);
  CHECK(verb_from_word("MAILX") == Verb::Unknown);
  CHECK(verb_from_word("") == Verb::Unknown);
  CHECK(verb_name(Verb::Rcpt) == "RCPT");
  CHECK(verb_implemented(Verb::Noop));
  CHECK_FALSE(verb_implemented(Verb::Expn));
  CHECK_FALSE(verb_implemented(Verb::Turn));
  CHECK_FALSE(verb_implemented(Verb::Unknown));

  CommandLine c = split_command("Mail FROM:<a@b.example>  SIZE=5  ");
  CHECK(c.verb == Verb::Mail);
  CHECK(c.word == "Mail");
  CHECK(c.arg == "FROM:<a@b.example>  SIZE=5");
  CHECK(split_command("").verb == Verb::None);
  CHECK(split_command("   ").verb == Verb::None);
  CHECK(split_command("QUIT").arg.empty());
}

namespace {

struct MailRow {
  const char* arg;
  bool ok;
  const char* reverse_path;  // when ok
  ReplyId error;             // when !ok
};

}  // namespace

TEST_CASE("command: MAIL FROM paths (strict RFC 5321)") {
  const MailRow rows[] = {
      {"FROM:<alice@a.example>", true, "alice@a.example", ReplyId::Ok},
      {"from:<alice@a.example>", true, "alice@a.example", ReplyId::Ok},
      {"FROM:<>", true, "", ReplyId::Ok},
      {"FROM:<\"john doe\"@a.example>", true, "\"john doe\"@a.example", ReplyId::Ok},
      {"FROM:<\"a>b\"@a.example>", true, "\"a>b\"@a.example", ReplyId::Ok},
      {"FROM:<a.b+tag@sub.a-b.example>", true, "a.b+tag@sub.a-b.example", ReplyId::Ok},
      {"FROM:<a@[192.0.2.1]>", true, "a@[192.0.2.1]", ReplyId::Ok},
      {"FROM:<a@[IPv6:2001:db8::1]>", true, "a@[IPv6:2001:db8::1]", ReplyId::Ok},
      {"FROM:<@r1.example,@r2.example:a@a.example>", true, "a@a.example", ReplyId::Ok},
      {"FROM: <a@a.example>", false, "", ReplyId::MailSyntax},
      {"FROM :<a@a.example>", false, "", ReplyId::MailSyntax},
      {"FROM:a@a.example", false, "", ReplyId::MailSyntax},
      {"TO:<a@a.example>", false, "", ReplyId::MailSyntax},
      {"", false, "", ReplyId::MailSyntax},
      {"FROM:", false, "", ReplyId::MailSyntax},
      {"FROM:<a@a.example", false, "", ReplyId::BadSender},
      {"FROM:<a@a.example>junk", false, "", ReplyId::BadSender},
      {"FROM:<postmaster>", false, "", ReplyId::BadSender},
      {"FROM:<a@>", false, "", ReplyId::BadSender},
      {"FROM:<@a.example>", false, "", ReplyId::BadSender},
      {"FROM:<a..b@a.example>", false, "", ReplyId::BadSender},
      {"FROM:<.a@a.example>", false, "", ReplyId::BadSender},
      {"FROM:<a@-a.example>", false, "", ReplyId::BadSender},
      {"FROM:<a@a-.example>", false, "", ReplyId::BadSender},
      {"FROM:<a@a..example>", false, "", ReplyId::BadSender},
      {"FROM:<a@a.example.>", false, "", ReplyId::BadSender},
      {"FROM:<a b@a.example>", false, "", ReplyId::BadSender},
      {"FROM:<a@b@a.example>", false, "", ReplyId::BadSender},
      {"FROM:<a@[300.1.1.1]>", false, "", ReplyId::BadSender},
      {"FROM:<a@[IPv6:zz::1]>", false, "", ReplyId::BadSender},
      {"FROM:<\xc3\xa9@a.example>", false, "", ReplyId::BadSender},
      {"FROM:<@r1.example:>", false, "", ReplyId::BadSender},
  };
  for (const MailRow& r : rows) {
    INFO("MAIL " << r.arg);
    auto p = parse_mail_from(r.arg);
    CHECK(p.ok == r.ok);
    if (r.ok && p.ok) CHECK(p.value.reverse_path == r.reverse_path);
    if (!r.ok && !p.ok) CHECK(p.error.reply == r.error);
  }
}

TEST_CASE("command: RFC 5321 4.5.3.1 limits - local part 64, domain 255, path 256") {
  std::string local64(64, 'l');
  std::string local65(65, 'l');
  CHECK(parse_mail_from("FROM:<" + local64 + "@a.example>").ok);
  auto p = parse_mail_from("FROM:<" + local65 + "@a.example>");
  CHECK_FALSE(p.ok);
  CHECK(p.error.reply == ReplyId::SenderTooLong);
  // A 253-octet domain of 63-octet labels: path = 1 + 1 + 1 + 253 + 1 = 257 > 256.
  std::string label(63, 'd');
  std::string domain = label + "." + label + "." + label + "." + std::string(61, 'd');
  REQUIRE(domain.size() == 253);
  CHECK(valid_domain(domain));
  auto r = parse_rcpt_to("TO:<a@" + domain + ">");
  CHECK_FALSE(r.ok);
  CHECK(r.error.reply == ReplyId::RecipientTooLong);
  std::string domain_fits = label + "." + label + "." + label + "." + std::string(60, 'd');
  CHECK(parse_rcpt_to("TO:<a@" + domain_fits + ">").ok);  // path = 256
  CHECK_FALSE(valid_domain(std::string(64, 'x') + ".example"));  // label > 63
  CHECK_FALSE(valid_domain(std::string(256, 'x')));
}

TEST_CASE("command: RCPT TO paths and <postmaster>") {
  auto p = parse_rcpt_to("TO:<PostMaster>");
  REQUIRE(p.ok);
  CHECK(p.value.postmaster);
  CHECK(p.value.forward_path == "postmaster");
  CHECK_FALSE(parse_rcpt_to("TO:<bob>").ok);
  CHECK(parse_rcpt_to("TO:<bob>").error.reply == ReplyId::BadRecipient);
  CHECK(parse_rcpt_to("TO:<>").error.reply == ReplyId::BadRecipient);
  CHECK(parse_rcpt_to("TO: <b@b.example>").error.reply == ReplyId::RcptSyntax);
  CHECK(parse_rcpt_to("FROM:<b@b.example>").error.reply == ReplyId::RcptSyntax);
  auto q = parse_rcpt_to("to:<@r.example:b@b.example>");
  REQUIRE(q.ok);
  CHECK(q.value.forward_path == "b@b.example");
  CHECK_FALSE(q.value.postmaster);
}

TEST_CASE("command: liberal mode accepts Postfix's relaxed forms") {
  ParseOptions o;
  o.strict = false;
  auto p = parse_mail_from("FROM: <a@a.example> SIZE=10", o);
  REQUIRE(p.ok);
  CHECK(p.value.reverse_path == "a@a.example");
  CHECK(p.value.params.size == 10u);
  auto q = parse_rcpt_to("TO:b@b.example NOTIFY=NEVER", o);
  REQUIRE(q.ok);
  CHECK(q.value.forward_path == "b@b.example");
  CHECK(q.value.params.notify == DsnNotify::Never);
  CHECK_FALSE(parse_rcpt_to("TO:bad address@b", o).ok);
}

TEST_CASE("command: MAIL parameters") {
  struct Row {
    const char* arg;
    bool ok;
    ReplyId error;
    const char* param;
  };
  const Row rows[] = {
      {"FROM:<a@x.example> SIZE=0", true, ReplyId::Ok, ""},
      {"FROM:<a@x.example> SIZE=18446744073709551615", true, ReplyId::Ok, ""},
      {"FROM:<a@x.example> SIZE=18446744073709551616", false, ReplyId::BadParameter, "SIZE"},
      {"FROM:<a@x.example> SIZE=-1", false, ReplyId::BadParameter, "SIZE"},
      {"FROM:<a@x.example> SIZE", false, ReplyId::BadParameter, "SIZE"},
      {"FROM:<a@x.example> SIZE=1 SIZE=2", false, ReplyId::BadParameter, "SIZE"},
      {"FROM:<a@x.example> body=7bit", true, ReplyId::Ok, ""},
      {"FROM:<a@x.example> BODY=8BITMIME", true, ReplyId::Ok, ""},
      {"FROM:<a@x.example> BODY=BINARYMIME", false, ReplyId::ParameterNotImplemented, "BODY=BINARYMIME"},
      {"FROM:<a@x.example> BODY=9BIT", false, ReplyId::BadParameter, "BODY"},
      {"FROM:<a@x.example> RET=FULL ENVID=abc", true, ReplyId::Ok, ""},
      {"FROM:<a@x.example> RET=ALL", false, ReplyId::BadParameter, "RET"},
      {"FROM:<a@x.example> ENVID=a+2", false, ReplyId::BadParameter, "ENVID"},
      {"FROM:<a@x.example> ENVID=a+zz", false, ReplyId::BadParameter, "ENVID"},
      {"FROM:<a@x.example> AUTH=<>", false, ReplyId::UnsupportedOption, "AUTH=<>"},
      {"FROM:<a@x.example> SMTPUTF8", false, ReplyId::UnsupportedOption, "SMTPUTF8"},
      {"FROM:<a@x.example> X=1=2", false, ReplyId::UnsupportedOption, "X=1=2"},
      {"FROM:<a@x.example> -X", false, ReplyId::UnsupportedOption, "-X"},
      {"FROM:<a@x.example>  SIZE=5", true, ReplyId::Ok, ""},
  };
  for (const Row& r : rows) {
    INFO("MAIL " << r.arg);
    auto p = parse_mail_from(r.arg);
    CHECK(p.ok == r.ok);
    if (!r.ok && !p.ok) {
      CHECK(p.error.reply == r.error);
      CHECK(p.error.param == r.param);
    }
  }
  // Parameters of extensions that were not offered are refused.
  ParseOptions none;
  none.size = none.eightbitmime = none.dsn = false;
  CHECK(parse_mail_from("FROM:<a@x.example> SIZE=1", none).error.reply == ReplyId::UnsupportedOption);
  CHECK(parse_mail_from("FROM:<a@x.example> BODY=8BITMIME", none).error.reply == ReplyId::UnsupportedOption);
  CHECK(parse_mail_from("FROM:<a@x.example> RET=FULL", none).error.reply == ReplyId::UnsupportedOption);
  ParseOptions with_auth;
  with_auth.auth = true;
  auto a = parse_mail_from("FROM:<a@x.example> AUTH=alice+40a.example", with_auth);
  REQUIRE(a.ok);
  CHECK(a.value.params.auth == std::optional<std::string>("alice@a.example"));
  auto e = parse_mail_from("FROM:<a@x.example> RET=HDRS ENVID=id+2B1");
  REQUIRE(e.ok);
  CHECK(e.value.params.ret == RetParam::Headers);
  CHECK(e.value.params.envid == "id+1");
  CHECK_FALSE(parse_mail_from("FROM:<a@x.example> ENVID=" + std::string(101, 'e')).ok);
}

TEST_CASE("command: RCPT NOTIFY and ORCPT") {
  auto p = parse_rcpt_to("TO:<b@b.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b+40b.example");
  REQUIRE(p.ok);
  CHECK(p.value.params.notify == (DsnNotify::Success | DsnNotify::Delay));
  CHECK(p.value.params.orcpt == "rfc822;b@b.example");
  for (const char* bad : {"TO:<b@b.example> NOTIFY=NEVER,SUCCESS", "TO:<b@b.example> NOTIFY=SUCCESS,SUCCESS",
                          "TO:<b@b.example> NOTIFY=", "TO:<b@b.example> NOTIFY=FAILURE,", "TO:<b@b.example> ORCPT=rfc822",
                          "TO:<b@b.example> ORCPT=;b@b", "TO:<b@b.example> ORCPT=rfc822;", "TO:<b@b.example> ORCPT=rfc822;a+4"}) {
    INFO(bad);
    auto r = parse_rcpt_to(bad);
    CHECK_FALSE(r.ok);
    CHECK(r.error.reply == ReplyId::BadParameter);
  }
  CHECK(parse_rcpt_to("TO:<b@b.example> FOO").error.reply == ReplyId::UnsupportedOption);
}

TEST_CASE("command: address helpers and xtext") {
  CHECK(valid_mailbox("a@b.example"));
  CHECK(valid_mailbox("\"a@b\"@c.example"));
  CHECK_FALSE(valid_mailbox("ab.example"));
  CHECK(valid_local_part("!#$%&'*+-/=?^_`{|}~"));
  CHECK_FALSE(valid_local_part("a\"b"));
  CHECK(valid_domain("[IPv6:::1]"));
  CHECK(valid_domain("[IPv6:2001:db8:0:0:0:0:2:1]"));
  CHECK(valid_domain("[IPv6:::ffff:192.0.2.1]"));
  CHECK_FALSE(valid_domain("[IPv6:1:2:3:4:5:6:7:8:9]"));
  CHECK(valid_domain("[x-tag:stuff]"));
  CHECK_FALSE(valid_domain("[1.2.3]"));
  CHECK(xtext_decode("abc") == std::optional<std::string>("abc"));
  CHECK(xtext_decode("a+2Bb+3D") == std::optional<std::string>("a+b="));
  CHECK_FALSE(xtext_decode("a+2b"));  // lower-case hex is not xtext
  CHECK_FALSE(xtext_decode("a b"));
  CHECK_FALSE(xtext_decode("a=b"));
  CHECK_FALSE(xtext_decode("+4"));
}

TEST_CASE("sasl: strict base64 and the PLAIN message") {
  CHECK(base64_decode_strict("") == std::optional<std::string>(""));
  CHECK(base64_decode_strict("YWxpY2U=") == std::optional<std::string>("alice"));
  CHECK(base64_decode_strict("c2VjcmV0") == std::optional<std::string>("secret"));
  CHECK(base64_decode_strict("YQ==") == std::optional<std::string>("a"));
  CHECK_FALSE(base64_decode_strict("YWxpY2U"));     // missing padding
  CHECK_FALSE(base64_decode_strict("YWxp Y2U="));   // space
  CHECK_FALSE(base64_decode_strict("YW=pY2U="));    // padding in the middle
  CHECK_FALSE(base64_decode_strict("="));
  CHECK_FALSE(base64_decode_strict("===="));
  CHECK_FALSE(base64_decode_strict("YR=="));        // non-zero bits under the padding
  CHECK_FALSE(base64_decode_strict("YWxpY2U=\r\n"));
  auto c = sasl_plain_split(std::string("\0alice\0secret", 13));
  REQUIRE(c);
  CHECK(c->authzid.empty());
  CHECK(c->authcid == "alice");
  CHECK(c->password == "secret");
  CHECK(sasl_plain_split(std::string("boss\0alice\0secret", 17))->authzid == "boss");
  CHECK_FALSE(sasl_plain_split("alice"));
  CHECK_FALSE(sasl_plain_split(std::string("\0alice", 6)));
  CHECK_FALSE(sasl_plain_split(std::string("\0alice\0", 7)));
  CHECK_FALSE(sasl_plain_split(std::string("\0\0secret", 8)));
  CHECK_FALSE(sasl_plain_split(std::string("\0a\0b\0c", 7)));
}

TEST_CASE("states: the table allows the RFC 5321 order and names the 503 for the rest") {
  CHECK(find_transition(ServerState::Connected, Verb::Ehlo)->to == ServerState::Ready);
  CHECK(find_transition(ServerState::Ready, Verb::Mail)->to == ServerState::Mail);
  CHECK(find_transition(ServerState::Mail, Verb::Rcpt)->to == ServerState::Rcpt);
  CHECK(find_transition(ServerState::Rcpt, Verb::Data)->to == ServerState::Data);
  CHECK(find_transition(ServerState::Rcpt, Verb::Ehlo)->to == ServerState::Ready);
  CHECK(find_transition(ServerState::Mail, Verb::Rset)->to == ServerState::Ready);
  CHECK(find_transition(ServerState::Connected, Verb::Rset)->to == ServerState::Connected);
  CHECK(find_transition(ServerState::Ready, Verb::StartTls)->to == ServerState::StartTls);
  CHECK(find_transition(ServerState::Refused, Verb::Quit)->to == ServerState::Closed);
  CHECK(find_transition(ServerState::Connected, Verb::Mail) == nullptr);
  CHECK(find_transition(ServerState::Data, Verb::None) == nullptr);
  // NOOP, HELP, VRFY, RSET, QUIT are valid in every command state.
  for (ServerState s : {ServerState::Connected, ServerState::Ready, ServerState::Mail, ServerState::Rcpt})
    for (Verb v : {Verb::Noop, Verb::Help, Verb::Vrfy, Verb::Rset, Verb::Quit}) CHECK(find_transition(s, v));

  CHECK(sequence_error(ServerState::Connected, Verb::Mail) == ReplyId::NeedHelo);
  CHECK(sequence_error(ServerState::Ready, Verb::Rcpt) == ReplyId::NeedMail);
  CHECK(sequence_error(ServerState::Ready, Verb::Data) == ReplyId::NeedRcpt);
  CHECK(sequence_error(ServerState::Mail, Verb::Mail) == ReplyId::NestedMail);
  CHECK(sequence_error(ServerState::Rcpt, Verb::Auth) == ReplyId::TransactionInProgress);
  CHECK(sequence_error(ServerState::Refused, Verb::Ehlo) == ReplyId::NoServiceHere);

  // Every state has a name and every row's trigger text is there for the diagram.
  for (const StateInfo& i : server_states()) CHECK_FALSE(i.name.empty());
  for (const Transition& t : server_transitions()) CHECK_FALSE(t.trigger.empty());
  CHECK(to_string(ServerState::Rcpt) == "RCPT");
  // Every row's "to" state is a state of the table.
  for (const Transition& t : server_transitions()) CHECK(to_string(t.to) != "?");
}
