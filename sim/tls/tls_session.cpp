// tls_session.cpp - SSL over two memory BIOs: handshake driving, record I/O, close and errors.
#include "sim/tls/tls_session.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <optional>

#include "sim/tls/tls_error.hpp"

namespace smtpsim::tls {

struct Session::Impl {
  Role role = Role::Client;
  std::optional<ClientContext> cctx;  // held so the SSL_CTX and its state outlive the SSL
  std::optional<ServerContext> sctx;
  SSL* ssl = nullptr;
  BIO* rbio = nullptr;  // network -> SSL (owned by ssl)
  BIO* wbio = nullptr;  // SSL -> network (owned by ssl)
  SessionState state = SessionState::Idle;
  bool hs_done = false;
  bool close_requested = false;
  bool close_sent = false;
  bool close_received = false;
  bool truncated = false;
  std::string error;
  std::string sni_sent;
  std::string out_plain;  // written, not yet encrypted
  std::string in_plain;   // decrypted, not yet taken
  std::string version, cipher, group;
  std::vector<std::string> keylog;
  Cert presented;  // the leaf the peer presented, kept even when verification rejects it
  std::uint64_t bytes_in = 0, bytes_out = 0;

  ~Impl() { SSL_free(ssl); }
  void init(SSL_CTX* ctx);
  void begin();
  void pump();
  void capture();
  void fail(std::string why);
  std::string failure_text(int ssl_error);
};

namespace {

// keylog_cb - collect NSS key log lines for the session that owns this SSL.
void keylog_cb(const SSL* ssl, const char* line) {
  auto* impl = static_cast<Session::Impl*>(SSL_get_app_data(ssl));
  if (impl != nullptr && line != nullptr) impl->keylog.emplace_back(line);
  forward_keylog(ssl, line);  // and to the run's key log file (`smtpsim run --keylog`), if any
}

// verify_cb - remember the peer's leaf certificate; OpenSSL's verdict stands.
int verify_cb(int preverify_ok, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* impl = ssl ? static_cast<Session::Impl*>(SSL_get_app_data(ssl)) : nullptr;
  if (impl != nullptr && !impl->presented) {
    X509* leaf = X509_STORE_CTX_get0_cert(store);
    if (leaf != nullptr && X509_up_ref(leaf)) impl->presented = Cert(leaf);
  }
  return preverify_ok;
}

// looks_like_ip - an IPv4/IPv6 literal (no SNI for those; checked as an IP, not a DNS name).
bool looks_like_ip(std::string_view s) {
  if (s.find(':') != std::string_view::npos) return true;
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// group_name - "X25519", "P-256", ... for a negotiated group NID.
std::string group_name(int nid) {
  if (nid <= 0) return {};
  if (const char* nist = EC_curve_nid2nist(nid)) return nist;
  if (const char* sn = OBJ_nid2sn(nid)) return sn;
  return {};
}

}  // namespace

// init - the SSL object with its two memory BIOs.
void Session::Impl::init(SSL_CTX* ctx) {
  ERR_clear_error();
  ssl = SSL_new(ctx);
  if (ssl == nullptr) throw_openssl("SSL_new");
  rbio = BIO_new(BIO_s_mem());
  wbio = BIO_new(BIO_s_mem());
  if (rbio == nullptr || wbio == nullptr) {
    BIO_free(rbio);
    BIO_free(wbio);
    throw_openssl("BIO_new");
  }
  BIO_set_mem_eof_return(rbio, -1);  // empty input means "wait for more", not EOF
  SSL_set_bio(ssl, rbio, wbio);
  SSL_set_app_data(ssl, this);
  SSL_set_verify(ssl, SSL_get_verify_mode(ssl), &verify_cb);
  SSL_CTX_set_keylog_callback(ctx, &keylog_cb);  // idempotent: the same callback for every session
}

// begin - Idle -> Handshaking.
void Session::Impl::begin() {
  if (state == SessionState::Idle) state = SessionState::Handshaking;
}

// fail - enter Failed once, keeping the first reason.
void Session::Impl::fail(std::string why) {
  if (state == SessionState::Failed) return;
  state = SessionState::Failed;
  error = std::move(why);
}

// failure_text - what went wrong, from the SSL error code, the error queue and the verify result.
std::string Session::Impl::failure_text(int ssl_error) {
  std::string reasons = openssl_errors();
  if (reasons.empty()) {
    if (ssl_error == SSL_ERROR_SYSCALL) reasons = "unexpected end of the TLS stream";
    else reasons = "TLS error " + std::to_string(ssl_error);
  }
  long v = SSL_get_verify_result(ssl);
  if (v != X509_V_OK && reasons.find("certificate verify failed") != std::string::npos)
    reasons += std::string(": ") + X509_verify_cert_error_string(v);
  return reasons;
}

// capture - remember what was negotiated once the handshake completes.
void Session::Impl::capture() {
  version = SSL_get_version(ssl);
  if (const char* c = SSL_get_cipher_name(ssl)) cipher = c;
  group = group_name(SSL_get_negotiated_group(ssl));
}

// pump - advance the handshake, flush pending plaintext, send a requested close, read records.
void Session::Impl::pump() {
  if (state != SessionState::Handshaking && state != SessionState::Established) return;
  ERR_clear_error();
  if (state == SessionState::Handshaking) {
    int r = SSL_do_handshake(ssl);
    if (r != 1) {
      int e = SSL_get_error(ssl, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return;
      fail(failure_text(e));
      return;
    }
    state = SessionState::Established;
    hs_done = true;
    capture();
  }
  while (!out_plain.empty()) {
    std::size_t n = std::min<std::size_t>(out_plain.size(), 1 << 20), done = 0;
    ERR_clear_error();
    int r = SSL_write_ex(ssl, out_plain.data(), n, &done);
    if (r == 1) {
      out_plain.erase(0, done);
      continue;
    }
    int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) break;
    fail("record layer (write): " + failure_text(e));
    return;
  }
  if (close_requested && !close_sent && out_plain.empty()) {
    ERR_clear_error();
    SSL_shutdown(ssl);  // queues close_notify; 0 = the peer's has not arrived yet, fine
    ERR_clear_error();
    close_sent = true;
  }
  if (close_received) return;
  char buf[16384];
  for (;;) {
    std::size_t got = 0;
    ERR_clear_error();
    int r = SSL_read_ex(ssl, buf, sizeof buf, &got);
    if (r == 1) {
      in_plain.append(buf, got);
      continue;
    }
    int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_ZERO_RETURN) {
      close_received = true;
    } else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      fail("record layer: " + failure_text(e));
    }
    return;
  }
}

