// playback_branches.cpp - forking, switching and labelling branches; hand actions in words.
#include "viz/playback/playback_branches.hpp"

#include <cstdio>

#include "sim/core/time.hpp"

namespace smtpsim::viz {

void Branches::reset() {
  list_.assign(1, Branch{});
  current_ = 0;
}

bool Branches::must_fork(std::uint64_t n) const {
  if (current_ == 0) return true;
  for (const scenario::AppliedAction& a : current().actions)
    if (a.after_event > n) return true;
  return false;
}

int Branches::fork(std::uint64_t n, SimTime t) {
  Branch b;
  b.id = int(list_.size());
  b.parent = current_;
  b.fork_at = t;
  b.fork_event = n;
  for (const scenario::AppliedAction& a : current().actions)
    if (a.after_event <= n) b.actions.push_back(a);
  list_.push_back(std::move(b));
  current_ = list_.back().id;
  return current_;
}

void Branches::add(const scenario::AppliedAction& a) { list_[std::size_t(current_)].actions.push_back(a); }

bool Branches::switch_to(int id) {
  if (id < 0 || id >= int(list_.size())) return false;
  current_ = id;
  return true;
}

// label - named after the first action the branch made itself (not inherited from its parent).
std::string Branches::label(int id) const {
  if (id < 0 || id >= int(list_.size())) return {};
  const Branch& b = list_[std::size_t(id)];
  if (id == 0) return "branch 0: the lesson as written";
  std::string out = "branch " + std::to_string(id) + ": ";
  for (const scenario::AppliedAction& a : b.actions)
    if (a.after_event >= b.fork_event && a.at >= b.fork_at)
      return out + action_text(a.action) + " at " + format_time(a.at);
  return out + "forked at " + format_time(b.fork_at);
}

namespace {

// on_off - "name on" / "name off" for a set flag.
void on_off(std::string& out, const char* name, const std::optional<bool>& f) {
  if (f) out += std::string(out.empty() ? "" : ", ") + name + (*f ? " on" : " off");
}

// entry_text - a timeline entry's change in words.
std::string entry_text(const scenario::TimelineEntry& t) {
  using namespace scenario;
  std::string out = std::visit(
      [](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, NoteAction>) {
          return {};
        } else if constexpr (std::is_same_v<A, LinkAction>) {
          std::string s = "link " + a.a + " - " + a.b;
          if (a.up) s += *a.up ? " restored" : " cut";
          if (a.latency) s += " latency " + duration_text(*a.latency);
          if (a.loss) {
            char buf[32];
            std::snprintf(buf, sizeof buf, " loss %g%%", *a.loss * 100);
            s += buf;
          }
          if (a.bandwidth_bps) s += " bandwidth " + std::to_string(*a.bandwidth_bps) + " bit/s";
          return s;
        } else if constexpr (std::is_same_v<A, HostAction>) {
          return a.host + (a.op == HostAction::Op::Crash ? " crashes" : " restarts");
        } else if constexpr (std::is_same_v<A, BehaviourChange>) {
          std::string s;
          if (a.reset) s = "back to normal";
          for (const ReplyOverride& r : a.replies)
            s += (s.empty() ? "" : ", ") + r.command + (r.clear ? " normal" : " -> " + r.line);
          on_off(s, "greylisting", a.greylisting);
          on_off(s, "drop mid-DATA", a.drop_mid_data);
          on_off(s, "drop after DATA", a.drop_after_data);
          on_off(s, "storage full", a.storage_full);
          on_off(s, "421 on connect", a.close_with_421);
          on_off(s, "AUTH rejected", a.auth_reject);
          if (a.tarpit) s += (s.empty() ? "" : ", ") + std::string("tarpit ") + (*a.tarpit ? duration_text(*a.tarpit) : "off");
          return a.host + ": " + s;
        } else if constexpr (std::is_same_v<A, DnsFaultAction>) {
          return "DNS " + a.name + ": " + (a.fault == DnsFaultKind::None ? std::string("answers again") : to_string(a.fault));
        } else if constexpr (std::is_same_v<A, RetryAction>) {
          return a.host + " retries like " + std::string(to_string(a.preset));
        } else if constexpr (std::is_same_v<A, DnsChangeAction>) {
          return "DNS " + a.name + (a.remove ? ": records removed" : a.null_mx ? ": null MX" : ": records changed");
        }
      },
      t.action);
  if (!t.note.empty()) out += (out.empty() ? "" : " - ") + t.note;
  return out;
}

}  // namespace

std::string action_text(const scenario::Action& a) {
  if (const auto* t = std::get_if<scenario::TimelineEntry>(&a)) return entry_text(*t);
  const scenario::MessageSpec& m = std::get<scenario::MessageSpec>(a);
  std::string out = "send " + m.from + " ->";
  for (const auto* list : {&m.to, &m.cc, &m.bcc})
    for (const std::string& r : *list) out += " " + r;
  if (!m.subject.empty()) out += " \"" + m.subject + "\"";
  return out;
}

}  // namespace smtpsim::viz
