// live_stream_test.cpp - the real-time pump and a real loopback socket behind the Stream interface:
// timing (wall clock x speed, no busy loop), the callback rules, and the trace a live connection
// writes.
#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <thread>

#include "sim/live/live_bridge.hpp"
#include "sim/live/live_pump.hpp"
#include "sim/roles/world.hpp"

using namespace smtpsim;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
// upper - the bytes in ASCII upper case (what the echo server answers).
std::string upper(std::string_view b) {
  std::string s(b);
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}
}  // namespace

TEST_CASE("pump: an event 200 ms ahead runs after 200 ms of wall time, woken by one timer") {
  Scheduler sched;
  live::Pump pump(sched, 1.0);
  Clock::time_point ran{};
  sched.schedule_at(msec(200), [&] {
    ran = Clock::now();
    pump.stop();
  });
  auto start = Clock::now();
  pump.run_for(std::chrono::seconds(5));
  double ms = std::chrono::duration<double, std::milli>(ran - start).count();
  CHECK(ms >= 195);
  CHECK(ms < 1000);
  CHECK(pump.timer_wakeups() <= 2);  // no busy loop: the timer fires for the event, not in between
  CHECK(sched.now() >= msec(200));  // the clock stands where the wall clock was when the event ran
}

TEST_CASE("pump: --speed 100 runs 10 virtual seconds in about 100 ms; nothing due means no wake-ups") {
  Scheduler sched;
  live::Pump pump(sched, 100.0);
  int runs = 0;
  for (int i = 1; i <= 10; ++i) sched.schedule_at(sec(i), [&] { ++runs; });
  auto start = Clock::now();
  pump.run_for(std::chrono::milliseconds(300));
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  CHECK(runs == 10);
  CHECK(ms >= 299);
  CHECK(pump.timer_wakeups() <= 11);
  CHECK(sched.now() >= sec(10));
}

TEST_CASE("pump: set_speed(0) pauses the virtual clock without a jump; set_speed(1) resumes from there") {
  Scheduler sched;
  live::Pump pump(sched, 1.0);
  bool ran = false;
  sched.schedule_at(msec(150), [&] { ran = true; });
  pump.run_for(std::chrono::milliseconds(50));
  pump.set_speed(0);
  const SimTime paused_at = pump.virtual_now();
  pump.run_for(std::chrono::milliseconds(300));
  CHECK_FALSE(ran);  // 350 ms of wall time, but the clock stood still after the first 50
  CHECK(pump.virtual_now() == paused_at);
  pump.set_speed(1.0);
  pump.run_for(std::chrono::milliseconds(250));
  CHECK(ran);
  CHECK(sched.now() >= msec(150));
  CHECK(sched.now() < msec(600));  // not the 600 ms of wall time that passed in all
}

