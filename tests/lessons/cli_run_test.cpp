// cli_run_test.cpp - `smtpsim run`: exit statuses, the report lines, flags and their errors,
// several files, --summary-json, seeds and trace hashes, --events, --pcap and --transcript.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "lessons/cli_harness.hpp"

using clitest::Scratch;

namespace {

// hash_of - the trace hash printed by `run` ("" when missing).
std::string hash_of(const std::string& out) {
  std::smatch m;
  static const std::regex re("trace hash ([0-9a-f]{16})");
  return std::regex_search(out, m, re) ? m[1].str() : "";
}

// python - run a python3 snippet over a file; its exit status and output.
clitest::Result python(Scratch& s, const std::string& code, const std::string& file) {
  return s.shell("python3 -c " + clitest::quote(code) + " " + clitest::quote(file));
}

}  // namespace

TEST_CASE("run: a passing lesson exits 0 and ends with PASS lines and one summary line", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto r = s.run({"run", "ok.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  auto ls = clitest::lines(r.out);
  REQUIRE(ls.size() == 5);
  CHECK(ls[0] == "== ok.yaml: CLI test: one message from A to B (seed 7) ==");
  CHECK(std::regex_match(ls[1], std::regex("ran to \\d\\d:\\d\\d:\\d\\d\\.\\d{3} virtual in [0-9.]+ s: \\d+ events, "
                                           "trace hash [0-9a-f]{16}")));
  CHECK(std::regex_match(ls[2], std::regex("PASS b@b\\.example delivered \\(message 1\\) by 00:10:00\\.000 - "
                                           "delivered at 00:00:\\d\\d\\.\\d{3} by mda\\.b\\.example")));
  CHECK(ls[3] == "PASS lost messages: exactly 0 - 0 lost; expected exactly 0");
  CHECK(ls[4] == "messages: 1 submitted, 1 delivered, 0 bounced, 0 queued, 0 lost | expectations: 2 passed, 0 failed");
  CHECK(r.err.empty());
}

TEST_CASE("run: an expectation that cannot be met exits 1 with a FAIL line and the evidence", "[cli][run]") {
  Scratch s;
  s.write("late.yaml", clitest::small_lesson("1ms"));
  auto r = s.run({"run", "late.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  CHECK(std::regex_search(r.out, std::regex("\nFAIL b@b\\.example delivered \\(message 1\\) by 00:00:00\\.001 - "
                                            "delivered, but at 00:00:\\d\\d\\.\\d{3}, outside by 00:00:00\\.001\n")));
  CHECK(r.out.find("PASS lost messages") != std::string::npos);
  CHECK(clitest::lines(r.out).back() ==
        "messages: 1 submitted, 1 delivered, 0 bounced, 0 queued, 0 lost | expectations: 1 passed, 1 failed");
}

TEST_CASE("run: an invalid lesson exits 2 with file:line:column diagnostics and runs nothing", "[cli][run]") {
  Scratch s;
  std::string text = clitest::small_lesson();
  // A misspelt level (line 4) and a typo in a link key (line 21).
  text.replace(text.find("latency: 10ms }"), 15, "latncy: 10ms }");
  text.replace(text.find("level: beginner"), 15, "level: expert");
  s.write("bad.yaml", text);
  auto r = s.run({"run", "bad.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 2);
  CHECK(r.out.find("PASS") == std::string::npos);
  CHECK(r.out.find("messages:") == std::string::npos);
  auto ls = clitest::lines(r.err);
  REQUIRE(ls.size() == 3);
  CHECK(std::regex_match(ls[0], std::regex("bad\\.yaml:4:10: .*'expert'.*")));
  CHECK(std::regex_match(ls[1], std::regex("bad\\.yaml:21:43: unknown key 'latncy' in link \\(did you mean 'latency'\\?\\)")));
  CHECK(ls[2] == "bad.yaml: 2 error(s); not run");

  auto missing = s.run({"run", "no-such-lesson.yaml"});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("no-such-lesson.yaml: cannot open") != std::string::npos);
}

TEST_CASE("run: bad flags name the flag, hint at --help and exit 2", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"run", "ok.yaml", "--seed", "abc"}, "smtpsim run: --seed: expected a whole number like 42, got 'abc'"},
      {{"run", "ok.yaml", "--seed=-1"}, "smtpsim run: --seed: expected a whole number like 42, got '-1'"},
      {{"run", "ok.yaml", "--seed", "99999999999999999999"}, "smtpsim run: --seed: expected a whole number from 0 to 18446744073709551615, got '99999999999999999999'"},
      {{"run", "ok.yaml", "--until", "5x"}, "smtpsim run: --until: expected a duration like 90m, 6h or 1h30m (units us ms s m h d), got '5x'"},
      {{"run", "ok.yaml", "--until", "0"}, "smtpsim run: --until: the run must last longer than 0, got '0'"},
      {{"run", "ok.yaml", "--seed"}, "smtpsim run: --seed needs a value"},
      {{"run", "ok.yaml", "--events", "--pcap", "x.pcap"}, "smtpsim run: --events needs a value (got the flag '--pcap')"},
      {{"run", "ok.yaml", "--sed", "4"}, "smtpsim run: unknown flag '--sed' (did you mean '--seed'?)"},
      {{"run", "ok.yaml", "-x"}, "smtpsim run: unknown flag '-x'"},
      {{"run", "ok.yaml", "--transcript=yes"}, "smtpsim run: --transcript takes no value (got 'yes')"},
      {{"run", "ok.yaml", "--seed", "1", "--seed", "2"}, "smtpsim run: --seed is given twice"},
      {{"run"}, "smtpsim run: no lesson file given (smtpsim run FILE...)"},
      {{"run", ""}, "smtpsim run: an empty argument ('') was given"},
      {{"run", "ok.yaml", "ok.yaml", "--pcap", "x.pcap"},
       "smtpsim run: --pcap: several lessons would write to 'x.pcap'; put {name} in the path (e.g. --pcap out-{name}.pcap)"},
  };
  for (const Case& c : cases) {
    auto r = s.run(c.args);
    INFO(c.args.back() << "\n" << r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    auto ls = clitest::lines(r.err);
    REQUIRE(ls.size() == 2);
    CHECK(ls[0] == c.message);
    CHECK(ls[1] == "Try 'smtpsim run --help'.");
  }
  auto r = s.run({"frobnicate"});
  CHECK(r.status == 2);
  CHECK(r.err.find("unknown command 'frobnicate'") != std::string::npos);
}

