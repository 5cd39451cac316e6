// scenario_action.cpp - records of hand-made actions: folding them into a spec (with_actions) and
// writing them as one-line YAML flow mappings in the lesson format's own keys (action_yaml).
#include "sim/scenario/scenario_action.hpp"

#include <cstdio>

#include "sim/core/ascii.hpp"

namespace smtpsim::scenario {

namespace {

// quoted - a YAML double-quoted scalar with escapes for quotes, backslashes and control bytes.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') { out += '\\'; out += char(c); }
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += char(c);
  }
  return out + "\"";
}

// name_list - "[a, b]".
std::string name_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

// flag - ", key: true|false" for a set optional bool.
void flag(std::string& out, const char* key, const std::optional<bool>& b) {
  if (b) out += std::string(", ") + key + ": " + (*b ? "true" : "false");
}

// behaviour_yaml - the behaviour: map of a BehaviourChange.
std::string behaviour_yaml(const BehaviourChange& b) {
  std::string out;
  auto add = [&](const std::string& kv) { out += (out.empty() ? "" : ", ") + kv; };
  if (b.reset) add("normal: true");
  for (const ReplyOverride& r : b.replies) {
    std::string key = ascii_lower_copy(r.command);
    if (r.clear) add(key + ": normal");
    else if (r.times > 0) add(key + ": { reply: " + quoted(r.line) + ", times: " + std::to_string(r.times) + " }");
    else add(key + ": " + quoted(r.line));
  }
  std::string flags;
  flag(flags, "greylisting", b.greylisting);
  flag(flags, "drop_mid_data", b.drop_mid_data);
  flag(flags, "drop_after_data", b.drop_after_data);
  flag(flags, "storage_full", b.storage_full);
  flag(flags, "close_with_421", b.close_with_421);
  flag(flags, "auth_reject", b.auth_reject);
  if (!flags.empty()) add(flags.substr(2));
  if (b.tarpit) add("tarpit: " + (*b.tarpit == 0 ? std::string("off") : duration_text(*b.tarpit)));
  return "{ " + out + " }";
}

// entry_yaml - the keys of a timeline entry's action (without at/after_event/note).
std::string entry_yaml(const TimelineEntry& t) {
  return std::visit(
      [&](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, NoteAction>) {
          return {};
        } else if constexpr (std::is_same_v<A, LinkAction>) {
          std::string out = "link: [" + a.a + ", " + a.b + "]";
          if (a.up) out += std::string(", state: ") + (*a.up ? "up" : "down");
          if (a.latency) out += ", latency: " + duration_text(*a.latency);
          if (a.bandwidth_bps)
            out += ", bandwidth: " + (*a.bandwidth_bps == 0 ? std::string("unlimited")
                                                            : std::to_string(*a.bandwidth_bps) + "bit");
          if (a.loss) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", *a.loss);
            out += std::string(", loss: ") + buf;
          }
          return out;
        } else if constexpr (std::is_same_v<A, HostAction>) {
          return (a.op == HostAction::Op::Crash ? "crash: " : "restart: ") + a.host;
        } else if constexpr (std::is_same_v<A, BehaviourChange>) {
          return "host: " + a.host + ", behaviour: " + behaviour_yaml(a);
        } else if constexpr (std::is_same_v<A, DnsFaultAction>) {
          return "dns: { name: " + a.name + ", fault: " + to_string(a.fault) + " }";
        } else if constexpr (std::is_same_v<A, RetryAction>) {
          return "host: " + a.host + ", retry: " + to_string(a.preset);
        } else if constexpr (std::is_same_v<A, DnsChangeAction>) {
          std::string out = "dns: { name: " + a.name;
          if (a.remove) out += ", remove: true";
          if (a.null_mx) out += ", null_mx: true";
          if (a.mx) {
            out += ", mx: [";
            for (std::size_t i = 0; i < a.mx->size(); ++i)
              out += (i ? ", " : "") + std::string("{ host: ") + (*a.mx)[i].host +
                     ", pref: " + std::to_string((*a.mx)[i].pref) + " }";
            out += "]";
          }
          if (a.a) {
            out += ", a: [";
            for (std::size_t i = 0; i < a.a->size(); ++i)
              out += (i ? ", " : "") + ((*a.a)[i].host.empty() ? (*a.a)[i].ip : (*a.a)[i].host);
            out += "]";
          }
          return out + " }";
        }
      },
      t.action);
}

