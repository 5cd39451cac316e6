// mail_mda_test.cpp - the user directory and local delivery with each of its answers.
#include <catch2/catch.hpp>

#include "sim/mail/mail_mda.hpp"

using namespace smtpsim::mail;

namespace {

Directory make_directory() {
  Directory d;
  d.add_user("b@b.example", "secret");
  d.add_user("Carol@B.Example", "pw", "carol");
  d.add_alias("postmaster", "b@b.example");
  d.add_alias("info@b.example", "carol@b.example");
  d.add_alias("loop1@b.example", "loop2@b.example");
  d.add_alias("loop2@b.example", "loop1@b.example");
  return d;
}

}  // namespace

TEST_CASE("directory: who receives mail for an address", "[mda]") {
  const Directory d = make_directory();
  struct Row {
    const char* address;
    LookupStatus status;
    const char* mailbox;  // expected mailbox when found
  };
  const Row rows[] = {
      {"b@b.example", LookupStatus::Found, "b@b.example"},
      {"<b@b.example>", LookupStatus::Found, "b@b.example"},
      {"B@B.EXAMPLE", LookupStatus::Found, "b@b.example"},
      {"b@b.example.", LookupStatus::Found, "b@b.example"},
      {"b+lists@b.example", LookupStatus::Found, "b@b.example"},
      {"carol@b.example", LookupStatus::Found, "carol@b.example"},
      {"info@b.example", LookupStatus::Found, "carol@b.example"},
      {"postmaster@b.example", LookupStatus::Found, "b@b.example"},
      {"PostMaster@B.example", LookupStatus::Found, "b@b.example"},
      {"Postmaster", LookupStatus::Found, "b@b.example"},
      {"nobody@b.example", LookupStatus::UnknownUser, ""},
      {"nobody+x@b.example", LookupStatus::UnknownUser, ""},
      {"b@c.example", LookupStatus::UnknownDomain, ""},
      {"loop1@b.example", LookupStatus::AliasLoop, ""},
      {"no-at-sign", LookupStatus::Invalid, ""},
      {"@b.example", LookupStatus::Invalid, ""},
      {"b@", LookupStatus::Invalid, ""},
      {"b\r\n@b.example", LookupStatus::Invalid, ""},
  };
  for (const auto& r : rows) {
    INFO(r.address);
    const Lookup l = d.lookup(r.address);
    CHECK(l.status == r.status);
    if (r.status == LookupStatus::Found) {
      REQUIRE(l.user != nullptr);
      CHECK(l.user->mailbox == r.mailbox);
    }
  }
  CHECK(d.lookup("b+lists@b.example").address == "b+lists@b.example");
}

TEST_CASE("directory: options change local-part matching", "[mda]") {
  Directory strict(AddressOptions{false, ""});
  strict.add_user("Bob@b.example", "pw");
  CHECK(strict.lookup("Bob@B.EXAMPLE").found());
  CHECK(strict.lookup("bob@b.example").status == LookupStatus::UnknownUser);
  CHECK(strict.lookup("Bob+x@b.example").status == LookupStatus::UnknownUser);
  CHECK(strict.find_login("Bob@b.example") != nullptr);
  CHECK(strict.find_login("bob@b.example") == nullptr);

  Directory dash(AddressOptions{true, "-+"});
  dash.add_user("b@b.example", "pw");
  CHECK(dash.lookup("b-news@b.example").found());
  CHECK(dash.lookup("b+news@b.example").found());
}

TEST_CASE("directory: logins and passwords", "[mda]") {
  Directory d = make_directory();
  CHECK(d.check_password("b@b.example", "secret"));
  CHECK(d.check_password("B@b.example", "secret"));
  CHECK_FALSE(d.check_password("b@b.example", "Secret"));
  CHECK_FALSE(d.check_password("nobody", "secret"));
  CHECK(d.check_password("carol", "pw"));
  CHECK(d.find_login("carol")->mailbox == "carol@b.example");
  CHECK(d.set_password("carol", "new"));
  CHECK(d.check_password("carol", "new"));
  CHECK_FALSE(d.set_password("nobody", "x"));
  CHECK(d.add_address("carol", "c@b.example"));
  CHECK(d.lookup("c@b.example").user->login == "carol");
  CHECK(d.is_local_domain("B.EXAMPLE."));
  CHECK_FALSE(d.is_local_domain("c.example"));
}

