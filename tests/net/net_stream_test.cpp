// net_stream_test.cpp - stream behaviour: data both ways, replay to a late handler, half-close,
// close, abort, handlers that close or drop the stream from inside callbacks.
#include <catch2/catch.hpp>

#include "net/net_fixture.hpp"

using namespace smtpsim;
using namespace smtpsim::test;

namespace {
// two_hosts - a and b joined by one 10 ms link.
struct TwoHosts : Net {
  HostId a = host("a", "10.0.0.1");
  HostId b = host("b", "10.0.0.2");
  LinkId l = link(a, b, msec(10));
};
}  // namespace

TEST_CASE("greeting from the accept callback, reply, and byte events with endpoints") {
  TwoHosts n;
  Rec crec;
  n.net.listen(n.b, 25, [&](StreamPtr s) {
    s->write("220 hi\r\n");
    s->set_handler({[s](std::string_view d) { s->write("echo:" + std::string(d)); }, {}, {}});
  });
  StreamPtr client;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult, StreamPtr s) {
    client = s;
    s->set_handler(crec.handler(n.sched));
    s->write("EHLO a\r\n");
  });
  n.sched.run();
  CHECK(crec.lines == std::vector<std::string>{"t=20000 data:220 hi\r\n", "t=40000 data:echo:EHLO a\r\n"});
  CHECK(n.lines({TraceKind::BytesSent, TraceKind::BytesDelivered}) ==
        std::vector<std::string>{
            "t=10000 bytes_sent b>a #1 [220 hi\r\n]",
            "t=20000 bytes_sent a>b #1 [EHLO a\r\n]",  // the connect callback runs first at 20 ms
            "t=20000 bytes_delivered b>a #1 [220 hi\r\n]",
            "t=30000 bytes_delivered a>b #1 [EHLO a\r\n]",
            "t=30000 bytes_sent b>a #1 [echo:EHLO a\r\n]",
            "t=40000 bytes_delivered b>a #1 [echo:EHLO a\r\n]",
        });
  for (const TraceEvent& e : n.trace.events()) {
    if (e.kind != TraceKind::BytesSent && e.kind != TraceKind::BytesDelivered) continue;
    bool from_server = e.host == "b";
    CHECK(e.src_ip == (from_server ? n.ip(n.b) : n.ip(n.a)));
    CHECK(e.src_port == (from_server ? 25 : 49152));
    CHECK(e.dst_ip == (from_server ? n.ip(n.a) : n.ip(n.b)));
    CHECK(e.dst_port == (from_server ? 49152 : 25));
  }
}

TEST_CASE("data that arrives before a handler is set is replayed, after the call returns") {
  TwoHosts n;
  StreamPtr server;
  n.net.listen(n.b, 25, [&](StreamPtr s) { server = s; });
  StreamPtr client;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult, StreamPtr s) {
    client = s;
    s->write("one");
    s->write("two");
    s->shutdown_write();
  });
  n.sched.run();
  REQUIRE(server);
  Rec rec;
  server->set_handler(rec.handler(n.sched));
  CHECK(rec.lines.empty());  // not inside set_handler
  n.sched.run();
  CHECK(rec.lines == std::vector<std::string>{"t=30000 data:one", "t=30000 data:two", "t=30000 eof"});
}

TEST_CASE("half-close: the peer sees EOF and can still answer; then both close") {
  TwoHosts n;
  auto p = connect_pair(n, n.a, n.b);
  REQUIRE(p->client);
  const SimTime t = n.sched.now();  // 20 ms
  p->client->write("QUIT\r\n");
  p->client->shutdown_write();
  p->client->write("ignored after shutdown");
  CHECK(p->client->is_open());
  p->server->set_handler({[&](std::string_view d) { p->srec.lines.push_back("data:" + std::string(d)); },
                          [&] {
                            p->srec.lines.push_back("eof");
                            p->server->write("221 bye\r\n");
                            p->server->close();
                          },
                          [&](CloseReason r) { p->srec.lines.push_back(std::string("closed:") + to_string(r)); }});
  n.sched.run();
  CHECK(p->srec.lines == std::vector<std::string>{"data:QUIT\r\n", "eof", "closed:local"});
  CHECK(p->crec.lines == std::vector<std::string>{"t=" + std::to_string(t + 20000) + " data:221 bye\r\n",
                                                  "t=" + std::to_string(t + 20000) + " eof",
                                                  "t=" + std::to_string(t + 20000) + " closed:closed"});
  CHECK_FALSE(p->client->is_open());
  CHECK_FALSE(p->server->is_open());
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=10000 conn_accept a>b #1 accepted by b",
                              "t=20000 conn_close a>b #1 half",
                              "t=30000 conn_close b>a #1 full",
                          });
  CHECK(n.net.open_connections() == 0);
  CHECK(n.net.reachable(n.a, n.b));
}

