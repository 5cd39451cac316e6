// pop3_client.cpp - the POP3 client engine: login, STAT, UIDL, RETR what is new, DELE, QUIT.
#include "sim/pop3/pop3_client.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <set>
#include <utility>

#include "sim/pop3/pop3_auth.hpp"

namespace smtpsim::pop3 {

namespace {

constexpr std::size_t kMaxStatusLine = 4096;     // RFC 2449 says 512; be lenient, but bounded
constexpr std::size_t kMaxListing = 8u << 20;    // CAPA / UIDL bodies

// printable - peer text made safe for an event.
std::string printable(std::string_view s, std::size_t max = 120) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) out.push_back(c >= 0x20 && c < 0x7F ? char(c) : '?');
  if (s.size() > max) out += "...";
  return out;
}

// clean_token - true if s can go on a command line (no CR, LF, NUL or other controls).
bool clean_token(std::string_view s, bool allow_space) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F || (!allow_space && c == ' ')) return false;
  }
  return true;
}

}  // namespace

// to_string - policy and method names (scenario files use these).
const char* to_string(TlsPolicy p) {
  switch (p) {
    case TlsPolicy::None: return "none";
    case TlsPolicy::Opportunistic: return "opportunistic";
    case TlsPolicy::Required: return "required";
  }
  return "?";
}
const char* to_string(AuthMethod m) {
  switch (m) {
    case AuthMethod::UserPass: return "user";
    case AuthMethod::Apop: return "apop";
    case AuthMethod::SaslPlain: return "plain";
  }
  return "?";
}

// Client - a session not yet open.
Client::Client(ClientConfig cfg, ClientState& state) : cfg_(std::move(cfg)), state_(state) {
  if (cfg_.pipeline_window < 1) cfg_.pipeline_window = 1;
}

// on_open - wait for the greeting.
void Client::on_open(SimTime now) {
  if (done_ || !pending_.empty()) return;
  last_io_ = now;
  state_.sessions++;
  if (cfg_.tls_active) {
    tls_active_ = true;
    result_.tls = true;
  }
  pending_.push_back({Op::Greeting, 0, {}});
}

// on_bytes - parse straight from the caller's bytes when nothing is buffered (no extra copy).
void Client::on_bytes(std::string_view bytes, SimTime now) {
  if (done_ || bytes.empty()) return;
  last_io_ = now;
  if (in_.empty()) {
    const std::size_t used = consume(bytes, now);
    if (used < bytes.size() && !done_) in_.assign(bytes.substr(used));
  } else {
    in_.append(bytes);
    const std::size_t used = consume(in_, now);
    in_.erase(0, std::min(used, in_.size()));
  }
  if (done_) in_.clear();
}

// consume - status lines and multi-line blocks; returns the octets used.
std::size_t Client::consume(std::string_view data, SimTime now) {
  std::size_t pos = 0;
  while (pos < data.size() && !done_) {
    if (awaiting_tls_) {
      // The server must not send anything between +OK and the handshake.
      note("ignored " + std::to_string(data.size() - pos) + " plaintext octets received after STLS +OK",
           ProtoEvent::Kind::Error);
      return data.size();
    }
    if (in_block_) {
      pos += reader_.feed(data.substr(pos));
      if (reader_.done()) {
        in_block_ = false;
        on_block_done(now);
      }
      continue;
    }
    const void* lf = std::memchr(data.data() + pos, '\n', data.size() - pos);
    if (lf == nullptr) {
      if (data.size() - pos > kMaxStatusLine) abort("response line longer than " + std::to_string(kMaxStatusLine) + " octets");
      break;
    }
    const std::size_t end = std::size_t(static_cast<const char*>(lf) - data.data());
    std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_status(line, now);
  }
  return pos;
}

