// cli_exports_test.cpp - what a student's capture shows, read back with tshark exactly as they would:
// `smtpsim run --pcap` writes DNS as real DNS over UDP/53, and `--keylog` lets tshark decrypt the
// SMTP and POP3 inside STARTTLS/STLS.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "lessons/cli_harness.hpp"

using clitest::Scratch;

namespace {

// require_tshark - the capture tests read every capture back with tshark (never skipped).
void require_tshark(Scratch& s) {
  if (s.shell("command -v tshark").status != 0)
    FAIL("tshark is not installed (Debian: DEBIAN_FRONTEND=noninteractive apt-get install -y tshark)");
}

// lesson - a lesson file of the repository.
std::string lesson(const std::string& name) { return clitest::kSource + "/scenarios/lessons/" + name; }

}  // namespace

TEST_CASE("run --pcap: dns-failures' DNS queries and answers are real DNS over UDP/53", "[cli][export][dns]") {
  Scratch s;
  require_tshark(s);
  auto r = s.run({"run", lesson("dns-failures.yaml"), "--pcap", "dns.pcap"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  // name, type, response flag, rcode per DNS frame.
  auto t = s.shell("tshark -n -r dns.pcap -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y dns -T fields "
                   "-e udp.srcport -e udp.dstport -e dns.qry.name -e dns.qry.type -e dns.flags.response "
                   "-e dns.flags.rcode -e dns.mx.mail_exchange -e dns.a -e dns.count.answers 2>/dev/null");
  REQUIRE(t.status == 0);
  auto rows = clitest::lines(t.out);
  INFO(t.out);
  REQUIRE(rows.size() >= 10);
  std::set<std::string> queries, answers;
  for (const auto& row : rows) {
    std::vector<std::string> c;
    std::size_t p = 0;
    for (std::size_t tab; (tab = row.find('\t', p)) != std::string::npos; p = tab + 1) c.push_back(row.substr(p, tab - p));
    c.push_back(row.substr(p));
    REQUIRE(c.size() == 9);
    const bool response = c[4] == "1" || c[4] == "True";
    CHECK((response ? c[0] : c[1]) == "53");
    (response ? answers : queries).insert(c[2] + " " + c[3] + " rcode=" + c[5] + " mx=" + c[6] + " a=" + c[7]);
  }
  // Every kind of answer the lesson teaches, as Wireshark names them (type 15 = MX, 1 = A).
  CHECK(queries.count("nowhere.example 15 rcode= mx= a="));  // tshark shows no rcode for a query
  CHECK(answers.count("nowhere.example 15 rcode=3 mx= a="));       // NXDOMAIN
  CHECK(answers.count("flaky.example 15 rcode=2 mx= a="));         // SERVFAIL
  CHECK(answers.count("flaky.example 15 rcode=0 mx=mx.flaky.example a="));  // repaired
  CHECK(answers.count("nomail.example 15 rcode=0 mx=<Root> a="));  // null MX "0 ."
  CHECK(answers.count("mx.flaky.example 1 rcode=0 mx= a=") == 0);  // A answers carry the address
  bool a_answer = false;
  for (const auto& a : answers) a_answer |= std::regex_search(a, std::regex("^mx\\.flaky\\.example 1 rcode=0 mx= a=10\\."));
  CHECK(a_answer);
  // slow.example timed out while its fault lasted: queries with no answer on the wire.
  CHECK(queries.count("slow.example 15 rcode= mx= a="));
  // Nothing malformed or with a bad checksum.
  auto bad = s.shell("tshark -n -r dns.pcap -o udp.check_checksum:TRUE -Y '_ws.malformed || udp.checksum.status == \"Bad\" "
                     "|| _ws.expert.severity == \"Error\"' -T fields -e frame.number 2>/dev/null");
  CHECK(bad.status == 0);
  CHECK(bad.out.empty());
}

TEST_CASE("run --keylog: the story's capture decrypts to MAIL, RCPT, DATA and RETR", "[cli][export][tls]") {
  Scratch s;
  require_tshark(s);
  auto r = s.run({"run", lesson("story.yaml"), "--pcap", "story.pcap", "--keylog", "story.keys"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  std::string keys = clitest::read_file(s.path("story.keys"));
  // NSS key log lines: LABEL <64 hex client random> <hex secret>; TLS 1.3 has five labels per session.
  auto klines = clitest::lines(keys);
  REQUIRE(klines.size() >= 5);
  for (const auto& l : klines)
    CHECK(std::regex_match(l, std::regex("(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|"
                                         "CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) "
                                         "[0-9a-f]{64} [0-9a-f]{64,96}")));
  std::set<std::string> unique(klines.begin(), klines.end());
  CHECK(unique.size() == klines.size());  // each secret once, though both ends of a session log it

  const std::string fields = " -T fields -e smtp.req.command -e pop.request.command";
  // Without the keys: the commands after STARTTLS/STLS are ciphertext.
  auto plain = s.shell("tshark -n -r story.pcap -Y 'smtp.req.command || pop.request.command'" + fields + " 2>/dev/null");
  REQUIRE(plain.status == 0);
  CHECK(plain.out.find("MAIL") == std::string::npos);
  CHECK(plain.out.find("RETR") == std::string::npos);
  // With them: the whole conversation.
  auto dec = s.shell("tshark -n -r story.pcap -o tls.keylog_file:story.keys -Y 'smtp.req.command || pop.request.command'" +
                     fields + " 2>/dev/null");
  REQUIRE(dec.status == 0);
  INFO(dec.out);
  for (const char* cmd : {"MAIL", "RCPT", "DATA", "QUIT", "RETR", "USER", "PASS"})
    CHECK(std::regex_search(dec.out, std::regex(std::string("(^|[\n\t,])") + cmd + "([\t\n,]|$)")));

  // Several lessons need {name} in the path, as --pcap does.
  auto two = s.run({"run", lesson("story.yaml"), lesson("dns-failures.yaml"), "--keylog", "k.keys"});
  CHECK(two.status == 2);
  CHECK(two.err.find("--keylog: several lessons would write to 'k.keys'") != std::string::npos);
}
