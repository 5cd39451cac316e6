// cli_list.cpp - `smtpsim list`: the lessons of a directory with their level and title.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "sim/cli/cli_commands.hpp"
#include "sim/cli/cli_text.hpp"
#include "sim/scenario/scenario_load.hpp"

namespace smtpsim::cli {

namespace {

namespace fs = std::filesystem;

// is_dir - whether `p` is an existing directory (no exception on odd paths).
bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

}  // namespace

// cmd_list - `smtpsim list`: the lessons of the first lesson directory that exists.
int cmd_list(const std::vector<std::string>& args, Context& ctx) {
  static constexpr FlagSpec kFlags[] = {{"--dir", true}, {"--long", false, "-l"}};
  ParsedArgs a;
  try {
    a = parse_args(args, kFlags);
    if (!a.positional.empty()) throw UsageError("unexpected argument '" + a.positional[0] + "' (use --dir DIR)");
  } catch (const UsageError& e) {
    return usage_error(ctx, "list", e.what());
  }

  // The first that exists of: --dir, $SMTPSIM_LESSONS, ./scenarios/lessons, <exe dir>/../scenarios/lessons.
  std::vector<std::pair<std::string, fs::path>> places;
  if (auto d = a.value("--dir")) {
    if (!is_dir(*d)) return usage_error(ctx, "list", "--dir: '" + *d + "' is not a directory");
    places.emplace_back("--dir", *d);
  } else {
    if (const char* env = std::getenv("SMTPSIM_LESSONS"); env && *env) places.emplace_back("$SMTPSIM_LESSONS", env);
    places.emplace_back("the current directory", fs::path("scenarios") / "lessons");
    if (!ctx.exe_path.empty())
      places.emplace_back("the program's directory", fs::path(ctx.exe_path).parent_path() / ".." / "scenarios" / "lessons");
  }
  fs::path dir;
  for (const auto& [why, p] : places)
    if (is_dir(p)) {
      dir = p;
      break;
    }
  if (dir.empty()) {
    ctx.err << "smtpsim list: no lesson directory found; looked in:\n";
    for (const auto& [why, p] : places) ctx.err << "  " << p.string() << "  (" << why << ")\n";
    ctx.err << "Use --dir DIR or set SMTPSIM_LESSONS.\n";
    return kExitUsage;
  }

  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if ((ext == ".yaml" || ext == ".yml") && entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  if (ec) {
    ctx.err << "smtpsim list: cannot read '" << dir.string() << "': " << ec.message() << "\n";
    return kExitUsage;
  }
  std::sort(files.begin(), files.end());
  std::error_code cec;
  fs::path shown = fs::weakly_canonical(dir, cec);
  ctx.out << "Lessons in " << (cec ? dir.string() : shown.string()) << ":\n";
  if (files.empty()) ctx.out << "  (none)\n";

  std::size_t name_w = 0;
  for (const auto& f : files) name_w = std::max(name_w, f.stem().string().size());
  for (const auto& f : files) {
    scenario::LoadResult lr = scenario::load_scenario_file(f.string());
    std::string name = f.stem().string();
    ctx.out << "  " << name << std::string(name_w - name.size() + 2, ' ');
    if (!lr.ok()) {
      ctx.out << "(invalid: " << lr.error_count() << " error(s); smtpsim validate " << f.string() << ")\n";
      continue;
    }
    const scenario::LessonInfo& l = lr.spec->lesson;
    std::string level = l.level == scenario::Level::Unspecified ? "" : scenario::to_string(l.level);
    ctx.out << level << std::string(14 - std::min<std::size_t>(13, level.size()), ' ') << l.title << "\n";
    if (a.has("--long")) {
      if (!l.summary.empty()) ctx.out << wrap(l.summary, 96, std::string(name_w + 4, ' '), std::string(name_w + 4, ' '));
      if (!l.tags.empty()) {
        std::string tags;
        for (const auto& t : l.tags) tags += (tags.empty() ? "" : ", ") + t;
        ctx.out << std::string(name_w + 4, ' ') << "tags: " << tags << "\n";
      }
      ctx.out << "\n";
    }
  }
  ctx.out.flush();
  return kExitOk;
}

}  // namespace smtpsim::cli
