// scenario_runner.cpp - playing a lesson: sends, timeline faults, narration marks, run length.
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/scenario_evidence.hpp"

#include <algorithm>
#include <variant>

#include "sim/scenario/scenario_match.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario {

namespace {
// effect_of - whether a set of switches breaks (each sets a non-normal value), repairs (each
// puts back the normal one) or changes things (some of each); `breaks`/`repairs` count them.
int effect_of(int breaks, int repairs) {
  if (breaks && !repairs) return kFaultBreaks;
  if (repairs && !breaks) return kFaultRepairs;
  return kFaultChanges;
}

// timeline_effect - what a timeline entry does: fault, repair or change (the Fault event's code).
int timeline_effect(const TimelineAction& action) {
  return std::visit(
      [](const auto& a) -> int {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, LinkAction>) {
          if (a.latency || a.bandwidth_bps || a.loss) return kFaultChanges;  // new figures: neither
          return a.up && *a.up ? kFaultRepairs : kFaultBreaks;
        } else if constexpr (std::is_same_v<A, HostAction>) {
          return a.op == HostAction::Op::Restart ? kFaultRepairs : kFaultBreaks;
        } else if constexpr (std::is_same_v<A, BehaviourChange>) {
          int breaks = 0, repairs = 0;
          auto count = [&](bool is_break) { ++(is_break ? breaks : repairs); };
          if (a.reset) ++repairs;
          for (const ReplyOverride& r : a.replies) count(!r.clear);
          for (const std::optional<bool>& f : {a.greylisting, a.drop_mid_data, a.drop_after_data, a.storage_full,
                                               a.close_with_421, a.auth_reject})
            if (f) count(*f);
          if (a.tarpit) count(*a.tarpit > 0);
          return effect_of(breaks, repairs);
        } else if constexpr (std::is_same_v<A, DnsFaultAction>) {
          return a.fault == DnsFaultKind::None ? kFaultRepairs : kFaultBreaks;
        } else {
          return kFaultChanges;  // new DNS records; notes emit no Fault event
        }
      },
      action);
}

unsigned notify_flags(const DsnSpec& d) {
  if (!d.notify_set) return 0;
  if (d.never) return smtp::kNotifyNever;
  return (d.success ? smtp::kNotifySuccess : 0u) | (d.failure ? smtp::kNotifyFailure : 0u) |
         (d.delay ? smtp::kNotifyDelay : 0u);
}
}  // namespace

std::string RunReport::summary_line() const {
  return "messages: " + std::to_string(submitted) + " submitted, " + std::to_string(ledger.delivered) +
         " delivered, " + std::to_string(ledger.bounced) + " bounced, " + std::to_string(ledger.queued) +
         " queued, " + std::to_string(ledger.lost) + " lost" +
         (ledger.duplicates ? ", " + std::to_string(ledger.duplicates) + " duplicated" : std::string()) +
         " | expectations: " + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
}

ScenarioRun::ScenarioRun(const ScenarioSpec& spec, RunOptions opts) : spec_(spec), opts_(opts) {
  built_ = build_world(spec_, opts_.seed.value_or(spec_.seed));
  World& w = *built_.world;
  w.trace.set_keep_bytes(opts_.keep_bytes);
  if (!spec_.expectations.empty()) evidence_ = std::make_shared<ExpectationEvidence>(w.trace);
  if (!spec_.narration.empty()) {
    auto tracker = std::make_shared<ReplyTracker>();
    auto counts = std::make_shared<std::map<int, int>>();
    narration_sub_ = w.trace.subscribe([this, tracker, counts](const TraceEvent& e) {
      std::string answered = tracker->observe(e);
      int next = step_ + 1;
      if (next >= int(spec_.narration.size())) return;
      const NarrationStep& s = spec_.narration[std::size_t(next)];
      bool go = false;
      if (!s.start_on) {
        go = next == 0;  // the first step starts with the run; later ones follow the previous pause
        if (next > 0 && spec_.narration[std::size_t(step_)].pause_on) {
          MatchContext mc{answered, &msgids_};
          if (matches(*spec_.narration[std::size_t(step_)].pause_on, e, mc) &&
              ++(*counts)[-1 - step_] >= spec_.narration[std::size_t(step_)].pause_on->occurrence)
            go = true;
        }
      } else {
        MatchContext mc{answered, &msgids_};
        if (matches(*s.start_on, e, mc) && ++(*counts)[next] >= s.start_on->occurrence) go = true;
      }
      if (!go) return;
      step_ = next;
      // Mark the step right after the event that started it (not inside the trace's own callback).
      world().sched.schedule_in(0, [this, next] {
        const NarrationStep& st = spec_.narration[std::size_t(next)];
        world().ctx.note("", "step " + std::to_string(next + 1) + ": " + st.title + " - " + st.text);
      });
    });
  }
  if (opts_.before_start) opts_.before_start(built_);
  w.start();
  schedule_sends();
  schedule_timeline();
  if (opts_.until) planned_end_ = *opts_.until;
  else if (!spec_.run.until_quiet()) planned_end_ = spec_.run.until;
}