TEST_CASE("run: flags before or after the files mean the same; the same seed gives the same trace", "[cli][run]") {
  Scratch s;
  s.write("lossy.yaml", clitest::small_lesson("1h", "30%"));
  auto a = s.run({"run", "--seed", "3", "lossy.yaml"});
  auto b = s.run({"run", "lossy.yaml", "--seed=3"});
  auto c = s.run({"run", "lossy.yaml", "--seed", "3"});
  REQUIRE(!hash_of(a.out).empty());
  CHECK(hash_of(a.out) == hash_of(b.out));
  CHECK(hash_of(a.out) == hash_of(c.out));
  CHECK(a.out.find("(seed 3)") != std::string::npos);
  // After "--" every word is a file, even one that looks like a flag.
  s.write("--seed", clitest::small_lesson("1h", "30%"));
  auto d = s.run({"run", "--seed", "3", "--", "--seed"});
  INFO(d.err);
  CHECK(d.status == 0);
  CHECK(hash_of(d.out) == hash_of(a.out));
  // Different seeds draw different losses (and IDs): the traces differ.
  std::set<std::string> hashes;
  for (int seed = 1; seed <= 4; ++seed) hashes.insert(hash_of(s.run({"run", "lossy.yaml", "--seed", std::to_string(seed)}).out));
  CHECK(hashes.size() == 4);
  // Without --seed the file's seed (7) is used.
  auto file_seed = s.run({"run", "lossy.yaml"});
  CHECK(hash_of(file_seed.out) == hash_of(s.run({"run", "lossy.yaml", "--seed", "7"}).out));
}

