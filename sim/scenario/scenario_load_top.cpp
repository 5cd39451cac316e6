// scenario_load_top.cpp - the small top-level sections: lesson, seed, until and retry schedules.
#include <algorithm>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario::detail {

namespace {

// read_never_or_duration - a duration, or never/off (kNever).
std::optional<Duration> read_never_or_duration(Diags& d, const Val& v) {
  if (v.is_scalar()) {
    std::string l = to_lower(v.text());
    if (l == "never" || l == "off" || l == "none") return kNever;
  }
  return read_duration(d, v);
}

// positive - report "must be longer than 0" for a zero duration.
bool positive(Diags& d, const Val& v, Duration x) {
  if (x > 0) return true;
  d.error(v.pos, v.name + ": must be longer than 0");
  return false;
}

// read_backoff - a factor >= 1.
std::optional<double> read_backoff(Diags& d, const Val& v) {
  auto f = read_number(d, v);
  if (!f) return std::nullopt;
  if (*f < 1.0 || *f > 100.0) {
    d.error(v.pos, v.name + ": must be from 1 to 100 (1 = a fixed interval, 2 = doubling), got " +
                       v.text());
    return std::nullopt;
  }
  return f;
}

// read_stage_body - every / first+backoff+max_interval of a stage (or of a one-stage schedule).
bool read_stage_body(Diags& d, Fields& f, RetryStage& s, const char* where) {
  bool ok = true;
  if (f.has("every") && (f.has("first") || f.has("backoff"))) {
    d.error(f.key_pos("every"), std::string("every: cannot be combined with first/backoff in ") +
                                    where + " (every = a fixed interval; first + backoff = growing)");
    return false;
  }
  if (f.has("every")) {
    Val v = f.get("every");
    if (auto x = read_duration(d, v); x && positive(d, v, *x)) s.interval = *x;
    else ok = false;
  } else if (f.has("first") || f.has("backoff")) {
    if (!f.has("first")) {
      d.error(f.key_pos("backoff"), "backoff: needs first: (the first interval, like first: 5m)");
      return false;
    }
    Val v = f.get("first");
    if (auto x = read_duration(d, v); x && positive(d, v, *x)) s.interval = *x;
    else ok = false;
    if (f.has("backoff")) {
      if (auto b = read_backoff(d, f.get("backoff"))) s.factor = *b;
      else ok = false;
    }
  }
  if (f.has("max_interval")) {
    Val v = f.get("max_interval");
    if (!f.has("backoff")) {
      d.error(f.key_pos("max_interval"), "max_interval: only applies with backoff:");
      ok = false;
    } else if (auto x = read_duration(d, v); x && positive(d, v, *x)) {
      s.max_interval = *x;
    } else {
      ok = false;
    }
  }
  return ok;
}

}  // namespace

void Loader::read_lesson(const Val& v) {
  if (!v.present) return;
  Fields f(d, v, KeyPlace::Lesson, &spec.lesson.src);
  if (!f.ok()) return;
  f.check();
  if (!f.has("title")) d.error(f.pos(), "lesson: has no title (add title: \"...\")");
  if (auto t = f.get("title"); t.present)
    if (auto s = read_prose(d, t)) {
      if (s->empty()) d.error(t.pos, "title: is empty");
      spec.lesson.title = *s;
    }
  if (auto t = f.get("summary"); t.present)
    if (auto s = read_prose(d, t)) spec.lesson.summary = *s;
  if (auto t = f.get("tags"); t.present)
    for (const Val& item : items(d, t, true, &spec.lesson.src))
      if (auto s = read_text(d, item)) spec.lesson.tags.push_back(*s);
  if (auto t = f.get("level"); t.present)
    if (auto l = read_enum<Level>(d, t, {{"beginner", Level::Beginner},
                                         {"intermediate", Level::Intermediate},
                                         {"advanced", Level::Advanced}}))
      spec.lesson.level = *l;
}

void Loader::read_seed(const Val& v) {
  if (!v.present) return;
  if (auto s = read_uint64(d, v)) spec.seed = *s;
}

void Loader::read_until(const Val& v) {
  RunLength& run = spec.run;
  run.src.pos = v.pos;
  if (!v.present) return;
  run.src.keys["until"] = v.pos;
  if (v.is_scalar()) {
    if (to_lower(v.text()) == "quiet") return;
    if (auto t = read_time(d, v)) {
      if (*t == 0) d.error(v.pos, "until: must be later than 0 (or write until: quiet)");
      else run.until = *t;
    }
    return;
  }
  if (!v.is_map()) {
    d.error(v.pos, "until: expected a time like 6h, quiet, or { quiet: true, grace: 10m, max: 2d }, "
                   "got " + shown(v.node));
    return;
  }
  Fields f(d, v, KeyPlace::Until, &run.src);
  f.check();
  if (auto q = f.get("quiet"); q.present)
    if (auto b = read_bool(d, q); b && !*b)
      d.error(q.pos, "quiet: false needs a fixed end instead: write until: 6h");
  if (auto g = f.get("grace"); g.present)
    if (auto x = read_duration(d, g)) run.grace = *x;
  if (auto m = f.get("max"); m.present)
    if (auto x = read_time(d, m)) {
      if (*x == 0) d.error(m.pos, "max: must be later than 0");
      else run.max = *x;
    }
}

