// tls_engine_pipe.cpp - the in-memory driver: delivery, timers, STARTTLS, close, transcript.
#include "sim/tls/tls_engine_pipe.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/tls/tls_error.hpp"

namespace smtpsim::tls {

struct EnginePipe::End {
  Engine* engine = nullptr;
  bool closed = false;        // this side closed its end: nothing more in or out
  bool dead = false;          // the connection is unusable (TLS failed / lost): writes are dropped
  bool told_closed = false;   // on_closed was called
  bool tls_started = false;
  bool tls_reported = false;
  std::string tls_setup_error;  // the session could not even be made
  std::unique_ptr<Session> session;
  EventId timer;
  SimTime timer_at = kNever;
  std::string wire, written, delivered;
  std::size_t tls_offset = std::string::npos;
  std::vector<ProtoEvent> events;
  std::optional<TlsInfo> tls_info;
};

namespace {

// event_kind - short names for ProtoEvent kinds in the transcript.
const char* event_kind(ProtoEvent::Kind k) {
  switch (k) {
    case ProtoEvent::Kind::Command: return "command";
    case ProtoEvent::Kind::Reply: return "reply";
    case ProtoEvent::Kind::Data: return "data";
    case ProtoEvent::Kind::Note: return "note";
    case ProtoEvent::Kind::Error: return "error";
  }
  return "?";
}

// escaped - bytes as a one-line C-like string, cut after `limit` bytes.
std::string escaped(std::string_view b, std::size_t limit = 160) {
  std::string out = "\"";
  for (std::size_t i = 0; i < b.size() && i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(b[i]);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  out += "\"";
  if (b.size() > limit) out += " ... (" + std::to_string(b.size()) + " bytes)";
  return out;
}

// record_type - TLS content type names (RFC 8446 section 5.1).
const char* record_type(unsigned char t) {
  switch (t) {
    case 20: return "change_cipher_spec";
    case 21: return "alert";
    case 22: return "handshake";
    case 23: return "application_data";
    default: return nullptr;
  }
}

// tls_summary - "[TLS 855 bytes] handshake 122, change_cipher_spec 1, application_data 23 ..."
// when the chunk starts on a record boundary; else the first bytes in hex.
std::string tls_summary(std::string_view b) {
  std::string out = "[TLS " + std::to_string(b.size()) + " bytes]";
  std::size_t off = 0;
  int shown = 0;
  while (off + 5 <= b.size()) {
    const char* name = record_type(static_cast<unsigned char>(b[off]));
    std::size_t len = (static_cast<std::size_t>(static_cast<unsigned char>(b[off + 3])) << 8) |
                      static_cast<unsigned char>(b[off + 4]);
    if (name == nullptr || b[off + 1] != 3) break;
    if (shown == 6) {
      out += " ...";
      return out;
    }
    out += (shown++ ? ", " : " ") + std::string(name) + " " + std::to_string(len);
    off += 5 + len;
  }
  if (off == b.size()) return out;
  if (off > b.size()) {
    out += " (record continues in later segments)";
    return out;
  }
  char buf[4];
  out += shown ? " + bytes" : "";
  for (std::size_t i = off; i < b.size() && i < off + 12; ++i) {
    std::snprintf(buf, sizeof buf, " %02x", static_cast<unsigned char>(b[i]));
    out += buf;
  }
  if (b.size() > off + 12) out += " ...";
  return out;
}

}  // namespace

const char* to_string(Side s) { return s == Side::Client ? "client" : "server"; }

const char* to_string(PipeRecord::Kind k) {
  switch (k) {
    case PipeRecord::Kind::Open: return "open";
    case PipeRecord::Kind::Write: return "write";
    case PipeRecord::Kind::Wire: return "wire";
    case PipeRecord::Kind::Deliver: return "deliver";
    case PipeRecord::Kind::Event: return "event";
    case PipeRecord::Kind::TlsStart: return "tls-start";
    case PipeRecord::Kind::TlsDone: return "tls-done";
    case PipeRecord::Kind::Timer: return "timer";
    case PipeRecord::Kind::Close: return "close";
    case PipeRecord::Kind::Closed: return "closed";
    case PipeRecord::Kind::Drop: return "drop";
  }
  return "?";
}

const char* to_string(PipeStop s) {
  switch (s) {
    case PipeStop::Finished: return "finished";
    case PipeStop::Idle: return "idle";
    case PipeStop::TimeLimit: return "time limit";
    case PipeStop::StepLimit: return "step limit";
  }
  return "?";
}

// EnginePipe - two ends, nothing scheduled until run().
EnginePipe::EnginePipe(Engine& client, Engine& server, PipeOptions options) : opts_(std::move(options)) {
  ends_[0] = std::make_unique<End>();
  ends_[1] = std::make_unique<End>();
  ends_[0]->engine = &client;
  ends_[1]->engine = &server;
}

EnginePipe::~EnginePipe() = default;

EnginePipe::End& EnginePipe::end(Side s) { return *ends_[s == Side::Client ? 0 : 1]; }
const EnginePipe::End& EnginePipe::end(Side s) const { return *ends_[s == Side::Client ? 0 : 1]; }

// record - append one transcript line at the current virtual time.
void EnginePipe::record(Side s, PipeRecord::Kind k, std::string bytes, std::string text, bool tls) {
  PipeRecord r;
  r.time = sched_.now();
  r.side = s;
  r.kind = k;
  r.tls = tls;
  r.bytes = std::move(bytes);
  r.text = std::move(text);
  records_.push_back(std::move(r));
}

// run - open on the first call, then step the scheduler until a stop condition.
PipeStop EnginePipe::run(SimTime until, std::size_t max_steps) {
  if (!opened_) {
    opened_ = true;
    sched_.schedule_at(opts_.start, [this] { open_all(); });
  }
  std::size_t steps = 0;
  for (;;) {
    if (steps > 0 && done()) return PipeStop::Finished;
    auto next = sched_.next_time();
    if (!next) return done() ? PipeStop::Finished : PipeStop::Idle;
    if (*next > until) {
      sched_.run_until(until);
      return PipeStop::TimeLimit;
    }
    if (steps >= max_steps) return PipeStop::StepLimit;
    sched_.step();
    ++steps;
  }
}

// done - nothing in flight and each side closed or finished.
bool EnginePipe::done() const {
  if (in_flight_ != 0) return false;
  for (const auto& e : ends_)
    if (!e->closed && !e->engine->finished()) return false;
  return true;
}

// open_all - the server learns of the connection first (its greeting leads), then the client.
void EnginePipe::open_all() {
  for (Side s : {Side::Server, Side::Client}) {
    record(s, PipeRecord::Kind::Open);
    end(s).engine->on_open(sched_.now());
    process(s);
  }
}

// process - carry out an engine's output: events, bytes, start_tls, close (in that order).
void EnginePipe::process(Side s) {
  End& e = end(s);
  EngineOutput out = e.engine->take_output();
  for (auto& ev : out.events) {
    e.events.push_back(ev);
    PipeRecord r;
    r.time = sched_.now();
    r.side = s;
    r.kind = PipeRecord::Kind::Event;
    r.event = std::move(ev);
    records_.push_back(std::move(r));
  }
  if (!out.bytes.empty()) send(s, out.bytes);
  if (out.start_tls) begin_tls(s);
  if (out.close) close_side(s, "engine closed");
  update_timer(s);
}

// send - plaintext from an engine: encrypted under TLS, else straight onto the wire.
void EnginePipe::send(Side s, std::string_view plain) {
  End& e = end(s);
  if (e.closed || e.dead) {
    record(s, PipeRecord::Kind::Drop, std::string(plain),
           e.closed ? "written after this side closed" : "written on a dead connection");
    return;
  }
  record(s, PipeRecord::Kind::Write, std::string(plain), {}, e.session != nullptr);
  e.written += plain;
  if (!e.session) {
    put_wire(s, std::string(plain), false);
    return;
  }
  e.session->write(plain);  // held inside the session until its handshake is done
  flush_tls(s);
}

// flush_tls - move whatever the session produced onto the wire.
void EnginePipe::flush_tls(Side s) {
  End& e = end(s);
  if (!e.session) return;
  std::string ct = e.session->take_ciphertext();
  if (!ct.empty()) put_wire(s, std::move(ct), true);
}

// put_wire - record and schedule the arrival of bytes at the other side, segment by segment.
void EnginePipe::put_wire(Side s, std::string bytes, bool tls) {
  End& e = end(s);
  e.wire += bytes;
  SimTime at = sched_.now() + opts_.one_way_delay;
  std::size_t seg = opts_.max_segment ? opts_.max_segment : bytes.size();
  for (std::size_t off = 0; off < bytes.size(); off += seg) {
    std::string part = bytes.substr(off, seg);
    record(s, PipeRecord::Kind::Wire, part, {}, tls);
    records_.back().arrive = at;
    ++in_flight_;
    Side to = other(s);
    sched_.schedule_at(at, [this, to, part = std::move(part)] {
      --in_flight_;
      arrive(to, part);
    });
  }
}

// begin_tls - the engine asked for TLS: from now on this side is a TLS endpoint.
void EnginePipe::begin_tls(Side s) {
  End& e = end(s);
  if (e.closed || e.dead) return;
  if (e.tls_started) {
    record(s, PipeRecord::Kind::TlsStart, {}, "ignored: TLS was already started on this side");
    return;
  }
  e.tls_started = true;
  e.tls_offset = e.wire.size();
  record(s, PipeRecord::Kind::TlsStart, {}, s == Side::Client ? "as TLS client" : "as TLS server");
  try {
    if (s == Side::Client) {
      if (!opts_.client_tls) throw TlsError("this pipe has no TLS client configuration");
      e.session = std::make_unique<Session>(*opts_.client_tls, opts_.client_params);
      e.session->start();
      flush_tls(s);  // the ClientHello
    } else {
      if (!opts_.server_tls) throw TlsError("this pipe has no TLS server configuration");
      e.session = std::make_unique<Session>(*opts_.server_tls);
    }
  } catch (const TlsError& ex) {
    e.session.reset();
    e.tls_setup_error = ex.what();
  }
  if (!e.session || e.session->failed()) {
    // Report from a fresh event, not from inside the engine call that asked for TLS.
    sched_.schedule_at(sched_.now(), [this, s] {
      if (!end(s).tls_reported && !end(s).closed) report_tls(s);
    });
  }
}

// arrive - wire bytes reach side s.
void EnginePipe::arrive(Side s, const std::string& bytes) {
  End& e = end(s);
  if (e.closed || e.dead) {
    record(s, PipeRecord::Kind::Drop, bytes, "arrived after this side closed");
    return;
  }
  if (!e.session) {
    deliver(s, bytes);
    return;
  }
  e.session->feed(bytes);
  after_tls_io(s);
}

// after_tls_io - after ciphertext went in: send replies, report the handshake, pass plaintext on.
void EnginePipe::after_tls_io(Side s) {
  End& e = end(s);
  Session& ss = *e.session;
  flush_tls(s);
  if (!e.tls_reported && (ss.handshake_done() || ss.failed())) report_tls(s);
  if (e.closed || e.dead || !ss.handshake_done()) return;
  std::string plain = ss.take_plaintext();
  if (!plain.empty()) deliver(s, std::move(plain));
  if (e.closed || e.dead) return;
  if (ss.failed()) {
    connection_lost(s, "TLS error: " + ss.error());
    return;
  }
  if (ss.close_received()) peer_ended(s, "close_notify");
}

// report_tls - tell the engine how its handshake ended; a failure kills the connection.
void EnginePipe::report_tls(Side s) {
  End& e = end(s);
  e.tls_reported = true;
  TlsInfo info;
  if (e.session) {
    info = e.session->info();
  } else {
    info.error = e.tls_setup_error;
  }
  std::string text;
  if (info.ok) {
    text = info.version + " " + info.cipher;
    if (s == Side::Client)
      text += info.peer_verified ? ", peer verified" : ", peer NOT verified: " + e.session->verify_error();
  } else {
    text = "failed: " + info.error;
  }
  e.tls_info = info;
  record(s, PipeRecord::Kind::TlsDone, {}, text, true);
  if (!info.ok) e.dead = true;
  e.engine->on_tls(info, sched_.now());
  process(s);
  if (!info.ok) connection_lost(s, "TLS handshake failed");
}

// deliver - plaintext to the engine.
void EnginePipe::deliver(Side s, std::string bytes) {
  End& e = end(s);
  record(s, PipeRecord::Kind::Deliver, bytes, {}, e.session != nullptr);
  e.delivered += bytes;
  e.engine->on_bytes(bytes, sched_.now());
  process(s);
}

// peer_ended - the peer's close_notify or FIN reached side s.
void EnginePipe::peer_ended(Side s, const char* how) {
  End& e = end(s);
  if (e.closed) return;
  if (e.session && std::string_view(how) == "FIN") {
    e.session->transport_eof();
    if (!e.tls_reported && e.session->failed()) {  // FIN in the middle of the handshake
      report_tls(s);
      return;
    }
  }
  connection_lost(s, std::string("peer closed (") + how + ")");
}

// connection_lost - the engine hears on_closed (once), then this side closes.
void EnginePipe::connection_lost(Side s, const std::string& why) {
  End& e = end(s);
  if (e.closed) return;
  if (!e.told_closed) {
    e.told_closed = true;
    e.dead = true;
    record(s, PipeRecord::Kind::Closed, {}, why);
    e.engine->on_closed(sched_.now());
    process(s);
  }
  close_side(s, why);
}

// close_side - close_notify (if TLS is up), then FIN to the peer.
void EnginePipe::close_side(Side s, const std::string& why) {
  End& e = end(s);
  if (e.closed) return;
  if (e.session && e.session->established() && !e.session->close_sent()) {
    e.session->close();
    flush_tls(s);
  }
  e.closed = true;
  record(s, PipeRecord::Kind::Close, {}, why);
  if (e.timer) sched_.cancel(e.timer);
  e.timer = {};
  e.timer_at = kNever;
  ++in_flight_;
  Side to = other(s);
  sched_.schedule_at(sched_.now() + opts_.one_way_delay, [this, to] {
    --in_flight_;
    peer_ended(to, "FIN");
  });
}

// update_timer - keep one scheduler event at the engine's deadline.
void EnginePipe::update_timer(Side s) {
  End& e = end(s);
  SimTime d = (e.closed || e.told_closed) ? kNever : e.engine->deadline();
  if (d == e.timer_at && (d == kNever || sched_.is_pending(e.timer))) return;
  if (e.timer) sched_.cancel(e.timer);
  e.timer = {};
  e.timer_at = d;
  if (d == kNever) return;
  e.timer = sched_.schedule_at(std::max(d, sched_.now()), [this, s] {
    End& en = end(s);
    en.timer = {};
    en.timer_at = kNever;
    if (en.closed || en.told_closed) return;
    record(s, PipeRecord::Kind::Timer);
    en.engine->on_timer(sched_.now());
    process(s);
  });
}

// ---- accessors ----

const std::string& EnginePipe::wire(Side from) const { return end(from).wire; }

std::string EnginePipe::wire_before_tls(Side from) const {
  const End& e = end(from);
  return e.tls_offset == std::string::npos ? e.wire : e.wire.substr(0, e.tls_offset);
}

std::string EnginePipe::wire_after_tls(Side from) const {
  const End& e = end(from);
  return e.tls_offset == std::string::npos ? std::string() : e.wire.substr(e.tls_offset);
}

const std::string& EnginePipe::written(Side s) const { return end(s).written; }
const std::string& EnginePipe::delivered(Side s) const { return end(s).delivered; }
const std::vector<ProtoEvent>& EnginePipe::events(Side s) const { return end(s).events; }
const std::optional<TlsInfo>& EnginePipe::tls_info(Side s) const { return end(s).tls_info; }
const Session* EnginePipe::session(Side s) const { return end(s).session.get(); }
bool EnginePipe::closed(Side s) const { return end(s).closed; }

// format - "00:00:00.000  C  wire     \"EHLO a\\r\\n\"", one line per record.
std::string EnginePipe::format() const {
  std::string out;
  char head[64];
  for (const auto& r : records_) {
    std::snprintf(head, sizeof head, "%s  %c  %-9s ", format_time(r.time).c_str(),
                  r.side == Side::Client ? 'C' : 'S', to_string(r.kind));
    out += head;
    switch (r.kind) {
      case PipeRecord::Kind::Wire:
        out += r.tls ? tls_summary(r.bytes) : escaped(r.bytes);
        if (r.arrive != r.time) out += "  (arrives " + format_time(r.arrive) + ")";
        break;
      case PipeRecord::Kind::Write:
      case PipeRecord::Kind::Deliver:
        out += escaped(r.bytes);
        if (r.tls) out += "  [under TLS]";
        break;
      case PipeRecord::Kind::Drop:
        out += r.text + ": " + escaped(r.bytes, 40);
        break;
      case PipeRecord::Kind::Event:
        out += event_kind(r.event.kind);
        // a reply's text is its line, which already starts with the code
        if (r.event.code && r.event.text.rfind(std::to_string(r.event.code), 0) != 0)
          out += " " + std::to_string(r.event.code);
        out += " " + r.event.text;
        break;
      default:
        out += r.text;
        break;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  return out;
}

}  // namespace smtpsim::tls
