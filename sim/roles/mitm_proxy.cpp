// mitm_proxy.cpp - the man in the middle: transparent interception, splicing, reading the SMTP
// dialogue, STARTTLS stripping and TLS impersonation (see mitm_proxy.hpp for the model).
#include "sim/roles/mitm_proxy.hpp"
#include "sim/core/ascii.hpp"

#include <cctype>

#include "sim/core/base64.hpp"

namespace smtpsim {

namespace {

constexpr std::size_t kMaxLine = 64 * 1024;  // a "line" longer than this is passed on unparsed

// upper - ASCII upper case.
std::string upper(std::string_view s) { return ascii_upper_copy(s); }

// header_value - the first header field `name` of a message, unfolded ("" when absent).
std::string header_value(const std::string& data, std::string_view name) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t end = data.find("\r\n", pos);
    if (end == std::string::npos) end = data.size();
    if (end == pos) break;  // the blank line: end of the header
    std::string_view line(data.data() + pos, end - pos);
    if (line.size() > name.size() && line[name.size()] == ':' && upper(line.substr(0, name.size())) == upper(name)) {
      std::string v(line.substr(name.size() + 1));
      std::size_t next = end + 2;
      while (next < data.size() && (data[next] == ' ' || data[next] == '\t')) {  // folded continuation
        std::size_t e2 = data.find("\r\n", next);
        if (e2 == std::string::npos) e2 = data.size();
        v += data.substr(next, e2 - next);
        next = e2 + 2;
      }
      std::size_t a = v.find_first_not_of(" \t");
      return a == std::string::npos ? std::string() : v.substr(a);
    }
    pos = end + 2;
  }
  return {};
}

// printable - a decoded SASL string shown safely (NUL as "\0", other controls as '?').
std::string printable(std::string_view s) {
  std::string r;
  for (char c : s) {
    if (c == '\0') r += "\\0";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) r += '?';
    else r += c;
  }
  return r;
}

// decode_plain - "authzid NUL user NUL password" as words for the trace, or "" when it is not that.
std::string decode_plain(std::string_view b64) {
  auto d = base64_decode_strict(b64);
  if (!d) return {};
  std::size_t a = d->find('\0');
  if (a == std::string::npos) return {};
  std::size_t b = d->find('\0', a + 1);
  if (b == std::string::npos) return {};
  return "user " + printable(d->substr(a + 1, b - a - 1)) + ", password " + printable(d->substr(b + 1));
}

}  // namespace

const char* to_string(MitmMode m) {
  switch (m) {
    case MitmMode::Relay: return "relay";
    case MitmMode::StripStartTls: return "strip-starttls";
    case MitmMode::Impersonate: return "impersonate";
  }
  return "?";
}

struct MitmProxy::Session {
  enum class Phase : unsigned char {
    Plain,   // the SMTP dialogue is readable on the wire
    Opaque,  // client and server run TLS with each other: only ciphertext passes
    Split,   // the MITM runs TLS with the client itself (impersonating the server)
  };
  StreamPtr client, server;
  std::string client_name, server_name;
  std::uint64_t generation = 0;
  Phase phase = Phase::Plain;
  std::string early;              // client bytes that came before the server connection was up
  bool client_eof = false;
  std::string cbuf, sbuf;         // partial plaintext lines: client -> server, server -> client
  bool in_data = false;           // the server said 354: client lines are message text
  bool starttls_relayed = false;  // the client's STARTTLS went to the server; its reply decides
  bool own_starttls = false;      // Impersonate: our STARTTLS to the server awaits its reply
  int auth_lines = 0;             // base64 AUTH answers still to come (decoded for the trace)
  bool auth_plain = false;        // ... for AUTH PLAIN (else LOGIN)
  std::unique_ptr<TlsEndpoint> tls_client, tls_server;  // Impersonate: our TLS with each end
  bool client_tls_reported = false, server_tls_reported = false;
  std::string to_client, to_server;  // plaintext waiting for a handshake to finish
  MitmCapture msg;                // the transaction being read
  bool ended = false;
};

