// tls_pki.cpp - key generation, X.509 certificate building/signing, inspection and PEM I/O.
#include "sim/tls/tls_pki.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

#include "sim/core/rng.hpp"
#include "sim/tls/tls_error.hpp"
#include "sim/tls/tls_random.hpp"

namespace smtpsim::tls {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

// mem_bio - an empty memory BIO for writing, or a read-only one over `data`.
BioPtr mem_bio() { return BioPtr(BIO_new(BIO_s_mem()), &BIO_free); }
BioPtr mem_bio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), &BIO_free);
}

// bio_text - everything written into a memory BIO.
std::string bio_text(BIO* b) {
  char* p = nullptr;
  long n = BIO_get_mem_data(b, &p);
  return n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

// name_text - an X509_NAME in RFC 2253 form ("CN=mx.b.example,O=smtpsim").
std::string name_text(const X509_NAME* name) {
  BioPtr b = mem_bio();
  X509_NAME_print_ex(b.get(), name, 0, XN_FLAG_RFC2253);
  return bio_text(b.get());
}

// time_text - an ASN1_TIME as "YYYY-MM-DD HH:MM:SS UTC".
std::string time_text(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return "?";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// add_ext - add one extension given in openssl.cnf syntax ("critical,CA:TRUE").
void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) throw_openssl(std::string("certificate extension ") + OBJ_nid2sn(nid) + "=" + value);
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (!ok) throw_openssl("X509_add_ext");
}

// serial_for - a positive, non-zero 63-bit serial that depends only on (seed, purpose, host).
std::uint64_t serial_for(std::uint64_t seed, std::string_view purpose, std::string_view host) {
  std::uint64_t h = fnv1a64(host, fnv1a64(purpose, fnv1a64(std::to_string(seed))));
  h &= 0x7fffffffffffffffULL;
  return h == 0 ? 1 : h;
}

// CertSpec - the parts of a certificate the builder varies.
struct CertSpec {
  std::string cn;
  std::string org;  // "" = none
  std::uint64_t serial = 1;
  std::int64_t not_before = kNotBefore2020;
  std::int64_t not_after = kNotAfter2099;
  bool ca = false;
  std::vector<std::string> dns;  // SAN DNS names (leaf only)
  std::vector<std::string> ips;  // SAN IP addresses (leaf only)
};

