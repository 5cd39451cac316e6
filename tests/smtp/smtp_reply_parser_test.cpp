// smtp_reply_parser_test.cpp - the incremental SMTP reply parser: tables of bytes -> replies or errors,
// each input also fed split at every byte and one byte at a time.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/smtp/smtp_reply_parser.hpp"

using smtpsim::smtp::parse_enhanced_code;
using smtpsim::smtp::Reply;
using smtpsim::smtp::ReplyLimits;
using smtpsim::smtp::ReplyParser;

namespace {

// Parsed - everything the parser produced for one input, as a comparable log.
struct Parsed {
  std::vector<std::string> replies;  // "code|enhanced|line1\nline2"
  std::string error;
  std::size_t pending = 0;
  bool operator==(const Parsed&) const = default;
};

std::string show(const Reply& r) { return std::to_string(r.code) + "|" + r.enhanced + "|" + r.text(); }

// feed_chunks - feed the chunks in order, collecting replies.
Parsed feed_chunks(const std::vector<std::string>& chunks, ReplyLimits limits = {}) {
  ReplyParser p(limits);
  Parsed out;
  for (const auto& c : chunks) {
    std::string_view in = c;
    while (auto r = p.next(in)) out.replies.push_back(show(*r));
    if (p.failed()) break;
    REQUIRE(in.empty());  // without a reply to stop at, a chunk is consumed fully
  }
  out.error = p.error();
  out.pending = p.pending();
  return out;
}

// all_splits - the same input fed whole, split at every position, and byte by byte must agree.
Parsed all_splits(const std::string& input, ReplyLimits limits = {}) {
  const Parsed whole = feed_chunks({input}, limits);
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    INFO("split at " << cut);
    const Parsed two = feed_chunks({input.substr(0, cut), input.substr(cut)}, limits);
    REQUIRE(two.replies == whole.replies);
    REQUIRE(two.error.empty() == whole.error.empty());
  }
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  const Parsed single = feed_chunks(bytes, limits);
  REQUIRE(single.replies == whole.replies);
  REQUIRE(single.error.empty() == whole.error.empty());
  return whole;
}

}  // namespace

TEST_CASE("reply parser: well-formed replies, whole and split at every byte", "[smtp][reply_parser]") {
  struct Row {
    std::string in;
    std::vector<std::string> replies;
    std::size_t pending;
  };
  const std::vector<Row> rows = {
      {"220 mx.example ESMTP\r\n", {"220||mx.example ESMTP"}, 0},
      {"250 2.1.0 Ok\r\n", {"250|2.1.0|2.1.0 Ok"}, 0},
      {"250\r\n", {"250||"}, 0},
      {"250 \r\n", {"250||"}, 0},
      {"250-mx.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n",
       {"250||mx.example\nPIPELINING\nSIZE 10240000\n8BITMIME"}, 0},
      {"550-5.1.1 first\r\n550 5.1.1 second\r\n", {"550|5.1.1|5.1.1 first\n5.1.1 second"}, 0},
      {"250 ok\r\n354 go ahead\r\n", {"250||ok", "354||go ahead"}, 0},
      {"250-\r\n250 last\r\n", {"250||\nlast"}, 0},
      {"221 2.0.0 Bye\r\n250 par", {"221|2.0.0|2.0.0 Bye"}, 7},
      {"451 4.3.0 caf\xc3\xa9 \x01 ok\r\n", {"451|4.3.0|4.3.0 caf\xc3\xa9 \x01 ok"}, 0},
      {"250 2.0.0\r\n", {"250|2.0.0|2.0.0"}, 0},
      {"250 5.1.1 wrong class\r\n", {"250||5.1.1 wrong class"}, 0},
      {"550 5.1.1x\r\n", {"550||5.1.1x"}, 0},
      {"550 5.1234.1 too long\r\n", {"550||5.1234.1 too long"}, 0},
      {"452 4.5.3 Too many recipients\r\n", {"452|4.5.3|4.5.3 Too many recipients"}, 0},
      {"", {}, 0},
      {"250-partial\r\n", {}, 7},
  };
  for (const auto& row : rows) {
    INFO("input: " << row.in);
    const Parsed got = all_splits(row.in);
    CHECK(got.error.empty());
    CHECK(got.replies == row.replies);
    CHECK(got.pending == row.pending);
  }
}

