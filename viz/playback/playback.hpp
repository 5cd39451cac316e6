// playback.hpp - the visualizer's hold on a run: owns the ScenarioRun (re-created to rewind), the
// virtual clock the window shows, play/pause/speed/skip-idle, stepping, pausing on narration
// `pause_on`, and what the scene needs beyond the world: every hop of every chunk as sim/net timed
// it, and the trace's commands/replies indexed so a hop can be named. Never a recording: rewinding
// re-simulates from the start.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/scenario/scenario_match.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "viz/playback/playback_capture.hpp"
#include "viz/playback/playback_branches.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// HopSpan - one chunk (or datagram) on one hop, as Network's hop observer reported it.
struct HopSpan {
  std::uint64_t conn = 0;          // 0: a datagram (DNS)
  HostId sender = 0, from = 0, to = 0;
  SimTime written = 0, depart = 0, arrive = 0;
  std::uint64_t bytes = 0;
  bool fin = false;
  int hop = 0, hops = 0;
  std::uint64_t offset = 0;        // the chunk's first byte in its direction's byte stream
};

// WireKey - (conn, sending host, write time): how a Command/Reply/Dns event finds its chunk.
using WireKey = std::tuple<std::uint64_t, std::string, SimTime>;

class Playback {
 public:
  Playback();
  ~Playback();