// build_cert - make and sign a certificate for `key`; issuer == nullptr means self-signed.
Cert build_cert(const CertSpec& spec, const PrivateKey& key, const Cert* issuer,
                const PrivateKey& issuer_key, const LibCtxPtr& lib) {
  if (spec.not_after <= spec.not_before) throw TlsError("certificate notAfter must be after notBefore");
  X509* raw = X509_new_ex(native_ctx(lib), nullptr);  // X509_sign then signs in `lib`
  if (raw == nullptr) throw_openssl("X509_new");
  Cert cert(raw, lib);
  X509* x = cert.native();
  if (!X509_set_version(x, X509_VERSION_3)) throw_openssl("X509_set_version");
  if (!ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), spec.serial)) throw_openssl("serial");
  if (!ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(spec.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(spec.not_after)))
    throw_openssl("certificate validity");
  X509_NAME* subj = X509_get_subject_name(x);
  if (!spec.org.empty() &&
      !X509_NAME_add_entry_by_txt(subj, "O", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(spec.org.c_str()), -1, -1, 0))
    throw_openssl("subject O=" + spec.org);
  if (!X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0))
    throw_openssl("subject CN=" + spec.cn);
  X509* issuer_x = issuer ? issuer->native() : x;
  if (!X509_set_issuer_name(x, X509_get_subject_name(issuer_x))) throw_openssl("issuer name");
  if (!X509_set_pubkey(x, key.native())) throw_openssl("X509_set_pubkey");

  if (spec.ca) {
    add_ext(x, issuer_x, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(x, issuer_x, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(x, issuer_x, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x, issuer_x, NID_key_usage, "critical,digitalSignature");
    add_ext(x, issuer_x, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  if (!spec.dns.empty()) {
    std::string san;
    for (const auto& n : spec.dns) san += (san.empty() ? "DNS:" : ",DNS:") + n;
    for (const auto& ip : spec.ips) san += ",IP:" + ip;
    add_ext(x, issuer_x, NID_subject_alt_name, san.c_str());
  }
  add_ext(x, issuer_x, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(x, issuer_x, NID_authority_key_identifier, "keyid:always");

  const PrivateKey& signer = issuer ? issuer_key : key;
  if (X509_sign(x, signer.native(), EVP_sha256()) <= 0) throw_openssl("X509_sign");
  return cert;
}

// leaf_names - host first, then the extra names without duplicates; all checked.
std::vector<std::string> leaf_names(std::string_view host, const CertOptions& opts) {
  std::vector<std::string> names;
  auto add = [&](std::string_view n) {
    std::string why = check_dns_name(n);
    if (!why.empty()) throw TlsError("bad certificate name \"" + std::string(n) + "\": " + why);
    for (const auto& have : names)
      if (have == n) return;
    names.emplace_back(n);
  };
  add(host);
  for (const auto& n : opts.extra_names) add(n);
  return names;
}

}  // namespace

// ---- Cert ----

Cert::Cert(X509* adopt, LibCtxPtr lib)
    : x_(adopt, [lib = std::move(lib)](X509* x) { X509_free(x); }) {}

// from_pem - the first CERTIFICATE block of the text.
Cert Cert::from_pem(std::string_view pem) {
  BioPtr b = mem_bio(pem);
  X509* x = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr);
  if (x == nullptr) throw_openssl("no PEM certificate found");
  return Cert(x);
}

// pem - PEM text of the certificate.
std::string Cert::pem() const {
  if (!x_) return {};
  BioPtr b = mem_bio();
  PEM_write_bio_X509(b.get(), x_.get());
  return bio_text(b.get());
}

// der - DER encoding of the certificate.
std::string Cert::der() const {
  if (!x_) return {};
  unsigned char* buf = nullptr;
  int n = i2d_X509(x_.get(), &buf);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
  OPENSSL_free(buf);
  return out;
}

// subject - RFC 2253 text of the subject name.
std::string Cert::subject() const { return x_ ? name_text(X509_get_subject_name(x_.get())) : ""; }
// issuer - RFC 2253 text of the issuer name.
std::string Cert::issuer() const { return x_ ? name_text(X509_get_issuer_name(x_.get())) : ""; }

// common_name - the subject's CN entry.
std::string Cert::common_name() const {
  if (!x_) return {};
  X509_NAME* n = X509_get_subject_name(x_.get());
  int i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
  if (i < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

// dns_names - the subjectAltName DNS entries.
std::vector<std::string> Cert::dns_names() const {
  std::vector<std::string> out;
  if (!x_) return out;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x_.get(), NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    if (g->type != GEN_DNS) continue;
    const ASN1_STRING* s = g->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

// serial_hex - the serial number in upper-case hex.
std::string Cert::serial_hex() const {
  if (!x_) return {};
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x_.get()), nullptr);
  if (bn == nullptr) return {};
  char* hex = BN_bn2hex(bn);
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::string Cert::not_before() const { return x_ ? time_text(X509_get0_notBefore(x_.get())) : ""; }
std::string Cert::not_after() const { return x_ ? time_text(X509_get0_notAfter(x_.get())) : ""; }

// fingerprint_sha256 - colon-separated SHA-256 of the DER encoding.
std::string Cert::fingerprint_sha256() const {
  if (!x_) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!X509_digest(x_.get(), EVP_sha256(), md, &n)) return {};
  std::string out;
  char buf[4];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, i ? ":%02X" : "%02X", md[i]);
    out += buf;
  }
  return out;
}

// is_ca - basicConstraints says CA:TRUE.
bool Cert::is_ca() const { return x_ && (X509_get_extension_flags(x_.get()) & EXFLAG_CA) != 0; }

// self_signed - issued by itself, signature checked with its own key.
bool Cert::self_signed() const {
  bool r = x_ && X509_self_signed(x_.get(), 1) == 1;
  ERR_clear_error();
  return r;
}

// signed_by - names chain up and the CA's key verifies this certificate's signature.
bool Cert::signed_by(const Cert& ca) const {
  if (!x_ || !ca.x_) return false;
  bool r = X509_check_issued(ca.x_.get(), x_.get()) == X509_V_OK &&
           X509_verify(x_.get(), X509_get0_pubkey(ca.x_.get())) == 1;
  ERR_clear_error();
  return r;
}

// matches_host - OpenSSL's own hostname check (SAN DNS names, no partial wildcards).
bool Cert::matches_host(std::string_view host) const {
  if (!x_) return false;
  int r = X509_check_host(x_.get(), host.data(), host.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                          nullptr);
  ERR_clear_error();
  return r == 1;
}

// text - a few lines for an inspector panel.
std::string Cert::text() const {
  if (!x_) return "(no certificate)\n";
  std::string out = "subject: " + subject() + "\nissuer:  " + issuer() + "\n";
  auto names = dns_names();
  if (!names.empty()) {
    out += "names:  ";
    for (const auto& n : names) out += " " + n;
    out += "\n";
  }
  out += "valid:   " + not_before() + " .. " + not_after() + "\n";
  out += "serial:  " + serial_hex() + (is_ca() ? "  (CA)" : "") + "\n";
  out += "sha256:  " + fingerprint_sha256() + "\n";
  return out;
}

// ---- PrivateKey ----

PrivateKey::PrivateKey(EVP_PKEY* adopt, LibCtxPtr lib)
    : k_(adopt, [lib = std::move(lib)](EVP_PKEY* k) { EVP_PKEY_free(k); }) {}

// from_pem - any PEM private key OpenSSL understands (no passphrase).
PrivateKey PrivateKey::from_pem(std::string_view pem) {
  BioPtr b = mem_bio(pem);
  EVP_PKEY* k = PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr);
  if (k == nullptr) throw_openssl("no PEM private key found");
  return PrivateKey(k);
}

