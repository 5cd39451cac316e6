// playback_actions.cpp - the --actions file's verb table and its driver: entries wait for their
// `at`, then apply in file order; lesson entries through Playback::act.
#include "viz/playback/playback_actions.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
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
// -- inspect (issue 12): open the bottom pane's tabs without a mouse.
const char* const kTabNames[kTabCount] = {"transcript", "sequence", "message", "mailboxes", "charts"};
const char* const kViewNames[] = {"header", "body", "raw", "wire"};

// check_tab - one of the bottom pane's tabs.
std::string check_tab(const std::string& v) {
  return std::find(std::begin(kTabNames), std::end(kTabNames), v) != std::end(kTabNames)
             ? "" : "expected transcript, sequence, message, mailboxes or charts, got '" + v + "'";
}
// check_view - one of the inspector's views.
std::string check_view(const std::string& v) {
  return std::find(std::begin(kViewNames), std::end(kViewNames), v) != std::end(kViewNames)
             ? "" : "expected header, body, raw or wire, got '" + v + "'";
}
// check_number - a whole number from 1 (a connection id).
std::string check_number(const std::string& v) {
  return !v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v != "0" ? "" : "expected a number from 1, got '" + v + "'";
}
// split_inspect - "<id@host> 2" -> ("<id@host>", 2); "first" / "" = the latest message; hop 0 = the last.
std::pair<std::string, int> split_inspect(const std::string& v) {
  std::size_t sp = v.find_last_of(' ');
  std::string id = v;
  int hop = 0;
  if (sp != std::string::npos && check_number(v.substr(sp + 1)).empty()) {
    hop = std::atoi(v.c_str() + sp + 1);
    id = v.substr(0, sp);
  }
  if (id == "first") id.clear();
  return {id, hop};
}
std::string check_inspect(const std::string& v) {
  return v.empty() ? "expected a Message-ID (or first), optionally followed by a hop number" : "";
}
void do_tab(ActionTarget& t, const std::string& v) {
  for (int i = 0; i < kTabCount; ++i)
    if (v == kTabNames[i]) t.ui.bottom_tab = t.ui.open_tab = i;
  if (t.ui.bottom_tab == kTabMessage) t.pb.set_capture(true);
}
void do_inspect(ActionTarget& t, const std::string& v) {
  auto [id, hop] = split_inspect(v);
  inspect_message(t.ui, id, hop - 1);
  t.pb.set_capture(true);
}
void do_view(ActionTarget& t, const std::string& v) {
  for (int i = 0; i < 4; ++i)
    if (v == kViewNames[i]) t.ui.inspect_view = i;
}
void do_sequence(ActionTarget& t, const std::string& v) { inspect_connection(t.ui, std::strtoull(v.c_str(), nullptr, 10)); }

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
      {"tab", check_tab, do_tab},                   // inspect: a bottom tab
      {"inspect", check_inspect, do_inspect},       // inspect: "<message id> [hop]" in the inspector
      {"inspect_view", check_view, do_view},        // inspect: header body raw wire
      {"sequence", check_number, do_sequence},      // inspect: connection N's sequence diagram
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
