// tls_random_test.cpp - same seed => the same certificates and ciphertext; seeded library contexts
// are independent of each other and of OpenSSL's default (real) context.
#include <catch2/catch.hpp>

#include <openssl/rand.h>

#include <stdexcept>
#include <thread>

#include "sim/tls/tls_random.hpp"
#include "sim/tls/tls_session.hpp"

using namespace smtpsim::tls;

namespace {

// rand_bytes - n bytes from OpenSSL's public RAND API.
std::string rand_bytes(int n) {
  std::string s(static_cast<std::size_t>(n), '\0');
  REQUIRE(RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), n) == 1);
  return s;
}

// conversation - a whole run: PKI, contexts, handshake, data both ways, close, all in one seeded
// library context; returns every byte that crossed the "wire" (both directions, in order) plus
// the server certificate.
std::string conversation(std::uint64_t seed, Version max) {
  LibCtxPtr lib = LibContext::seeded(seed);
  Pki pki(seed, lib);
  ServerOptions so;
  so.lib = lib;
  ServerContext sctx(pki.issue("mx.b.example"), so);
  ClientOptions co;
  co.max_version = max;
  co.lib = lib;
  ClientContext cctx({pki.ca().cert}, co);
  Session c(cctx, {"mx.b.example"}), s(sctx);
  std::string wire = pki.issue("mx.b.example").cert.der();
  auto pump = [&] {
    for (int i = 0; i < 20; ++i) {
      std::string a = c.take_ciphertext(), b;
      s.feed(a);
      b = s.take_ciphertext();
      c.feed(b);
      wire += a + b;
      if (a.empty() && b.empty()) break;
    }
  };
  c.start();
  pump();
  REQUIRE(c.established());
  c.write("MAIL FROM:<alice@a.example>\r\n");
  s.write("250 2.1.0 Ok\r\n");
  pump();
  c.close();
  pump();
  REQUIRE(s.close_received());
  return wire;
}

// ctx_bytes - n bytes from a library context's public RAND.
std::string ctx_bytes(OSSL_LIB_CTX* ctx, int n, bool priv = false) {
  std::string s(static_cast<std::size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(s.data());
  REQUIRE((priv ? RAND_priv_bytes_ex(ctx, p, n, 0) : RAND_bytes_ex(ctx, p, n, 0)) == 1);
  return s;
}

// stream - the first n bytes of RandomSource(seed), as a string.
std::string stream(std::uint64_t seed, int n) {
  RandomSource src(seed);
  std::string s(static_cast<std::size_t>(n), '\0');
  src.fill(reinterpret_cast<unsigned char*>(s.data()), static_cast<std::size_t>(n));
  return s;
}

}  // namespace

TEST_CASE("the same seed gives byte-identical certificates and ciphertext; another seed does not") {
  for (Version v : {Version::Tls13, Version::Tls12}) {
    INFO(to_string(v));
    std::string a = conversation(1234, v);
    rand_bytes(64);  // real randomness drawn in between changes nothing
    std::string b = conversation(1234, v);
    std::string c = conversation(1235, v);
    CHECK(a.size() > 1000);
    CHECK(a == b);
    CHECK(a != c);
  }
}

TEST_CASE("a RandomSource is a plain seeded stream") {
  RandomSource a(99), b(99), c(100);
  unsigned char x[37], y[37], z[37];
  a.fill(x, sizeof x);
  b.fill(y, sizeof y);
  c.fill(z, sizeof z);
  CHECK(std::equal(x, x + 37, y));
  CHECK_FALSE(std::equal(x, x + 37, z));
  CHECK(a.drawn() == 37);
}

TEST_CASE("a seeded library context serves its own stream, public and private alike") {
  LibCtxPtr lib = LibContext::seeded(7);
  std::string a = ctx_bytes(lib->native(), 16), b = ctx_bytes(lib->native(), 16, true);
  CHECK(a + b == stream(7, 32));
  CHECK(lib->base().drawn() == 32);
  // a redirect moves this context's draws to another stream, and back when it ends
  RandomSource other(8);
  {
    LibContext::Redirect r(*lib, other);
    CHECK(ctx_bytes(lib->native(), 16) == stream(8, 16));
  }
  CHECK(other.drawn() == 16);
  CHECK(ctx_bytes(lib->native(), 16) == stream(7, 48).substr(32));
}

TEST_CASE("seeded contexts are independent of each other and of OpenSSL's default context") {
  std::string real1 = rand_bytes(32);
  auto a = LibContext::seeded(5);
  std::string real2 = rand_bytes(32);
  auto b = LibContext::seeded(5);
  CHECK(real1 != real2);
  // interleaved draws: each context continues its own stream
  std::string a1 = ctx_bytes(a->native(), 16), b1 = ctx_bytes(b->native(), 16);
  rand_bytes(64);
  std::string a2 = ctx_bytes(a->native(), 16);
  a.reset();  // destroying one context changes nothing for the other, nor for the default one
  std::string b2 = ctx_bytes(b->native(), 16);
  CHECK(a1 + a2 == stream(5, 32));
  CHECK(b1 + b2 == stream(5, 32));
  CHECK(rand_bytes(16) != stream(5, 16));
  CHECK(ctx_bytes(nullptr, 16) != stream(5, 16));  // the default context stays real
}

TEST_CASE("another thread drawing from the default context takes nothing from a seeded one") {
  auto lib = LibContext::seeded(5);
  std::string theirs(32, '\0');
  std::thread t([&] { RAND_bytes(reinterpret_cast<unsigned char*>(theirs.data()), 32); });
  t.join();
  CHECK(theirs != stream(5, 32));
  CHECK(lib->base().drawn() == 0);
  CHECK(ctx_bytes(lib->native(), 32) == stream(5, 32));
}
