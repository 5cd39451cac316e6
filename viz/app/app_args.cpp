// app_args.cpp - reading smtpsim-viz's command line; times and speeds as in lesson files.
#include "viz/app/app_args.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <string_view>
#include <vector>

namespace smtpsim::viz {

const char* usage() {
  return "usage: smtpsim-viz [LESSON] [--at T] [--speed X] [--size WxH] [--screenshot OUT.png]\n"
         "                   [--scene OUT.json] [--play-to-end] [--actions FILE] [--save-lesson OUT.yaml]\n"
         "                   [--tab NAME] [--inspect MSGID] [--hop N] [--view V] [--conn N]\n"
         "                   [--presenter] [--predict]\n"
         "  LESSON         a lesson file (default: scenarios/lessons/story.yaml)\n"
         "  --at T         start at virtual time T (like 10m, 1h1m1s)\n"
         "  --speed X      virtual seconds per wall second, 0.1 .. 10000 (like 60 or 60x)\n"
         "  --size WxH     window size (default 1280x800)\n"
         "  --screenshot F render at --at, write the picture to F (PNG) and exit\n"
         "  --scene F      write what is on screen at --at as JSON to F and exit\n"
         "  --play-to-end  play the lesson to its end in the window, print the trace hash and\n"
         "                 the summary like `smtpsim run`, exit 0 pass / 1 fail / 2 bad input\n"
         "  --tab NAME     open a bottom tab: transcript sequence message mailboxes charts\n"
         "  --inspect ID   open the message inspector on this Message-ID (or 'first'), at --hop N\n"
         "                 (1 = the first hop, default the last), --view header|body|raw|wire\n"
         "  --conn N       the sequence diagram's connection\n"
         "  --actions F    apply what a person does, listed in F, each when the clock reaches its at:\n"
         "                 lesson timeline entries, { at: T, send: {...} }, { at: T, rewind_to: T2 },\n"
         "                 { at: T, screenshot: F.png }, { at: T, presenter: on }, { at: T, predict: on },\n"
         "                 { at: T, open_menu: link A B | host H | dns H }, { at: T, compose: on },\n"
         "                 { at: T, branches: on }\n"
         "  --save-lesson F  on exit, write the current branch (the lesson plus what was done by\n"
         "                 hand) as a lesson file that `smtpsim run` replays to the same trace hash\n"
         "  --presenter    start in presenter mode (large text, high contrast; key F)\n"
         "  --predict      start in predict mode (the run stops before each reply and asks what\n"
         "                 comes; key P); with --screenshot: at the first question after --at\n"
         "live mode: smtpsim-viz --live LESSON --expose HOST:PORT=127.0.0.1:LOCALPORT ...\n"
         "  --live         run the lesson in real time (x--speed, default 1) with real mail\n"
         "                 clients on loopback, as `smtpsim live` does; prints its `ready` line\n"
         "  --expose H:P=127.0.0.1:L  a lesson server real clients can reach (L 0 = any free port)\n"
         "  --gateway H[:P]=127.0.0.1:R  host H's service is the real server on port R\n"
         "  --write-ca F   write the simulation's CA certificate (for STARTTLS clients) to F\n"
         "  --for T        close after T of wall time (else on closing the window or SIGTERM)\n"
         "  --scene F      write the scene JSON at exit; --scene-every T also every T while live\n"
         "  --screenshot F write the last frame to F at exit\n";
}

bool parse_args(int argc, char** argv, AppArgs& out, std::string& error) {
  const std::vector<std::string> all(argv + 1, argv + argc);  // for the live words' parser
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string& v) {
      if (i + 1 >= argc) {
        error = std::string(a) + " needs a value";
        return false;
      }
      v = argv[++i];
      return true;
    };
    std::string v;
    if (a == "-h" || a == "--help") {
      out.help = true;
    } else if (a == "--play-to-end") {
      out.play_to_end = true;
    } else if (a == "--presenter") {
      out.presenter = true;
    } else if (a == "--predict") {
      out.predict = true;
    } else if (a == "--presenter-scale-only") {
      out.presenter = out.presenter_scale_only = true;
    } else if (a == "--at") {
      if (!value(v)) return false;
      auto d = parse_duration(v);
      if (!d) { error = "--at: expected a time like 10m or 1h1m1s, got '" + v + "'"; return false; }
      out.at = *d;
    } else if (a == "--speed") {
      if (!value(v)) return false;
      if (!v.empty() && (v.back() == 'x' || v.back() == 'X')) v.pop_back();
      char* end = nullptr;
      double x = std::strtod(v.c_str(), &end);
      if (v.empty() || *end || !(x >= 0.1 && x <= 10000)) { error = "--speed: expected 0.1 .. 10000, got '" + v + "'"; return false; }
      out.speed = x;
    } else if (a == "--size") {
      if (!value(v)) return false;
      auto x = v.find('x');
      int w = x == std::string::npos ? 0 : std::atoi(v.substr(0, x).c_str());
      int h = x == std::string::npos ? 0 : std::atoi(v.substr(x + 1).c_str());
      if (w < 320 || h < 240 || w > 8192 || h > 8192) { error = "--size: expected WxH like 1280x800, got '" + v + "'"; return false; }
      out.width = w;
      out.height = h;
    } else if (a == "--live") {
      out.live = true;
    } else if (a == "--expose" || a == "--gateway" || a.rfind("--expose=", 0) == 0 || a.rfind("--gateway=", 0) == 0) {
      std::size_t j = std::size_t(i - 1);
      try {
        live::take_target(all, j, out.targets);
      } catch (const live::ArgError& e) {
        error = e.what();
        return false;
      }
      i = int(j + 1);
    } else if (a == "--write-ca") {
      if (!value(out.write_ca)) return false;
    } else if (a == "--for" || a == "--scene-every") {
      std::string flag(a);
      if (!value(v)) return false;
      auto d = parse_duration(v);
      if (!d || *d <= 0) { error = flag + ": expected a duration like 30s or 2m, got '" + v + "'"; return false; }
      (flag == "--for" ? out.run_for : out.scene_every) = *d;
    } else if (a == "--screenshot") {
      if (!value(out.screenshot)) return false;
    } else if (a == "--scene") {
      if (!value(out.scene)) return false;
    } else if (a == "--tab") {
      if (!value(out.tab)) return false;
      static const char* const kTabs[] = {"transcript", "sequence", "message", "mailboxes", "charts"};
      if (std::find(std::begin(kTabs), std::end(kTabs), out.tab) == std::end(kTabs)) {
        error = "--tab: expected transcript, sequence, message, mailboxes or charts, got '" + out.tab + "'";
        return false;
      }
    } else if (a == "--inspect") {
      if (!value(out.inspect)) return false;
      if (out.tab.empty()) out.tab = "message";
    } else if (a == "--view") {
      if (!value(out.view)) return false;
      if (out.view != "header" && out.view != "body" && out.view != "raw" && out.view != "wire") {
        error = "--view: expected header, body, raw or wire, got '" + out.view + "'";
        return false;
      }
    } else if (a == "--hop" || a == "--conn") {
      if (!value(v)) return false;
      char* end = nullptr;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 1) { error = std::string(a) + ": expected a number from 1, got '" + v + "'"; return false; }
      if (a == "--hop") out.hop = int(n);
      else out.conn = std::uint64_t(n), out.tab = out.tab.empty() ? "sequence" : out.tab;
    } else if (a == "--actions") {
      if (!value(out.actions)) return false;
    } else if (a == "--save-lesson") {
      if (!value(out.save_lesson)) return false;
    } else if (!a.empty() && a[0] == '-') {
      error = "unknown option " + std::string(a);
      return false;
    } else if (out.lesson.empty()) {
      out.lesson = a;
    } else {
      error = "one lesson at a time (got '" + out.lesson + "' and '" + std::string(a) + "')";
      return false;
    }
  }
  if (!out.live && (!out.targets.expose.empty() || !out.targets.gateways.empty() || !out.write_ca.empty() ||
                    out.run_for || out.scene_every)) {
    error = "--expose, --gateway, --write-ca, --for and --scene-every belong to --live";
    return false;
  }
  if (out.live && (out.at || out.play_to_end || !out.actions.empty() || !out.save_lesson.empty())) {
    error = "--live runs on the wall clock: --at, --play-to-end, --actions and --save-lesson cannot be used with it";
    return false;
  }
  if (out.live && out.targets.expose.empty() && out.targets.gateways.empty()) {
    error = "--live: nothing to expose: give --expose HOST:PORT=127.0.0.1:LOCALPORT (or --gateway)";
    return false;
  }
  return true;
}

std::string default_lesson(const char* argv0) {
  namespace fs = std::filesystem;
  const fs::path rel = fs::path("scenarios") / "lessons" / "story.yaml";
  std::error_code ec;
  fs::path exe = fs::weakly_canonical(fs::path(argv0), ec);
  for (fs::path d = exe.parent_path(); !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / rel, ec)) return (d / rel).string();
    if (d == d.parent_path()) break;
  }
#ifdef SMTPSIM_SOURCE_DIR
  if (fs::exists(fs::path(SMTPSIM_SOURCE_DIR) / rel, ec)) return (fs::path(SMTPSIM_SOURCE_DIR) / rel).string();
#endif
  if (fs::exists(rel, ec)) return rel.string();
  return "";
}

}  // namespace smtpsim::viz
