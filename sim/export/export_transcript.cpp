// export_transcript.cpp - event -> transcript line wording, filters, column layout, writers.
// Message-data tracking (D: lines from wire bytes) lives in export_transcript_data.cpp.
#include "sim/export/export_transcript.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "sim/core/time.hpp"
#include "sim/export/export_json.hpp"

namespace smtpsim::exporter {

namespace {

// display_width - columns a printable string takes (one per code point).
std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// append_padded - s followed by spaces up to `width` columns.
void append_padded(std::string& out, std::string_view s, std::size_t width) {
  out.append(s);
  std::size_t w = display_width(s);
  if (w < width) out.append(width - w, ' ');
}

// endpoint - "ip:port".
std::string endpoint(std::uint32_t ip, std::uint16_t port) {
  return ipv4_to_string(ip) + ":" + std::to_string(port);
}

// with_detail - "base" or "base: detail".
std::string with_detail(std::string base, const std::string& detail) {
  if (!detail.empty()) {
    base += ": ";
    base += detail;
  }
  return base;
}

// with_paren - "base" or "base (detail)".
std::string with_paren(std::string base, const std::string& detail) {
  if (!detail.empty()) base += " (" + detail + ")";
  return base;
}

// mail_subject - "msg -> rcpt", either part optional.
std::string mail_subject(const TraceEvent& e) {
  std::string s = e.msg;
  if (!e.rcpt.empty()) {
    if (!s.empty()) s += " -> ";
    s += e.rcpt;
  }
  return s;
}

// joined - words joined by one space, empty words skipped.
std::string joined(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// event_text - the wording of one event line (tag ** / ## / ..); `established` says whether the
// connection had been accepted (a timeout is then a stall, not an unanswered SYN).
std::string event_text(const TraceEvent& e, bool established) {
  switch (e.kind) {
    case TraceKind::ConnOpen:
      return joined({"TCP connect", endpoint(e.src_ip, e.src_port), "->", endpoint(e.dst_ip, e.dst_port),
                     "(" + (e.text.empty() ? std::string("SYN") : e.text) + ")"});
    case TraceKind::ConnAccept: return with_paren("TCP connection established", e.text);
    case TraceKind::ConnRefused:
      return e.text.empty() ? "TCP connection refused: " + endpoint(e.dst_ip, e.dst_port) + " answered RST"
                            : with_paren("TCP connection refused", e.text);
    case TraceKind::ConnTimeout:
      if (established) return with_paren("TCP connection timed out", e.text);
      if (e.src_port == 0) return with_paren("TCP connect failed, no SYN sent", e.text);
      return with_paren("TCP connect timed out: no answer from " + endpoint(e.dst_ip, e.dst_port), e.text);
    case TraceKind::ConnReset: return with_detail("TCP connection reset (RST)", e.text);
    case TraceKind::ConnClose:
      if (e.text == "half") return "TCP FIN: half-close, still reading";
      if (e.text == "full" || e.text.empty()) return "TCP FIN: close";
      return "TCP FIN: " + e.text;
    case TraceKind::BytesSent: return std::to_string(e.data.size()) + " bytes sent";
    case TraceKind::BytesDelivered: return std::to_string(e.data.size()) + " bytes delivered";
    case TraceKind::Tls: return joined({"TLS", e.text});
    case TraceKind::Queue: return with_detail(joined({"QUEUE", mail_subject(e)}), e.text);
    case TraceKind::Delivery: return with_detail(joined({"DELIVERED", mail_subject(e)}), e.text);
    case TraceKind::Bounce: return with_detail(joined({"BOUNCE", mail_subject(e)}), e.text);
    case TraceKind::Fault: return joined({"FAULT", e.text});
    case TraceKind::Dns: return joined({"DNS", e.text});
    case TraceKind::HostUp: return with_detail("HOST up", e.text);
    case TraceKind::HostDown: return with_detail("HOST down", e.text);
    case TraceKind::LinkChange:  // text "up"/"down", or what changed ("params latency=...")
      if (e.text.empty() || e.text == "up" || e.text == "down") return e.code ? "LINK up" : "LINK down";
      return "LINK " + e.text + (e.code ? " (up)" : " (down)");
    case TraceKind::Note: return e.text;
    case TraceKind::Command:
    case TraceKind::Reply: return e.text;
  }
  return e.text;
}

// category_on - whether the options show this kind's own line.
bool category_on(const TranscriptOptions& o, TraceKind k) {
  switch (k) {
    case TraceKind::Command:
    case TraceKind::Reply: return true;
    case TraceKind::ConnOpen:
    case TraceKind::ConnAccept:
    case TraceKind::ConnRefused:
    case TraceKind::ConnTimeout:
    case TraceKind::ConnReset:
    case TraceKind::ConnClose:
    case TraceKind::Tls: return o.connections;
    case TraceKind::BytesSent:
    case TraceKind::BytesDelivered: return o.bytes;
    case TraceKind::Queue:
    case TraceKind::Delivery:
    case TraceKind::Bounce: return o.mail;
    case TraceKind::Dns: return o.dns;
    case TraceKind::HostUp:
    case TraceKind::HostDown:
    case TraceKind::LinkChange:
    case TraceKind::Fault: return o.system;
    case TraceKind::Note: return o.notes;
  }
  return false;
}

// tag_for - the tag of an event's own line.
LineTag tag_for(TraceKind k) {
  switch (k) {
    case TraceKind::Command: return LineTag::Command;
    case TraceKind::Reply: return LineTag::Reply;
    case TraceKind::Note: return LineTag::Note;
    case TraceKind::BytesSent:
    case TraceKind::BytesDelivered: return LineTag::Bytes;
    default: return LineTag::Event;
  }
}

}  // namespace

const char* tag_text(LineTag t) {
  switch (t) {
    case LineTag::Command: return "C:";
    case LineTag::Reply: return "S:";
    case LineTag::Data: return "D:";
    case LineTag::Event: return "**";
    case LineTag::Note: return "##";
    case LineTag::Bytes: return "..";
  }
  return "??";
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t col = 0;
  static const char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\t') {
      std::size_t n = 8 - col % 8;
      out.append(n, ' ');
      col += n;
      ++i;
      continue;
    }
    std::size_t n = c < 0x80 ? 1 : utf8_sequence_length(s, i);
    if (c == '\r' || c == '\n' || c == 0) {
      const char* name = c == '\r' ? "<CR>" : c == '\n' ? "<LF>" : "<NUL>";
      out += name;
      col += std::char_traits<char>::length(name);
      ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);  // a C1 control such as NEL or CSI
      out += "\\u00";
      out += kHex[c1 >> 4];
      out += kHex[c1 & 0xf];
      col += 6;
      i += 2;
    } else if (c < 0x20 || c == 0x7f || n == 0) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
      col += 4;
      ++i;
    } else {
      out.append(s.substr(i, n));
      ++col;
      i += n;
    }
  }
  return out;
}

