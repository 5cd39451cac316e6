// app_teach.cpp - presenter and predict mode in the window, and the S key's snapshot.
#include "viz/app/app_teach.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/export/export_transcript.hpp"
#include "viz/app/app_presenter.hpp"

namespace smtpsim::viz {

void Teach::between_frames(UiState& ui, Window& win) {
  if (ui.presenter != presenter_) {
    presenter_ = ui.presenter;
    win.reload_fonts([&] { presenter_fonts(ui, presenter_, scale_only_); });
    presenter_style(presenter_);
  }
  if (ui.predict != predictor_.on()) predictor_.set_on(ui.predict);
}

void Teach::scene(Playback& pb, Scene& s) {
  predictor_.sync(pb);
  predictor_.fill(s);
}

void Teach::ask_next(Playback& pb) {
  predictor_.set_on(true);
  for (int guard = 0; guard < 1000000 && !predictor_.waiting() && !pb.finished(); ++guard) pb.step_event();
}

std::string Teach::snapshot(Playback& pb, UiState& ui) {
  if (!pb.loaded()) return "";
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  std::string base = "smtpsim-" + std::filesystem::path(pb.path()).stem().string() + "-" + stamp;
  std::ofstream f(base + ".txt", std::ios::binary | std::ios::trunc);
  f << exporter::format_transcript(pb.run().world().trace.events());
  if (!f) {
    ui.status = "cannot write " + base + ".txt";
    std::cerr << "smtpsim-viz: " << ui.status << "\n";
    return "";
  }
  std::string where = (std::filesystem::current_path() / base).string();
  ui.status = "saved " + base + ".png and .txt";
  std::cout << "saved " << where << ".png and " << where << ".txt\n" << std::flush;
  return base + ".png";
}

}  // namespace smtpsim::viz
