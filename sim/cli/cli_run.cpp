// cli_run.cpp - `smtpsim run FILE...`: load each lesson, run it with the exporters streaming from
// its trace, then print the expectations, ledger problems and the summary line; --summary-json.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include "sim/cli/cli_commands.hpp"
#include "sim/cli/cli_exporters.hpp"
#include "sim/cli/cli_progress.hpp"
#include "sim/export/export_json.hpp"
#include "sim/export/export_jsonl.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_transcript.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace smtpsim::cli {

namespace {

using exporter::JsonObject;
using exporter::json_quote;

constexpr FlagSpec kRunFlags[] = {
    {"--seed", true},   {"--until", true},        {"--transcript", false},
    {"--events", true}, {"--pcap", true},         {"--summary-json", true},
    {"--keylog", true},
};

// RunFlags - the options of one `smtpsim run`.
struct RunFlags {
  std::optional<std::uint64_t> seed;
  std::optional<SimTime> until;
  bool transcript = false;
  std::optional<std::string> events, pcap, summary_json, keylog;
};

// FileOutcome - one lesson's exit status and its entry in the summary JSON.
struct FileOutcome {
  int status = kExitOk;
  std::string json;
};

// lesson_name - the file name without directory and .yaml/.yml ("story").
std::string lesson_name(const std::string& file) {
  std::filesystem::path p(file);
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" ? p.stem().string() : p.filename().string();
}

// output_path - the pattern with every "{name}" replaced by the lesson's name.
std::string output_path(const std::string& pattern, const std::string& file) {
  std::string out = pattern;
  const std::string name = lesson_name(file);
  for (std::size_t p = out.find("{name}"); p != std::string::npos; p = out.find("{name}", p + name.size()))
    out.replace(p, 6, name);
  return out;
}

// json_array - "[a,b,c]" from JSON values.
std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

// invalid_json - the summary entry of a file that could not be run.
std::string invalid_json(const std::string& file, const std::string& why, const std::vector<std::string>& diags) {
  std::vector<std::string> d;
  for (const auto& s : diags) d.push_back(json_quote(s));
  return JsonObject().str("file", file).str("status", "invalid").num("exit_status", kExitUsage).str("error", why)
      .raw("diagnostics", json_array(d)).done();
}

// open_output - open a file for writing (binary); the error message names the flag and the reason.
std::unique_ptr<std::ofstream> open_output(const std::string& flag, const std::string& path, std::string& error) {
  auto f = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*f) {
    error = flag + ": cannot write '" + path + "': " + std::strerror(errno);
    return nullptr;
  }
  return f;
}

// print_lesson_head - the lesson's title and summary above a transcript: the summary is what says
// what the story is about and how it ends, so a reader of the transcript sees it first.
void print_lesson_head(std::ostream& out, const scenario::LessonInfo& lesson) {
  if (!lesson.title.empty()) out << "Lesson: " << lesson.title << "\n";
  std::string summary = lesson.summary;
  while (!summary.empty() && (summary.back() == '\n' || summary.back() == ' ')) summary.pop_back();
  if (!summary.empty()) out << "Summary: " << summary << "\n";
  if (!lesson.title.empty() || !summary.empty()) out << "\n";
}

// longest_host - the widest host name of a lesson (a stable transcript layout from the first line).
std::size_t longest_host(const scenario::ScenarioSpec& spec) {
  std::size_t w = 0;
  for (const auto& h : spec.hosts) w = std::max(w, h.name.size());
  return w;
}

