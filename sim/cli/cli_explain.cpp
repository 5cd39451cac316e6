// cli_explain.cpp - `smtpsim explain CODE`: replies from the catalogue the servers use (SMTP and
// POP3), with their meaning, the client's next step and the RFC; `explain TERM`: a glossary term
// (MSA, MX, octet...); `explain terms`: the glossary; `explain retry`: the retry presets.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ostream>

#include "sim/cli/cli_commands.hpp"
#include "sim/core/ascii.hpp"
#include "sim/cli/cli_text.hpp"
#include "sim/core/glossary.hpp"
#include "sim/export/export_transcript.hpp"
#include "sim/net/network.hpp"
#include "sim/pop3/pop3_catalog.hpp"
#include "sim/reply/reply_all.hpp"
#include "sim/roles/mta_retry.hpp"
#include "sim/scenario/scenario_build.hpp"
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/smtp/smtp_catalog.hpp"

namespace smtpsim::cli {

namespace {

using smtp::ReplyEntry;

constexpr std::size_t kWidth = 100;  // text columns of the explanations


// QueryParts - the reply code and enhanced status written in a query, when it has them.
struct QueryParts {
  int code = 0;
  std::string status;
};

// query_parts - pick "550" and "5.1.1" out of "550 5.1.1" (other words are ignored here).
QueryParts query_parts(const std::string& q) {
  QueryParts p;
  std::size_t i = 0;
  while (i < q.size()) {
    while (i < q.size() && std::isspace(static_cast<unsigned char>(q[i]))) ++i;
    std::size_t j = i;
    while (j < q.size() && !std::isspace(static_cast<unsigned char>(q[j]))) ++j;
    std::string tok = q.substr(i, j - i);
    if (tok.size() == 3 && std::all_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; }))
      p.code = std::stoi(tok);
    else if (smtp::is_enhanced_status(tok))
      p.status = tok;
    i = j;
  }
  return p;
}

// status_line - "5.1.1 Permanent Failure / Addressing Status / Bad destination mailbox address".
std::string status_line(std::string_view status) {
  auto info = smtp::describe_status(status);
  if (!info) return "";
  std::string s = std::string(status) + " " + std::string(info->klass) + " / " + std::string(info->subject);
  if (!info->detail.empty()) s += " / " + std::string(info->detail);
  return s;
}

// status_block - the status line plus its registry description and RFC, indented.
std::string status_block(std::string_view status) {
  auto info = smtp::describe_status(status);
  if (!info) return "";
  std::string s = status_line(status) + "\n";
  if (!info->description.empty()) s += "  " + std::string(info->description) + "\n";
  if (!info->rfc.empty()) s += "  see " + std::string(info->rfc) + "\n";
  return s;
}

// print_entry - one catalogue entry as a small block.
void print_entry(std::ostream& out, const ReplyEntry& e, const QueryParts& q) {
  const std::string hang(11, ' ');
  out << e.label() << " " << e.text << "\n";
  out << wrap(std::string(e.meaning), kWidth, "  meaning: ", hang);
  out << wrap(std::string(smtp::to_string(e.next_kind)) + (e.next.empty() ? "" : " - " + std::string(e.next)),
              kWidth, "  client:  ", hang);
  if (e.protocol == smtp::ReplyProtocol::Smtp && !e.enhanced.empty() && e.enhanced != q.status) {
    std::string sl = status_line(e.enhanced);
    if (!sl.empty()) out << "  status:  " << sl << "\n";
  }
  out << "  see:     " << e.rfc << "   (catalogue key " << e.key << ")\n";
}

// query_is_status_only - true when `query` is one enhanced status code and nothing else ("4.4.7").
bool query_is_status_only(const std::string& query) {
  std::size_t b = query.find_first_not_of(" \t"), e = query.find_last_not_of(" \t");
  return b != std::string::npos && smtp::is_enhanced_status(query.substr(b, e - b + 1));
}

