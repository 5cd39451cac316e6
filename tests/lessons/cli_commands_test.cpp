// cli_commands_test.cpp - smtpsim's help and version, `validate`, `list` and `explain`.
#include <catch2/catch.hpp>

#include <regex>

#include "lessons/cli_harness.hpp"

using clitest::Scratch;

TEST_CASE("help: --help lists every subcommand; each subcommand has its own --help", "[cli]") {
  Scratch s;
  auto r = s.run({"--help"});
  REQUIRE(r.status == 0);
  for (const char* cmd : {"run FILE", "validate FILE", "list", "explain CODE", "explain retry", "talk FILE HOST:PORT",
                          "live FILE --expose"})
    CHECK(r.out.find(std::string("  ") + cmd) != std::string::npos);
  CHECK(r.out.find("Exit status: 0") != std::string::npos);
  CHECK(s.run({"help"}).out == r.out);
  CHECK(s.run({"-h"}).out == r.out);

  const std::vector<std::pair<std::string, std::string>> sub = {
      {"run", "Usage: smtpsim run FILE..."},         {"validate", "Usage: smtpsim validate FILE..."},
      {"list", "Usage: smtpsim list"},               {"explain", "Usage: smtpsim explain CODE"},
      {"talk", "Usage: smtpsim talk FILE HOST:PORT"}, {"live", "Usage: smtpsim live FILE --expose"}};
  for (const auto& [cmd, first] : sub) {
    auto h = s.run({cmd, "--help"});
    INFO(cmd);
    CHECK(h.status == 0);
    CHECK(h.out.starts_with(first));
    CHECK(s.run({"help", cmd}).out == h.out);
  }
  // --help wins wherever it stands among a command's words.
  CHECK(s.run({"run", "nothing.yaml", "--seed", "x", "--help"}).out.starts_with("Usage: smtpsim run"));
  for (const char* flag : {"--seed N", "--until DURATION", "--transcript", "--events FILE.jsonl", "--pcap FILE",
                           "--summary-json FILE"})
    CHECK(s.run({"run", "-h"}).out.find(flag) != std::string::npos);

  auto unknown_help = s.run({"help", "rnu"});
  CHECK(unknown_help.status == 2);
  CHECK(unknown_help.err.starts_with("smtpsim help: unknown command 'rnu'"));

  auto none = s.run({});
  CHECK(none.status == 2);
  CHECK(none.err.find("Commands:") != std::string::npos);
  auto v = s.run({"--version"});
  CHECK(v.status == 0);
  CHECK(std::regex_match(v.out, std::regex("smtpsim \\d+\\.\\d+\\.\\d+\n")));
}

TEST_CASE("validate: ok lines for good files, every diagnostic for bad ones", "[cli][validate]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  std::string typo = clitest::small_lesson();
  typo.replace(typo.find("deliver_to: mda.b.example"), 25, "deliver_to: mda.b.exmaple");
  s.write("typo.yaml", typo);
  auto good = s.run({"validate", "ok.yaml"});
  CHECK(good.status == 0);
  CHECK(good.out ==
        "ok.yaml: ok - \"CLI test: one message from A to B\" (9 hosts, 8 links, 1 message, 0 timeline entries, "
        "0 narration steps, 2 expectations)\n");

  auto both = s.run({"validate", "ok.yaml", "typo.yaml"});
  INFO(both.out);
  CHECK(both.status == 2);
  auto ls = clitest::lines(both.out);
  REQUIRE(ls.size() >= 3);
  CHECK(ls[0].starts_with("ok.yaml: ok"));
  CHECK(std::regex_match(ls[1], std::regex("typo\\.yaml:15:\\d+: .*unknown host 'mda\\.b\\.exmaple' \\(did you mean "
                                           "'mda\\.b\\.example'\\?\\).*")));
  CHECK(ls.back() == "typo.yaml: " + std::to_string(ls.size() - 2) + (ls.size() == 3 ? " error" : " errors"));

  CHECK(s.run({"validate", "-q", "ok.yaml"}).out.empty());
  CHECK(s.run({"validate"}).status == 2);
  auto missing = s.run({"validate", "gone.yaml"});
  CHECK(missing.status == 2);
  CHECK(missing.out.starts_with("gone.yaml: cannot open"));
}

