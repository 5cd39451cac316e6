// mta_due.hpp - the queue manager's due list: which recipient of which queued message is due when.
//
// Entries come out earliest first, ties by queue id and then recipient index, and an entry pushed
// twice comes out once: exactly the order and the contents of a std::set of (time, qid, rcpt),
// kept as a binary heap instead, so a push makes no tree node and a pop frees none.
#pragma once
#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim {

class DueQueue {
 public:
  using Entry = std::tuple<SimTime, std::string, std::size_t>;  // (time, qid, rcpt index)

  // push - rcpt of message qid is due at t.
  void push(SimTime t, std::string qid, std::size_t rcpt) {
    heap_.emplace_back(t, std::move(qid), rcpt);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  }
  bool empty() const { return heap_.empty(); }
  // earliest - the time of the first entry (the queue must not be empty).
  SimTime earliest() const { return std::get<0>(heap_.front()); }
  // pop - take the first entry out, with every copy of it pushed again.
  Entry pop() {
    Entry first = take_top();
    while (!heap_.empty() && heap_.front() == first) take_top();
    return first;
  }
  void clear() { heap_.clear(); }

 private:
  // take_top - remove and return the heap's first entry.
  Entry take_top() {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    Entry e = std::move(heap_.back());
    heap_.pop_back();
    return e;
  }
  std::vector<Entry> heap_;  // a min-heap under the tuple order
};

}  // namespace smtpsim