// status_use - where a status that no reply of the catalogue carries shows up in a run.
std::string status_use(const std::string& status) {
  if (status == "4.4.7")
    return wrap("No server reply carries it: the simulated MTAs write it themselves, in the Status: field of "
                "a bounce (DSN, RFC 3464) for a message that expired in the queue with no more precise "
                "reason on record. When its last attempt failed with a status (a reply such as \"451 4.3.0\", "
                "or the MTA's own 4.4.1 for no answer, 4.4.3 for a DNS failure), the bounce keeps that "
                "status instead, as Postfix does (RFC 3463 3.1: a persistent transient failure stays 4.x.x).",
                kWidth, "", "");
  return wrap("No reply of the simulated servers sends " + status +
                  "; an MTA may still write it in the Status: field of a delivery report (DSN, RFC 3464).",
              kWidth, "", "");
}

// glossary_suggestion - " (did you mean 'MX'?)" for the closest glossary term, or "".
std::string glossary_suggestion(const std::string& query) {
  std::vector<std::string> terms;
  for (const GlossaryEntry& e : glossary_all()) terms.emplace_back(glossary_key(e.term));
  return scenario::did_you_mean(glossary_key(query), terms);
}

// explain_term - one glossary entry: the term and its hover line, the paragraph, other names, RFC.
int explain_term(const GlossaryEntry& e, Context& ctx) {
  ctx.out << e.term << " - " << e.short_text << "\n\n";
  ctx.out << wrap(std::string(e.long_text), kWidth, "  ", "  ");
  if (!e.aliases.empty()) ctx.out << wrap(std::string(e.aliases), kWidth, "\n  also:  ", "         ");
  if (!e.rfc.empty()) ctx.out << "  see:   " << e.rfc << "\n";
  ctx.out.flush();
  return kExitOk;
}

// explain_terms - every glossary term with its one-line text.
int explain_terms(Context& ctx) {
  ctx.out << "Terms `smtpsim explain TERM` explains (the visualizer's hover texts):\n\n";
  for (const GlossaryEntry& e : glossary_all()) {
    std::string name = "  " + std::string(e.term);
    name.resize(std::max<std::size_t>(name.size() + 2, 24), ' ');
    ctx.out << wrap(std::string(e.short_text), kWidth, name, std::string(24, ' '));
  }
  ctx.out.flush();
  return kExitOk;
}

// explain_reply - the catalogue entries answering `query`.
int explain_reply(const std::string& query, Context& ctx) {
  const smtp::Catalog& cat = reply::all_replies();
  std::vector<const ReplyEntry*> hits = cat.explain(query);
  QueryParts q = query_parts(query);
  std::string header;
  if (q.code) {
    std::string cls = smtp::describe_code_class(q.code);
    if (!cls.empty()) header += std::to_string(q.code) + ": " + cls + "\n";
  }
  if (!q.status.empty()) header += status_block(q.status);

  if (hits.empty() && !q.code && !q.status.empty() && smtp::describe_status(q.status) &&
      query_is_status_only(query)) {
    // A registered status no server reply carries (4.4.7 is the simulator's own, in bounces).
    ctx.out << header << "\n" << status_use(q.status);
    ctx.out.flush();
    return kExitOk;
  }
  if (hits.empty()) {
    ctx.err << "smtpsim explain: no reply in the catalogue matches '" << exporter::printable(query) << "'.\n";
    if (!header.empty()) ctx.err << "What the code itself says:\n" << header;
    ctx.err << "Nor is it a term of the glossary" << glossary_suggestion(query) << ".\n";
    ctx.err << "Try a reply code (550), an enhanced status (5.1.1), both (\"550 5.1.1\"), a POP3 reply "
               "(+OK, -ERR, \"-ERR [IN-USE]\"), or a term (MSA, MX, octet; `smtpsim explain terms` lists them).\n";
    return kExitUsage;
  }
  if (!header.empty()) ctx.out << header << "\n";
  bool exact = q.code && !q.status.empty() &&
               std::any_of(hits.begin(), hits.end(), [&](const ReplyEntry* e) {
                 return e->code == q.code && e->enhanced == q.status;
               });
  if (q.code && !q.status.empty() && !exact)
    ctx.out << "No reply sends " << q.code << " with " << q.status << " together; the replies with either:\n\n";
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (i) ctx.out << "\n";
    print_entry(ctx.out, *hits[i], q);
  }
  ctx.out.flush();
  return kExitOk;
}

