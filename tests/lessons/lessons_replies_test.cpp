// lessons_replies_test.cpp - which command each reply answers, as lessons' `after:` reads it: from
// the reply's `answers` field (the seq of the server's received copy of the command), through a
// pipelined submission with STARTTLS, AUTH LOGIN, DATA and its end-of-data dot, then QUIT.
#include <catch2/catch.hpp>

#include "sim/scenario/scenario_match.hpp"

using namespace smtpsim;

namespace {

// Session - builds a trace of one connection the way Conn emits it: seq in order, the server's
// received copies (rx) and replies pointing at the last of them.
struct Session {
  std::vector<TraceEvent> events;
  std::uint64_t last_rx = 0;

  TraceEvent& add(TraceKind k, std::string text, int code = 0) {
    TraceEvent e;
    e.kind = k;
    e.conn = 7;
    e.code = code;
    e.text = std::move(text);
    e.seq = events.size() + 1;
    events.push_back(std::move(e));
    return events.back();
  }
  void client(std::string line) { add(TraceKind::Command, std::move(line)); }
  void rx(std::string line) {
    add(TraceKind::Command, std::move(line)).rx = true;
    last_rx = events.back().seq;
  }
  void reply(int code, std::string line, bool answers = true) {
    add(TraceKind::Reply, std::move(line), code).answers = answers ? last_rx : 0;
  }
};

}  // namespace

TEST_CASE("replies are paired with the command they answer; the end-of-data dot belongs to DATA") {
  Session s;
  s.reply(220, "220 msa ESMTP", false);
  s.client("EHLO client");
  s.rx("EHLO client");
  s.reply(250, "250-msa");
  s.reply(250, "250 STARTTLS");
  s.client("STARTTLS");
  s.rx("STARTTLS");
  s.reply(220, "220 2.0.0 Ready to start TLS");
  s.client("EHLO client");
  s.rx("EHLO client");
  s.reply(250, "250 AUTH PLAIN LOGIN");
  s.client("AUTH LOGIN");
  s.rx("AUTH LOGIN");
  s.reply(334, "334 VXNlcm5hbWU6");
  s.client("YWJj");
  s.rx("YWJj");  // base64 of the user name: all letters, still an AUTH line
  s.reply(334, "334 UGFzc3dvcmQ6");
  s.client("********");
  s.rx("********");
  s.reply(235, "235 2.7.0 Authentication successful");
  // Pipelined: the client sends three lines at once; the server takes them one by one.
  s.client("MAIL FROM:<a@a.example>");
  s.client("RCPT TO:<b@b.example>");
  s.client("DATA");
  s.rx("MAIL FROM:<a@a.example>");
  s.reply(250, "250 2.1.0 Ok");
  s.rx("RCPT TO:<b@b.example>");
  s.reply(250, "250 2.1.5 Ok");
  s.rx("DATA");
  s.reply(354, "354 End data with <CR><LF>.<CR><LF>");
  s.client(".");
  s.rx(".");
  s.reply(250, "250 2.0.0 Ok: queued as 1234");
  s.client("NOOP");
  s.rx("NOOP");
  s.reply(421, "421 4.4.2 msa Error: timeout exceeded", false);  // a 421 answers nothing
  scenario::ReplyTracker t;
  std::vector<std::string> table;
  int duplicates = 0;
  for (const TraceEvent& e : s.events) {
    std::string answered = t.observe(e);
    duplicates += t.duplicate();
    if (e.kind == TraceKind::Reply && scenario::is_final_reply_line(e)) table.push_back(std::to_string(e.code) + " " + answered);
  }
  CHECK(table == std::vector<std::string>{"220 CONNECT", "250 EHLO", "220 STARTTLS", "250 EHLO", "334 AUTH",
                                          "334 AUTH", "235 AUTH", "250 MAIL", "250 RCPT", "354 DATA", "250 DATA",
                                          "421 "});
  CHECK(duplicates == 11);  // every received copy: the client's own lines are on the connection
}

TEST_CASE("without a client-side copy (talk, a relay's far side) the received commands are the commands") {
  Session s;
  s.reply(220, "220 mx ESMTP", false);
  s.rx("EHLO student");
  s.reply(250, "250 mx");
  s.rx("QUIT");
  s.reply(221, "221 2.0.0 Bye");
  scenario::ReplyTracker t;
  std::vector<std::string> table;
  for (const TraceEvent& e : s.events) {
    std::string answered = t.observe(e);
    CHECK_FALSE(t.duplicate());
    if (e.kind == TraceKind::Reply) table.push_back(answered);
  }
  CHECK(table == std::vector<std::string>{"CONNECT", "EHLO", "QUIT"});

  // A relay's note ties its far connection (#9) to the client's (#7): copies on #9 are duplicates.
  CommandSides sides;
  TraceEvent client_cmd;
  client_cmd.kind = TraceKind::Command;
  client_cmd.conn = 7;
  client_cmd.text = "EHLO c";
  TraceEvent note;
  note.kind = TraceKind::Note;
  note.conn = 9;
  note.code = 7;
  note.text = "forwards connection #7 from c to cluster member out1 as #9";
  TraceEvent far = client_cmd;
  far.conn = 9;
  far.rx = true;
  CHECK_FALSE(sides.duplicate(far));  // before the relay said so: nothing ties #9 to #7
  CHECK_FALSE(sides.duplicate(client_cmd));
  CHECK_FALSE(sides.duplicate(note));
  CHECK(sides.duplicate(far));
}
