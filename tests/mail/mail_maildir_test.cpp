// mail_maildir_test.cpp - the Maildir store on a real temporary directory.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/mail/mail_maildir.hpp"

using namespace smtpsim::mail;
namespace fs = std::filesystem;

namespace {

// TempDir - a fresh directory removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const char* tag) {
    path = fs::temp_directory_path() / ("smtpsim-maildir-" + std::string(tag) + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> names_in(const fs::path& d) {
  std::vector<std::string> out;
  if (!fs::exists(d)) return out;
  for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("maildir: round trip through tmp/new/cur", "[maildir]") {
  TempDir t("roundtrip");
  const std::string msg = "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n";
  std::string uid;
  {
    MaildirStore s(t.path.string(), "mda.b.example");
    auto r = s.deliver("b@b.example", msg);
    REQUIRE(r.ok());
    uid = r.id;
    CHECK(uid == make_uid(1, msg) + ".mda.b.example");
    CHECK(valid_uidl(uid));

    const fs::path box = t.path / "b@b.example";
    CHECK(fs::is_directory(box / "tmp"));
    CHECK(names_in(box / "tmp").empty());  // written there, then renamed away
    auto fresh = names_in(box / "new");
    REQUIRE(fresh.size() == 1);
    // 35 octets with CRLF, 31 with LF on disk.
    CHECK(fresh[0] == uid + ",S=31,W=35");
    CHECK(slurp(box / "new" / fresh[0]) == "Subject: hi\n\n.leading dot\nbody\n");

    auto l = s.list("b@b.example");
    REQUIRE(l.ok());
    REQUIRE(l.messages.size() == 1);
    CHECK(l.messages[0].uid == uid);
    CHECK(l.messages[0].size == msg.size());
    REQUIRE(s.read("b@b.example", uid));
    CHECK(*s.read("b@b.example", uid) == msg);
    CHECK(s.mailboxes() == std::vector<std::string>{"b@b.example"});
  }
  {
    // Another store object on the same directory (a restart): same UIDs, same bytes.
    MaildirStore s(t.path.string(), "other-host");
    auto l = s.list("b@b.example");
    REQUIRE(l.messages.size() == 1);
    CHECK(l.messages[0].uid == uid);

    // A POP3 lock moves new/ to cur/ with ":2,"; the UIDL does not change.
    auto tok = s.lock("b@b.example");
    REQUIRE(tok);
    const fs::path box = t.path / "b@b.example";
    CHECK(names_in(box / "new").empty());
    CHECK(names_in(box / "cur") == std::vector<std::string>{uid + ",S=31,W=35:2,"});
    CHECK(s.list("b@b.example").messages.at(0).uid == uid);
    CHECK(*s.read("b@b.example", uid) == msg);
    CHECK_FALSE(s.lock("b@b.example"));
    CHECK(s.unlock("b@b.example", *tok));

    auto second = s.deliver("b@b.example", "two\n");
    REQUIRE(second.ok());
    CHECK(second.id == make_uid(2, "two\r\n") + ".other-host");
    l = s.list("b@b.example");
    REQUIRE(l.messages.size() == 2);
    CHECK(l.messages[0].uid == uid);  // delivery order
    CHECK(l.messages[1].uid == second.id);

    CHECK(s.remove("b@b.example", uid).ok());
    CHECK(s.remove("b@b.example", uid).status == StoreStatus::NotFound);
    CHECK(names_in(box / "cur").empty());
    CHECK(s.list("b@b.example").messages.size() == 1);
  }
}

TEST_CASE("maildir: UIDs never repeat, even after the files are gone", "[maildir]") {
  TempDir t("counter");
  MaildirStore s(t.path.string(), "h");
  auto a = s.deliver("u", "same\r\n");
  auto b = s.deliver("u", "same\r\n");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.id != b.id);
  CHECK(s.remove("u", a.id).ok());
  CHECK(s.remove("u", b.id).ok());
  auto c = s.deliver("u", "same\r\n");
  CHECK(c.id.rfind("3.", 0) == 0);
  // The counter file lost: the files still tell where to go on.
  fs::remove(t.path / "u" / "smtpsim-uidnext");
  auto d = s.deliver("u", "same\r\n");
  CHECK(d.id.rfind("4.", 0) == 0);
}

TEST_CASE("maildir: files from other programs are listed", "[maildir]") {
  TempDir t("foreign");
  MaildirStore s(t.path.string());
  fs::create_directories(t.path / "u" / "cur");
  fs::create_directories(t.path / "u" / "new");
  {
    std::ofstream(t.path / "u" / "cur" / "1700000000.M1P2.host:2,S", std::ios::binary) << "A: b\n\nline\n";
    std::ofstream(t.path / "u" / "new" / ".hidden", std::ios::binary) << "skip me\n";
    std::ofstream(t.path / "u" / "new" / (std::string(80, 'x') + ":2,"), std::ios::binary) << "long name\r\n";
  }
  auto l = s.list("u");
  REQUIRE(l.ok());
  REQUIRE(l.messages.size() == 2);
  // The long name is not a legal UIDL: it gets a hash instead.
  CHECK(l.messages[0].uid.size() == 17);
  CHECK(l.messages[0].uid[0] == 'x');
  CHECK(l.messages[0].size == 11);
  CHECK(l.messages[1].uid == "1700000000.M1P2.host");
  CHECK(l.messages[1].size == 14);  // "A: b\r\n\r\nline\r\n"
  CHECK(*s.read("u", "1700000000.M1P2.host") == "A: b\r\n\r\nline\r\n");
  CHECK(*s.read("u", l.messages[0].uid) == "long name\r\n");
}

TEST_CASE("maildir: quota, faults and bad names", "[maildir]") {
  TempDir t("quota");
  MaildirStore s(t.path.string());
  s.set_quota("u", Quota{0, 1});
  CHECK(s.deliver("u", "a\r\n").ok());
  CHECK(s.deliver("u", "b\r\n").status == StoreStatus::OverQuota);
  CHECK(s.deliver("../escape", "x\r\n").status == StoreStatus::InvalidName);
  CHECK_FALSE(fs::exists(t.path.parent_path() / "escape"));
  s.set_unavailable("u", true);
  CHECK(s.list("u").status == StoreStatus::TempFailure);
  s.set_unavailable("u", false);
  CHECK(s.list("nobody").ok());
  CHECK(s.list("nobody").messages.empty());
  CHECK(s.read("nobody", "1.x") == nullptr);

  // A root that cannot be created: delivery fails temporarily, nothing crashes.
  const fs::path file = t.path / "plainfile";
  std::ofstream(file) << "x";
  MaildirStore broken((file / "sub").string());
  auto r = broken.deliver("u", "x\r\n");
  CHECK(r.status == StoreStatus::TempFailure);
  CHECK_FALSE(r.detail.empty());
}