MitmProxy::MitmProxy(WorldContext& ctx, HostId self, MitmConfig cfg) : ctx_(ctx), self_(self), cfg_(std::move(cfg)) {}

MitmProxy::~MitmProxy() { *alive_ = false; }

void MitmProxy::start() {
  for (std::uint16_t port : cfg_.ports)
    if (!ctx_.net.intercepting(self_, port))
      ctx_.net.intercept(self_, port, [this, alive = alive_](StreamPtr s) { if (*alive) accept(std::move(s)); });
}

void MitmProxy::on_host_change(bool up) {
  ++generation_;
  if (up) {
    start();
    return;
  }
  // The crash has already reset every stream of this host; forget the sessions.
  std::set<std::shared_ptr<Session>> gone;
  gone.swap(sessions_);
  for (const auto& s : gone) s->ended = true;
}

void MitmProxy::note(const std::shared_ptr<Session>& s, const std::string& text, const std::string& msg) {
  TraceEvent e;
  e.time = ctx_.sched.now();
  e.kind = TraceKind::Note;
  e.host = cfg_.name;
  e.peer = s->client_name;
  e.conn = s->client->id();
  e.text = text;
  e.msg = msg;
  ctx_.trace.emit(std::move(e));
}

void MitmProxy::trace_tls(const StreamPtr& st, const std::string& text, int code) {
  TraceEvent e;
  e.time = ctx_.sched.now();
  e.kind = TraceKind::Tls;
  e.host = st->local_name();
  e.peer = st->remote_name();
  e.conn = st->id();
  e.src_ip = st->local_ip();
  e.dst_ip = st->remote_ip();
  e.src_port = st->local_port();
  e.dst_port = st->remote_port();
  e.code = code;
  e.text = text;
  ctx_.trace.emit(std::move(e));
}

// accept - a client's connection stopped here: open our own to the server it was meant for.
void MitmProxy::accept(StreamPtr client) {
  auto s = std::make_shared<Session>();
  s->client = client;
  s->client_name = client->remote_name();
  s->generation = generation_;
  const std::uint32_t dst_ip = client->local_ip();
  const std::uint16_t dst_port = client->local_port();
  auto dst = ctx_.net.find_ip(dst_ip);
  s->server_name = dst ? ctx_.net.host_name(*dst) : ipv4_to_string(dst_ip);
  sessions_.insert(s);
  stats_.connections++;
  std::weak_ptr<Session> weak = s;
  StreamHandler h;
  h.on_data = [this, weak](std::string_view b) { if (auto x = weak.lock()) from_client(x, b); };
  h.on_eof = [weak] {
    auto x = weak.lock();
    if (!x || x->ended) return;
    x->client_eof = true;
    if (x->server) x->server->shutdown_write();
  };
  h.on_closed = [this, alive = alive_, weak](CloseReason r) {
    auto x = weak.lock();
    if (!x || !*alive) return;
    end(x, r == CloseReason::Reset || r == CloseReason::Timeout);
  };
  client->set_handler(std::move(h));

  auto as = ctx_.net.find_ip(client->remote_ip());
  auto on_connect = [this, alive = alive_, s, dst_port](ConnectResult r, StreamPtr server) {
    if (!*alive || s->generation != generation_ || s->ended) {
      if (server) server->abort();
      return;
    }
    if (r != ConnectResult::Ok) {
      note(s, std::string("cannot reach ") + s->server_name + ":" + std::to_string(dst_port) + " (" + to_string(r) +
                  "): dropping the intercepted connection");
      end(s, true);
      return;
    }
    connected(s, std::move(server));
  };
  if (as) ctx_.net.connect_as(self_, *as, dst_ip, dst_port, on_connect);
  else ctx_.net.connect(self_, dst_ip, dst_port, on_connect);
}

