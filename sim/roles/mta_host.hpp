// mta_host.hpp - an SMTP host that takes responsibility for mail: MSA (587, AUTH), relay MTA and
// cluster member (25), MX (inbound for its domains) and final MTA with local delivery (MDA).
//
// [SECTION] index of the implementation:
//   mta_host.cpp     configuration, start/stop, crash and restart, queue inspection
//   mta_accept.cpp   the SMTP server side: listening, the policy, taking a message into the spool
//   mta_queue.cpp    per-recipient states, the retry clock, expiry, warnings
//   mta_deliver.cpp  delivery attempts: routing, connecting, the SMTP client session, results
//   mta_bounce.cpp   DSNs (bounces and delay warnings) back to the sender
//
// Mail accepted with 250 is in the spool first. A durable spool survives a crash (the queue
// resumes at restart); a volatile one loses its contents, and the ledger records the loss.
#pragma once
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <unordered_map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/mail/mail_directory.hpp"
#include "sim/mail/mail_mailbox.hpp"
#include "sim/mail/mail_mda.hpp"
#include "sim/mail/mail_msgid.hpp"
#include "sim/mail/mail_received.hpp"
#include "sim/roles/mta_due.hpp"
#include "sim/roles/mta_retry.hpp"
#include "sim/roles/mta_route.hpp"
#include "sim/roles/world_context.hpp"
#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_client_message.hpp"
#include "sim/smtp/smtp_policy.hpp"

namespace smtpsim {

class Conn;

struct MtaConfig {
  std::string name;                            // host name (also HELO name and Reporting-MTA)
  std::vector<std::uint16_t> ports{25};        // where the SMTP server listens
  bool submission = false;                     // MSA: AUTH required before MAIL (530 5.7.0)
  std::map<std::string, std::string> users;    // AUTH accounts (user -> password), MSA; none = AUTH not offered
  bool auth_plain = true;                      // AUTH mechanisms offered (MSA auth_mechs)
  bool auth_login = true;
  bool relay_without_auth = false;             // MSA with auth optional/off: every client may submit
                                               // (RFC 6409 4.3: authorised some other way)
  std::set<std::string> relay_domains;         // accepted from anyone and forwarded (MX role)
  std::set<std::string> relay_clients;         // host names that may relay anywhere (trusted network)
  std::map<std::string, std::string> transport;// domain -> next-hop host (MX -> MDA host)
  std::string relay_to;                        // smarthost for everything else ("" = MX lookup)
  RetrySchedule retry = *retry_preset("story");
  bool durable_spool = true;
  int max_per_destination = 2;                 // parallel connections to one destination
  int max_messages_per_connection = 50;        // connection reuse
  int max_received = 50;                       // loop detection: more Received headers -> 554 5.4.6
  std::uint64_t max_message_size = 10'240'000; // SIZE offered; bigger -> 552 5.3.4
  bool offer_starttls = true;                  // server side
  bool require_starttls = false;               // 530 5.7.0 until the client uses STARTTLS
  bool greylist = false;                       // 451 4.7.1 to first attempts (postgrey)
  Duration greylist_delay = minutes(5);
  bool require_tls_for_auth = true;            // 538 5.7.11 for AUTH before STARTTLS
  smtp::TlsMode tls_out = smtp::TlsMode::Opportunistic;  // client side
  TlsVerify tls_verify = TlsVerify::None;
  std::optional<smtp::Credentials> relay_auth; // AUTH towards relay_to
  Duration dns_timeout = sec(5);
  // extra_rcpt_check - one more RCPT rule after the standard ones (the live bridge's "no open
  // relay for real clients"); nullopt = accept. Unset: no extra rule.
  std::function<std::optional<smtp::ServerReply>(const smtp::SessionFacts&, const smtp::RcptTo&)> extra_rcpt_check;
  // Local delivery (an MDA on this host) for the directory's domains.
  std::shared_ptr<mail::Directory> directory;
  std::shared_ptr<mail::MailboxStore> store;
};

// RcptState - where one recipient of one queued message stands.
enum class RcptState : unsigned char { Queued, InFlight, Deferred, Delivered, Bounced };
const char* to_string(RcptState s);

struct QueueRcpt {
  std::string address;
  unsigned notify = 0;        // smtp::NotifyFlags as received (0 = not given)
  std::string orcpt;
  RcptState state = RcptState::Queued;
  RetryState retry;
  SimTime next_at = 0;        // next attempt (Queued/Deferred)
  SimTime last_attempt = -1;
  std::string last_reply;     // "451 4.3.0 Try again later" / "connect to ...: timed out"
  std::string last_host;      // the host that gave it
  bool warned = false;        // a delay warning went out
};

struct QueueEntry {
  std::string qid;
  std::string msgid;          // Message-ID header (ledger key)
  std::string sender;         // "" = null reverse path (a DSN)
  std::string envid;
  smtp::DsnRet ret = smtp::DsnRet::Unspecified;
  smtp::BodyType body = smtp::BodyType::Unspecified;
  std::string data;           // the message as stored, our Received header on top
  SimTime arrival = 0;
  std::string received_from;  // the client it came from (for DSN texts)
  bool is_dsn = false;
  std::vector<QueueRcpt> rcpts;
  EventId expiry;             // give-up timer when no attempt is left before the deadline
};

// QueueSnapshot - what `smtpsim` and the visualizer show of a queue at one moment.
struct QueueSnapshot {
  struct Line {
    std::string qid, msgid, sender, rcpt, state, last_reply, destination;
    int attempts = 0;
    SimTime arrival = 0, next_at = kNever, give_up_at = 0;
  };
  std::string host;
  std::vector<Line> lines;
  std::size_t active_connections = 0;
};

// Incoming - a message the SMTP server finished receiving, with the facts of its session.
struct Incoming {
  std::string sender;
  struct Rcpt { std::string address; unsigned notify = 0; std::string orcpt; };
  std::vector<Rcpt> rcpts;
  std::string data;            // as received (dot-unstuffed, CRLF)
  std::string envid;
  smtp::DsnRet ret = smtp::DsnRet::Unspecified;
  smtp::BodyType body = smtp::BodyType::Unspecified;
  std::string helo;
  std::string client_name;
  std::uint32_t client_ip = 0;
  bool tls = false;
  std::string tls_detail;      // "TLSv1.3 TLS_AES_256_GCM_SHA384" (version, space, cipher)
  int tls_bits = 0;            // the cipher's key bits (Received: "(256/256 bits)"); 0 = unknown
  std::string auth_user;
};

// AcceptResult - the queue id (250) or the reply refusing the message.
struct AcceptResult {
  bool ok = false;
  std::string qid;
  int code = 0;
  std::string enhanced;
  std::string text;
};

class MtaHost {
 public:
  MtaHost(WorldContext& ctx, HostId host, MtaConfig cfg);
  ~MtaHost();
  MtaHost(const MtaHost&) = delete;
  MtaHost& operator=(const MtaHost&) = delete;