const std::vector<std::pair<std::string, RetryPreset>>& Loader::retry_presets() {
  static const std::vector<std::pair<std::string, RetryPreset>> presets{
      {"story", RetryPreset::Story},
      {"sendmail", RetryPreset::Sendmail},
      {"postfix", RetryPreset::Postfix},
      {"exim", RetryPreset::Exim}};
  return presets;
}

std::optional<RetrySpec> Loader::read_retry(const Val& v) {
  const auto& presets = retry_presets();
  if (v.is_scalar()) {
    auto p = read_enum<RetryPreset>(d, v, presets);
    if (!p) return std::nullopt;
    RetrySpec r = retry_preset(*p);
    r.src.pos = v.pos;
    return r;
  }
  if (!v.is_map()) {
    d.error(v.pos, "retry: expected a preset (story, sendmail, postfix, exim) or a schedule like "
                   "{ every: 15m, give_up_after: 4h }, got " + shown(v.node));
    return std::nullopt;
  }
  RetrySpec r;
  Fields f(d, v, KeyPlace::Retry, &r.src);
  f.check();
  std::size_t before = d.errors();
  RetryPreset base = RetryPreset::Story;
  if (auto p = f.get("preset"); p.present)
    if (auto e = read_enum<RetryPreset>(d, p, presets)) base = *e;
  SourceInfo src = r.src;
  r = retry_preset(base);
  r.src = src;
  if (f.written().size() > (f.has("preset") ? 1u : 0u)) r.preset = RetryPreset::Custom;

  int forms = int(f.has("every") || f.has("first")) + int(f.has("intervals")) + int(f.has("stages"));
  if (forms > 1) {
    d.error(v.pos, "retry: give one schedule: every (fixed), first + backoff (growing), intervals "
                   "(a list) or stages (Exim style)");
    return std::nullopt;
  }
  if (f.has("every") || f.has("first") || f.has("backoff")) {
    RetryStage s;
    s.src.pos = v.pos;
    if (read_stage_body(d, f, s, "retry")) r.stages = {s};
  } else if (f.has("max_interval")) {
    d.error(f.key_pos("max_interval"), "max_interval: only applies with backoff:");
  }
  if (f.has("intervals")) {
    Val iv = f.get("intervals");
    std::vector<RetryStage> stages;
    for (const Val& item : items(d, iv, false, &r.src)) {
      auto x = read_duration(d, item);
      if (!x || !positive(d, item, *x)) continue;
      RetryStage s;
      s.interval = *x;
      s.attempts = 1;
      s.src.pos = item.pos;
      stages.push_back(s);
    }
    if (iv.is_list() && iv.node.size() == 0) d.error(iv.pos, "intervals: is empty");
    if (!stages.empty()) {
      stages.back().attempts = 0;  // the last interval repeats
      r.stages = stages;
    }
  }
  if (f.has("stages")) {
    Val sv = f.get("stages");
    std::vector<RetryStage> stages;
    Duration last_until = 0;
    for (const Val& item : items(d, sv, false, &r.src)) {
      RetryStage s;
      Fields sf(d, item, KeyPlace::RetryStage, &s.src);
      if (!sf.ok()) continue;
      sf.check();
      if (!sf.has("every") && !sf.has("first"))
        d.error(sf.pos(), "retry stage: needs every: (fixed) or first: + backoff: (growing)");
      bool ok = read_stage_body(d, sf, s, "a retry stage");
      if (auto u = sf.get("until"); u.present) {
        if (auto x = read_duration(d, u)) {
          if (*x <= last_until)
            d.error(u.pos, "until: stages must end later and later (this one ends at " +
                               format_duration(*x) + ", the one before at " +
                               format_duration(last_until) + ")");
          s.until = *x;
          last_until = *x;
        }
      }
      if (auto a = sf.get("attempts"); a.present)
        if (auto n = read_int(d, a, 1, 10000)) s.attempts = int(*n);
      if (ok) stages.push_back(s);
    }
    if (sv.is_list() && sv.node.size() == 0) d.error(sv.pos, "stages: is empty");
    if (!stages.empty()) r.stages = stages;
  }
  if (auto q = f.get("queue_run"); q.present)
    if (auto x = read_duration(d, q)) r.queue_run = *x;
  if (auto w = f.get("warn_after"); w.present)
    if (auto x = read_never_or_duration(d, w)) r.warn_after = *x;
  if (auto g = f.get("give_up_after"); g.present)
    if (auto x = read_duration(d, g); x && positive(d, g, *x)) r.give_up_after = *x;
  if (r.warn_after != kNever && r.warn_after >= r.give_up_after && d.errors() == before)
    d.warning(r.src.at("warn_after"), "warn_after: " + format_duration(r.warn_after) +
                                          " is not before give_up_after " +
                                          format_duration(r.give_up_after) +
                                          ": the sender is never warned before the bounce");
  if (d.errors() != before) return std::nullopt;
  return r;
}

}  // namespace smtpsim::scenario::detail