// connected - both legs are up: say so (readers of the trace pair the two connections) and splice.
void MitmProxy::connected(const std::shared_ptr<Session>& s, StreamPtr server) {
  s->server = server;
  {
    TraceEvent e;
    e.time = ctx_.sched.now();
    e.kind = TraceKind::Note;
    e.host = cfg_.name;
    e.peer = s->server_name;
    e.conn = server->id();
    e.code = int(s->client->id());
    e.text = "forwards connection #" + std::to_string(s->client->id()) + " from " + s->client_name + " to " +
             s->server_name + " as #" + std::to_string(server->id()) + " (man in the middle, " + to_string(cfg_.mode) +
             "; both ends see each other's address)";
    ctx_.trace.emit(std::move(e));
  }
  std::weak_ptr<Session> weak = s;
  StreamHandler h;
  h.on_data = [this, weak](std::string_view b) { if (auto x = weak.lock()) from_server(x, b); };
  h.on_eof = [weak] {
    auto x = weak.lock();
    if (x && !x->ended && x->client->is_open()) x->client->shutdown_write();
  };
  h.on_closed = [this, alive = alive_, weak](CloseReason r) {
    auto x = weak.lock();
    if (!x || !*alive) return;
    end(x, r == CloseReason::Reset || r == CloseReason::Timeout);
  };
  server->set_handler(std::move(h));
  if (!s->early.empty()) {
    std::string e = std::move(s->early);
    s->early.clear();
    from_client(s, e);
  }
  if (s->client_eof && !s->ended) server->shutdown_write();
}

void MitmProxy::end(const std::shared_ptr<Session>& s, bool reset) {
  if (s->ended) return;
  s->ended = true;
  for (const StreamPtr& st : {s->client, s->server}) {
    if (!st || !st->is_open()) continue;
    if (reset) st->abort();
    else st->close();
  }
  sessions_.erase(s);
}

void MitmProxy::from_client(const std::shared_ptr<Session>& s, std::string_view bytes) {
  if (s->ended) return;
  if (!s->server) {
    s->early.append(bytes);
    return;
  }
  switch (s->phase) {
    case Session::Phase::Opaque: s->server->write(bytes); break;
    case Session::Phase::Plain: client_text(s, bytes); break;
    case Session::Phase::Split:
      s->tls_client->feed_ciphertext(bytes);
      pump_client_tls(s);
      break;
  }
}

void MitmProxy::from_server(const std::shared_ptr<Session>& s, std::string_view bytes) {
  if (s->ended) return;
  if (s->phase == Session::Phase::Opaque) {
    s->client->write(bytes);
  } else if (s->tls_server) {
    s->tls_server->feed_ciphertext(bytes);
    pump_server_tls(s);
  } else {
    server_text(s, bytes);
  }
}

// client_text - plaintext from the client, split into lines; each is read, maybe changed, passed on.
void MitmProxy::client_text(const std::shared_ptr<Session>& s, std::string_view text) {
  s->cbuf.append(text);
  std::string out;
  std::size_t pos = 0;
  bool stop = false;
  while (!stop && !s->ended) {
    std::size_t nl = s->cbuf.find("\r\n", pos);
    if (nl == std::string::npos) break;
    std::string line = s->cbuf.substr(pos, nl + 2 - pos);
    pos = nl + 2;
    out += client_line(s, line, stop);
  }
  if (s->ended) return;
  if (stop) {
    // STARTTLS answered by us: what the client pipelined behind it is plaintext injection
    // (CVE-2011-0411 class) and is dropped, as a careful server would.
    if (pos < s->cbuf.size())
      note(s, "dropped " + std::to_string(s->cbuf.size() - pos) + " plaintext bytes sent after STARTTLS");
    s->cbuf.clear();
    if (!out.empty()) write_server(s, out);
    impersonate(s);
    return;
  }
  s->cbuf.erase(0, pos);
  if (s->cbuf.size() > kMaxLine) {
    out += s->cbuf;
    s->cbuf.clear();
  }
  if (!out.empty()) write_server(s, out);
}

