// tls_random.cpp - the RAND_METHOD that feeds OpenSSL from the active RandomSource.
// The deprecated RAND_set_rand_method is used on purpose (see tls_random.hpp); its warnings are
// silenced here only.
#include "sim/tls/tls_random.hpp"

#include <openssl/rand.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace smtpsim::tls {
namespace {

// The process-global state OpenSSL forces on us (see the header): guarded by g_mutex.
std::mutex g_mutex;
RandomSource* g_source = nullptr;         // innermost active scope's source
std::thread::id g_owner;                  // thread that holds the scopes
const RAND_METHOD* g_saved = nullptr;     // OpenSSL's method to restore when the last scope ends

// real_bytes - OpenSSL's own DRBG, for draws from threads that hold no scope.
int real_bytes(unsigned char* buf, int num) {
  EVP_RAND_CTX* drbg = RAND_get0_private(nullptr);
  if (drbg == nullptr) return 0;
  return EVP_RAND_generate(drbg, buf, static_cast<size_t>(num), 0, 0, nullptr, 0);
}

// sim_bytes - RAND_METHOD bytes/pseudorand: the scope's stream on its thread, real DRBG elsewhere.
int sim_bytes(unsigned char* buf, int num) {
  if (num <= 0) return 1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_source != nullptr && g_owner == std::this_thread::get_id()) {
      g_source->fill(buf, static_cast<std::size_t>(num));
      return 1;
    }
  }
  return real_bytes(buf, num);
}

// sim_seed / sim_add - seeding material is ignored: the stream depends on the run's seed only.
int sim_seed(const void*, int) { return 1; }
int sim_add(const void*, int, double) { return 1; }
// sim_status - always ready.
int sim_status() { return 1; }

const RAND_METHOD kSimMethod = {sim_seed, sim_bytes, nullptr, sim_add, sim_bytes, sim_status};

}  // namespace

// fill - 8 bytes per 64-bit draw; a partial word's remaining bytes are discarded.
void RandomSource::fill(unsigned char* out, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    std::uint64_t w = rng_.next();
    for (int b = 0; b < 8 && i < n; ++b, ++i) out[i] = static_cast<unsigned char>(w >> (8 * b));
  }
  drawn_ += n;
}

// RandomScope - install the method when the first scope opens; otherwise stack on the current one.
RandomScope::RandomScope(RandomSource& source) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_source != nullptr && g_owner != std::this_thread::get_id())
    throw std::logic_error(
        "tls::RandomScope: another thread already holds OpenSSL's deterministic random source");
  previous_ = g_source;
  if (g_source == nullptr) {
    g_saved = RAND_get_rand_method();
    if (!RAND_set_rand_method(&kSimMethod))
      throw std::runtime_error("tls::RandomScope: OpenSSL refused the deterministic RAND method");
    g_owner = std::this_thread::get_id();
  }
  g_source = &source;
}

// ~RandomScope - resume the outer scope, or give OpenSSL its own DRBG back.
RandomScope::~RandomScope() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_source = previous_;
  if (g_source == nullptr) {
    RAND_set_rand_method(g_saved);
    g_saved = nullptr;
    g_owner = std::thread::id();
  }
}

// deterministic_random_active - true when this thread's draws come from a RandomSource.
bool deterministic_random_active() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_source != nullptr && g_owner == std::this_thread::get_id();
}

}  // namespace smtpsim::tls

#pragma GCC diagnostic pop
