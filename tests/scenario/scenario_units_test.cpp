// scenario_units_test.cpp - the value forms of lesson files: durations, sizes, bandwidths, loss
// rates, reply lines, names and addresses; and the edit distance behind "did you mean".
#include <catch2/catch.hpp>

#include "scenario/scenario_test_util.hpp"
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/scenario/scenario_units.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;

TEST_CASE("sizes: bytes with 1024-based K/M/G") {
  struct Row { const char* text; std::optional<std::uint64_t> bytes; };
  const Row rows[] = {
      {"512", 512},         {"512B", 512},           {"10KB", 10240},     {"10K", 10240},
      {"10kb", 10240},      {"1.5MB", 1572864},      {"2MiB", 2097152},   {"1GB", 1073741824},
      {"10 MB", 10485760},  {"0.5KB", 512},          {"10XB", std::nullopt}, {"", std::nullopt},
      {"KB", std::nullopt}, {"-1KB", std::nullopt},  {"1.KB", std::nullopt}, {"0.1B", std::nullopt},
      {"10MB/s", std::nullopt}};
  for (const Row& r : rows) {
    INFO(r.text);
    CHECK(parse_size(r.text) == r.bytes);
  }
  CHECK(format_size(10240) == "10KB");
  CHECK(format_size(1000) == "1000B");
  CHECK(format_size(3u * 1024 * 1024 * 1024) == "3GB");
}