// generate_p256 - EVP_PKEY_Q_keygen on the P-256 curve.
PrivateKey PrivateKey::generate_p256(const LibCtxPtr& lib) {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(native_ctx(lib), nullptr, "EC", "P-256");
  if (k == nullptr) throw_openssl("EC P-256 key generation");
  return PrivateKey(k, lib);
}

// pem - unencrypted PKCS#8.
std::string PrivateKey::pem() const {
  if (!k_) return {};
  BioPtr b = mem_bio();
  PEM_write_bio_PrivateKey(b.get(), k_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(b.get());
}

// public_pem - SubjectPublicKeyInfo.
std::string PrivateKey::public_pem() const {
  if (!k_) return {};
  BioPtr b = mem_bio();
  PEM_write_bio_PUBKEY(b.get(), k_.get());
  return bio_text(b.get());
}

// ---- Credential ----

// fullchain_pem - leaf then chain.
std::string Credential::fullchain_pem() const {
  std::string out = cert.pem();
  for (const auto& c : chain) out += c.pem();
  return out;
}

// from_pem - leaf + chain from one PEM text, the key from another; the key must match the leaf.
Credential Credential::from_pem(std::string_view fullchain_pem, std::string_view key_pem) {
  Credential cred;
  BioPtr b = mem_bio(fullchain_pem);
  while (X509* x = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr)) {
    if (!cred.cert) cred.cert = Cert(x);
    else cred.chain.emplace_back(x);
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (!cred.cert) throw TlsError("no PEM certificate found in the certificate text");
  cred.key = PrivateKey::from_pem(key_pem);
  if (X509_check_private_key(cred.cert.native(), cred.key.native()) != 1)
    throw_openssl("the private key does not match the certificate");
  return cred;
}

// ---- names ----

// check_dns_name - LDH labels, optional leading "*.", length limits of RFC 1035.
std::string check_dns_name(std::string_view name) {
  if (name.empty()) return "empty name";
  if (name.size() > 253) return "longer than 253 characters";
  std::string_view rest = name;
  if (rest.substr(0, 2) == "*.") {
    rest.remove_prefix(2);
    if (rest.find('.') == std::string_view::npos) return "a wildcard needs at least two labels after '*.'";
  }
  if (rest.empty()) return "empty name";
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t dot = rest.find('.', start);
    std::string_view label = rest.substr(start, dot == std::string_view::npos ? rest.npos : dot - start);
    if (label.empty()) return "empty label (two dots, or a dot at an end)";
    if (label.size() > 63) return "a label is longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "a label starts or ends with '-'";
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return std::string("character '") + c + "' is not allowed (letters, digits, '-', '.')";
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return {};
}

// ---- Pki ----

// Pki - CA key and root drawn from the stream (seed, "tls.pki.ca").
Pki::Pki(std::uint64_t seed, std::string ca_name, LibCtxPtr lib)
    : seed_(seed), lib_(lib ? std::move(lib) : LibContext::seeded(Rng(seed).derive("tls.pki.lib"))) {
  if (ca_name.empty() || ca_name.size() > 64) throw TlsError("CA name must be 1..64 characters");
  RandomSource src(Rng(seed).derive("tls.pki.ca"));
  LibContext::Redirect scope(*lib_, src);
  ca_.key = PrivateKey::generate_p256(lib_);
  CertSpec spec;
  spec.cn = ca_name;
  spec.org = "smtpsim";
  spec.serial = serial_for(seed, "ca", ca_name);
  spec.ca = true;
  ca_.cert = build_cert(spec, ca_.key, nullptr, ca_.key, lib_);
}

// issue - host certificate signed by the CA, reproducible for (seed, host, opts).
Credential Pki::issue(std::string_view host, const CertOptions& opts) const {
  std::vector<std::string> names = leaf_names(host, opts);
  RandomSource src(Rng(seed_).derive("tls.pki.host." + names.front()));
  LibContext::Redirect scope(*lib_, src);
  Credential cred;
  cred.key = PrivateKey::generate_p256(lib_);
  CertSpec spec;
  spec.cn = names.front();
  spec.serial = serial_for(seed_, "host", names.front());
  spec.not_before = opts.not_before;
  spec.not_after = opts.not_after;
  spec.dns = names;
  spec.ips = opts.ip_addresses;
  cred.cert = build_cert(spec, cred.key, &ca_.cert, ca_.key, lib_);
  return cred;  // no chain: the CA signs hosts directly and servers do not send the root
}

// self_signed - same names as a real host certificate, but issued by itself.
Credential Pki::self_signed(std::string_view host, const CertOptions& opts) const {
  std::vector<std::string> names = leaf_names(host, opts);
  RandomSource src(Rng(seed_).derive("tls.pki.self." + names.front()));
  LibContext::Redirect scope(*lib_, src);
  Credential cred;
  cred.key = PrivateKey::generate_p256(lib_);
  CertSpec spec;
  spec.cn = names.front();
  spec.serial = serial_for(seed_, "self", names.front());
  spec.not_before = opts.not_before;
  spec.not_after = opts.not_after;
  spec.dns = names;
  cred.cert = build_cert(spec, cred.key, nullptr, cred.key, lib_);
  return cred;
}

}  // namespace smtpsim::tls
