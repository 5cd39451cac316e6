// live_playback_test.cpp - the visualizer's live playback (issue 13) without a window: the lesson
// runs on the wall clock, a real socket's SMTP session enters at the exposed MX and shows up in
// the scene's transcript like a simulated one; requests that would rewind or jump are refused.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "viz/playback/live_playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_json.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {

const std::string kLesson = std::string(SMTPSIM_SOURCE_DIR) + "/tests/live/live_lesson.yaml";

// connect_loopback - a non-blocking TCP socket connected to 127.0.0.1:port (-1 on failure).
int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

// has_line - whether the scene's transcript has a line starting with text.
bool has_line(const Scene& s, const std::string& text) {
  return std::any_of(s.transcript.begin(), s.transcript.end(),
                     [&](const SceneLine& l) { return l.text.rfind(text, 0) == 0; });
}

}  // namespace

TEST_CASE("live playback: a real client's session crosses the scene; nothing rewinds", "[live]") {
  Playback pb;
  LivePlayback lp(pb);
  LiveOptions o;
  o.targets.expose.push_back(live::parse_exposure("mx.b.example:25=127.0.0.1:0"));
  std::string error;
  REQUIRE(lp.open(kLesson, o, error));
  CHECK(error.empty());
  const std::string ready = lp.ready_line();
  REQUIRE(ready.rfind("ready mx.b.example:25=127.0.0.1:", 0) == 0);
  auto port = static_cast<std::uint16_t>(std::stoi(ready.substr(ready.rfind(':') + 1)));
  REQUIRE(port != 0);
  CHECK(pb.live());

  int fd = connect_loopback(port);
  REQUIRE(fd >= 0);
  // One command per reply, as a client without PIPELINING talks.
  const std::vector<std::string> session = {"EHLO socket.test\r\n", "MAIL FROM:<a@a.example>\r\n",
                                            "RCPT TO:<b@b.example>\r\n"};
  const std::vector<std::string> wait_for = {"220 ", "250 HELP", "250 2.1.0"};
  std::string got;
  SceneBuilder builder;
  Scene s;
  std::size_t next = 0;
  auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
    lp.serve(std::chrono::milliseconds(20));
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) got.append(buf, std::size_t(n));
    if (next < session.size() && got.find(wait_for[next]) != std::string::npos) {
      REQUIRE(::write(fd, session[next].data(), session[next].size()) == ssize_t(session[next].size()));
      ++next;
    }
    builder.build(pb, s);
    if (has_line(s, "250 2.1.5")) break;
  }
  ::close(fd);
  INFO(got);
  CHECK(got.rfind("220 mx.b.example", 0) == 0);
  CHECK(has_line(s, "EHLO socket.test"));
  CHECK(has_line(s, "MAIL FROM:<a@a.example>"));
  CHECK(has_line(s, "250 2.1.5"));  // the MX's answer to the real client's RCPT
  auto it = std::find_if(s.transcript.begin(), s.transcript.end(),
                         [](const SceneLine& l) { return l.text == "EHLO socket.test"; });
  REQUIRE(it != s.transcript.end());
  CHECK(it->host == "mx.b.example");
  CHECK(it->peer == "live-client");

  // The clock follows the wall clock: it moved, and requests that would rewind or jump do nothing.
  const SimTime now = pb.now();
  CHECK(now > 0);
  Requests r;
  r.step_back = true;
  r.seek = 0;
  r.step_event = true;
  r.step_exchange = true;
  r.open_lesson = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";
  lp.apply(r);
  CHECK(pb.now() >= now);
  CHECK(pb.path() == kLesson);
  CHECK(pb.end() == kNever);

  // Pause stops the virtual clock (the pump's speed 0); play goes on from there.
  Requests toggle;
  toggle.toggle_play = true;
  lp.apply(toggle);
  CHECK_FALSE(pb.playing());
  lp.serve(std::chrono::milliseconds(0));
  const SimTime paused_at = pb.now();
  lp.serve(std::chrono::milliseconds(100));
  CHECK(pb.now() == paused_at);
  lp.apply(toggle);
  CHECK(pb.playing());
  lp.serve(std::chrono::milliseconds(100));
  CHECK(pb.now() > paused_at);

  builder.build(pb, s);
  lp.decorate(s);
  CHECK(s.live);
  CHECK(s.live_ready == ready);
  CHECK(s.live_connections == 1);
  CHECK(s.end_us > s.t_us);
  CHECK(scene_json(s).find("\"live\":{\"ready\":\"ready mx.b.example:25=127.0.0.1:") != std::string::npos);
}

TEST_CASE("live playback: a bad exposure is a readable error", "[live]") {
  Playback pb;
  LivePlayback lp(pb);
  LiveOptions o;
  o.targets.expose.push_back(live::parse_exposure("nosuch.example:25=127.0.0.1:0"));
  std::string error;
  CHECK_FALSE(lp.open(kLesson, o, error));
  CHECK(error.find("nosuch.example") != std::string::npos);
}
