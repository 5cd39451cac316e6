// scene_inspect_message.cpp - one message across its hops for the inspector: each spool's copy as
// the client sent it (Capture), the wire bytes of that hop's connection from the trace
// (ciphertext after STARTTLS, exactly what the pcap exporter writes), the copy in the mailbox and
// what the reader's client fetched over POP3. Every byte comes from the run.
#include <algorithm>

#include "sim/core/ascii.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_mime.hpp"
#include "viz/scene/scene_inspect.hpp"

namespace smtpsim::viz {

namespace {

// field - the unfolded value of the first field called name ("" = none).
std::string field(std::string_view raw, std::string_view name) {
  auto f = mail::find_field(raw, name);
  return f ? mail::field_value(f->raw) : std::string();
}

// wire_of - the bytes `sender` wrote on conn as the trace kept them, and how many of the leading
// ones went before the connection's TLS handshake began (all of them without TLS).
void wire_of(const std::vector<TraceEvent>& ev, std::uint64_t conn, const std::string& sender, SceneMsgHop& h) {
  SimTime tls_start = kNever;
  for (const TraceEvent& e : ev)
    if (e.conn == conn && e.kind == TraceKind::Tls && e.text.rfind("start", 0) == 0) {
      tls_start = e.time;
      break;
    }
  h.wire.clear();
  h.wire_plain = 0;
  for (const TraceEvent& e : ev) {
    if (e.conn != conn || e.kind != TraceKind::BytesSent || e.host != sender) continue;
    h.wire += e.data;
    if (e.time < tls_start) h.wire_plain = h.wire.size();
  }
  if (tls_start == kNever) h.wire_plain = h.wire.size();
}

// one_line - a field's unfolded value with its runs of white space made one space (for reading).
std::string one_line(std::string_view v) {
  std::string out;
  for (char c : v) {
    bool ws = c == ' ' || c == '\t';
    if (ws && (out.empty() || out.back() == ' ')) continue;
    out += ws ? ' ' : c;
  }
  return out;
}

}  // namespace

void parse_into(SceneMsgHop& h) {
  mail::Message m = mail::Message::parse(h.raw);
  for (const auto& f : m.headers()) {
    h.header.emplace_back(f.name(), one_line(f.value()));
    if (ascii_iequals(f.name(), "Received")) h.received.push_back(h.header.back().second);
  }
  h.body = m.body();
  auto ct = mail::parse_content_type(m.get("Content-Type").value_or(""));
  if (!ct || !ascii_iequals(ct->type, "multipart")) return;
  auto b = ct->param("boundary");
  if (!b) return;
  auto mp = mail::split_multipart(m.body(), *b);
  if (!mp) return;
  for (const std::string& p : mp->parts) {
    mail::Message pm = mail::Message::parse(p);
    auto pct = mail::parse_content_type(pm.get("Content-Type").value_or("text/plain"));
    h.parts.push_back({pct ? pct->mime_type() : "text/plain", p});
  }
}

void build_message(Playback& pb, const std::string& want, std::uint64_t conn, SceneMessage& out) {
  const auto& caps = pb.capture().hops();
  for (const CapturedHop& c : caps) {
    if (std::find(out.choices.begin(), out.choices.end(), c.msgid) != out.choices.end()) continue;
    out.choices.push_back(c.msgid);
    std::string subject = field(c.stored, "Subject");
    out.choice_labels.push_back((c.dsn ? "[bounce] " : "") + (subject.empty() ? "(no subject)" : subject) + "   " + c.msgid);
  }
  if (out.choices.empty()) return;
  std::string id = want;
  if (std::find(out.choices.begin(), out.choices.end(), id) == out.choices.end()) {
    id.clear();
    for (const CapturedHop& c : caps)
      if (conn && c.conn == conn) id = c.msgid;
    for (auto c = caps.rbegin(); id.empty() && c != caps.rend(); ++c)
      if (!c->dsn) id = c->msgid;
    if (id.empty()) id = caps.back().msgid;
  }
  out.msgid = id;
  World& w = pb.world();
  const auto& ev = w.trace.events();
  for (const CapturedHop& c : caps) {
    if (c.msgid != id) continue;
    SceneMsgHop h;
    h.kind = c.from.empty() ? "made" : "smtp";
    h.from = c.from.empty() ? c.host : c.from;
    h.to = c.host;
    h.t_us = c.t_us;
    h.conn = c.conn;
    h.qid = c.qid;
    h.mail_from = c.sender;
    h.rcpt_to = c.rcpts;
    h.raw = c.from.empty() ? c.stored : c.received;
    h.tls = c.tls;
    h.tls_detail = c.tls_detail;
    if (c.conn) wire_of(ev, c.conn, c.from, h);
    out.dsn = out.dsn || c.dsn;
    parse_into(h);
    out.hops.push_back(std::move(h));
  }
  // Stored: the MDA's copy in the recipient's mailbox (as long as it is on the server).
  for (const auto& [host, store] : pb.built().stores)
    for (const std::string& box : store->mailboxes())
      for (const auto& info : store->list(box).messages) {
        mail::MessagePtr bytes = store->read(box, info.uid);
        if (!bytes || field(*bytes, "Message-ID") != id) continue;
        SceneMsgHop h;
        h.kind = "mailbox";
        h.from = host;
        h.to = "mailbox " + box;
        for (const TraceEvent& e : ev)
          if (e.kind == TraceKind::Delivery && e.msg == id && e.host == host) h.t_us = e.time;
        h.raw = *bytes;
        parse_into(h);
        out.hops.push_back(std::move(h));
      }
  // Fetched: what each reader's client downloaded with POP3 (RETR), on the connection it used.
  for (const auto& mua : w.muas())
    for (const FetchedMessage& f : mua->inbox()) {
      if (f.message_id != id) continue;
      SceneMsgHop h;
      h.kind = "fetched";
      h.from = mua->config().fetch_host;
      h.to = mua->config().name;
      h.t_us = f.at;
      h.raw = f.raw;
      for (const TraceEvent& e : ev)
        if (e.kind == TraceKind::Command && !e.rx && e.host == h.to && e.time <= f.at && e.text.rfind("RETR", 0) == 0) h.conn = e.conn;
      if (h.conn) {
        h.tls = pb.tls_since(h.conn) <= f.at;
        for (const TraceEvent& e : ev)
          if (e.conn == h.conn && e.kind == TraceKind::BytesSent) {
            h.from = e.host == h.to ? e.peer : e.host;
            break;
          }
        wire_of(ev, h.conn, h.from, h);
      }
      parse_into(h);
      out.hops.push_back(std::move(h));
    }
  std::stable_sort(out.hops.begin(), out.hops.end(), [](const SceneMsgHop& a, const SceneMsgHop& b) { return a.t_us < b.t_us; });
  const SceneMsgHop& last = out.hops.back();
  for (const auto& [n, v] : last.header) {
    if (ascii_iequals(n, "Subject") && out.subject.empty()) out.subject = v;
    if (ascii_iequals(n, "From") && out.header_from.empty()) out.header_from = v;
    if (ascii_iequals(n, "To") && out.header_to.empty()) out.header_to = v;
  }
}

}  // namespace smtpsim::viz