// client_line - read one client line: commands into the trace, message text into the capture.
std::string MitmProxy::client_line(const std::shared_ptr<Session>& s, const std::string& line, bool& stop) {
  const std::string body = line.substr(0, line.size() - 2);
  const bool inside = s->phase == Session::Phase::Split;
  if (s->in_data) {
    if (body == ".") {
      s->in_data = false;
      MitmCapture& m = s->msg;
      m.client = s->client_name;
      m.server = s->server_name;
      m.inside_tls = inside;
      m.at = ctx_.sched.now();
      std::string rcpts;
      for (const std::string& r : m.rcpt_to) rcpts += (rcpts.empty() ? "" : ", ") + r;
      note(s,
           std::string("mitm read a whole message") + (inside ? " inside TLS" : "") + ": MAIL FROM:" + m.mail_from +
               " RCPT TO:" + rcpts + ", Subject: \"" + header_value(m.data, "Subject") + "\", " +
               std::to_string(m.data.size()) + " octets",
           header_value(m.data, "Message-ID"));
      captures_.push_back(m);
      s->msg = MitmCapture{};
    } else {
      s->msg.data += (body.size() > 1 && body[0] == '.') ? body.substr(1) : body;
      s->msg.data += "\r\n";
    }
    return line;
  }
  lines_.push_back(body);
  std::string shown = body;
  if (s->auth_lines > 0) {
    // An answer to a 334 challenge: base64 of the user name / password (LOGIN) or of both (PLAIN).
    --s->auth_lines;
    if (s->auth_plain) {
      if (std::string d = decode_plain(body); !d.empty()) shown += "  (= " + d + ")";
    } else if (auto d = base64_decode_strict(body)) {
      shown += "  (= \"" + printable(*d) + "\")";
    }
  }
  const std::string verb = upper(body.substr(0, body.find(' ')));
  if (verb == "AUTH") {
    std::string args = body.size() > 5 ? body.substr(5) : std::string();
    std::string mech = upper(args.substr(0, args.find(' ')));
    std::string initial = args.find(' ') == std::string::npos ? std::string() : args.substr(args.find(' ') + 1);
    s->auth_plain = mech == "PLAIN";
    if (s->auth_plain) {
      if (initial.empty()) s->auth_lines = 1;
      else if (std::string d = decode_plain(initial); !d.empty()) shown += "  (= " + d + ")";
    } else if (mech == "LOGIN") {
      s->auth_lines = initial.empty() ? 2 : 1;
      if (auto d = base64_decode_strict(initial); d && !initial.empty()) shown += "  (= \"" + printable(*d) + "\")";
    }
  }
  note(s, std::string("mitm read") + (inside ? " inside TLS" : "") + ": " + shown);
  if (verb.rfind("MAIL", 0) == 0) {
    s->msg = MitmCapture{};
    std::size_t c = body.find(':');
    s->msg.mail_from = c == std::string::npos ? std::string() : body.substr(c + 1, body.find(' ', c) - c - 1);
  } else if (verb.rfind("RCPT", 0) == 0) {
    std::size_t c = body.find(':');
    if (c != std::string::npos) s->msg.rcpt_to.push_back(body.substr(c + 1, body.find(' ', c) - c - 1));
  } else if (verb == "STARTTLS" && s->phase == Session::Phase::Plain) {
    switch (cfg_.mode) {
      case MitmMode::StripStartTls:
        stats_.blocked++;
        note(s, "mitm rewrote the client's STARTTLS to XXXXXXXX: the server will not understand it");
        return std::string(body.size(), 'X') + "\r\n";
      case MitmMode::Impersonate:
        stop = true;
        return {};
      case MitmMode::Relay:
        s->starttls_relayed = true;
        break;
    }
  }
  return line;
}

