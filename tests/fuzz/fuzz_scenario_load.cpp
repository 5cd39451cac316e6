// fuzz_scenario_load.cpp - libFuzzer target for the lesson loader: any bytes give either a spec or
// diagnostics (never both, never neither, never a crash), diagnostics are non-empty and sorted
// (root causes, then derived errors), and
// a loaded spec's references all resolve. Seed corpus: tests/scenario/good and tests/scenario/bad.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/scenario/scenario_load.hpp"

using namespace smtpsim::scenario;

namespace {

// check - stop with a crash the fuzzer reports when an invariant does not hold.
void check(bool ok) {
  if (!ok) __builtin_trap();
}

// check_spec - every name a loaded spec refers to exists.
void check_spec(const ScenarioSpec& s) {
  for (const LinkSpec& l : s.links) check(s.find_host(l.a) && s.find_host(l.b) && l.a != l.b);
  for (const HostSpec& h : s.hosts) {
    check(!h.name.empty() && !h.ip.empty());
    if (const OutboundOptions* o = h.outbound(); o && !o->relay_to.empty())
      check(s.find_host(o->relay_to) != nullptr);
    if (const MuaOptions* m = h.as<MuaOptions>()) {
      check(s.find_user(m->user) != nullptr);
      if (m->submit.set()) check(s.find_host(m->submit.host) && m->submit.port != 0);
    }
    if (const Pop3Options* p = h.as<Pop3Options>()) check(s.find_host(p->store) != nullptr);
  }
  for (const MessageSpec& m : s.messages) check(s.find_host(m.via) != nullptr);
  for (std::size_t i = 1; i < s.timeline.size(); ++i) check(s.timeline[i - 1].at <= s.timeline[i].at);
  check(!s.retry.stages.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadResult r = load_scenario_string(text, "fuzz.yaml");
  check(r.ok() == (r.error_count() == 0));
  check(r.ok() || !r.diagnostics.empty());
  // Diagnostics come by position in at most two runs: root causes first, then the errors that
  // may follow from them ("no hosts: section" after an unknown top-level key).
  int runs_restarted = 0;
  for (std::size_t i = 0; i < r.diagnostics.size(); ++i) {
    check(!r.diagnostics[i].message.empty());
    if (i > 0 && r.diagnostics[i].line > 0 &&
        !(r.diagnostics[i - 1].line < r.diagnostics[i].line ||
          (r.diagnostics[i - 1].line == r.diagnostics[i].line &&
           r.diagnostics[i - 1].column <= r.diagnostics[i].column)))
      ++runs_restarted;
  }
  check(runs_restarted <= 1);
  if (r.spec) check_spec(*r.spec);
  return 0;
}
