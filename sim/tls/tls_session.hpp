// tls_session.hpp - one TLS endpoint over memory BIOs: usable over any byte transport.
//
// No sockets, no threads, no clock. The transport feeds what arrived from the network with feed()
// and sends what take_ciphertext() returns; the application writes plaintext with write() and
// reads what arrived with take_plaintext(). Any fragmentation of the ciphertext is fine (one byte
// at a time works). Nothing throws after construction: a failed handshake or a broken record
// leaves state() == Failed with a readable error(), and any alert OpenSSL produced is still
// waiting in take_ciphertext() so the peer learns why.
//
//   Session c(client_ctx, {"mx.b.example"});  Session s(server_ctx);
//   c.start();                                 // ClientHello now in c.take_ciphertext()
//   s.feed(c.take_ciphertext()); c.feed(s.take_ciphertext()); ...  until both established()
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/tls/tls_context.hpp"

namespace smtpsim::tls {

enum class Role : unsigned char { Client, Server };

enum class SessionState : unsigned char {
  Idle,         // made, start()/feed() not yet called
  Handshaking,  // handshake in progress
  Established,  // handshake done; application data flows
  Failed,       // handshake failed, or a record failed after it (error() says which)
};
// to_string - "idle", "handshaking", "established", "failed".
const char* to_string(SessionState s);

class Session {
 public:
  // Session - a client endpoint that will talk to params.server_name (SNI + name check).
  Session(const ClientContext& ctx, const ClientParams& params);
  // Session - a server endpoint; it answers the first ClientHello fed to it.
  explicit Session(const ServerContext& ctx);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;

  // start - begin the handshake (a client's ClientHello becomes available); feed() also starts it.
  void start();
  // feed - ciphertext received from the network; advances the handshake and decrypts.
  void feed(std::string_view ciphertext);
  // take_ciphertext - bytes to send to the network (handshake, records, alerts, close_notify).
  std::string take_ciphertext();
  // write - plaintext to send; held until the handshake is done, then encrypted.
  // Ignored (returns false) after failure or after close().
  bool write(std::string_view plaintext);
  // take_plaintext - application data received and decrypted so far.
  std::string take_plaintext();
  // close - send close_notify once (after any pending plaintext); harmless if not established.
  void close();
  // transport_eof - the transport closed: a handshake still running fails ("connection closed
  // during the TLS handshake"); after it, a missing close_notify marks the stream truncated().
  void transport_eof();

  Role role() const;
  SessionState state() const;
  bool established() const { return state() == SessionState::Established; }
  bool failed() const { return state() == SessionState::Failed; }
  // handshake_done - the handshake completed (stays true if a later record fails).
  bool handshake_done() const;
  // error - why state() is Failed: "certificate verify failed: hostname mismatch", ...
  const std::string& error() const;

  std::string version() const;  // "TLSv1.3" once negotiated, else ""
  std::string cipher() const;   // "TLS_AES_256_GCM_SHA384"
  std::string group() const;    // key exchange group, "X25519"
  // peer_verified - client: the server's chain reached a trusted CA and (if checked) the name
  // matched, whether or not Verify::Peer was on. Server: a client certificate verified (never, as
  // we ask for none).
  bool peer_verified() const;
  // verify_error - why the peer's certificate did not verify ("" if it did or none was seen).
  std::string verify_error() const;
  // peer_cert - the certificate the peer presented (empty Cert if none), also when verification
  // rejected it: a lesson can show who the man in the middle claimed to be.
  Cert peer_cert() const;
  std::string peer_subject() const { return peer_cert().subject(); }
  // server_name - client: the SNI it sent; server: the SNI it received ("" if none).
  std::string server_name() const;

  bool close_sent() const;      // our close_notify is out
  bool close_received() const;  // the peer's close_notify arrived (clean end of its data)
  bool truncated() const;       // transport ended after the handshake without close_notify

  // info - the summary the driver gives an Engine in on_tls().
  TlsInfo info() const;
  // keylog - NSS key log lines (SSLKEYLOGFILE format) so Wireshark can decrypt an exported pcap.
  const std::vector<std::string>& keylog() const;
  // bytes_in / bytes_out - ciphertext fed / taken so far.
  std::uint64_t bytes_in() const;
  std::uint64_t bytes_out() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> p_;
};

}  // namespace smtpsim::tls
