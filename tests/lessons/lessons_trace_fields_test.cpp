// lessons_trace_fields_test.cpp - the story's JSONL says what it means: every reply that answers
// a command names it (`answers` = the seq of the server's received copy, `rx`, on the same
// connection), only greetings answer nothing, every received command is answered, and every
// queue event has its `state` (with `attempt` counting one way on every MTA).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <sstream>

#include "sim/export/export_jsonl.hpp"
#include "sim/export/export_transcript.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

using namespace smtpsim;
namespace fs = std::filesystem;

namespace {

// field - the raw JSON value of `key` in one JSONL line ("" when absent): a number, true, or a
// string without its quotes (the keys read here hold no escapes).
std::string field(const std::string& line, const std::string& key) {
  const std::string k = "\"" + key + "\":";
  auto p = line.find(k);
  if (p == std::string::npos) return "";
  p += k.size();
  if (line[p] == '"') return line.substr(p + 1, line.find('"', p + 1) - p - 1);
  return line.substr(p, line.find_first_of(",}", p) - p);
}

// text_has - whether the line's text field contains `what`.
bool text_has(const std::string& line, const std::string& what) { return field(line, "text").find(what) != std::string::npos; }

}  // namespace

TEST_CASE("story JSONL: every reply that answers a command says which; every queue event has a state") {
  auto loaded = scenario::load_scenario_file((fs::path(SMTPSIM_SOURCE_DIR) / "scenarios" / "lessons" / "story.yaml").string());
  REQUIRE(loaded.ok());
  scenario::ScenarioRun run(*loaded.spec);
  run.run_to_end();
  REQUIRE(run.finish().ok());
  const auto& events = run.world().trace.events();
  std::ostringstream out;
  exporter::JsonlOptions opt;
  opt.bytes_events = false;
  exporter::write_jsonl(out, events, opt);

  struct Cmd {
    std::string conn, text;
    bool answered = false;
  };
  std::map<std::string, Cmd> rx;                 // seq -> received command
  std::map<std::string, bool> greeted;           // conn -> its first reply seen
  std::map<std::string, int> client_cmds, rx_cmds;  // per conn
  int replies = 0, answering = 0, greetings = 0, queue = 0, attempts = 0;
  std::map<std::string, int> last_attempt;       // host + qid -> last attempt number
  std::map<std::string, std::string> relayed;    // a relay's far conn -> the client's conn
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) {
    INFO(line);
    const std::string kind = field(line, "kind");
    std::string conn = field(line, "conn");
    if (kind == "note" && field(line, "text").rfind("forwards connection #", 0) == 0) relayed[conn] = field(line, "code");
    if (relayed.count(conn)) conn = relayed[conn];  // a relay's far side carries the client's session
    if (kind == "command") {
      if (field(line, "rx") == "true") {
        rx[field(line, "seq")] = {conn, field(line, "text")};
        rx_cmds[conn]++;
      } else {
        CHECK(field(line, "rx").empty());
        client_cmds[conn]++;
      }
    } else if (kind == "reply") {
      ++replies;
      const std::string a = field(line, "answers");
      if (a.empty()) {
        // Only a connection's greeting answers nothing in the story.
        CHECK_FALSE(greeted[conn]);
        ++greetings;
      } else {
        ++answering;
        auto c = rx.find(a);
        REQUIRE(c != rx.end());            // a received command before it...
        CHECK(c->second.conn == conn);     // ... on the reply's own connection (or its relay's)
        c->second.answered = true;
      }
      greeted[conn] = true;
    } else if (kind == "queue") {
      ++queue;
      const std::string state = field(line, "state");
      CHECK((state == "queued" || state == "attempt" || state == "deferred" || state == "sent" ||
             state == "delivered" || state == "bounced" || state == "warned" || state == "expired"));
      if (state == "attempt") {
        ++attempts;
        const std::string text = field(line, "text");
        const std::string key = field(line, "host") + " " + text.substr(0, text.find(':'));
        const int n = std::stoi(field(line, "attempt"));
        CHECK(n == last_attempt[key] + 1);  // 1, 2, 3 ... per MTA and queue entry
        CHECK(text.find(": attempt " + std::to_string(n) + " for ") != std::string::npos);
        last_attempt[key] = n;
      }
      if (state == "deferred" && text_has(line, "next attempt at")) CHECK_FALSE(field(line, "next_attempt_us").empty());
      if (state == "queued" || state == "attempt" || state == "deferred") CHECK_FALSE(field(line, "give_up_us").empty());
    }
  }
  for (const auto& [seq, c] : rx) {
    INFO("received command #" << seq << " " << c.text);
    CHECK(c.answered);
  }
  // Every session in the story has a simulated client: the server's copies match its lines one to one
  // (through the cluster's balancer, on the far connection).
  CHECK(client_cmds == rx_cmds);
  CHECK_FALSE(relayed.empty());
  CHECK(replies > 300);
  CHECK(answering + greetings == replies);
  CHECK(greetings == 36);  // one per SMTP and POP3 session
  CHECK(queue > 10);
  CHECK(attempts == 7);  // msa 1, out1.fra 1..5, mx1 1 (the `attempts` expectation's count)

  // The transcript shows each command once: the received copies are left out.
  std::string t = exporter::format_transcript(events, exporter::TranscriptOptions::protocol_only());
  int c_lines = 0;
  for (std::size_t p = 0; (p = t.find("  C: ", p)) != std::string::npos; ++p) ++c_lines;
  int all_client = 0;
  for (const auto& [conn, n] : client_cmds) all_client += n;
  CHECK(c_lines == all_client);
}
