// export_transcript_test.cpp - the human transcript: exact text for a lesson-like trace, the
// protocol-only view, message data lines (SMTP and POP3, dot-stuffing, bare LF, TLS), filters,
// the connection column, and the streaming writer.
#include <catch2/catch.hpp>

#include <sstream>

#include "export/export_fixtures.hpp"
#include "sim/export/export_transcript.hpp"

using namespace exporttest;
using namespace smtpsim;
using namespace smtpsim::exporter;

namespace {

// lesson_trace - a first attempt that times out on mx1, a deferral by mx2, the link coming back,
// a delivery, a bounce, a crash.
std::vector<TraceEvent> lesson_trace() {
  TraceBuilder b;
  b.other(TraceKind::LinkChange, sec(29), "internet", "params latency=30ms bandwidth=0 loss=0.2", {}, {}, 1,
          "mx1.b.example");
  b.other(TraceKind::LinkChange, sec(30), "internet", "down", {}, {}, 0, "mx1.b.example");
  b.other(TraceKind::Fault, sec(31), "mx2.b.example", "rcpt answers 451 4.3.0 Try again later");
  b.other(TraceKind::Dns, minutes(15), "out1", "MX b.example -> mx1.b.example (10), mx2.b.example (20)", {}, {}, 0,
          "dns");
  auto c1 = b.open(5, {"out1", "10.0.0.5", 49160}, {"mx1.b.example", "10.0.1.2", 25}, minutes(15), msec(30));
  b.conn_event(c1, TraceKind::ConnTimeout, true, minutes(15) + sec(30), "no answer to SYN after 5 attempts");
  SimTime t0 = minutes(15) + sec(30);
  auto c = b.open(6, {"out1", "10.0.0.5", 49161}, {"mx2.b.example", "10.0.1.3", 25}, t0, msec(35));
  b.accept(c, t0 + msec(35));
  SimTime t = b.server_says(c, t0 + msec(35), 220, {"220 mx2.b.example ESMTP"});
  t = b.client_says(c, t, "EHLO out1.a.example");
  t = b.server_says(c, t, 250, {"250-mx2.b.example", "250 PIPELINING"});
  t = b.client_says(c, t, "MAIL FROM:<a@a.example>");
  t = b.server_says(c, t, 250, {"250 2.1.0 Ok"});
  t = b.client_says(c, t, "RCPT TO:<b@b.example>");
  t = b.server_says(c, t, 451, {"451 4.3.0 Try again later"});
  b.other(TraceKind::Queue, t, "out1", "deferred: 451 4.3.0 Try again later; next attempt 00:30:30", "m1",
          "b@b.example");
  t = b.client_says(c, t, "QUIT");
  SimTime fin = t;
  t = b.server_says(c, t, 221, {"221 2.0.0 Bye"});
  b.close(c, false, fin);
  b.close(c, true, t);
  b.other(TraceKind::Note, hours(1) + minutes(5), "lesson", "The link to mx1 is back: the next retry will get through.");
  b.other(TraceKind::LinkChange, hours(1) + minutes(5), "internet", "up", {}, {}, 1, "mx1.b.example");
  b.other(TraceKind::Delivery, hours(1) + minutes(15) + msec(812), "mda.b.example", "mailbox b", "m1", "b@b.example");
  b.other(TraceKind::Bounce, hours(4), "out1", "550 5.1.1 User unknown", "m2", "c@c.example");
  b.other(TraceKind::HostDown, hours(5), "mx2.b.example", "crash");
  return b.sorted();
}

std::vector<std::string> tagged(const std::vector<TranscriptLine>& lines, LineTag tag) {
  std::vector<std::string> out;
  for (const TranscriptLine& l : lines)
    if (l.tag == tag) out.push_back(l.text);
  return out;
}

}  // namespace