// hms - "00:15:00" (whole seconds).
std::string hms(SimTime t) {
  std::string s = format_time(t);
  return s.substr(0, s.size() - 4);
}

// lesson_schedule - what a lesson with `retry: NAME` runs (the lesson's preset in the roles' form).
std::optional<RetrySchedule> lesson_schedule(const std::string& name) {
  static const std::pair<const char*, scenario::RetryPreset> kPresets[] = {
      {"story", scenario::RetryPreset::Story},
      {"sendmail", scenario::RetryPreset::Sendmail},
      {"postfix", scenario::RetryPreset::Postfix},
      {"exim", scenario::RetryPreset::Exim}};
  for (const auto& [n, p] : kPresets)
    if (name == n) return scenario::to_retry_preset(scenario::retry_preset(p));
  return std::nullopt;
}

// kAttemptCost - how long an attempt at a destination that never answers lasts in a run: the
// network's connect timeout. The tables use it, so they show the times the MTA really keeps.
const Duration kAttemptCost = NetConfig{}.connect_timeout;

// longest_gap - the largest wait between two attempts of a schedule.
Duration longest_gap(const std::vector<SimTime>& t) {
  Duration g = 0;
  for (std::size_t i = 1; i < t.size(); ++i) g = std::max(g, t[i] - t[i - 1]);
  return g;
}

// first_warning - when a run sends the delay warning: at the end of the first attempt that fails
// once the message is warn_after old (sim/roles/mta_queue.cpp decides it at the deferral).
std::optional<SimTime> first_warning(const RetrySchedule& p, const std::vector<SimTime>& t) {
  if (!p.warn_after) return std::nullopt;
  for (SimTime a : t)
    if (a + kAttemptCost >= *p.warn_after && a + kAttemptCost < p.give_up_after) return a + kAttemptCost;
  return std::nullopt;
}

// explain_retry_all - the four presets side by side.
int explain_retry_all(Context& ctx) {
  std::vector<std::string> names = retry_preset_names();
  std::vector<RetrySchedule> presets;
  std::vector<std::vector<SimTime>> times;
  for (const auto& n : names) {
    auto p = lesson_schedule(n);
    if (!p) p = retry_preset(n);
    if (!p) continue;
    presets.push_back(*p);
    times.push_back(attempt_times(*p, kAttemptCost));
  }
  std::ostream& out = ctx.out;
  out << "Retry schedules (retry: PRESET in a lesson file). A message whose destination never answers is\n"
         "tried at these times, counted from its first attempt; then the sender gets a bounce. Each\n"
         "attempt waits " << format_duration(kAttemptCost) << " for a connect timeout, and real MTAs count the next wait from the end of\n"
         "the attempt (the story counts from its start).\n\n";
  for (const auto& p : presets) {
    char name[16];
    std::snprintf(name, sizeof name, "%-10s", p.name.c_str());
    out << wrap(p.description, kWidth, "  " + std::string(name), std::string(12, ' '))
        << wrap(describe(p), kWidth, std::string(12, ' '), std::string(14, ' '));
  }

  const SimTime window = hours(6);
  out << "\nAttempts in the first 6 hours:\n";
  out << "     #";
  for (const auto& p : presets) {
    char col[16];
    std::snprintf(col, sizeof col, "  %-10s", p.name.c_str());
    out << col;
  }
  out << "\n";
  std::size_t rows = 0;
  for (const auto& t : times)
    rows = std::max<std::size_t>(rows, std::size_t(std::count_if(t.begin(), t.end(), [&](SimTime x) { return x < window; })));
  for (std::size_t r = 0; r < rows; ++r) {
    char num[32];
    std::snprintf(num, sizeof num, "%6zu", r + 1);
    out << num;
    for (const auto& t : times) {
      std::string cell = r < t.size() && t[r] < window ? hms(t[r]) : "";
      char col[24];
      std::snprintf(col, sizeof col, "  %-10s", cell.c_str());
      out << col;
    }
    out << "\n";
  }

  out << "\nUntil the bounce:\n";
  out << "              attempts  longest gap    delay warning         bounces after\n";
  for (std::size_t i = 0; i < presets.size(); ++i) {
    const RetrySchedule& p = presets[i];
    const std::optional<SimTime> warn = first_warning(p, times[i]);
    const std::string warn_text =
        warn ? format_duration_exact(*p.warn_after) + ", sent " + hms(*warn) : std::string("never");
    char line[192];
    std::snprintf(line, sizeof line, "  %-10s  %8zu  %-13s  %-20s  %s\n", p.name.c_str(), times[i].size(),
                  format_duration_exact(longest_gap(times[i])).c_str(), warn_text.c_str(),
                  format_duration_exact(p.give_up_after).c_str());
    out << line;
  }
  out << "A delay warning goes out when the first attempt that fails after the warning age ends.\n";
  out << "\nThese are the times an MTA in a run keeps. `smtpsim explain retry PRESET` lists every attempt\n"
         "of one preset.\n";
  out.flush();
  return kExitOk;
}