TEST_CASE("close: on_closed(Local) once, later bytes are discarded but still delivered on the wire") {
  TwoHosts n;
  auto p = connect_pair(n, n.a, n.b);
  p->server->write("late");
  p->client->close();
  CHECK(p->crec.lines.empty());  // deferred to an event
  n.sched.run();
  CHECK(p->crec.lines == std::vector<std::string>{"t=20000 closed:local"});
  CHECK(p->srec.lines == std::vector<std::string>{"t=30000 eof"});
  CHECK(n.lines({TraceKind::BytesDelivered}) == std::vector<std::string>{"t=30000 bytes_delivered b>a #1 [late]"});
  // The server never closed: the connection stays half-open until it does.
  CHECK(n.net.open_connections() == 1);
  p->server->close();
  n.sched.run();
  CHECK(n.net.open_connections() == 0);
  CHECK(p->srec.lines == std::vector<std::string>{"t=30000 eof", "t=30000 closed:local"});
  CHECK(p->crec.closed == 1);
}

TEST_CASE("abort: RST, the peer is reset one way later, queued bytes are dropped") {
  TwoHosts n;
  n.net.set_link_params(n.l, LinkParams{msec(10), 8'000, 0.0});  // 1 ms per byte
  auto p = connect_pair(n, n.a, n.b);
  const SimTime t = n.sched.now();
  p->client->write("0123456789");  // would arrive at t + 10 ms + 10 ms
  p->client->abort();
  CHECK_FALSE(p->client->is_open());
  n.sched.run();
  CHECK(p->crec.lines == std::vector<std::string>{"t=" + std::to_string(t) + " closed:local"});
  CHECK(p->srec.lines == std::vector<std::string>{"t=" + std::to_string(t + 10000) + " closed:reset"});
  CHECK(n.lines({TraceKind::BytesDelivered}).empty());
  CHECK(n.lines({TraceKind::ConnReset}) ==
        std::vector<std::string>{"t=" + std::to_string(t) + " conn_reset a>b #1 abort (RST sent)",
                                 "t=" + std::to_string(t + 10000) + " conn_reset b>a #1 reset by peer"});
  CHECK(n.net.open_connections() == 0);
}

TEST_CASE("handlers may close, abort, replace themselves or drop the stream inside callbacks") {
  TwoHosts n;
  SECTION("close inside on_data: nothing more is delivered, on_closed(Local) once") {
    auto p = connect_pair(n, n.a, n.b);
    std::vector<std::string> got;
    p->server->set_handler({[&](std::string_view d) {
                              got.push_back(std::string(d));
                              p->server->close();
                            },
                            [&] { got.push_back("eof"); },
                            [&](CloseReason r) { got.push_back(to_string(r)); }});
    p->client->write("a");
    p->client->write("b");
    p->client->shutdown_write();
    n.sched.run();
    CHECK(got == std::vector<std::string>{"a", "local"});
  }
  SECTION("drop the last StreamPtr inside on_data, then the peer keeps writing") {
    auto p = connect_pair(n, n.a, n.b);
    int calls = 0;
    p->server->set_handler({[&](std::string_view) {
                              ++calls;
                              p->server->set_handler({});
                              p->server.reset();  // the handler that runs now is kept alive
                            },
                            {}, {}});
    p->client->write("x");
    n.sched.run();
    p->client->write("y");
    n.sched.run();
    CHECK(calls == 1);
    CHECK(n.lines({TraceKind::BytesDelivered}).size() == 2);
  }
  SECTION("replace the handler inside on_data: the next chunk goes to the new one") {
    auto p = connect_pair(n, n.a, n.b);
    std::string first, second;
    p->server->set_handler({[&](std::string_view d) {
                              first += d;
                              p->server->set_handler({[&](std::string_view d2) { second += d2; }, {}, {}});
                            },
                            {}, {}});
    p->client->write("1");
    p->client->write("2");
    p->client->write("3");
    n.sched.run();
    CHECK(first == "1");
    CHECK(second == "23");
  }
  SECTION("abort inside on_data while more bytes are in flight") {
    auto p = connect_pair(n, n.a, n.b);
    std::vector<std::string> got;
    p->server->set_handler({[&](std::string_view d) {
                              got.push_back(std::string(d));
                              p->server->abort();
                            },
                            {}, [&](CloseReason r) { got.push_back(to_string(r)); }});
    p->client->write("a");
    n.sched.schedule_in(msec(5), [&] { p->client->write("b"); });
    n.sched.run();
    CHECK(got == std::vector<std::string>{"a", "local"});
    CHECK(p->crec.lines == std::vector<std::string>{"t=40000 closed:reset"});
    CHECK(n.net.open_connections() == 0);
  }
  SECTION("the handler's own captures are released after on_closed") {
    auto p = connect_pair(n, n.a, n.b);
    auto token = std::make_shared<int>(1);
    std::weak_ptr<int> watch = token;
    p->server->set_handler({[token](std::string_view) {}, {}, {}});
    token.reset();
    CHECK_FALSE(watch.expired());
    p->client->abort();
    n.sched.run();
    CHECK(watch.expired());
  }
}

TEST_CASE("dropping the last StreamPtr closes the stream gracefully, without calling its handler") {
  TwoHosts n;
  int server_calls = 0;
  Rec crec;
  n.net.listen(n.b, 25, [&](StreamPtr s) {
    s->set_handler({[&](std::string_view) { ++server_calls; }, [&] { ++server_calls; },
                    [&](CloseReason) { ++server_calls; }});
    s->write("220 ready\r\n");
    // s goes out of scope here: FIN after the greeting
  });
  StreamPtr client;
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult, StreamPtr s) {
    client = s;
    s->set_handler(crec.handler(n.sched));
    s->write("EHLO a\r\n");
  });
  n.sched.run();
  CHECK(server_calls == 0);
  CHECK(crec.lines == std::vector<std::string>{"t=20000 data:220 ready\r\n", "t=20000 eof"});
  CHECK(n.conn_lines() == std::vector<std::string>{
                              "t=0 conn_open a>b #1 0 SYN",
                              "t=10000 conn_accept a>b #1 accepted by b",
                              "t=10000 conn_close b>a #1 full",
                          });
  client.reset();  // the client end closes too: the connection is finished
  n.sched.run();
  CHECK(n.net.open_connections() == 0);
  CHECK(crec.lines.size() == 2);
  CHECK(n.conn_lines().back() == "t=30000 conn_close a>b #1 full");  // the clock stopped at the EHLO
}

