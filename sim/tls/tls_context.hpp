// tls_context.hpp - server and client TLS configuration (OpenSSL SSL_CTX), shared by many sessions.
//
// Both sides: TLS 1.2..1.3 (TLS 1.3 preferred; cap at 1.2 with max_version), explicit cipher and
// group lists (so the machine's openssl.cnf cannot change what goes on the wire), no session
// tickets, no session cache (nothing that depends on wall time or on earlier runs).
// Server: a default credential plus optional per-name credentials picked by the client's SNI.
// Client: trusts the given CA certificates; Verify::Peer aborts the handshake on a bad certificate
// or name, Verify::None (opportunistic SMTP TLS) carries on but still records whether the
// certificate would have verified. Validity is checked against a fixed time (kSimVerifyTime).
#pragma once
#include <openssl/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/tls/tls_pki.hpp"
#include "sim/tls/tls_random.hpp"

namespace smtpsim::tls {

// Version - the protocol versions the simulation speaks.
enum class Version : unsigned char { Tls12, Tls13 };
// to_string - "TLSv1.2" / "TLSv1.3", as OpenSSL names them.
const char* to_string(Version v);

// Defaults equal OpenSSL 3.0's own preferences restricted to forward-secret AEAD suites.
inline constexpr const char* kDefaultCipherList =  // TLS 1.2
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";
inline constexpr const char* kDefaultCipherSuites =  // TLS 1.3
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
inline constexpr const char* kDefaultGroups = "X25519:P-256:X448:P-521:P-384";

// TlsOptions - what both sides configure.
struct TlsOptions {
  Version min_version = Version::Tls12;
  Version max_version = Version::Tls13;
  std::string cipher_list = kDefaultCipherList;    // TLS 1.2 suites (OpenSSL cipher string)
  std::string ciphersuites = kDefaultCipherSuites;  // TLS 1.3 suites
  std::string groups = kDefaultGroups;             // key exchange groups, preferred first
  // lib - the OpenSSL library context the SSL_CTX and its sessions draw randomness from: a seeded
  // one (a world's, or pki.lib()) for reproducible bytes; null = OpenSSL's default, real randomness.
  LibCtxPtr lib;
};

struct ServerOptions : TlsOptions {};

// Verify - what a client does with the server's certificate.
enum class Verify : unsigned char {
  None,  // accept any certificate (opportunistic STARTTLS); the result is still recorded
  Peer,  // abort the handshake unless the chain reaches a trusted CA and the name matches
};

struct ClientOptions : TlsOptions {
  Verify verify = Verify::Peer;
  std::int64_t verify_time = kSimVerifyTime;  // unix seconds used as "now" for validity checks
};

// KeylogSink - receives one NSS key log line (no newline) per secret a session derives (OpenSSL's
// SSL_CTX_set_keylog_callback): "CLIENT_RANDOM ..." for TLS 1.2, "CLIENT_HANDSHAKE_TRAFFIC_SECRET
// ...", "SERVER_TRAFFIC_SECRET_0 ..." etc. for TLS 1.3. Wireshark/tshark decrypt with them.
using KeylogSink = std::function<void(std::string_view line)>;
// forward_keylog - hand one key log line of `ssl` to the sink of its context (set_keylog), if any.
void forward_keylog(const SSL* ssl, const char* line);

// ServerContext - an SSL_CTX for the server role; copies share it.
class ServerContext {
 public:
  // ServerContext - serve `cred` (throws TlsError if OpenSSL rejects the options or the key).
  explicit ServerContext(const Credential& cred, const ServerOptions& opts = {});
  // add_credential - another certificate, chosen when the client's SNI matches one of its names.
  void add_credential(const Credential& cred);
  // credential_for - the credential a client asking for `sni` gets (the first added that matches,
  // else the default one).
  const Credential& credential_for(std::string_view sni) const;

  // set_keylog - hand every later session's secrets to `sink` (nullptr: stop).
  void set_keylog(std::shared_ptr<KeylogSink> sink);

  const ServerOptions& options() const;
  SSL_CTX* native() const;

  struct State;

 private:
  std::shared_ptr<State> s_;
};

// ClientContext - an SSL_CTX for the client role; copies share it.
class ClientContext {
 public:
  // ClientContext - trust `trusted` (usually {pki.ca().cert}); throws TlsError on bad options.
  explicit ClientContext(const std::vector<Cert>& trusted = {}, const ClientOptions& opts = {});

  // set_keylog - hand every later session's secrets to `sink` (nullptr: stop).
  void set_keylog(std::shared_ptr<KeylogSink> sink);

  const ClientOptions& options() const;
  SSL_CTX* native() const;

  struct State;

 private:
  std::shared_ptr<State> s_;
};

// ClientParams - per connection: which server the client thinks it is talking to.
struct ClientParams {
  std::string server_name;  // e.g. the MX host name; "" = none (no SNI, no name check)
  bool send_sni = true;     // put server_name in the SNI extension
  bool check_name = true;   // verify the certificate is for server_name (SSL_set1_host)
};

}  // namespace smtpsim::tls