// message_yaml - the keys of a send entry after id/at/after_event.
std::string message_yaml(const MessageSpec& m) {
  std::string out = "from: " + m.from;
  if (!m.to.empty()) out += ", to: " + name_list(m.to);
  if (!m.cc.empty()) out += ", cc: " + name_list(m.cc);
  if (!m.bcc.empty()) out += ", bcc: " + name_list(m.bcc);
  if (!m.subject.empty()) out += ", subject: " + quoted(m.subject);
  if (m.raw) out += ", raw_body: " + quoted(m.raw_body);
  else if (m.size > 0) out += ", size: " + std::to_string(m.size);
  else if (!m.body.empty()) out += ", body: " + quoted(m.body);
  if (!m.via.empty()) out += ", via: " + m.via;
  if (m.dsn.notify_set || m.dsn.ret != DsnSpec::Ret::Default || !m.dsn.envid.empty()) {
    std::string d;
    if (m.dsn.notify_set) {
      std::vector<std::string> n;
      if (m.dsn.never) n.push_back("never");
      if (m.dsn.success) n.push_back("success");
      if (m.dsn.failure) n.push_back("failure");
      if (m.dsn.delay) n.push_back("delay");
      d += "notify: " + name_list(n);
    }
    if (m.dsn.ret != DsnSpec::Ret::Default)
      d += std::string(d.empty() ? "" : ", ") + "ret: " + (m.dsn.ret == DsnSpec::Ret::Full ? "full" : "hdrs");
    if (!m.dsn.envid.empty()) d += std::string(d.empty() ? "" : ", ") + "envid: " + m.dsn.envid;
    out += ", dsn: { " + d + " }";
  }
  if (!m.headers.empty()) {
    out += ", headers: { ";
    for (std::size_t i = 0; i < m.headers.size(); ++i)
      out += (i ? ", " : "") + m.headers[i].first + ": " + quoted(m.headers[i].second);
    out += " }";
  }
  if (m.unknown_ok) out += ", unknown_ok: true";
  return out;
}

}  // namespace

// duration_text - the largest units first; "0" for zero.
std::string duration_text(Duration d) {
  if (d <= 0) return "0";
  static const std::pair<Duration, const char*> units[] = {
      {24LL * 3600 * 1000000, "d"}, {3600LL * 1000000, "h"}, {60LL * 1000000, "m"},
      {1000000, "s"},               {1000, "ms"},            {1, "us"}};
  std::string out;
  for (const auto& [size, name] : units) {
    if (d >= size) {
      out += std::to_string(d / size) + name;
      d %= size;
    }
  }
  return out;
}

// with_actions - append the records, marked with their event index.
ScenarioSpec with_actions(const ScenarioSpec& spec, const std::vector<AppliedAction>& actions) {
  ScenarioSpec out = spec;
  for (const AppliedAction& a : actions) {
    if (const auto* t = std::get_if<TimelineEntry>(&a.action)) {
      TimelineEntry e = *t;
      e.at = a.at;
      e.after_event = a.after_event;
      out.timeline.push_back(std::move(e));
    } else {
      MessageSpec m = std::get<MessageSpec>(a.action);
      m.at = a.at;
      m.after_event = a.after_event;
      m.index = int(out.messages.size()) + 1;
      if (m.id.empty()) m.id = "extra-" + std::to_string(m.index);
      m.repeat = 1;
      m.every = 0;
      out.messages.push_back(std::move(m));
    }
  }
  return out;
}

// action_yaml - at and after_event first, then the action's own keys, then the note.
std::string action_yaml(const AppliedAction& a) {
  std::string head = "at: " + duration_text(a.at) + ", after_event: " + std::to_string(a.after_event);
  if (const auto* t = std::get_if<TimelineEntry>(&a.action)) {
    std::string body = entry_yaml(*t);
    std::string out = "{ " + head + (body.empty() ? "" : ", " + body);
    if (!t->note.empty()) out += ", note: " + quoted(t->note);
    return out + " }";
  }
  const MessageSpec& m = std::get<MessageSpec>(a.action);
  return "{ id: " + m.id + ", " + head + ", " + message_yaml(m) + " }";
}

}  // namespace smtpsim::scenario