// server_text - plaintext from the server, line by line; stops where the bytes stop being SMTP.
void MitmProxy::server_text(const std::shared_ptr<Session>& s, std::string_view text) {
  s->sbuf.append(text);
  std::string out;
  std::size_t pos = 0;
  while (!s->ended) {
    std::size_t nl = s->sbuf.find("\r\n", pos);
    if (nl == std::string::npos) break;
    std::string line = s->sbuf.substr(pos, nl + 2 - pos);
    pos = nl + 2;
    const Session::Phase before = s->phase;
    const bool had_tls = s->tls_server != nullptr;
    out += server_line(s, line);
    if (s->ended) return;
    if (s->phase != before || (s->tls_server && !had_tls)) {
      // TLS starts right after this line: the rest is no longer plaintext SMTP.
      std::string rest = s->sbuf.substr(pos);
      s->sbuf.clear();
      if (!out.empty()) write_client(s, out);
      if (!rest.empty()) from_server(s, rest);
      return;
    }
  }
  s->sbuf.erase(0, pos);
  if (s->sbuf.size() > kMaxLine) {
    out += s->sbuf;
    s->sbuf.clear();
  }
  if (!out.empty()) write_client(s, out);
}

// server_line - one reply line: strip STARTTLS, notice 354 and the answer to STARTTLS.
std::string MitmProxy::server_line(const std::shared_ptr<Session>& s, const std::string& line) {
  const std::string body = line.substr(0, line.size() - 2);
  int code = 0;
  if (body.size() >= 3 && std::isdigit(static_cast<unsigned char>(body[0])) &&
      std::isdigit(static_cast<unsigned char>(body[1])) && std::isdigit(static_cast<unsigned char>(body[2])))
    code = std::stoi(body.substr(0, 3));
  const bool last = body.size() < 4 || body[3] != '-';
  if (s->own_starttls) {
    // The reply to the STARTTLS we sent ourselves: the client never sees it.
    if (!last) return {};
    s->own_starttls = false;
    if (code == 220) {
      s->tls_server = ctx_.tls.factory(cfg_.name, TlsVerify::None)(false, s->server_name);
      if (!s->tls_server) {
        note(s, "cannot start TLS towards " + s->server_name + ": dropping the connection");
        end(s, true);
        return {};
      }
      trace_tls(s->server, "start (client)", 2);
      s->tls_server->start();
      std::string wire = s->tls_server->take_ciphertext();
      if (!wire.empty()) s->server->write(wire);
    } else {
      note(s, s->server_name + " refused STARTTLS (" + body + "): the mitm talks to it in plaintext");
      std::string pending = std::move(s->to_server);
      s->to_server.clear();
      if (!pending.empty()) s->server->write(pending);
    }
    return {};
  }
  if (s->starttls_relayed && last) {
    s->starttls_relayed = false;
    if (code == 220) {
      s->phase = Session::Phase::Opaque;
      stats_.tls_passed++;
      note(s, s->client_name + " and " + s->server_name +
                  " start TLS with each other: from here on the mitm relays only ciphertext it cannot read");
    }
    return line;
  }
  if (s->phase == Session::Phase::Plain && cfg_.mode == MitmMode::StripStartTls && code == 250 && body.size() >= 12 &&
      upper(body.substr(4, 8)) == "STARTTLS" && body.find_first_not_of(" \t", 12) == std::string::npos) {
    stats_.stripped++;
    std::string changed = body.substr(0, 4) + "XXXXXXXA" + body.substr(12);
    note(s, "mitm removed STARTTLS from " + s->server_name + "'s EHLO reply: \"" + body + "\" -> \"" + changed + "\"");
    return changed + "\r\n";
  }
  if (code == 354 && last) s->in_data = true;
  return line;
}

void MitmProxy::write_client(const std::shared_ptr<Session>& s, std::string_view text) {
  if (s->ended || text.empty()) return;
  if (!s->tls_client) {
    s->client->write(text);
    return;
  }
  if (!s->tls_client->handshake_done()) {
    s->to_client.append(text);
    return;
  }
  s->tls_client->write_plaintext(text);
  std::string wire = s->tls_client->take_ciphertext();
  if (!wire.empty()) s->client->write(wire);
}

