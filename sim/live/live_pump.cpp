// live_pump.cpp - the real-time pump: wall clock -> virtual clock, the next-event timer.
#include "sim/live/live_pump.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/executor_work_guard.hpp>

namespace smtpsim::live {

Pump::Pump(Scheduler& sched, double speed, AdvanceFn advance)
    : timer_(io_), sched_(sched), speed_(speed), advance_(std::move(advance)), wall0_(WallClock::now()),
      virt0_(sched.now()) {
  if (!(speed >= 0)) throw std::invalid_argument("live: speed must be >= 0");
  if (!advance_) advance_ = [this](SimTime t) { sched_.run_until(t); };
}

Pump::~Pump() = default;

// virtual_now - start + elapsed wall microseconds x speed, never before the scheduler's clock.
SimTime Pump::virtual_now() const {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(WallClock::now() - wall0_).count();
  SimTime v = speed_ > 0 ? virt0_ + static_cast<SimTime>(static_cast<double>(us) * speed_) : virt0_;
  return std::max(v, sched_.now());
}

// set_speed - rebase the mapping at the current virtual time, then apply the new scale.
void Pump::set_speed(double speed) {
  if (!(speed >= 0)) throw std::invalid_argument("live: speed must be >= 0");
  virt0_ = virtual_now();
  wall0_ = WallClock::now();
  speed_ = speed;
  armed_for_ = kNever;  // the next event's wall time changed
  timer_.cancel();
  arm();
}

// catch_up - run the simulation to the wall clock's virtual time; re-arm the timer for what is next.
void Pump::catch_up() {
  if (in_catch_up_) return;  // a handler run by the simulation itself: the outer call finishes the job
  in_catch_up_ = true;
  try {
    advance_(virtual_now());
  } catch (...) {
    in_catch_up_ = false;
    throw;
  }
  in_catch_up_ = false;
  arm();
}

// arm - the timer at the wall time of the scheduler's next event (none: no timer, sockets wake us).
void Pump::arm() {
  if (stopped_) return;
  std::optional<SimTime> next = sched_.next_time();
  SimTime target = next ? *next : kNever;
  if (speed_ == 0 && target > virt0_) target = kNever;  // paused: only what is due now may run
  if (target == armed_for_) return;
  armed_for_ = target;
  timer_.cancel();
  if (target == kNever) return;
  double wall_us = speed_ > 0 ? static_cast<double>(target - virt0_) / speed_ : 0.0;
  auto when = wall0_ + std::chrono::microseconds(static_cast<std::int64_t>(wall_us) + 1);
  timer_.expires_at(when);
  timer_.async_wait([this, target](const boost::system::error_code& ec) {
    if (ec || armed_for_ != target) return;  // cancelled or re-armed meanwhile
    ++wakeups_;
    armed_for_ = kNever;
    catch_up();
  });
}

// run_for - serve until stop() or the wall time is up; a work guard keeps run_until waiting
// even when no socket is open and no event is due.
void Pump::run_for(WallClock::duration wall) {
  catch_up();
  auto guard = boost::asio::make_work_guard(io_);
  if (io_.stopped() && !stopped_) io_.restart();
  io_.run_until(WallClock::now() + wall);
  if (!stopped_) catch_up();
}

// poll - one non-blocking round: ready handlers, then the simulation up to the wall clock.
std::size_t Pump::poll() {
  if (io_.stopped()) io_.restart();
  std::size_t n = io_.poll();
  catch_up();
  return n;
}

// stop - end run_for at the next chance.
void Pump::stop() {
  stopped_ = true;
  timer_.cancel();
  armed_for_ = kNever;
  io_.stop();
}

}  // namespace smtpsim::live