// report_json - the summary entry of a finished run.
std::string report_json(const scenario::RunReport& r, int status, double wall, bool open_end) {
  std::vector<std::string> ex;
  for (const auto& e : r.expectations)
    ex.push_back(JsonObject().str("expectation", e.expectation.describe()).num("line", e.expectation.src.pos.line)
                     .boolean("pass", e.pass).str("detail", e.detail).done());
  std::vector<std::string> problems;
  for (const auto& p : r.ledger.problems) problems.push_back(json_quote(p));
  std::string messages = JsonObject().num("submitted", r.submitted).num("recipients", r.ledger.recipients)
      .num("delivered", r.ledger.delivered).num("bounced", r.ledger.bounced).num("queued", r.ledger.queued)
      .num("lost", r.ledger.lost).num("duplicates", r.ledger.duplicates).num("dsn_sent", r.ledger.dsn_sent).done();
  char wall_text[32];
  std::snprintf(wall_text, sizeof wall_text, "%.3f", wall);
  return JsonObject().str("file", r.file).str("title", r.title).str("status", r.ok() ? "pass" : "fail")
      .num("exit_status", status).unum("seed", r.seed).str("trace_hash", r.trace_hash).unum("events", r.events)
      .str("end", format_time(r.end)).num("end_us", r.end).boolean("until_quiet", open_end)
      .raw("wall_seconds", wall_text).raw("messages", messages)
      .num("expectations_passed", r.passed).num("expectations_failed", r.failed)
      .raw("expectations", json_array(ex)).raw("ledger_problems", json_array(problems))
      .str("summary", r.summary_line()).done();
}

