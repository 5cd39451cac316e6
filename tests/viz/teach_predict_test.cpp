// teach_predict_test.cpp - predict mode: the choices for a reply (right entry found in the
// catalogue, plausible distractors with other labels, a stable order), and the cycle on the real
// story run: the clock stops before a reply, the reply is hidden until answered, play waits for an
// answer, the score counts, a rewind drops the question, and the trace hash is the same as without;
// unattended runs time each question out (none piles up), the S key's transcript and the scene
// JSON never show the hidden reply.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "sim/pop3/pop3_catalog.hpp"
#include "sim/smtp/smtp_catalog.hpp"
#include "viz/playback/playback.hpp"
#include "viz/playback/playback_predict.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_json.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

// to_first_question - the story played fast in predict mode until the run stops at its first
// question (the MSA's greeting).
void to_first_question(Playback& pb, Predictor& pr) {
  REQUIRE(pb.open(kStory));
  pr.attach(pb);
  pr.set_on(true);
  pb.set_speed(10000);
  pb.set_playing(true);
  for (int i = 0; i < 1000 && !pr.waiting(); ++i) pb.tick(0.1);
}

// right_of - the one right choice (fails when there is not exactly one).
const PredictChoice& right_of(const std::vector<PredictChoice>& cs) {
  REQUIRE(std::count_if(cs.begin(), cs.end(), [](const PredictChoice& c) { return c.right; }) == 1);
  return *std::find_if(cs.begin(), cs.end(), [](const PredictChoice& c) { return c.right; });
}

// labels - the labels of the choices, in order.
std::vector<std::string> labels(const std::vector<PredictChoice>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.label);
  return out;
}

// plain_hash - the story's trace hash played without predict mode.
std::string plain_hash() {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.advance_to(pb.end());
  REQUIRE(pb.finished());
  return pb.report().trace_hash;
}
}  // namespace

TEST_CASE("predict choices: the right catalogue entry and plausible others for the command", "[predict]") {
  SECTION("RCPT answered 250 2.1.5: three other replies a RCPT can get, each a different label") {
    auto cs = predict_choices("RCPT TO:<b@b.example>", "250 2.1.5 Ok", 7);
    REQUIRE(cs.size() == 4);
    CHECK(right_of(cs).key == "smtp.rcpt_ok");
    CHECK(right_of(cs).label == "250 2.1.5");
    auto ls = labels(cs);
    CHECK(std::set<std::string>(ls.begin(), ls.end()).size() == 4);
    CHECK(std::find(ls.begin(), ls.end(), "550 5.1.1") != ls.end());  // user unknown: the classic
    for (const auto& c : cs) CHECK(!c.text.empty());
  }
  SECTION("the story's deferral: 451 4.3.0 is the catalogue's local error, not the greylisting 451") {
    auto cs = predict_choices("RCPT TO:<b@b.example>", "451 4.3.0 Try again later", 1);
    CHECK(right_of(cs).key == "smtp.local_error");
    CHECK(right_of(cs).code == 451);
    CHECK(cs.size() == 4);
  }
  SECTION("no command: the greeting, with refusals as distractors") {
    auto cs = predict_choices("", "220 mx1.b.example ESMTP smtpsim", 0);
    CHECK(right_of(cs).key == "smtp.greeting");
    auto ls = labels(cs);
    CHECK(std::find(ls.begin(), ls.end(), "421 4.3.2") != ls.end());
  }
  SECTION("end of data: queued, among rejections") {
    auto cs = predict_choices(".", "250 2.0.0 Ok: queued as 55DEF76007", 3);
    CHECK(right_of(cs).key == "smtp.queued");
  }
  SECTION("EHLO's first line: the EHLO entry") {
    CHECK(right_of(predict_choices("EHLO out1.fra", "250-mx2.b.example", 2)).key == "smtp.ehlo");
  }
  SECTION("POP3: the entry whose text fits, distractors are other entries") {
    CHECK(right_of(predict_choices("UIDL", "+OK unique-id listing follows", 0)).key == "pop3.uidl_all");
    CHECK(right_of(predict_choices("UIDL 1", "+OK 1 3a9f", 0)).key == "pop3.uidl_one");
    auto cs = predict_choices("PASS ****", "+OK maildrop has 1 message (1226 octets)", 5);
    CHECK(right_of(cs).key == "pop3.login_ok");
    CHECK(cs.size() == 4);
    std::set<std::string> keys;
    for (const auto& c : cs) keys.insert(c.key);
    CHECK(keys.size() == 4);
    CHECK(keys.count("pop3.auth_failed") == 1);
  }
  SECTION("a reply the catalogue does not know: the line itself is the right answer") {
    auto cs = predict_choices("XYZZY", "299 nothing happens", 0);
    CHECK(right_of(cs).key.empty());
    CHECK(right_of(cs).label == "299");
    CHECK(right_of(cs).text == "nothing happens");
    CHECK(cs.size() == 4);  // the catch-all row fills in
  }
  SECTION("the order is fixed by the salt, and the right one moves between salts") {
    CHECK(labels(predict_choices("MAIL FROM:<a@a.example>", "250 2.1.0 Ok", 11)) ==
          labels(predict_choices("MAIL FROM:<a@a.example>", "250 2.1.0 Ok", 11)));
    std::set<std::size_t> places;
    for (std::uint64_t salt = 0; salt < 8; ++salt) {
      auto cs = predict_choices("MAIL FROM:<a@a.example>", "250 2.1.0 Ok", salt);
      places.insert(std::size_t(&right_of(cs) - cs.data()));
    }
    CHECK(places.size() == 4);
  }
}

