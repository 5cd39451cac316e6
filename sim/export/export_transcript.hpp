// export_transcript.hpp - the human transcript: one aligned line per command, reply and notable
// event, with virtual time, hosts and direction, readable on a projector:
//   [00:15:00.120] out1         -> mx.b.example  C: MAIL FROM:<a@a.example>
//   [00:15:00.150] mx.b.example -> out1          S: 250 2.1.0 Ok
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/core/trace_pairing.hpp"
#include "sim/export/export_subscription.hpp"

namespace smtpsim::exporter {

// LineTag - the two-character marker after the hosts.
enum class LineTag : unsigned char {
  Command,  // "C:" a client command line
  Reply,    // "S:" a server reply line
  Data,     // "D:" a line of message data (SMTP DATA, POP3 RETR/TOP), as sent on the wire
  Event,    // "**" connection, TLS, queue, delivery, bounce, DNS, fault, host, link
  Note,     // "##" a note (narration, protocol note, expectation)
  Bytes,    // ".." a chunk of bytes on the wire (only with TranscriptOptions::bytes)
};
const char* tag_text(LineTag t);

// TranscriptLine - one line before layout; a visualizer can colour by tag and draw its own columns.
struct TranscriptLine {
  SimTime time = 0;
  std::string from;       // the acting/sending host (the event's host)
  std::string to;         // the other end (the event's peer); empty when there is none
  bool undirected = false;  // a link between from and to (drawn "--" instead of "->")
  std::uint64_t conn = 0;
  LineTag tag = LineTag::Event;
  std::string text;       // printable(): safe for a terminal (see printable below)
};

struct TranscriptOptions {
  bool connections = true;  // TCP open/established/refused/timeout/reset/close, TLS steps
  bool mail = true;         // queue changes, deliveries, bounces
  bool dns = true;          // resolver queries and answers
  bool system = true;       // host up/down, link changes, faults
  bool notes = true;        // notes (narration, protocol notes)
  bool data = false;        // message data lines (D:) rebuilt from the plaintext wire bytes
  std::size_t data_max_lines = 0;  // with data: show at most this many lines per message (0 = all)
  bool bytes = false;       // one ".." line per bytes_sent / bytes_delivered chunk
  std::vector<std::string> hosts;    // keep events whose host or peer is listed (empty = all)
  std::vector<std::uint64_t> conns;  // keep events of these connections only (empty = all)
  std::size_t host_width = 0;        // minimum host column width (0 = as wide as the names need)
  bool conn_column = false;          // add a "#<conn>" column after the hosts

  // protocol_only - commands and replies only (the classic SMTP dialogue view).
  static TranscriptOptions protocol_only();
};

// TranscriptFormatter - turns events into lines. It keeps per-connection state so that, with
// `data`, message data can be shown from the wire bytes (SMTP after 354 until ".", POP3 after the
// +OK of RETR/TOP until "."); after a side starts TLS its bytes are ciphertext and are not shown.
class TranscriptFormatter {
 public:
  explicit TranscriptFormatter(TranscriptOptions opt = {});
  // lines - the lines one event produces (none when filtered out), appended to `out` in order.
  void lines(const TraceEvent& e, std::vector<TranscriptLine>& out);
  const TranscriptOptions& options() const { return opt_; }

  // ConnState - what data tracking remembers about one connection.
  struct ConnState {
    std::string client, server;   // host names, once known
    bool client_tls = false;      // the client started TLS: its later bytes are ciphertext
    bool server_tls = false;
    bool smtp_data = false;       // SMTP: between the 354 and the client's "." line
    std::string client_buf;       // SMTP: partial client line
    enum class Proto : unsigned char { Unknown, Smtp, Pop3 } proto = Proto::Unknown;
    std::vector<std::string> pending;  // POP3: commands still waiting for their status line
    enum class Body : unsigned char { None, Message, Listing } body = Body::None;
    std::string server_buf;       // POP3: partial server line
    std::size_t shown = 0;        // data lines shown / hidden for the current message
    std::size_t hidden = 0;
    std::size_t hidden_bytes = 0;
    bool client_closed = false, server_closed = false;
  };

