// lessons_lifetime_test.cpp - a run's trace does not depend on what other runs exist: worlds
// created and destroyed in any order, and worlds stepped alternately event by event, give the
// same trace hash as each run alone (the story uses STARTTLS, so OpenSSL's randomness is in it).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <memory>

#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_runner.hpp"

using namespace smtpsim;

namespace {

// story - the story lesson's spec.
const scenario::ScenarioSpec& story() {
  static const auto loaded = scenario::load_scenario_file(SMTPSIM_SOURCE_DIR "/scenarios/lessons/story.yaml");
  REQUIRE(loaded.ok());
  return *loaded.spec;
}

// make - a run of the story with `seed`.
std::unique_ptr<scenario::ScenarioRun> make(std::uint64_t seed) {
  scenario::RunOptions o;
  o.seed = seed;
  return std::make_unique<scenario::ScenarioRun>(story(), o);
}

// alone - the story's trace hash for `seed`, run with no other world in the process.
std::string alone(std::uint64_t seed) {
  auto r = make(seed);
  r->run_to_end();
  return r->finish().trace_hash;
}

}  // namespace

TEST_CASE("three worlds created and destroyed in every order each give their lone trace hash") {
  const std::array<std::uint64_t, 3> seeds{1, 2, 3};
  std::array<std::string, 3> lone;
  for (int i = 0; i < 3; ++i) lone[i] = alone(seeds[i]);
  CHECK(lone[0] != lone[1]);  // different seeds, different TLS bytes: the check below can fail
  std::array<int, 3> create{0, 1, 2};
  do {
    std::array<int, 3> destroy{0, 1, 2};
    do {
      INFO("created " << create[0] << create[1] << create[2] << ", destroyed " << destroy[0] << destroy[1]
                      << destroy[2]);
      std::array<std::unique_ptr<scenario::ScenarioRun>, 3> runs;
      for (int k : create) runs[k] = make(seeds[k]);
      for (int k : create) runs[k]->run_until(minutes(2));  // all three mid-handshake territory
      for (int k : destroy) {
        runs[k]->run_to_end();
        CHECK(runs[k]->finish().trace_hash == lone[k]);
        runs[k].reset();  // the others go on after this world (and its OpenSSL context) is gone
      }
    } while (std::next_permutation(destroy.begin(), destroy.end()));
  } while (std::next_permutation(create.begin(), create.end()));
}

TEST_CASE("two worlds stepped alternately event by event each give their lone trace hash") {
  const std::string lone_a = alone(1), lone_b = alone(7);
  auto a = make(1), b = make(7);
  std::uint64_t steps = 0;
  // every event of both runs up to 3 minutes, interleaved one by one (TLS handshakes included)
  for (bool more = true; more;) {
    more = false;
    for (auto* r : {a.get(), b.get()}) {
      auto next = r->next_event_time();
      if (next && *next <= minutes(3) && r->step()) {
        more = true;
        ++steps;
      }
    }
  }
  CHECK(steps > 200);
  a->run_to_end();
  b->run_to_end();
  CHECK(a->finish().trace_hash == lone_a);
  CHECK(b->finish().trace_hash == lone_b);
}