TEST_CASE("transcript: a lesson trace, every kind of line, aligned columns") {
  CHECK(format_transcript(lesson_trace()) ==
        "[00:00:29.000] internet      -- mx1.b.example  ** LINK params latency=30ms bandwidth=0 loss=0.2 (up)\n"
        "[00:00:30.000] internet      -- mx1.b.example  ** LINK down\n"
        "[00:00:31.000] mx2.b.example                   ** FAULT rcpt answers 451 4.3.0 Try again later\n"
        "[00:15:00.000] out1          -> dns            ** DNS MX b.example -> mx1.b.example (10), mx2.b.example (20)\n"
        "[00:15:00.000] out1          -> mx1.b.example  ** TCP connect 10.0.0.5:49160 -> 10.0.1.2:25 (SYN)\n"
        "[00:15:30.000] out1          -> mx1.b.example  ** TCP connect timed out: no answer from 10.0.1.2:25 "
        "(no answer to SYN after 5 attempts)\n"
        "[00:15:30.000] out1          -> mx2.b.example  ** TCP connect 10.0.0.5:49161 -> 10.0.1.3:25 (SYN)\n"
        "[00:15:30.035] out1          -> mx2.b.example  ** TCP connection established (accepted by mx2.b.example)\n"
        "[00:15:30.035] mx2.b.example -> out1           S: 220 mx2.b.example ESMTP\n"
        "[00:15:30.070] out1          -> mx2.b.example  C: EHLO out1.a.example\n"
        "[00:15:30.105] mx2.b.example -> out1           S: 250-mx2.b.example\n"
        "[00:15:30.105] mx2.b.example -> out1           S: 250 PIPELINING\n"
        "[00:15:30.140] out1          -> mx2.b.example  C: MAIL FROM:<a@a.example>\n"
        "[00:15:30.175] mx2.b.example -> out1           S: 250 2.1.0 Ok\n"
        "[00:15:30.210] out1          -> mx2.b.example  C: RCPT TO:<b@b.example>\n"
        "[00:15:30.245] mx2.b.example -> out1           S: 451 4.3.0 Try again later\n"
        "[00:15:30.280] out1                            ** QUEUE m1 -> b@b.example: deferred: 451 4.3.0 Try again "
        "later; next attempt 00:30:30\n"
        "[00:15:30.280] out1          -> mx2.b.example  C: QUIT\n"
        "[00:15:30.315] mx2.b.example -> out1           S: 221 2.0.0 Bye\n"
        "[00:15:30.315] mx2.b.example -> out1           ** TCP FIN: close\n"
        "[00:15:30.350] out1          -> mx2.b.example  ** TCP FIN: close\n"
        "[01:05:00.000] lesson                          ## The link to mx1 is back: the next retry will get through.\n"
        "[01:05:00.000] internet      -- mx1.b.example  ** LINK up\n"
        "[01:15:00.812] mda.b.example                   ** DELIVERED m1 -> b@b.example: mailbox b\n"
        "[04:00:00.000] out1                            ** BOUNCE m2 -> c@c.example: 550 5.1.1 User unknown\n"
        "[05:00:00.000] mx2.b.example                   ** HOST down: crash\n");
}

TEST_CASE("transcript: commands and replies only, and the connection events of refused and reset connections") {
  CHECK(format_transcript(reset_conn(), TranscriptOptions::protocol_only()) ==
        "[00:17:00.015] mx.b.example -> out1          S: 220 mx.b.example ESMTP smtpsim\n"
        "[00:17:00.030] out1         -> mx.b.example  C: EHLO out1.a.example\n"
        "[00:17:00.045] mx.b.example -> out1          S: 250 mx.b.example\n");
  CHECK(format_transcript(reset_conn()).find(
            "[00:17:01.060] mx.b.example -> out1          ** TCP connection reset (RST): host crash\n"
            "[00:17:01.075] out1         -> mx.b.example  ** TCP connection reset (RST): reset by peer\n") !=
        std::string::npos);
  CHECK(format_transcript(refused_conn()) ==
        "[00:16:00.000] out1          -> mx2.b.example  ** TCP connect 10.0.0.5:49153 -> 10.0.1.3:25 (SYN)\n"
        "[00:16:00.040] out1          -> mx2.b.example  ** TCP connection refused (RST: nothing listening on 10.0.1.3:25)\n");
  TranscriptOptions only_dns = TranscriptOptions::protocol_only();
  only_dns.dns = true;
  only_dns.system = true;
  auto l = transcript_lines(lesson_trace(), only_dns);
  CHECK(l.size() == 6 + 10);  // 3 link changes, fault, DNS, host down + 10 C:/S: lines
}