TEST_CASE("predict table: every key it names is in the catalogue", "[predict]") {
  smtp::Catalog cat = smtp::Catalog::smtp();
  cat.add(pop3::catalog_entries());
  auto keys = predict_table_keys();
  CHECK(keys.size() > 40);
  for (const auto& k : keys) {
    INFO(k);
    CHECK(cat.by_key(k) != nullptr);
  }
}

TEST_CASE("predict mode on the story: stop before the reply, hide it, answer, score", "[predict]") {
  Playback pb;
  Predictor pr;
  to_first_question(pb, pr);
  REQUIRE(pr.waiting());
  CHECK_FALSE(pb.playing());

  // The clock stopped at the greeting of the MSA: the reply is in the trace, not on screen.
  const auto& ev = pb.world().trace.events();
  REQUIRE_FALSE(ev.empty());
  const TraceEvent& last_reply = *std::find_if(ev.rbegin(), ev.rend(), [](const TraceEvent& e) { return e.kind == TraceKind::Reply; });
  CHECK(last_reply.text.rfind("220 msa.a.example", 0) == 0);
  Scene s;
  SceneBuilder builder;
  builder.build(pb, s);
  auto shows_reply = [&](const Scene& sc) {
    return std::any_of(sc.transcript.begin(), sc.transcript.end(), [](const SceneLine& l) { return l.kind == "reply"; }) ||
           std::any_of(sc.tokens.begin(), sc.tokens.end(), [](const SceneToken& t) { return t.kind == "reply"; });
  };
  CHECK(shows_reply(s));  // without the predictor's fill, the reply is there
  pr.fill(s);
  CHECK_FALSE(shows_reply(s));
  CHECK(s.predict.on);
  CHECK(s.predict.waiting);
  CHECK(s.predict.server == "msa.a.example");
  CHECK(s.predict.command.empty());
  CHECK(s.predict.numeric);
  REQUIRE(s.predict.choices.size() == 4);

  // Play waits for an answer; stepping back is allowed.
  Requests play;
  play.toggle_play = true;
  play.step_exchange = true;
  Requests held = pr.filter(play);
  CHECK_FALSE(held.toggle_play);
  CHECK_FALSE(held.step_exchange);

  // Answer right by picking the right choice: the reply shows, the score is 1 of 1.
  int right = -1;
  for (std::size_t i = 0; i < pr.choices().size(); ++i)
    if (pr.choices()[i].right) right = int(i);
  REQUIRE(right >= 0);
  Requests pick;
  pick.predict_pick = right;
  pick.toggle_play = true;
  Requests passed = pr.filter(pick);
  CHECK(passed.toggle_play);  // answered: play goes through
  CHECK_FALSE(pr.waiting());
  builder.build(pb, s);
  pr.fill(s);
  CHECK(shows_reply(s));
  CHECK(s.predict.answered);
  CHECK(s.predict.was_right);
  CHECK(s.predict.asked == 1);
  CHECK(s.predict.right == 1);
  CHECK(s.predict.reply.rfind("220 msa.a.example", 0) == 0);
  CHECK(s.predict.explanation.find("220") != std::string::npos);
  CHECK(s.predict.explanation.find("meaning:") != std::string::npos);

  // The next question: EHLO. A wrong typed code scores 1 of 2.
  pb.apply(passed);
  for (int i = 0; i < 1000 && !pr.waiting(); ++i) pb.tick(0.1);
  REQUIRE(pr.waiting());
  builder.build(pb, s);
  pr.fill(s);
  CHECK(s.predict.command.rfind("EHLO", 0) == 0);
  pr.answer_code(500);
  builder.build(pb, s);
  pr.fill(s);
  CHECK_FALSE(s.predict.was_right);
  CHECK(s.predict.guess == "500");
  CHECK(s.predict.asked == 2);
  CHECK(s.predict.right == 1);

  // A rewind to before the next question's reply drops it; the score stays.
  pb.set_playing(true);
  for (int i = 0; i < 1000 && !pr.waiting(); ++i) pb.tick(0.1);
  REQUIRE(pr.waiting());
  pb.seek(0);
  pr.sync(pb);
  CHECK_FALSE(pr.waiting());
  CHECK(pr.asked() == 2);
}

