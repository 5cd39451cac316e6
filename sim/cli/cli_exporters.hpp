// cli_exporters.hpp - what `run` and `live` share about their streaming exporters (JSONL, pcap,
// transcript): they join a trace that already holds the world's build events.
#pragma once
#include "sim/core/trace.hpp"
#include "sim/export/export_jsonl.hpp"
#include "sim/export/export_pcap.hpp"
#include "sim/export/export_transcript.hpp"

namespace smtpsim::cli {

// attach_exporters - write the events the trace holds so far (hosts coming up, links: they came
// before the writers existed) to each writer that is set, then let each follow the trace.
inline void attach_exporters(Trace& trace, exporter::JsonlWriter* jsonl, exporter::PcapWriter* pcap,
                             exporter::TranscriptWriter* transcript) {
  for (const TraceEvent& e : trace.events()) {
    if (jsonl) jsonl->write(e);
    if (pcap) pcap->write(e);
    if (transcript) transcript->write(e);
  }
  if (jsonl) jsonl->attach(trace);
  if (pcap) pcap->attach(trace);
  if (transcript) transcript->attach(trace);
}

}  // namespace smtpsim::cli
