// scenario_load_report_test.cpp - how the loader reports what a new user gets wrong: the real size
// of a file over the cap, nesting past the limit, root causes before what they cause, a client
// that will log in to a server that offers no AUTH.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "scenario/scenario_test_util.hpp"
#include "sim/scenario/scenario_load_scan.hpp"

using namespace smtpsim::scenario;
using test::diag_lines;
using test::load;
using Lines = std::vector<std::string>;

namespace {

// write_temp - a scratch file of `bytes` bytes ('#' comments), removed by the caller.
std::string write_temp(const std::string& name, std::size_t bytes) {
  std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream out(path, std::ios::binary);
  std::string chunk(1 << 20, '#');
  for (std::size_t left = bytes; left > 0;) {
    std::size_t n = std::min(left, chunk.size());
    out.write(chunk.data(), std::streamsize(n));
    left -= n;
  }
  return path;
}

}  // namespace

TEST_CASE("a file over the size cap is reported with its real size") {
  for (std::size_t bytes : {std::size_t(4'718'592), std::size_t(52'428'800)}) {
    std::string path = write_temp("smtpsim-size-" + std::to_string(bytes) + ".yaml", bytes);
    LoadResult r = load_scenario_file(path);
    std::filesystem::remove(path);
    CHECK(diag_lines(r) == Lines{"the file is too large (" + std::to_string(bytes) +
                                 " bytes; a lesson file may have at most 4194304)"});
  }
}

TEST_CASE("nesting past the limit is reported where it crosses the limit") {
  // flow lists on one line: the bracket that opens level kMaxNesting + 1 (the top map is level 1)
  std::string deep = "hosts: " + std::string(5000, '[');
  CHECK(diag_lines(load(deep)) ==
        Lines{"1:" + std::to_string(8 + kMaxNesting - 1) + ": the file nests deeper than " +
              std::to_string(kMaxNesting) + " levels (lists and maps inside each other; a lesson needs only a few)"});
  // flow lists over many lines: the line of that bracket, and a column on it
  std::string lines = "hosts:\n";
  for (int i = 0; i < 300; ++i) lines += "  [\n";
  CHECK(diag_lines(load(lines)) == Lines{"101:3: the file nests deeper than 100 levels (lists and maps inside each "
                                         "other; a lesson needs only a few)"});
  // block maps indented further and further
  std::string block = "hosts:\n";
  for (int i = 1; i <= 300; ++i) block += std::string(std::size_t(i), ' ') + "k:\n";
  CHECK(diag_lines(load(block)) == Lines{"101:101: the file nests deeper than 100 levels (lists and maps inside "
                                         "each other; a lesson needs only a few)"});
  // a lesson as deep as lessons get is not affected
  CHECK(load(std::string(test::kBase)).ok());
}

TEST_CASE("an unclosed quote is reported where it opens, also without a final newline") {
  for (const char* end : {"\n", ""}) {
    LoadResult r = load(std::string("lesson:\n  title: \"abc") + end);
    CHECK(diag_lines(r) ==
          Lines{"2:10: YAML syntax error: this double-quoted text is never closed: it runs to the end of the file"});
  }
  CHECK(diag_lines(load("lesson:\n  title: 'abc\nhosts: []\n")) ==
        Lines{"2:10: YAML syntax error: this single-quoted text is never closed: it runs to the end of the file"});
  // closed further down, by the next quote: reported where it opens too
  CHECK(diag_lines(load("lesson:\n  title: \"abc\nhosts:\n  - { name: \"r1\", role: router }\n")) ==
        Lines{"2:10: YAML syntax error: this double-quoted text is not closed on its line: it runs on into the keys "
              "below, up to the next quote"});
  // a quoted text may go on over lines further in than its key
  CHECK(load(std::string(test::kBase) + "lesson:\n  title: \"a title\n    over two lines\"\n").ok());
  // quotes inside block texts, plain texts and comments are not quoted texts
  std::string ok = std::string(test::kBase) +
                   "send:\n  - { from: a@a.example, to: b@b.example, subject: It's \"fine\", body: \"x\" }\n"
                   "lesson:\n  title: A's \"lesson\n  summary: >\n    He said \"hi\n    and left. # not a comment\n"
                   "# a comment with a \" quote\n";
  LoadResult r = load(ok);
  INFO(r.format());
  CHECK(r.ok());
}

TEST_CASE("root causes come before the errors they cause") {
  CHECK(diag_lines(load("lesson: { title: t }\nhostss:\n  - { name: r1, role: router }\n")) ==
        Lines{"2:1: unknown key 'hostss' in the lesson file (did you mean 'hosts'?)",
              "1:1: the file has no hosts: section (a lesson needs at least one host)"});
}

TEST_CASE("hosts: [] is an error") {
  CHECK(diag_lines(load("hosts: []\n")) ==
        Lines{"1:8: hosts: the list is empty; a lesson needs at least one host (like - { name: client-a, role: mua, "
              "user: a@a.example, submit: msa.a.example:587 })"});
}

TEST_CASE("a client that logs in to a server without AUTH is warned about at load") {
  std::string text = std::string(test::kBase);
  test::replace(text, "{ name: msa.a.example, role: msa }", "{ name: msa.a.example, role: msa, auth: off }");
  LoadResult r = load(text);
  INFO(r.format());
  REQUIRE(r.ok());
  CHECK(diag_lines(r) == Lines{"5:5: warning: client-a logs in (auth: plain) but msa.a.example has auth: off and "
                               "offers no AUTH: the client will give up with \"no usable AUTH mechanism\" (write "
                               "auth: none on client-a, or turn AUTH on at msa.a.example)"});
  // auth: none on the client: nothing to say
  test::replace(text, "submit: msa.a.example }", "submit: msa.a.example, auth: none }");
  CHECK(load(text).diagnostics.empty());
  // a mechanism the server does not offer
  std::string mechs = std::string(test::kBase);
  test::replace(mechs, "{ name: msa.a.example, role: msa }", "{ name: msa.a.example, role: msa, auth_mechs: login }");
  LoadResult m = load(mechs);
  REQUIRE(m.ok());
  REQUIRE(m.diagnostics.size() == 1);
  CHECK(m.diagnostics[0].message == "client-a logs in with auth: plain, which msa.a.example does not offer (its "
                                     "auth_mechs): the client will give up with \"no usable AUTH mechanism\"");
}