TEST_CASE("mda: delivery prepends Return-Path and Delivered-To", "[mda]") {
  Directory d = make_directory();
  MemoryStore store;
  Mda mda(d, store);
  auto r = mda.deliver("a@a.example", "B+Lists@b.example", "Subject: hi\n\nhello\n");
  REQUIRE(r.ok());
  CHECK(r.code == 250);
  CHECK(r.enhanced == "2.0.0");
  CHECK(r.mailbox == "b@b.example");
  CHECK(r.rcpt == "b+lists@b.example");
  CHECK(r.reply() == "250 2.0.0 <b+lists@b.example>: delivered to mailbox b@b.example as " + r.id);
  auto msg = store.read("b@b.example", r.id);
  REQUIRE(msg);
  CHECK(*msg == "Return-Path: <a@a.example>\r\nDelivered-To: b+lists@b.example\r\nSubject: hi\r\n\r\nhello\r\n");

  // The null sender of a bounce, and brackets given by the caller.
  auto bounce = mda.deliver("", "<b@b.example>", "Subject: x\r\n\r\n");
  REQUIRE(bounce.ok());
  CHECK(store.read("b@b.example", bounce.id)->rfind("Return-Path: <>\r\nDelivered-To: b@b.example\r\n", 0) == 0);
  auto bracketed = mda.deliver("<a@a.example>", "b@b.example", "x\r\n");
  CHECK(store.read("b@b.example", bracketed.id)->rfind("Return-Path: <a@a.example>\r\n", 0) == 0);

  // No header injection through the envelope.
  auto evil = mda.deliver("a@a.example\r\nBcc: victim@x", "b@b.example", "x\r\n");
  REQUIRE(evil.ok());
  CHECK(store.read("b@b.example", evil.id)->rfind("Return-Path: <a@a.exampleBcc: victim@x>\r\nDelivered-To:", 0) == 0);

  // Without the trace headers by policy.
  MdaConfig bare;
  bare.add_return_path = false;
  bare.add_delivered_to = false;
  mda.set_config(bare);
  auto plain = mda.deliver("a@a.example", "b@b.example", "x\r\n");
  CHECK(*store.read("b@b.example", plain.id) == "x\r\n");
}

TEST_CASE("mda: every refusal has its SMTP reply", "[mda]") {
  Directory d = make_directory();
  MemoryStore store;
  Mda mda(d, store);
  struct Row {
    const char* rcpt;
    DeliveryStatus status;
    const char* reply;
  };
  const Row rows[] = {
      {"nobody@b.example", DeliveryStatus::UnknownUser,
       "550 5.1.1 <nobody@b.example>: Recipient address rejected: User unknown in local recipient table"},
      {"b@c.example", DeliveryStatus::UnknownDomain,
       "550 5.1.2 <b@c.example>: Recipient address rejected: domain c.example is not delivered here"},
      {"junk", DeliveryStatus::BadAddress, "501 5.1.3 <junk>: Bad recipient address syntax"},
      {"loop1@b.example", DeliveryStatus::Loop, "554 5.4.6 <loop1@b.example>: mail forwarding loop in aliases"},
  };
  for (const auto& r : rows) {
    INFO(r.rcpt);
    auto res = mda.deliver("a@a.example", r.rcpt, "x\r\n");
    CHECK(res.status == r.status);
    CHECK(res.reply() == r.reply);
    CHECK(res.permanent());
    CHECK(mda.check(r.rcpt).reply() == r.reply);  // the same answer at RCPT time
    CHECK_FALSE(mda.accepts(r.rcpt));
  }
  CHECK(mda.check("b@b.example").code == 250);
  CHECK(mda.accepts("b@b.example"));
  CHECK(mda.accepts("info@b.example"));  // through an alias
  CHECK(store.mailboxes().empty());  // nothing was stored by any of these
}

