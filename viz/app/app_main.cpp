// app_main.cpp - smtpsim-viz: open a lesson, play it in a window, or render one moment to a PNG
// and/or a scene JSON, or play it to its end and report like `smtpsim run`.
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "viz/app/app_args.hpp"
#include "viz/app/app_fonts.hpp"
#include "viz/app/app_teach.hpp"
#include "viz/app/app_live.hpp"
#include "viz/app/app_window.hpp"
#include "viz/playback/playback.hpp"
#include "viz/playback/playback_actions.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_inspect.hpp"
#include "viz/scene/scene_json.hpp"
#include "viz/views/views.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;
constexpr double kPlayFrame = 0.1;  // --play-to-end: the wall time one frame stands for, whatever the machine

// write_file - the text to path; false with a message on stderr.
bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) {
    std::cerr << "smtpsim-viz: cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

// report - the lines `smtpsim run` prints after a run; returns its exit status.
int report(Playback& pb, double wall) {
  const scenario::RunReport& rep = pb.report();
  char wall_text[64];
  std::snprintf(wall_text, sizeof wall_text, "%.2f s", wall);
  std::cout << "ran to " << format_time(rep.end) << " virtual in " << wall_text << ": " << rep.events
            << " events, trace hash " << rep.trace_hash << "\n";
  for (const auto& e : rep.expectations)
    std::cout << (e.pass ? "PASS " : "FAIL ") << e.expectation.describe() << " - " << e.detail << "\n";
  for (const auto& p : rep.ledger.problems) std::cout << "LEDGER " << p << "\n";
  std::cout << rep.summary_line() << "\n" << std::flush;
  return rep.ok() ? kExitOk : kExitFailed;
}

// apply_inspect_args - --tab, --inspect, --hop and --conn as the UI state they select.
void apply_inspect_args(const AppArgs& a, UiState& ui) {
  static const char* const kTabs[kTabCount] = {"transcript", "sequence", "message", "mailboxes", "charts"};
  for (int i = 0; i < kTabCount; ++i)
    if (a.tab == kTabs[i]) ui.bottom_tab = ui.open_tab = i;
  if (a.inspect != "first") ui.inspect_msg = a.inspect;
  ui.inspect_hop = a.hop - 1;
  ui.sequence_conn = a.conn;
  static const char* const kViews[] = {"header", "body", "raw", "wire"};
  for (int i = 0; i < 4; ++i)
    if (a.view == kViews[i]) ui.inspect_view = i;
  ui.selected_conn = a.conn;
}

// save_branch - --save-lesson: the current branch as a lesson file; false with a message.
bool save_branch(const Playback& pb, const std::string& path) {
  if (path.empty() || !pb.loaded()) return true;
  std::string why = pb.save_lesson(path);
  if (why.empty()) return true;
  std::cerr << "smtpsim-viz: --save-lesson: " << why << "\n";
  return false;
}

// next_shot - the first screenshot an --actions entry asked for ("" = none), taken off the list.
std::string next_shot(ActionTarget& t) {
  if (t.screenshots.empty()) return "";
  std::string p = t.screenshots.front();
  t.screenshots.erase(t.screenshots.begin());
  return p;
}

// shot_now - the next screenshot asked for, once what the actions opened shows: a tab bar selects
// on the next frame and the panel's own tab bars draw one frame later; a right-click menu opens the
// frame after it is asked for and an auto-sized window takes its size one frame after appearing.
// So: wait while a tab or menu is still pending, then three settling frames (the clock is held
// while a screenshot waits; at most eight frames in all).
std::string shot_now(ActionTarget& t, const UiState& ui, int& waited) {
  if (t.screenshots.empty()) {
    waited = 0;
    return "";
  }
  const bool pending = ui.open_tab >= 0 || ui.hands.menu_pending;
  if (waited < 8 && (pending || waited < 3)) {
    ++waited;
    return "";
  }
  waited = 0;
  return next_shot(t);
}

}  // namespace