TEST_CASE("run: --until stops the run at that virtual time", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto r = s.run({"run", "ok.yaml", "--until", "90s"});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("ran to 00:01:30.000 virtual") != std::string::npos);
  auto longer = s.run({"run", "ok.yaml", "--until=2h"});
  CHECK(longer.out.find("ran to 02:00:00.000 virtual") != std::string::npos);
}

TEST_CASE("run: several files run in turn under headers; the exit status is the worst", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  s.write("late.yaml", clitest::small_lesson("1ms", "0", "Too late"));
  s.write("broken.yaml", "hosts: [\n");
  auto pass_fail = s.run({"run", "ok.yaml", "late.yaml"});
  INFO(pass_fail.out);
  CHECK(pass_fail.status == 1);
  CHECK(pass_fail.out.find("== ok.yaml: CLI test: one message from A to B (seed 7) ==") != std::string::npos);
  CHECK(pass_fail.out.find("== late.yaml: Too late (seed 7) ==") != std::string::npos);
  CHECK(pass_fail.out.find("== 2 lessons: 1 passed, 1 failed, 0 not run ==") != std::string::npos);
  // Each run still ends with its own summary line.
  std::size_t summaries = 0;
  for (const auto& l : clitest::lines(pass_fail.out)) summaries += l.starts_with("messages: ");
  CHECK(summaries == 2);

  auto with_broken = s.run({"run", "broken.yaml", "ok.yaml", "late.yaml"});
  CHECK(with_broken.status == 2);
  CHECK(with_broken.out.find("== ok.yaml") != std::string::npos);  // the others still run
  CHECK(with_broken.out.find("== 3 lessons: 1 passed, 1 failed, 1 not run ==") != std::string::npos);
  CHECK(std::regex_search(with_broken.err, std::regex("broken\\.yaml:\\d+:\\d+: ")));
}

TEST_CASE("run: --summary-json is valid JSON with the figures, expectations and trace hash", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  s.write("late.yaml", clitest::small_lesson("1ms"));
  auto r = s.run({"run", "ok.yaml", "late.yaml", "--summary-json", "sum.json"});
  REQUIRE(r.status == 1);
  std::string hash = hash_of(r.out);
  REQUIRE(!hash.empty());
  auto check = python(s,
                      "import json,sys\n"
                      "d = json.load(open(sys.argv[1]))\n"
                      "assert d['exit_status'] == 1, d\n"
                      "assert isinstance(d['wall_seconds'], float)\n"
                      "a, b = d['runs']\n"
                      "print(a['trace_hash'], a['status'], a['exit_status'], a['seed'], a['events'] > 0, a['end'],\n"
                      "      a['messages']['submitted'], a['messages']['delivered'], a['messages']['lost'],\n"
                      "      a['expectations_passed'], a['expectations_failed'], len(a['expectations']),\n"
                      "      a['expectations'][0]['pass'], a['expectations'][0]['line'], a['wall_seconds'] >= 0)\n"
                      "print(b['status'], b['exit_status'], b['expectations'][0]['pass'], b['summary'])\n",
                      "sum.json");
  INFO(check.out);
  REQUIRE(check.status == 0);
  auto ls = clitest::lines(check.out);
  REQUIRE(ls.size() == 2);
  CHECK(std::regex_match(ls[0], std::regex(hash + " pass 0 7 True 00:11:00.000 1 1 0 2 0 2 True 31 True")));
  CHECK(ls[1] == "fail 1 False messages: 1 submitted, 1 delivered, 0 bounced, 0 queued, 0 lost | expectations: 1 passed, 1 failed");

  // An invalid file is in the summary too, with its diagnostics.
  s.write("broken.yaml", "hosts: [\n");
  auto bad = s.run({"run", "broken.yaml", "--summary-json", "bad.json"});
  CHECK(bad.status == 2);
  auto check2 = python(s,
                       "import json,sys\n"
                       "d = json.load(open(sys.argv[1]))\n"
                       "r = d['runs'][0]\n"
                       "print(d['exit_status'], r['status'], r['file'], len(r['diagnostics']) > 0)\n",
                       "bad.json");
  CHECK(check2.out == "2 invalid broken.yaml True\n");

  auto unwritable = s.run({"run", "ok.yaml", "--summary-json", "no/such/dir/sum.json"});
  CHECK(unwritable.status == 2);
  CHECK(unwritable.err.find("--summary-json: cannot write 'no/such/dir/sum.json'") != std::string::npos);
}

