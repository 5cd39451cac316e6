// pop3_fixture.hpp - shared test rig for the POP3 tests: a directory with b@b.example, a store
// with two messages, and a server engine driven byte by byte on a hand-moved clock.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/mail_directory.hpp"
#include "sim/mail/mail_mailbox.hpp"
#include "sim/pop3/pop3_server.hpp"

namespace pop3test {

using namespace smtpsim;

// Two messages; the first has lines that need dot-stuffing.
inline const std::string kMsg1 = "From: a@a.example\r\nSubject: one\r\n\r\nHello\r\n.hidden dot\r\n..two dots\r\n";
inline const std::string kMsg2 = "Subject: two\r\n\r\nbye\r\n";
// kMsg1 as it travels in RETR (leading dots doubled).
inline const std::string kMsg1Stuffed =
    "From: a@a.example\r\nSubject: one\r\n\r\nHello\r\n..hidden dot\r\n...two dots\r\n";

struct ServerRig {
  mail::Directory dir;
  mail::MemoryStore store;
  pop3::ServerConfig cfg;
  pop3::LoginTracker logins;
  std::unique_ptr<pop3::Server> srv;
  std::vector<ProtoEvent> events;  // everything the server reported
  EngineOutput last;               // the last output taken
  SimTime now = 0;
  std::string uid1, uid2;

  ServerRig() {
    dir.add_user("b@b.example", "secret");
    dir.add_user("c@b.example", "pw c");  // a password with a space
    uid1 = store.deliver("b@b.example", kMsg1).id;
    uid2 = store.deliver("b@b.example", kMsg2).id;
    cfg.host_name = "pop.b.example";
    cfg.session_id = 7;
  }
  // start - a new session; returns the greeting bytes.
  std::string start(SimTime at = 0) {
    now = at;
    srv = std::make_unique<pop3::Server>(cfg, dir, store, &logins);
    srv->on_open(now);
    return take();
  }
  // take - drain the server's output.
  std::string take() {
    last = srv->take_output();
    for (const auto& e : last.events) events.push_back(e);
    return last.bytes;
  }
  // send - feed bytes in one piece; returns what the server wrote.
  std::string send(std::string_view in) {
    srv->on_bytes(in, now);
    return take();
  }
  // send_bytewise - feed one byte at a time; returns everything the server wrote.
  std::string send_bytewise(std::string_view in) {
    std::string out;
    bool closed = false;
    for (char c : in) {
      srv->on_bytes(std::string_view(&c, 1), now);
      out += take();
      closed = closed || last.close;
    }
    last.close = closed;
    return out;
  }
  // login - USER/PASS as b@b.example.
  void login() {
    send("USER b@b.example\r\n");
    send("PASS secret\r\n");
  }
};

// has_text - some event's text contains needle.
inline bool has_text(const std::vector<ProtoEvent>& ev, std::string_view needle) {
  for (const auto& e : ev) {
    if (e.text.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace pop3test