  // start - listen and run the queue (called at the start and after every restart).
  void start();
  // on_host_change - crash (abort sessions; keep or lose the spool) or restart (resume).
  void on_host_change(bool up);

  // accept - put a finished message into the spool (the server answers 250 only if ok).
  AcceptResult accept(Incoming in);
  // inject - a message made on this host (a DSN) straight into the spool.
  std::string inject(const std::string& sender, const std::vector<std::string>& rcpts, std::string data,
                     bool is_dsn);

  // AcceptObserver - sees each message as it enters the spool: the stored copy (our Received on
  // top) and, for one received over SMTP, what came in (null for a message made here, a DSN).
  using AcceptObserver = std::function<void(const QueueEntry& stored, const Incoming* in)>;
  // set_accept_observer - opt-in capture for the visualizer's message inspector (default none).
  void set_accept_observer(AcceptObserver fn) { accept_observer_ = std::move(fn); }

  // Inspection.
  QueueSnapshot snapshot() const;
  std::size_t queue_depth() const;              // messages not yet finished
  std::size_t active_connections() const { return attempts_.size(); }
  std::uint64_t delivered_out() const { return delivered_out_; }
  const MtaConfig& config() const { return cfg_; }
  MtaConfig& config() { return cfg_; }
  const std::string& name() const { return cfg_.name; }
  HostId host() const { return host_; }
  bool is_local_domain(const std::string& domain) const;
  // relay_allowed - may a client at this host name send to this recipient domain?
  bool relay_allowed(const std::string& client_name, const std::string& rcpt_domain, bool authenticated) const;
  // rcpt_check - the RCPT reply for a local recipient (unknown user 550 5.1.1), or ok.
  AcceptResult rcpt_check(const std::string& rcpt) const;

  // The server side's extra behaviour knobs live with the server config (mta_accept.cpp).
  struct ServerSide;
  ServerSide& server_side() { return *server_; }

 private:
  struct Item { std::string qid; std::size_t rcpt; };
  // Attempt - one delivery attempt to one destination: its route and its SMTP session.
  struct Attempt {
    std::string dest;
    std::vector<Item> items;
    std::uint64_t generation = 0;
    std::uint64_t id = 0;  // key in attempts_: creation order, never a heap address
    SimTime started = 0;
    std::vector<RouteTarget> targets;
    std::size_t next_target = 0;
    std::string last_error;
    std::string target_name;
    std::shared_ptr<Conn> conn;
  };

