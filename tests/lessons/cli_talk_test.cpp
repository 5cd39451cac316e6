// cli_talk_test.cpp - `smtpsim talk`: typing SMTP and POP3 at servers of a running lesson, with
// piped scripts, and the errors for hosts and ports that cannot be talked to.
#include <catch2/catch.hpp>

#include <regex>

#include "lessons/cli_harness.hpp"

using clitest::Scratch;

TEST_CASE("talk: an SMTP session typed at B's MX, like telnet mx 25", "[cli][talk]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  const std::string script =
      "EHLO me.example\r\n"
      "MAIL FROM:<x@y.example>\r\n"
      "RCPT TO:<b@b.example>\r\n"
      "DATA\r\n"
      "Subject: typed by hand\r\n"
      "\r\n"
      "hello\r\n"
      ".\r\n"
      "QUIT\r\n";
  auto r = s.run({"talk", "ok.yaml", "mx.b.example:25"}, script);
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  auto ls = clitest::lines(r.out);
  REQUIRE(ls.size() >= 9);
  CHECK(ls[0] == "(terminal -> mx.b.example: a private 1 ms link that is not part of the lesson, bypassing the "
                 "lesson's links to it (mx.b.example <-> internet, mda.b.example); the lesson's faults on that "
                 "path - links down, latency, loss, cut-offs - do not apply to this conversation)");
  CHECK(ls[1] == "Trying 10.0.0.5...");
  CHECK(ls[2] == "Connected to mx.b.example.");
  CHECK(ls[3] == "220 mx.b.example ESMTP smtpsim\r");
  CHECK(ls[4] == "250-mx.b.example\r");
  CHECK(std::regex_search(r.out, std::regex("\n250 HELP\r\n250 2\\.1\\.0 Ok\r\n250 2\\.1\\.5 Ok\r\n"
                                            "354 [^\r]*\r\n250 2\\.0\\.0 Ok: queued as [0-9A-F]+\r\n221 2\\.0\\.0 [^\r]*\r\n"
                                            "Connection closed by foreign host\\.\n$")));
  CHECK(r.err.empty());
}

TEST_CASE("talk --raw: stdout is the server's bytes alone, for real clients (swaks --pipe)", "[cli][talk]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto smtp = s.run({"talk", "ok.yaml", "mx.b.example:25", "--raw"}, "EHLO me.example\r\n");
  INFO(smtp.out << smtp.err);
  REQUIRE(smtp.status == 0);
  CHECK(smtp.out.starts_with("220 mx.b.example ESMTP smtpsim\r\n250-mx.b.example\r\n"));
  CHECK(smtp.out.ends_with("\r\n250 HELP\r\n"));
  // The first status line says which link the terminal bypasses, and that its faults do not apply.
  auto err = clitest::lines(smtp.err);
  REQUIRE(err.size() == 4);
  CHECK(err[0].starts_with("(terminal -> mx.b.example: a private 1 ms link that is not part of the lesson, bypassing "
                           "the lesson's links to it (mx.b.example <-> internet, mda.b.example); the lesson's faults"));
  CHECK(err[1] == "Trying 10.0.0.5...");
  CHECK(err[2] == "Connected to mx.b.example.");
  CHECK(err[3] == "Connection closed by foreign host.");
  auto pop = s.run({"talk", "ok.yaml", "pop.b.example:110", "--raw"}, "USER b@b.example\r\nPASS banana\r\nQUIT\r\n");
  INFO(pop.out << pop.err);
  REQUIRE(pop.status == 0);
  CHECK(pop.out.starts_with("+OK "));
  CHECK(pop.out.find("Trying") == std::string::npos);
  CHECK(clitest::lines(pop.err).at(0).find("(pop.b.example <-> mda.b.example)") != std::string::npos);
}

TEST_CASE("talk --raw: input goes on as it arrives, not line by line (so a TLS handshake can pass)", "[cli][talk]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  // A piped script reaches the server as the one chunk it is: EHLO with more input behind it is
  // improper pipelining (RFC 2920), so the server says 554 and hangs up - line by line it was not.
  auto raw = s.run({"talk", "ok.yaml", "mx.b.example:25", "--raw"}, "EHLO me.example\r\nNOOP\r\nQUIT\r\n");
  INFO(raw.out << raw.err);
  CHECK(raw.out.ends_with("\r\n554 5.5.0 Error: SMTP protocol synchronization\r\n"));
  CHECK(raw.out.find("221 ") == std::string::npos);
  auto lines = s.run({"talk", "ok.yaml", "mx.b.example:25"}, "EHLO me.example\r\nNOOP\r\nQUIT\r\n");
  CHECK(lines.out.find("554 ") == std::string::npos);
  CHECK(lines.out.find("\r\n250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n") != std::string::npos);
  // A chunk without a line end goes out at once: the server sees no complete line and waits.
  auto partial = s.run({"talk", "ok.yaml", "mx.b.example:25", "--raw"}, "\x16\x03\x01");
  CHECK(partial.status == 0);
  CHECK(partial.out == "220 mx.b.example ESMTP smtpsim\r\n");
  // --raw passes bytes unchanged: --crlf would rewrite them.
  auto both = s.run({"talk", "ok.yaml", "mx.b.example:25", "--raw", "--crlf"}, "QUIT\r\n");
  CHECK(both.status == 2);
  CHECK(clitest::lines(both.err).at(0) ==
        "smtpsim talk: --crlf and --raw do not go together: --raw passes bytes on unchanged");
}