TEST_CASE("live stream: a real client's bytes reach the host's listener from scheduler events, traced like a virtual connection") {
  World w{3};
  HostId srv = w.add_host("echo.example", "10.0.0.9");
  w.set_dns_host(w.add_host("dns", "10.0.0.53"));
  w.start();
  live::Pump pump(w.sched, 1.0);

  int in_method = 0;  // > 0 while this test is inside a Stream method
  int handler_inside_method = 0;
  std::string got;
  std::optional<CloseReason> closed;
  StreamPtr held;
  w.net.listen(srv, 7, [&](StreamPtr s) {
    held = s;
    StreamHandler h;
    h.on_data = [&](std::string_view b) {
      handler_inside_method += in_method;
      got += b;
      ++in_method;
      held->write(upper(b));
      --in_method;
    };
    h.on_eof = [&] {
      handler_inside_method += in_method;
      ++in_method;
      held->close();
      --in_method;
    };
    h.on_closed = [&](CloseReason r) {
      handler_inside_method += in_method;
      closed = r;
      held.reset();  // dropping the last StreamPtr from inside on_closed is allowed
      pump.stop();
    };
    ++in_method;
    s->set_handler(std::move(h));
    --in_method;
  });

  live::BridgeOptions o;
  o.expose.push_back({"echo.example", 7, "127.0.0.1", 0});
  live::Bridge bridge(pump, w, o);
  bridge.open();
  const std::uint16_t port = bridge.bound().at(0).local_port;
  REQUIRE(port != 0);
  CHECK(bridge.ready_line() == "ready echo.example:7=127.0.0.1:" + std::to_string(port));

  std::string echoed;
  std::uint16_t client_port = 0;
  std::thread client([&] {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    client_port = s.local_endpoint().port();
    asio::write(s, asio::buffer(std::string("hello live\r\n")));
    char buf[64];
    std::size_t n = 0;
    while (n < 12) n += s.read_some(asio::buffer(buf + n, sizeof buf - n));
    echoed.assign(buf, n);
    s.shutdown(asio::ip::tcp::socket::shutdown_send);
    boost::system::error_code ec;
    s.read_some(asio::buffer(buf), ec);  // the server's FIN
  });
  pump.run_for(std::chrono::seconds(10));
  client.join();

  CHECK(got == "hello live\r\n");
  CHECK(echoed == "HELLO LIVE\r\n");
  REQUIRE(closed);
  CHECK(*closed == CloseReason::Local);
  CHECK(handler_inside_method == 0);
  CHECK(bridge.accepted() == 1);
  CHECK(bridge.active() == 0);

  std::vector<std::string> seen;
  for (const TraceEvent& e : w.trace.events()) {
    if (e.conn == 0) continue;
    seen.push_back(std::string(to_string(e.kind)) + " " + e.host + ">" + e.peer + " " + ipv4_to_string(e.src_ip) + ":" +
                   std::to_string(e.src_port) + ">" + ipv4_to_string(e.dst_ip) + ":" + std::to_string(e.dst_port) +
                   (e.data.empty() ? "" : " " + e.data) + (e.text.empty() ? "" : " " + e.text));
  }
  const std::string c = "127.0.0.1:" + std::to_string(client_port), s = "10.0.0.9:7";
  std::vector<std::string> want = {
      "conn_open live-client>echo.example " + c + ">" + s,
      "conn_accept live-client>echo.example " + c + ">" + s,
      "bytes_sent live-client>echo.example " + c + ">" + s + " hello live\r\n",
      "bytes_delivered live-client>echo.example " + c + ">" + s + " hello live\r\n",
      "bytes_sent echo.example>live-client " + s + ">" + c + " HELLO LIVE\r\n",
      "bytes_delivered echo.example>live-client " + s + ">" + c + " HELLO LIVE\r\n",
      "conn_close live-client>echo.example " + c + ">" + s + " half",
      "conn_close echo.example>live-client " + s + ">" + c + " full",
  };
  CHECK(seen == want);
}

TEST_CASE("bridge: refuses to bind a non-loopback address without allow_external, and unknown hosts") {
  World w{3};
  HostId srv = w.add_host("echo.example", "10.0.0.9");
  w.set_dns_host(w.add_host("dns", "10.0.0.53"));
  w.start();
  w.net.listen(srv, 7, [](StreamPtr) {});
  live::Pump pump(w.sched, 1.0);
  live::BridgeOptions o;
  o.expose.push_back({"echo.example", 7, "0.0.0.0", 0});
  live::Bridge b1(pump, w, o);
  CHECK_THROWS_WITH(b1.open(), Catch::Contains("not a loopback address"));
  o.expose = {{"nope.example", 7, "127.0.0.1", 0}};
  live::Bridge b2(pump, w, o);
  CHECK_THROWS_WITH(b2.open(), Catch::Contains("no host 'nope.example'"));
  o.expose = {{"echo.example", 8, "127.0.0.1", 0}};
  live::Bridge b3(pump, w, o);
  CHECK_THROWS_WITH(b3.open(), Catch::Contains("does not listen on port 8"));
}