TEST_CASE("list: lessons with level and title from --dir, $SMTPSIM_LESSONS or ./scenarios/lessons", "[cli][list]") {
  Scratch s;
  s.write("lessons/b-late.yaml", clitest::small_lesson("1ms", "0", "Too late to deliver"));
  s.write("lessons/a-hello.yaml", clitest::small_lesson());
  s.write("lessons/broken.yaml", "hosts: [\n");
  s.write("lessons/notes.txt", "not a lesson");

  auto r = s.run({"list", "--dir", "lessons"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  auto ls = clitest::lines(r.out);
  REQUIRE(ls.size() == 4);
  CHECK(ls[0] == "Lessons in " + std::filesystem::canonical(s.dir() / "lessons").string() + ":");
  CHECK(ls[1] == "  a-hello  beginner      CLI test: one message from A to B");
  CHECK(std::regex_match(ls[2], std::regex("  b-late   beginner      Too late to deliver")));
  CHECK(std::regex_match(ls[3], std::regex("  broken   \\(invalid: \\d+ error\\(s\\); smtpsim validate .*broken\\.yaml\\)")));

  auto long_form = s.run({"list", "--dir=lessons", "--long"});
  CHECK(long_form.out.find("           A sends one message to B through its submission server.\n") != std::string::npos);
  CHECK(long_form.out.find("tags: cli, test") != std::string::npos);

  // $SMTPSIM_LESSONS, then ./scenarios/lessons.
  auto env = s.run({"list"}, "", "SMTPSIM_LESSONS=" + clitest::quote(s.path("lessons")));
  auto env_lines = clitest::lines(env.out);
  REQUIRE(env_lines.size() == 4);
  CHECK(std::vector<std::string>(env_lines.begin(), env_lines.begin() + 3) ==
        std::vector<std::string>(ls.begin(), ls.begin() + 3));
  CHECK(env_lines[3].ends_with(s.path("lessons/broken.yaml") + ")"));
  s.write("scenarios/lessons/only.yaml", clitest::small_lesson("1h", "0", "The only one"));
  auto cwd = s.run({"list"}, "", "SMTPSIM_LESSONS=");
  CHECK(cwd.out.find("  only  beginner      The only one") != std::string::npos);

  auto bad_dir = s.run({"list", "--dir", "nowhere"});
  CHECK(bad_dir.status == 2);
  CHECK(bad_dir.err.starts_with("smtpsim list: --dir: 'nowhere' is not a directory"));
  CHECK(s.run({"list", "extra"}).status == 2);
}

TEST_CASE("list: without any lesson directory it says where it looked and exits 2", "[cli][list]") {
  Scratch s;
  auto r = s.run({"list"}, "", "SMTPSIM_LESSONS=" + clitest::quote(s.path("missing")));
  // <exe dir>/../scenarios/lessons exists only in an installed tree, not next to a build directory.
  if (std::filesystem::exists(std::filesystem::path(clitest::kBinary).parent_path() / ".." / "scenarios" / "lessons"))
    return;
  CHECK(r.status == 2);
  CHECK(r.err.find("no lesson directory found; looked in:") != std::string::npos);
  CHECK(r.err.find(s.path("missing") + "  ($SMTPSIM_LESSONS)") != std::string::npos);
  CHECK(r.err.find("scenarios/lessons  (the current directory)") != std::string::npos);
}

TEST_CASE("explain: reply codes, enhanced status codes and POP3 replies from the catalogue", "[cli][explain]") {
  Scratch s;
  auto code = s.run({"explain", "550"});
  INFO(code.out);
  REQUIRE(code.status == 0);
  CHECK(code.out.starts_with("550: 5xx permanent negative completion"));
  CHECK(code.out.find("\n550 5.1.1 {address}: Recipient address rejected: User unknown in local recipient table\n"
                      "  meaning: The domain is handled here, but no such mailbox exists") != std::string::npos);
  CHECK(code.out.find("  status:  5.1.1 Permanent Failure / Addressing Status / Bad destination mailbox address") !=
        std::string::npos);
  CHECK(code.out.find("(catalogue key smtp.user_unknown)") != std::string::npos);
  // Every entry of `explain 550` is a 550.
  for (const auto& l : clitest::lines(code.out))
    if (!l.empty() && std::isdigit(static_cast<unsigned char>(l[0])) && !l.starts_with("550:")) CHECK(l.starts_with("550 "));

  auto status = s.run({"explain", "5.1.1"});
  REQUIRE(status.status == 0);
  CHECK(status.out.starts_with("5.1.1 Permanent Failure / Addressing Status / Bad destination mailbox address\n"
                               "  The mailbox named by the recipient address does not exist.\n"));
  CHECK(status.out.find("550 5.1.1 {address}: Recipient address rejected: User unknown") != std::string::npos);

  auto exact = s.run({"explain", "550 5.1.1"});
  CHECK(exact.status == 0);
  CHECK(s.run({"explain", "550", "5.1.1"}).out == exact.out);
  CHECK(exact.out.find("550 5.7.1") == std::string::npos);

  auto pop = s.run({"explain", "-ERR [IN-USE]"});
  INFO(pop.err);
  REQUIRE(pop.status == 0);
  CHECK(pop.out.starts_with("-ERR [IN-USE] "));
  CHECK(pop.out.find("(catalogue key pop3.in_use)") != std::string::npos);
  CHECK(s.run({"explain", "-ERR", "[IN-USE]"}).out == pop.out);
  auto ok = s.run({"explain", "+OK"});
  CHECK(ok.status == 0);
  for (const auto& l : clitest::lines(ok.out))
    if (!l.empty() && l[0] != ' ') CHECK(l.starts_with("+OK"));

  auto key = s.run({"explain", "smtp.greylisted"});
  CHECK(key.status == 0);
  CHECK(key.out.find("451 4.7.1") != std::string::npos);
}

TEST_CASE("explain: unknown codes get a clear message and exit 2", "[cli][explain]") {
  Scratch s;
  for (const char* q : {"599", "hello", "5.9.9.9", "-ERR [NO-SUCH-CODE]"}) {
    auto r = s.run({"explain", q});
    INFO(q);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with(std::string("smtpsim explain: no reply in the catalogue matches '") + q + "'."));
  }
  auto r = s.run({"explain", "599"});
  CHECK(r.err.find("599: 5xx permanent negative completion") != std::string::npos);
  CHECK(s.run({"explain"}).status == 2);
}

TEST_CASE("explain retry: the presets side by side, and one preset in full", "[cli][explain]") {
  Scratch s;
  auto r = s.run({"explain", "retry"});
  INFO(r.out);
  REQUIRE(r.status == 0);
  auto ls = clitest::lines(r.out);
  auto row = [&](const std::string& start) {
    for (const auto& l : ls)
      if (l.starts_with(start)) return l;
    return std::string();
  };
  CHECK(row("     #") == "     #  story       sendmail    postfix     exim      ");
  CHECK(row("     1 ") == "     1  00:00:00    00:00:00    00:00:00    00:00:00  ");
  // The times an MTA keeps when every attempt waits 30 s for a connect timeout: sendmail's
  // MinQueueAge counts from the attempt's end, so the run 30 minutes later is too early (45m).
  CHECK(row("     2 ") == "     2  00:15:00    00:45:00    00:10:00    00:15:30  ");
  CHECK(row("     3 ") == "     3  00:30:00    01:30:00    00:25:00    00:31:00  ");
  CHECK(row("    16 ").starts_with("    16  03:45:00"));
  CHECK(row("    17 ").empty());  // the story gives up at 4h, and no preset tries 17 times in 6h
  // The summary table: attempts until the bounce, warnings, bounce times.
  CHECK(std::regex_search(r.out, std::regex("\n  story +16 +15m +never +4h\n")));
  // sendmail's warning: the first attempt that fails once the message is 4h old is the one at
  // 04:30, and the MTA decides at its deferral, when the 30 s connect timeout has run out.
  CHECK(std::regex_search(r.out, std::regex("\n  sendmail +\\d+ +45m +4h, sent 04:30:30 +5d\n")));
  CHECK(std::regex_search(r.out, std::regex("\n  postfix +\\d+ +\\S+ +never +5d\n")));
  CHECK(std::regex_search(r.out, std::regex("\n  exim +\\d+ +\\S+ +1d, sent \\d+:\\d\\d:\\d\\d +4d\n")));

  auto story = s.run({"explain", "retry", "story"});
  REQUIRE(story.status == 0);
  CHECK(story.out.find("    16  03:45:00  (+15m)\n        04:00:00  bounce") != std::string::npos);
  auto sendmail = s.run({"explain", "retry", "SENDMAIL"});
  CHECK(sendmail.out.find("     2  00:45:00  (+45m)\n     3  01:30:00  (+45m)\n") != std::string::npos);
  CHECK(std::regex_search(sendmail.out, std::regex("end of\\s+that\\s+attempt[\\s\\S]*45\\s+minutes\\s+apart")));
  CHECK(sendmail.out.find("     7  04:30:00  (+45m)\n        04:30:30  delay warning to the sender: this attempt failed "
                          "and the message is over 4h old\n") != std::string::npos);

  auto typo = s.run({"explain", "retry", "postfx"});
  CHECK(typo.status == 2);
  CHECK(typo.err == "smtpsim explain: no retry preset 'postfx' (did you mean 'postfix'?); the presets are story, "
                    "sendmail, postfix, exim.\n");
}
