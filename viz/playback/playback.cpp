// playback.cpp - the run behind the window: open, prerun, clock, stepping, rewinding by
// re-simulation, narration pauses, and the hop/trace indices the scene reads.
#include "viz/playback/playback.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_load.hpp"

namespace smtpsim::viz {

namespace {
constexpr double kMinSpeed = 0.1, kMaxSpeed = 10000;

// is_mark - whether a trace event gets a mark on the timeline.
bool is_mark(const TraceEvent& e) {
  return e.kind == TraceKind::Fault || e.kind == TraceKind::Delivery || e.kind == TraceKind::Bounce ||
         (e.kind == TraceKind::Queue &&
          (e.text.find(": attempt ") != std::string::npos || e.text.find(": deferred") != std::string::npos)) ||
         (e.kind == TraceKind::Command && e.text.rfind("RETR", 0) == 0) ||
         (e.kind == TraceKind::Note && e.text.rfind("step ", 0) == 0);
}

// read_text - a whole file ("" when it cannot be read).
std::string read_text(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
}  // namespace

Playback::Playback() = default;

Playback::~Playback() { detach(); }

// detach - stop observing the run and drop it: a dying world still closes streams (FINs), which
// must not reach this object's indices.
void Playback::detach() {
  if (run_) {
    run_->world().net.set_hop_observer({});
    if (sub_) run_->world().trace.unsubscribe(sub_);
  }
  sub_ = 0;
  run_.reset();
  built_ = nullptr;
}

// open - load the file; a bad lesson leaves error() set and nothing loaded.
bool Playback::open(const std::string& path) {
  path_ = path;
  scenario::LoadResult lr = scenario::load_scenario_file(path);
  if (!lr.ok()) {
    error_ = lr.format();
    while (!error_.empty() && error_.back() == '\n') error_.pop_back();
    if (error_.empty()) error_ = path + ": cannot load this lesson";
    return false;
  }
  return open_spec(*lr.spec);
}

// open_spec - take the spec, learn its end from a headless prerun, and build the run at time 0.
bool Playback::open_spec(const scenario::ScenarioSpec& spec, bool prerun) {
  detach();
  base_ = spec;
  spec_ = spec;
  branches_.reset();
  text_ = read_text(spec.file);
  if (path_.empty()) path_ = spec.file;
  error_.clear();
  report_.reset();
  try {
    if (live_) end_ = kNever, marks_.clear();
    else if (prerun) do_prerun();
    else end_ = spec_->run.until_quiet() ? spec_->run.max : spec_->run.until;
    rebuild();
  } catch (const std::exception& e) {
    error_ = e.what();
    detach();
    return false;
  }
  return true;
}

// do_prerun - run the lesson once to its end, as `smtpsim run` does: its end time, the hosts
// that carry traffic and the events worth a mark on the timeline.
void Playback::do_prerun() {
  used_.clear();
  marks_.clear();
  activity_.clear();
  std::size_t sub = 0;
  scenario::RunOptions o;
  o.keep_bytes = false;
  o.before_start = [this, &sub](scenario::BuiltWorld& b) {
    b.world->trace.set_recording(false);
    b.world->net.set_hop_observer([this](const HopRecord& h) {
      used_.insert(h.from);
      used_.insert(h.to);
      activity_.push_back(h.depart);
    });
    sub = b.world->trace.subscribe([this](const TraceEvent& e) {
      if (is_mark(e)) marks_.push_back(e);
    });
  };
  scenario::ScenarioRun pre(*spec_, o);
  pre.run_to_end();
  end_ = pre.world().sched.now();
  pre.world().net.set_hop_observer({});
  pre.world().trace.unsubscribe(sub);
  std::sort(activity_.begin(), activity_.end());
  activity_.erase(std::unique(activity_.begin(), activity_.end()), activity_.end());
  prerun_done_ = true;
}

// rebuild - a fresh run at time 0 with the hop observer and the trace index attached.
void Playback::rebuild() {
  detach();
  hops_.clear();
  wire_.clear();
  answers_.clear();
  relay_.clear();
  chunks_.clear();
  client_cmds_.clear();
  rx_client_.clear();
  tls_since_.clear();
  tls_start_.clear();
  data_windows_.clear();
  attempts_.clear();
  tracker_ = scenario::ReplyTracker();
  watch_ = -1;
  watch_count_ = 0;
  fired_.clear();
  pause_card_ = -1;
  picked_card_ = -1;
  report_.reset();
  now_ = 0;
  capture_.clear();
  skip_target_ = -1;
  scenario::RunOptions o;
  o.keep_bytes = capture_on_;
  if (live_) o.until = kNever;
  else if (!spec_->run.until_quiet()) o.until = spec_->run.until;
  else o.until = end_;
  o.before_start = [this](scenario::BuiltWorld& b) {
    built_ = &b;
    if (live_hook_) live_hook_(b);
    if (capture_on_) capture_.attach(b);
    World* w = b.world.get();
    w->net.set_hop_observer([this](const HopRecord& h) {
      hops_.push_back({h.conn, h.sender, h.from, h.to, h.written, h.depart, h.arrive, h.bytes, h.fin, h.hop, h.hops, h.offset});
      index_chunk(hops_.back());
    });
    sub_ = w->trace.subscribe([this](const TraceEvent& e) { on_event(e); });
  };
  run_ = std::make_unique<scenario::ScenarioRun>(*spec_, o);
  watch_ = run_->current_step();
}

// on_event - index commands/replies/DNS by their chunk, pair replies with commands, and stop
// the clock when the watched narration step's pause_on happens.
void Playback::on_event(const TraceEvent& e) {
  const std::size_t idx = run_ ? run_->world().trace.events().size() - 1 : 0;
  // A server's received copy of a command (rx) is not what its chunk carries back: not indexed.
  if ((e.kind == TraceKind::Command && !e.rx) || e.kind == TraceKind::Reply || e.kind == TraceKind::Dns)
    wire_[WireKey{e.conn, e.host, e.time}].push_back(idx);
  // The trace pairs replies with the server's received copy of the command they answer; where
  // the client's own line is on the same connection, the pairing names that one (what is shown).
  if (e.kind == TraceKind::Command && !e.rx) client_cmds_[e.conn].push_back(idx);
  if (e.kind == TraceKind::Note) index_relay(e);
  if (e.kind == TraceKind::Command && e.rx) {
    auto& q = client_cmds_[e.conn];
    if (!q.empty() && run_->world().trace.events()[q.front()].text == e.text) {
      rx_client_[idx] = q.front();
      q.pop_front();
    }
  }
  if (e.kind == TraceKind::Reply && e.answers) {
    auto c = rx_client_.find(std::size_t(e.answers));
    answers_[idx] = c != rx_client_.end() ? c->second : std::size_t(e.answers);
  }
  if (e.kind == TraceKind::Tls && e.text.rfind("done", 0) == 0 && !tls_since_.count(e.conn)) tls_since_[e.conn] = e.time;
  if (e.kind == TraceKind::Tls && e.text.rfind("start", 0) == 0 && !tls_start_.count(e.conn)) tls_start_[e.conn] = e.time;
  if (e.kind == TraceKind::Reply) {
    auto& w = data_windows_[e.conn];
    if (!w.empty() && w.back().second == kNever && e.code != 354) w.back().second = e.time;
    if (e.code == 354) w.push_back({e.time, kNever});
  }
  if (e.kind == TraceKind::Queue) {
    auto p = e.text.find(": attempt ");
    if (p != std::string::npos) attempts_[{e.host, e.text.substr(0, p)}] = e.time;
  }
  if (live_ && is_mark(e)) marks_.push_back(e);
  std::string answered = tracker_.observe(e);
  if (!run_) return;
  const auto& steps = spec_->narration;
  check_pause(e, answered);
  int cur = run_->current_step();
  if (cur != watch_) {
    watch_ = cur;
    watch_count_ = 0;
    // A step that begins on its own start_on may pause on that very event (the story's
    // "Deferred": starts and stops at the deferral): it counts for the new step's pause_on too.
    if (watch_ >= 0 && watch_ < int(steps.size()) && steps[std::size_t(watch_)].start_on) check_pause(e, answered);
  }
  if (stop_hook_ && !rewinding_ && stop_hook_(e, idx)) {
    pause_hit_ = true;
    run_->world().sched.request_stop();
  }
}

// check_pause - whether e is (the nth match of) the watched step's pause_on: stop the clock there.
void Playback::check_pause(const TraceEvent& e, const std::string& answered) {
  const auto& steps = spec_->narration;
  if (watch_ < 0 || watch_ >= int(steps.size()) || !steps[std::size_t(watch_)].pause_on || fired_.count(watch_)) return;
  scenario::MatchContext mc{answered, nullptr};
  const scenario::EventMatcher& m = *steps[std::size_t(watch_)].pause_on;
  if (m.message == 0 && scenario::matches(m, e, mc) && ++watch_count_ >= m.occurrence) {
    fired_.insert(watch_);
    if (!rewinding_ && !auto_continue_) {
      pause_card_ = watch_;
      pause_hit_ = true;
      run_->world().sched.request_stop();
    }
  }
}

const std::vector<std::size_t>* Playback::wire_events(const WireKey& k) const {
  auto it = wire_.find(k);
  return it == wire_.end() ? nullptr : &it->second;
}

std::optional<std::size_t> Playback::answers(std::size_t reply_index) const {
  auto it = answers_.find(reply_index);
  if (it == answers_.end()) return std::nullopt;
  return it->second;
}

int Playback::shown_card() const {
  if (picked_card_ >= 0) return picked_card_;
  if (pause_card_ >= 0) return pause_card_;
  return run_ ? run_->current_step() : -1;
}

void Playback::set_playing(bool p) {
  if (p && finished()) return;
  if (p) {
    pause_card_ = -1;
    picked_card_ = -1;
  }
  playing_ = p;
}

void Playback::set_live(std::function<void(scenario::BuiltWorld&)> hook) {
  live_ = true;
  live_hook_ = std::move(hook);
  auto_continue_ = true;  // the wall clock does not wait on a card
}

void Playback::set_speed(double s) { speed_ = std::clamp(s, kMinSpeed, kMaxSpeed); }

std::uint64_t Playback::executed() const { return run_ ? run_->world().sched.executed() : 0; }

// run_to - the scheduler to t (forward), stopping at a narration pause.
void Playback::run_to(SimTime t) {
  t = std::min(t, end_);
  // Live, events a socket handler scheduled at the current time must run now (the paused pump
  // waits for them at this very time); a replay has nothing left at now_.
  if (t < now_ || (t == now_ && !live_)) return;
  pause_hit_ = false;
  run_->run_until(t);
  now_ = run_->world().sched.now();
  if (pause_hit_) playing_ = false;
}

void Playback::advance_to(SimTime t) { run_to(t); }

// in_flight - whether a hop spans t (the hops are in send order; scan from the back).
bool Playback::in_flight(SimTime t) const {
  for (std::size_t i = hops_.size(); i-- > 0;) {
    if (hops_[i].depart <= t && t < hops_[i].arrive) return true;
    if (hops_[i].written + minutes(10) < t) break;  // nothing written that long ago is still moving
  }
  return false;
}

// tick - paced by virtual time: speed virtual seconds per wall second; across quiet time (no hop
// in flight) with skip idle on, the clock races to the next event in skip_wall_ wall seconds.
void Playback::tick(double wall_seconds) {
  skipping_ = false;
  if (!playing_ || !run_ || live_) return;  // live: the wall clock (live::Pump) advances the run
  if (finished()) {
    playing_ = false;
    return;
  }
  double step_us = speed_ * wall_seconds * 1e6;
  if (hold_ && *hold_ <= now_) return;  // an --actions entry is due: it applies first
  if (skip_idle_ && !in_flight(now_)) {
    // The next moment bytes move (known from the prerun: the same run), else the next event.
    SimTime target = end_;
    if (prerun_done_) {
      auto it = std::upper_bound(activity_.begin(), activity_.end(), now_);
      if (it != activity_.end()) target = std::min(*it, end_);
    } else if (std::optional<SimTime> next = run_->world().sched.next_time()) {
      target = std::min(*next, end_);
    }
    double gap = double(target - now_);
    if (gap > step_us * 4 || (skip_target_ == target && gap > 0)) {
      // One quiet stretch at one pace, fixed when the race towards this target begins: it takes
      // skip_wall_ wall seconds, whatever is left (recomputing the pace from the gap left made
      // every frame cover only a share of it: a slowing crawl of many frames near the end).
      if (skip_target_ != target) {
        skip_target_ = target;
        skip_rate_ = gap / skip_wall_;
      }
      skipping_ = true;
      step_us = std::max(step_us, skip_rate_ * wall_seconds + 1);
      // land exactly on the event rather than past it
      if (now_ + SimTime(step_us) > target) step_us = double(target - now_);
    }
  }
  SimTime to = now_ + std::max<SimTime>(1, SimTime(std::llround(step_us)));
  run_to(hold_ ? std::min(to, *hold_) : to);
  if (finished()) playing_ = false;
}

void Playback::step_event() {
  if (!run_ || finished() || live_) return;
  playing_ = false;
  Scheduler& s = run_->world().sched;
  auto nt = s.next_time();
  if (!nt || *nt > end_) {
    run_to(end_);
    return;
  }
  s.stop_at_index(s.executed() + 1);  // exactly one event, even when others share its time
  s.run_until(*nt);
  s.stop_at_index(std::nullopt);
  now_ = s.now();
}

void Playback::step_exchange() {
  if (!run_ || finished() || live_) return;
  playing_ = false;
  Trace& tr = run_->world().trace;
  Scheduler& s = run_->world().sched;
  std::size_t before = tr.events().size();
  for (int guard = 0; guard < 1000000; ++guard) {
    auto nt = s.next_time();
    if (!nt || *nt > end_) {
      run_to(end_);
      return;
    }
    s.stop_at_index(s.executed() + 1);
    s.run_until(*nt);
    s.stop_at_index(std::nullopt);
    now_ = s.now();
    const auto& ev = tr.events();
    for (std::size_t i = before; i < ev.size(); ++i)
      if (ev[i].kind == TraceKind::Command || ev[i].kind == TraceKind::Reply) return;
    before = ev.size();
  }
}

void Playback::step_back() {
  if (!run_ || live_) return;  // live: real clients' bytes cannot be sent again
  std::uint64_t n = run_->world().sched.executed();
  playing_ = false;
  if (n <= 1) {
    rebuild();
    return;
  }
  resim_to(n - 1, kNever);
}

void Playback::resim_to(std::uint64_t n, SimTime t) {
  rebuild();
  rewinding_ = true;
  run_->run_to_event(n);
  run_->fire_pending();  // what was done by hand at this point (hand actions replay here)
  Scheduler& s = run_->world().sched;
  if (t != kNever && s.now() < t) {
    std::optional<SimTime> next = s.next_time();
    if (!next || *next > t) s.run_until(t);  // runs nothing: only moves the clock
  }
  rewinding_ = false;
  now_ = s.now();
}

void Playback::seek(SimTime t) {
  if (!run_ || live_) return;  // live: the clock is the wall clock's
  t = std::clamp<SimTime>(t, 0, end_);
  if (t < now_) {
    bool was = playing_;
    rebuild();
    rewinding_ = true;
    run_->run_until(t);
    rewinding_ = false;
    now_ = run_->world().sched.now();
    playing_ = was;
    return;
  }
  bool keep = auto_continue_;
  auto_continue_ = true;  // a seek forward jumps over pauses
  run_to(t);
  auto_continue_ = keep;
}

// set_capture - turn the inspector's capture on or off: re-simulate to now with it.
void Playback::set_capture(bool on) {
  if (on == capture_on_) return;
  capture_on_ = on;
  if (!run_) return;
  const bool was = playing_;
  resim_to(run_->world().sched.executed(), now_);  // the same point, events and hand actions alike
  playing_ = was;
}

void Playback::next_card() {
  int n = int(spec_->narration.size());
  int c = shown_card();
  if (c + 1 < n) picked_card_ = c + 1;
}

void Playback::prev_card() {
  int c = shown_card();
  if (c > 0) picked_card_ = c - 1;
  else if (c == 0) picked_card_ = -1, pause_card_ = -1;
}

void Playback::apply(const Requests& r) {
  if (!run_) return;
  if (r.speed) set_speed(*r.speed);
  if (r.toggle_skip_idle) skip_idle_ = !skip_idle_;
  if (r.toggle_play) set_playing(!playing_);
  if (r.step_event) step_event();
  if (r.step_exchange) step_exchange();
  if (r.step_back) step_back();
  if (r.seek) seek(*r.seek);
  if (r.next_card) next_card();
  if (r.prev_card) prev_card();
  if (r.capture) set_capture(true);
  for (const scenario::Action& a : r.actions) act(a);
  if (r.switch_branch && !live_) switch_branch(*r.switch_branch);  // live: a branch rebuilds the run
  if (r.save_lesson) save_lesson(*r.save_lesson);
  if (r.open_lesson && !live_) {
    std::string p = *r.open_lesson;
    path_.clear();
    if (!open(p)) path_ = p;
  }
}

SimTime Playback::tls_since(std::uint64_t conn) const {
  auto it = tls_since_.find(conn);
  return it == tls_since_.end() ? kNever : it->second;
}

SimTime Playback::tls_start(std::uint64_t conn) const {
  auto it = tls_start_.find(conn);
  return it == tls_start_.end() ? kNever : it->second;
}

bool Playback::in_data(std::uint64_t conn, SimTime t) const {
  auto it = data_windows_.find(conn);
  if (it == data_windows_.end()) return false;
  for (const auto& [a, b] : it->second)
    if (a <= t && t <= b) return true;
  return false;
}

SimTime Playback::last_attempt(const std::string& host, const std::string& qid) const {
  auto it = attempts_.find({host, qid});
  return it == attempts_.end() ? -1 : it->second;
}

const scenario::RunReport& Playback::report() {
  if (!report_) report_ = run_->finish();
  return *report_;
}

}  // namespace smtpsim::viz