TEST_CASE("transcript: message data lines as sent, with a line limit") {
  TranscriptOptions o = TranscriptOptions::protocol_only();
  o.data = true;
  auto all = transcript_lines(smtp_session(), o);
  auto data = tagged(all, LineTag::Data);
  REQUIRE(data.size() == 49);  // 48 lines of the message + the "." line
  CHECK(data[0] == "From: A <a@a.example>");
  CHECK(data[5] == "");
  CHECK(data[7] == "..this line starts with a dot");  // dot-stuffed, as on the wire
  CHECK(data.back() == ".");
  // D: lines sit between the 354 and the 250 that accepts the message.
  auto it = std::find_if(all.begin(), all.end(), [](const TranscriptLine& x) { return x.tag == LineTag::Data; });
  REQUIRE(it != all.begin());
  CHECK(std::prev(it)->text.rfind("354 ", 0) == 0);
  CHECK(std::next(it, 49)->text == "250 2.0.0 Ok: queued as 4F3A1");

  o.data_max_lines = 3;
  std::string text = format_transcript(smtp_session(), o);
  CHECK(text.find("[00:15:00.150] out1         -> mx.b.example  D: Subject: Lunch on Friday?\n"
                  "[00:15:00.150] out1         -> mx.b.example  D: ... 45 more lines (2725 bytes) not shown\n"
                  "[00:15:00.150] out1         -> mx.b.example  D: .\n"
                  "[00:15:00.165] mx.b.example -> out1          S: 250 2.0.0 Ok: queued as 4F3A1\n") !=
        std::string::npos);
}

TEST_CASE("transcript: POP3 RETR data goes from the server, other responses are not data") {
  TranscriptOptions o = TranscriptOptions::protocol_only();
  o.data = true;
  o.data_max_lines = 2;
  CHECK(format_transcript(pop3_session(), o) ==
        "[00:20:00.005] pop.b.example -> client-b       S: +OK POP3 server ready\n"
        "[00:20:00.010] client-b      -> pop.b.example  C: USER b\n"
        "[00:20:00.015] pop.b.example -> client-b       S: +OK\n"
        "[00:20:00.020] client-b      -> pop.b.example  C: PASS secret\n"
        "[00:20:00.025] pop.b.example -> client-b       S: +OK Logged in.\n"
        "[00:20:00.030] client-b      -> pop.b.example  C: STAT\n"
        "[00:20:00.035] pop.b.example -> client-b       S: +OK 1 2795\n"
        "[00:20:00.040] client-b      -> pop.b.example  C: RETR 1\n"
        "[00:20:00.045] pop.b.example -> client-b       S: +OK 2795 octets\n"
        "[00:20:00.045] pop.b.example -> client-b       D: From: A <a@a.example>\n"
        "[00:20:00.045] pop.b.example -> client-b       D: To: B <b@b.example>\n"
        "[00:20:00.045] pop.b.example -> client-b       D: ... 46 more lines (2752 bytes) not shown\n"
        "[00:20:00.045] pop.b.example -> client-b       D: .\n"
        "[00:20:00.050] client-b      -> pop.b.example  C: QUIT\n"
        "[00:20:00.055] pop.b.example -> client-b       S: +OK Logging out.\n");
}

