// lessons_replies_test.cpp - which command each reply answers, as lessons' `after:` reads it: a
// pipelined submission with STARTTLS, AUTH, DATA and its end-of-data dot, then QUIT.
#include <catch2/catch.hpp>

#include "sim/scenario/scenario_match.hpp"

using namespace smtpsim;

namespace {

TraceEvent cmd(std::string line) {
  TraceEvent e;
  e.kind = TraceKind::Command;
  e.conn = 7;
  e.text = std::move(line);
  return e;
}

TraceEvent rep(int code, std::string line) {
  TraceEvent e;
  e.kind = TraceKind::Reply;
  e.conn = 7;
  e.code = code;
  e.text = std::move(line);
  return e;
}

}  // namespace

TEST_CASE("replies are paired with the command they answer; the end-of-data dot belongs to DATA") {
  const std::vector<TraceEvent> session = {
      rep(220, "220 msa ESMTP"),
      cmd("EHLO client"),
      rep(250, "250-msa"),
      rep(250, "250 STARTTLS"),
      cmd("STARTTLS"),
      rep(220, "220 2.0.0 Ready to start TLS"),
      cmd("EHLO client"),
      rep(250, "250 AUTH PLAIN LOGIN"),
      cmd("AUTH LOGIN"),
      rep(334, "334 VXNlcm5hbWU6"),
      cmd("YWJj"),  // base64 of the user name: all letters, still not a command
      rep(334, "334 UGFzc3dvcmQ6"),
      cmd("cGFzcw=="),
      rep(235, "235 2.7.0 Authentication successful"),
      cmd("MAIL FROM:<a@a.example>"),
      cmd("RCPT TO:<b@b.example>"),
      cmd("DATA"),
      rep(250, "250 2.1.0 Ok"),
      rep(250, "250 2.1.5 Ok"),
      rep(354, "354 End data with <CR><LF>.<CR><LF>"),
      cmd("."),
      rep(250, "250 2.0.0 Ok: queued as 1234"),
      cmd("QUIT"),
      rep(221, "221 2.0.0 Bye"),
  };
  scenario::ReplyTracker t;
  std::vector<std::string> table;
  for (const TraceEvent& e : session) {
    std::string answered = t.observe(e);
    if (e.kind == TraceKind::Reply && scenario::is_final_reply_line(e)) table.push_back(std::to_string(e.code) + " " + answered);
  }
  CHECK(table == std::vector<std::string>{"220 CONNECT", "250 EHLO", "220 STARTTLS", "250 EHLO", "334 AUTH",
                                          "334 AUTH", "235 AUTH", "250 MAIL", "250 RCPT", "354 DATA", "250 DATA",
                                          "221 QUIT"});
}
