// world_context.hpp - what every role of a run shares: clock, trace, network, DNS, TLS, ledger.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/mail/mail_date.hpp"
#include "sim/net/dns.hpp"
#include "sim/net/network.hpp"
#include "sim/roles/role_conn.hpp"
#include "sim/roles/world_ledger.hpp"

namespace smtpsim {

namespace tls { class Pki; class ServerContext; class ClientContext; class LibContext; }

// TlsVerify - how a client side checks the server's certificate.
enum class TlsVerify : unsigned char { None, Peer };

// WorldTls - the run's CA and the TLS configuration of each host, made on first use.
class WorldTls {
 public:
  explicit WorldTls(std::uint64_t seed);
  ~WorldTls();
  // factory - the TLS maker for connections of `host`: as server it presents the host's
  // certificate (or a self-signed one when `impostor`), as client it verifies as told.
  // `live`: a server side for a real client of the live bridge - the same certificate, but the
  // session draws OpenSSL's real randomness, not the world's seeded stream.
  TlsFactory factory(const std::string& host, TlsVerify verify, bool impostor = false, bool live = false);
  // ca_pem - the simulation CA, for the live bridge and for people who want to look at it.
  std::string ca_pem() const;
  // host_cert_pem / host_key_pem - a host's credential (issued on demand).
  std::string host_cert_pem(const std::string& host);
  std::string host_key_pem(const std::string& host);
  // set_live_names - the live bridge: every server certificate issued from now on also names these
  // (so real clients connecting to 127.0.0.1 / ::1 / localhost verify it). Call before the start.
  void set_live_names(std::vector<std::string> dns, std::vector<std::string> ips) {
    live_dns_ = std::move(dns);
    live_ips_ = std::move(ips);
  }
  // cipher_bits - the secret key bits of a cipher suite by its name ("TLS_AES_256_GCM_SHA384" ->
  // 256), as OpenSSL reports them for Received headers' "(256/256 bits)"; 0 when unknown.
  int cipher_bits(const std::string& cipher);
  // set_keylog - every TLS session of the run (both ends) hands its secrets to `sink`, one NSS key
  // log line each (`smtpsim run --keylog`); nullptr stops it.
  void set_keylog(std::function<void(std::string_view line)> sink);

 private:
  std::shared_ptr<tls::ServerContext> server_ctx(const std::string& host, bool impostor, bool live = false);
  // lib_ - the world's own OpenSSL library context, seeded from the run's seed: every key,
  // certificate, SSL_CTX and session of the world draws from it and from nothing global.
  std::shared_ptr<tls::LibContext> lib_;
  std::unique_ptr<tls::Pki> pki_;
  std::map<std::string, std::shared_ptr<tls::ServerContext>> servers_;
  std::shared_ptr<tls::ClientContext> client_verify_;
  std::shared_ptr<tls::ClientContext> client_noverify_;
  std::map<std::string, int> cipher_bits_;  // OpenSSL's answers, asked once per name
  std::shared_ptr<std::function<void(std::string_view)>> keylog_;  // the run's key log sink, if any
  std::vector<std::string> live_dns_, live_ips_;  // extra names of server certificates (live mode)
};

// WorldContext - handed to every role; owned by the World.
struct WorldContext {
  Scheduler& sched;
  Trace& trace;
  Network& net;
  DnsZones& zones;
  MailLedger& ledger;
  WorldTls& tls;
  Rng rng;                    // the run's root stream; roles derive their own from it
  HostId dns_host = kNoHost;  // where resolvers send queries
  mail::MailClock clock;      // the wall date shown in Date: and Received: headers at virtual 0

  // note - a Note trace line at the current time.
  void note(std::string_view host, std::string_view text, std::string_view msg = {},
            std::string_view rcpt = {}) const;
  // event - a trace line of any kind at the current time.
  void event(TraceKind kind, std::string_view host, std::string_view text, std::string_view msg = {},
             std::string_view rcpt = {}, int code = 0, std::string_view peer = {}) const;
};

}  // namespace smtpsim
