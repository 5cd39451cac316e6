// cli_live.cpp - `smtpsim live LESSON --expose HOST:PORT=127.0.0.1:LOCALPORT ...`: run a lesson in
// real time (virtual clock = wall clock x --speed) with some of its servers reachable by real mail
// clients over loopback (sim/live). Prints one `ready ...` line once listening (after --write-ca),
// runs until SIGINT/SIGTERM or --for, then says what is still queued.
#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <set>

#include "sim/cli/cli_commands.hpp"
#include "sim/cli/cli_exporters.hpp"
#include "sim/export/export_jsonl.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_transcript.hpp"
#include "sim/live/live_args.hpp"
#include "sim/live/live_bridge.hpp"
#include "sim/live/live_gateway.hpp"
#include "sim/live/live_pump.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace smtpsim::cli {

namespace {

constexpr FlagSpec kLiveFlags[] = {
    {"--speed", true},         {"--for", true},    {"--write-ca", true},       {"--events", true},
    {"--pcap", true},          {"--transcript", false}, {"--seed", true},      {"--allow-external", false},
    {"--max-connections", true}, {"--idle-timeout", true}, {"--session-timeout", true},
};

// LiveFlags - the options of one `smtpsim live`.
struct LiveFlags {
  std::string file;
  std::vector<live::Exposure> expose;
  std::vector<live::GatewaySpec> gateways;
  double speed = 1.0;
  std::optional<SimTime> run_for;
  std::optional<std::string> write_ca, events, pcap;
  bool transcript = false;
  std::optional<std::uint64_t> seed;
  bool allow_external = false;
  std::size_t max_connections = 100;
  std::optional<SimTime> idle_timeout, session_timeout;
};

// parse_live_flags - `--expose`/`--gateway` may repeat, so they are taken out (sim/live/live_args) before
// the common parser runs.
LiveFlags parse_live_flags(const std::vector<std::string>& args) {
  LiveFlags f;
  std::vector<std::string> rest;
  live::Targets targets;
  try {
    for (std::size_t i = 0; i < args.size(); ++i)
      if (!live::take_target(args, i, targets)) rest.push_back(args[i]);
  } catch (const live::ArgError& e) {
    throw UsageError(e.what());
  }
  f.expose = std::move(targets.expose);
  f.gateways = std::move(targets.gateways);
  ParsedArgs a = parse_args(rest, kLiveFlags);
  if (a.positional.size() != 1)
    throw UsageError(a.positional.empty() ? "no lesson file given (smtpsim live LESSON --expose HOST:PORT=127.0.0.1:0)"
                                          : "one lesson file at a time");
  f.file = a.positional[0];
  if (f.expose.empty() && f.gateways.empty())
    throw UsageError("nothing to expose: give --expose HOST:PORT=127.0.0.1:LOCALPORT (or --gateway)");
  if (auto v = a.value("--speed")) {
    char* end = nullptr;
    f.speed = std::strtod(v->c_str(), &end);
    if (v->empty() || *end || !(f.speed > 0) || f.speed > 1e6)
      throw UsageError("--speed: expected a number > 0 (1 = real time, 60 = a minute per second), got '" + *v + "'");
  }
  if (auto v = a.value("--for")) f.run_for = parse_run_time("--for", *v);
  if (auto v = a.value("--idle-timeout")) f.idle_timeout = parse_run_time("--idle-timeout", *v);
  if (auto v = a.value("--session-timeout")) f.session_timeout = parse_run_time("--session-timeout", *v);
  if (auto v = a.value("--max-connections")) {
    unsigned n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || p != v->data() + v->size() || n == 0 || n > 100000)
      throw UsageError("--max-connections: expected a number from 1 to 100000, got '" + *v + "'");
    f.max_connections = n;
  }
  if (auto v = a.value("--seed")) f.seed = parse_seed("--seed", *v);
  f.write_ca = a.value("--write-ca");
  f.events = a.value("--events");
  f.pcap = a.value("--pcap");
  f.transcript = a.has("--transcript");
  f.allow_external = a.has("--allow-external");
  return f;
}

// open_file - an output file, or an error message naming the flag.
std::unique_ptr<std::ofstream> open_file(const std::string& flag, const std::string& path, Context& ctx) {
  auto f = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*f) {
    ctx.err << "smtpsim live: " << flag << ": cannot write '" << path << "': " << std::strerror(errno) << "\n";
    return nullptr;
  }
  return f;
}

// report_queues - what the lesson's MTAs still hold when the bridge stops.
void report_queues(World& w, Context& ctx) {
  std::size_t total = 0;
  for (const auto& m : w.mtas()) {
    QueueSnapshot s = m->snapshot();
    for (const auto& l : s.lines) {
      ctx.out << "queued " << s.host << " " << l.qid << " " << l.rcpt << " " << l.state
              << (l.last_reply.empty() ? "" : " (" + l.last_reply + ")") << "\n";
      ++total;
    }
  }
  ctx.out << "still queued: " << total << " recipient(s)"
          << (total ? " (kept in the lesson's spools; nothing was dropped)" : "") << "\n";
  // What the mailboxes hold (a store shared by several hosts counted once).
  std::set<const mail::MailboxStore*> stores;
  std::uint64_t stored = 0;
  for (const auto& m : w.mtas()) {
    const mail::MailboxStore* st = m->config().store.get();
    if (!st || !stores.insert(st).second) continue;
    for (const auto& mb : st->mailboxes()) stored += st->usage(mb).messages;
  }
  ctx.out << "stored in mailboxes: " << stored << " message(s)\n";
}

}  // namespace

