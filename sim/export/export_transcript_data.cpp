// export_transcript_data.cpp - message data lines (D:) for the transcript, rebuilt from the wire:
// SMTP: the client's bytes after a 354 reply, line by line (CRLF only) up to the "." line;
// POP3: the server's bytes after the +OK of RETR/TOP up to the "." line. Lines are shown as sent
// (dot-stuffed); a bare CR or LF inside a line is shown as <CR>/<LF> (only CRLF ends a line).
// Bytes a side sends after it started TLS are ciphertext: a single note line says so instead.
#include <algorithm>
#include <cctype>

#include "sim/export/export_transcript.hpp"
#include "sim/core/ascii.hpp"

namespace smtpsim::exporter {

namespace {

constexpr std::size_t kMaxPartialLine = 64 * 1024;  // a longer unterminated line is shown as is
constexpr std::size_t kMaxPending = 256;            // POP3 commands awaiting a status line

// verb_of - the command's first word in upper case, plus " *" when arguments follow.
std::string verb_of(std::string_view line) {
  std::size_t sp = line.find(' ');
  std::string v = ascii_upper_copy(line.substr(0, sp));
  if (sp != std::string_view::npos && line.find_first_not_of(' ', sp) != std::string_view::npos) v += " *";
  return v;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// message_verb - POP3 commands whose +OK is followed by a message (multi-line, dot-terminated).
bool message_verb(const std::string& v) { return starts_with(v, "RETR") || starts_with(v, "TOP"); }

// listing_verb - POP3 commands whose +OK starts another kind of multi-line response.
bool listing_verb(const std::string& v) { return v == "CAPA" || v == "LIST" || v == "UIDL" || v == "AUTH"; }

}  // namespace

// data_line - one D: line (or count it as hidden past data_max_lines).
void TranscriptFormatter::data_line(ConnState& st, const TraceEvent& e, bool from_client, std::string_view line,
                                   std::vector<TranscriptLine>& out, bool always) {
  if (!always && opt_.data_max_lines != 0 && st.shown >= opt_.data_max_lines) {
    ++st.hidden;
    st.hidden_bytes += line.size() + 2;
    return;
  }
  ++st.shown;
  TranscriptLine l;
  l.time = e.time;
  l.from = printable(from_client ? st.client : st.server);
  l.to = printable(from_client ? st.server : st.client);
  l.conn = e.conn;
  l.tag = LineTag::Data;
  l.text = printable(line);
  out.push_back(std::move(l));
}

// data_end - the "." line, after a count of the lines left out.
void TranscriptFormatter::data_end(ConnState& st, const TraceEvent& e, bool from_client,
                                  std::vector<TranscriptLine>& out) {
  if (st.hidden > 0)
    data_line(st, e, from_client,
              "... " + std::to_string(st.hidden) + " more line" + (st.hidden == 1 ? "" : "s") + " (" +
                  std::to_string(st.hidden_bytes) + " bytes) not shown",
              out, true);
  data_line(st, e, from_client, ".", out, true);
  st.shown = st.hidden = st.hidden_bytes = 0;
}

// smtp_bytes - the client's bytes while it sends DATA content.
void TranscriptFormatter::smtp_bytes(ConnState& st, const TraceEvent& e, std::vector<TranscriptLine>& out) {
  if (!st.smtp_data) return;
  if (st.client_tls) {
    TranscriptLine l;
    l.time = e.time;
    l.from = printable(st.client);
    l.to = printable(st.server);
    l.conn = e.conn;
    l.tag = LineTag::Data;
    l.text = "(message data inside TLS: " + std::to_string(e.data.size()) + " bytes of ciphertext)";
    out.push_back(std::move(l));
    st.smtp_data = false;
    return;
  }
  std::string& buf = st.client_buf;
  buf += e.data;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = buf.find("\r\n", pos)) != std::string::npos; pos = nl + 2) {
    std::string_view line(buf.data() + pos, nl - pos);
    if (line == ".") {
      data_end(st, e, true, out);
      st.smtp_data = false;
      buf.clear();
      return;
    }
    data_line(st, e, true, line, out);
  }
  buf.erase(0, pos);
  if (buf.size() > kMaxPartialLine) {
    data_line(st, e, true, buf, out);
    buf.clear();
  }
}