TEST_CASE("mda: quota, size, loops and store failures", "[mda]") {
  Directory d = make_directory();
  MemoryStore store;
  Mda mda(d, store);

  SECTION("over quota: permanent by default, temporary by policy") {
    store.set_quota("b@b.example", Quota{0, 1});
    REQUIRE(mda.deliver("a@a.example", "b@b.example", "1\r\n").ok());
    auto full = mda.deliver("a@a.example", "b@b.example", "2\r\n");
    CHECK(full.status == DeliveryStatus::OverQuota);
    CHECK(full.code == 552);
    CHECK(full.enhanced == "5.2.2");
    CHECK(full.reply().rfind("552 5.2.2 <b@b.example>: Mailbox full: ", 0) == 0);
    MdaConfig c;
    c.quota_is_permanent = false;
    mda.set_config(c);
    auto later = mda.deliver("a@a.example", "b@b.example", "2\r\n");
    CHECK(later.code == 452);
    CHECK(later.enhanced == "4.2.2");
    CHECK(later.temporary());
    CHECK(store.list("b@b.example").messages.size() == 1);
  }
  SECTION("quota counts the MDA's own headers") {
    const std::string hdrs = mda.trace_headers("a@a.example", "b@b.example");
    CHECK(hdrs == "Return-Path: <a@a.example>\r\nDelivered-To: b@b.example\r\n");
    store.set_quota("b@b.example", Quota{hdrs.size() + 3, 0});
    CHECK(mda.deliver("a@a.example", "b@b.example", "x\r\n").ok());
    store.set_quota("b@b.example", Quota{hdrs.size() + 3 + hdrs.size() + 3, 0});
    CHECK(mda.deliver("a@a.example", "b@b.example", "xy\r\n").status == DeliveryStatus::OverQuota);
  }
  SECTION("too big") {
    MdaConfig c;
    c.max_message_bytes = 100;
    mda.set_config(c);
    auto big = mda.deliver("a@a.example", "b@b.example", std::string(200, 'x'));
    CHECK(big.status == DeliveryStatus::TooBig);
    CHECK(big.reply() == "552 5.3.4 <b@b.example>: Message size exceeds fixed maximum message size (100 octets)");
    CHECK(mda.deliver("a@a.example", "b@b.example", "small\r\n").ok());
  }
  SECTION("a message that was here before is a loop") {
    auto r = mda.deliver("a@a.example", "b@b.example", "Delivered-To: B@b.example\r\nSubject: x\r\n\r\nbody\r\n");
    CHECK(r.status == DeliveryStatus::Loop);
    CHECK(r.code == 554);
    CHECK(r.enhanced == "5.4.6");
    // Only the header section counts; another recipient is no loop.
    CHECK(mda.deliver("a@a.example", "b@b.example", "Subject: x\r\n\r\nDelivered-To: b@b.example\r\n").ok());
    CHECK(mda.deliver("a@a.example", "carol@b.example", "Delivered-To: b@b.example\r\n\r\nx\r\n").ok());
  }
  SECTION("the store is unavailable") {
    store.set_unavailable("b@b.example", true);
    auto r = mda.deliver("a@a.example", "b@b.example", "x\r\n");
    CHECK(r.status == DeliveryStatus::TempFailure);
    CHECK(r.reply() == "451 4.3.0 <b@b.example>: Temporary failure storing message: mailbox temporarily unavailable");
  }
}

TEST_CASE("mda: has_delivered_to reads only the header section", "[mda]") {
  CHECK(has_delivered_to("Delivered-To: b@b.example\r\n\r\n", "b@b.example"));
  CHECK(has_delivered_to("X: y\r\ndelivered-to:   <B@B.EXAMPLE> \r\n\r\n", "b@b.example"));
  CHECK_FALSE(has_delivered_to("X: y\r\n\r\nDelivered-To: b@b.example\r\n", "b@b.example"));
  CHECK_FALSE(has_delivered_to("Delivered-To: c@b.example\r\n", "b@b.example"));
  CHECK_FALSE(has_delivered_to("", "b@b.example"));
}