ScenarioRun::~ScenarioRun() {
  if (narration_sub_) built_.world->trace.unsubscribe(narration_sub_);
}

// schedule_sends - each message (by value: the spec may be copied or moved) at its time; those
// recorded with after_event wait for their index instead.
void ScenarioRun::schedule_sends() {
  for (std::size_t i = 0; i < spec_.messages.size(); ++i) {
    const MessageSpec& m = spec_.messages[i];
    if (m.after_event) {
      replays_.push_back({*m.after_event, m.at, true, i});
      continue;
    }
    auto copy = std::make_shared<const MessageSpec>(m);  // one copy shared by every repeat
    for (int k = 0; k < std::max(1, m.repeat); ++k) {
      SimTime at = m.at + SimTime(k) * m.every;
      last_action_ = std::max(last_action_, at);
      world().sched.schedule_at(at, [this, copy] { send(*copy); });
    }
  }
}

// send - hand one message to its mail client.
void ScenarioRun::send(const MessageSpec& m) {
        Mua* mua = world().mua(m.via);
        if (!mua) {
          world().ctx.note("", "message " + m.id + ": no mail client '" + m.via + "' to send it");
          return;
        }
        SendRequest r;
        r.from = m.from;
        r.to = m.to;
        r.cc = m.cc;
        r.bcc = m.bcc;
        r.subject = m.subject;
        r.body = m.body;
        r.raw = m.raw;
        r.raw_body = m.raw_body;
        if (m.size > 0) r.size = m.size;
        r.notify = notify_flags(m.dsn);
        r.ret = m.dsn.ret == DsnSpec::Ret::Full ? smtp::DsnRet::Full
              : m.dsn.ret == DsnSpec::Ret::Headers ? smtp::DsnRet::Headers : smtp::DsnRet::Unspecified;
        r.envid = m.dsn.envid;
        r.headers = m.headers;
        r.label = m.id;
        msgids_[m.index].push_back(mua->send(r));
}

// schedule_timeline - each entry (by value) at its time; recorded ones wait for their index.
void ScenarioRun::schedule_timeline() {
  for (std::size_t i = 0; i < spec_.timeline.size(); ++i) {
    const TimelineEntry& t = spec_.timeline[i];
    if (t.after_event) {
      replays_.push_back({*t.after_event, t.at, false, i});
      continue;
    }
    last_action_ = std::max(last_action_, t.at);
    world().sched.schedule_at(t.at, [this, copy = std::make_shared<const TimelineEntry>(t)] { apply_entry(*copy); });
  }
  // timeline changes before messages at one index, each in file (= applied) order
  std::stable_sort(replays_.begin(), replays_.end(), [](const Replay& a, const Replay& b) {
    return a.after_event != b.after_event ? a.after_event < b.after_event : (!a.message && b.message);
  });
  for (const Replay& r : replays_) last_action_ = std::max(last_action_, r.at);
}

