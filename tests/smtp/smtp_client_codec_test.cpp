// smtp_client_codec_test.cpp - the client's wire encodings: DATA body preparation (checked against
// a plain byte-by-byte reference on random inputs), base64, xtext and path checks.
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/base64.hpp"
#include "sim/core/rng.hpp"
#include "sim/smtp/smtp_client_codec.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;

namespace {

// reference_body - the obvious byte loop append_body must agree with.
std::string reference_body(std::string_view d, BodyStats& st) {
  std::string out;
  std::size_t i = 0;
  while (i < d.size()) {
    if (d[i] == '.') {
      out += '.';
      ++st.stuffed;
    }
    std::size_t len = 0;
    while (i < d.size() && d[i] != '\r' && d[i] != '\n') {
      if (static_cast<unsigned char>(d[i]) >= 0x80) st.eight_bit = true;
      out += d[i++];
      ++len;
    }
    st.longest = std::max(st.longest, len);
    st.size += len + 2;
    ++st.lines;
    out += "\r\n";
    if (i == d.size()) break;
    if (d[i] == '\r' && i + 1 < d.size() && d[i + 1] == '\n') {
      i += 2;
    } else {
      ++st.normalised;
      ++i;
    }
  }
  return out + ".\r\n";
}

}  // namespace

TEST_CASE("client codec: append_body agrees with the byte-by-byte reference", "[smtp][client][codec]") {
  Rng rng(7);
  const char alphabet[] = {'a', 'b', '.', '\r', '\n', '\x80', ' ', 'z'};
  for (int round = 0; round < 3000; ++round) {
    std::string d;
    const auto n = rng.below(120);
    for (std::uint64_t i = 0; i < n; ++i) {
      // Mostly plain text with long clean runs, so the 8-byte fast path is exercised too.
      d += rng.chance(0.8) ? static_cast<char>('a' + rng.below(26)) : alphabet[rng.below(sizeof alphabet)];
    }
    BodyStats want;
    const std::string expect = reference_body(d, want);
    std::string got = "prefix";
    const BodyStats st = append_body(got, d);
    INFO("round " << round);
    REQUIRE(got == "prefix" + expect);
    CHECK(st.size == want.size);
    CHECK(st.lines == want.lines);
    CHECK(st.stuffed == want.stuffed);
    CHECK(st.normalised == want.normalised);
    CHECK(st.longest == want.longest);
    CHECK(st.eight_bit == want.eight_bit);
  }
}

TEST_CASE("client codec: append_body finds one 8-bit octet anywhere in long lines", "[smtp][client][codec]") {
  // Long clean lines take the 16-octet scan; a single 0x80 octet before, at or after a line end
  // inside the same 16-octet block must be seen exactly when it is in the data.
  Rng rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::string d;
    const auto n = 1 + rng.below(200);
    for (std::uint64_t i = 0; i < n; ++i) d += rng.chance(0.04) ? (rng.chance(0.5) ? '\n' : '\r') : 'x';
    if (rng.chance(0.5)) d[rng.below(d.size())] = '\x80';
    BodyStats want;
    const std::string expect = reference_body(d, want);
    std::string got;
    const BodyStats st = append_body(got, d);
    INFO("round " << round);
    REQUIRE(got == expect);
    CHECK(st.eight_bit == want.eight_bit);
    CHECK(st.longest == want.longest);
    CHECK(st.lines == want.lines);
  }
}

TEST_CASE("client codec: base64, xtext, path checks", "[smtp][client][codec]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\0alice\0secret", 13)) == "AGFsaWNlAHNlY3JldA==");
  CHECK(base64_encode("\xff\xfe") == "//4=");
  CHECK(xtext_encode("abc") == "abc");
  CHECK(xtext_encode("a+b=c d") == "a+2Bb+3Dc+20d");
  CHECK(xtext_encode("\x01\xe9") == "+01+E9");
  CHECK(path_problem("bob@b.example").empty());
  CHECK(path_problem("\"john doe\"@b.example").empty());
  CHECK(path_problem("").empty());  // the null path
  CHECK(path_problem("a\r\nRCPT TO:<x>") == "control character in address");
  CHECK(path_problem("a>b") == "angle bracket in address");
  CHECK(path_problem(std::string(255, 'a')) == "address longer than 254 octets (RFC 5321 4.5.3.1.3)");
}
