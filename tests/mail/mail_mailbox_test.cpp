// mail_mailbox_test.cpp - canonical form, UIDs, the in-memory store, locks, quotas and faults.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>

#include "sim/core/rng.hpp"
#include "sim/mail/mail_mailbox.hpp"

using namespace smtpsim::mail;

TEST_CASE("canonical_crlf makes every line end CRLF", "[mailbox]") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"", ""},
      {"x", "x\r\n"},
      {"x\r\n", "x\r\n"},
      {"a\nb", "a\r\nb\r\n"},
      {"a\nb\n", "a\r\nb\r\n"},
      {"a\rb\r", "a\r\nb\r\n"},
      {"a\r\r\nb\r\n", "a\r\n\r\nb\r\n"},
      {"\n\n", "\r\n\r\n"},
      {"\r\n.\r\n", "\r\n.\r\n"},
      {"a\n\rb", "a\r\n\r\nb\r\n"},
  };
  for (const auto& r : rows) {
    INFO("input: " << r.in);
    CHECK(canonical_crlf(r.in) == r.out);
    CHECK(canonical_crlf(canonical_crlf(r.in)) == r.out);  // idempotent
  }
}

TEST_CASE("UIDLs are legal and deterministic", "[mailbox]") {
  CHECK(valid_uidl("1.0123456789abcdef"));
  CHECK_FALSE(valid_uidl(""));
  CHECK_FALSE(valid_uidl("a b"));
  CHECK_FALSE(valid_uidl(std::string(71, 'a')));
  CHECK(valid_uidl(std::string(70, 'a')));
  CHECK_FALSE(valid_uidl("caf\xc3\xa9"));
  CHECK(make_uid(1, "hello\r\n") == make_uid(1, "hello\r\n"));
  CHECK(make_uid(1, "hello\r\n") != make_uid(2, "hello\r\n"));
  CHECK(make_uid(1, "hello\r\n") != make_uid(1, "hellp\r\n"));
  CHECK(make_uid(12, "x").rfind("12.", 0) == 0);
  CHECK(make_uid(12, "x").size() == 3 + 16);
  CHECK(valid_uidl(make_uid(~0ull, "x")));
}

TEST_CASE("mailbox names are checked", "[mailbox]") {
  CHECK(valid_mailbox_name("b@b.example"));
  CHECK(valid_mailbox_name("bob"));
  for (const char* bad : {"", ".", "..", "../etc", "a/b", "a b", "a:b", ".hidden", "a\\b", "tab\there"}) {
    INFO(bad);
    CHECK_FALSE(valid_mailbox_name(bad));
  }
  MemoryStore s;
  auto r = s.deliver("../x", "hi\r\n");
  CHECK(r.status == StoreStatus::InvalidName);
  CHECK(s.mailboxes().empty());
}

TEST_CASE("memory store: deliver, list, read, remove", "[mailbox]") {
  MemoryStore s;
  auto a = s.deliver("b", "Subject: one\n\nbody\n");
  auto b = s.deliver("b", "Subject: two\r\n\r\n.dot\r\n");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.id == make_uid(1, "Subject: one\r\n\r\nbody\r\n"));
  CHECK(b.id.rfind("2.", 0) == 0);
  CHECK(a.id != b.id);

  auto l = s.list("b");
  REQUIRE(l.ok());
  REQUIRE(l.messages.size() == 2);
  CHECK(l.messages[0].uid == a.id);
  CHECK(l.messages[0].size == 22);  // "Subject: one\r\n\r\nbody\r\n"
  CHECK(l.messages[1].uid == b.id);
  REQUIRE(s.read("b", a.id));
  CHECK(*s.read("b", a.id) == "Subject: one\r\n\r\nbody\r\n");
  CHECK(s.read("b", "nope") == nullptr);
  CHECK(s.read("nobody", a.id) == nullptr);
  CHECK(s.usage("b").messages == 2);
  CHECK(s.usage("b").bytes == 22 + l.messages[1].size);

  CHECK(s.remove("b", a.id).ok());
  CHECK(s.remove("b", a.id).status == StoreStatus::NotFound);
  CHECK(s.list("b").messages.size() == 1);
  CHECK(s.usage("b").messages == 1);

  // The counter keeps going after a removal: a UID is never issued twice.
  auto c = s.deliver("b", "Subject: one\n\nbody\n");
  CHECK(c.id.rfind("3.", 0) == 0);
  CHECK(c.id != a.id);
  CHECK(s.mailboxes() == std::vector<std::string>{"b"});
  CHECK(s.list("never-used").ok());
  CHECK(s.list("never-used").messages.empty());
}