TranscriptOptions TranscriptOptions::protocol_only() {
  TranscriptOptions o;
  o.connections = o.mail = o.dns = o.system = o.notes = false;
  return o;
}

TranscriptFormatter::TranscriptFormatter(TranscriptOptions opt) : opt_(std::move(opt)) {}

// keep - the host and connection filters.
bool TranscriptFormatter::keep(const TraceEvent& e) const {
  if (!opt_.conns.empty() && std::find(opt_.conns.begin(), opt_.conns.end(), e.conn) == opt_.conns.end())
    return false;
  if (!opt_.hosts.empty()) {
    bool hit = std::find(opt_.hosts.begin(), opt_.hosts.end(), e.host) != opt_.hosts.end() ||
               (!e.peer.empty() && std::find(opt_.hosts.begin(), opt_.hosts.end(), e.peer) != opt_.hosts.end());
    if (!hit) return false;
  }
  return true;
}

void TranscriptFormatter::lines(const TraceEvent& e, std::vector<TranscriptLine>& out) {
  // A server's received copy of a command the client's own event already shows: not twice.
  if (sides_.duplicate(e)) return;
  if (!keep(e)) return;
  if (category_on(opt_, e.kind)) {
    TranscriptLine l;
    l.time = e.time;
    l.from = printable(e.host);
    l.to = printable(e.peer);
    l.conn = e.conn;
    l.tag = tag_for(e.kind);
    l.text = printable(event_text(e, established_.count(e.conn) != 0));
    l.undirected = e.kind == TraceKind::LinkChange;
    out.push_back(std::move(l));
  }
  if (opt_.data) track_data(e, out);
  track_tcp(e);
}

