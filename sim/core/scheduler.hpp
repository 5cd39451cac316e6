// scheduler.hpp - the discrete-event scheduler: a virtual clock and (time, sequence)-ordered events.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/time.hpp"

namespace smtpsim {

// EventId - names one scheduled event so it can be cancelled; 0 is "none".
struct EventId {
  std::uint64_t seq = 0;
  std::uint32_t slot = 0;
  explicit operator bool() const { return seq != 0; }
  friend bool operator==(EventId, EventId) = default;
};

class Scheduler {
 public:
  Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  SimTime now() const { return now_; }

  // schedule_at - run fn at virtual time t (never earlier than now); equal times run in the order scheduled.
  EventId schedule_at(SimTime t, Callback fn);
  // schedule_in - run fn after delay d from now.
  EventId schedule_in(Duration d, Callback fn) { return schedule_at(now_ + d, std::move(fn)); }
  // cancel - forget a pending event; false if it already ran or was cancelled.
  bool cancel(EventId id);
  // is_pending - whether the event is still waiting to run.
  bool is_pending(EventId id) const;

  // step - run the next event; false when nothing is pending or a stop point was reached.
  bool step();
  // run_until - run every event with time <= t, then leave the clock at t (unless stopped early).
  void run_until(SimTime t);
  // run - run until no events remain or a stop point is reached.
  void run();

  // executed - how many events have run so far: the index of the next event.
  std::uint64_t executed() const { return executed_; }
  // stop_at_index - make run/run_until/step pause once `executed() == n` (resume by clearing it).
  void stop_at_index(std::optional<std::uint64_t> n) { stop_index_ = n; }
  // request_stop - make the current run/run_until return after the running event.
  void request_stop() { stop_requested_ = true; }
  bool stopped_at_index() const { return stop_index_ && executed_ >= *stop_index_; }

  std::size_t pending() const { return live_; }
  // next_time - the time of the next pending event, if any.
  std::optional<SimTime> next_time();

 private:
  // Layout (scheduler.cpp): a 4-ary min-heap of small entries; callbacks live in fixed-size chunks
  // that never move, so an event runs in place; seqs_ says per slot which event owns it (0 = free)
  // and is what cancellation and the "is the top still live" check read, without touching the
  // callback memory.
  struct Entry {
    SimTime time;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  static constexpr std::uint32_t kChunkBits = 10;
  static constexpr std::uint32_t kChunk = 1u << kChunkBits;
  static bool later(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
  Callback& fn_at(std::uint32_t slot) { return chunks_[slot >> kChunkBits][slot & (kChunk - 1)]; }
  std::uint32_t take_slot();
  void release_slot(std::uint32_t slot);
  void drop_cancelled_top();
  void compact();
  void push_heap(Entry e);
  Entry pop_heap();

  SimTime now_ = 0;
  std::uint64_t next_seq_ = 1;
  std::uint64_t executed_ = 0;
  std::size_t live_ = 0;
  std::size_t dead_in_heap_ = 0;  // cancelled entries still in heap_ (0: the top is always live)
  std::optional<std::uint64_t> stop_index_;
  bool stop_requested_ = false;
  std::vector<Entry> heap_;
  std::vector<std::unique_ptr<Callback[]>> chunks_;
  std::vector<std::uint64_t> seqs_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace smtpsim
