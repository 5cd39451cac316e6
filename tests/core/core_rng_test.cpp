// core_rng_test.cpp - seeded random streams: fixed outputs per seed, derive() stability and
// independence, below()/unit()/chance() ranges, fnv1a64.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"

using namespace smtpsim;

namespace {
std::vector<std::uint64_t> take(Rng r, int n) {
  std::vector<std::uint64_t> v;
  for (int i = 0; i < n; ++i) v.push_back(r.next());
  return v;
}
}  // namespace

TEST_CASE("the same seed gives the same sequence; different seeds differ") {
  CHECK(take(Rng(1), 16) == take(Rng(1), 16));
  CHECK(take(Rng(1), 16) != take(Rng(2), 16));
  CHECK(Rng(77).seed() == 77);
}

TEST_CASE("outputs are pinned: traces of old runs must stay reproducible") {
  // xoshiro256** seeded through splitmix64; changing the generator changes every trace hash.
  Rng r(0);
  CHECK(r.next() == 0x99ec5f36cb75f2b4ULL);
  CHECK(r.next() == 0xbf6e1f784956452aULL);
  CHECK(r.next() == 0x1a5f849d4933e6e0ULL);
}

TEST_CASE("derive: stable for (seed, name), independent of what the parent consumed") {
  Rng parent(42);
  Rng a1 = parent.derive("link:a|b");
  parent.next();
  parent.next();
  Rng a2 = parent.derive("link:a|b");
  CHECK(take(a1, 8) == take(a2, 8));
  CHECK(take(Rng(42).derive("link:a|b"), 8) != take(Rng(42).derive("link:a|c"), 8));
  CHECK(take(Rng(42).derive("x"), 8) != take(Rng(43).derive("x"), 8));
  CHECK(take(Rng(42).derive("x"), 8) != take(Rng(42), 8));
  // Many names, no collisions in the first output.
  std::set<std::uint64_t> firsts;
  for (int i = 0; i < 1000; ++i) firsts.insert(Rng(5).derive("host" + std::to_string(i)).next());
  CHECK(firsts.size() == 1000);
}

TEST_CASE("below(n) stays in [0, n) and reaches every value") {
  Rng r(9);
  CHECK(r.below(0) == 0);
  CHECK(r.below(1) == 0);
  std::vector<int> hits(7, 0);
  for (int i = 0; i < 7000; ++i) {
    std::uint64_t v = r.below(7);
    REQUIRE(v < 7);
    ++hits[v];
  }
  for (int h : hits) {
    CHECK(h > 800);
    CHECK(h < 1200);
  }
  const std::uint64_t big = (1ULL << 63) + 12345;
  for (int i = 0; i < 1000; ++i) CHECK(r.below(big) < big);
}

TEST_CASE("unit() in [0, 1); chance() honours 0 and 1 and is roughly p") {
  Rng r(3);
  int yes = 0;
  for (int i = 0; i < 10000; ++i) {
    double u = r.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    CHECK_FALSE(r.chance(0.0));
    CHECK(r.chance(1.0));
    if (r.chance(0.25)) ++yes;
  }
  CHECK(yes > 2250);
  CHECK(yes < 2750);
}

TEST_CASE("fnv1a64 matches the published test vectors") {
  CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("hash_bytes: every byte and the length count, in both lanes and the tail") {
  CHECK(hash_bytes("") == 0xcbf29ce484222325ULL);  // nothing folded in: the seed
  CHECK(hash_bytes("abc") == hash_bytes("abc"));
  CHECK(hash_bytes("abc", 1) != hash_bytes("abc", 2));  // chains through its seed
  for (std::size_t n : {1u, 7u, 8u, 9u, 15u, 16u, 31u, 32u, 33u, 47u, 64u, 100u, 1024u}) {
    std::string s(n, 'x');
    for (std::size_t i = 0; i < n; ++i) s[i] = char('a' + i % 26);
    const std::uint64_t base = hash_bytes(s);
    for (std::size_t i = 0; i < n; ++i) {
      std::string t = s;
      t[i] = char(t[i] ^ 1);
      if (hash_bytes(t) == base) FAIL("byte " << i << " of " << n << " does not change the hash");
    }
    // Swapping two 8-byte words (one in each lane) changes it too.
    if (n >= 32) {
      std::string t = s;
      std::swap_ranges(t.begin(), t.begin() + 8, t.begin() + 8);
      CHECK(hash_bytes(t) != base);
    }
  }
}

TEST_CASE("hash_bytes: the tail word is the remaining bytes zero-padded, at every length and offset") {
  // The definition, written plainly: 16-byte steps in two lanes from 32 bytes on, then 8-byte
  // words, then the tail copied into a zeroed word. Traces hashed before must hash the same.
  auto reference = [](std::string_view d, std::uint64_t h) {
    std::size_t i = 0;
    if (d.size() >= 32) {
      std::uint64_t h2 = h ^ 0x6A09E667F3BCC909ULL;
      for (; i + 16 <= d.size(); i += 16) {
        std::uint64_t w1 = 0, w2 = 0;
        for (int b = 0; b < 8; ++b) w1 |= std::uint64_t(static_cast<unsigned char>(d[i + b])) << (8 * b);
        for (int b = 0; b < 8; ++b) w2 |= std::uint64_t(static_cast<unsigned char>(d[i + 8 + b])) << (8 * b);
        h = hash_mix(h, w1);
        h2 = hash_mix(h2, w2);
      }
      h = hash_mix(h, h2);
    }
    for (; i < d.size(); i += 8) {
      std::uint64_t w = 0;
      for (std::size_t b = 0; b < 8 && i + b < d.size(); ++b)
        w |= std::uint64_t(static_cast<unsigned char>(d[i + b])) << (8 * b);
      h = hash_mix(h, w);
    }
    return h;
  };
  Rng r(5);
  std::string buf(80, '\0');
  for (char& c : buf) c = char(r.below(256));  // high bytes too: no sign extension may leak in
  for (std::size_t off = 0; off < 8; ++off)
    for (std::size_t n = 0; off + n <= buf.size(); ++n) {
      std::string_view d(buf.data() + off, n);
      if (hash_bytes(d, 77) != reference(d, 77)) FAIL("length " << n << " at offset " << off);
    }
}
