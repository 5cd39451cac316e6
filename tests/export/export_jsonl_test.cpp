// export_jsonl_test.cpp - the JSON Lines event log: exact lines per kind, stable field names,
// every line parsed back by Python's json module (strict UTF-8) with text and bytes round-tripped.
#include <catch2/catch.hpp>

#include <sstream>

#include "export/export_fixtures.hpp"
#include "sim/export/export_jsonl.hpp"

using namespace exporttest;
using namespace smtpsim;
using namespace smtpsim::exporter;

namespace {

std::string hex(std::string_view s) {
  static const char d[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

TraceEvent find_first(const std::vector<TraceEvent>& ev, TraceKind k, std::size_t* seq = nullptr) {
  for (std::size_t i = 0; i < ev.size(); ++i)
    if (ev[i].kind == k) {
      if (seq) *seq = i;
      return ev[i];
    }
  FAIL("no event of that kind");
  return {};
}

// line_of - the JSON line of the first event of kind k, with its index as seq.
std::string line_of(const std::vector<TraceEvent>& ev, TraceKind k, const JsonlOptions& opt = {}) {
  std::size_t seq = 0;
  TraceEvent e = find_first(ev, k, &seq);
  return event_json(e, seq, opt);
}

// The documented fields (EVENTS.md); the Python check rejects any other.
const char* kFields =
    "seq t_us t kind host peer conn src dst code text msg rcpt data_len data_b64 "
    "host_b64 peer_b64 text_b64 msg_b64 rcpt_b64";

// kChecker - parses a JSONL file strictly and prints "seq kind text-hex data-hex" per line.
const char* kChecker = R"PY(
import base64, json, sys
raw = open(sys.argv[1], 'rb').read()
text = raw.decode('utf-8')            # strict: invalid UTF-8 raises
allowed = set(sys.argv[2].split())
assert text.endswith('\n')
for line in text.split('\n')[:-1]:
    o = json.loads(line)
    extra = set(o) - allowed
    assert not extra, extra
    for k in ('seq', 't_us', 't', 'kind', 'host'):
        assert k in o, k
    if 'text_b64' in o:
        tb = base64.b64decode(o['text_b64'], validate=True)
    else:
        tb = o.get('text', '').encode('utf-8')
    db = b''
    if 'data_b64' in o:
        db = base64.b64decode(o['data_b64'], validate=True)
        assert len(db) == o['data_len']
    print(o['seq'], o['kind'], tb.hex(), db.hex())
)PY";

std::string python_check(const std::string& jsonl) {
  if (!have_program("python3"))
    FAIL("python3 is not installed: the JSONL tests parse every line with Python's json module");
  std::string file = temp_path(".jsonl"), script = temp_path(".py");
  write_file(file, jsonl);
  write_file(script, kChecker);
  int status = 0;
  std::string out = run("python3 '" + script + "' '" + file + "' '" + kFields + "'", &status, true);
  std::remove(file.c_str());
  std::remove(script.c_str());
  INFO(out);
  REQUIRE(status == 0);
  return out;
}

// hostile_events - text no terminal or JSON parser should choke on.
std::vector<TraceEvent> hostile_events() {
  TraceEvent cmd;
  cmd.time = minutes(1);
  cmd.kind = TraceKind::Command;
  cmd.host = "evil";
  cmd.peer = "mx.b.example";
  cmd.conn = 9;
  const char text[] = "MAIL FROM:<\0\x01\"\\\r\n\xff\xe2\x82 caf\xc3\xa9>";
  cmd.text = std::string(text, sizeof text - 1);
  TraceEvent note;
  note.time = minutes(1);
  note.kind = TraceKind::Note;
  note.host = "caf\xc3\xa9.example";
  note.text = "mail \xf0\x9f\x93\xa7 \xe2\x80\xa8 sent";
  TraceEvent bytes = cmd;
  bytes.kind = TraceKind::BytesSent;
  bytes.text.clear();
  for (int i = 0; i < 256; ++i) bytes.data += static_cast<char>(i);
  return {cmd, note, bytes};
}

}  // namespace

TEST_CASE("jsonl: one exact line per kind, fields present only where they mean something") {
  auto ev = smtp_session();
  CHECK(line_of(ev, TraceKind::ConnOpen) ==
        R"({"seq":0,"t_us":900000000,"t":"00:15:00.000","kind":"conn_open","host":"out1","peer":"mx.b.example",)"
        R"("conn":1,"src":"10.0.0.5:49152","dst":"10.0.1.2:25","text":"SYN"})");
  CHECK(line_of(ev, TraceKind::Reply) ==
        R"({"seq":2,"t_us":900015000,"t":"00:15:00.015","kind":"reply","host":"mx.b.example","peer":"out1",)"
        R"("conn":1,"src":"10.0.1.2:25","dst":"10.0.0.5:49152","code":220,"text":"220 mx.b.example ESMTP smtpsim"})");
  CHECK(line_of(ev, TraceKind::BytesSent) ==
        R"({"seq":3,"t_us":900015000,"t":"00:15:00.015","kind":"bytes_sent","host":"mx.b.example","peer":"out1",)"
        R"("conn":1,"src":"10.0.1.2:25","dst":"10.0.0.5:49152","data_len":32,)"
        R"("data_b64":"MjIwIG14LmIuZXhhbXBsZSBFU01UUCBzbXRwc2ltDQo="})");
  // Delivered bytes are the same as the sent ones: their length only, unless asked.
  CHECK(line_of(ev, TraceKind::BytesDelivered) ==
        R"({"seq":4,"t_us":900030000,"t":"00:15:00.030","kind":"bytes_delivered","host":"mx.b.example",)"
        R"("peer":"out1","conn":1,"src":"10.0.1.2:25","dst":"10.0.0.5:49152","data_len":32})");
  JsonlOptions with_delivered;
  with_delivered.data_on_delivered = true;
  CHECK(line_of(ev, TraceKind::BytesDelivered, with_delivered).find(R"("data_b64":"MjIw)") != std::string::npos);
  JsonlOptions no_data;
  no_data.data = false;
  CHECK(event_json(find_first(ev, TraceKind::BytesSent), 2, no_data).find("data_b64") == std::string::npos);
  CHECK(line_of(ev, TraceKind::ConnClose).find(R"("kind":"conn_close")") !=
        std::string::npos);

  TraceBuilder b;
  b.other(TraceKind::Queue, minutes(15) + msec(300), "out1", "deferred: 451 4.3.0 Try again later; next attempt 00:30:00",
          "m1", "b@b.example");
  b.other(TraceKind::Dns, minutes(15), "out1", "MX b.example -> mx.b.example (10)", {}, {}, 0, "dns");
  b.other(TraceKind::LinkChange, sec(30), "internet", "down", {}, {}, 0, "mx.b.example");
  b.other(TraceKind::Tls, sec(1), "out1", "failed: certificate verify failed", {}, {}, 0);
  auto o = b.raw();
  CHECK(event_json(o[0], 7) ==
        R"({"seq":7,"t_us":900300000,"t":"00:15:00.300","kind":"queue","host":"out1",)"
        R"("text":"deferred: 451 4.3.0 Try again later; next attempt 00:30:00","msg":"m1","rcpt":"b@b.example"})");
  // A DNS rcode, link state and TLS result of 0 mean something: code is always written for them.
  CHECK(event_json(o[1], 8) ==
        R"({"seq":8,"t_us":900000000,"t":"00:15:00.000","kind":"dns","host":"out1","peer":"dns","code":0,)"
        R"J("text":"MX b.example -> mx.b.example (10)"})J");
  CHECK(event_json(o[2], 9).find(R"("kind":"link","host":"internet","peer":"mx.b.example","code":0,"text":"down")") !=
        std::string::npos);
  CHECK(event_json(o[3], 10).find(R"("code":0,"text":"failed: certificate verify failed")") != std::string::npos);
}

TEST_CASE("jsonl: control and binary bytes are escaped, with an exact base64 twin for non-UTF-8 text") {
  auto ev = hostile_events();
  std::string line = event_json(ev[0], 0);
  CHECK(line ==
        R"({"seq":0,"t_us":60000000,"t":"00:01:00.000","kind":"command","host":"evil","peer":"mx.b.example",)"
        R"("conn":9,"text":"MAIL FROM:<\u0000\u0001\"\\\r\n\u00ff\u00e2\u0082 caf)" "\xc3\xa9" R"(>",)"
        R"("text_b64":"TUFJTCBGUk9NOjwAASJcDQr/4oIgY2Fmw6k+"})");
  // Valid UTF-8 stays readable (only the JS line separator is escaped); no _b64 twin needed.
  CHECK(event_json(ev[1], 1) ==
        "{\"seq\":1,\"t_us\":60000000,\"t\":\"00:01:00.000\",\"kind\":\"note\",\"host\":\"caf\xc3\xa9.example\","
        "\"text\":\"mail \xf0\x9f\x93\xa7 \\u2028 sent\"}");
}

TEST_CASE("jsonl: every line of real sessions and hostile text parses in Python and round-trips") {
  std::vector<TraceEvent> all;
  for (auto part : {smtp_session(), pop3_session(), refused_conn(), reset_conn(), hostile_events()})
    all.insert(all.end(), part.begin(), part.end());
  std::ostringstream out;
  CHECK(write_jsonl(out, all) == all.size());
  auto parsed = lines(python_check(out.str()));
  REQUIRE(parsed.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const TraceEvent& e = all[i];
    std::string data = e.kind == TraceKind::BytesSent ? hex(e.data) : "";
    INFO("event " << i);
    CHECK(parsed[i] == std::to_string(i) + " " + to_string(e.kind) + " " + hex(e.text) + " " + data);
  }
}

TEST_CASE("jsonl: the streaming writer matches the whole-trace writer, seq is the trace index") {
  auto ev = smtp_session();
  std::ostringstream whole;
  write_jsonl(whole, ev);

  std::ostringstream streamed;
  Trace trace;
  JsonlWriter w(streamed);
  w.attach(trace);
  for (const TraceEvent& e : ev) trace.emit(e);
  w.detach();
  trace.emit(ev[0]);
  CHECK(streamed.str() == whole.str());
  CHECK(w.lines() == ev.size());
  CHECK(w.ok());

  // Attached after three events: the first line says seq 3.
  Trace late;
  std::ostringstream tail;
  JsonlWriter lw(tail);
  for (int i = 0; i < 3; ++i) late.emit(ev[i]);
  lw.attach(late);
  late.emit(ev[3]);
  CHECK(tail.str().rfind(R"({"seq":3,)", 0) == 0);

  // Without bytes events: fewer lines, seq still counts every event.
  JsonlOptions o;
  o.bytes_events = false;
  std::ostringstream small;
  std::uint64_t n = write_jsonl(small, ev, o);
  CHECK(n == 19);  // open, accept, 5 commands, 10 reply lines, 2 FINs
  CHECK(small.str().find("bytes_") == std::string::npos);
  CHECK(lines(small.str()).back().rfind(R"({"seq":)" + std::to_string(ev.size() - 1) + ",", 0) == 0);
}