// on_status - one status line answering the oldest pending command.
void Client::on_status(std::string_view line, SimTime /*now*/) {
  if (pending_.empty()) {
    abort("unexpected line from server: \"" + printable(line) + "\"");
    return;
  }
  if (pending_.front().op == Op::Auth && (line == "+" || line.substr(0, 2) == "+ ")) {
    // A server that ignores the initial response asks for it again.
    const std::string resp = sasl_plain_encode(cfg_.user, cfg_.password);
    out_.bytes += resp + "\r\n";
    out_.events.push_back({ProtoEvent::Kind::Command, 0, "****"});
    return;
  }
  Status st;
  if (!parse_status(line, st)) {
    abort("not a POP3 status line: \"" + printable(line) + "\"");
    return;
  }
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  if (!st.ok && !st.code.empty()) result_.last_code = st.code;
  const auto shown = [&line]() { return printable(line); };

  switch (p.op) {
    case Op::Greeting:
      if (!st.ok) {
        fail("server refused the session: " + shown());
        abort("refused greeting");
        return;
      }
      timestamp_ = greeting_timestamp(line);
      if (cfg_.use_capa) send(Op::Capa, "CAPA");
      else after_capa();
      return;
    case Op::Capa:
      if (st.ok) {
        block_.clear();
        reader_.reset(&block_, kMaxListing);
        block_for_ = p;
        in_block_ = true;
        return;
      }
      caps_known_ = false;
      pipelining_ = false;
      result_.capabilities.clear();
      note("server has no CAPA (RFC 1939 only)");
      after_capa();
      return;
    case Op::Stls:
      if (st.ok) {
        awaiting_tls_ = true;
        out_.start_tls = true;
        note("STLS accepted: starting TLS");
        return;
      }
      if (cfg_.tls == TlsPolicy::Required) {
        fail("STLS refused and TLS is required: " + shown());
        quit();
        return;
      }
      note("STLS refused: continuing without TLS (" + shown() + ")");
      start_login();
      return;
    case Op::User:
      if (st.ok) {
        send(Op::Pass, "PASS " + cfg_.password);
        return;
      }
      fail("USER refused: " + shown());
      quit();
      return;
    case Op::Pass:
    case Op::Apop:
    case Op::Auth:
      if (st.ok) {
        result_.logged_in = true;
        after_login();
        return;
      }
      fail("login failed: " + shown());
      quit();
      return;
    case Op::Stat: {
      if (!st.ok) {
        fail("STAT failed: " + shown());
        quit();
        return;
      }
      const std::string_view t = st.text;
      const std::size_t sp = t.find(' ');
      std::optional<std::uint64_t> n, octets;
      if (sp != std::string_view::npos) {
        n = parse_number(t.substr(0, sp));
        octets = parse_number(t.substr(sp + 1, t.find(' ', sp + 1) - sp - 1));
      }
      if (!n || !octets) {
        fail("malformed STAT answer: " + shown());
        quit();
        return;
      }
      result_.stat_count = *n;
      result_.stat_octets = *octets;
      if (*n == 0) {
        state_.seen.clear();  // nothing on the server: nothing to remember
        note("maildrop is empty");
        quit();
        return;
      }
      send(Op::Uidl, "UIDL");
      return;
    }
    case Op::Uidl:
      if (st.ok) {
        block_.clear();
        reader_.reset(&block_, kMaxListing);
        block_for_ = p;
        in_block_ = true;
        return;
      }
      note("server has no UIDL: every message is fetched as new", ProtoEvent::Kind::Error);
      {
        std::vector<std::pair<std::size_t, std::string>> listing;
        for (std::uint64_t i = 1; i <= result_.stat_count && i <= 1000000; ++i) listing.emplace_back(i, "");
        plan_fetch(listing);
      }
      return;
    case Op::Retr:
      if (st.ok) {
        current_ = FetchedMessage{p.number, std::move(p.uidl), {}};
        // "+OK 1234 octets": reserve once, bounded by what we would accept.
        const std::string_view t = st.text;
        if (auto sz = parse_number(t.substr(0, t.find(' '))))
          current_.raw.reserve(std::size_t(std::min<std::uint64_t>(*sz, cfg_.max_message_bytes)));
        reader_.reset(&current_.raw, std::size_t(cfg_.max_message_bytes));
        block_for_ = p;
        in_block_ = true;
        return;
      }
      fail("RETR " + std::to_string(p.number) + " failed: " + shown());
      pump();
      return;
    case Op::Dele:
      if (st.ok) ++dele_ok_;
      else fail("DELE " + std::to_string(p.number) + " failed: " + shown());
      pump();
      return;
    case Op::Quit:
      if (st.ok) {
        result_.ok = true;
        result_.deleted = dele_ok_;
      } else {
        fail("QUIT failed (deletions may not have happened): " + shown());
      }
      out_.close = true;
      done_ = true;
      return;
  }
}

