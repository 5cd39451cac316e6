// tls_context.cpp - building SSL_CTX objects for both roles, and SNI-based certificate choice.
#include "sim/tls/tls_context.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "sim/tls/tls_error.hpp"

namespace smtpsim::tls {

struct ServerContext::State {
  SSL_CTX* ctx = nullptr;
  ServerOptions opts;
  std::shared_ptr<KeylogSink> keylog;
  std::vector<Credential> creds;  // creds[0] is the default
  ~State() { SSL_CTX_free(ctx); }
};

struct ClientContext::State {
  SSL_CTX* ctx = nullptr;
  ClientOptions opts;
  std::shared_ptr<KeylogSink> keylog;
  ~State() { SSL_CTX_free(ctx); }
};

namespace {

// proto - the OpenSSL constant for a Version.
int proto(Version v) { return v == Version::Tls12 ? TLS1_2_VERSION : TLS1_3_VERSION; }

// configure - the settings both roles share; throws TlsError naming the bad option.
void configure(SSL_CTX* ctx, const TlsOptions& o) {
  if (static_cast<int>(o.min_version) > static_cast<int>(o.max_version))
    throw TlsError("TLS min_version is above max_version");
  if (!SSL_CTX_set_min_proto_version(ctx, proto(o.min_version)) ||
      !SSL_CTX_set_max_proto_version(ctx, proto(o.max_version)))
    throw_openssl("TLS protocol versions");
  if (!SSL_CTX_set_cipher_list(ctx, o.cipher_list.c_str()))
    throw_openssl("TLS 1.2 cipher list \"" + o.cipher_list + "\"");
  if (!SSL_CTX_set_ciphersuites(ctx, o.ciphersuites.c_str()))
    throw_openssl("TLS 1.3 ciphersuites \"" + o.ciphersuites + "\"");
  if (!SSL_CTX_set1_groups_list(ctx, o.groups.c_str()))
    throw_openssl("TLS groups \"" + o.groups + "\"");
  // Nothing that depends on wall time or earlier connections: no tickets, no session cache.
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

// chain_stack - a temporary STACK_OF(X509) view of a credential's chain (certs not owned).
STACK_OF(X509)* chain_stack(const Credential& c) {
  STACK_OF(X509)* sk = sk_X509_new_null();
  for (const auto& x : c.chain) sk_X509_push(sk, x.native());
  return sk;
}

// use_credential - load a credential into an SSL_CTX or SSL (whichever is given).
bool use_credential(SSL_CTX* ctx, SSL* ssl, const Credential& c) {
  STACK_OF(X509)* sk = chain_stack(c);
  int ok = ctx ? SSL_CTX_use_cert_and_key(ctx, c.cert.native(), c.key.native(), sk, 1)
               : SSL_use_cert_and_key(ssl, c.cert.native(), c.key.native(), sk, 1);
  sk_X509_free(sk);
  return ok == 1;
}

// server_cert_cb - after the ClientHello: switch to the credential whose names match the SNI.
int server_cert_cb(SSL* ssl, void* arg) {
  auto* st = static_cast<ServerContext::State*>(arg);
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (sni == nullptr || st->creds.size() < 2) return 1;  // the CTX's default credential stands
  for (std::size_t i = 1; i < st->creds.size(); ++i) {
    if (st->creds[i].cert.matches_host(sni) && !st->creds[0].cert.matches_host(sni))
      return use_credential(nullptr, ssl, st->creds[i]) ? 1 : 0;
  }
  return 1;
}

// install_keylog - point ctx's key log sink at `sink` (kept alive by the caller's State), or none.
// OpenSSL's callback itself is the one every Session installs (tls_session.cpp); it calls
// forward_keylog, which finds the sink here, as the SSL_CTX's app data.
void install_keylog(SSL_CTX* ctx, const std::shared_ptr<KeylogSink>& sink) { SSL_CTX_set_app_data(ctx, sink.get()); }

}  // namespace

// forward_keylog - a key log line of `ssl` to its context's sink, if one is set.
void forward_keylog(const SSL* ssl, const char* line) {
  auto* sink = static_cast<KeylogSink*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (sink && *sink && line) (*sink)(line);
}

// to_string - OpenSSL's version names.
const char* to_string(Version v) { return v == Version::Tls12 ? "TLSv1.2" : "TLSv1.3"; }

// ServerContext - TLS server SSL_CTX with the default credential loaded.
ServerContext::ServerContext(const Credential& cred, const ServerOptions& opts)
    : s_(std::make_shared<State>()) {
  if (!cred.cert || !cred.key) throw TlsError("TLS server needs a certificate and a private key");
  s_->opts = opts;
  s_->ctx = SSL_CTX_new_ex(native_ctx(opts.lib), nullptr, TLS_server_method());
  if (s_->ctx == nullptr) throw_openssl("SSL_CTX_new (server)");
  configure(s_->ctx, opts);
  if (!use_credential(s_->ctx, nullptr, cred)) throw_openssl("loading the server certificate and key");
  s_->creds.push_back(cred);
  SSL_CTX_set_cert_cb(s_->ctx, &server_cert_cb, s_.get());
}

// add_credential - checked now, so a bad key fails here rather than in a handshake.
void ServerContext::add_credential(const Credential& cred) {
  if (!cred.cert || !cred.key || X509_check_private_key(cred.cert.native(), cred.key.native()) != 1)
    throw_openssl("the extra server credential's key does not match its certificate");
  s_->creds.push_back(cred);
}

// credential_for - same choice as server_cert_cb.
const Credential& ServerContext::credential_for(std::string_view sni) const {
  if (sni.empty() || s_->creds[0].cert.matches_host(sni)) return s_->creds[0];
  for (std::size_t i = 1; i < s_->creds.size(); ++i)
    if (s_->creds[i].cert.matches_host(sni)) return s_->creds[i];
  return s_->creds[0];
}

// set_keylog - the sink lives in State as long as the SSL_CTX points at it.
void ServerContext::set_keylog(std::shared_ptr<KeylogSink> sink) {
  s_->keylog = std::move(sink);
  install_keylog(s_->ctx, s_->keylog);
}

const ServerOptions& ServerContext::options() const { return s_->opts; }
SSL_CTX* ServerContext::native() const { return s_->ctx; }

// ClientContext - TLS client SSL_CTX trusting `trusted`, verifying at a fixed time.
ClientContext::ClientContext(const std::vector<Cert>& trusted, const ClientOptions& opts)
    : s_(std::make_shared<State>()) {
  s_->opts = opts;
  s_->ctx = SSL_CTX_new_ex(native_ctx(opts.lib), nullptr, TLS_client_method());
  if (s_->ctx == nullptr) throw_openssl("SSL_CTX_new (client)");
  configure(s_->ctx, opts);
  X509_STORE* store = SSL_CTX_get_cert_store(s_->ctx);
  for (const auto& c : trusted) {
    if (!c) continue;
    if (!X509_STORE_add_cert(store, c.native())) throw_openssl("adding a trusted CA certificate");
  }
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(s_->ctx);
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(opts.verify_time));
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  SSL_CTX_set_verify(s_->ctx, opts.verify == Verify::Peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
}

// set_keylog - as ServerContext::set_keylog.
void ClientContext::set_keylog(std::shared_ptr<KeylogSink> sink) {
  s_->keylog = std::move(sink);
  install_keylog(s_->ctx, s_->keylog);
}

const ClientOptions& ClientContext::options() const { return s_->opts; }
SSL_CTX* ClientContext::native() const { return s_->ctx; }

}  // namespace smtpsim::tls
