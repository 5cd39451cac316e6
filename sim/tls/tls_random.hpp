// tls_random.hpp - reproducible randomness for OpenSSL, so the same seed gives the same ciphertext,
// without touching any process-global OpenSSL state.
//
// OpenSSL draws random bytes for key generation, ECDSA nonces, ClientHello/ServerHello randoms,
// TLS 1.3 key shares, session ids, ticket keys and AES-GCM explicit nonces. To make a run's wire
// bytes (which the trace records) repeat exactly for the same seed, every draw must come from a
// seeded stream.
//
// How: each LibContext is its own OpenSSL library context (OSSL_LIB_CTX, OpenSSL 3.0). Into it we
// load the default provider (the algorithms) and a tiny built-in provider "smtpsim-seeded"
// (OSSL_PROVIDER_add_builtin on that context only) whose one algorithm is a RAND ("SMTPSIM-SEEDED")
// that serves bytes from the context's RandomSource; RAND_set_DRBG_type makes it the context's
// primary, public and private DRBG. Every SSL_CTX, key and certificate of a world is made in the
// world's context (SSL_CTX_new_ex, EVP_PKEY_Q_keygen(libctx), X509_new_ex), so its draws never
// leave it. Nothing global is swapped: worlds can be created, interleaved and destroyed in any
// order, and OpenSSL's default context (a null LibCtxPtr) keeps real randomness on every thread -
// what live sessions, a live CA and real clients use.
//
// Keys made in a seeded context are as predictable as the seed. That is the point for a
// simulation and a teaching tool; it is why live mode must use a null (real) context.
#pragma once
#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>

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

// LibContext - an OpenSSL library context whose every random byte comes from a RandomSource.
// Create with seeded(); share with shared_ptr (contexts, keys and certificates made in it keep it
// alive). Single-threaded like a run: draw from one thread at a time.
class LibContext {
 public:
  // seeded - a fresh context fed by RandomSource(rng) (throws std::runtime_error if OpenSSL refuses).
  static std::shared_ptr<LibContext> seeded(const Rng& rng);
  static std::shared_ptr<LibContext> seeded(std::uint64_t seed) { return seeded(Rng(seed)); }
  ~LibContext();
  LibContext(const LibContext&) = delete;
  LibContext& operator=(const LibContext&) = delete;

  // native - the OSSL_LIB_CTX to pass to OpenSSL's *_ex functions.
  OSSL_LIB_CTX* native() const { return ctx_; }
  // source - the stream draws currently come from (the base one unless redirected).
  RandomSource& source() { return *current_; }
  // base - the context's own stream.
  RandomSource& base() { return base_; }

  // Redirect - while alive, this context's draws come from `src` (the PKI gives each key its own
  // stream, so a certificate does not depend on what was drawn before it). Nests; no other
  // context is affected.
  class Redirect {
   public:
    Redirect(LibContext& lc, RandomSource& src) : lc_(lc), previous_(lc.current_) { lc.current_ = &src; }
    ~Redirect() { lc_.current_ = previous_; }
    Redirect(const Redirect&) = delete;
    Redirect& operator=(const Redirect&) = delete;

   private:
    LibContext& lc_;
    RandomSource* previous_;
  };

 private:
  explicit LibContext(const Rng& rng) : base_(rng), current_(&base_) {}
  RandomSource base_;
  RandomSource* current_;
  OSSL_LIB_CTX* ctx_ = nullptr;
};

// LibCtxPtr - which library context an object is made in; null = OpenSSL's default context
// (real randomness, for live mode).
using LibCtxPtr = std::shared_ptr<LibContext>;

// native_ctx - the OSSL_LIB_CTX of `lib` (nullptr = OpenSSL's default).
inline OSSL_LIB_CTX* native_ctx(const LibCtxPtr& lib) { return lib ? lib->native() : nullptr; }

}  // namespace smtpsim::tls