TEST_CASE("predict mode does not change the run: the same trace hash as without", "[predict]") {
  const std::string want = plain_hash();
  Playback pb;
  REQUIRE(pb.open(kStory));
  Predictor pr;
  pr.attach(pb);
  pr.set_on(true);
  pb.set_speed(10000);
  pb.set_playing(true);
  int questions = 0;
  for (int guard = 0; guard < 200000 && !pb.finished(); ++guard) {
    if (pr.waiting()) {
      // answer in turn: right, wrong, skip (a wrong one is asked again next time)
      ++questions;
      int right = 0, wrong = 0;
      for (std::size_t i = 0; i < pr.choices().size(); ++i) (pr.choices()[i].right ? right : wrong) = int(i);
      if (questions % 3 == 0) pr.skip();
      else if (questions % 3 == 1) pr.answer_choice(right);
      else pr.answer_choice(wrong);  // (POP3 replies take no typed number: a wrong choice)
      continue;
    }
    if (!pb.playing()) pb.set_playing(true);
    pb.tick(0.1);
  }
  REQUIRE(pb.finished());
  CHECK(questions >= 15);
  CHECK(pr.asked() == questions);
  CHECK(pr.right() == (questions + 2) / 3);
  CHECK(pb.report().trace_hash == want);
}