// ---- Session ----

// Session (client) - SNI and hostname check per params.
Session::Session(const ClientContext& ctx, const ClientParams& params) : p_(std::make_unique<Impl>()) {
  p_->role = Role::Client;
  p_->cctx = ctx;
  p_->init(ctx.native());
  SSL_set_connect_state(p_->ssl);
  const std::string& name = params.server_name;
  if (!name.empty()) {
    bool ip = looks_like_ip(name);
    if (params.send_sni && !ip) {
      if (!SSL_set_tlsext_host_name(p_->ssl, name.c_str())) throw_openssl("SNI \"" + name + "\"");
      p_->sni_sent = name;
    }
    if (params.check_name) {
      int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(p_->ssl), name.c_str())
                  : SSL_set1_host(p_->ssl, name.c_str());
      if (!ok) throw_openssl("expected server name \"" + name + "\"");
    }
  }
}

// Session (server) - waits for a ClientHello.
Session::Session(const ServerContext& ctx) : p_(std::make_unique<Impl>()) {
  p_->role = Role::Server;
  p_->sctx = ctx;
  p_->init(ctx.native());
  SSL_set_accept_state(p_->ssl);
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

// start - for a client, produces the ClientHello.
void Session::start() {
  p_->begin();
  p_->pump();
}

// feed - queue ciphertext for OpenSSL and let it run.
void Session::feed(std::string_view ciphertext) {
  if (p_->state == SessionState::Failed) return;
  p_->begin();
  p_->bytes_in += ciphertext.size();
  std::size_t off = 0;
  while (off < ciphertext.size()) {
    std::size_t n = std::min<std::size_t>(ciphertext.size() - off, 1 << 30);
    int w = BIO_write(p_->rbio, ciphertext.data() + off, static_cast<int>(n));
    if (w <= 0) {
      p_->fail("out of memory buffering TLS input");
      return;
    }
    off += static_cast<std::size_t>(w);
  }
  p_->pump();
}

// take_ciphertext - drain the outgoing memory BIO.
std::string Session::take_ciphertext() {
  char* data = nullptr;
  long n = BIO_get_mem_data(p_->wbio, &data);
  if (n <= 0) return {};
  std::string out(data, static_cast<std::size_t>(n));
  (void)BIO_reset(p_->wbio);
  p_->bytes_out += out.size();
  return out;
}

// write - buffer and encrypt when possible.
bool Session::write(std::string_view plaintext) {
  if (p_->state == SessionState::Failed || p_->close_requested) return false;
  p_->out_plain.append(plaintext);
  p_->pump();
  return p_->state != SessionState::Failed;
}

// take_plaintext - hand over what was decrypted.
std::string Session::take_plaintext() {
  std::string out;
  out.swap(p_->in_plain);
  return out;
}

// close - close_notify after pending data (deferred until the handshake is done).
void Session::close() {
  p_->close_requested = true;
  p_->pump();
}

// transport_eof - the byte stream under us ended.
void Session::transport_eof() {
  if (p_->state == SessionState::Handshaking || p_->state == SessionState::Idle) {
    if (p_->state == SessionState::Handshaking) p_->fail("connection closed during the TLS handshake");
  } else if (p_->state == SessionState::Established && !p_->close_received) {
    p_->truncated = true;
  }
}

Role Session::role() const { return p_->role; }
SessionState Session::state() const { return p_->state; }
bool Session::handshake_done() const { return p_->hs_done; }
const std::string& Session::error() const { return p_->error; }
std::string Session::version() const { return p_->version; }
std::string Session::cipher() const { return p_->cipher; }
std::string Session::group() const { return p_->group; }

// peer_verified - a peer certificate was seen and the verify result (chain + name) is OK.
bool Session::peer_verified() const {
  return SSL_get0_peer_certificate(p_->ssl) != nullptr && SSL_get_verify_result(p_->ssl) == X509_V_OK;
}

// verify_error - OpenSSL's text for the verify result, when a certificate failed.
std::string Session::verify_error() const {
  if (!p_->presented && SSL_get0_peer_certificate(p_->ssl) == nullptr) return {};
  long v = SSL_get_verify_result(p_->ssl);
  return v == X509_V_OK ? std::string() : X509_verify_cert_error_string(v);
}

// peer_cert - the peer's certificate, or the one it presented before verification rejected it.
Cert Session::peer_cert() const {
  X509* x = SSL_get1_peer_certificate(p_->ssl);
  return x ? Cert(x) : p_->presented;
}

// server_name - the SNI sent (client) or received (server).
std::string Session::server_name() const {
  if (p_->role == Role::Client) return p_->sni_sent;
  const char* s = SSL_get_servername(p_->ssl, TLSEXT_NAMETYPE_host_name);
  return s ? s : "";
}

bool Session::close_sent() const { return p_->close_sent; }
bool Session::close_received() const { return p_->close_received; }
bool Session::truncated() const { return p_->truncated; }

// info - what on_tls reports.
TlsInfo Session::info() const {
  TlsInfo i;
  i.ok = p_->hs_done;
  i.version = p_->version;
  i.cipher = p_->cipher;
  i.peer_verified = p_->hs_done && peer_verified();
  i.error = p_->hs_done ? std::string() : p_->error;
  return i;
}

const std::vector<std::string>& Session::keylog() const { return p_->keylog; }
std::uint64_t Session::bytes_in() const { return p_->bytes_in; }
std::uint64_t Session::bytes_out() const { return p_->bytes_out; }

// to_string - state names for transcripts.
const char* to_string(SessionState s) {
  switch (s) {
    case SessionState::Idle: return "idle";
    case SessionState::Handshaking: return "handshaking";
    case SessionState::Established: return "established";
    case SessionState::Failed: return "failed";
  }
  return "?";
}

}  // namespace smtpsim::tls