TEST_CASE("the network can be destroyed with connections and events pending") {
  Scheduler sched;
  Trace trace;
  StreamPtr keep;
  {
    Network net(sched, trace, Rng(3));
    HostId a = net.add_host("a", "10.0.0.1"), b = net.add_host("b", "10.0.0.2");
    net.add_link(a, b, LinkParams{msec(10), 0, 0.0});
    net.listen(b, 25, [&](StreamPtr s) {
      keep = s;
      s->set_handler({[s](std::string_view) { s->write("again"); }, {}, {}});  // a cycle, broken at teardown
    });
    net.connect(a, net.host_ip(b), 25, [](ConnectResult, StreamPtr s) {
      s->write("hello");
      s->set_handler({[s](std::string_view) { s->write("more"); }, {}, {}});
    });
    sched.run_until(msec(35));
  }
  sched.run();  // stale events find the network gone and do nothing
  REQUIRE(keep);
  keep->write("after");  // no-op
  CHECK_FALSE(keep->is_open());
  CHECK(keep->id() == 1);
}

TEST_CASE("many pipelined writes of mixed sizes arrive whole and in order (chunk buffers are reused)") {
  // Writes of every size from 1 byte to several KiB, both ways, many in flight at once: chunk
  // storage is recycled between deliveries and writes, and queues wrap and compact meanwhile.
  TwoHosts n;
  Rec srec, crec;
  StreamPtr server, client;
  std::string sent_up, sent_down;
  n.net.listen(n.b, 25, [&](StreamPtr s) {
    server = s;
    s->set_handler(srec.handler(n.sched));
  });
  n.net.connect(n.a, n.ip(n.b), 25, [&](ConnectResult, StreamPtr s) {
    client = s;
    s->set_handler(crec.handler(n.sched));
  });
  n.sched.run();
  REQUIRE(server);
  REQUIRE(client);
  std::vector<std::string> up_chunks;
  for (int round = 0; round < 40; ++round) {
    for (int k = 0; k < 7; ++k) {
      std::size_t size = std::size_t(1 + (round * 131 + k * 977) % 5000);
      std::string up(size, char('a' + (round + k) % 26));
      std::string down(size / 3 + 1, char('A' + (round * 7 + k) % 26));
      client->write(up);
      server->write(down);
      up_chunks.push_back(up);
      sent_up += up;
      sent_down += down;
    }
    n.sched.run_until(n.sched.now() + msec(3 + round % 15));
  }
  n.sched.run();
  CHECK(srec.data == sent_up);
  CHECK(crec.data == sent_down);
  REQUIRE(srec.lines.size() == up_chunks.size());  // one on_data per write, each whole
  for (std::size_t i = 0; i < up_chunks.size(); ++i) CHECK(srec.lines[i].ends_with(" data:" + up_chunks[i]));
}
