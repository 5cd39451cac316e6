// smtp_client_script.hpp - a scripted SMTP server for client engine tests: a transcript of
// server lines (S:), the exact client lines expected back (C:), and driver actions, run against
// SmtpClient both with each server chunk whole and split into single bytes.
//
// Transcript lines:
//   S: text     server line (CRLF added); consecutive S lines are sent as one chunk
//   R: text     raw server bytes, C escapes \r \n \0 \xHH, no CRLF added (joins the S chunk)
//   C: text     client line expected (CRLF added); all C lines between two actions must match the
//               client's output exactly, in order
//   C! start_tls | close | nothing    output flags expected with the preceding C lines
//   T: 5m       advance the virtual clock by a duration, then fire the timer if it is due
//   D: 5m       the client's deadline must be exactly now + duration ("D: never" for none)
//   X: tls ok | tls fail | closed | open   driver calls (on_tls, on_closed, on_open)
//   # comment
#pragma once
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/smtp/smtp_client.hpp"

namespace smtptest {

using namespace smtpsim;
using namespace smtpsim::smtp;

// unescape - \r \n \0 \\ \xHH in R: lines.
inline std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    if (c == 'r') out += '\r';
    else if (c == 'n') out += '\n';
    else if (c == '0') out += '\0';
    else if (c == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

// Harness - drives one SmtpClient like a scheduler would, collecting everything it produces.
struct Harness {
  SmtpClient client;
  SimTime now = 0;
  std::string out;  // bytes written since the last check
  bool start_tls = false;
  bool close = false;
  std::vector<ProtoEvent> events;
  std::vector<MessageResult> results;

  explicit Harness(ClientConfig cfg) : client(std::move(cfg)) {}

  // drain - collect output; fire the timer whenever it is already due (deadline <= now).
  void drain() {
    for (int guard = 0; guard < 100; ++guard) {
      EngineOutput o = client.take_output();
      out += o.bytes;
      start_tls = start_tls || o.start_tls;
      close = close || o.close;
      for (auto& e : o.events) events.push_back(std::move(e));
      for (auto& r : client.take_results()) results.push_back(std::move(r));
      if (client.deadline() > now || client.finished()) return;
      client.on_timer(now);
    }
    FAIL("timer keeps firing");
  }
  void open() { client.on_open(now); drain(); }
  void feed(std::string_view bytes, bool bytewise) {
    if (!bytewise) {
      client.on_bytes(bytes, now);
      drain();
      return;
    }
    for (char c : bytes) {
      client.on_bytes(std::string_view(&c, 1), now);
      drain();
    }
  }
  void advance(Duration d) {
    now += d;
    if (client.deadline() <= now) client.on_timer(now);
    drain();
  }
  // take - the output bytes so far, cleared.
  std::string take() {
    std::string s;
    s.swap(out);
    return s;
  }
  // count - events of a kind whose text contains needle.
  std::size_t count(ProtoEvent::Kind k, std::string_view needle = {}) const {
    std::size_t n = 0;
    for (const auto& e : events)
      if (e.kind == k && e.text.find(needle) != std::string::npos) ++n;
    return n;
  }
  std::vector<std::string> commands() const {
    std::vector<std::string> v;
    for (const auto& e : events)
      if (e.kind == ProtoEvent::Kind::Command) v.push_back(e.text);
    return v;
  }
};

// outcome_lines - results as "id rcpt outcome stage summary" lines, local verdicts marked "(local)".
inline std::vector<std::string> outcome_lines(const std::vector<MessageResult>& results) {
  std::vector<std::string> v;
  for (const auto& m : results)
    for (const auto& r : m.recipients)
      v.push_back(m.id + " " + r.address + " " + to_string(r.outcome) + " " + to_string(r.stage) + " " +
                  (r.local ? "(local) " : "") + r.reply.summary());
  return v;
}

// Script - a configured client, its messages and a transcript.
struct Script {
  ClientConfig cfg;
  std::vector<OutgoingMessage> msgs;
  bool no_more = true;
  std::string transcript;
};

// run_once - play the transcript; every mismatch is a test failure naming the transcript line.
inline Harness run_once(const Script& s, bool bytewise) {
  Harness h(s.cfg);
  for (const auto& m : s.msgs) h.client.enqueue(m);
  if (s.no_more) h.client.no_more_messages();
  h.open();
  std::string chunk;          // pending server bytes
  std::string want;           // expected client bytes
  bool want_tls = false, want_close = false;
  auto flush_server = [&] {
    if (!chunk.empty()) {
      h.feed(chunk, bytewise);
      chunk.clear();
    }
  };
  auto check_client = [&](const std::string& where) {
    INFO("at transcript line: " << where << (bytewise ? " (bytewise)" : " (whole)"));
    CHECK(h.take() == want);
    want.clear();
    CHECK(h.start_tls == want_tls);
    CHECK(h.close == want_close);
    h.start_tls = h.close = false;
    want_tls = want_close = false;
  };
  std::size_t pos = 0;
  const std::string& t = s.transcript;
  std::string last = "(start)";
  bool have_c = false;
  while (pos < t.size()) {
    std::size_t eol = t.find('\n', pos);
    if (eol == std::string::npos) eol = t.size();
    std::string line = t.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && line.front() == ' ') line.erase(0, 1);
    if (line.empty() || line[0] == '#') continue;
    REQUIRE(line.size() >= 2);
    const char tag = line[0];
    const char sep = line[1];
    const std::string arg = line.size() > 3 ? line.substr(3) : std::string();
    if (tag == 'C' && sep == ':') {
      flush_server();
      want += arg + "\r\n";
      have_c = true;
      last = line;
      continue;
    }
    if (tag == 'C' && sep == '!') {
      flush_server();
      if (arg == "start_tls") want_tls = true;
      else if (arg == "close") want_close = true;
      else if (arg != "nothing") FAIL("bad C! flag " << arg);
      have_c = true;
      last = line;
      continue;
    }
    // Any other line ends a block of expected client output.
    if (have_c) {
      check_client(last);
      have_c = false;
    } else if (tag != 'S' && tag != 'R') {
      flush_server();
    }
    if (tag == 'S') {
      chunk += arg + "\r\n";
    } else if (tag == 'R') {
      chunk += unescape(arg);
    } else if (tag == 'T') {
      flush_server();
      auto d = parse_duration(arg);
      REQUIRE(d);
      h.advance(*d);
    } else if (tag == 'D') {
      flush_server();
      INFO("deadline check " << line);
      if (arg == "never") {
        CHECK(h.client.deadline() == kNever);
      } else {
        auto d = parse_duration(arg);
        REQUIRE(d);
        CHECK(h.client.deadline() == h.now + *d);
      }
    } else if (tag == 'X') {
      flush_server();
      if (arg == "tls ok") {
        h.client.on_tls(TlsInfo{true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", true, ""}, h.now);
      } else if (arg == "tls fail") {
        h.client.on_tls(TlsInfo{false, "", "", false, "certificate verify failed"}, h.now);
      } else if (arg == "closed") {
        h.client.on_closed(h.now);
      } else if (arg == "open") {
        h.client.on_open(h.now);
      } else {
        FAIL("bad X: action " << arg);
      }
      h.drain();
    } else {
      FAIL("bad transcript line " << line);
    }
    last = line;
  }
  flush_server();
  if (have_c) check_client(last);
  {
    INFO("client output after the transcript ended");
    CHECK(h.take().empty());
    CHECK_FALSE(h.start_tls);
    CHECK_FALSE(h.close);
  }
  return h;
}

// run - play whole, then bytewise; the outcomes must agree; returns the whole-chunk run.
inline Harness run(const Script& s) {
  Harness whole = run_once(s, false);
  Harness bytes = run_once(s, true);
  CHECK(outcome_lines(bytes.results) == outcome_lines(whole.results));
  CHECK(bytes.commands() == whole.commands());
  return whole;
}

// message - a small message builder for tables.
inline OutgoingMessage message(std::string id, std::string from, std::vector<std::string> rcpts,
                               std::string data = "Subject: hi\r\n\r\nhello\r\n") {
  OutgoingMessage m;
  m.id = std::move(id);
  m.reverse_path = std::move(from);
  for (auto& r : rcpts) m.recipients.push_back(Recipient{std::move(r), 0, ""});
  m.data = std::move(data);
  return m;
}

}  // namespace smtptest