// run_file - load, run and report one lesson.
FileOutcome run_file(const std::string& file, const RunFlags& flags, Context& ctx) {
  scenario::LoadResult lr = scenario::load_scenario_file(file);
  if (!lr.ok()) {
    ctx.out.flush();
    ctx.err << lr.format();
    ctx.err << file << ": " << lr.error_count() << " error(s); not run\n";
    std::vector<std::string> diags;
    for (const auto& d : lr.diagnostics) diags.push_back(d.to_string());
    return {kExitUsage, invalid_json(file, "invalid lesson file", diags)};
  }
  const scenario::ScenarioSpec& spec = *lr.spec;
  if (!lr.diagnostics.empty()) {
    ctx.out.flush();
    ctx.err << lr.format();  // warnings only
  }
  const bool open_end = !flags.until && spec.run.until_quiet();
  const std::uint64_t seed = flags.seed.value_or(spec.seed);
  ctx.out << "== " << file << ": " << spec.lesson.title << " (seed " << seed << ") ==\n";
  if (flags.transcript) print_lesson_head(ctx.out, spec.lesson);
  ctx.out << std::flush;

  // Declaration order matters: writers detach from the trace before the run (and its trace) goes,
  // and the files outlive the writers that flush into them.
  std::unique_ptr<scenario::ScenarioRun> run;
  std::unique_ptr<std::ofstream> events_file, pcap_file, keylog_file;
  std::unique_ptr<exporter::JsonlWriter> jsonl;
  std::unique_ptr<exporter::PcapWriter> pcap;
  std::unique_ptr<exporter::TranscriptWriter> transcript;

  std::string error;
  std::string events_path, pcap_path, keylog_path;
  if (flags.events) {
    events_path = output_path(*flags.events, file);
    if (!(events_file = open_output("--events", events_path, error))) {
      ctx.err << "smtpsim run: " << error << "\n";
      return {kExitUsage, invalid_json(file, error, {})};
    }
    jsonl = std::make_unique<exporter::JsonlWriter>(*events_file);
  }
  if (flags.pcap) {
    pcap_path = output_path(*flags.pcap, file);
    if (!(pcap_file = open_output("--pcap", pcap_path, error))) {
      ctx.err << "smtpsim run: " << error << "\n";
      return {kExitUsage, invalid_json(file, error, {})};
    }
    pcap = std::make_unique<exporter::PcapWriter>(*pcap_file);
  }
  if (flags.keylog) {
    keylog_path = output_path(*flags.keylog, file);
    if (!(keylog_file = open_output("--keylog", keylog_path, error))) {
      ctx.err << "smtpsim run: " << error << "\n";
      return {kExitUsage, invalid_json(file, error, {})};
    }
  }
  if (flags.transcript) {
    exporter::TranscriptOptions topt;
    topt.host_width = longest_host(spec);
    transcript = std::make_unique<exporter::TranscriptWriter>(ctx.out, topt);
  }

  scenario::RunOptions opts;
  opts.seed = flags.seed;
  opts.until = flags.until;
  opts.keep_bytes = false;  // the exporters stream the bytes as they are emitted
  opts.before_start = [&](scenario::BuiltWorld& b) {
    Trace& trace = b.world->trace;
    // Both ends of every session are in the run, so each secret comes twice: write it once.
    if (keylog_file)
      b.world->tls.set_keylog([out = keylog_file.get(), seen = std::make_shared<std::set<std::string>>()](
                                  std::string_view line) {
        if (seen->insert(std::string(line)).second) *out << line << "\n";
      });
    attach_exporters(trace, jsonl.get(), pcap.get(), transcript.get());
  };

  WallClock wall;
  try {
    run = std::make_unique<scenario::ScenarioRun>(spec, std::move(opts));
  } catch (const std::runtime_error& e) {
    ctx.out.flush();
    ctx.err << e.what() << "\n" << file << ": cannot build this lesson's network; not run\n";
    return {kExitUsage, invalid_json(file, e.what(), {e.what()})};
  }
  {
    const bool show = ctx.err_is_tty && !(flags.transcript && ctx.out_is_tty);
    ProgressLine progress(ctx.err, show);
    Trace& trace = run->world().trace;
    SimTime horizon = run->planned_end() != kNever ? run->planned_end() : spec.run.max;
    // The runner reports every 10 virtual minutes; busy stretches also update from the trace.
    std::size_t sub = 0;
    if (show) {
      sub = trace.subscribe([&, n = std::uint64_t(0)](const TraceEvent& e) mutable {
        if ((++n & 4095) == 0) progress.update(e.time, horizon, open_end, trace.count());
      });
    }
    run->run_to_end([&](SimTime now, SimTime h) {
      horizon = h;
      progress.update(now, h, open_end, trace.count());
    });
    if (sub) trace.unsubscribe(sub);
  }
  if (transcript) transcript->detach();
  if (jsonl) jsonl->detach();
  if (pcap) pcap->detach();
  scenario::RunReport rep = run->finish();
  double wall_seconds = wall.seconds();

  int status = rep.ok() ? kExitOk : kExitFailed;
  std::vector<std::string> write_errors;
  if (transcript) {
    transcript->flush();
    if (!transcript->ok()) write_errors.push_back("the transcript could not be written to stdout");
  }
  if (jsonl) {
    jsonl->flush();
    if (!jsonl->ok() || !events_file->good()) write_errors.push_back("--events: writing '" + events_path + "' failed");
  }
  if (pcap) {
    pcap->flush();
    if (!pcap->ok() || !pcap_file->good()) write_errors.push_back("--pcap: writing '" + pcap_path + "' failed");
  }
  if (keylog_file) {
    run->world().tls.set_keylog(nullptr);
    keylog_file->flush();
    if (!keylog_file->good()) write_errors.push_back("--keylog: writing '" + keylog_path + "' failed");
  }

  char wall_text[64];
  std::snprintf(wall_text, sizeof wall_text, "%.2f s", wall_seconds);
  ctx.out << "ran to " << format_time(rep.end) << " virtual in " << wall_text << ": " << rep.events
          << " events, trace hash " << rep.trace_hash << "\n";
  for (const auto& e : rep.expectations)
    ctx.out << (e.pass ? "PASS " : "FAIL ") << e.expectation.describe() << " - " << e.detail << "\n";
  for (const auto& p : rep.ledger.problems) ctx.out << "LEDGER " << p << "\n";
  ctx.out << rep.summary_line() << "\n" << std::flush;
  for (const auto& w : write_errors) {
    ctx.err << "smtpsim run: " << w << "\n";
    status = std::max(status, kExitUsage);
  }
  return {status, report_json(rep, status, wall_seconds, open_end)};
}

