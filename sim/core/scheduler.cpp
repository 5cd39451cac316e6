// scheduler.cpp - binary heap of (time, seq, slot) with callbacks kept in a slot table.
#include "sim/core/scheduler.hpp"

#include <algorithm>
#include <stdexcept>

namespace smtpsim {

void Scheduler::push_heap(Entry e) {
  heap_.push_back(e);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    std::size_t p = (i - 1) / 2;
    if (!later(heap_[p], e)) break;
    heap_[i] = heap_[p];
    i = p;
  }
  heap_[i] = e;
}

Scheduler::Entry Scheduler::pop_heap() {
  Entry top = heap_.front();
  Entry last = heap_.back();
  heap_.pop_back();
  std::size_t n = heap_.size();
  if (n > 0) {
    std::size_t i = 0;
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && later(heap_[c], heap_[c + 1])) ++c;
      if (!later(last, heap_[c])) break;
      heap_[i] = heap_[c];
      i = c;
    }
    heap_[i] = last;
  }
  return top;
}

EventId Scheduler::schedule_at(SimTime t, Callback fn) {
  if (t < now_) t = now_;
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  std::uint64_t seq = next_seq_++;
  slots_[slot].fn = std::move(fn);
  slots_[slot].seq = seq;
  push_heap({t, seq, slot});
  ++live_;
  return EventId{seq, slot};
}

bool Scheduler::cancel(EventId id) {
  if (!id || id.slot >= slots_.size()) return false;
  Slot& s = slots_[id.slot];
  if (s.seq != id.seq) return false;
  s.fn.reset();
  s.seq = 0;  // the heap entry stays behind, recognised as dead by the seq mismatch
  free_slots_.push_back(id.slot);
  --live_;
  return true;
}

bool Scheduler::is_pending(EventId id) const {
  return id && id.slot < slots_.size() && slots_[id.slot].seq == id.seq;
}

void Scheduler::drop_cancelled_top() {
  while (!heap_.empty() && slots_[heap_.front().slot].seq != heap_.front().seq) pop_heap();
}

std::optional<SimTime> Scheduler::next_time() {
  drop_cancelled_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().time;
}

bool Scheduler::step() {
  if (stopped_at_index()) return false;
  drop_cancelled_top();
  if (heap_.empty()) return false;
  Entry e = pop_heap();
  Slot& s = slots_[e.slot];
  Callback fn = std::move(s.fn);
  s.seq = 0;
  free_slots_.push_back(e.slot);
  --live_;
  now_ = e.time;
  ++executed_;
  fn();
  return true;
}

void Scheduler::run_until(SimTime t) {
  stop_requested_ = false;
  for (;;) {
    if (stop_requested_ || stopped_at_index()) return;
    auto nt = next_time();
    if (!nt || *nt > t) break;
    step();
  }
  if (t != kNever && t > now_) now_ = t;
}

void Scheduler::run() {
  stop_requested_ = false;
  while (!stop_requested_ && step()) {
  }
}

}  // namespace smtpsim
