// tls_random.cpp - the "smtpsim-seeded" provider: a RAND (EVP_RAND) that serves a LibContext's
// RandomSource, and the construction of a library context that uses it for all its DRBGs.
#include "sim/tls/tls_random.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace smtpsim::tls {
namespace {

constexpr const char* kProviderName = "smtpsim-seeded";
constexpr const char* kRandName = "SMTPSIM-SEEDED";

// Contexts being built: provider init runs inside OSSL_PROVIDER_load and finds its LibContext
// here by OSSL_LIB_CTX. An entry lives only for that call; no OpenSSL state is global or swapped.
std::mutex g_pending_mutex;
std::map<OSSL_LIB_CTX*, LibContext*> g_pending;

// Drbg - one EVP_RAND_CTX instance (primary, public or private) of a context.
struct Drbg {
  LibContext* owner = nullptr;
  int state = EVP_RAND_STATE_UNINITIALISED;
  std::mutex lock;
};

// rand_newctx / rand_freectx - a DRBG of the provider's context.
void* rand_newctx(void* provctx, void*, const OSSL_DISPATCH*) {
  auto* d = new Drbg;
  d->owner = static_cast<LibContext*>(provctx);
  return d;
}
void rand_freectx(void* vctx) { delete static_cast<Drbg*>(vctx); }

// rand_instantiate / rand_uninstantiate - nothing to seed: the stream is the run's.
int rand_instantiate(void* vctx, unsigned int, int, const unsigned char*, size_t, const OSSL_PARAM[]) {
  static_cast<Drbg*>(vctx)->state = EVP_RAND_STATE_READY;
  return 1;
}
int rand_uninstantiate(void* vctx) {
  static_cast<Drbg*>(vctx)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

// rand_generate - the next bytes of the context's current stream.
int rand_generate(void* vctx, unsigned char* out, size_t outlen, unsigned int, int, const unsigned char*,
                  size_t) {
  static_cast<Drbg*>(vctx)->owner->source().fill(out, outlen);
  return 1;
}

// rand_reseed - extra entropy is ignored: the stream depends on the seed only.
int rand_reseed(void*, int, const unsigned char*, size_t, const unsigned char*, size_t) { return 1; }

// rand_enable_locking / rand_lock / rand_unlock - OpenSSL requires parents to be lockable.
int rand_enable_locking(void*) { return 1; }
int rand_lock(void* vctx) {
  static_cast<Drbg*>(vctx)->lock.lock();
  return 1;
}
void rand_unlock(void* vctx) { static_cast<Drbg*>(vctx)->lock.unlock(); }

// rand_gettable_ctx_params / rand_get_ctx_params - state, strength, and an unlimited request size
// (so a draw is never cut into chunks).
const OSSL_PARAM* rand_gettable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr),
                                      OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
                                      OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr), OSSL_PARAM_END};
  return params;
}
int rand_get_ctx_params(void* vctx, OSSL_PARAM params[]) {
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);
  if (p != nullptr && !OSSL_PARAM_set_int(p, static_cast<Drbg*>(vctx)->state)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
  if (p != nullptr && !OSSL_PARAM_set_uint(p, 256)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
  if (p != nullptr && !OSSL_PARAM_set_size_t(p, static_cast<size_t>(1) << 30)) return 0;
  return 1;
}

// rand_verify_zeroization - nothing secret is kept.
int rand_verify_zeroization(void*) { return 1; }

// fn - a dispatch table entry.
template <typename F>
OSSL_DISPATCH fn(int id, F* f) {
  return OSSL_DISPATCH{id, reinterpret_cast<void (*)(void)>(f)};
}

const OSSL_DISPATCH kRandFunctions[] = {
    fn(OSSL_FUNC_RAND_NEWCTX, &rand_newctx),
    fn(OSSL_FUNC_RAND_FREECTX, &rand_freectx),
    fn(OSSL_FUNC_RAND_INSTANTIATE, &rand_instantiate),
    fn(OSSL_FUNC_RAND_UNINSTANTIATE, &rand_uninstantiate),
    fn(OSSL_FUNC_RAND_GENERATE, &rand_generate),
    fn(OSSL_FUNC_RAND_RESEED, &rand_reseed),
    fn(OSSL_FUNC_RAND_ENABLE_LOCKING, &rand_enable_locking),
    fn(OSSL_FUNC_RAND_LOCK, &rand_lock),
    fn(OSSL_FUNC_RAND_UNLOCK, &rand_unlock),
    fn(OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, &rand_gettable_ctx_params),
    fn(OSSL_FUNC_RAND_GET_CTX_PARAMS, &rand_get_ctx_params),
    fn(OSSL_FUNC_RAND_VERIFY_ZEROIZATION, &rand_verify_zeroization),
    {0, nullptr}};

const OSSL_ALGORITHM kRands[] = {{kRandName, "provider=smtpsim-seeded", kRandFunctions, "seeded stream"},
                                 {nullptr, nullptr, nullptr, nullptr}};

// prov_query - the provider offers RANDs only.
const OSSL_ALGORITHM* prov_query(void*, int operation_id, int* no_cache) {
  *no_cache = 0;
  return operation_id == OSSL_OP_RAND ? kRands : nullptr;
}
// prov_teardown - the LibContext owns everything.
void prov_teardown(void*) {}

const OSSL_DISPATCH kProvFunctions[] = {fn(OSSL_FUNC_PROVIDER_QUERY_OPERATION, &prov_query),
                                        fn(OSSL_FUNC_PROVIDER_TEARDOWN, &prov_teardown), {0, nullptr}};

// prov_init - find the LibContext being built for this OSSL_LIB_CTX; it is the provider context.
int prov_init(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* in, const OSSL_DISPATCH** out,
              void** provctx) {
  OSSL_FUNC_core_get_libctx_fn* get_libctx = nullptr;
  for (; in != nullptr && in->function_id != 0; ++in)
    if (in->function_id == OSSL_FUNC_CORE_GET_LIBCTX) get_libctx = OSSL_FUNC_core_get_libctx(in);
  if (get_libctx == nullptr) return 0;
  auto* libctx = reinterpret_cast<OSSL_LIB_CTX*>(get_libctx(handle));
  std::lock_guard<std::mutex> guard(g_pending_mutex);
  auto it = g_pending.find(libctx);
  if (it == g_pending.end()) return 0;
  *provctx = it->second;
  *out = kProvFunctions;
  return 1;
}

// fail - OpenSSL's error queue as an exception.
[[noreturn]] void fail(const char* what) {
  std::string msg = std::string("tls::LibContext: ") + what;
  if (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    msg += std::string(": ") + buf;
  }
  ERR_clear_error();
  throw std::runtime_error(msg);
}

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

// seeded - new OSSL_LIB_CTX, our RAND as its DRBG type, then the default provider's algorithms.
std::shared_ptr<LibContext> LibContext::seeded(const Rng& rng) {
  std::shared_ptr<LibContext> lc(new LibContext(rng));
  lc->ctx_ = OSSL_LIB_CTX_new();
  if (lc->ctx_ == nullptr) fail("OSSL_LIB_CTX_new");
  if (!OSSL_PROVIDER_add_builtin(lc->ctx_, kProviderName, &prov_init)) fail("OSSL_PROVIDER_add_builtin");
  OSSL_PROVIDER* mine = nullptr;
  {
    std::lock_guard<std::mutex> guard(g_pending_mutex);
    g_pending[lc->ctx_] = lc.get();
  }
  mine = OSSL_PROVIDER_load(lc->ctx_, kProviderName);
  {
    std::lock_guard<std::mutex> guard(g_pending_mutex);
    g_pending.erase(lc->ctx_);
  }
  if (mine == nullptr) fail("loading the seeded RAND provider");
  if (!RAND_set_DRBG_type(lc->ctx_, kRandName, nullptr, nullptr, nullptr)) fail("RAND_set_DRBG_type");
  if (OSSL_PROVIDER_load(lc->ctx_, "default") == nullptr) fail("loading the default provider");
  // Prove the wiring now rather than in the middle of a handshake.
  if (RAND_get0_primary(lc->ctx_) == nullptr) fail("the seeded DRBG did not instantiate");
  return lc;
}

// ~LibContext - frees the context and with it every provider and DRBG loaded into it.
LibContext::~LibContext() {
  if (ctx_ != nullptr) OSSL_LIB_CTX_free(ctx_);
}

}  // namespace smtpsim::tls