// track_tcp - which connections are established (for the wording of their timeouts).
void TranscriptFormatter::track_tcp(const TraceEvent& e) {
  if (e.conn == 0) return;
  switch (e.kind) {
    case TraceKind::ConnAccept: established_.emplace(e.conn, 0); break;
    case TraceKind::ConnClose: {
      auto it = established_.find(e.conn);
      if (it != established_.end() && ++it->second >= 2) established_.erase(it);
      break;
    }
    case TraceKind::ConnReset:
    case TraceKind::ConnRefused:
    case TraceKind::ConnTimeout: established_.erase(e.conn); break;
    default: break;
  }
}

TranscriptLayout layout_for(const std::vector<TranscriptLine>& lines, const TranscriptOptions& opt) {
  TranscriptLayout lay;
  lay.host_width = opt.host_width;
  lay.conn_column = opt.conn_column;
  for (const TranscriptLine& l : lines) {
    lay.host_width = std::max({lay.host_width, display_width(l.from), display_width(l.to)});
    if (l.conn) lay.conn_width = std::max(lay.conn_width, std::to_string(l.conn).size() + 1);
  }
  return lay;
}

std::string render_line(const TranscriptLine& l, const TranscriptLayout& lay) {
  std::string r;
  r.reserve(32 + 2 * lay.host_width + l.text.size());
  r += '[';
  r += format_time(l.time);
  r += "] ";
  append_padded(r, l.from, lay.host_width);
  if (!l.to.empty()) {
    r += l.undirected ? " -- " : " -> ";
    append_padded(r, l.to, lay.host_width);
  } else {
    r.append(4 + lay.host_width, ' ');
  }
  r += "  ";
  if (lay.conn_column && lay.conn_width > 0) {
    append_padded(r, l.conn ? "#" + std::to_string(l.conn) : std::string(), lay.conn_width);
    r += "  ";
  }
  r += tag_text(l.tag);
  if (!l.text.empty()) {
    r += ' ';
    r += l.text;
  }
  return r;
}

TranscriptWriter::TranscriptWriter(std::ostream& out, TranscriptOptions opt)
    : out_(out), fmt_(std::move(opt)) {
  layout_.host_width = fmt_.options().host_width;
  layout_.conn_column = fmt_.options().conn_column;
}

TranscriptWriter::~TranscriptWriter() { sub_.reset(); }

void TranscriptWriter::write(const TraceEvent& e) {
  buf_.clear();
  fmt_.lines(e, buf_);
  for (const TranscriptLine& l : buf_) {
    layout_.host_width = std::max({layout_.host_width, display_width(l.from), display_width(l.to)});
    if (l.conn) layout_.conn_width = std::max(layout_.conn_width, std::to_string(l.conn).size() + 1);
    std::string s = render_line(l, layout_);
    s += '\n';
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    ++lines_;
  }
}

void TranscriptWriter::attach(Trace& trace) {
  sub_.attach(trace, [this](const TraceEvent& e) { write(e); });
}

void TranscriptWriter::detach() { sub_.reset(); }

void TranscriptWriter::flush() { out_.flush(); }

bool TranscriptWriter::ok() const { return static_cast<bool>(out_); }

std::vector<TranscriptLine> transcript_lines(const std::vector<TraceEvent>& events, const TranscriptOptions& opt) {
  TranscriptFormatter fmt(opt);
  std::vector<TranscriptLine> out;
  for (const TraceEvent& e : events) fmt.lines(e, out);
  return out;
}

std::uint64_t write_transcript(std::ostream& out, const std::vector<TraceEvent>& events,
                               const TranscriptOptions& opt) {
  std::vector<TranscriptLine> lines = transcript_lines(events, opt);
  TranscriptLayout lay = layout_for(lines, opt);
  for (const TranscriptLine& l : lines) {
    std::string s = render_line(l, lay);
    s += '\n';
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
  }
  return lines.size();
}

std::string format_transcript(const std::vector<TraceEvent>& events, const TranscriptOptions& opt) {
  std::ostringstream out;
  write_transcript(out, events, opt);
  return out.str();
}

}  // namespace smtpsim::exporter