// on_block_done - a whole CAPA / UIDL listing or RETR message has arrived.
void Client::on_block_done(SimTime /*now*/) {
  switch (block_for_.op) {
    case Op::Capa: {
      result_.capabilities.clear();
      std::size_t pos = 0;
      while (pos < block_.size()) {
        std::size_t e = block_.find('\n', pos);
        if (e == std::string::npos) e = block_.size();
        std::string_view l(block_.data() + pos, e - pos);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (!l.empty()) result_.capabilities.emplace_back(l);
        pos = e + 1;
      }
      caps_known_ = true;
      pipelining_ = cfg_.pipelining && has_cap("PIPELINING");
      after_capa();
      return;
    }
    case Op::Uidl: {
      std::vector<std::pair<std::size_t, std::string>> listing;
      std::set<std::uint64_t> numbers;
      std::set<std::string> uids;
      std::size_t pos = 0;
      while (pos < block_.size()) {
        std::size_t e = block_.find('\n', pos);
        if (e == std::string::npos) e = block_.size();
        std::string_view l(block_.data() + pos, e - pos);
        pos = e + 1;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        const std::size_t sp = l.find(' ');
        auto n = sp == std::string_view::npos ? std::nullopt : parse_number(l.substr(0, sp));
        if (!n || *n == 0) {
          if (!l.empty()) note("ignored malformed UIDL line \"" + printable(l) + "\"", ProtoEvent::Kind::Error);
          continue;
        }
        // Message numbers and unique-ids are unique in a maildrop (RFC 1939 7): a listing that
        // repeats one is not trusted for it, or one DELE could count (or remove) twice.
        std::string_view uid = l.substr(sp + 1);
        if (!numbers.insert(*n).second || !uids.insert(std::string(uid)).second) {
          note("ignored UIDL line repeating a message number or unique-id: \"" + printable(l) + "\"",
               ProtoEvent::Kind::Error);
          continue;
        }
        listing.emplace_back(std::size_t(*n), std::string(uid));
      }
      plan_fetch(listing);
      return;
    }
    case Op::Retr: {
      if (reader_.overflow()) {
        fail("message " + std::to_string(current_.number) + " is larger than " +
             std::to_string(cfg_.max_message_bytes) + " octets: not stored");
        current_ = FetchedMessage{};
        pump();
        return;
      }
      const std::size_t size = current_.raw.size();
      std::string text;
      text.reserve(48 + current_.uidl.size());
      text.append("message ").append(std::to_string(current_.number));
      if (!current_.uidl.empty()) text.append(" (").append(current_.uidl).append(")");
      text.append(": ").append(std::to_string(size)).append(" octets received");
      out_.events.push_back({ProtoEvent::Kind::Data, int(std::min<std::size_t>(size, 0x7fffffff)), std::move(text)});
      if (!current_.uidl.empty()) state_.seen.insert(current_.uidl);
      if (!cfg_.leave_on_server) work_.push_front({Op::Dele, current_.number, current_.uidl});
      result_.messages.push_back(std::move(current_));
      current_ = FetchedMessage{};
      pump();
      return;
    }
    default:
      return;
  }
}

// after_capa - STLS by policy, else log in.
void Client::after_capa() {
  if (!tls_active_ && cfg_.tls != TlsPolicy::None) {
    const bool offered = has_cap("STLS");
    if (offered || (cfg_.tls == TlsPolicy::Required && !caps_known_)) {
      send(Op::Stls, "STLS");
      return;
    }
    if (cfg_.tls == TlsPolicy::Required) {
      fail("TLS is required but the server does not offer STLS");
      quit();
      return;
    }
    note("server does not offer STLS: continuing without TLS (opportunistic policy)");
  }
  start_login();
}

// start_login - the configured method.
void Client::start_login() {
  if (!clean_token(cfg_.user, false) || cfg_.user.empty() || !clean_token(cfg_.password, true)) {
    fail("user name or password cannot be sent (empty, spaces or control characters)");
    quit();
    return;
  }
  switch (cfg_.auth) {
    case AuthMethod::UserPass:
      send(Op::User, "USER " + cfg_.user);
      return;
    case AuthMethod::Apop:
      if (timestamp_.empty()) {
        fail("APOP impossible: the greeting has no timestamp");
        quit();
        return;
      }
      send(Op::Apop, "APOP " + cfg_.user + " " + apop_digest(timestamp_, cfg_.password));
      return;
    case AuthMethod::SaslPlain:
      send(Op::Auth, "AUTH PLAIN " + sasl_plain_encode(cfg_.user, cfg_.password));
      return;
  }
}

// after_login - how much is there.
void Client::after_login() { send(Op::Stat, "STAT"); }

// plan_fetch - forget vanished UIDLs, then RETR what is new and DELE what was fetched before.
void Client::plan_fetch(const std::vector<std::pair<std::size_t, std::string>>& listing) {
  // Forget UIDLs the server no longer lists (sorted views: no copies, one sort).
  std::vector<std::string_view> present;
  present.reserve(listing.size());
  for (const auto& [n, uid] : listing) {
    if (!uid.empty()) present.push_back(uid);
  }
  if (!present.empty() && !state_.seen.empty()) {
    std::sort(present.begin(), present.end());
    for (auto it = state_.seen.begin(); it != state_.seen.end();) {
      if (!std::binary_search(present.begin(), present.end(), std::string_view(*it))) it = state_.seen.erase(it);
      else ++it;
    }
  }
  std::uint64_t fresh = 0, old = 0;
  for (const auto& [n, uid] : listing) {
    const bool seen = !uid.empty() && state_.seen.count(uid) != 0;
    if (seen) {
      ++old;
      if (!cfg_.leave_on_server) work_.push_back({Op::Dele, n, uid});  // fetched in an earlier session
      else result_.skipped++;
      continue;
    }
    if (cfg_.max_messages != 0 && new_taken_ >= cfg_.max_messages) continue;
    ++new_taken_;
    ++fresh;
    work_.push_back({Op::Retr, n, uid});
  }
  result_.messages.reserve(result_.messages.size() + fresh);
  note(std::to_string(listing.size()) + " on server, " + std::to_string(fresh) + " to fetch, " + std::to_string(old) +
       " seen before");
  pump();
}

