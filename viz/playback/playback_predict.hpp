// playback_predict.hpp - predict mode (issue 12 item 9): before each reply the clock stops and the
// student says which reply comes next, from a short list of catalogue entries (the right one and
// plausible others for that command) or by typing the code; the reply stays hidden until then,
// the tutor's explanation follows, the score is kept. The predictor only stops and resumes the
// scheduler (Playback::set_stop_hook): the trace is the same with predict mode on or off.
#pragma once
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "viz/playback/playback.hpp"
#include "viz/scene/scene.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// PredictChoice - one answer offered: a catalogue entry (or the reply itself when the catalogue
// has no entry for it) and whether it is the reply that comes.
struct PredictChoice {
  std::string key;            // catalogue key ("smtp.rcpt_ok"; "" for a reply not in the catalogue)
  std::string label, text;    // "250 2.1.5", "Ok"
  int code = 0;               // SMTP code, or smtp::kPop3Ok / kPop3Err
  bool right = false;
};

// predict_choices - the right entry for `reply` (answering `command`, "" = a greeting) and up to
// `distractors` plausible other replies to that command, each with a different label (POP3: a
// different entry), the right one at a place chosen by `salt` (the same salt, the same order).
std::vector<PredictChoice> predict_choices(const std::string& command, const std::string& reply,
                                           std::uint64_t salt, int distractors = 3);
// predict_table_keys - every catalogue key the plausibility table names (tests check they exist).
std::vector<std::string> predict_table_keys();

// Predictor - the question/answer cycle over one Playback.
class Predictor {
 public:
  // attach - install the stop hook on pb (once; the hook survives rewinds and lesson changes).
  void attach(Playback& pb);
  void set_on(bool on);        // off: an open question is dropped and its reply shows
  bool on() const { return on_; }
  bool waiting() const { return !pending_.empty(); }
  int asked() const { return asked_; }
  int right() const { return right_; }
  // filter - the requests with what a waiting question forbids removed (play, step forward, seek
  // forward: answer first) and the answer in them applied. Call before Playback::apply.
  Requests filter(const Requests& r);
  // answer_choice / answer_code / skip - resolve the open question (no-op when none).
  void answer_choice(int i);
  void answer_code(int code);
  void skip();
  // sync - after a rewind the open question's reply may not have happened yet: drop it.
  void sync(Playback& pb);
  // fill - s.predict from the state, and the open question's reply lines and tokens taken out
  // of the scene (call after SceneBuilder::build).
  void fill(Scene& s) const;
  // choices - the open question's choices (empty when none).
  const std::vector<PredictChoice>& choices() const;

 private:
  struct Question {
    std::vector<std::uint64_t> seqs;  // the reply's lines (a multi-line reply: all of them)
    SimTime time = 0;
    std::uint64_t conn = 0;
    std::string server, client, command, reply;
    std::vector<PredictChoice> choices;
  };
  bool on_stop(const TraceEvent& e, std::size_t idx);
  void resolve(bool right, const std::string& guess);
  static std::string verb_of(const std::string& command);

  Playback* pb_ = nullptr;
  bool on_ = false;
  std::deque<Question> pending_;
  std::set<std::pair<std::string, std::string>> known_;  // (verb, reply label) answered right: not asked again
  int asked_ = 0, right_ = 0;
  ScenePredict last_;                                    // the last answer (answered..explanation)
};

}  // namespace smtpsim::viz
