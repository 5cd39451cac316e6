// tls_pki.hpp - the simulation's own certificate authority: EC P-256 keys, a CA, host certificates
// with subjectAltName, self-signed "man in the middle" certificates, PEM import/export.
//
// Everything is reproducible: validity dates are fixed (not the wall clock), serial numbers and
// keys derive from (seed, purpose, host), and each key/signature draws from its own seeded stream
// (a LibContext::Redirect in the Pki's library context). So Pki(seed).issue("mx.b.example") gives
// the same key and certificate bytes in every run, whatever else was issued before it.
// Keys and certificates are made in the Pki's library context and keep it alive.
#pragma once
#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/tls/tls_random.hpp"

namespace smtpsim::tls {

// Unix times used by default (seconds, UTC).
inline constexpr std::int64_t kNotBefore2020 = 1577836800;  // 2020-01-01 00:00:00 UTC
inline constexpr std::int64_t kNotAfter2099 = 4102444799;   // 2099-12-31 23:59:59 UTC
// kSimVerifyTime - the "now" clients check certificate validity against: 2024-01-01 00:00:00 UTC.
// Fixed so a run never depends on the machine's date (see ClientOptions::verify_time).
inline constexpr std::int64_t kSimVerifyTime = 1704067200;

// Cert - one X.509 certificate; copies share the same immutable object.
class Cert {
 public:
  Cert() = default;
  // Cert - adopt an X509 (takes over the caller's reference); `lib` = the context it was made in,
  // kept alive as long as the certificate.
  explicit Cert(X509* adopt, LibCtxPtr lib = {});
  // from_pem - read the first certificate of a PEM text; throws TlsError if there is none.
  static Cert from_pem(std::string_view pem);

  X509* native() const { return x_.get(); }
  explicit operator bool() const { return x_ != nullptr; }

  std::string pem() const;                     // "-----BEGIN CERTIFICATE-----..."
  std::string der() const;                     // raw DER bytes
  std::string subject() const;                 // RFC 2253 form: "CN=mx.b.example"
  std::string issuer() const;
  std::string common_name() const;             // CN of the subject ("" if none)
  std::vector<std::string> dns_names() const;  // subjectAltName DNS entries, in order
  std::string serial_hex() const;              // "1A2B..." (upper-case hex, no separators)
  std::string not_before() const;              // "2020-01-01 00:00:00 UTC"
  std::string not_after() const;
  std::string fingerprint_sha256() const;      // "AB:CD:..." (as `openssl x509 -fingerprint`)
  bool is_ca() const;                          // basicConstraints CA:TRUE
  bool self_signed() const;                    // issuer == subject and its own key verifies it
  // signed_by - the issuer name matches `ca`'s subject and `ca`'s key verifies the signature.
  bool signed_by(const Cert& ca) const;
  // matches_host - would hostname verification accept `host` (SAN DNS, wildcards per RFC 6125)?
  bool matches_host(std::string_view host) const;
  // text - a short human summary: subject, issuer, SANs, validity, fingerprint (for inspectors).
  std::string text() const;

 private:
  std::shared_ptr<X509> x_;
};

// PrivateKey - one private key (EC P-256 here); copies share the same object.
class PrivateKey {
 public:
  PrivateKey() = default;
  explicit PrivateKey(EVP_PKEY* adopt, LibCtxPtr lib = {});
  // from_pem - read a PEM private key (PKCS#8 or traditional); throws TlsError.
  static PrivateKey from_pem(std::string_view pem);
  // generate_p256 - a fresh EC P-256 key made in `lib` (null: OpenSSL's default context, real
  // randomness).
  static PrivateKey generate_p256(const LibCtxPtr& lib = {});

  EVP_PKEY* native() const { return k_.get(); }
  explicit operator bool() const { return k_ != nullptr; }
  std::string pem() const;         // unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----"
  std::string public_pem() const;  // "-----BEGIN PUBLIC KEY-----"

 private:
  std::shared_ptr<EVP_PKEY> k_;
};

// Credential - what a TLS server presents: its certificate, key and the chain above it.
struct Credential {
  Cert cert;
  PrivateKey key;
  std::vector<Cert> chain;  // intermediates sent after cert (empty for the sim CA's host certs:
                            // it signs hosts directly, and a server does not send the root)

  std::string cert_pem() const { return cert.pem(); }
  std::string key_pem() const { return key.pem(); }
  // fullchain_pem - cert followed by the chain, as servers usually load it.
  std::string fullchain_pem() const;
  // from_pem - a credential from PEM texts (fullchain: leaf first); throws TlsError.
  static Credential from_pem(std::string_view fullchain_pem, std::string_view key_pem);
};

// CertOptions - what to put in a certificate besides the host name.
struct CertOptions {
  std::vector<std::string> extra_names;  // more subjectAltName DNS names ("mail.b.example", "*.b.example")
  std::vector<std::string> ip_addresses; // subjectAltName IP entries ("127.0.0.1", "::1") - live mode
  std::int64_t not_before = kNotBefore2020;
  std::int64_t not_after = kNotAfter2099;  // set in the past (vs kSimVerifyTime) for an "expired" lesson
};

// check_dns_name - is this a host name we will put in a certificate? Labels of [A-Za-z0-9-],
// dots between, an optional leading "*." wildcard, at most 253 characters. "" if fine, else why not.
std::string check_dns_name(std::string_view name);

// Pki - the simulation's CA and everything it issues.
class Pki {
 public:
  // Pki - make the CA (key + self-signed root) deterministically from seed, in `lib` (a seeded
  // context; null = a fresh one of its own).
  explicit Pki(std::uint64_t seed, std::string ca_name = "smtpsim Simulation Root CA", LibCtxPtr lib = {});
  // Pki - the same in a given context (a world's).
  Pki(std::uint64_t seed, LibCtxPtr lib) : Pki(seed, "smtpsim Simulation Root CA", std::move(lib)) {}

  std::uint64_t seed() const { return seed_; }
  // lib - the library context its keys and certificates live in (seeded).
  const LibCtxPtr& lib() const { return lib_; }
  // ca - the root: cert (self-signed, CA:TRUE) and key. Clients trust ca().cert.
  const Credential& ca() const { return ca_; }
  std::string ca_pem() const { return ca_.cert.pem(); }

  // issue - a host certificate signed by the CA: CN=host, SAN DNS:host + extra names,
  // serverAuth+clientAuth, empty chain. Throws TlsError for a bad host name.
  Credential issue(std::string_view host, const CertOptions& opts = {}) const;
  // self_signed - a certificate for `host` that the CA did NOT sign (a man in the middle's):
  // same subject and SAN as a real one, but its own issuer; clients that verify reject it.
  Credential self_signed(std::string_view host, const CertOptions& opts = {}) const;

 private:
  std::uint64_t seed_;
  LibCtxPtr lib_;
  Credential ca_;
};

}  // namespace smtpsim::tls
