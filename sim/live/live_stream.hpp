// live_stream.hpp - a real TCP socket (Boost.Asio) behind the Stream interface the virtual network
// uses (sim/net/stream.hpp), so a server role runs its engine over it unchanged.
//
// It keeps the Stream callback rules: handlers run from scheduler events (scheduled at the pump's
// virtual now, right after the socket handler has caught the clock up), never inside a Stream
// method; after close()/abort() only on_closed(Local) is heard; dropping the last StreamPtr closes
// gracefully. It writes the same trace events as a virtual connection (ConnOpen/ConnAccept when
// made, BytesSent + BytesDelivered per chunk in both directions, ConnClose, ConnReset), the
// client shown by its real address and port, the server by the lesson host's name, address and
// port: in the transcript, JSONL and pcap the connection looks like one that arrived at the host.
//
// Safety: an idle timeout (no bytes from the client), a total timeout, and a cap on bytes queued
// towards a client that does not read; each ends the connection with a RST and tells the handler
// on_closed(Timeout), so a slow or hostile client costs only its own session.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "sim/core/trace.hpp"
#include "sim/live/live_pump.hpp"
#include "sim/net/stream.hpp"

namespace smtpsim::live {

// EndpointInfo - one end as the trace and the engines see it.
struct EndpointInfo {
  std::string name;
  std::uint32_t ip = 0;  // IPv4, host byte order
  std::uint16_t port = 0;
};

// StreamLimits - how long and how much one real client may take.
struct StreamLimits {
  std::chrono::milliseconds idle{std::chrono::minutes(5)};   // no bytes from the client for this long
  std::chrono::milliseconds total{std::chrono::minutes(30)};  // the whole connection
  std::size_t max_unsent = 4u << 20;  // bytes queued towards a client that does not read
};

// make_live_stream - wrap an accepted socket; `server` is the exposed host's end, `client` the real
// peer. Traces ConnOpen + ConnAccept now and starts reading; `on_finished` runs once when the
// socket is closed for good (the bridge counts connections with it).
StreamPtr make_live_stream(Pump& pump, Trace& trace, boost::asio::ip::tcp::socket sock, std::uint64_t id,
                           EndpointInfo server, EndpointInfo client, StreamLimits limits,
                           std::function<void()> on_finished);

}  // namespace smtpsim::live
