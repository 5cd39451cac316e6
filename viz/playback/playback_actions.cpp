// playback_actions.cpp - the --actions file's verb table and its driver: entries wait for their
// `at`, then apply in file order; lesson entries through Playback::act.
#include "viz/playback/playback_actions.hpp"

#include <algorithm>
#include <tuple>

#include "sim/core/time.hpp"
#include "viz/views/view_hands.hpp"

namespace smtpsim::viz {

namespace {

// check_time - a time like 10m or 1h5m.
std::string check_time(const std::string& v) {
  return parse_duration(v) ? "" : "expected a time like 10m or 1h5m, got '" + v + "'";
}

// check_on_off - on or off.
std::string check_on_off(const std::string& v) {
  return v == "on" || v == "off" || v == "true" || v == "false" ? "" : "expected on or off, got '" + v + "'";
}

// check_path - a file name.
std::string check_path(const std::string& v) { return v.empty() ? "expected a file name" : ""; }

bool is_on(const std::string& v) { return v == "on" || v == "true"; }

void do_rewind(ActionTarget& t, const std::string& v) {
  bool keep = t.pb.playing();
  t.pb.seek(*parse_duration(v));
  t.pb.set_playing(keep);
}
void do_screenshot(ActionTarget& t, const std::string& v) { t.screenshots.push_back(v); }
void do_presenter(ActionTarget& t, const std::string& v) { t.ui.presenter = is_on(v); }
void do_predict(ActionTarget& t, const std::string& v) { t.ui.predict = is_on(v); }

// words - a verb value split at spaces.
std::vector<std::string> words(const std::string& v) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : v + " ")
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  return out;
}
// check_menu - "link A B", "host H" or "dns H".
std::string check_menu(const std::string& v) {
  auto w = words(v);
  if (w.size() == 3 && w[0] == "link") return "";
  if (w.size() == 2 && (w[0] == "host" || w[0] == "dns")) return "";
  return "expected link A B, host NAME or dns NAME (like link internet mx1.b.example), got '" + v + "'";
}
// do_open_menu - the right-click menu of a link, host or the DNS host, opened without a mouse.
void do_open_menu(ActionTarget& t, const std::string& v) {
  auto w = words(v);
  open_menu(t.ui, w[0], w[1], w.size() > 2 ? w[2] : "");
}
void do_compose(ActionTarget& t, const std::string& v) {
  t.ui.hands.compose_open = is_on(v);
  t.ui.hands.compose_client.clear();  // the dialog fills in the first client
}
void do_branches(ActionTarget& t, const std::string& v) { t.ui.hands.branches_open = is_on(v); }

}  // namespace

const std::vector<VerbDef>& verb_table() {
  static const std::vector<VerbDef> kVerbs{
      {"rewind_to", check_time, do_rewind},
      {"screenshot", check_path, do_screenshot},
      {"presenter", check_on_off, do_presenter},
      {"predict", check_on_off, do_predict},
      {"open_menu", check_menu, do_open_menu},  // hands-on menus, compose, branches (hands-ui)
      {"compose", check_on_off, do_compose},
      {"branches", check_on_off, do_branches},
  };
  return kVerbs;
}

bool ActionScript::load(const std::string& path, const scenario::ScenarioSpec& lesson) {
  std::vector<std::string> names;
  for (const VerbDef& v : verb_table()) names.push_back(v.name);
  scenario::ActionsFile f = scenario::load_actions_file(path, lesson, names);
  // The verbs' values, checked here where the verbs are known.
  for (const scenario::ActionsEntry& e : f.entries) {
    if (e.verb.empty()) continue;
    for (const VerbDef& v : verb_table())
      if (e.verb == v.name)
        if (std::string why = v.check(e.value); !why.empty())
          f.diagnostics.push_back({path, e.value_pos.line, e.value_pos.column, e.verb + ": " + why});
  }
  std::stable_sort(f.diagnostics.begin(), f.diagnostics.end(), [](const scenario::Diagnostic& a, const scenario::Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  error_ = f.format();
  while (!error_.empty() && error_.back() == '\n') error_.pop_back();
  if (!f.ok()) return false;
  entries_ = std::move(f.entries);
  next_ = 0;
  return true;
}

std::optional<SimTime> ActionScript::next_at() const {
  if (done()) return std::nullopt;
  return entries_[next_].at;
}

void ActionScript::run_due(ActionTarget& t) {
  // A screenshot asked for shows this moment: later entries wait until the app has taken it.
  while (!done() && t.screenshots.empty() && (entries_[next_].at <= t.pb.now() || t.pb.finished())) {
    const scenario::ActionsEntry& e = entries_[next_++];
    if (e.timeline) t.pb.act(*e.timeline);
    else if (e.message) t.pb.act(*e.message);
    else
      for (const VerbDef& v : verb_table())
        if (e.verb == v.name) v.apply(t, e.value);
  }
}

int ActionScript::drive_to(ActionTarget& t, SimTime until) {
  int skipped = 0;
  for (;;) {
    run_due(t);
    if (!t.screenshots.empty()) {  // no window to take them in
      skipped += int(t.screenshots.size());
      t.screenshots.clear();
      continue;
    }
    std::optional<SimTime> at = next_at();
    if (!at || *at > until || t.pb.finished()) break;
    t.pb.advance_to(*at);
    if (t.pb.now() < *at && !t.pb.finished()) break;  // stopped short (a narration pause)
  }
  t.pb.advance_to(until);
  return skipped;
}

}  // namespace smtpsim::viz