  // mta_host.cpp
  struct HeaderFixup {
    std::string msgid;   // the message's Message-ID (its own or the one added)
    std::string fields;  // the raw fields to add at the end of its header section
  };
  HeaderFixup complete_headers(std::string_view data, const std::string& sender, SimTime now, const std::string& date);
  mail::ReceivedFields received_fields(Incoming& in, const std::string& qid, std::string date) const;
  QueueEntry& spool_entry(QueueEntry&& e);
  // mta_accept.cpp
  void listen_all();
  void on_accept(StreamPtr s);
  // mta_queue.cpp
  std::string destination_of(const std::string& rcpt) const;
  void schedule_item(const std::string& qid, std::size_t r, SimTime at);
  void kick();
  void run_queue();
  std::vector<std::vector<Item>> connections_for(std::vector<Item> items) const;
  void release_waiting(const std::string& dest);
  void apply_delivered(const Item& it, std::string reply, const std::string& host);
  void apply_failed(const Item& it, const std::string& reply, const std::string& host, int code,
                    const std::string& enhanced);
  void apply_deferred(const Item& it, const std::string& reply, const std::string& host, SimTime attempt_start);
  void expire(const std::string& qid);
  void maybe_finish(const std::string& qid);
  using Spool = std::unordered_map<std::string, QueueEntry>;
  void finish_if_done(Spool::iterator e);
  // queue_event - trace one recipient's queue step: its state, "<qid>: " and the text, given in parts
  // so the line is built in one buffer; next_at: the next attempt's time (-1 = none scheduled).
  void queue_event(const QueueEntry& e, const QueueRcpt& r, QueueState state,
                   std::initializer_list<std::string_view> text, SimTime next_at = -1);
  // mta_deliver.cpp
  void start_attempt(const std::string& dest, std::vector<Item> items);
  void deliver_local(std::shared_ptr<Attempt> a);
  void try_target(std::shared_ptr<Attempt> a);
  std::vector<smtp::OutgoingMessage> outgoing_messages(const Attempt& a) const;
  void on_session_done(std::shared_ptr<Attempt> a, smtp::SmtpClient& client);
  static bool answered_item(const std::vector<Item>& items, const std::vector<bool>& answered, std::size_t k);
  void record_uncertain(const Attempt& a, const std::vector<smtp::MessageResult>& results);
  void abandon_attempts();
  void finish_attempt(std::shared_ptr<Attempt> a);
  void fail_attempt(std::shared_ptr<Attempt> a, bool permanent, int code, const std::string& enhanced,
                    const std::string& text, const std::string& host);
  void flush_notices();
  // mta_bounce.cpp
  // bounce - `expired`: given up after temporary failures (the DSN keeps their 4.x.x status).
  void bounce(const std::string& qid, const std::vector<std::size_t>& rcpts, bool expired);
  void warn_delay(const std::string& qid, const std::vector<std::size_t>& rcpts);


  WorldContext& ctx_;
  HostId host_;
  MtaConfig cfg_;
  Rng rng_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<mail::Mda> mda_;
  std::unique_ptr<ServerSide> server_;
  std::unordered_map<std::string, QueueEntry> spool_;  // qid -> entry; walk it with spool_ids()
  // spool_ids - the spool's queue ids, sorted: every walk that traces or lists something goes in
  // this order (the same on every build), never in the hash map's.
  std::vector<std::string> spool_ids() const;
  DueQueue due_;  // (time, qid, rcpt) of every recipient waiting for its next attempt
  std::map<std::string, int> inflight_;                        // destination -> connections
  std::map<std::string, std::deque<Item>> waiting_;            // held back by the concurrency limit
  // Keyed by creation number, not by pointer: a crash walks them with visible effects (trace
  // lines, delivery results), which must come in the same order in every process.
  std::map<std::uint64_t, std::shared_ptr<Attempt>> attempts_;
  std::map<std::uint64_t, std::shared_ptr<Conn>> server_conns_;
  std::uint64_t next_attempt_id_ = 1;
  std::uint64_t next_conn_id_ = 1;
  EventId queue_timer_;
  SimTime queue_timer_at_ = kNever;
  std::uint64_t generation_ = 1;
  mail::IdGenerator ids_;
  AcceptObserver accept_observer_;
  std::uint64_t delivered_out_ = 0;
  std::string queue_line_;  // queue_event's line buffer (only valid during one queue_event call)
  // Notices - recipients an attempt found failed, expired or late: at its end each message gets
  // one DSN per kind for all of them (as Postfix' bounce daemon does per queue file).
  struct Notices {
    std::map<std::string, std::vector<std::size_t>> failed, expired, delayed;
  } notices_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace smtpsim
