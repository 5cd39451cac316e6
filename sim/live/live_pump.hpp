// live_pump.hpp - the real-time pump: one Boost.Asio io_context whose steady_timer is armed at the
// scheduler's next event, mapped to the wall clock (virtual time = start + elapsed wall time x
// speed). Sockets of the live bridge run on the same io_context; their handlers call catch_up()
// so the virtual clock stands at "now" before they hand bytes to the simulation. No busy loop, no
// thread per client: everything runs on the thread that calls run_for()/poll().
//
// A GUI drives it with poll() once per frame; the CLI blocks in run_for() until stop().
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

#include "sim/core/scheduler.hpp"

namespace smtpsim::live {

class Pump {
 public:
  using WallClock = std::chrono::steady_clock;
  // AdvanceFn - runs the simulation to virtual time t (ScenarioRun::run_until, or the scheduler's).
  using AdvanceFn = std::function<void(SimTime t)>;

  // Pump - virtual time follows the wall clock from now, scaled by speed (> 0; 0 = paused).
  Pump(Scheduler& sched, double speed, AdvanceFn advance = {});
  ~Pump();
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  boost::asio::io_context& io() { return io_; }
  Scheduler& scheduler() { return sched_; }
  double speed() const { return speed_; }
  // set_speed - change the scale from now on (the virtual clock does not jump); 0 pauses the
  // clock: sockets are still served and what is due at the current virtual time runs (the
  // visualizer's pause and speed controls).
  void set_speed(double speed);

  // virtual_now - the virtual time the wall clock says it is (never behind the scheduler).
  SimTime virtual_now() const;
  // catch_up - run every simulation event due by the wall clock, then re-arm the timer.
  void catch_up();
  // run_for - serve sockets and the timer until stop() or until `wall` has passed.
  void run_for(WallClock::duration wall);
  // poll - run what is ready now (socket handlers, due events) without blocking; for GUI loops.
  std::size_t poll();
  // stop - make run_for return (callable from a handler or a signal handler set up on io()).
  void stop();
  bool stopped() const { return stopped_; }
  // events_run - simulation events the pump has run (for the benchmark and the status line).
  std::uint64_t timer_wakeups() const { return wakeups_; }

 private:
  void arm();
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_;
  Scheduler& sched_;
  double speed_;
  AdvanceFn advance_;
  WallClock::time_point wall0_;
  SimTime virt0_;
  SimTime armed_for_ = kNever;
  bool in_catch_up_ = false;
  bool stopped_ = false;
  std::uint64_t wakeups_ = 0;
};

}  // namespace smtpsim::live
