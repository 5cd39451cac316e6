// export_subscription.hpp - RAII hook on a Trace: subscribes a callback, unsubscribes when done,
// so a streaming exporter can be attached to a live run and never outlive its subscription.
#pragma once
#include <cstddef>
#include <utility>

#include "sim/core/trace.hpp"

namespace smtpsim::exporter {

// TraceSubscription - owns one Trace::subscribe handle. The Trace must outlive an active
// subscription (or reset() it first). Not copyable: it holds a callback bound to its owner.
class TraceSubscription {
 public:
  TraceSubscription() = default;
  ~TraceSubscription() { reset(); }
  TraceSubscription(const TraceSubscription&) = delete;
  TraceSubscription& operator=(const TraceSubscription&) = delete;

  // attach - subscribe fn to trace (dropping any earlier subscription of this object).
  void attach(Trace& trace, Trace::Subscriber fn) {
    reset();
    trace_ = &trace;
    handle_ = trace.subscribe(std::move(fn));
  }
  // reset - unsubscribe (no-op when not attached).
  void reset() {
    if (trace_) trace_->unsubscribe(handle_);
    trace_ = nullptr;
    handle_ = 0;
  }
  bool active() const { return trace_ != nullptr; }
  Trace* trace() const { return trace_; }

 private:
  Trace* trace_ = nullptr;
  std::size_t handle_ = 0;
};

}  // namespace smtpsim::exporter
