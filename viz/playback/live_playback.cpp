// live_playback.cpp - the live mode's clock, sockets and request filter around Playback.
#include "viz/playback/live_playback.hpp"

#include <ctime>
#include <fstream>
#include <stdexcept>

namespace smtpsim::viz {

LivePlayback::~LivePlayback() {
  if (bridge_) bridge_->close();
  gateway_.reset();
  bridge_.reset();
  pump_.reset();
}

bool LivePlayback::open(const std::string& lesson, const LiveOptions& opts, std::string& error) {
  if (opts.targets.expose.empty() && opts.targets.gateways.empty()) {
    error = "--live: nothing to expose: give --expose HOST:PORT=127.0.0.1:LOCALPORT (or --gateway)";
    return false;
  }
  pb_.set_live([](scenario::BuiltWorld& b) { b.world->tls.set_live_names({"localhost"}, {"127.0.0.1", "::1"}); });
  if (!pb_.open(lesson)) {
    error = pb_.error();
    return false;
  }
  speed_ = opts.speed;
  World& world = pb_.world();
  pump_ = std::make_unique<live::Pump>(world.sched, speed_, [this](SimTime t) { pb_.advance_to(t); });
  live::BridgeOptions bo;
  bo.expose = opts.targets.expose;
  bo.allow_external = opts.allow_external;
  for (const auto& d : pb_.spec().domains) bo.lesson_domains.insert(d.name);
  bridge_ = std::make_unique<live::Bridge>(*pump_, world, bo);
  gateway_ = std::make_unique<live::Gateway>(*pump_, world, opts.targets.gateways, opts.allow_external);
  try {
    bridge_->open();
    gateway_->open();
  } catch (const std::runtime_error& e) {
    error = e.what();
    return false;
  }
  if (!opts.write_ca.empty()) {
    std::ofstream f(opts.write_ca, std::ios::binary | std::ios::trunc);
    f << world.tls.ca_pem();
    f.close();
    if (!f) {
      error = "--write-ca: cannot write '" + opts.write_ca + "'";
      return false;
    }
  }
  pb_.set_speed(speed_);
  pb_.set_playing(true);
  wall0_ = std::chrono::steady_clock::now();
  pump_->catch_up();
  return true;
}

void LivePlayback::serve(std::chrono::milliseconds wait) {
  if (!pump_) return;
  if (wait.count() > 0) pump_->run_for(wait);
  else pump_->poll();
}

void LivePlayback::apply(const Requests& r) {
  if (!pump_) return;
  if (r.speed) {
    pb_.set_speed(*r.speed);  // clamped there; the pump takes the same number
    speed_ = pb_.speed();
    if (!paused_) pump_->set_speed(speed_);
  }
  if (r.toggle_play) {
    paused_ = !paused_;
    pump_->set_speed(paused_ ? 0 : speed_);
    pb_.set_playing(!paused_);
  }
  // Only what neither rewinds nor jumps the clock reaches Playback.
  Requests keep;
  keep.next_card = r.next_card;
  keep.prev_card = r.prev_card;
  keep.toggle_skip_idle = r.toggle_skip_idle;
  pb_.apply(keep);
}

void LivePlayback::decorate(Scene& s) const {
  s.live = true;
  s.live_ready = ready_line();
  s.live_speed = paused_ ? 0 : speed_;
  s.live_connections = bridge_ ? bridge_->accepted() : 0;
  s.live_open = bridge_ ? bridge_->active() : 0;
  // The timeline: the run so far with a little room ahead (there is no planned end).
  s.end_us = std::max<SimTime>(sec(60), s.t_us + std::max<SimTime>(sec(10), s.t_us / 4));
  s.finished = false;
  s.skipping_idle = false;
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%H:%M:%S", std::localtime(&now));
  s.live_wall = buf;
}

std::string LivePlayback::ready_line() const { return bridge_ ? bridge_->ready_line() : std::string(); }

std::uint64_t LivePlayback::accepted() const { return bridge_ ? bridge_->accepted() : 0; }

}  // namespace smtpsim::viz
