// rng.hpp - seeded, splittable random streams (xoshiro256**); no global state, no rand().
#pragma once
#include <cstdint>
#include <string_view>

namespace smtpsim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  // derive - an independent stream for a named purpose (a host, a link), stable for (seed, name).
  Rng derive(std::string_view name) const;

  std::uint64_t next();                 // next - 64 uniformly random bits
  std::uint64_t below(std::uint64_t n); // below - uniform integer in [0, n); 0 when n == 0
  double unit();                        // unit - uniform double in [0, 1)
  bool chance(double p);                // chance - true with probability p
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
  std::uint64_t s_[4];
};

// fnv1a64 - the stable 64-bit FNV-1a hash used for names and seeds.
std::uint64_t fnv1a64(std::string_view data, std::uint64_t h = 0xcbf29ce484222325ULL);

// hash_mix - fold one 64-bit word into a running hash (multiply-xorshift).
inline std::uint64_t hash_mix(std::uint64_t h, std::uint64_t v) {
  h ^= v;
  h *= 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 29);
}

// hash_bytes - a stable 64-bit hash of bulk bytes, eight (little-endian) per step in two lanes: for
// the trace hash and message digests, where byte-wise FNV-1a was the cost. The length is not folded
// in (a zero-padded tail word is): fold it first where "a" and "a\0" must differ.
std::uint64_t hash_bytes(std::string_view data, std::uint64_t h = 0xcbf29ce484222325ULL);

}  // namespace smtpsim