void MitmProxy::write_server(const std::shared_ptr<Session>& s, std::string_view text) {
  if (s->ended || text.empty()) return;
  if (s->own_starttls || (s->tls_server && !s->tls_server->handshake_done())) {
    s->to_server.append(text);
    return;
  }
  if (!s->tls_server) {
    s->server->write(text);
    return;
  }
  s->tls_server->write_plaintext(text);
  std::string wire = s->tls_server->take_ciphertext();
  if (!wire.empty()) s->server->write(wire);
}

// impersonate - answer the client's STARTTLS as if we were the server (our own STARTTLS with the
// server follows once the client has accepted the forged certificate).
void MitmProxy::impersonate(const std::shared_ptr<Session>& s) {
  note(s, "mitm answers STARTTLS itself and presents a self-signed certificate in the name of " + s->server_name);
  s->client->write("220 2.0.0 Ready to start TLS\r\n");
  s->phase = Session::Phase::Split;
  s->tls_client = ctx_.tls.factory(s->server_name, TlsVerify::None, true)(true, "");
  if (!s->tls_client) {
    note(s, "cannot make a forged certificate for " + s->server_name + ": dropping the connection");
    end(s, true);
    return;
  }
  trace_tls(s->client, "start (server)", 2);
  s->tls_client->start();
  pump_client_tls(s);
  // Our own STARTTLS with the server waits until the client has accepted the forgery: a client
  // that refuses it leaves no trace of TLS at the server.
}

// pump_client_tls - our TLS with the client: handshake result, then its plaintext to be read.
void MitmProxy::pump_client_tls(const std::shared_ptr<Session>& s) {
  TlsEndpoint& t = *s->tls_client;
  std::string wire = t.take_ciphertext();
  if (!wire.empty()) s->client->write(wire);
  if (!s->client_tls_reported && (t.handshake_done() || t.failed())) {
    s->client_tls_reported = true;
    TlsInfo info = t.info();
    trace_tls(s->client, info.ok ? "done " + info.version + " " + info.cipher : "failed: " + info.error, info.ok ? 1 : 0);
    if (!info.ok) {
      stats_.forgery_refused++;
      note(s, s->client_name + " refused the forged certificate (" + info.error + "): the mitm learns nothing more");
      end(s, false);
      return;
    }
    stats_.impersonated++;
    note(s, s->client_name + " accepted the forged certificate for " + s->server_name +
                ": the mitm reads everything inside this TLS session");
    s->own_starttls = true;
    s->server->write("STARTTLS\r\n");
    std::string pending = std::move(s->to_client);
    s->to_client.clear();
    write_client(s, pending);
  }
  std::string plain = t.take_plaintext();
  if (!plain.empty()) client_text(s, plain);
  if (s->ended) return;
  wire = t.take_ciphertext();
  if (!wire.empty()) s->client->write(wire);
}

// pump_server_tls - our TLS with the server (we do not check its certificate: we are the attacker).
void MitmProxy::pump_server_tls(const std::shared_ptr<Session>& s) {
  TlsEndpoint& t = *s->tls_server;
  std::string wire = t.take_ciphertext();
  if (!wire.empty()) s->server->write(wire);
  if (!s->server_tls_reported && (t.handshake_done() || t.failed())) {
    s->server_tls_reported = true;
    TlsInfo info = t.info();
    trace_tls(s->server, info.ok ? "done " + info.version + " " + info.cipher : "failed: " + info.error, info.ok ? 1 : 0);
    if (!info.ok) {
      note(s, "TLS with " + s->server_name + " failed (" + info.error + "): dropping the connection");
      end(s, true);
      return;
    }
    std::string pending = std::move(s->to_server);
    s->to_server.clear();
    write_server(s, pending);
  }
  std::string plain = t.take_plaintext();
  if (!plain.empty()) server_text(s, plain);
  if (s->ended) return;
  wire = t.take_ciphertext();
  if (!wire.empty()) s->server->write(wire);
}

}  // namespace smtpsim
