// cli_refusal_text_test.cpp - a timeline refusal written as a bare code (`data: 554`) is sent
// with the catalogue's words for the command it refuses, not the first text that has its code.
#include <catch2/catch.hpp>

#include <string>

#include "lessons/cli_harness.hpp"

using clitest::Scratch;

using clitest::has_line;
using clitest::with_timeline;

TEST_CASE("a refusal override without words gets the words for the command it refuses", "[cli][run]") {
  Scratch s;
  // DATA refused with a bare 554: DATA's own 554 ("no valid recipients"), not the first 554 of
  // the catalogue (the greeting's "No SMTP service here").
  s.write("t.yaml", with_timeline("  - { at: 0s, host: mx.b.example, behaviour: { data: 554 } }\n"
                                  "  - { at: 30s, host: mx.b.example, behaviour: { data: normal } }\n"));
  auto r = s.run({"run", "--transcript", "t.yaml"});
  INFO(r.out);
  CHECK(has_line(r.out, "S: 554 5.0.0 Error: no valid recipients"));
  CHECK_FALSE(has_line(r.out, "No SMTP service here"));
}
