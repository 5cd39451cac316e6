// scene_inspect.hpp - the inspect tabs' data (issue 12), built lazily: only the open tab's, only
// for the selected connection or message, and cached until the trace grows. The sequence diagram
// comes from the transcript and the hops sim/net timed; the message from the playback's capture
// (each spool's copy), the trace's wire bytes, the mailbox stores and the clients' inboxes; the
// charts from the trace's queue, delivery and bounce events.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "viz/playback/playback.hpp"
#include "viz/scene/scene.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// build_sequence - the flow graph of connection conn (0: the first one) up to the clock. Reads
// s.transcript, so call it after the scene builder.
void build_sequence(const Playback& pb, World& w, std::uint64_t conn, Scene& s);
// build_message - msgid ("" = the one connection conn carried, else the latest captured) across its hops: every spool's copy as it came,
// the wire bytes of each hop, the mailbox copy and what the reader fetched.
void build_message(Playback& pb, const std::string& msgid, std::uint64_t conn, SceneMessage& out);
// build_mailboxes - every mailbox with each message's headers and what POP3 did with it,
// including messages already fetched and deleted.
void build_mailboxes(Playback& pb, std::vector<SceneMailbox>& out);
// build_charts - queue depth per MTA and cumulative deliveries/deferrals/bounces, `samples`
// points from 0 to t, from the trace.
void build_charts(const std::vector<TraceEvent>& ev, SimTime t, int samples, SceneCharts& out);
// parse_into - split raw message bytes into header fields, Received chain, body and MIME parts.
void parse_into(SceneMsgHop& h);

// InspectBuilder - calls the builders above for the tab that is open, with caches.
class InspectBuilder {
 public:
  // build - fill s's inspect section for ui's open tab (after SceneBuilder::build).
  void build(Playback& pb, const UiState& ui, Scene& s);

 private:
  std::uint64_t msg_events_ = ~0ull;
  std::size_t msg_hops_ = 0;
  std::string msg_id_;
  std::uint64_t msg_conn_ = 0;
  SceneMessage msg_;
  std::uint64_t mb_events_ = ~0ull;
  std::vector<SceneMailbox> mb_;
  std::uint64_t ch_events_ = ~0ull;
  SimTime ch_t_ = -1;
  SceneCharts ch_;
  const void* run_ = nullptr;  // the run the caches belong to (a rewind makes a new one)
};

}  // namespace smtpsim::viz