TEST_CASE("transcript: only CRLF ends a data line, bare LF and CR are shown, chunks are joined") {
  TraceBuilder b;
  auto c = b.open(8, {"evil", "10.9.9.9", 40000}, {"mx.b.example", "10.0.1.2", 25}, 0, msec(10));
  b.accept(c, msec(10));
  SimTime t = b.client_says(c, msec(20), "DATA");
  t = b.server_says(c, t, 354, {"354 go ahead"});
  t = b.bytes(c, true, t, "Subject: x\r\n\r\nhello\n.\nMAIL FROM:<evil>\r");  // split inside a CRLF
  t = b.bytes(c, true, t + msec(1), "\n\tindented\x01\xff\r\n.\r\nQUIT\r\n");
  TranscriptOptions o = TranscriptOptions::protocol_only();
  o.data = true;
  auto data = tagged(transcript_lines(b.sorted(), o), LineTag::Data);
  CHECK(data == std::vector<std::string>{"Subject: x", "", "hello<LF>.<LF>MAIL FROM:<evil>", "        indented\\x01\\xff",
                                         "."});
}

TEST_CASE("transcript: under TLS the commands stay readable and the data is said to be hidden") {
  TraceBuilder b;
  auto c = b.open(9, {"client-b", "10.0.2.9", 49300}, {"pop.b.example", "10.0.2.2", 110}, 0, msec(5));
  b.accept(c, msec(5));
  SimTime t = b.server_says(c, msec(5), 1, {"+OK ready"});
  t = b.client_says(c, t, "STLS");
  t = b.server_says(c, t, 1, {"+OK Begin TLS negotiation"});
  b.conn_event(c, TraceKind::Tls, false, t - msec(5), "start (server)", 2);
  b.conn_event(c, TraceKind::Tls, true, t, "start (client)", 2);
  t = b.bytes(c, true, t, std::string("\x16\x03\x01\x00\x05hello", 10));
  t = b.bytes(c, false, t, std::string("\x16\x03\x03\x00\x05olleh", 10));
  b.conn_event(c, TraceKind::Tls, true, t, "done TLSv1.3 TLS_AES_256_GCM_SHA384", 1);
  TraceEvent cmd;
  cmd.time = t;
  cmd.kind = TraceKind::Command;
  cmd.host = "client-b";
  cmd.peer = "pop.b.example";
  cmd.conn = 9;
  cmd.text = "RETR 1";
  b.raw().push_back(cmd);
  t = b.bytes(c, true, t, std::string(30, '\x17'));
  TraceEvent rep = cmd;
  rep.time = t;
  rep.kind = TraceKind::Reply;
  std::swap(rep.host, rep.peer);
  rep.code = 1;
  rep.text = "+OK 2795 octets";
  b.raw().push_back(rep);
  b.bytes(c, false, t, std::string(3000, '\x17'));

  TranscriptOptions o;
  o.data = true;
  std::string text = format_transcript(b.sorted(), o);
  CHECK(text.find("client-b      -> pop.b.example  ** TLS start (client)\n") != std::string::npos);
  CHECK(text.find("client-b      -> pop.b.example  ** TLS done TLSv1.3 TLS_AES_256_GCM_SHA384\n") != std::string::npos);
  CHECK(text.find("client-b      -> pop.b.example  C: RETR 1\n") != std::string::npos);
  CHECK(text.find("pop.b.example -> client-b       S: +OK 2795 octets\n"
                  "[00:00:00.035] pop.b.example -> client-b       D: (message data inside TLS: not visible on the "
                  "wire)\n") != std::string::npos);
  CHECK(text.find("\\x17") == std::string::npos);  // ciphertext is never printed as data
}

