// export_fixtures.hpp - hand-built traces for the exporter tests (SMTP on 25, POP3 on 110, a refused
// and a reset connection), written the way the network and the connection driver trace a run, plus
// helpers to run external readers (tshark, python3) on exported files.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/core/trace.hpp"

namespace exporttest {

using smtpsim::Duration;
using smtpsim::SimTime;
using smtpsim::TraceEvent;
using smtpsim::TraceKind;

struct Endpoint {
  std::string host;
  std::string ip;
  std::uint16_t port = 0;
};

// TraceBuilder - appends events the way a run emits them; sorted() orders them by time (stable).
class TraceBuilder {
 public:
  struct Conn {
    std::uint64_t id = 0;
    Endpoint client, server;
    Duration owd = 0;  // one-way delay
  };

  // open - ConnOpen (SYN) at t.
  Conn open(std::uint64_t id, Endpoint client, Endpoint server, SimTime t, Duration owd);
  // accept - ConnAccept at t: the server accepted (the network traces it at the server's accept
  // time, one SYN travel after conn_open, with host = client).
  void accept(const Conn& c, SimTime t);
  // client_says - Command event + the line with CRLF sent at t; returns its arrival time.
  SimTime client_says(const Conn& c, SimTime t, const std::string& line);
  // server_says - one Reply event per line, then all lines (+ `extra` bytes, e.g. a RETR body) sent
  // as one write at t; returns the arrival time.
  SimTime server_says(const Conn& c, SimTime t, int code, const std::vector<std::string>& lines,
                      const std::string& extra = {});
  // bytes - raw bytes from one side at t (no protocol event); returns arrival time.
  SimTime bytes(const Conn& c, bool from_client, SimTime t, const std::string& data);
  // close - ConnClose (FIN) from one side; text "full" or "half".
  void close(const Conn& c, bool from_client, SimTime t, const std::string& how = "full");
  // reset - ConnReset reported by one side.
  void reset(const Conn& c, bool by_client, SimTime t, const std::string& cause);
  // conn_event - any other connection event (refused, timeout, TLS) from one side.
  void conn_event(const Conn& c, TraceKind k, bool from_client, SimTime t, const std::string& text = {},
                  int code = 0);
  // other - an event without a connection (queue, delivery, DNS, note ...).
  void other(TraceKind k, SimTime t, const std::string& host, const std::string& text,
             const std::string& msg = {}, const std::string& rcpt = {}, int code = 0,
             const std::string& peer = {});

  std::vector<TraceEvent> sorted() const;
  std::vector<TraceEvent>& raw() { return events_; }

 private:
  TraceEvent base(const Conn& c, TraceKind k, bool from_client, SimTime t) const;
  std::vector<TraceEvent> events_;
};

// The SMTP message used by the sessions (headers + a body long enough to need 3 TCP segments,
// with a line that starts with a dot so dot-stuffing shows).
std::string sample_message();
// dot_stuffed - CRLF lines with leading dots doubled, ending with ".\r\n".
std::string dot_stuffed(const std::string& message);

// smtp_session - out1 (10.0.0.5:49152) -> mx.b.example (10.0.1.2:25): greeting, EHLO (multi-line),
// MAIL, RCPT, DATA, the message, QUIT, FIN both ways. conn id 1, starts at 00:15:00.000.
std::vector<TraceEvent> smtp_session();
// pop3_session - client-b (10.0.2.9:49200) -> pop.b.example (10.0.2.2:110): USER, PASS, STAT,
// RETR 1 (the sample message), QUIT. conn id 2.
std::vector<TraceEvent> pop3_session();
// refused_conn - out1 -> mx2.b.example:25, answered with RST. conn id 3.
std::vector<TraceEvent> refused_conn();
// reset_conn - out1 -> mx.b.example:25: greeting, EHLO, then the server crashes (RST). conn id 4.
std::vector<TraceEvent> reset_conn();

// run - a shell command's stdout (stderr discarded unless merge_stderr); exit status in *status.
std::string run(const std::string& command, int* status = nullptr, bool merge_stderr = false);
// have_program - whether `name` is on PATH.
bool have_program(const std::string& name);
// temp_path - a fresh file name in the temp directory.
std::string temp_path(const std::string& suffix);
// write_file / read_file - whole-file helpers (binary).
void write_file(const std::string& path, const std::string& bytes);
std::string read_file(const std::string& path);
// split - text split at `sep` (empty fields kept); lines - split at '\n' without a trailing empty.
std::vector<std::string> split(const std::string& text, char sep);
std::vector<std::string> lines(const std::string& text);

}  // namespace exporttest
