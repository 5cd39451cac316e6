// net_queue_test.cpp - the connection's internal containers: Fifo (a queue on a reused vector)
// and LinkFree (per-link pacing times, a few inline).
#include <catch2/catch.hpp>

#include <deque>
#include <string>

#include "sim/net/net_impl.hpp"

using namespace smtpsim;
using namespace smtpsim::net_detail;

TEST_CASE("Fifo behaves as a deque under mixed pushes, pops and indexing") {
  Fifo<std::string> f;
  std::deque<std::string> ref;
  unsigned x = 7;
  for (int step = 0; step < 5000; ++step) {
    x = x * 1103515245u + 12345u;
    if ((x >> 16) % 3 != 0 || ref.empty()) {
      std::string v = "item " + std::to_string(step) + std::string((x >> 8) % 40, '.');
      f.push_back(std::string(v));
      ref.push_back(v);
    } else {
      CHECK(f.front() == ref.front());
      f.pop_front();
      ref.pop_front();
    }
    REQUIRE(f.size() == ref.size());
    REQUIRE(f.empty() == ref.empty());
    if (!ref.empty()) {
      std::size_t i = (x >> 4) % ref.size();
      CHECK(f[i] == ref[i]);
    }
    if (step % 1000 == 999) {
      std::size_t i = 0;
      for (const std::string& s : f) CHECK(s == ref[i++]);
      CHECK(i == ref.size());
    }
  }
  f.clear();
  CHECK(f.empty());
  CHECK(f.size() == 0);
}

TEST_CASE("LinkFree finds each link's time, inline and past the inline few") {
  LinkFree lf;
  CHECK(lf.find(3) == nullptr);
  for (LinkId l = 0; l < 10; ++l) lf.add(l * 5, SimTime(l) * 100);
  for (LinkId l = 0; l < 10; ++l) {
    SimTime* t = lf.find(l * 5);
    REQUIRE(t != nullptr);
    CHECK(*t == SimTime(l) * 100);
    *t += 1;
  }
  CHECK(*lf.find(45) == 901);
  CHECK(lf.find(46) == nullptr);
}
