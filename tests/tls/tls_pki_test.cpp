// tls_pki_test.cpp - the simulation CA: certificate contents, signatures, names, PEM, reproducibility.
#include <catch2/catch.hpp>

#include "sim/tls/tls_error.hpp"
#include "sim/tls/tls_pki.hpp"

using namespace smtpsim::tls;

TEST_CASE("the CA is a self-signed P-256 root with fixed dates") {
  Pki pki(42);
  const Cert& ca = pki.ca().cert;
  CHECK(ca.subject() == "CN=smtpsim Simulation Root CA,O=smtpsim");
  CHECK(ca.issuer() == ca.subject());
  CHECK(ca.is_ca());
  CHECK(ca.self_signed());
  CHECK(ca.signed_by(ca));
  CHECK(ca.not_before() == "2020-01-01 00:00:00 UTC");
  CHECK(ca.not_after() == "2099-12-31 23:59:59 UTC");
  CHECK(ca.dns_names().empty());
  CHECK(pki.ca().key.public_pem().find("BEGIN PUBLIC KEY") != std::string::npos);
  CHECK(pki.ca_pem().rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
}

TEST_CASE("host certificates carry the SAN names and are signed by the CA") {
  Pki pki(42);
  Credential mx = pki.issue("mx.b.example", {{"mail.b.example", "mx.b.example"}});
  CHECK(mx.cert.common_name() == "mx.b.example");
  CHECK(mx.cert.subject() == "CN=mx.b.example");
  CHECK(mx.cert.issuer() == pki.ca().cert.subject());
  CHECK(mx.cert.dns_names() == std::vector<std::string>{"mx.b.example", "mail.b.example"});  // no duplicate
  CHECK(mx.cert.signed_by(pki.ca().cert));
  CHECK_FALSE(mx.cert.self_signed());
  CHECK_FALSE(mx.cert.is_ca());
  CHECK(mx.cert.matches_host("mx.b.example"));
  CHECK(mx.cert.matches_host("MAIL.b.example"));
  CHECK_FALSE(mx.cert.matches_host("b.example"));
  CHECK_FALSE(mx.cert.matches_host("mx.c.example"));
  CHECK(mx.chain.empty());  // the root is not sent
  CHECK(mx.fullchain_pem() == mx.cert.pem());
  // the text summary an inspector shows
  std::string t = mx.cert.text();
  CHECK(t.find("names:   mx.b.example mail.b.example") != std::string::npos);
  CHECK(t.find("valid:   2020-01-01 00:00:00 UTC .. 2099-12-31 23:59:59 UTC") != std::string::npos);

  // another CA's view: not signed by it
  Pki other(43);
  CHECK_FALSE(mx.cert.signed_by(other.ca().cert));
}

TEST_CASE("a wildcard certificate matches one label only") {
  Pki pki(1);
  Credential w = pki.issue("*.b.example");
  CHECK(w.cert.matches_host("mx.b.example"));
  CHECK_FALSE(w.cert.matches_host("b.example"));
  CHECK_FALSE(w.cert.matches_host("a.mx.b.example"));
}

TEST_CASE("a man-in-the-middle certificate has the right name but is not the CA's") {
  Pki pki(42);
  Credential mitm = pki.self_signed("mx.b.example");
  CHECK(mitm.cert.dns_names() == std::vector<std::string>{"mx.b.example"});
  CHECK(mitm.cert.matches_host("mx.b.example"));
  CHECK(mitm.cert.self_signed());
  CHECK(mitm.cert.issuer() == "CN=mx.b.example");
  CHECK_FALSE(mitm.cert.signed_by(pki.ca().cert));
  CHECK(mitm.chain.empty());
  CHECK(mitm.cert.der() != pki.issue("mx.b.example").cert.der());
}

TEST_CASE("certificates are reproducible from the seed, whatever was issued before") {
  Pki a(7), b(7), c(8);
  CHECK(a.ca().cert.der() == b.ca().cert.der());
  CHECK(a.ca().key.pem() == b.ca().key.pem());
  CHECK(a.ca().cert.der() != c.ca().cert.der());
  a.issue("first.example");
  a.issue("second.example");
  Credential x = a.issue("mx.b.example");
  Credential y = b.issue("mx.b.example");
  CHECK(x.cert.der() == y.cert.der());
  CHECK(x.key.pem() == y.key.pem());
  CHECK(x.cert.serial_hex() == y.cert.serial_hex());
  CHECK(x.cert.serial_hex() != a.issue("mx.c.example").cert.serial_hex());
  CHECK(x.cert.der() != c.issue("mx.b.example").cert.der());
  CHECK(x.cert.fingerprint_sha256().size() == 32 * 3 - 1);
}

TEST_CASE("validity dates can be chosen (for the expired-certificate lesson)") {
  Pki pki(3);
  CertOptions o;
  o.not_before = 1577836800;  // 2020-01-01
  o.not_after = 1609459199;   // 2020-12-31 23:59:59
  Credential old = pki.issue("old.example", o);
  CHECK(old.cert.not_after() == "2020-12-31 23:59:59 UTC");
  o.not_after = o.not_before;
  CHECK_THROWS_AS(pki.issue("bad.example", o), TlsError);
}

TEST_CASE("PEM round trips and bad PEM gets a clear error") {
  Pki pki(5);
  Credential mx = pki.issue("mx.b.example");
  CHECK(Cert::from_pem(mx.cert.pem()).der() == mx.cert.der());
  CHECK(PrivateKey::from_pem(mx.key.pem()).pem() == mx.key.pem());
  Credential back = Credential::from_pem(mx.cert_pem() + pki.ca_pem(), mx.key_pem());
  CHECK(back.cert.der() == mx.cert.der());
  REQUIRE(back.chain.size() == 1);
  CHECK(back.chain[0].der() == pki.ca().cert.der());

  CHECK_THROWS_WITH(Cert::from_pem("hello"), Catch::Contains("no PEM certificate found"));
  CHECK_THROWS_WITH(PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
                    Catch::Contains("no PEM private key found"));
  CHECK_THROWS_WITH(Credential::from_pem(mx.cert_pem(), pki.issue("other.example").key_pem()),
                    Catch::Contains("does not match"));
  CHECK_THROWS_WITH(Credential::from_pem("", mx.key_pem()), Catch::Contains("no PEM certificate"));
}

TEST_CASE("certificate names are checked") {
  struct Row {
    const char* name;
    const char* why;  // "" = accepted
  };
  const Row rows[] = {
      {"mx.b.example", ""},
      {"localhost", ""},
      {"a-b.c0.example", ""},
      {"*.b.example", ""},
      {"", "empty name"},
      {"mx..example", "empty label"},
      {".mx.example", "empty label"},
      {"mx.example.", "empty label"},
      {"-mx.example", "starts or ends with '-'"},
      {"mx_1.example", "character '_' is not allowed"},
      {"mx b.example", "character ' ' is not allowed"},
      {"mx.*.example", "character '*' is not allowed"},
      {"*.example", "a wildcard needs at least two labels"},
      {"mx,DNS:evil.example", "character ',' is not allowed"},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    std::string why = check_dns_name(r.name);
    if (*r.why == 0) CHECK(why.empty());
    else CHECK(why.find(r.why) != std::string::npos);
  }
  CHECK(check_dns_name(std::string(64, 'a') + ".example").find("63") != std::string::npos);
  Pki pki(1);
  CHECK_THROWS_WITH(pki.issue("mx,DNS:evil.example"), Catch::Contains("bad certificate name"));
  CHECK_THROWS_WITH(pki.issue("ok.example", {{"bad name"}}), Catch::Contains("\"bad name\""));
}