TEST_CASE("transcript: filters by host and connection, and the connection column") {
  std::vector<TraceEvent> all;
  for (auto part : {smtp_session(), pop3_session(), refused_conn(), reset_conn(), lesson_trace()})
    all.insert(all.end(), part.begin(), part.end());

  TranscriptOptions by_host;
  by_host.hosts = {"client-b"};
  auto l = transcript_lines(all, by_host);
  REQUIRE(l.size() == 15);  // open, established, 11 C:/S:, 2 FINs
  CHECK(std::all_of(l.begin(), l.end(), [](const TranscriptLine& x) { return x.conn == 2; }));

  TranscriptOptions by_conn;
  by_conn.conns = {3, 4};
  l = transcript_lines(all, by_conn);
  CHECK(l.size() == 2 + 7);
  CHECK(std::all_of(l.begin(), l.end(), [](const TranscriptLine& x) { return x.conn == 3 || x.conn == 4; }));

  TranscriptOptions col;
  col.conn_column = true;
  col.conns = {3};
  CHECK(format_transcript(all, col) ==
        "[00:16:00.000] out1          -> mx2.b.example  #3  ** TCP connect 10.0.0.5:49153 -> 10.0.1.3:25 (SYN)\n"
        "[00:16:00.040] out1          -> mx2.b.example  #3  ** TCP connection refused (RST: nothing listening on 10.0.1.3:25)\n");
  col.conns.clear();
  col.hosts = {"mda.b.example"};  // no line with a connection: no empty column
  CHECK(format_transcript(all, col) ==
        "[01:15:00.812] mda.b.example                   ** DELIVERED m1 -> b@b.example: mailbox b\n");

  TranscriptOptions bytes = TranscriptOptions::protocol_only();
  bytes.bytes = true;
  bytes.conns = {3, 4};
  auto b = tagged(transcript_lines(all, bytes), LineTag::Bytes);
  CHECK(b == std::vector<std::string>{"32 bytes sent", "32 bytes delivered", "21 bytes sent", "21 bytes delivered",
                                      "18 bytes sent", "18 bytes delivered"});
}

TEST_CASE("transcript: the streaming writer prints what the whole-trace formatter prints") {
  auto ev = lesson_trace();
  TranscriptOptions o;
  o.host_width = 13;  // the longest name, known up front: identical layout from the first line
  std::ostringstream out;
  {
    Trace trace;
    TranscriptWriter w(out, o);
    w.attach(trace);
    for (const TraceEvent& e : ev) trace.emit(e);
    CHECK(w.lines() == 26);
    CHECK(w.ok());
  }
  CHECK(out.str() == format_transcript(ev));

  // Without a width, columns grow as longer names appear.
  std::ostringstream grow;
  TranscriptWriter w(grow);
  TraceEvent note;
  note.kind = TraceKind::Note;
  note.host = "a";
  note.text = "one";
  w.write(note);
  note.host = "bigger";
  note.text = "two";
  w.write(note);
  note.host = "a";
  note.text = "three";
  w.write(note);
  CHECK(grow.str() ==
        "[00:00:00.000] a       ## one\n"
        "[00:00:00.000] bigger            ## two\n"
        "[00:00:00.000] a                 ## three\n");
}

TEST_CASE("printable: controls, invalid UTF-8 and tabs") {
  CHECK(printable("plain") == "plain");
  CHECK(printable("a\r\nb") == "a<CR><LF>b");
  CHECK(printable(std::string("nul\0!", 5)) == "nul<NUL>!");
  CHECK(printable("\x1b[31mred") == "\\x1b[31mred");
  CHECK(printable("caf\xc3\xa9 \xff") == "caf\xc3\xa9 \\xff");
  CHECK(printable("a\tb") == "a       b");
  CHECK(printable("\xc3\xa9\tx") == "\xc3\xa9       x");  // é is one column
  CHECK(printable("\x7f") == "\\x7f");
  CHECK(printable("a\xc2\x9b" "2Jb\xc2\xa0") == "a\\u009b2Jb\xc2\xa0");  // C1 CSI escaped, NBSP kept
}
