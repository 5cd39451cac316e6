// app_live.cpp - the live window's loop: frames paced at ~30 per second, the time between them
// spent waiting on the live sockets (no busy loop), scene dumps for scripts, a clean stop.
#include "viz/app/app_live.hpp"

#include <imgui.h>

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "viz/app/app_fonts.hpp"
#include "viz/app/app_window.hpp"
#include "viz/playback/live_playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_json.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

constexpr int kExitOk = 0, kExitUsage = 2;
constexpr auto kFrame = std::chrono::milliseconds(33);

// write_scene - the scene JSON to path, whole or not at all (a script may be reading it).
bool write_scene(const std::string& path, const Scene& s) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << scene_json(s);
    if (!f) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

}  // namespace

int run_live(const AppArgs& args, const std::string& lesson) {
  UiState ui;
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  load_fonts(ui);
  Window win;
  std::string error;
  if (!win.open(args.width, args.height, "smtpsim-viz (live) - " + lesson, error)) {
    std::cerr << error;
    ImGui::DestroyContext();
    return kExitUsage;
  }

  Playback pb;
  LivePlayback live(pb);
  LiveOptions opts;
  opts.targets = args.targets;
  opts.speed = args.speed.value_or(1.0);
  opts.write_ca = args.write_ca;
  if (!live.open(lesson, opts, error)) {
    std::cerr << "smtpsim-viz: " << error << "\n" << lesson << ": cannot run this lesson live\n";
    win.close();
    ImGui::DestroyContext();
    return kExitUsage;
  }
  win.set_title("smtpsim-viz (live) - " + pb.spec().lesson.title);

  boost::asio::signal_set signals(live.pump().io(), SIGINT, SIGTERM);
  int signal_seen = 0;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) signal_seen = sig;
  });
  std::cout << live.ready_line() << "\n" << std::flush;
  std::cerr << "smtpsim-viz: " << lesson << " live at speed " << opts.speed << "; stop by closing the window or Ctrl-C\n";

  SceneBuilder builder;
  Scene scene;
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto next_dump = t0;
  int status = kExitOk;
  // frame - one frame drawn (and saved to `shot` when given); requests go to the live playback.
  auto frame = [&](const std::string& shot) {
    win.begin_frame();
    live.serve(std::chrono::milliseconds(0));
    builder.build(pb, scene);
    live.decorate(scene);
    ui.skip_idle = pb.skip_idle();
    draw_main(scene, ui);
    Requests req = ui.req;
    ui.req = {};
    if (!win.end_frame(shot)) {
      std::cerr << "smtpsim-viz: cannot write '" << shot << "'\n";
      status = kExitUsage;
    }
    live.apply(req);
  };
  while (!win.should_close() && !signal_seen) {
    auto start = clock::now();
    frame("");
    if (args.scene_every && !args.scene.empty() && start >= next_dump) {
      write_scene(args.scene, scene);
      next_dump = start + std::chrono::microseconds(*args.scene_every);
    }
    if (args.run_for && start - t0 >= std::chrono::microseconds(*args.run_for)) break;
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
    if (spent < kFrame) live.serve(kFrame - spent);  // sockets and due events while waiting
  }
  // The end: two frames so the last moment is drawn whole, then the files.
  frame("");
  frame(args.screenshot);
  if (!args.scene.empty() && !write_scene(args.scene, scene)) {
    std::cerr << "smtpsim-viz: cannot write '" << args.scene << "'\n";
    status = kExitUsage;
  }
  std::cout << "stopped" << (signal_seen ? std::string(" by ") + (signal_seen == SIGINT ? "SIGINT" : "SIGTERM") : "")
            << " at virtual " << format_time(pb.now()) << ": " << live.accepted() << " real connection(s)\n"
            << std::flush;
  signals.cancel();
  win.close();
  ImGui::DestroyContext();
  return status;
}

}  // namespace smtpsim::viz