// pop3_bytes - the server's bytes: status lines (matched to the commands sent) and the
// multi-line bodies of RETR/TOP.
void TranscriptFormatter::pop3_bytes(ConnState& st, const TraceEvent& e, std::vector<TranscriptLine>& out) {
  if (st.proto == ConnState::Proto::Smtp || st.server_tls) return;
  std::string& buf = st.server_buf;
  buf += e.data;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = buf.find("\r\n", pos)) != std::string::npos; pos = nl + 2) {
    std::string_view line(buf.data() + pos, nl - pos);
    if (st.body != ConnState::Body::None) {
      bool message = st.body == ConnState::Body::Message;
      if (line == ".") {
        if (message) data_end(st, e, false, out);
        st.body = ConnState::Body::None;
      } else if (message) {
        data_line(st, e, false, line, out);
      }
      continue;
    }
    if (starts_with(line, "+OK") || starts_with(line, "-ERR")) {
      st.proto = ConnState::Proto::Pop3;
      std::string verb;
      if (!st.pending.empty()) {
        verb = st.pending.front();
        st.pending.erase(st.pending.begin());
      }
      if (line[0] == '+' && message_verb(verb)) {
        st.body = ConnState::Body::Message;
        st.shown = st.hidden = st.hidden_bytes = 0;
      } else if (line[0] == '+' && listing_verb(verb)) {
        st.body = ConnState::Body::Listing;
      }
    } else if (starts_with(line, "+")) {
      if (!st.pending.empty()) st.pending.erase(st.pending.begin());  // SASL continuation
    } else if (st.proto == ConnState::Proto::Unknown && !line.empty() &&
               std::isdigit(static_cast<unsigned char>(line[0]))) {
      st.proto = ConnState::Proto::Smtp;
      buf.clear();
      return;
    }
  }
  buf.erase(0, pos);
  if (buf.size() > kMaxPartialLine) {
    if (st.body == ConnState::Body::Message) data_line(st, e, false, buf, out);
    buf.clear();
  }
}

void TranscriptFormatter::track_data(const TraceEvent& e, std::vector<TranscriptLine>& out) {
  if (e.conn == 0) return;
  auto it = conns_.find(e.conn);
  switch (e.kind) {
    case TraceKind::ConnOpen:
    case TraceKind::Command:
    case TraceKind::Reply:
    case TraceKind::Tls:
    case TraceKind::BytesSent:
      if (it == conns_.end()) it = conns_.emplace(e.conn, ConnState{}).first;
      break;
    case TraceKind::ConnReset:
    case TraceKind::ConnRefused:
    case TraceKind::ConnTimeout:
      if (it != conns_.end()) conns_.erase(it);
      return;
    case TraceKind::ConnClose:
      if (it == conns_.end()) return;
      (e.host == it->second.client ? it->second.client_closed : it->second.server_closed) = true;
      if (it->second.client_closed && it->second.server_closed) conns_.erase(it);
      return;
    default:
      return;
  }
  ConnState& st = it->second;
  switch (e.kind) {
    case TraceKind::ConnOpen:
    case TraceKind::Command:
      if (st.client.empty()) st.client = e.host;
      if (st.server.empty()) st.server = e.peer;
      if (e.kind == TraceKind::Command && st.proto != ConnState::Proto::Smtp) {
        if (st.pending.size() >= kMaxPending) st.pending.erase(st.pending.begin());
        st.pending.push_back(verb_of(e.text));
      }
      break;
    case TraceKind::Reply:
      if (st.server.empty()) st.server = e.host;
      if (st.client.empty()) st.client = e.peer;
      if (e.code >= 100) st.proto = ConnState::Proto::Smtp;
      if (e.code == 354) {
        st.smtp_data = true;
        st.client_buf.clear();
        st.shown = st.hidden = st.hidden_bytes = 0;
      } else if (st.server_tls && (e.code == 1 || e.code == 2) && !st.pending.empty()) {
        // POP3 inside TLS: status lines are matched by their Reply events; a message is ciphertext.
        std::string verb = st.pending.front();
        st.pending.erase(st.pending.begin());
        if (e.code != 1 || !message_verb(verb)) break;
        TranscriptLine l;
        l.time = e.time;
        l.from = printable(st.server);
        l.to = printable(st.client);
        l.conn = e.conn;
        l.tag = LineTag::Data;
        l.text = "(message data inside TLS: not visible on the wire)";
        out.push_back(std::move(l));
      }
      break;
    case TraceKind::Tls:
      if (starts_with(e.text, "start")) (e.host == st.client ? st.client_tls : st.server_tls) = true;
      break;
    case TraceKind::BytesSent: {
      bool from_client;
      if (!st.client.empty()) from_client = e.host == st.client;
      else if (!st.server.empty()) from_client = e.host != st.server;
      else break;
      if (from_client) smtp_bytes(st, e, out);
      else pop3_bytes(st, e, out);
      break;
    }
    default: break;
  }
}

}  // namespace smtpsim::exporter
