// scenario_evidence.hpp - what the expectation checks read, collected while the run goes on by a
// trace subscriber: so the checks give the same answers with trace recording on or off.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/scenario_match.hpp"

namespace smtpsim::scenario {

// ExpectationEvidence - the events expectations look at (deliveries, queue steps, final reply lines
// with the verb they answer, TLS results, connections opened and accepted), without payloads.
class ExpectationEvidence {
 public:
  // ExpectationEvidence - subscribe to trace; the trace must outlive this object.
  explicit ExpectationEvidence(Trace& trace);
  ~ExpectationEvidence();
  ExpectationEvidence(const ExpectationEvidence&) = delete;
  ExpectationEvidence& operator=(const ExpectationEvidence&) = delete;

  // observe - take one event (the subscriber calls it; tests may feed events by hand).
  void observe(const TraceEvent& e);

  const std::vector<TraceEvent>& events() const { return events_; }
  // answered - for events()[i] a final reply line: the verb it answers ("" if none or unknown).
  const std::string& answered(std::size_t i) const { return answered_[i]; }

 private:
  Trace* trace_ = nullptr;
  std::size_t sub_ = 0;
  ReplyTracker tracker_;
  std::vector<TraceEvent> events_;
  std::vector<std::string> answered_;
};

}  // namespace smtpsim::scenario