  // open - load a lesson file; false with error() = "file:line:col: what" when it is bad.
  bool open(const std::string& path);
  // open_spec - play an already loaded spec (tests, benchmarks); prerun: run it once headless
  // first to learn its end, the hosts it uses and its timeline marks.
  bool open_spec(const scenario::ScenarioSpec& spec, bool prerun = true);
  bool loaded() const { return run_ != nullptr; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

  scenario::ScenarioRun& run() { return *run_; }
  const scenario::ScenarioSpec& spec() const { return *spec_; }
  World& world() { return run_->world(); }
  scenario::BuiltWorld& built() { return *built_; }
  const std::vector<HopSpan>& hops() const { return hops_; }
  // wire_events - trace indices of the Command/Reply/Dns events written with this chunk.
  const std::vector<std::size_t>* wire_events(const WireKey& k) const;
  // relayed_events - for a chunk a relay (the cluster's balancer) wrote on one leg of a spliced
  // connection, the Command/Reply events of the chunks it forwards from the other leg: the same
  // bytes (by stream offset), so a balancer's hop is named like the hop it continues
  // (playback_relay.cpp). Empty when h is no relay's chunk.
  std::vector<std::size_t> relayed_events(const HopSpan& h) const;
  // last_of_write - whether h is the last chunk its sender wrote on its connection at its time:
  // the one a write's events name when it left as several chunks (a TLS handshake's last flight
  // and the first record after it; a long write split), so one command is one token.
  bool last_of_write(const HopSpan& h) const;
  // answers - for a reply event index, the command event index it answers (or none).
  std::optional<std::size_t> answers(std::size_t reply_index) const;
  // used - whether the lesson ever sends traffic through host h (known after the prerun).
  bool used(HostId h) const { return !prerun_done_ || used_.count(h) > 0; }
  // end_markers - the prerun's trace (kind/time/text) for the timeline's marks.
  const std::vector<TraceEvent>& prerun_marks() const { return marks_; }

  SimTime now() const { return now_; }
  SimTime end() const { return end_; }
  bool finished() const { return now_ >= end_; }
  bool playing() const { return playing_; }
  double speed() const { return speed_; }
  bool skip_idle() const { return skip_idle_; }
  bool skipping() const { return skipping_; }
  // pause_card - the narration card whose pause_on stopped the player (-1: none).
  int pause_card() const { return pause_card_; }
  // shown_card - the card to show: the pausing one, one picked with next/prev, else the run's.
  int shown_card() const;

  void set_playing(bool p);
  void set_speed(double s);   // clamped to 0.1 .. 10,000 virtual s per wall s
  void set_skip_idle(bool on) { skip_idle_ = on; }
  // set_auto_continue - play-to-end: pause_on cards continue by themselves.
  void set_auto_continue(bool on) { auto_continue_ = on; }
  // set_skip_wall - wall seconds the clock takes to race across one quiet stretch (default 0.6).
  void set_skip_wall(double s) { skip_wall_ = s; }
  // set_live - before open(): a live run (viz/playback/live_playback.*): no prerun, no end (the
  // lesson's `until` is ignored), timeline marks collected as they happen, no rewinding; `hook`
  // runs on the world before it starts (live TLS names). The wall clock drives it via advance_to.
  void set_live(std::function<void(scenario::BuiltWorld&)> hook);
  bool live() const { return live_; }

  // set_hold - tick() does not move the clock past t (an --actions entry waits there); nullopt: free.
  void set_hold(std::optional<SimTime> t) { hold_ = t; }
  // tick - a frame's wall time passed: advance the clock while playing (paced by virtual time).
  void tick(double wall_seconds);
  // advance_to - run forward to t (stops early at a pause_on, unless auto-continue).
  void advance_to(SimTime t);
  // step_event - run the next scheduler event; the clock jumps to its time.
  void step_event();
  // step_exchange - run until the next command or reply has been sent.
  void step_exchange();
  // step_back - one scheduler event back: re-simulate from the start to the previous event.
  void step_back();
  // seek - go to virtual time t (forwards: run on; backwards: re-simulate).
  void seek(SimTime t);
  void next_card();
  void prev_card();
  // apply - the requests a frame's panels made.
  void apply(const Requests& r);
  // in_flight - whether any hop spans time t.
  bool in_flight(SimTime t) const;
  // tls_since - when the connection's TLS handshake finished (kNever: no TLS).
  SimTime tls_since(std::uint64_t conn) const;
  // tls_start - when the connection's TLS handshake began (kNever: none yet).
  SimTime tls_start(std::uint64_t conn) const;
  // in_data - whether bytes written on conn at t are a message body (after 354, before its reply).
  bool in_data(std::uint64_t conn, SimTime t) const;
  // last_attempt - the start of the last delivery attempt of queue entry qid on host (-1: none).
  SimTime last_attempt(const std::string& host, const std::string& qid) const;
  // set_stop_hook - asked for every trace event while the clock runs (not while rewinding); true
  // stops the clock right after the event (predict mode: before each reply is shown). Stopping
  // and resuming the scheduler does not change the trace.
  void set_stop_hook(std::function<bool(const TraceEvent&, std::size_t)> hook) { stop_hook_ = std::move(hook); }
  // -- hands-on (issue 12): actions by hand, branches, save as lesson (playback_act.cpp)
  // act - apply an action now through ScenarioRun::apply and record it on the current branch;
  // on branch 0, or on a branch rewound to before its last action, this first forks a new branch
  // (playback_branches.hpp). The end, the timeline marks and skip-idle stops are re-learnt.
  void act(const scenario::Action& a);
  // switch_branch - make branch `id` current and re-simulate it to the current time.
  bool switch_branch(int id);
  const Branches& branches() const { return branches_; }
  // lesson - the lesson as loaded (without hand actions); spec() is the current branch's run.
  const scenario::ScenarioSpec& lesson() const { return *base_; }
  // lesson_text - the lesson file's text ("" when the spec was not read from a file).
  const std::string& lesson_text() const { return text_; }
  // saved_lesson_text - the current branch as a lesson: the file's text with its actions appended.
  std::string saved_lesson_text() const;
  // save_lesson - write saved_lesson_text() to path; "" or what went wrong.
  std::string save_lesson(const std::string& path) const;

  // report - the run's verdict (runs finish(); call once the clock reached end()).
  const scenario::RunReport& report();
  std::uint64_t executed() const;
  // set_capture - keep wire bytes and every message as it entered each spool (the inspector);
  // switching it re-simulates to the current time. capture() - what was captured so far.
  void set_capture(bool on);
  bool capturing() const { return capture_on_; }
  const Capture& capture() const { return capture_; }

 private:
  void rebuild();
  void detach();
  void on_event(const TraceEvent& e);
  void check_pause(const TraceEvent& e, const std::string& answered);
  // index_relay / index_chunk - the relay index: spliced legs (from the balancer's "forwards
  // connection" note) and every chunk's first hop by (conn, offset) (playback_relay.cpp).
  void index_relay(const TraceEvent& e);
  void index_chunk(const HopSpan& h);
  bool last_chunk(std::uint64_t conn, HostId sender, SimTime written, std::uint64_t offset) const;
  void do_prerun();
  void run_to(SimTime t);
  // resim_to - rebuild and re-simulate to the point after n events at time t (kNever: the time
  // of event n), with the actions recorded at that point applied.
  void resim_to(std::uint64_t n, SimTime t);

  std::optional<scenario::ScenarioSpec> spec_;   // the current branch's run: base_ + its actions
  std::optional<scenario::ScenarioSpec> base_;   // the lesson as loaded
  Branches branches_;
  std::string text_;                             // the lesson file's text (save as lesson)
  std::unique_ptr<scenario::ScenarioRun> run_;
  scenario::BuiltWorld* built_ = nullptr;
  std::string error_, path_;
  std::vector<HopSpan> hops_;
  std::map<WireKey, std::vector<std::size_t>> wire_;
  std::map<std::size_t, std::size_t> answers_;
  // Relays: conn -> (the other leg's conn, the relay host); conn -> chunks as written (first hop).
  struct RelayLeg { std::uint64_t other = 0; HostId relay = kNoHost; };
  struct ChunkAt { HostId sender = kNoHost; std::uint64_t offset = 0, bytes = 0; SimTime written = 0; };
  std::map<std::uint64_t, RelayLeg> relay_;
  std::map<std::uint64_t, std::vector<ChunkAt>> chunks_;
  std::map<std::uint64_t, std::deque<std::size_t>> client_cmds_;  // conn -> client commands not yet received
  std::map<std::size_t, std::size_t> rx_client_;                  // received copy -> the client's line
  std::map<std::uint64_t, SimTime> tls_since_;
  std::map<std::uint64_t, SimTime> tls_start_;
  std::map<std::uint64_t, std::vector<std::pair<SimTime, SimTime>>> data_windows_;
  std::map<std::pair<std::string, std::string>, SimTime> attempts_;
  std::set<HostId> used_;
  std::vector<TraceEvent> marks_;
  std::vector<SimTime> activity_;  // prerun: every hop's departure, sorted (where skip idle stops)
  bool prerun_done_ = false;
  Capture capture_;
  bool capture_on_ = false;
  std::optional<scenario::RunReport> report_;

  // narration pauses
  scenario::ReplyTracker tracker_;
  int watch_ = -1, watch_count_ = 0;
  std::set<int> fired_;
  int pause_card_ = -1;
  int picked_card_ = -1;
  bool pause_hit_ = false;
  bool rewinding_ = false;
  std::function<bool(const TraceEvent&, std::size_t)> stop_hook_;
  bool live_ = false;
  std::function<void(scenario::BuiltWorld&)> live_hook_;

  SimTime now_ = 0, end_ = 0;
  bool playing_ = false, skip_idle_ = true, skipping_ = false, auto_continue_ = false;
  double speed_ = 1;
  double skip_wall_ = 0.6;
  SimTime skip_target_ = -1;       // the quiet stretch being raced across: where it ends ...
  double skip_rate_ = 0;           // ... and its pace (virtual us per wall second)
  std::optional<SimTime> hold_;
  std::size_t sub_ = 0;
};

}  // namespace smtpsim::viz