// fire_due - the records whose index has come (the clock first moved to their time when the
// recorded run had moved it there without events), then new messages held since the pause.
void ScenarioRun::fire_due() {
  Scheduler& s = world().sched;
  while (replay_next_ < replays_.size() && replays_[replay_next_].after_event <= s.executed()) {
    const Replay& r = replays_[replay_next_++];
    if (s.now() < r.at) {
      std::optional<SimTime> next = s.next_time();
      if (!next || *next > r.at) {
        s.stop_at_index(std::nullopt);
        s.run_until(r.at);  // runs nothing: only moves the clock, as the recorded run did
      }
    }
    if (r.message) send(spec_.messages[r.index]);
    else apply_entry(spec_.timeline[r.index]);
  }
  std::vector<MessageSpec> held;
  held.swap(held_);
  for (const MessageSpec& m : held) send(m);
}

// advance - run to t, stopping at each record's index to apply it.
void ScenarioRun::advance(SimTime t) {
  Scheduler& s = world().sched;
  fire_due();
  while (replay_next_ < replays_.size()) {
    const Replay& r = replays_[replay_next_];
    s.stop_at_index(r.after_event);
    s.run_until(t);
    s.stop_at_index(std::nullopt);
    if (s.executed() < r.after_event) return;  // reached t first
    if (r.at > t) {  // the record's index is reached, but it happened after t: stop at t
      std::optional<SimTime> next = s.next_time();
      if (!next || *next > t) {
        s.run_until(t);
        return;
      }
    }
    fire_due();
  }
  s.run_until(t);
}

bool ScenarioRun::step() {
  fire_due();
  Scheduler& s = world().sched;
  s.stop_at_index(std::nullopt);
  return s.step();
}

bool ScenarioRun::run_to_event(std::uint64_t n) {
  while (executed() < n)
    if (!step()) return false;
  return true;
}

std::optional<SimTime> ScenarioRun::next_event_time() { return world().sched.next_time(); }

// apply - timeline changes now; messages when the run resumes (see the header); both recorded.
void ScenarioRun::apply(Action action) {
  fire_due();  // what was recorded at this point comes first
  AppliedAction rec{now(), executed(), action};
  if (auto* t = std::get_if<TimelineEntry>(&rec.action)) {
    t->at = now();
    t->after_event.reset();
    if (auto* b = std::get_if<BehaviourChange>(&t->action))
      for (ReplyOverride& r : b->replies)  // a line written by hand: its code, as the loader reads it
        if (!r.clear && r.code == 0)
          if (auto parsed = parse_reply_line(r.line)) {
            r.code = parsed->code;
            r.line = parsed->line;
          }
    apply_entry(*t);
  } else {
    MessageSpec& m = std::get<MessageSpec>(rec.action);
    m.index = int(spec_.messages.size()) + 1 + extra_messages_++;
    if (m.id.empty()) m.id = "extra-" + std::to_string(m.index);
    m.at = now();
    m.after_event.reset();
    m.repeat = 1;
    m.every = 0;
    if (m.via.empty())
      for (const HostSpec& h : spec_.hosts)
        if (const MuaOptions* o = h.as<MuaOptions>(); o && o->user == m.from) {
          m.via = h.name;
          break;
        }
    held_.push_back(m);
  }
  actions_.push_back(std::move(rec));
}

std::vector<std::string> ScenarioRun::message_ids(int index) const {
  auto it = msgids_.find(index);
  return it == msgids_.end() ? std::vector<std::string>{} : it->second;
}

void ScenarioRun::run_until(SimTime t) { advance(t); }

void ScenarioRun::run_to_end(const std::function<void(SimTime, SimTime)>& progress) {
  Scheduler& s = world().sched;
  const SimTime max = std::max(spec_.run.max, last_action_);
  auto step_to = [&](SimTime t) {
    while (s.now() < t) {
      SimTime next = std::min(t, s.now() + minutes(10));
      advance(next);
      if (progress) progress(s.now(), planned_end_ == kNever ? max : planned_end_);
    }
  };
  if (planned_end_ != kNever) {
    step_to(planned_end_);
    return;
  }
  step_to(last_action_);
  advance(s.now());  // what is due right now (sends at 0s) runs before asking busy()
  while (s.now() < max && world().busy()) step_to(std::min(max, s.now() + minutes(1)));
  planned_end_ = std::min(max, s.now() + spec_.run.grace);
  step_to(planned_end_);
}