// explain_retry_one - every attempt of one preset until the bounce.
int explain_retry_one(const std::string& name, Context& ctx) {
  const std::string lower = ascii_lower_copy(name);
  auto p = lesson_schedule(lower);
  if (!p) p = retry_preset(lower);
  if (!p) {
    ctx.err << "smtpsim explain: no retry preset '" << name << "'"
            << scenario::did_you_mean(lower, retry_preset_names()) << "; the presets are "
            << scenario::join_list(retry_preset_names()) << ".\n";
    return kExitUsage;
  }
  std::vector<SimTime> t = attempt_times(*p, kAttemptCost);
  ctx.out << wrap(p->name + ": " + p->description, kWidth, "", "  ") << wrap(describe(*p), kWidth, "", "  ") << "\n";
  const std::optional<SimTime> warn = first_warning(*p, t);
  for (std::size_t i = 0; i < t.size(); ++i) {
    char line[96];
    std::snprintf(line, sizeof line, "  %4zu  %s", i + 1, hms(t[i]).c_str());
    ctx.out << line;
    if (i) ctx.out << "  (+" << format_duration_exact(t[i] - t[i - 1]) << ")";
    ctx.out << "\n";
    if (warn && *warn == t[i] + kAttemptCost)
      ctx.out << "        " << hms(*warn) << "  delay warning to the sender: this attempt failed and the message is over "
              << format_duration_exact(*p->warn_after) << " old\n";
  }
  ctx.out << "        " << hms(p->give_up_after) << "  bounce: the message is " << format_duration_exact(p->give_up_after)
          << " old\n                  (its Status: is the last failure's: 4.3.0 after \"451 4.3.0\", 4.4.1 when no "
             "server answered)\n";
  ctx.out.flush();
  return kExitOk;
}

}  // namespace

// cmd_explain - `smtpsim explain CODE` / `explain TERM` / `explain terms` / `explain retry [PRESET]`.
int cmd_explain(const std::vector<std::string>& args, Context& ctx) {
  ParsedArgs a;
  try {
    a = parse_args(args, std::span<const FlagSpec>{}, ParseMode::DashPositionals);
  } catch (const UsageError& e) {
    return usage_error(ctx, "explain", e.what());
  }
  if (a.positional.empty())
    return usage_error(ctx, "explain", "what should be explained? (smtpsim explain 550, explain 5.1.1, explain retry)");
  const std::string first = ascii_lower_copy(a.positional[0]);
  if (first == "retry") {
    if (a.positional.size() > 2)
      return usage_error(ctx, "explain", "explain retry takes at most one preset name");
    return a.positional.size() == 2 ? explain_retry_one(a.positional[1], ctx) : explain_retry_all(ctx);
  }
  std::string query;
  for (const auto& w : a.positional) query += (query.empty() ? "" : " ") + w;
  if (first == "terms" || first == "glossary") {
    if (a.positional.size() > 1) return usage_error(ctx, "explain", "explain terms takes no argument");
    return explain_terms(ctx);
  }
  if (const GlossaryEntry* e = glossary_find(query)) return explain_term(*e, ctx);
  return explain_reply(query, ctx);
}

}  // namespace smtpsim::cli
