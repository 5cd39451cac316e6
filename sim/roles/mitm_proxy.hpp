// mitm_proxy.hpp - a man in the middle: a host cabled into a link that transparently takes over
// the SMTP connections crossing it, relays them, reads what is plaintext and optionally tampers.
//
// Model (how the interception works, and why this way):
//  * The MITM is inline: the lesson's link a <-> b is built as a <-> mitm <-> b, so every packet
//    between the two sides crosses the MITM's host, like an attacker's box spliced into a cable,
//    a compromised router, or a "protocol inspecting" firewall (Cisco ASA's ESMTP inspection is the
//    classic STARTTLS stripper, and the source of the "XXXXXXXA" below).
//  * It intercepts TCP ports 25 and 587 transparently (Network::intercept, like iptables TPROXY):
//    a client's SYN to the server stops at the MITM, which accepts it in the server's name and
//    address, then opens its own connection to the real server presenting the client's name and
//    address (Network::connect_as). Neither end can tell from the addresses; both still believe
//    they talk to each other. Nothing else is touched: DNS, POP3 and other traffic is routed
//    through untouched. (It answers the client's SYN at once; if the real server then cannot be
//    reached, the client's connection is reset.)
//  * It splices the two connections (like the cluster balancer) and parses the SMTP dialogue in
//    both directions while it is plaintext: every client command is written to the trace as a
//    Note "mitm read: MAIL FROM:<...>", a whole message read in DATA as "mitm read a whole
//    message ...". Once client and server have agreed on STARTTLS (220) it can only relay
//    ciphertext, and says so.
//
// Modes:
//  * Relay: reads plaintext, changes nothing.
//  * StripStartTls: in the server's EHLO reply the line "250-STARTTLS" (or "250 STARTTLS") becomes
//    "250-XXXXXXXA" - the same length, so the multiline reply stays valid and the client simply
//    sees an unknown extension. A client that sends STARTTLS anyway gets it rewritten to
//    "XXXXXXXX" (the server answers 500 unrecognised). An opportunistic client then goes on in
//    plaintext; a client that requires TLS gives up ("TLS required but not offered").
//  * Impersonate: the MITM answers the client's STARTTLS itself (220) and runs TLS with a
//    self-signed certificate in the server's name, while doing its own STARTTLS with the server.
//    A client that does not verify certificates accepts it and the MITM reads everything inside
//    TLS; a verifying client refuses the forged certificate and the MITM learns nothing more.
#pragma once
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/roles/world_context.hpp"

namespace smtpsim {

// MitmMode - what the man in the middle does to the conversations it relays.
enum class MitmMode : unsigned char { Relay, StripStartTls, Impersonate };
const char* to_string(MitmMode m);  // "relay" / "strip-starttls" / "impersonate"

struct MitmConfig {
  std::string name;                          // the MITM's host name
  std::vector<std::uint16_t> ports{25, 587};  // intercepted TCP ports (SMTP, submission)
  MitmMode mode = MitmMode::Relay;
};

// MitmCapture - one message the MITM read in full (MAIL FROM to the final ".").
struct MitmCapture {
  std::string client, server;        // host names of the two ends
  std::string mail_from;             // the MAIL FROM argument as sent ("<a@a.example>")
  std::vector<std::string> rcpt_to;  // the RCPT TO arguments
  std::string data;                  // the message as the server receives it (dot-unstuffed, CRLF)
  bool inside_tls = false;           // read from inside a TLS session it impersonated
  SimTime at = 0;
};

struct MitmStats {
  std::uint64_t connections = 0;       // connections intercepted
  std::uint64_t stripped = 0;          // EHLO replies it removed STARTTLS from
  std::uint64_t blocked = 0;           // client STARTTLS commands it rewrote to XXXXXXXX
  std::uint64_t tls_passed = 0;        // TLS sessions it could only relay as ciphertext
  std::uint64_t impersonated = 0;      // clients that accepted its forged certificate
  std::uint64_t forgery_refused = 0;   // clients that refused it
};

class MitmProxy {
 public:
  MitmProxy(WorldContext& ctx, HostId self, MitmConfig cfg);
  ~MitmProxy();
  MitmProxy(const MitmProxy&) = delete;
  MitmProxy& operator=(const MitmProxy&) = delete;

  // start - begin intercepting (again after a restart).
  void start();
  // on_host_change - the MITM's own host went down (its relayed connections die) or came up.
  void on_host_change(bool up);

  const std::string& name() const { return cfg_.name; }
  const MitmConfig& config() const { return cfg_; }
  // set_mode - do something else from now on (sessions already relayed switch at their next line).
  void set_mode(MitmMode m) { cfg_.mode = m; }
  const MitmStats& stats() const { return stats_; }
  // lines - every client command line it read, in order ("EHLO mta.a.example", "MAIL FROM:<...>").
  const std::vector<std::string>& lines() const { return lines_; }
  // captures - the whole messages it read.
  const std::vector<MitmCapture>& captures() const { return captures_; }
  // active - connections it is relaying now.
  std::size_t active() const { return sessions_.size(); }

 private:
  struct Session;
  void accept(StreamPtr client);
  void connected(const std::shared_ptr<Session>& s, StreamPtr server);
  void from_client(const std::shared_ptr<Session>& s, std::string_view bytes);
  void from_server(const std::shared_ptr<Session>& s, std::string_view bytes);
  void client_text(const std::shared_ptr<Session>& s, std::string_view text);
  void server_text(const std::shared_ptr<Session>& s, std::string_view text);
  // client_line / server_line - one complete line: what to pass on (maybe rewritten, maybe nothing).
  std::string client_line(const std::shared_ptr<Session>& s, const std::string& line, bool& stop);
  std::string server_line(const std::shared_ptr<Session>& s, const std::string& line);
  void write_client(const std::shared_ptr<Session>& s, std::string_view text);
  void write_server(const std::shared_ptr<Session>& s, std::string_view text);
  void impersonate(const std::shared_ptr<Session>& s);
  void pump_client_tls(const std::shared_ptr<Session>& s);
  void pump_server_tls(const std::shared_ptr<Session>& s);
  void end(const std::shared_ptr<Session>& s, bool reset);
  void note(const std::shared_ptr<Session>& s, const std::string& text, const std::string& msg = {});
  void trace_tls(const StreamPtr& st, const std::string& text, int code);

  WorldContext& ctx_;
  HostId self_;
  MitmConfig cfg_;
  MitmStats stats_;
  std::vector<std::string> lines_;
  std::vector<MitmCapture> captures_;
  std::set<std::shared_ptr<Session>> sessions_;
  std::uint64_t generation_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace smtpsim
