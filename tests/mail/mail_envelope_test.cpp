// mail_envelope_test.cpp - MAIL/RCPT parameters: xtext, NOTIFY, ORCPT, RET, ENVID, SIZE, BODY, errors, formatting.
#include <catch2/catch.hpp>

#include <string>

#include "sim/mail/mail_envelope.hpp"

using namespace smtpsim::mail;

namespace {

// mail_params - split + apply, for table tests.
ParamError mail_params(const std::string& text, Envelope& env, ParamSupport sup = {}) {
  auto ps = split_esmtp_params(text);
  if (!ps) return ParamError{501, "5.5.4", "syntax"};
  return apply_mail_params(*ps, sup, env);
}

ParamError rcpt_params(const std::string& text, Recipient& r, ParamSupport sup = {}) {
  auto ps = split_esmtp_params(text);
  if (!ps) return ParamError{501, "5.5.4", "syntax"};
  return apply_rcpt_params(*ps, sup, r);
}

}  // namespace

TEST_CASE("xtext encodes '+', '=', controls, space and 8-bit as +XX") {
  CHECK(xtext_encode("bob@b.example") == "bob@b.example");
  CHECK(xtext_encode("a+b=c d") == "a+2Bb+3Dc+20d");
  CHECK(xtext_encode("\x01\xff") == "+01+FF");
  CHECK(xtext_decode("a+2Bb+3Dc+20d") == "a+b=c d");
  CHECK(xtext_decode("") == "");
  for (const char* bad : {"+2b", "+2", "+", "a=b", "a b", "+GG"}) {
    INFO(bad);
    CHECK_FALSE(xtext_decode(bad));
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(char(i));
  CHECK(xtext_decode(xtext_encode(all)) == all);
}

TEST_CASE("NOTIFY values") {
  CHECK(parse_notify("NEVER") == Notify{true, false, false, false});
  CHECK(parse_notify("success,Failure") == Notify{false, true, true, false});
  CHECK(parse_notify("DELAY") == Notify{false, false, false, true});
  for (const char* bad : {"", "NEVER,SUCCESS", "SUCCESS,SUCCESS", "SOMETIMES", "SUCCESS,", ",FAILURE"}) {
    INFO(bad);
    CHECK_FALSE(parse_notify(bad));
  }
  CHECK(format_notify(Notify{false, true, true, true}) == "SUCCESS,FAILURE,DELAY");
  CHECK(format_notify(Notify{true, false, false, false}) == "NEVER");
}

TEST_CASE("ORCPT values are xtext-decoded") {
  auto o = parse_orcpt("rfc822;bob+2Bnews@b.example");
  REQUIRE(o);
  CHECK(o->type == "rfc822");
  CHECK(o->address == "bob+news@b.example");
  CHECK(format_orcpt(*o) == "rfc822;bob+2Bnews@b.example");
  CHECK_FALSE(parse_orcpt("bob@b.example"));
  CHECK_FALSE(parse_orcpt("rfc822;"));
  CHECK_FALSE(parse_orcpt(";bob@b.example"));
  CHECK_FALSE(parse_orcpt("rfc 822;bob@b.example"));
  CHECK_FALSE(parse_orcpt("rfc822;bob+zz@b.example"));
}

TEST_CASE("split_esmtp_params checks keyword and value syntax") {
  auto ps = split_esmtp_params("SIZE=1234  BODY=8BITMIME SMTPUTF8");
  REQUIRE(ps);
  REQUIRE(ps->size() == 3);
  CHECK((*ps)[0].keyword == "SIZE");
  CHECK((*ps)[0].value == "1234");
  CHECK((*ps)[2].keyword == "SMTPUTF8");
  CHECK_FALSE((*ps)[2].has_value);
  CHECK(split_esmtp_params("")->empty());
  CHECK_FALSE(split_esmtp_params("=x"));
  CHECK_FALSE(split_esmtp_params("SIZE="));
  CHECK_FALSE(split_esmtp_params("-X=1"));
  CHECK_FALSE(split_esmtp_params("S_Z=1"));
  CHECK_FALSE(split_esmtp_params("A=b=c"));
  CHECK_FALSE(split_esmtp_params("A=\x7f"));
}

TEST_CASE("MAIL parameters: accepted values land in the envelope") {
  Envelope env;
  CHECK_FALSE(mail_params("SIZE=12345 BODY=8bitmime RET=hdrs ENVID=QQ+2B314159", env));
  CHECK(env.size == 12345u);
  CHECK(env.body == BodyType::EightBitMime);
  CHECK(env.ret == Ret::Hdrs);
  CHECK(env.envid == "QQ+314159");
  ParamSupport sup;
  sup.smtputf8 = true;
  sup.auth = true;
  Envelope e2;
  CHECK_FALSE(mail_params("SMTPUTF8 AUTH=alice+40a.example BODY=7BIT RET=FULL", e2, sup));
  CHECK(e2.smtputf8);
  CHECK(e2.auth == "alice@a.example");
  CHECK(e2.ret == Ret::Full);
  CHECK(e2.body == BodyType::SevenBit);
}

TEST_CASE("MAIL parameters: errors carry the reply a server gives") {
  struct Row { const char* params; int code; const char* status; };
  ParamSupport sup;
  sup.max_size = 10000;
  const Row rows[] = {
      {"SIZE=10001", 552, "5.3.4"},
      {"SIZE=abc", 501, "5.5.4"},
      {"SIZE=99999999999999999999999", 501, "5.5.4"},
      {"SIZE", 501, "5.5.4"},
      {"SIZE=1 SIZE=2", 501, "5.5.4"},
      {"BODY=9BIT", 501, "5.5.4"},
      {"BODY=BINARYMIME", 501, "5.5.4"},
      {"RET=SOME", 501, "5.5.4"},
      {"ENVID=bad=xtext", 501, "5.5.4"},
      {"NOTIFY=NEVER", 555, "5.5.4"},      // an RCPT parameter on MAIL
      {"FOO=BAR", 555, "5.5.4"},
      {"SMTPUTF8", 555, "5.5.4"},          // not advertised
      {"AUTH=<>", 555, "5.5.4"},
  };
  for (const Row& r : rows) {
    INFO(r.params);
    Envelope env;
    ParamError e = mail_params(r.params, env, sup);
    CHECK(e.code == r.code);
    CHECK(e.status == r.status);
    CHECK_FALSE(e.text.empty());
  }
  Envelope env;
  CHECK(mail_params("ENVID=" + std::string(101, 'x'), env).code == 501);
  CHECK_FALSE(mail_params("ENVID=" + std::string(100, 'x'), env));
  CHECK(mail_params("SIZE=10000", env, sup).code == 0);
  CHECK(mail_params("FOO=BAR", env).text == "Unsupported option: FOO");
  ParamSupport none;
  none.dsn = none.size = none.eightbitmime = false;
  CHECK(mail_params("RET=FULL", env, none).code == 555);
  CHECK(mail_params("SIZE=1", env, none).code == 555);
  CHECK(mail_params("BODY=8BITMIME", env, none).code == 555);
}

TEST_CASE("RCPT parameters") {
  Recipient r;
  CHECK_FALSE(rcpt_params("NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@b.example", r));
  CHECK(r.notify == Notify{false, true, true, false});
  CHECK(r.orcpt == OriginalRecipient{"rfc822", "bob@b.example"});
  Recipient r2;
  CHECK(rcpt_params("NOTIFY=NEVER,DELAY", r2).code == 501);
  CHECK(rcpt_params("ORCPT=bob@b.example", r2).code == 501);
  CHECK(rcpt_params("NOTIFY=NEVER NOTIFY=NEVER", r2).code == 501);
  CHECK(rcpt_params("RET=FULL", r2).code == 555);
  ParamSupport nodsn;
  nodsn.dsn = false;
  CHECK(rcpt_params("NOTIFY=NEVER", r2, nodsn).code == 555);
}

TEST_CASE("NOTIFY decides which DSNs a recipient gets") {
  Recipient unset;
  CHECK(wants_failure(unset));
  CHECK(wants_delay(unset));
  CHECK_FALSE(wants_success(unset));
  Recipient never;
  never.notify = Notify{true, false, false, false};
  CHECK_FALSE(wants_failure(never));
  CHECK_FALSE(wants_delay(never));
  CHECK_FALSE(wants_success(never));
  Recipient success;
  success.notify = Notify{false, true, false, false};
  CHECK(wants_success(success));
  CHECK_FALSE(wants_failure(success));
}

TEST_CASE("is_bounce is the null reverse path") {
  Envelope e;
  CHECK(is_bounce(e));
  e.reverse_path = *Address::parse("alice@a.example").address;
  CHECK_FALSE(is_bounce(e));
}

TEST_CASE("formatting parameters for the peer's advertised extensions") {
  Envelope env;
  env.reverse_path = *Address::parse("alice@a.example").address;
  env.body = BodyType::EightBitMime;
  env.ret = Ret::Hdrs;
  env.envid = "QQ+314159";
  Recipient r;
  r.address = *Address::parse("bob@b.example").address;
  r.notify = Notify{false, true, true, false};
  r.orcpt = OriginalRecipient{"rfc822", "bob+x@b.example"};
  ParamSupport all;
  CHECK(format_mail_params(env, all, 2048) == " SIZE=2048 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314159");
  CHECK(format_rcpt_params(r, all) == " NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@b.example");
  ParamSupport bare;
  bare.size = bare.dsn = bare.eightbitmime = false;
  CHECK(format_mail_params(env, bare, 2048).empty());
  CHECK(format_rcpt_params(r, bare).empty());
  // what we format, we parse back to the same values
  Envelope back;
  CHECK_FALSE(mail_params(format_mail_params(env, all, 2048), back));
  CHECK(back.envid == env.envid);
  CHECK(back.ret == env.ret);
  CHECK(back.body == env.body);
  CHECK(back.size == 2048u);
  Recipient rback;
  CHECK_FALSE(rcpt_params(format_rcpt_params(r, all), rback));
  CHECK(rback.notify == r.notify);
  CHECK(rback.orcpt == r.orcpt);
}
