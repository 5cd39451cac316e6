// tls_random.hpp - reproducible randomness for OpenSSL, so the same seed gives the same ciphertext.
//
// OpenSSL draws random bytes for key generation, ECDSA nonces, ClientHello/ServerHello randoms,
// TLS 1.3 key shares, session ids and AES-GCM explicit nonces. To make a run's wire bytes (which
// the trace records) repeat exactly for the same seed, every draw must come from a seeded stream.
//
// How: OpenSSL 3.0 still honours a RAND_METHOD installed with RAND_set_rand_method (deprecated in
// 3.0, but compiled into Debian's libcrypto and checked first by RAND_bytes_ex/RAND_priv_bytes_ex,
// which the default provider, libssl and the X.509 code all call). While a RandomScope is alive
// that method serves bytes from its RandomSource; when the last scope ends OpenSSL's own DRBG is
// restored. Verified by experiment and by tests/tls/tls_random_test.cpp: same seed => identical
// certificates and handshake ciphertext, TLS 1.2 and 1.3; other seed => different bytes.
//
// PROCESS-GLOBAL: OpenSSL's random method is global to the process, so this is the one global
// state of the simulation. Rules that follow from it:
//  - Scopes nest on one thread (innermost wins, the outer one resumes when it ends). A scope on a
//    second thread while one is active on another throws std::logic_error.
//  - Two runs in one process must not interleave their OpenSSL calls under different sources while
//    expecting reproducibility; runs are single-threaded, so run them one after the other, or give
//    each its own RandomSource and hold a RandomScope over each one's steps.
//  - Other threads (the live Asio bridge, tests of real sockets) are not affected: a draw from any
//    thread but the scope's owner gets OpenSSL's real DRBG. Never hold a scope while doing live TLS
//    on the same thread: its keys would be predictable from the seed.
//  - Keys made under a scope are as predictable as the seed. That is the point for a simulation
//    and a teaching tool; it is why the live bridge must not use them for anything real.
#pragma once
#include <cstddef>
#include <cstdint>

#include "sim/core/rng.hpp"

namespace smtpsim::tls {

// RandomSource - a seeded byte stream (xoshiro256** from sim/core/rng) handed to OpenSSL on demand.
class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed) : rng_(seed) {}
  explicit RandomSource(const Rng& rng) : rng_(rng) {}

  // fill - the next n bytes of the stream.
  void fill(unsigned char* out, std::size_t n);
  // drawn - how many bytes have been taken so far (handy when hunting a determinism leak).
  std::uint64_t drawn() const { return drawn_; }

 private:
  Rng rng_;
  std::uint64_t drawn_ = 0;
};

// RandomScope - while alive, OpenSSL's randomness on this thread comes from `source`.
class RandomScope {
 public:
  explicit RandomScope(RandomSource& source);
  ~RandomScope();
  RandomScope(const RandomScope&) = delete;
  RandomScope& operator=(const RandomScope&) = delete;

 private:
  RandomSource* previous_;
};

// DeterministicRandom - a RandomSource and a RandomScope in one: what a run holds for its lifetime.
//   tls::DeterministicRandom guard(seed);   // every OpenSSL draw below is reproducible
class DeterministicRandom {
 public:
  explicit DeterministicRandom(std::uint64_t seed) : source_(seed), scope_(source_) {}
  explicit DeterministicRandom(const Rng& rng) : source_(rng), scope_(source_) {}
  RandomSource& source() { return source_; }

 private:
  RandomSource source_;
  RandomScope scope_;
};

// deterministic_random_active - whether OpenSSL draws on this thread currently come from a scope.
bool deterministic_random_active();

}  // namespace smtpsim::tls
