// scenario_evidence.cpp - the expectation checks' own record of the run (see the header).
#include "sim/scenario/scenario_evidence.hpp"

namespace smtpsim::scenario {

ExpectationEvidence::ExpectationEvidence(Trace& trace) : trace_(&trace) {
  sub_ = trace.subscribe([this](const TraceEvent& e) { observe(e); });
}

ExpectationEvidence::~ExpectationEvidence() {
  if (trace_) trace_->unsubscribe(sub_);
}

// observe - keep the kinds the checks read; replies only as final lines, with their verb.
void ExpectationEvidence::observe(const TraceEvent& e) {
  std::string verb = tracker_.observe(e);
  switch (e.kind) {
    case TraceKind::Reply:
      if (!is_final_reply_line(e)) return;
      break;
    case TraceKind::Delivery:
    case TraceKind::Queue:
    case TraceKind::Tls:
    case TraceKind::ConnAccept:
    case TraceKind::ConnOpen:
      break;
    default:
      return;
  }
  TraceEvent kept = e;
  kept.data.clear();
  events_.push_back(std::move(kept));
  answered_.push_back(std::move(verb));
}

}  // namespace smtpsim::scenario