TEST_CASE("run: --events writes valid JSON Lines, one per trace event, in order", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto r = s.run({"run", "ok.yaml", "--events", "ev.jsonl", "--summary-json", "sum.json"});
  REQUIRE(r.status == 0);
  auto check = python(s,
                      "import json,sys\n"
                      "ev = [json.loads(l) for l in open(sys.argv[1])]\n"
                      "n = json.load(open('sum.json'))['runs'][0]['events']\n"
                      "assert len(ev) == n, (len(ev), n)\n"
                      "assert [e['seq'] for e in ev] == list(range(n))\n"
                      "assert all(a['t_us'] <= b['t_us'] for a, b in zip(ev, ev[1:]))\n"
                      "kinds = set(e['kind'] for e in ev)\n"
                      "assert {'host_up', 'command', 'reply', 'delivery', 'bytes_sent'} <= kinds, kinds\n"
                      "assert any(e['kind'] == 'bytes_sent' and 'data_b64' in e for e in ev)\n"
                      "print('ok', n)\n",
                      "ev.jsonl");
  INFO(check.out);
  CHECK(check.out.starts_with("ok "));

  // With several lessons, {name} keeps the logs apart.
  s.write("two.yaml", clitest::small_lesson("1h"));
  auto two = s.run({"run", "ok.yaml", "two.yaml", "--events", "ev-{name}.jsonl"});
  CHECK(two.status == 0);
  CHECK(!clitest::read_file(s.path("ev-ok.jsonl")).empty());
  CHECK(!clitest::read_file(s.path("ev-two.jsonl")).empty());
}

TEST_CASE("run: --pcap writes a capture tshark dissects as SMTP, with nothing malformed", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto r = s.run({"run", "ok.yaml", "--pcap", "run.pcap"});
  REQUIRE(r.status == 0);
  auto t = s.shell("tshark -r run.pcap -Y smtp 2>/dev/null | head -40");
  INFO(t.out);
  REQUIRE(t.status == 0);
  CHECK(t.out.find("SMTP") != std::string::npos);
  CHECK(t.out.find("EHLO client-a") != std::string::npos);
  CHECK(t.out.find("220 msa.a.example") != std::string::npos);
  // Every TCP stream of the run is in it, with no malformed packets.
  auto bad = s.shell("tshark -r run.pcap -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null | wc -l");
  CHECK(bad.out == "0\n");
}

TEST_CASE("run: --transcript streams the dialogue before the results", "[cli][run]") {
  Scratch s;
  s.write("ok.yaml", clitest::small_lesson());
  auto r = s.run({"run", "--transcript", "ok.yaml"});
  REQUIRE(r.status == 0);
  auto ls = clitest::lines(r.out);
  REQUIRE(ls.size() > 40);
  CHECK(ls[0].starts_with("== ok.yaml"));
  std::size_t ehlo = 0, reply250 = 0, ran = 0;
  std::string last_time;
  bool ordered = true;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const std::string& l = ls[i];
    if (l.starts_with("[")) {
      std::string t = l.substr(1, 12);
      ordered = ordered && t >= last_time;
      last_time = t;
    }
    if (!ehlo && std::regex_search(l, std::regex("^\\[00:00:\\d\\d\\.\\d{3}\\] client-a +-> msa\\.a\\.example +C: EHLO client-a$")))
      ehlo = i;
    if (!reply250 && std::regex_search(l, std::regex("^\\[[0-9:.]+\\] msa\\.a\\.example -> client-a +S: 250[ -]"))) reply250 = i;
    if (l.starts_with("ran to ")) ran = i;
  }
  CHECK(ordered);
  CHECK(ehlo > 0);
  CHECK(reply250 > ehlo);
  CHECK(ran > reply250);
  CHECK(ls.back().starts_with("messages: 1 submitted"));
  // The transcript does not change the run.
  CHECK(hash_of(r.out) == hash_of(s.run({"run", "ok.yaml"}).out));
}
