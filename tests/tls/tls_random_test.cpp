// tls_random_test.cpp - same seed => the same certificates and ciphertext; scopes nest; other
// threads keep OpenSSL's real randomness.
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

// conversation - a whole run: PKI, contexts, handshake, data both ways, close; returns every
// byte that crossed the "wire" (both directions, in order) plus the server certificate.
std::string conversation(std::uint64_t seed, Version max) {
  DeterministicRandom guard(seed);
  Pki pki(seed);
  ServerContext sctx(pki.issue("mx.b.example"));
  ClientOptions co;
  co.max_version = max;
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

TEST_CASE("scopes route OpenSSL's RAND to the source, nest, and restore the real DRBG") {
  CHECK_FALSE(deterministic_random_active());
  std::string real1 = rand_bytes(32), real2 = rand_bytes(32);
  CHECK(real1 != real2);

  RandomSource expect_outer(7), expect_inner(8);
  unsigned char e1[16], e2[16], e3[16];
  expect_outer.fill(e1, 16);
  expect_inner.fill(e2, 16);
  expect_outer.fill(e3, 16);

  RandomSource outer(7), inner(8);
  {
    RandomScope so(outer);
    CHECK(deterministic_random_active());
    CHECK(rand_bytes(16) == std::string(reinterpret_cast<char*>(e1), 16));
    {
      RandomScope si(inner);
      CHECK(rand_bytes(16) == std::string(reinterpret_cast<char*>(e2), 16));
    }
    // the outer stream resumes where it was
    CHECK(rand_bytes(16) == std::string(reinterpret_cast<char*>(e3), 16));
    CHECK(outer.drawn() == 32);
    CHECK(inner.drawn() == 16);
  }
  CHECK_FALSE(deterministic_random_active());
  CHECK(rand_bytes(16) != std::string(reinterpret_cast<char*>(e1), 16));
}

TEST_CASE("other threads are not given the seeded stream and cannot open a scope meanwhile") {
  DeterministicRandom guard(5);
  RandomSource same(5);
  unsigned char expect[32];
  same.fill(expect, 32);
  std::string theirs;
  bool threw = false;
  std::thread t([&] {
    theirs.resize(32);
    RAND_bytes(reinterpret_cast<unsigned char*>(theirs.data()), 32);
    RandomSource other(6);
    try {
      RandomScope s(other);
    } catch (const std::logic_error&) {
      threw = true;
    }
  });
  t.join();
  CHECK(theirs != std::string(reinterpret_cast<char*>(expect), 32));
  CHECK(threw);
  CHECK(guard.source().drawn() == 0);  // the other thread took nothing from the run's stream
  CHECK(rand_bytes(32) == std::string(reinterpret_cast<char*>(expect), 32));
}
