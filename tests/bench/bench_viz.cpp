// bench_viz.cpp - the visualizer's frame cost without GL: an ImGui context with the DejaVu font
// atlas built, NewFrame .. draw_main .. Render over a generated scale scene (200 hosts, 5,000
// tokens in flight, queues and a long transcript), median over 300 frames; and one step back on
// the story lesson (re-simulate from the start + build the scene + draw a frame), median of 15.
// Last line: `bench_viz: frame <ms> ms, step-back <ms> ms`.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "viz/app/app_fonts.hpp"
#include "viz/playback/playback.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/scene/scene_inspect.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;

namespace {
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// scale_scene - 200 hosts in 8 columns, a link from each to the Internet, 5,000 tokens spread
// over the links, 400 queue rows, 5,000 transcript lines.
Scene scale_scene() {
  Scene s;
  s.title = "scale: 200 hosts, 5000 tokens";
  s.t_us = minutes(10);
  s.end_us = hours(1);
  const char* roles[] = {"mua", "msa", "mta", "router", "mx", "mda", "pop3", "mua"};
  for (int i = 0; i < 200; ++i) {
    SceneHost h;
    h.name = "h" + std::to_string(i) + ".example";
    h.role = roles[i % 8];
    h.label = h.role + " " + h.name;
    h.icon = h.role == "mua" ? "laptop" : h.role == "router" ? "cloud" : "server";
    h.x = 0.06f + float(i % 8) * 0.125f;
    h.y = 0.05f + float(i / 8) * 0.036f;
    h.queue_depth = i % 7 == 0 ? 3 : 0;
    s.hosts.push_back(h);
    if (i) s.links.push_back({h.name, "h3.example", i % 17 == 0 ? "down" : "up", false, msec(10), 0});
  }
  for (int i = 0; i < 5000; ++i) {
    SceneToken t;
    t.conn = std::uint64_t(i / 10 + 1);
    t.seq = std::uint64_t(i);
    t.kind = i % 2 ? "reply" : "command";
    t.code = i % 2 ? (i % 5 == 0 ? 451 : 250) : 0;
    t.text = i % 2 ? (t.code == 451 ? "451 4.3.0 Try again later" : "250 2.1.5 Ok") : "RCPT TO:<user" + std::to_string(i) + "@b.example>";
    t.from = s.hosts[std::size_t(i % 200)].name;
    t.to = "h3.example";
    t.frac = float(i % 100) / 100.0f;
    s.tokens.push_back(t);
  }
  for (int i = 0; i < 400; ++i) {
    SceneQueueRow q;
    q.host = s.hosts[std::size_t(i % 200)].name;
    q.qid = "Q" + std::to_string(i);
    q.rcpt = "user" + std::to_string(i) + "@b.example";
    q.state = "deferred";
    q.last_reply = "451 4.3.0 Try again later";
    q.attempt = 1 + i % 4;
    q.next_attempt_us = minutes(16);
    q.give_up_us = hours(4);
    s.queues.push_back(q);
  }
  for (int i = 0; i < 5000; ++i) {
    SceneLine l;
    l.seq = std::uint64_t(i);
    l.t_us = SimTime(i) * 1000;
    l.host = s.hosts[std::size_t(i % 200)].name;
    l.peer = "h3.example";
    l.kind = i % 2 ? "reply" : "command";
    l.text = i % 2 ? "250 2.0.0 Ok" : "MAIL FROM:<a@a.example>";
    s.transcript.push_back(l);
  }
  s.card = {0, 5, "Scale", "Many hosts, many messages.", false};
  return s;
}

// frame - one headless ImGui frame of the whole window.
void frame(const Scene& s, UiState& ui) {
  ImGui::GetIO().DeltaTime = 1.0f / 60;
  ImGui::NewFrame();
  draw_main(s, ui);
  ui.req = {};
  ImGui::Render();
}
}  // namespace

int main() {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1280, 800);
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL3 backend: > 64k vertices per list
  UiState ui;
  load_fonts(ui);
  unsigned char* px = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);

  Scene scale = scale_scene();
  for (int i = 0; i < 5; ++i) frame(scale, ui);  // warm up: windows take their sizes
  std::vector<double> frames;
  for (int i = 0; i < 300; ++i) {
    auto t0 = Clock::now();
    frame(scale, ui);
    frames.push_back(ms_since(t0));
  }
  std::printf("frame (200 hosts, %zu tokens, %zu draw vertices): median %.3f ms over %zu frames\n", scale.tokens.size(),
              std::size_t(ImGui::GetDrawData()->TotalVtxCount), median(frames), frames.size());

  // Step back on the story at the second retry: re-simulate from 0 to the previous event.
  Playback pb;
  if (!pb.open(std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml")) {
    std::printf("bench_viz: cannot open the story: %s\n", pb.error().c_str());
    return 1;
  }
  pb.set_auto_continue(true);
  pb.seek(minutes(16) + 500'000);
  SceneBuilder builder;
  Scene s;
  std::vector<double> backs, builds;
  for (int i = 0; i < 15; ++i) {
    auto t0 = Clock::now();
    pb.step_back();
    builder.build(pb, s);
    frame(s, ui);
    backs.push_back(ms_since(t0));
    auto t1 = Clock::now();
    builder.build(pb, s);
    builds.push_back(ms_since(t1));
  }
  std::printf("story: scene build %.3f ms (%zu transcript lines), step back to event %llu\n", median(builds),
              s.transcript.size(), static_cast<unsigned long long>(pb.executed()));
  // The inspect tabs on the story at 01:10 (capture on): a frame = scene build + the open tab's
  // inspect build (cached while the trace does not grow) + drawing; "first" = a cold cache.
  pb.set_capture(true);
  pb.seek(hours(1) + minutes(10));
  const char* const kTabNames[kTabCount] = {"transcript", "sequence", "message", "mailboxes", "charts"};
  std::string per_tab;
  for (int tab = 0; tab < kTabCount; ++tab) {
    UiState tui;
    tui.font_mono = ui.font_mono;
    tui.font_big = ui.font_big;
    tui.bottom_tab = tui.open_tab = tab;
    InspectBuilder inspect;
    auto t0 = Clock::now();
    builder.build(pb, s);
    inspect.build(pb, tui, s);
    double first = ms_since(t0);
    for (int i = 0; i < 5; ++i) frame(s, tui);
    std::vector<double> tf;
    for (int i = 0; i < 50; ++i) {
      auto t1 = Clock::now();
      builder.build(pb, s);
      inspect.build(pb, tui, s);
      frame(s, tui);
      tf.push_back(ms_since(t1));
    }
    char line[128];
    std::snprintf(line, sizeof line, "  %s %.2f ms (first build %.2f ms)", kTabNames[tab], median(tf), first);
    per_tab += line;
  }
  std::printf("story at 01:10, build + frame per bottom tab:%s\n", per_tab.c_str());
  ImGui::DestroyContext();
  std::printf("bench_viz: frame %.2f ms, step-back %.2f ms\n", median(frames), median(backs));
  return 0;
}