TEST_CASE("memory store: one lock per mailbox", "[mailbox]") {
  MemoryStore s;
  auto t1 = s.lock("b");
  REQUIRE(t1);
  CHECK(s.is_locked("b"));
  CHECK_FALSE(s.lock("b"));
  CHECK(s.lock("c"));  // other mailboxes are independent
  CHECK_FALSE(s.unlock("b", *t1 + 100));
  CHECK(s.is_locked("b"));
  CHECK(s.unlock("b", *t1));
  CHECK_FALSE(s.is_locked("b"));
  CHECK_FALSE(s.unlock("b", *t1));
  auto t2 = s.lock("b");
  REQUIRE(t2);
  CHECK(*t2 != *t1);
  // Delivery is not blocked by a POP3 lock (the MDA appends while a session reads).
  CHECK(s.deliver("b", "x\r\n").ok());
}

TEST_CASE("memory store: quotas by count and bytes", "[mailbox]") {
  MemoryStore s;
  s.set_quota("b", Quota{0, 2});
  CHECK(s.deliver("b", "1\r\n").ok());
  CHECK(s.deliver("b", "2\r\n").ok());
  auto r = s.deliver("b", "3\r\n");
  CHECK(r.status == StoreStatus::OverQuota);
  CHECK(r.detail.find("2 of 2 messages") != std::string::npos);
  CHECK(s.list("b").messages.size() == 2);

  s.set_default_quota(Quota{10, 0});
  CHECK(s.deliver("c", "12345678\r\n").ok());  // exactly 10 octets fit
  CHECK(s.deliver("c", "x").status == StoreStatus::OverQuota);
  CHECK(s.quota("b").max_messages == 2);  // its own quota wins over the default
  s.set_quota("b", Quota{});
  CHECK(s.deliver("b", "3\r\n").ok());
}

TEST_CASE("memory store: the unavailable fault", "[mailbox]") {
  MemoryStore s;
  REQUIRE(s.deliver("b", "x\r\n").ok());
  s.set_unavailable("b", true);
  CHECK(s.deliver("b", "y\r\n").status == StoreStatus::TempFailure);
  CHECK(s.list("b").status == StoreStatus::TempFailure);
  CHECK(s.deliver("c", "y\r\n").ok());
  s.set_unavailable("b", false);
  CHECK(s.list("b").messages.size() == 1);
  s.set_unavailable("", true);  // every mailbox
  CHECK(s.deliver("c", "z\r\n").status == StoreStatus::TempFailure);
  s.set_unavailable("", false);
  CHECK(s.deliver("c", "z\r\n").ok());
}

TEST_CASE("make_uid writes '<counter>.<16 lower-case hex digits of the hash>'", "[mail][mailbox]") {
  for (std::uint64_t counter : {std::uint64_t(0), std::uint64_t(1), std::uint64_t(42), ~std::uint64_t(0)}) {
    for (const char* text : {"", "hello\r\n", "Subject: x\r\n\r\nbody\r\n"}) {
      char want[48];
      std::snprintf(want, sizeof want, "%llu.%016llx", static_cast<unsigned long long>(counter),
                    static_cast<unsigned long long>(smtpsim::hash_bytes(text)));
      CHECK(make_uid(counter, text) == want);
    }
  }
}
