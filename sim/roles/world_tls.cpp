// world_tls.cpp - the run's PKI and the adapter from sim/tls sessions to the connection driver.
#include <openssl/ssl.h>

#include <stdexcept>

#include "sim/roles/world_context.hpp"
#include "sim/tls/tls_context.hpp"
#include "sim/tls/tls_pki.hpp"
#include "sim/tls/tls_random.hpp"
#include "sim/tls/tls_session.hpp"

namespace smtpsim {

namespace {

// SessionEndpoint - TlsEndpoint over a tls::Session.
class SessionEndpoint final : public TlsEndpoint {
 public:
  explicit SessionEndpoint(tls::Session s) : s_(std::move(s)) {}
  void start() override { s_.start(); }
  void feed_ciphertext(std::string_view b) override { s_.feed(b); }
  std::string take_ciphertext() override { return s_.take_ciphertext(); }
  void write_plaintext(std::string_view b) override { s_.write(b); }
  std::string take_plaintext() override { return s_.take_plaintext(); }
  bool handshake_done() const override { return s_.handshake_done(); }
  bool failed() const override { return s_.failed(); }
  TlsInfo info() const override { return s_.info(); }

 private:
  tls::Session s_;
};

}  // namespace

WorldTls::WorldTls(std::uint64_t seed)
    : lib_(tls::LibContext::seeded(seed ^ 0x7115eedULL)), pki_(std::make_unique<tls::Pki>(seed, lib_)) {
  tls::ClientOptions verify;
  verify.lib = lib_;
  verify.verify = tls::Verify::Peer;
  client_verify_ = std::make_shared<tls::ClientContext>(std::vector<tls::Cert>{pki_->ca().cert}, verify);
  tls::ClientOptions none;
  none.lib = lib_;
  none.verify = tls::Verify::None;
  client_noverify_ = std::make_shared<tls::ClientContext>(std::vector<tls::Cert>{pki_->ca().cert}, none);
}

WorldTls::~WorldTls() = default;

std::shared_ptr<tls::ServerContext> WorldTls::server_ctx(const std::string& host, bool impostor, bool live) {
  std::string key = (live ? "~" : "") + std::string(impostor ? "!" : "") + host;
  auto it = servers_.find(key);
  if (it != servers_.end()) return it->second;
  tls::CertOptions cert_opts;
  cert_opts.extra_names = live_dns_;
  cert_opts.ip_addresses = live_ips_;
  tls::Credential cred = impostor ? pki_->self_signed(host, cert_opts) : pki_->issue(host, cert_opts);
  tls::ServerOptions opts;
  if (!live) opts.lib = lib_;  // null: OpenSSL's default library context, real randomness
  auto ctx = std::make_shared<tls::ServerContext>(cred, opts);
  if (keylog_) ctx->set_keylog(keylog_);
  servers_[key] = ctx;
  return ctx;
}

TlsFactory WorldTls::factory(const std::string& host, TlsVerify verify, bool impostor, bool live) {
  return [this, host, verify, impostor, live](bool server, const std::string& peer) -> std::unique_ptr<TlsEndpoint> {
    try {
      if (server) return std::make_unique<SessionEndpoint>(tls::Session(*server_ctx(host, impostor, live)));
      tls::ClientParams p;
      p.server_name = peer;
      p.check_name = !peer.empty();
      const tls::ClientContext& ctx = verify == TlsVerify::Peer ? *client_verify_ : *client_noverify_;
      return std::make_unique<SessionEndpoint>(tls::Session(ctx, p));
    } catch (const std::exception&) {
      return nullptr;  // the driver reports "TLS is not configured" and the engine carries on
    }
  };
}

int WorldTls::cipher_bits(const std::string& cipher) {
  if (cipher.empty()) return 0;
  auto it = cipher_bits_.find(cipher);
  if (it != cipher_bits_.end()) return it->second;
  int bits = 0;
  // Every suite this OpenSSL can negotiate (TLS 1.3 ones included) is in a default context's list.
  // Made in the world's context: its ticket keys draw from the world's stream like every other
  // context of the run (and live in no other context).
  if (SSL_CTX* ctx = SSL_CTX_new_ex(lib_->native(), nullptr, TLS_method())) {
    STACK_OF(SSL_CIPHER)* list = SSL_CTX_get_ciphers(ctx);
    for (int i = 0; list && i < sk_SSL_CIPHER_num(list); ++i) {
      const SSL_CIPHER* c = sk_SSL_CIPHER_value(list, i);
      const char* std_name = SSL_CIPHER_standard_name(c);
      if (cipher == SSL_CIPHER_get_name(c) || (std_name && cipher == std_name)) {
        bits = SSL_CIPHER_get_bits(c, nullptr);
        break;
      }
    }
    SSL_CTX_free(ctx);
  }
  cipher_bits_[cipher] = bits;
  return bits;
}

void WorldTls::set_keylog(std::function<void(std::string_view line)> sink) {
  keylog_ = sink ? std::make_shared<tls::KeylogSink>(std::move(sink)) : nullptr;
  client_verify_->set_keylog(keylog_);
  client_noverify_->set_keylog(keylog_);
  for (auto& [name, ctx] : servers_) ctx->set_keylog(keylog_);
}

std::string WorldTls::ca_pem() const { return pki_->ca_pem(); }
std::string WorldTls::host_cert_pem(const std::string& host) { return pki_->issue(host).fullchain_pem(); }
std::string WorldTls::host_key_pem(const std::string& host) { return pki_->issue(host).key_pem(); }

void WorldContext::note(std::string_view host, std::string_view text, std::string_view msg,
                        std::string_view rcpt) const {
  event(TraceKind::Note, host, text, msg, rcpt);
}

void WorldContext::event(TraceKind kind, std::string_view host, std::string_view text, std::string_view msg,
                         std::string_view rcpt, int code, std::string_view peer) const {
  TraceView e;
  e.time = sched.now();
  e.kind = kind;
  e.host = host;
  e.peer = peer;
  e.text = text;
  e.msg = msg;
  e.rcpt = rcpt;
  e.code = code;
  trace.emit_view(e);
}

}  // namespace smtpsim