// parse_run_flags - the flags of `run` (UsageError when something is wrong with them).
RunFlags parse_run_flags(const ParsedArgs& a) {
  RunFlags f;
  if (auto v = a.value("--seed")) f.seed = parse_seed("--seed", *v);
  if (auto v = a.value("--until")) f.until = parse_run_time("--until", *v);
  f.transcript = a.has("--transcript");
  f.events = a.value("--events");
  f.pcap = a.value("--pcap");
  f.summary_json = a.value("--summary-json");
  f.keylog = a.value("--keylog");
  if (a.positional.empty()) throw UsageError("no lesson file given (smtpsim run FILE...)");
  // Several lessons must not write one capture or event log over another.
  for (const auto& [flag, pattern] :
       {std::pair{"--events", f.events}, std::pair{"--pcap", f.pcap}, std::pair{"--keylog", f.keylog}}) {
    if (!pattern) continue;
    std::set<std::string> paths;
    for (const auto& file : a.positional) {
      if (!paths.insert(output_path(*pattern, file)).second)
        throw UsageError(std::string(flag) + ": several lessons would write to '" + output_path(*pattern, file) +
                         "'; put {name} in the path (e.g. " + flag + " out-{name}" +
                         (std::string(flag) == "--pcap" ? ".pcap" : std::string(flag) == "--keylog" ? ".keys" : ".jsonl") +
                         ")");
    }
  }
  return f;
}

}  // namespace

// cmd_run - `smtpsim run FILE...`: every lesson in turn, the worst status, --summary-json.
int cmd_run(const std::vector<std::string>& args, Context& ctx) {
  RunFlags flags;
  std::vector<std::string> files;
  try {
    ParsedArgs a = parse_args(args, kRunFlags);
    flags = parse_run_flags(a);
    files = a.positional;
  } catch (const UsageError& e) {
    return usage_error(ctx, "run", e.what());
  }
  std::unique_ptr<std::ofstream> summary;
  if (flags.summary_json) {
    std::string error;
    if (!(summary = open_output("--summary-json", *flags.summary_json, error))) return usage_error(ctx, "run", error);
  }

  WallClock wall;
  int worst = kExitOk;
  int passed = 0, failed = 0, invalid = 0;
  std::vector<std::string> runs;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i) ctx.out << "\n";
    FileOutcome o;
    try {
      o = run_file(files[i], flags, ctx);
    } catch (const std::exception& e) {
      ctx.out.flush();
      ctx.err << "smtpsim run: internal error while running " << files[i] << ": " << e.what() << "\n";
      o = {kExitInternal, JsonObject().str("file", files[i]).str("status", "error").num("exit_status", kExitInternal)
                              .str("error", e.what()).done()};
    }
    worst = std::max(worst, o.status);
    (o.status == kExitOk ? passed : o.status == kExitFailed ? failed : invalid)++;
    runs.push_back(std::move(o.json));
  }
  if (files.size() > 1)
    ctx.out << "\n== " << files.size() << " lessons: " << passed << " passed, " << failed << " failed, " << invalid
            << " not run ==\n";
  ctx.out.flush();

  if (summary) {
    char wall_text[32];
    std::snprintf(wall_text, sizeof wall_text, "%.3f", wall.seconds());
    *summary << JsonObject().str("smtpsim", kVersion).num("exit_status", worst).raw("wall_seconds", wall_text)
                    .raw("runs", json_array(runs)).done()
             << "\n";
    summary->flush();
    if (!summary->good()) {
      ctx.err << "smtpsim run: --summary-json: writing '" << *flags.summary_json << "' failed\n";
      worst = std::max(worst, kExitUsage);
    }
  }
  return worst;
}

}  // namespace smtpsim::cli
