// cli_live_test.cpp - `smtpsim live`: its refusals (no exposure, unknown host, nothing listening,
// a non-loopback address, a bad --speed) and a short run with --for that prints the ready line,
// writes the CA and stops by itself with its report.
#include <catch2/catch.hpp>

#include "lessons/cli_harness.hpp"

using namespace clitest;

namespace {
const std::string kLesson = kSource + "/tests/live/live_lesson.yaml";
}  // namespace

TEST_CASE("live: unusable command lines exit 2 with a reason", "[cli][live]") {
  Scratch s;
  auto r = s.run({"live", kLesson});
  CHECK(r.status == 2);
  CHECK(r.err.find("nothing to expose") != std::string::npos);
  r = s.run({"live", kLesson, "--expose", "nope.example:25=127.0.0.1:0"});
  CHECK(r.status == 2);
  CHECK(r.err.find("no host 'nope.example'") != std::string::npos);
  r = s.run({"live", kLesson, "--expose", "mx.b.example:26=127.0.0.1:0"});
  CHECK(r.status == 2);
  CHECK(r.err.find("does not listen on port 26") != std::string::npos);
  r = s.run({"live", kLesson, "--expose", "mx.b.example:25=0.0.0.0:0"});
  CHECK(r.status == 2);
  CHECK(r.err.find("--allow-external") != std::string::npos);
  r = s.run({"live", kLesson, "--expose", "mx.b.example:25", "--speed", "fast"});
  CHECK(r.status == 2);
  CHECK(r.err.find("--speed") != std::string::npos);
}

TEST_CASE("live: --for ends the run; the ready line lists the bound ports and the CA is written first",
          "[cli][live]") {
  Scratch s;
  auto r = s.run({"live", kLesson, "--expose", "mx.b.example:25=127.0.0.1:0", "--expose", "pop.b.example:110",
                  "--write-ca", "ca.pem", "--for", "300ms"});
  REQUIRE(r.status == 0);
  auto out = lines(r.out);
  REQUIRE(out.size() >= 3);
  CHECK(out[0].starts_with("ready mx.b.example:25=127.0.0.1:"));
  CHECK(out[0].find(" pop.b.example:110=127.0.0.1:") != std::string::npos);
  CHECK(out[0].find(":0 ") == std::string::npos);  // port 0 was replaced by the one the system picked
  CHECK(r.out.find("stopped at virtual 00:00:00.") != std::string::npos);
  CHECK(r.out.find("still queued: 0 recipient(s)") != std::string::npos);
  CHECK(read_file(s.path("ca.pem")).starts_with("-----BEGIN CERTIFICATE-----"));
}
