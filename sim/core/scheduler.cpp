// scheduler.cpp - a 4-ary min-heap of (time, seq, slot) entries; callbacks kept in stable chunks.
//
// Why this shape: the steady state of a simulation is "pop the earliest event, run it, it schedules
// one or two more". A 4-ary heap halves the levels a pop walks (children sit side by side in
// memory); the hole-based sift moves each entry once. Checking whether the top entry was cancelled
// reads the compact seqs_ array instead of the 64-byte callback slot, and the callback runs where
// it is stored (chunks never move) instead of being moved out first.
#include "sim/core/scheduler.hpp"

namespace smtpsim {

// push_heap - insert e, moving the hole up from the end.
void Scheduler::push_heap(Entry e) {
  heap_.push_back(e);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    std::size_t p = (i - 1) / 4;
    if (!later(heap_[p], e)) break;
    heap_[i] = heap_[p];
    i = p;
  }
  heap_[i] = e;
}

// pop_heap - remove the earliest entry: the last entry sinks from the root through a hole.
Scheduler::Entry Scheduler::pop_heap() {
  Entry top = heap_.front();
  Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  for (;;) {
    std::size_t c = 4 * i + 1;
    if (c >= n) break;
    std::size_t best = c;
    std::size_t end = c + 4 < n ? c + 4 : n;
    for (std::size_t k = c + 1; k < end; ++k)
      if (later(heap_[best], heap_[k])) best = k;
    if (!later(last, heap_[best])) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
  return top;
}

// take_slot - a free callback slot (reusing the most recently freed one).
std::uint32_t Scheduler::take_slot() {
  if (!free_slots_.empty()) {
    std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  auto slot = static_cast<std::uint32_t>(seqs_.size());
  if ((slot & (kChunk - 1)) == 0) chunks_.push_back(std::make_unique<Callback[]>(kChunk));
  seqs_.push_back(0);
  return slot;
}

// release_slot - destroy the slot's callback and make the slot reusable.
void Scheduler::release_slot(std::uint32_t slot) {
  fn_at(slot).reset();
  free_slots_.push_back(slot);
}

// schedule_at - store the callback in a slot and its (time, seq) in the heap.
EventId Scheduler::schedule_at(SimTime t, Callback fn) {
  if (t < now_) t = now_;
  std::uint32_t slot = take_slot();
  std::uint64_t seq = next_seq_++;
  fn_at(slot) = std::move(fn);
  seqs_[slot] = seq;
  push_heap({t, seq, slot});
  ++live_;
  return EventId{seq, slot};
}

// cancel - free the slot now; the heap entry is skipped when it reaches the top.
bool Scheduler::cancel(EventId id) {
  if (!id || id.slot >= seqs_.size() || seqs_[id.slot] != id.seq) return false;
  seqs_[id.slot] = 0;  // the heap entry stays behind, recognised as dead by the seq mismatch
  ++dead_in_heap_;
  release_slot(id.slot);
  --live_;
  if (dead_in_heap_ > 1024 && dead_in_heap_ > live_) compact();
  return true;
}

// compact - drop every dead entry and rebuild the heap: long timers that are set and cancelled
// (idle and stall timeouts) would otherwise pile up and make every push and pop deeper. The
// order of (time, seq) is total, so the events still run in exactly the same order.
void Scheduler::compact() {
  std::erase_if(heap_, [this](const Entry& e) { return seqs_[e.slot] != e.seq; });
  dead_in_heap_ = 0;
  std::vector<Entry> old;
  old.swap(heap_);
  heap_.reserve(old.size());
  for (const Entry& e : old) push_heap(e);
}

// is_pending - the slot still belongs to this event.
bool Scheduler::is_pending(EventId id) const {
  return id && id.slot < seqs_.size() && seqs_[id.slot] == id.seq;
}

// drop_cancelled_top - pop dead entries until the top is a live event (or the heap is empty).
void Scheduler::drop_cancelled_top() {
  while (dead_in_heap_ > 0 && !heap_.empty() && seqs_[heap_.front().slot] != heap_.front().seq) {
    pop_heap();
    --dead_in_heap_;
  }
}

// next_time - the earliest live event's time.
std::optional<SimTime> Scheduler::next_time() {
  drop_cancelled_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().time;
}

// step - pop the earliest live event, advance the clock to it, run it in place.
bool Scheduler::step() {
  if (stopped_at_index()) return false;
  drop_cancelled_top();
  if (heap_.empty()) return false;
  Entry e = pop_heap();
  if (!heap_.empty()) {
    // The next event's callback and seq are cold in big runs: start loading them now, so the miss
    // overlaps with running this event instead of stalling the next step.
    __builtin_prefetch(&fn_at(heap_.front().slot));
    __builtin_prefetch(&seqs_[heap_.front().slot], 1);
  }
  seqs_[e.slot] = 0;  // no longer pending: cancel(this event) from inside returns false
  --live_;
  now_ = e.time;
  ++executed_;
  // The slot is released after the call (also if it throws), so events scheduled meanwhile take
  // other slots and the running callable stays where it is.
  struct Release {
    Scheduler* s;
    std::uint32_t slot;
    ~Release() { s->release_slot(slot); }
  } release{this, e.slot};
  fn_at(e.slot)();
  return true;
}

// run_until - run events up to t, then move the clock to t (unless stopped).
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

// run - run until nothing is pending or a stop point is reached.
void Scheduler::run() {
  stop_requested_ = false;
  while (!stop_requested_ && step()) {
  }
}

}  // namespace smtpsim