int main(int argc, char** argv) {
  AppArgs args;
  std::string error;
  if (!parse_args(argc, argv, args, error)) {
    std::cerr << "smtpsim-viz: " << error << "\n" << usage();
    return kExitUsage;
  }
  if (args.help) {
    std::cout << usage() << keys_help_text();
    return kExitOk;
  }
  std::string lesson = args.lesson.empty() ? default_lesson(argv[0]) : args.lesson;
  if (lesson.empty()) {
    std::cerr << "smtpsim-viz: cannot find the default lesson scenarios/lessons/story.yaml; name a lesson file\n";
    return kExitUsage;
  }
  if (args.live) return run_live(args, lesson);  // the wall clock and real clients (app_live.cpp)

  Playback pb;
  bool loaded = pb.open(lesson);
  if (!loaded) std::cerr << pb.error() << "\n" << lesson << ": cannot open this lesson\n";
  if (!loaded && args.play_to_end) return kExitUsage;
  pb.set_speed(args.speed.value_or(args.play_to_end ? 20.0 : 0.1));
  UiState ui;
  apply_inspect_args(args, ui);
  if (loaded && ui.bottom_tab == kTabMessage) pb.set_capture(true);  // before the seek: no re-run
  ActionTarget target{pb, ui, {}};
  ActionScript script;  // --actions (empty: nothing to do)
  int waited = 0;       // frames a screenshot waited for its tab (shot_now)
  if (loaded && !args.actions.empty() && !script.load(args.actions, pb.lesson())) {
    std::cerr << script.error() << "\n" << args.actions << ": cannot use these actions\n";
    return kExitUsage;
  }
  if (loaded && args.at) {
    pb.set_auto_continue(true);
    if (script.size()) {
      if (script.drive_to(target, *args.at) > 0)
        std::cerr << "smtpsim-viz: --at: screenshot: entries are taken while playing (--play-to-end or the window)\n";
    } else {
      pb.seek(*args.at);
    }
    pb.set_auto_continue(false);
  }

  SceneBuilder builder;
  InspectBuilder inspect;
  Scene scene;
  builder.build(pb, scene);
  inspect.build(pb, ui, scene);
  const bool headless = args.screenshot.empty() && !args.play_to_end && !args.scene.empty();
  if (!args.scene.empty() && !write_file(args.scene, scene_json(scene))) return kExitUsage;
  if (headless) return loaded && save_branch(pb, args.save_lesson) ? kExitOk : kExitUsage;

  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  load_fonts(ui);
  Window win;
  if (!win.open(args.width, args.height, "smtpsim-viz - " + (loaded ? pb.spec().lesson.title : lesson), error)) {
    std::cerr << error;
    ImGui::DestroyContext();
    return kExitUsage;
  }

  Teach teach;  // presenter and predict mode (viz/app/app_teach.*)
  teach.set_scale_only(args.presenter_scale_only);
  ui.presenter = ui.presenter || args.presenter;  // (or an --actions entry before --at)
  ui.predict = ui.predict || args.predict;
  teach.attach(pb);
  if (loaded && args.predict && !args.screenshot.empty()) {
    teach.ask_next(pb);
    builder.build(pb, scene);
  }
  teach.scene(pb, scene);

  int status = kExitOk;
  if (!args.screenshot.empty()) {
    // A few frames so every panel has its size, then the picture.
    // (Five: a tab opened from the command line shows on the second, its scroll settles after.)
    for (int i = 0; i < 5; ++i) {
      teach.between_frames(ui, win);
      win.begin_frame();
      draw_main(scene, ui);
      ui.req = {};
      if (!win.end_frame(i == 4 ? args.screenshot : "")) {
        std::cerr << "smtpsim-viz: cannot write '" << args.screenshot << "'\n";
        status = kExitUsage;
      }
    }
    if (!loaded) status = kExitUsage;
  } else if (args.play_to_end) {
    pb.set_auto_continue(true);
    pb.set_skip_idle(true);
    pb.set_skip_wall(0.2);  // two frames per quiet stretch: every lesson in well under two minutes
    pb.set_playing(true);
    auto t0 = std::chrono::steady_clock::now();
    long frames = 0;
    while ((!pb.finished() || !script.done() || !target.screenshots.empty()) && !win.should_close()) {
      teach.between_frames(ui, win);
      win.begin_frame();
      script.run_due(target);
      pb.set_hold(script.next_at());
      if (target.screenshots.empty()) pb.tick(kPlayFrame);  // a screenshot shows the moment it was asked for
      if (!pb.playing() && !pb.finished()) pb.set_playing(true);
      builder.build(pb, scene);
      inspect.build(pb, ui, scene);
      teach.scene(pb, scene);
      draw_main(scene, ui);
      ui.req = {};
      std::string shot = shot_now(target, ui, waited);
      if (!win.end_frame(shot)) std::cerr << "smtpsim-viz: cannot write '" << shot << "'\n";
      ++frames;
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "frames: " << frames << "\n";
    status = pb.finished() ? report(pb, wall) : kExitFailed;
  } else {
    if (loaded && !args.at) pb.set_playing(true);
    while (!win.should_close()) {
      teach.between_frames(ui, win);
      double dt = win.begin_frame();
      script.run_due(target);
      pb.set_hold(script.next_at());
      if (target.screenshots.empty()) pb.tick(dt);
      builder.build(pb, scene);
      inspect.build(pb, ui, scene);
      teach.scene(pb, scene);
      ui.skip_idle = pb.skip_idle();
      draw_main(scene, ui);
      handle_keys(scene, ui);  // every key (viz/views/view_keys.cpp)
      Requests req = teach.requests(ui.req);
      ui.req = {};
      std::string shot = shot_now(target, ui, waited);
      if (shot.empty() && req.snapshot) shot = teach.snapshot(pb, ui);
      if (!win.end_frame(shot)) std::cerr << "smtpsim-viz: cannot write '" << shot << "'\n";
      pb.apply(req);
      if (req.open_lesson && pb.loaded()) win.set_title("smtpsim-viz - " + pb.spec().lesson.title);
    }
  }
  win.close();
  ImGui::DestroyContext();
  if (!save_branch(pb, args.save_lesson)) status = kExitUsage;
  return status;
}