TEST_CASE("talk: a POP3 session reads the message the lesson delivered", "[cli][talk]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  // --crlf: the script has bare LF line ends, as typed at a terminal.
  auto r = s.run({"talk", "ok.yaml", "pop.b.example:110", "--crlf"},
                 "USER b@b.example\nPASS banana\nSTAT\nRETR 1\nQUIT\n");
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.starts_with("(terminal -> pop.b.example: a private 1 ms link that is not part of the lesson, bypassing "
                          "the lesson's links to it (pop.b.example <-> mda.b.example); the lesson's faults on that path"));
  CHECK(r.out.find("\nTrying 10.0.0.7...\nConnected to pop.b.example.\n+OK ") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex("\r\n\\+OK send PASS\r\n\\+OK [^\r]*\r\n\\+OK 1 \\d+\r\n\\+OK \\d+ octets\r\n")));
  CHECK(r.out.find("\r\nSubject: Hello\r\n") != std::string::npos);
  CHECK(r.out.find("\r\n\r\nHi B\r\n.\r\n+OK ") != std::string::npos);
  CHECK(r.out.ends_with("Connection closed by foreign host.\n"));

  // Wrong password: the server says so, the session goes on to QUIT.
  auto wrong = s.run({"talk", "ok.yaml", "pop.b.example:110", "--crlf"}, "USER b@b.example\nPASS cherry\nQUIT\n");
  CHECK(wrong.status == 0);
  CHECK(std::regex_search(wrong.out, std::regex("\r\n-ERR \\[AUTH\\][^\r]*\r\n")));
}

TEST_CASE("talk: the end of input half-closes; the server's close is announced", "[cli][talk]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  // No QUIT: after the input ends the terminal sends FIN and waits for the server to close.
  auto r = s.run({"talk", "ok.yaml", "mx.b.example:25", "--crlf"}, "HELO me.example\n");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("250 mx.b.example\r\n") != std::string::npos);
  CHECK(r.out.ends_with("\nConnection closed by foreign host.\n"));
  // A chunk without a final newline is still sent (at the end of input).
  auto partial = s.run({"talk", "ok.yaml", "mx.b.example:25"}, "NOOP\r\nQUIT\r\n");
  CHECK(partial.out.find("250 2.0.0 Ok\r\n221 ") != std::string::npos);
}

TEST_CASE("talk: unknown hosts, closed ports and bad arguments exit 2 with a clear message", "[cli][talk]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  struct Case {
    std::vector<std::string> args;
    std::string first_line;
  };
  const std::vector<Case> cases = {
      {{"talk", "ok.yaml", "mx.c.example:25"},
       "smtpsim talk: unknown host 'mx.c.example' in ok.yaml (did you mean 'mx.a.example'?)"},
      {{"talk", "ok.yaml", "mx.b.example:110"}, "smtpsim talk: nothing listens on mx.b.example:110 (it listens on port 25)"},
      {{"talk", "ok.yaml", "internet:25"}, "smtpsim talk: nothing listens on internet:25 (it has no server role (router))"},
      {{"talk", "ok.yaml", "mx.b.example"},
       "smtpsim talk: expected HOST:PORT like mx1.b.example:25 or pop.b.example:110, got 'mx.b.example'"},
      {{"talk", "ok.yaml", "mx.b.example:99999"},
       "smtpsim talk: 'mx.b.example:99999': the port must be a number from 1 to 65535, got '99999'"},
      {{"talk", "ok.yaml"}, "smtpsim talk: expected a lesson file and HOST:PORT (smtpsim talk FILE HOST:PORT)"},
      {{"talk", "ok.yaml", "mx.b.example:25", "--crlf=1"}, "smtpsim talk: --crlf takes no value (got '1')"},
      {{"talk", "missing.yaml", "mx.b.example:25"}, "missing.yaml: cannot open: No such file or directory"},
  };
  for (const Case& c : cases) {
    auto r = s.run(c.args, "QUIT\r\n");
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(clitest::lines(r.err).at(0) == c.first_line);
  }
  // The server's address works as well as its name.
  auto by_ip = s.run({"talk", "ok.yaml", "10.0.0.5:25"}, "QUIT\r\n");
  CHECK(by_ip.status == 0);
  CHECK(by_ip.out.find("Connected to mx.b.example.") != std::string::npos);
}
