// scenario_load_actions.cpp - an --actions file's entries, each handed to the lesson loader's own
// timeline or send reader and checked against the lesson like the lesson's own entries.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_actions_file.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_suggest.hpp"

namespace smtpsim::scenario {

namespace {

using detail::Diags;
using detail::Val;

constexpr std::size_t kMaxEntries = 5000;

// one_list - a one-entry YAML list holding n (the loader's section readers take lists; the
// node keeps its marks, so positions stay those of the actions file).
Val one_list(const YAML::Node& n, const char* name) {
  YAML::Node seq(YAML::NodeType::Sequence);
  seq.push_back(n);
  return detail::val_of(seq, name);
}

// keys_written - the scalar keys of a map node, in order.
std::vector<std::string> keys_written(const YAML::Node& n) {
  std::vector<std::string> out;
  for (auto it = n.begin(); it != n.end(); ++it)
    if (it->first.IsScalar()) out.push_back(it->first.Scalar());
  return out;
}

// read_entry - one entry into `out`; false after reporting what is wrong with it.
bool read_entry(detail::Loader& L, const YAML::Node& n, const std::vector<std::string>& verbs, ActionsEntry& out) {
  Diags& d = L.d;
  Val item = detail::val_of(n, "action");
  out.pos = item.pos;
  if (!item.is_map()) {
    d.error(item.pos, "expected an action like { at: 30s, crash: out1.fra } or { at: 1m, rewind_to: 30s }, got " +
                          detail::shown(n));
    return false;
  }
  const std::vector<std::string> keys = keys_written(n);
  const std::vector<std::string>& timeline_keys = keys_of(KeyPlace::Timeline);
  std::vector<std::string> named;  // send and verbs written
  for (const std::string& k : keys) {
    bool verb = std::find(verbs.begin(), verbs.end(), k) != verbs.end();
    if (verb || k == "send") named.push_back(k);
    else if (k != "at" && std::find(timeline_keys.begin(), timeline_keys.end(), k) == timeline_keys.end() &&
             k != "behavior") {
      std::vector<std::string> all = timeline_keys;
      all.insert(all.end(), verbs.begin(), verbs.end());
      all.push_back("send");
      std::string hint = did_you_mean(k, all);
      d.error(detail::Fields(d, item, KeyPlace::Timeline).key_pos(k),
              "unknown action '" + k + "'" +
                  (hint.empty() ? " (a timeline entry's keys, send:, or one of: " + join_list(verbs) + ")" : hint));
      return false;
    }
  }
  if (named.empty()) {  // a lesson timeline entry
    ScenarioSpec& spec = L.spec;
    spec.timeline.clear();
    L.read_timeline(one_list(n, "timeline"));
    if (spec.timeline.empty()) return false;
    L.check_timeline_entry(spec.timeline.back());
    out.timeline = spec.timeline.back();
    out.at = out.timeline->at;
    return true;
  }
  detail::Fields f(d, item, KeyPlace::Timeline);
  if (named.size() > 1) {
    d.error(f.key_pos(named[1]), "one action per entry: " + named[0] + " and " + named[1] + " are two (write two entries)");
    return false;
  }
  std::vector<std::string> valid{"at", named[0]};
  f.check(valid);
  if (auto x = f.get("at"); x.present) {
    if (auto t = detail::read_time(d, x)) out.at = *t;
  } else {
    d.error(f.pos(), "action: has no at: (when it happens, like at: 30s)");
  }
  Val v = f.get(named[0]);
  if (named[0] == "send") {
    const YAML::Node& sn = v.node;  // const: looking a key up must not add it
    if (v.is_map() && sn["at"]) {
      d.error(detail::Fields(d, v, KeyPlace::Send).key_pos("at"),
              "at: goes on the entry ({ at: 2m, send: {...} }), not inside send:");
      return false;
    }
    ScenarioSpec& spec = L.spec;
    std::size_t before = spec.messages.size();
    L.read_send(one_list(v.node, "send"));
    if (spec.messages.size() == before) return false;
    MessageSpec& m = spec.messages.back();
    L.check_message(m);
    L.resolve_via(m);
    if (!sn["id"]) m.id.clear();  // the run names it (extra-N)
    out.message = m;
    return true;
  }
  if (!v.is_scalar()) {
    d.error(v.pos, named[0] + ": expected one value, got " + detail::shown(v.node));
    return false;
  }
  out.verb = named[0];
  out.value = v.text();
  out.value_pos = v.pos;
  return true;
}

}  // namespace

bool ActionsFile::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::string ActionsFile::format() const {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

ActionsFile load_actions_string(std::string_view text, const std::string& name, const ScenarioSpec& lesson,
                                const std::vector<std::string>& verbs) {
  Diags d(name);
  ActionsFile out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    d.error(e.mark.line < 0 ? SourcePos{} : SourcePos{e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    out.diagnostics = d.sorted();
    return out;
  } catch (const YAML::Exception& e) {
    d.error({}, std::string("cannot read this file: ") + e.what());
    out.diagnostics = d.sorted();
    return out;
  }
  Val rv = detail::val_of(root, "actions file");
  if (rv.is_null()) {
    d.error({}, "the file is empty: expected a list of actions like - { at: 30s, crash: out1.fra }");
  } else if (!rv.is_list()) {
    d.error(rv.pos, "expected a list of actions (lines like - { at: 30s, crash: out1.fra }), got " + detail::shown(root));
  } else if (!detail::too_many(d, rv, kMaxEntries, "actions")) {
    // The lesson's topology and users, without its own entries: the loader checks names against it.
    ScenarioSpec spec = lesson;
    spec.timeline.clear();
    detail::Loader L{d, spec};
    for (const DomainSpec& dom : spec.domains)
      for (const UserSpec& u : dom.users) L.user_index.emplace(u.address, &u);
    std::vector<ActionsEntry> entries;
    for (const YAML::Node& n : root) {
      ActionsEntry e;
      if (read_entry(L, n, verbs, e)) entries.push_back(std::move(e));
    }
    if (d.errors() == 0) out.entries = std::move(entries);
  }
  out.diagnostics = d.sorted();
  return out;
}

ActionsFile load_actions_file(const std::string& path, const ScenarioSpec& lesson, const std::vector<std::string>& verbs) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    Diags d(path);
    d.error({}, "cannot open this file");
    ActionsFile out;
    out.diagnostics = d.sorted();
    return out;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return load_actions_string(ss.str(), path, lesson, verbs);
}

}  // namespace smtpsim::scenario
