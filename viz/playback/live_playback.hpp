// live_playback.hpp - the visualizer in live mode (`smtpsim-viz --live LESSON --expose ...`): a
// Playback whose clock is the wall clock (sim/live's Pump, scaled by the speed), with the lesson's
// exposed servers listening on loopback (sim/live's Bridge) and gateways to real servers, so mail
// that swaks or curl sends crosses the same scene, panels and transcript as simulated mail.
//
// What stays the same: Playback indexes the trace, SceneBuilder builds the Scene, the panels draw
// it. What differs: no prerun and no end (the lesson's `until` is ignored), pause = the pump's
// speed 0 (sockets are still served), and nothing that rewinds or jumps: real clients' bytes
// cannot be sent again, so step back, stepping, seeking, opening another lesson and hand actions
// are refused (the clock bar says why).
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sim/live/live_args.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene.hpp"

namespace smtpsim::viz {

// LiveOptions - what the command line asked of the live mode.
struct LiveOptions {
  live::Targets targets;           // --expose / --gateway
  double speed = 1;                // virtual seconds per wall second
  std::string write_ca;            // --write-ca FILE ("" = none)
  bool allow_external = false;
};

class LivePlayback {
 public:
  explicit LivePlayback(Playback& pb) : pb_(pb) {}
  ~LivePlayback();
  LivePlayback(const LivePlayback&) = delete;
  LivePlayback& operator=(const LivePlayback&) = delete;

  // open - load the lesson live, start the clock, listen on the exposed ports, open the
  // gateways, write the CA; false with `error` (bad lesson, unknown host, port in use...).
  bool open(const std::string& lesson, const LiveOptions& opts, std::string& error);
  // serve - run socket handlers and due events for up to `wait` (0: only what is ready), then
  // bring the run to the wall clock's virtual time. Called once per frame.
  void serve(std::chrono::milliseconds wait);
  // apply - a frame's requests: play/pause and speed go to the wall clock; what would rewind
  // or jump is dropped; the rest (narration cards, skip idle) goes to Playback.
  void apply(const Requests& r);
  // decorate - the live fields of a scene SceneBuilder just built (and a timeline that grows).
  void decorate(Scene& s) const;
  // ready_line - "ready msa.a.example:587=127.0.0.1:40125 ..." (what `smtpsim live` prints).
  std::string ready_line() const;
  // boost's io_context, for a signal_set (SIGTERM ends the window cleanly).
  live::Pump& pump() { return *pump_; }
  std::uint64_t accepted() const;

 private:
  Playback& pb_;
  std::unique_ptr<live::Pump> pump_;
  std::unique_ptr<live::Bridge> bridge_;
  std::unique_ptr<live::Gateway> gateway_;
  double speed_ = 1;
  bool paused_ = false;
  std::chrono::steady_clock::time_point wall0_;
};

}  // namespace smtpsim::viz
