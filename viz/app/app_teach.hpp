// app_teach.hpp - the window's teaching modes (issue 12 items 9 and 10), kept out of app_main's
// loop: presenter mode's fonts and style switched between frames, predict mode's question put into
// the scene and its answers taken from the requests, and the S key's picture and transcript.
#pragma once
#include <string>

#include "viz/app/app_window.hpp"
#include "viz/playback/playback.hpp"
#include "viz/playback/playback_predict.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

class Teach {
 public:
  // attach - predict mode works on this playback (call after any start-up seek: a question
  // would stop it).
  void attach(Playback& pb) { predictor_.attach(pb); }
  // scale_only - presenter mode scales the normal atlas instead of re-building it (test only).
  void set_scale_only(bool on) { scale_only_ = on; }
  // between_frames - apply ui.presenter (fonts re-built and re-uploaded, style) and ui.predict.
  void between_frames(UiState& ui, Window& win);
  // scene - predict mode's part of the scene (after SceneBuilder::build, and after a rewind).
  void scene(Playback& pb, Scene& s);
  // requests - the frame's requests with predict mode's answers applied and what an open
  // question holds back removed.
  Requests requests(const Requests& r) { return predictor_.filter(r); }
  // ask_next - run on until predict mode asks (screenshots of a waiting question).
  void ask_next(Playback& pb);
  // snapshot - write the transcript so far beside a PNG name in the current directory, print
  // where; returns the PNG path for Window::end_frame ("" when the text cannot be written).
  std::string snapshot(Playback& pb, UiState& ui);
  Predictor& predictor() { return predictor_; }

 private:
  Predictor predictor_;
  bool presenter_ = false, scale_only_ = false;
};

}  // namespace smtpsim::viz