TEST_CASE("predict mode unattended (--play-to-end): each question times out, none piles up", "[predict]") {
  const std::string want = plain_hash();
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  Predictor pr;
  pr.attach(pb);
  pr.set_on(true);
  pb.set_speed(20);
  pb.set_skip_idle(true);
  pb.set_skip_wall(0.2);
  pb.set_playing(true);
  std::size_t most = 0;
  int waiting_frames = 0;
  SceneBuilder builder;
  Scene s;
  for (int frame = 0; frame < 400000 && !pb.finished(); ++frame) {  // the loop of app_main's --play-to-end
    const std::size_t before = pr.open_questions();
    pb.tick(0.1);
    pr.unattended(pb, 10);
    if (before > 0) CHECK(pr.open_questions() <= before);  // with one open, the clock does not run on
    most = std::max(most, pr.open_questions());
    if (pr.waiting()) ++waiting_frames;
    if (frame % 97 == 0 && pr.waiting()) {  // while one waits, its reply is hidden
      builder.build(pb, s);
      pr.fill(s);
      CHECK(s.predict.waiting);
      CHECK(std::none_of(s.tokens.begin(), s.tokens.end(), [&](const SceneToken& t) { return t.kind == "reply" && t.seq >= pr.shown_events(~std::size_t(0)); }));
    }
  }
  REQUIRE(pb.finished());
  CHECK(most >= 1);
  CHECK(most <= 3);  // at most one stop's replies (a pipelined MAIL/RCPT/DATA group answers at once)
  CHECK(pr.asked() >= 15);
  CHECK(pr.unanswered() == pr.asked());
  CHECK(pr.right() == 0);
  CHECK(waiting_frames == pr.asked() * 10);  // each waited its 10 frames, then timed out
  builder.build(pb, s);
  pr.fill(s);
  CHECK(s.predict.guess == "no answer");
  CHECK(s.predict.unanswered == pr.asked());
  CHECK_FALSE(s.predict.explanation.empty());
  CHECK(pb.report().trace_hash == want);
}

TEST_CASE("predict mode: the S key's transcript stops before the hidden reply", "[predict]") {
  Playback pb;
  Predictor pr;
  to_first_question(pb, pr);
  REQUIRE(pr.waiting());  // the MSA's greeting is in the trace but hidden
  std::string text = pr.transcript_so_far(pb);
  CHECK(text.find("client-c") != std::string::npos);  // the connection so far is there
  CHECK(text.find("220 msa.a.example") == std::string::npos);
  pr.skip();
  text = pr.transcript_so_far(pb);
  CHECK(text.find("220 msa.a.example") != std::string::npos);  // answered: it is saved too
}

TEST_CASE("predict mode in the scene JSON: the question, the choices, the score, not the reply", "[predict]") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  Predictor pr;
  pr.attach(pb);
  Scene s;
  SceneBuilder builder;
  builder.build(pb, s);
  pr.fill(s);
  CHECK(scene_json(s).find("\"predict\":null") != std::string::npos);  // off: nothing
  pr.set_on(true);
  pb.set_speed(10000);
  pb.set_playing(true);
  for (int i = 0; i < 1000 && !pr.waiting(); ++i) pb.tick(0.1);
  REQUIRE(pr.waiting());
  builder.build(pb, s);
  pr.fill(s);
  std::string j = scene_json(s);
  CHECK(j.find("\"predict\":{\"waiting\":true,\"server\":\"msa.a.example\",\"client\":\"client-c\",\"command\":\"\","
               "\"choices\":[{\"label\":") != std::string::npos);
  CHECK(j.find("{\"label\":\"220\",\"text\":\"msa.a.example ESMTP smtpsim\"}") != std::string::npos);  // among the choices
  CHECK(j.find("\"numeric\":true,\"asked\":0,\"right\":0,\"unanswered\":0,\"answered\":false") != std::string::npos);
  CHECK(j.find("220 msa.a.example") == std::string::npos);  // the hidden reply: no token, no text
  pr.time_out();
  builder.build(pb, s);
  pr.fill(s);
  j = scene_json(s);
  CHECK(j.find("\"waiting\":false") != std::string::npos);
  CHECK(j.find("\"asked\":1,\"right\":0,\"unanswered\":1,\"answered\":true,\"was_right\":false,\"guess\":\"no answer\","
               "\"reply\":\"220 msa.a.example") != std::string::npos);
}
