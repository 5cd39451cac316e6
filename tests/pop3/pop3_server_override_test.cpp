// pop3_server_override_test.cpp - a lesson's own POP3 replies (ServerBehaviour::replies): -ERR
// refuses a command and changes nothing, +OK changes only the words of a command that succeeds,
// `times` counts the commands answered, and every session of a host shares one set of overrides.
#include <catch2/catch.hpp>

#include "pop3/pop3_fixture.hpp"

using namespace smtpsim;
using namespace pop3test;
using pop3::ReplyOverride;
using pop3::State;

namespace {

// rig_with - a rig whose sessions share these overrides.
std::shared_ptr<pop3::ReplyOverrides> overrides(ServerRig& rig) {
  rig.cfg.behaviour.replies = std::make_shared<pop3::ReplyOverrides>();
  return rig.cfg.behaviour.replies;
}

}  // namespace

TEST_CASE("pop3 override: -ERR refuses the command and nothing changes", "[pop3][server]") {
  ServerRig rig;
  auto o = overrides(rig);
  (*o)["PASS"] = ReplyOverride{"-ERR [IN-USE] locked by your phone", 1};
  (*o)["RETR"] = ReplyOverride{"-ERR message is being virus-scanned", 0};
  (*o)["DELE"] = ReplyOverride{"-ERR [SYS/TEMP] read-only for now", 0};
  rig.start();
  CHECK(rig.send("USER b@b.example\r\n") == "+OK send PASS\r\n");
  CHECK(rig.send("PASS secret\r\n") == "-ERR [IN-USE] locked by your phone\r\n");
  CHECK(rig.srv->state() == State::Authorization);
  CHECK_FALSE(rig.store.is_locked("b@b.example"));
  CHECK(rig.srv->stats().auth_failures == 0);
  // The client starts again with USER; times: 1 is used up, so this login works.
  CHECK(rig.send("PASS secret\r\n").rfind("-ERR", 0) == 0);  // no USER before it
  rig.login();
  CHECK(rig.srv->state() == State::Transaction);
  CHECK(rig.send("RETR 1\r\n") == "-ERR message is being virus-scanned\r\n");
  CHECK(rig.send("RETR 1\r\n") == "-ERR message is being virus-scanned\r\n");
  CHECK(rig.srv->stats().retrieved == 0);
  CHECK(rig.send("DELE 1\r\n") == "-ERR [SYS/TEMP] read-only for now\r\n");
  CHECK(rig.send("QUIT\r\n").rfind("+OK pop.b.example POP3 server signing off (0 messages deleted, 2 left)", 0) == 0);
  CHECK(rig.store.list("b@b.example").messages.size() == 2);
  CHECK(o->count("PASS") == 0);
  CHECK(o->count("RETR") == 1);
}

TEST_CASE("pop3 override: +OK changes only the words of a command that succeeds", "[pop3][server]") {
  ServerRig rig;
  auto o = overrides(rig);
  (*o)["CONNECT"] = ReplyOverride{"+OK Welcome to the lesson server", 0};
  (*o)["PASS"] = ReplyOverride{"+OK you are in", 0};
  (*o)["RETR"] = ReplyOverride{"+OK here it comes", 1};
  (*o)["QUIT"] = ReplyOverride{"+OK bye now", 0};
  CHECK(rig.start() == "+OK Welcome to the lesson server <7.0@pop.b.example>\r\n");  // APOP timestamp kept
  rig.send("USER b@b.example\r\n");
  CHECK(rig.send("PASS wrong\r\n") == "-ERR [AUTH] Authentication failed.\r\n");  // still checked
  rig.send("USER b@b.example\r\n");
  CHECK(rig.send("PASS secret\r\n") == "+OK you are in\r\n");
  CHECK(rig.srv->state() == State::Transaction);
  CHECK(rig.send("RETR 9\r\n").rfind("-ERR no such message", 0) == 0);  // a failure keeps its words
  CHECK(rig.send("RETR 1\r\n") == "+OK here it comes\r\n" + kMsg1Stuffed + ".\r\n");
  CHECK(rig.send("RETR 2\r\n") == "+OK " + std::to_string(kMsg2.size()) + " octets\r\n" + kMsg2 + ".\r\n");
  rig.send("DELE 2\r\n");
  CHECK(rig.send("QUIT\r\n") == "+OK bye now\r\n");
  CHECK(rig.last.close);
  CHECK(rig.store.list("b@b.example").messages.size() == 1);  // UPDATE happened
}

TEST_CASE("pop3 override: a refused greeting or QUIT ends the session; QUIT removes nothing", "[pop3][server]") {
  ServerRig rig;
  auto o = overrides(rig);
  (*o)["CONNECT"] = ReplyOverride{"-ERR [SYS/TEMP] too many connections", 1};
  CHECK(rig.start() == "-ERR [SYS/TEMP] too many connections\r\n");
  CHECK(rig.last.close);
  CHECK(rig.srv->finished());
  // The next session (times: 1 used up) is greeted; its QUIT is refused after a DELE.
  (*o)["QUIT"] = ReplyOverride{"-ERR some deleted messages not removed", 0};
  CHECK(rig.start().rfind("+OK pop.b.example POP3 server ready", 0) == 0);
  rig.login();
  CHECK(rig.send("DELE 1\r\n") == "+OK message 1 deleted\r\n");
  CHECK(rig.send("QUIT\r\n") == "-ERR some deleted messages not removed\r\n");
  CHECK(rig.last.close);
  CHECK(rig.store.list("b@b.example").messages.size() == 2);
  CHECK_FALSE(rig.store.is_locked("b@b.example"));
}

TEST_CASE("pop3 override: sessions share the overrides, changes reach open sessions", "[pop3][server]") {
  ServerRig rig;
  auto o = overrides(rig);
  rig.start();
  rig.login();
  (*o)["STAT"] = ReplyOverride{"-ERR [SYS/TEMP] counting", 0};  // set while the session is open
  CHECK(rig.send("STAT\r\n") == "-ERR [SYS/TEMP] counting\r\n");
  o->erase("STAT");
  CHECK(rig.send("STAT\r\n").rfind("+OK 2 ", 0) == 0);
}