 private:
  void data_line(ConnState& st, const TraceEvent& e, bool from_client, std::string_view line,
                 std::vector<TranscriptLine>& out, bool always = false);
  void data_end(ConnState& st, const TraceEvent& e, bool from_client, std::vector<TranscriptLine>& out);
  void smtp_bytes(ConnState& st, const TraceEvent& e, std::vector<TranscriptLine>& out);
  void pop3_bytes(ConnState& st, const TraceEvent& e, std::vector<TranscriptLine>& out);
  bool keep(const TraceEvent& e) const;
  void track_tcp(const TraceEvent& e);
  void track_data(const TraceEvent& e, std::vector<TranscriptLine>& out);

  TranscriptOptions opt_;
  std::unordered_map<std::uint64_t, ConnState> conns_;
  CommandSides sides_;  // which received command copies are duplicates
  std::unordered_map<std::uint64_t, int> established_;  // accepted connections -> FINs seen
};

// TranscriptLayout - column widths for render_line.
struct TranscriptLayout {
  std::size_t host_width = 0;   // width of each host column
  bool conn_column = false;
  std::size_t conn_width = 0;   // width of the "#<conn>" column
};

// render_line - one line of text (no newline): "[time] from -> to  [#conn  ]TAG text", host
// columns padded to layout.host_width; without a `to`, its column is blank.
std::string render_line(const TranscriptLine& line, const TranscriptLayout& layout);
// layout_for - the layout that fits all `lines` (and the options' minimum widths).
TranscriptLayout layout_for(const std::vector<TranscriptLine>& lines, const TranscriptOptions& opt);

// TranscriptWriter - streams lines to `out` as events come. Columns grow as longer host names
// appear (set TranscriptOptions::host_width to the longest host name up front for a stable layout).
// Not copyable or movable (the subscription points at it).
class TranscriptWriter {
 public:
  explicit TranscriptWriter(std::ostream& out, TranscriptOptions opt = {});
  ~TranscriptWriter();
  TranscriptWriter(const TranscriptWriter&) = delete;
  TranscriptWriter& operator=(const TranscriptWriter&) = delete;

  // write - the lines of one event.
  void write(const TraceEvent& e);
  // attach - write every event `trace` emits from now on; detach - stop.
  void attach(Trace& trace);
  void detach();
  void flush();
  std::uint64_t lines() const { return lines_; }
  bool ok() const;

 private:
  std::ostream& out_;
  TranscriptFormatter fmt_;
  TranscriptLayout layout_;
  std::vector<TranscriptLine> buf_;
  std::uint64_t lines_ = 0;
  TraceSubscription sub_;
};

// transcript_lines - all lines of a finished trace.
std::vector<TranscriptLine> transcript_lines(const std::vector<TraceEvent>& events,
                                             const TranscriptOptions& opt = {});
// format_transcript - the whole transcript of a finished trace, columns fitted to the names shown,
// one "\n"-terminated line per entry.
std::string format_transcript(const std::vector<TraceEvent>& events, const TranscriptOptions& opt = {});
// write_transcript - format_transcript into a stream; returns the number of lines.
std::uint64_t write_transcript(std::ostream& out, const std::vector<TraceEvent>& events,
                               const TranscriptOptions& opt = {});

// printable - text safe for a terminal: CR, LF and NUL become <CR> <LF> <NUL>, other C0 controls,
// DEL and bytes that are not UTF-8 become \xNN, C1 controls (U+0080-U+009F) become \u00NN, and
// tabs expand to the next multiple of 8 columns.
std::string printable(std::string_view s);

}  // namespace smtpsim::exporter
