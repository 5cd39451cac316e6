// views_queues_test.cpp - queue rows: the two countdowns and why the next attempt is less than the
// preset's interval away (it counts from the start of the previous attempt), as text and on screen.
#include <catch2/catch.hpp>

#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

TEST_CASE("a deferred row counts down to the next attempt and to the give-up deadline", "[queues]") {
  Scene s = test::story_scene();
  const SceneQueueRow& r = s.queues[0];
  QueueRowText t = queue_row_text(r, s.t_us);  // now 00:01:31.242, next 00:16:00.421
  CHECK(t.next == "in 14m29s");
  CHECK(t.give_up == "give up in 3h59m");
  CHECK(t.why_short == "= last try began 00:01:00 + 15m");
  CHECK(t.why.find("start of the previous attempt 00:01:00.421 + 15m = 00:16:00.421") != std::string::npos);

  CHECK(queue_row_text(r, minutes(16) + msec(421)).next == "now");
  SceneQueueRow done = r;
  done.state = "delivered", done.next_attempt_us = kNever, done.give_up_us = kNever;
  QueueRowText d = queue_row_text(done, hours(1));
  CHECK(d.next.empty());
  CHECK(d.give_up.empty());
  CHECK(d.why.empty());
}

TEST_CASE("the queue panel shows the row with its countdowns", "[queues]") {
  Harness h;
  Scene s = test::story_scene();
  UiState ui;
  std::string text = h.frame([&] { draw_queues(s, ui); });
  CHECK(text.find("Queue of out1.fra") != std::string::npos);
  CHECK(text.find("deferred") != std::string::npos);
  CHECK(text.find("attempts: 1") != std::string::npos);
  CHECK(text.find("451 4.3.0 Try again later (mx2.b.example)") != std::string::npos);
  CHECK(text.find("in 14m29s") != std::string::npos);
  CHECK(text.find("give up in 3h59m") != std::string::npos);
  CHECK(text.find("= last try began 00:01:00 + 15m") != std::string::npos);

  s.queues.clear();
  text = h.frame([&] { draw_queues(s, ui); });
  CHECK(text.find("Queues: empty") != std::string::npos);
}