// pump - send queued RETR/DELE within the pipelining window; QUIT when all is answered.
void Client::pump() {
  if (quitting_ || done_ || awaiting_tls_) return;
  const std::size_t window = pipelining_ ? cfg_.pipeline_window : 1;
  while (!work_.empty() && pending_.size() < window) {
    Work w = std::move(work_.front());
    work_.pop_front();
    const char* verb = w.op == Op::Retr ? "RETR " : "DELE ";
    std::string line(verb);
    line += std::to_string(w.number);
    send(w.op, line, w.number, std::move(w.uidl));
  }
  if (work_.empty() && pending_.empty()) quit();
}

// send - one command line, its Command event (secrets masked), its pending answer.
void Client::send(Op op, std::string_view line, std::size_t number, std::string uidl) {
  out_.bytes.append(line);
  out_.bytes.append("\r\n");
  out_.events.push_back({ProtoEvent::Kind::Command, 0, mask_command(line)});
  pending_.push_back({op, number, std::move(uidl)});
}

// quit - end the session politely (once).
void Client::quit() {
  if (quitting_ || done_) return;
  quitting_ = true;
  work_.clear();
  send(Op::Quit, "QUIT");
}

// fail - record an error.
void Client::fail(std::string_view why) {
  result_.errors.emplace_back(why);
  out_.events.push_back({ProtoEvent::Kind::Error, 0, std::string(why)});
}

// note - a Note event.
void Client::note(std::string_view text, ProtoEvent::Kind kind) { out_.events.push_back({kind, 0, std::string(text)}); }

// abort - a protocol failure: close without QUIT (the server will not UPDATE).
void Client::abort(std::string_view why) {
  if (done_) return;
  if (result_.errors.empty() || result_.errors.back() != why) fail(why);
  out_.close = true;
  done_ = true;
  pending_.clear();
  work_.clear();
}

// has_cap - CAPA listed this capability (first word, any case).
bool Client::has_cap(std::string_view name) const {
  for (const auto& c : result_.capabilities) {
    std::string_view w = std::string_view(c).substr(0, c.find(' '));
    if (w.size() != name.size()) continue;
    bool eq = true;
    for (std::size_t i = 0; i < w.size() && eq; ++i) {
      char a = w[i], b = name[i];
      if (a >= 'a' && a <= 'z') a = char(a - 'a' + 'A');
      if (b >= 'a' && b <= 'z') b = char(b - 'a' + 'A');
      eq = a == b;
    }
    if (eq) return true;
  }
  return false;
}

// on_tls - after STLS: forget capabilities (RFC 2595), ask again, log in.
void Client::on_tls(const TlsInfo& info, SimTime now) {
  if (done_) return;
  if (!awaiting_tls_) {  // a driver bug: no STLS was accepted; nothing changes
    note("ignored a TLS handshake result: no STLS was accepted", ProtoEvent::Kind::Error);
    return;
  }
  awaiting_tls_ = false;
  last_io_ = now;
  if (!info.ok) {
    abort("TLS handshake failed: " + info.error);
    return;
  }
  tls_active_ = true;
  result_.tls = true;
  caps_known_ = false;
  pipelining_ = false;
  result_.capabilities.clear();
  note("TLS active (" + info.version + " " + info.cipher + ")");
  if (cfg_.use_capa) send(Op::Capa, "CAPA");
  else start_login();
}

// on_timer - the server took too long to answer.
void Client::on_timer(SimTime now) {
  if (done_ || now < deadline()) return;
  abort("timeout: no answer from the server within " + format_duration(cfg_.timeout));
}

// on_closed - the connection ended; without QUIT's +OK nothing was deleted.
void Client::on_closed(SimTime /*now*/) {
  if (done_) return;
  fail(quitting_ ? "connection closed before QUIT was answered" : "connection closed by the server");
  done_ = true;
  pending_.clear();
  work_.clear();
}

// deadline - while waiting for an answer or a handshake.
SimTime Client::deadline() const {
  if (done_ || (pending_.empty() && !awaiting_tls_) || cfg_.timeout <= 0) return kNever;
  return last_io_ + cfg_.timeout;
}

}  // namespace smtpsim::pop3