TEST_CASE("reply parser: hostile or malformed bytes give a sticky error", "[smtp][reply_parser]") {
  struct Row {
    std::string in;
    std::vector<std::string> replies_before;  // replies completed before the bad line
    std::string error_has;
  };
  const std::vector<Row> rows = {
      {"HELLO\r\n", {}, "expected a 3-digit reply code"},
      {"25 short\r\n", {}, "expected a 3-digit reply code"},
      {"2a0 x\r\n", {}, "expected a 3-digit reply code"},
      {"250x ok\r\n", {}, "expected space or '-' after the code"},
      {"250_ok\r\n", {}, "expected space or '-' after the code"},
      {"999 nine\r\n", {}, "reply code 999 out of range"},
      {"150 preliminary\r\n", {}, "reply code 150 out of range"},
      {"600 big\r\n", {}, "reply code 600 out of range"},
      {"270 bad second digit\r\n", {}, "reply code 270 out of range"},
      {"250 ok\n", {}, "bare LF"},
      {"250 ok\r\n250 next\n", {"250||ok"}, "bare LF"},
      {"250 o\rk\r\n", {}, "bare CR"},
      {"250 ok\r\r\n", {}, "bare CR"},
      {"250-a\r\n251 b\r\n", {}, "changes its code from 250 to 251"},
      {"250-a\r\njunk\r\n", {}, "expected a 3-digit reply code"},
  };
  for (const auto& row : rows) {
    INFO("input: " << row.in);
    const Parsed got = all_splits(row.in);
    CHECK(got.replies == row.replies_before);
    CHECK_THAT(got.error, Catch::Contains(row.error_has));
    CHECK(got.pending == 0);
  }
}

TEST_CASE("reply parser: NUL inside a line", "[smtp][reply_parser]") {
  const std::string in("250 o\0k\r\n", 9);
  const Parsed got = all_splits(in);
  CHECK(got.replies.empty());
  CHECK_THAT(got.error, Catch::Contains("NUL byte"));
}

TEST_CASE("reply parser: limits bound memory", "[smtp][reply_parser]") {
  ReplyLimits lim;
  lim.max_line = 32;
  lim.max_lines = 3;
  lim.max_total = 40;
  // A line of exactly max_line bytes including CRLF is fine; one more byte is not.
  const std::string ok = "250 " + std::string(26, 'a') + "\r\n";
  REQUIRE(ok.size() == 32);
  CHECK(all_splits(ok, lim).error.empty());
  const std::string too_long = "250 " + std::string(27, 'a') + "\r\n";
  CHECK_THAT(all_splits(too_long, lim).error, Catch::Contains("longer than 32 bytes"));
  // An endless line without CRLF fails as soon as it passes the limit, not at the end.
  {
    ReplyParser p(lim);
    std::string_view in1 = "250 aaaaaaaaaaaaaaaaaaaaaaaaaa";  // 30 bytes: still fine
    CHECK_FALSE(p.next(in1));
    CHECK_FALSE(p.failed());
    std::string_view in2 = "a";
    CHECK_FALSE(p.next(in2));
    CHECK(p.failed());
    CHECK(p.pending() == 0);
  }
  CHECK_THAT(all_splits("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", lim).error, Catch::Contains("longer than 3 lines"));
  CHECK(all_splits("250-a\r\n250-b\r\n250 c\r\n", lim).error.empty());
  const std::string big = "250-" + std::string(25, 'x') + "\r\n250 " + std::string(16, 'y') + "\r\n";
  CHECK_THAT(all_splits(big, lim).error, Catch::Contains("larger than 40 bytes"));
}

TEST_CASE("reply parser: stops right after each reply and resets", "[smtp][reply_parser]") {
  ReplyParser p;
  std::string_view in = "220 2.0.0 Ready to start TLS\r\n250 injected\r\n";
  auto r = p.next(in);
  REQUIRE(r);
  CHECK(r->code == 220);
  CHECK(in == "250 injected\r\n");  // the caller decides what to do with the rest
  std::string_view junk = "garbage\r\n";
  CHECK_FALSE(p.next(junk));
  CHECK(p.failed());
  CHECK_FALSE(p.next(in));  // sticky
  p.reset();
  CHECK_FALSE(p.failed());
  auto r2 = p.next(in);
  REQUIRE(r2);
  CHECK(r2->code == 250);
}

TEST_CASE("reply: helpers", "[smtp][reply_parser]") {
  Reply r{550, "5.1.1", {"5.1.1 <bob@b.example>: Recipient address rejected", "5.1.1 second"}};
  CHECK(r.summary() == "550 5.1.1 <bob@b.example>: Recipient address rejected");
  CHECK(r.message() == "<bob@b.example>: Recipient address rejected");
  CHECK(r.wire() == "550-5.1.1 <bob@b.example>: Recipient address rejected\r\n550 5.1.1 second\r\n");
  CHECK(r.permanent());
  CHECK_FALSE(r.transient());
  Reply local{0, "4.4.2", {"4.4.2 timed out"}};
  CHECK(local.summary() == "4.4.2 timed out");
  CHECK(Reply{250, "", {}}.wire() == "250\r\n");

  CHECK(parse_enhanced_code("2.1.0 Ok", 250) == "2.1.0");
  CHECK(parse_enhanced_code("4.7.1", 454) == "4.7.1");
  CHECK(parse_enhanced_code("5.7.11 Encryption required", 538) == "5.7.11");
  CHECK(parse_enhanced_code("5.100.999 x", 550) == "5.100.999");
  CHECK(parse_enhanced_code("5.1000.1 x", 550).empty());
  CHECK(parse_enhanced_code("5.1. x", 550).empty());
  CHECK(parse_enhanced_code("3.0.0 x", 354).empty());
  CHECK(parse_enhanced_code("4.1.1 x", 550).empty());
  CHECK(parse_enhanced_code("", 550).empty());
}