TEST_CASE("bandwidth: bits per second with 1000-based k/M/G") {
  struct Row { const char* text; std::optional<std::uint64_t> bps; };
  const Row rows[] = {
      {"9600bit", 9600},          {"56kbit", 56000},         {"10Mbit", 10'000'000},
      {"1Gbit", 1'000'000'000},   {"100Mbps", 100'000'000},  {"1.5Mbit", 1'500'000},
      {"10mbit/s", 10'000'000},   {"10 Mbit", 10'000'000},   {"10MB", std::nullopt},
      {"10", std::nullopt},       {"fast", std::nullopt},    {"10MB/s", std::nullopt}};
  for (const Row& r : rows) {
    INFO(r.text);
    CHECK(parse_bandwidth(r.text) == r.bps);
  }
  CHECK(format_bandwidth(10'000'000) == "10Mbit");
  CHECK(format_bandwidth(1'500'000) == "1500kbit");
  CHECK(bytes_per_second_hint("10MB/s") == "80Mbit");
  CHECK(bytes_per_second_hint("5kBps") == "40kbit");
  CHECK_FALSE(bytes_per_second_hint("10Mbit/s"));
  CHECK_FALSE(bytes_per_second_hint("10Mb/s"));  // lower-case b is bits already
}

TEST_CASE("loss: a probability or a percentage") {
  CHECK(parse_loss("0") == 0.0);
  CHECK(parse_loss("0.05") == Approx(0.05));
  CHECK(parse_loss("1") == 1.0);
  CHECK(*parse_loss("1%") == Approx(0.01));
  CHECK(*parse_loss("0.5%") == Approx(0.005));
  CHECK(*parse_loss("150%") == Approx(1.5));  // the loader rejects it with a range message
  CHECK_FALSE(parse_loss("5 percent"));
  CHECK_FALSE(parse_loss("%"));
}

TEST_CASE("reply lines a behaviour may inject") {
  std::string why;
  auto r = parse_reply_line("451 4.3.0 Try again later", &why);
  REQUIRE(r);
  CHECK(r->code == 451);
  CHECK(r->enhanced == "4.3.0");
  CHECK(r->line == "451 4.3.0 Try again later");
  CHECK(parse_reply_line("554")->code == 554);
  CHECK(parse_reply_line("  250 ok  ")->line == "250 ok");
  auto pop = parse_reply_line("-ERR [SYS/TEMP] busy");
  REQUIRE(pop);
  CHECK(pop->pop3);
  CHECK(pop->code == 2);
  CHECK(parse_reply_line("+OK")->code == 1);
  struct Bad { const char* text; const char* why; };
  const Bad bad[] = {
      {"45 try later", "a reply starts with a three-digit code"},
      {"451-4.3.0 more", "the code is followed by a space (multi-line replies cannot be injected)"},
      {"651 no", "the code's first digit is 2, 3, 4 or 5"},
      {"491 no", "the code's second digit is 0 to 5"},
      {"451 5.3.0 mixed", "the enhanced status code's class must match the reply code's first digit"},
      {"451 4.x.0 pattern", "the enhanced status code looks like 4.3.0"},
      {"451 a\r\n250 b", "a reply is one line"},
      {"-ERRnope", "+OK / -ERR is followed by a space"}};
  for (const Bad& b : bad) {
    INFO(b.text);
    why.clear();
    CHECK_FALSE(parse_reply_line(b.text, &why));
    CHECK(why == b.why);
  }
  CHECK_FALSE(parse_reply_line(std::string(600, '5')));
}

TEST_CASE("names, addresses and status patterns") {
  for (const char* ok : {"mx1.b.example", "client-c", "dns", "out_1.fra", "a.b.c.d"}) {
    INFO(ok);
    CHECK(valid_host_name(ok));
  }
  const std::string too_long_label(64, 'a');
  for (const std::string& bad : {std::string(""), std::string("-mx"), std::string("mx-"),
                                 std::string("a..b"), std::string("mx 1"), std::string("a."),
                                 std::string(".a"), std::string("m@x"), too_long_label}) {
    INFO(bad);
    CHECK_FALSE(valid_host_name(bad));
  }
  for (const char* ok : {"b@b.example", "first.last@a.example", "x+tag@a.example", "o'neil@a.example"}) {
    INFO(ok);
    CHECK(valid_address(ok));
  }
  for (const char* bad : {"bob", "@b.example", "b@", "b@my_host.example", ".b@b.example", "b.@b.example",
                          "a..b@b.example", "a b@b.example", "a@b..example"}) {
    INFO(bad);
    CHECK_FALSE(valid_address(bad));
  }
  for (const char* ok : {"5.1.1", "5.x.x", "4.4.X", "2.0.0", "5.7.26"}) CHECK(valid_status_pattern(ok));
  for (const char* bad : {"5.1", "6.1.1", "5-1-1", "5.1.1.1", "x.1.1", "5.1234.1"}) {
    INFO(bad);
    CHECK_FALSE(valid_status_pattern(bad));
  }
}

TEST_CASE("edit distance and suggestions") {
  CHECK(edit_distance("latency", "latency") == 0);
  CHECK(edit_distance("latncy", "latency") == 1);
  CHECK(edit_distance("latnecy", "latency") == 1);  // a swap of neighbours counts once
  CHECK(edit_distance("Latency", "latency") == 0);  // case does not count
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  const std::vector<std::string> keys{"between", "latency", "bandwidth", "loss", "state"};
  CHECK(closest("latncy", keys) == "latency");
  CHECK(closest("Latency", keys) == "latency");
  CHECK(closest("bandwith", keys) == "bandwidth");
  CHECK(closest("los", keys) == "loss");
  CHECK(closest("bandw", keys) == "bandwidth");  // cut short
  CHECK(closest("greylist", {"greylisting", "tarpit"}) == "greylisting");
  CHECK(closest("lat", keys).empty());  // too short to guess from
  CHECK(closest("colour", keys).empty());  // nothing near: no suggestion
  CHECK(closest("xy", keys).empty());
  CHECK(did_you_mean("stat", keys) == " (did you mean 'state'?)");
  CHECK(did_you_mean("zzzzzz", keys).empty());
  CHECK(join_list({"a", "b", "c"}) == "a, b, c");
  CHECK(join_list({"a", "b", "c"}, 2) == "a, b, ... (3 in all)");
}

TEST_CASE("durations and times as lesson files write them") {
  // each row is the latency of a link; the loader uses parse_duration from sim/core/time.hpp
  struct Row { const char* text; Duration value; const char* error; };
  const Row rows[] = {
      {"250ms", msec(250), nullptr},
      {"15m", minutes(15), nullptr},
      {"4h", hours(4), nullptr},
      {"1h5m", hours(1) + minutes(5), nullptr},
      {"2d", days(2), nullptr},
      {"100us", 100, nullptr},
      {"0", 0, nullptr},
      {"soon", 0, "latency: expected a duration like 15m or 250ms, got 'soon'"},
      {"15", 0, "latency: expected a duration like 15m or 250ms, got '15' (add a unit: us, ms, s, m, h or d)"},
      {"1.5h", 0, "latency: expected a duration like 15m or 250ms, got '1.5h' (whole numbers only: write 1h30m for 1.5h)"},
      {"'1 h'", 0, "latency: expected a duration like 15m or 250ms, got '1 h' (no spaces: write 1h5m)"},
      {"-5ms", 0, "latency: cannot be negative, got '-5ms'"},
      {"[1, 2]", 0, "latency: expected a duration like 15m or 250ms, got a list"},
      {"", 0, "latency: expected a duration like 15m or 250ms, got nothing"}};
  for (const Row& r : rows) {
    INFO(r.text);
    std::string text = "hosts:\n  - { name: r1, role: router }\n  - { name: r2, role: router }\n"
                       "links:\n  - { between: [r1, r2], latency: " + std::string(r.text) + " }\n";
    LoadResult res = test::load(text);
    if (!r.error) {
      REQUIRE(res.ok());
      CHECK(res.spec->links[0].latency == r.value);
    } else {
      REQUIRE(res.diagnostics.size() == 1);
      CHECK(res.diagnostics[0].message == r.error);
      CHECK(res.diagnostics[0].line == 5);
    }
  }
}

TEST_CASE("sizes, bandwidths and loss rates through the loader") {
  auto link = [](const std::string& extra) {
    return test::load("hosts:\n  - { name: r1, role: router }\n  - { name: r2, role: router }\n"
                      "links:\n  - { between: [r1, r2], " + extra + " }\n");
  };
  LoadResult ok = link("bandwidth: 56kbit, loss: 2%");
  REQUIRE(ok.ok());
  CHECK(ok.spec->links[0].bandwidth_bps == 56000);
  CHECK(ok.spec->links[0].loss == Approx(0.02));
  CHECK(link("bandwidth: unlimited").spec->links[0].bandwidth_bps == 0);
  CHECK(test::diag_lines(link("bandwidth: 1000")) ==
        std::vector<std::string>{"5:37: bandwidth: expected a bandwidth like 10Mbit or 1Gbit, got "
                                 "'1000' (add a unit: bit, kbit, Mbit or Gbit)"});
  CHECK(test::diag_lines(link("loss: -0.1")) ==
        std::vector<std::string>{"5:32: loss: cannot be negative, got '-0.1'"});
  CHECK(test::diag_lines(link("loss: often")) ==
        std::vector<std::string>{"5:32: loss: expected a loss rate from 0 to 1 or a percentage "
                                 "like 1%, got 'often'"});
}