// cmd_live - `smtpsim live`: the lesson in real time with real clients on loopback.
int cmd_live(const std::vector<std::string>& args, Context& ctx) {
  LiveFlags flags;
  try {
    flags = parse_live_flags(args);
  } catch (const UsageError& e) {
    return usage_error(ctx, "live", e.what());
  }
  scenario::LoadResult lr = scenario::load_scenario_file(flags.file);
  if (!lr.ok()) {
    ctx.err << lr.format() << flags.file << ": " << lr.error_count() << " error(s); not run\n";
    return kExitUsage;
  }
  const scenario::ScenarioSpec& spec = *lr.spec;

  std::unique_ptr<scenario::ScenarioRun> run;  // declared first: the writers detach before it goes
  std::unique_ptr<std::ofstream> events_file, pcap_file;
  std::unique_ptr<exporter::JsonlWriter> jsonl;
  std::unique_ptr<exporter::PcapWriter> pcap;
  std::unique_ptr<exporter::TranscriptWriter> transcript;
  if (flags.events) {
    if (!(events_file = open_file("--events", *flags.events, ctx))) return kExitUsage;
    jsonl = std::make_unique<exporter::JsonlWriter>(*events_file);
  }
  if (flags.pcap) {
    if (!(pcap_file = open_file("--pcap", *flags.pcap, ctx))) return kExitUsage;
    pcap = std::make_unique<exporter::PcapWriter>(*pcap_file);
  }
  if (flags.transcript) transcript = std::make_unique<exporter::TranscriptWriter>(ctx.out, exporter::TranscriptOptions{});

  scenario::RunOptions opts;
  opts.seed = flags.seed;
  opts.keep_bytes = false;
  opts.before_start = [&](scenario::BuiltWorld& b) {
    Trace& trace = b.world->trace;
    trace.set_recording(false);  // a live run can last for hours: the exporters stream, nothing piles up
    b.world->tls.set_live_names({"localhost"}, {"127.0.0.1", "::1"});
    attach_exporters(trace, jsonl.get(), pcap.get(), transcript.get());
  };
  try {
    run = std::make_unique<scenario::ScenarioRun>(spec, std::move(opts));
  } catch (const std::runtime_error& e) {
    ctx.err << e.what() << "\n" << flags.file << ": cannot build this lesson's network; not run\n";
    return kExitUsage;
  }
  World& world = run->world();

  live::Pump pump(world.sched, flags.speed, [&run](SimTime t) { run->run_until(t); });
  live::BridgeOptions bo;
  bo.expose = flags.expose;
  bo.allow_external = flags.allow_external;
  bo.max_connections = flags.max_connections;
  if (flags.idle_timeout) bo.limits.idle = std::chrono::milliseconds(*flags.idle_timeout / 1000);
  if (flags.session_timeout) bo.limits.total = std::chrono::milliseconds(*flags.session_timeout / 1000);
  for (const auto& d : spec.domains) bo.lesson_domains.insert(d.name);
  live::Bridge bridge(pump, world, bo);
  live::Gateway gateway(pump, world, flags.gateways, flags.allow_external);
  try {
    bridge.open();
    gateway.open();
  } catch (const std::runtime_error& e) {
    ctx.err << "smtpsim live: " << e.what() << "\n";
    return kExitUsage;
  }
  if (flags.write_ca) {
    auto f = open_file("--write-ca", *flags.write_ca, ctx);
    if (!f) return kExitUsage;
    *f << world.tls.ca_pem();
    f->close();
    if (!*f) {
      ctx.err << "smtpsim live: --write-ca: writing '" << *flags.write_ca << "' failed\n";
      return kExitUsage;
    }
  }

  boost::asio::signal_set signals(pump.io(), SIGINT, SIGTERM);
  int signal_seen = 0;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) {
      signal_seen = sig;
      pump.stop();
    }
  });

  ctx.out << bridge.ready_line() << "\n" << std::flush;
  ctx.err << "smtpsim live: " << flags.file << " (seed " << flags.seed.value_or(spec.seed) << ") at speed "
          << flags.speed << "; stop with Ctrl-C\n"
          << std::flush;

  auto wall = flags.run_for ? std::chrono::microseconds(*flags.run_for) : std::chrono::hours(24 * 365);
  try {
    pump.run_for(wall);
  } catch (const std::exception& e) {
    ctx.out.flush();
    ctx.err << "smtpsim live: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  bridge.close();
  if (transcript) transcript->detach();
  if (jsonl) jsonl->detach();
  if (pcap) pcap->detach();
  if (transcript) transcript->flush();
  if (jsonl) jsonl->flush();
  if (pcap) pcap->flush();
  ctx.out << "stopped" << (signal_seen ? std::string(" by ") + (signal_seen == SIGINT ? "SIGINT" : "SIGTERM") : "")
          << " at virtual " << format_time(world.sched.now()) << ": " << bridge.accepted() << " real connection(s), "
          << bridge.refused() << " refused, " << bridge.active() << " still open";
  if (!flags.gateways.empty())
    ctx.out << "; gateways: " << gateway.sessions() << " session(s), " << gateway.failed() << " could not connect";
  ctx.out << "\n";
  report_queues(world, ctx);
  ctx.out << std::flush;
  return kExitOk;
}

}  // namespace smtpsim::cli
