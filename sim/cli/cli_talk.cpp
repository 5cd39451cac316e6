// cli_talk.cpp - `smtpsim talk FILE HOST:PORT`: a person (or a piped script) types SMTP or POP3 at a
// server of a running lesson, like `telnet mx 25`. A "terminal" host joins the lesson's network
// with a private 1 ms link to the target (bypassing the lesson's own path and its faults); each
// input line is written to the stream as given (with --raw: each chunk, as it arrives, so a
// client's TLS handshake after STARTTLS/STLS gets through) and the simulation runs on 2 virtual
// seconds; what the server sends is printed as it arrives.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <ostream>
#include <set>

#include "sim/cli/cli_commands.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/scenario_suggest.hpp"

namespace smtpsim::cli {

namespace {

constexpr Duration kAfterLine = sec(2);       // virtual time the world runs on after each line
constexpr Duration kAfterEof = sec(10);       // ... and at most after the end of input
constexpr Duration kConnectWait = sec(2);     // for the connection and the greeting
constexpr std::size_t kMaxPending = 1 << 20;  // a "line" longer than this is sent in pieces

// TalkState - what the terminal's stream has seen (shared with the stream handler).
struct TalkState {
  std::ostream* out = nullptr;     // the server's bytes
  std::ostream* status = nullptr;  // telnet's own lines: `out`, or stderr with --raw
  StreamPtr stream;
  bool connect_done = false;
  ConnectResult connect_result = ConnectResult::Timeout;
  bool peer_eof = false;  // the server closed its side
  bool ended = false;     // the stream is finished
  CloseReason reason = CloseReason::Closed;
  bool announced = false;  // the closing message was printed
};

// announce_close - telnet's words for the end of the conversation (printed once).
void announce_close(TalkState& st) {
  if (st.announced) return;
  st.announced = true;
  std::ostream& out = *st.status;
  if (st.ended && st.reason == CloseReason::Reset) out << "Connection reset by foreign host.\n";
  else if (st.ended && st.reason == CloseReason::Timeout) out << "Connection timed out (the network stalled).\n";
  else if (st.peer_eof || (st.ended && st.reason == CloseReason::Closed)) out << "Connection closed by foreign host.\n";
  else out << "Connection closed.\n";
  out.flush();
}

// pick_terminal - a host name and address the lesson does not use ("terminal", 10.255.0.1).
std::pair<std::string, std::string> pick_terminal(const scenario::ScenarioSpec& spec) {
  std::string name = "terminal";
  for (int i = 2; spec.find_host(name); ++i) name = "terminal" + std::to_string(i);
  std::set<std::string> ips;
  for (const auto& h : spec.hosts) ips.insert(h.ip);
  for (const auto& d : spec.domains)
    for (const auto& a : d.a) ips.insert(a.ip);
  for (int c = 0; c < 256; ++c)
    for (int d = 1; d < 255; ++d) {
      std::string ip = "10.255." + std::to_string(c) + "." + std::to_string(d);
      if (!ips.count(ip)) return {name, ip};
    }
  return {name, "10.254.254.254"};
}

// find_target - the lesson host named (or addressed) `host`, or nullptr.
const scenario::HostSpec* find_target(const scenario::ScenarioSpec& spec, const std::string& host) {
  if (const auto* h = spec.find_host(host)) return h;
  for (const auto& h : spec.hosts)
    if (h.ip == host) return &h;
  return nullptr;
}

// server_ports - the ports a lesson host is configured to listen on.
std::vector<std::uint16_t> server_ports(const scenario::HostSpec& h) {
  std::vector<std::uint16_t> ports;
  if (const auto* s = h.server()) ports.push_back(s->port);
  if (const auto* p = h.as<scenario::Pop3Options>()) ports.push_back(p->port);
  return ports;
}

// bypass_notice - the first status line: which of the lesson's links the private link bypasses,
// and that the lesson's faults on that path do not apply to this conversation.
std::string bypass_notice(const scenario::ScenarioSpec& spec, const scenario::HostSpec& target,
                          const std::string& term_name) {
  std::vector<std::string> peers;
  for (const auto& l : spec.links) {
    if (l.a == target.name) peers.push_back(l.b);
    else if (l.b == target.name) peers.push_back(l.a);
  }
  std::string path = peers.empty() ? "(it has no link of its own in the lesson)"
                                   : "bypassing the lesson's links to it (" + target.name + " <-> " +
                                         scenario::join_list(peers, 40) + ")";
  return "(" + term_name + " -> " + target.name + ": a private 1 ms link that is not part of the lesson, " + path +
         "; the lesson's faults on that path - links down, latency, loss, cut-offs - do not apply to this "
         "conversation)";
}

// read_some - one read() from stdin: >0 bytes, 0 at EOF, -1 on error (EINTR retried).
ssize_t read_some(char* buf, std::size_t n) {
  for (;;) {
    ssize_t r = ::read(0, buf, n);
    if (r >= 0 || errno != EINTR) return r;
  }
}

}  // namespace

// cmd_talk - `smtpsim talk FILE HOST:PORT`: a typed conversation with a server of a running lesson.
int cmd_talk(const std::vector<std::string>& args, Context& ctx) {
  static constexpr FlagSpec kFlags[] = {{"--crlf", false}, {"--raw", false}, {"--seed", true}};
  ParsedArgs a;
  std::string host;
  std::uint16_t port = 0;
  std::optional<std::uint64_t> seed;
  try {
    a = parse_args(args, kFlags);
    if (a.positional.size() != 2)
      throw UsageError(a.positional.size() < 2 ? "expected a lesson file and HOST:PORT (smtpsim talk FILE HOST:PORT)"
                                               : "too many arguments: expected a lesson file and HOST:PORT");
    std::tie(host, port) = parse_host_port(a.positional[1]);
    if (auto v = a.value("--seed")) seed = parse_seed("--seed", *v);
  } catch (const UsageError& e) {
    return usage_error(ctx, "talk", e.what());
  }
  const bool crlf = a.has("--crlf");
  const bool raw = a.has("--raw");
  if (crlf && raw) return usage_error(ctx, "talk", "--crlf and --raw do not go together: --raw passes bytes on unchanged");
  const std::string& file = a.positional[0];

  scenario::LoadResult lr = scenario::load_scenario_file(file);
  if (!lr.ok()) {
    ctx.err << lr.format() << file << ": " << lr.error_count() << " error(s); cannot talk to it\n";
    return kExitUsage;
  }
  const scenario::ScenarioSpec& spec = *lr.spec;
  const scenario::HostSpec* target = find_target(spec, host);
  if (!target) {
    std::vector<std::string> names;
    for (const auto& h : spec.hosts) names.push_back(h.name);
    ctx.err << "smtpsim talk: unknown host '" << host << "' in " << file << scenario::did_you_mean(host, names)
            << "\nThe lesson's hosts: " << scenario::join_list(names, 40) << "\n";
    return kExitUsage;
  }
  auto [term_name, term_ip] = pick_terminal(spec);

  HostId term_id = kNoHost, target_id = kNoHost;
  scenario::RunOptions opts;
  opts.seed = seed;
  opts.keep_bytes = false;
  opts.before_start = [&](scenario::BuiltWorld& b) {
    World& w = *b.world;
    target_id = b.hosts.at(target->name);
    term_id = w.add_host(term_name, term_ip);
    LinkParams p;
    p.latency = msec(1);
    w.net.add_link(term_id, target_id, p);
  };
  std::unique_ptr<scenario::ScenarioRun> run;
  try {
    run = std::make_unique<scenario::ScenarioRun>(spec, std::move(opts));
  } catch (const std::runtime_error& e) {
    ctx.err << e.what() << "\n" << file << ": cannot build this lesson's network\n";
    return kExitUsage;
  }
  World& w = run->world();
  if (!w.net.listening(target_id, port)) {
    std::string listening;
    for (std::uint16_t p : server_ports(*target))
      if (w.net.listening(target_id, p)) listening += (listening.empty() ? "" : ", ") + std::to_string(p);
    ctx.err << "smtpsim talk: nothing listens on " << target->name << ":" << port << " ("
            << (listening.empty() ? "it has no server role (" + std::string(scenario::to_string(target->role)) + ")"
                                  : "it listens on port " + listening)
            << ")\n";
    return kExitUsage;
  }

  if (::isatty(0) == 1 && !crlf)
    ctx.err << "(lines go out as typed, ending in LF alone; SMTP and POP3 want CRLF - start with --crlf "
               "if the server does not answer)\n";
  auto st = std::make_shared<TalkState>();
  st->out = &ctx.out;
  st->status = raw ? &ctx.err : &ctx.out;
  *st->status << bypass_notice(spec, *target, term_name) << "\n";
  *st->status << "Trying " << ipv4_to_string(w.net.host_ip(target_id)) << "...\n" << std::flush;
  w.net.connect(term_id, w.net.host_ip(target_id), port, [st](ConnectResult r, StreamPtr s) {
    st->connect_done = true;
    st->connect_result = r;
    if (r != ConnectResult::Ok) return;
    st->stream = s;
    *st->status << "Connected to " << s->remote_name() << ".\n" << std::flush;
    StreamHandler h;
    h.on_data = [st](std::string_view bytes) { st->out->write(bytes.data(), std::streamsize(bytes.size())); };
    h.on_eof = [st] { st->peer_eof = true; };
    h.on_closed = [st](CloseReason reason) {
      st->ended = true;
      st->reason = reason;
      st->stream.reset();
    };
    s->set_handler(std::move(h));
  });
  // run_for - let the world run on; stop early once the conversation is over.
  auto run_for = [&](Duration d) {
    const SimTime end = w.sched.now() + d;
    while (w.sched.now() < end && !st->peer_eof && !st->ended)
      run->run_until(std::min(end, w.sched.now() + msec(100)));
    ctx.out.flush();
  };
  run_for(kConnectWait);
  if (!st->connect_done || st->connect_result != ConnectResult::Ok) {
    ctx.err << "smtpsim talk: cannot connect to " << target->name << ":" << port << ": "
            << (st->connect_done ? to_string(st->connect_result) : "no answer yet") << "\n";
    return kExitFailed;
  }

  // Lines go out one write each, whatever the pipe's chunking: a script behaves like typing.
  // With --raw every chunk goes out as it arrives, unchanged: a real client's TLS ClientHello
  // after STARTTLS/STLS ends in no newline and must not wait for one.
  std::string pending;
  char buf[4096];
  bool eof = false;
  auto send = [&](std::string bytes) {
    if (!st->stream || st->peer_eof) return;
    if (crlf && !bytes.empty() && bytes.back() == '\n' && (bytes.size() < 2 || bytes[bytes.size() - 2] != '\r'))
      bytes.insert(bytes.size() - 1, 1, '\r');
    st->stream->write(bytes);
    run_for(kAfterLine);
  };
  while (!eof && !st->peer_eof && !st->ended) {
    ssize_t n = read_some(buf, sizeof buf);
    if (n < 0) {
      ctx.err << "smtpsim talk: reading stdin failed: " << std::strerror(errno) << "\n";
      eof = true;
      break;
    }
    if (n == 0) {
      eof = true;
      break;
    }
    if (raw) {
      send(std::string(buf, std::size_t(n)));
      continue;
    }
    pending.append(buf, std::size_t(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos && !st->peer_eof && !st->ended) {
      send(pending.substr(0, nl + 1));
      pending.erase(0, nl + 1);
    }
    if (pending.size() > kMaxPending) {
      send(pending);
      pending.clear();
    }
  }
  if (eof && !pending.empty()) send(pending);
  if (eof && st->stream && !st->peer_eof && !st->ended) {
    st->stream->shutdown_write();
    run_for(kAfterEof);
  }
  if (st->stream && !st->ended) st->stream->close();
  run->run_until(w.sched.now());
  announce_close(*st);
  return st->ended && (st->reason == CloseReason::Reset || st->reason == CloseReason::Timeout) ? kExitFailed : kExitOk;
}

}  // namespace smtpsim::cli
