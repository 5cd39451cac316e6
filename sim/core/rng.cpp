// rng.cpp - xoshiro256** seeded through splitmix64.
#include "sim/core/rng.hpp"

#include <cstring>

namespace smtpsim {

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t fnv1a64(std::string_view data, std::uint64_t h) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {
// tail_word - the last k (1..7) bytes as a zero-padded little-endian word, from two overlapping
// loads instead of a variable-length memcpy (a library call per traced string was the cost).
std::uint64_t tail_word(const char* p, std::size_t k) {
  if (k >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + k - 4, 4);
    return std::uint64_t(lo) | (std::uint64_t(hi) << (8 * (k - 4)));
  }
  const auto byte = [p](std::size_t j) { return std::uint64_t(static_cast<unsigned char>(p[j])); };
  return byte(0) | (byte(k / 2) << (8 * (k / 2))) | (byte(k - 1) << (8 * (k - 1)));
}
}  // namespace

std::uint64_t hash_bytes(std::string_view data, std::uint64_t h) {
  const char* p = data.data();
  const std::size_t n = data.size();
  std::size_t i = 0;
  if (n >= 32) {  // two independent lanes: the multiplies overlap instead of waiting on each other
    std::uint64_t h2 = h ^ 0x6A09E667F3BCC909ULL;
    for (; i + 16 <= n; i += 16) {
      std::uint64_t w1, w2;
      std::memcpy(&w1, p + i, 8);
      std::memcpy(&w2, p + i + 8, 8);
      h = hash_mix(h, w1);
      h2 = hash_mix(h2, w2);
    }
    h = hash_mix(h, h2);
  }
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = hash_mix(h, w);
  }
  if (i < n) h = hash_mix(h, tail_word(p + i, n - i));
  return h;
}

Rng::Rng(std::uint64_t seed) : seed_(seed) {
  std::uint64_t x = seed;
  for (auto& s : s_) s = splitmix64(x);
}

Rng Rng::derive(std::string_view name) const { return Rng(fnv1a64(name, seed_ ^ 0x5bd1e995ULL)); }

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Rng::below(std::uint64_t n) {
  if (n == 0) return 0;
  // Lemire's nearly-divisionless method would do; modulo bias at 64 bits is negligible here,
  // but reject the biased tail anyway so results are exactly uniform.
  std::uint64_t limit = ~0ULL - (~0ULL % n);
  std::uint64_t r;
  do r = next(); while (r >= limit);
  return r % n;
}

double Rng::unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }

bool Rng::chance(double p) { return p > 0 && unit() < p; }

}  // namespace smtpsim