void ScenarioRun::apply_entry(const TimelineEntry& t) {
  World& w = world();
  std::string what;
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, NoteAction>) {
          w.ctx.note("", t.note);
          return;
        } else if constexpr (std::is_same_v<A, LinkAction>) {
          // One network link, or the two halves of a link a mitm sits on (scenario_build.cpp).
          std::vector<LinkId> ls = built_.links_between(a.a, a.b);
          if (ls.empty()) { what = "no link between " + a.a + " and " + a.b; return; }
          for (std::size_t i = 0; i < ls.size(); ++i) {
            LinkParams p = w.net.link_params(ls[i]);
            if (a.latency) p.latency = ls.size() == 1 ? *a.latency : i == 0 ? *a.latency / 2 : *a.latency - *a.latency / 2;
            if (a.bandwidth_bps) p.bandwidth_bps = *a.bandwidth_bps;
            if (a.loss && i == 0) p.loss = *a.loss;
            w.net.set_link_params(ls[i], p);
            if (a.up) w.net.set_link_up(ls[i], *a.up);
          }
          what = "link " + a.a + " <-> " + a.b + (a.up ? (*a.up ? " up" : " down") : " changed");
        } else if constexpr (std::is_same_v<A, HostAction>) {
          HostId h = built_.hosts.at(a.host);
          if (a.op == HostAction::Op::Crash) { what = a.host + " crashes"; w.net.crash(h, "timeline: crash"); }
          else { what = a.host + " restarts"; w.net.restart(h); }
        } else if constexpr (std::is_same_v<A, BehaviourChange>) {
          what = apply_behaviour(w, a);
        } else if constexpr (std::is_same_v<A, DnsFaultAction>) {
          DnsFault f = a.fault == DnsFaultKind::NxDomain ? DnsFault::NxDomain
                     : a.fault == DnsFaultKind::ServFail ? DnsFault::ServFail
                     : a.fault == DnsFaultKind::Timeout ? DnsFault::Timeout : DnsFault::None;
          w.zones.set_fault(a.name, f);
          what = "DNS for " + a.name + ": " + (f == DnsFault::None ? std::string("answers normally again") : std::string("now answers ") + to_string(a.fault));
        } else if constexpr (std::is_same_v<A, DnsChangeAction>) {
          if (a.remove || a.mx || a.null_mx || a.a) {
            // Replace what the entry names; keep the rest.
            std::vector<std::uint32_t> keep_a;
            DnsAnswer old_a = w.zones.lookup_a(a.name);
            DnsAnswer old_mx = w.zones.lookup_mx(a.name);
            w.zones.remove(a.name);
            if (!a.remove) {
              if (a.null_mx) w.zones.set_null_mx(a.name);
              else if (a.mx) for (const MxEntry& m : *a.mx) w.zones.add_mx(a.name, m.pref, m.host);
              else for (const MxRecord& m : old_mx.mx) w.zones.add_mx(a.name, m.preference, m.exchange);
              if (a.a) {
                for (const AddressRecord& r : *a.a) {
                  std::uint32_t ip = 0;
                  if (!r.host.empty()) parse_ipv4(spec_.find_host(r.host)->ip, ip);
                  else parse_ipv4(r.ip, ip);
                  w.zones.add_a(a.name, ip);
                }
              } else {
                for (std::uint32_t ip : old_a.addrs) w.zones.add_a(a.name, ip);
              }
            }
          }
          what = "DNS records of " + a.name + (a.remove ? " removed" : " changed");
        } else if constexpr (std::is_same_v<A, RetryAction>) {
          what = apply_retry(w, a);
        }
      },
      t.action);
  if (std::holds_alternative<NoteAction>(t.action)) return;
  TraceEvent e;
  e.time = w.sched.now();
  e.kind = TraceKind::Fault;
  e.code = timeline_effect(t.action);
  e.text = what + (t.note.empty() ? "" : " - " + t.note);
  w.trace.emit(std::move(e));
}

}  // namespace smtpsim::scenario
