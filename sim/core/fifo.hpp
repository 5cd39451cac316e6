// fifo.hpp - a first-in first-out queue on a vector, for the many short queues a connection keeps
// (chunks and inbox items on the network, expected replies and messages in the SMTP client).
// pop_front moves a read index; the storage is reused once the queue runs empty (or compacted when
// half of it is popped), so a queue allocates once instead of once per std::deque block - and a
// std::deque allocates even while empty.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace smtpsim {

template <class T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  T& back() { return items_.back(); }
  // operator[] - the i-th item counted from the front, like std::deque's.
  T& operator[](std::size_t i) { return items_[head_ + i]; }
  const T* begin() const { return items_.data() + head_; }
  const T* end() const { return items_.data() + items_.size(); }
  // push_back - append v, first reclaiming the popped slots when they are half of the storage.
  void push_back(T v) {
    if (head_ > 0 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    if (items_.capacity() == 0) items_.reserve(4);
    items_.push_back(std::move(v));
  }
  // pop_front - drop the front item (its slot is reused after the queue empties).
  void pop_front() {
    if (++head_ == items_.size()) clear();
  }
  void reserve(std::size_t n) { items_.reserve(n); }
  void clear() {
    items_.clear();
    head_ = 0;
  }
  // take_storage - hand the (emptied) storage over for another queue to adopt.
  std::vector<T> take_storage() {
    clear();
    return std::move(items_);
  }
  // adopt_storage - use another queue's empty storage (only while this one is empty).
  void adopt_storage(std::vector<T>&& storage) {
    if (!empty()) return;
    items_ = std::move(storage);
    clear();
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;  // index of the front item in items_
};

}  // namespace smtpsim
