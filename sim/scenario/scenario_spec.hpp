// scenario_spec.hpp - a lesson (scenario) file as plain data: what the loader produces and the runner
// builds a world from. No YAML types in here. Every element remembers where in the file it came from
// (SourceInfo), so the runner can report runtime problems against the lesson file too.
//
// [SECTION] index
//   positions and diagnostics ...... SourcePos, SourceInfo, Diagnostic
//   small value types .............. TimeWindow, CountCheck, Endpoint, Layout
//   enumerations ................... Role, TlsMode, AuthMech, AuthRequirement, Balance, SpoolMode,
//                                    RetryPreset, DnsFaultKind, Level (+ to_string)
//   retry schedule ................. RetryStage, RetrySpec
//   domains ........................ MxEntry, AddressRecord, UserSpec, DomainSpec
//   hosts .......................... SmtpServerOptions, OutboundOptions, *Options per role, HostSpec
//   links .......................... LinkSpec
//   mail to send ................... DsnSpec, MessageSpec
//   timeline ....................... LinkAction, HostAction, ReplyOverride, BehaviourChange,
//                                    DnsFaultAction, DnsChangeAction, NoteAction, TimelineEntry
//   narration ...................... EventMatcher, NarrationStep
//   expectations ................... Expectation
//   the whole file ................. LessonInfo, RunLength, ScenarioSpec
//
// Conventions: times (SimTime) are microseconds since the start of the run; durations likewise.
// Sizes are bytes, bandwidth bits per second. Host/domain names and addresses are stored lower-case.
// "Resolved" fields are filled by the loader from other parts of the file (documented per field).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim::scenario {

// ---------------------------------------------------------------------------------------------
// [SECTION] positions and diagnostics

// SourcePos - a 1-based line and column in the lesson file; line 0 means "not written in the file"
// (a default, or an element the loader created).
struct SourcePos {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
  friend auto operator<=>(const SourcePos&, const SourcePos&) = default;
};

// SourceInfo - where an element starts, and where the value of each key it was written with is.
struct SourceInfo {
  SourcePos pos;                                     // the element itself (its first key / its '{')
  std::map<std::string, SourcePos, std::less<>> keys;  // key -> position of that key's value;
                                                     // list entries as "to[0]", "to[1]", ...
  // at - the position of a key's value ("to[1]" falls back to "to"), or of the element when the
  // key was not written.
  SourcePos at(std::string_view key) const;
  bool has(std::string_view key) const { return keys.find(key) != keys.end(); }
};

enum class Severity : unsigned char { Error, Warning };

// Diagnostic - one problem found in a lesson file, printed as `file:line:column: message`.
struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 = about the whole file (cannot open, empty, ...)
  int column = 0;  // 1-based
  std::string message;
  Severity severity = Severity::Error;
  // to_string - "file:3:14: message" (warnings: "file:3:14: warning: message"; line 0: "file: message").
  std::string to_string() const;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] small value types

// TimeWindow - [from, to] in run time; the default is the whole run.
struct TimeWindow {
  SimTime from = 0;
  SimTime to = kNever;
  bool contains(SimTime t) const { return t >= from && t <= to; }
  bool whole_run() const { return from == 0 && to == kNever; }
  // to_string - "any time", "by 01:20:00.000", "between 00:10:00.000 and 01:00:00.000", "from ...".
  std::string to_string() const;
};

// CountCheck - "at least / exactly / at most n".
struct CountCheck {
  enum class Op : unsigned char { AtLeast, Exactly, AtMost };
  Op op = Op::AtLeast;
  std::int64_t n = 1;
  bool matches(std::int64_t value) const;
  std::string to_string() const;  // "at least 4"
};

// Endpoint - host:port as written in `submit:` / `fetch:`; port is filled from the target's
// configured port when the file leaves it out (resolved).
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  SourcePos pos;
  bool set() const { return !host.empty(); }
};

// Layout - an optional position for the visualizer's topology view (arbitrary units).
struct Layout {
  bool set = false;
  double x = 0;
  double y = 0;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] enumerations (to_string gives the spelling used in lesson files)

// Role - what a host does. The order matches the alternatives of RoleOptions.
enum class Role : unsigned char { Mua, Msa, Mta, Cluster, Mx, Mda, Pop3, Dns, Mitm, Router };
// TlsMode - none: never; opportunistic: use/offer STARTTLS (STLS) when possible; required: refuse
// to go on without it (client: abort with QUIT; server: 530 5.7.0 before STARTTLS).
enum class TlsMode : unsigned char { None, Opportunistic, Required };
// AuthMech - a client's SASL mechanism (None = the client does not authenticate).
enum class AuthMech : unsigned char { None, Plain, Login };
// AuthRequirement - an MSA's policy: required (530 5.7.0 without AUTH), optional, off (no AUTH).
enum class AuthRequirement : unsigned char { Required, Optional, Off };
enum class Balance : unsigned char { RoundRobin, LeastQueue };
// SpoolMode - durable: the queue survives a crash; volatile: a crash loses queued mail.
enum class SpoolMode : unsigned char { Durable, Volatile };
enum class RetryPreset : unsigned char { Story, Sendmail, Postfix, Exim, Custom };
enum class DnsFaultKind : unsigned char { None, NxDomain, ServFail, Timeout };
enum class Level : unsigned char { Unspecified, Beginner, Intermediate, Advanced };

const char* to_string(Role r);
const char* to_string(TlsMode m);
const char* to_string(AuthMech m);
const char* to_string(AuthRequirement r);
const char* to_string(Balance b);
const char* to_string(SpoolMode s);
const char* to_string(RetryPreset p);
const char* to_string(DnsFaultKind f);
const char* to_string(Level l);

// ---------------------------------------------------------------------------------------------
// [SECTION] retry schedule
//
// Semantics (the runner's MTA queues follow these; retry_delay() in scenario_retry.hpp computes it):
// after a failed (temporary) delivery attempt, the message's age is the time since its first
// attempt. The first stage whose `until` is above the age and whose `attempts` are not used up
// gives the next gap: interval * factor^k (k = failures already spent in this stage), capped at
// max_interval. With queue_run > 0, attempts only start on queue-run ticks (every queue_run from
// the start of the run): the attempt happens on the first tick at or after the computed time.
// A warning DSN (action: delayed) goes to the sender once age >= warn_after; once age >=
// give_up_after (counted from arrival) no attempt starts: the message bounces at that deadline
// (action: failed) with its last failure's status (4.3.0 after "451 4.3.0"; 4.4.7 only when no
// attempt left one).

struct RetryStage {
  Duration interval = minutes(15);
  double factor = 1.0;          // 1 = fixed interval; 2 = doubling backoff
  Duration max_interval = 0;    // 0 = no cap
  Duration until = kNever;      // stage applies while the message age is below this
  int attempts = 0;             // stage applies for this many failures (0 = no limit)
  SourceInfo src;
};

struct RetrySpec {
  RetryPreset preset = RetryPreset::Story;  // Custom when the file gives its own schedule
  std::vector<RetryStage> stages;           // never empty after loading
  Duration queue_run = 0;                   // 0 = retry exactly when due
  Duration warn_after = kNever;             // kNever = no delay warning
  Duration give_up_after = hours(4);
  SourceInfo src;
};

// retry_preset - the concrete schedule of a preset, derived from the MTA's table (sim/roles/mta_retry.cpp):
//   story    every 15m, give up after 4h, no warning
//   sendmail queue runs every 15m, retry at most every 30m (MinQueueAge), warn 4h, give up 5d
//   postfix  300s doubling to 4000s, queue runs every 300s, no warning, give up 5d
//   exim     F,2h,15m; G,16h,1h,1.5; F,4d,6h; warn 24h; give up 4d
RetrySpec retry_preset(RetryPreset p);

// ---------------------------------------------------------------------------------------------
// [SECTION] domains

struct MxEntry {
  std::string host;  // an exchange: the name of a host in `hosts`
  int pref = 10;     // 0..65535
  SourcePos pos;
};

// AddressRecord - an A record value: a host (its address) or a literal IPv4 address.
struct AddressRecord {
  std::string host;  // set when the record names a host
  std::string ip;    // set when the record is a literal "203.0.113.7"
  SourcePos pos;
};

struct UserSpec {
  std::string address;       // "b@b.example" (a bare local part in the file is completed)
  std::string password;      // "" = none given
  std::uint64_t quota = 0;   // bytes; 0 = the MDA's quota (or unlimited)
  std::string mailbox_host;  // resolved: the MDA holding this mailbox ("" = none)
  SourceInfo src;
};

enum class MxMode : unsigned char {
  Explicit,  // `mx:` records
  Null,      // `null_mx: true` (RFC 7505 "MX 0 ."): the domain accepts no mail
  Implicit,  // no MX: mail goes to the domain's own A record (RFC 5321 5.1)
};

struct DomainSpec {
  std::string name;
  MxMode mx_mode = MxMode::Implicit;
  std::vector<MxEntry> mx;
  std::vector<AddressRecord> a;  // A records of the domain name itself
  std::vector<UserSpec> users;
  std::string local_to;          // the MDA that is final for the domain (as written, or resolved
                                 // when all of the domain's mailboxes are on one MDA; "" = none)
  SourceInfo src;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] hosts

struct GreylistSpec {
  bool enabled = false;
  Duration delay = sec(300);  // a retry is accepted after this long (postgrey's default)
  Duration window = days(2);  // ... and within this long of the first attempt
};

// SmtpServerOptions - the listening side of msa/mta/cluster/mx/mda.
struct SmtpServerOptions {
  std::uint16_t port = 25;              // msa: 587
  TlsMode tls = TlsMode::Opportunistic;  // offer STARTTLS; required: 530 5.7.0 until it is used
  std::uint64_t max_size = 10240000;    // EHLO SIZE (Postfix's message_size_limit); 0 = no limit
  GreylistSpec greylist;
  bool normalize_bare_newline = false;  // bare_newline: normalize (Postfix smtpd_forbid_bare_newline
                                        // = normalize); default reject: 550 5.5.2
};

// OutboundOptions - the sending side of msa/mta/cluster/mx.
struct OutboundOptions {
  std::string relay_to;                     // smarthost ("" = route by MX lookups)
  bool own_retry = false;                   // true: `retry` was set on this host
  RetrySpec retry;                          // the host's schedule (the file's default unless own)
  TlsMode tls_policy = TlsMode::Opportunistic;  // STARTTLS when offered / required / never
  int concurrency = 20;                     // parallel outbound connections
  SpoolMode spool = SpoolMode::Durable;
};

struct MuaOptions {
  std::string user;          // the address it sends and fetches as (a user of `domains`)
  std::string password;      // resolved: from the user when not written on the host
  Endpoint submit;           // msa (or mta) host:port; unset = the client only fetches
  Endpoint fetch;            // pop3 host:port; unset = the client only sends
  Duration poll = minutes(5);
  TlsMode tls = TlsMode::Opportunistic;
  AuthMech auth = AuthMech::Plain;
  bool leave_on_server = false;
  bool pipelining = true;    // use PIPELINING when offered
  bool blind_pipelining = false;  // `pipelining: blind`: the message goes right behind DATA in the same
                                  // group, without waiting for 354 (spam bots, smuggling probes)
};

struct MsaOptions {
  SmtpServerOptions server;  // port 587
  AuthRequirement auth = AuthRequirement::Required;
  std::vector<AuthMech> auth_mechs{AuthMech::Plain, AuthMech::Login};
  OutboundOptions out;
};

struct MtaOptions {
  SmtpServerOptions server;
  OutboundOptions out;
  std::vector<std::string> local_domains;  // mail for these goes to the domain's local_to MDA
  std::vector<std::string> relay_for;      // hosts allowed to relay through it (written, or resolved:
                                           // hosts whose relay_to is this host or its cluster)
  std::string member_of;                   // the cluster this MTA belongs to ("" = none)
};

struct ClusterOptions {
  std::vector<std::string> members;        // MTA hosts (members not in `hosts` are created by the
                                           // loader as role mta with the cluster's options)
  Balance balance = Balance::RoundRobin;
  Duration health_check = sec(10);         // 0 = no health checks
  SmtpServerOptions server;                // defaults for created members
  OutboundOptions out;                     // defaults for created members
  std::vector<std::string> relay_for;      // as MtaOptions::relay_for
};

struct MxOptions {
  SmtpServerOptions server;
  std::string deliver_to;             // the final MDA (exactly one of deliver_to / out.relay_to)
  OutboundOptions out;                // relay_to: forward everything to another host (backup MX)
  std::vector<std::string> accepts;   // domains it takes mail for (written, or resolved: the
                                      // domains whose MX records name this host)
};

struct MdaOptions {
  SmtpServerOptions server;
  std::vector<std::string> mailboxes;  // resolved: full addresses of every mailbox held here
                                       // (the file may list addresses or whole domains)
  std::uint64_t quota = 0;             // default per-mailbox quota in bytes; 0 = unlimited
};

struct Pop3Options {
  std::string store;  // the MDA whose mailboxes it serves
  std::uint16_t port = 110;
  TlsMode tls = TlsMode::Opportunistic;  // offer STLS
  bool apop = false;
};

struct DnsOptions {
  Duration timeout = sec(5);  // how long resolvers wait for an answer
};

struct MitmOptions {
  std::string a, b;             // sits on the link between these two hosts
  bool strip_starttls = false;  // remove STARTTLS from EHLO replies passing through
  bool impersonate = false;     // answer STARTTLS itself with a self-signed certificate in the
                                // server's name (cannot be combined with strip_starttls)
};

struct RouterOptions {};

using RoleOptions = std::variant<MuaOptions, MsaOptions, MtaOptions, ClusterOptions, MxOptions,
                                 MdaOptions, Pop3Options, DnsOptions, MitmOptions, RouterOptions>;

struct HostSpec {
  std::string name;
  Role role = Role::Router;
  std::string ip;             // dotted quad; auto-assigned when not written
  bool ip_auto = false;       // the loader chose the address (10.0.0.1, 10.0.0.2, ... in file order)
  bool auto_created = false;  // not written in `hosts` (the `internet` router, cluster members)
  Layout layout;
  std::string label;          // what the visualizer writes under the host ("" = derived from role + user)
  RoleOptions options = RouterOptions{};
  SourceInfo src;

  // as - the role's options (nullptr when the host has another role).
  template <class T> const T* as() const { return std::get_if<T>(&options); }
  template <class T> T* as() { return std::get_if<T>(&options); }
  // server / outbound - the SMTP listening / sending options of roles that have them, else nullptr.
  const SmtpServerOptions* server() const;
  const OutboundOptions* outbound() const;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] links

struct LinkSpec {
  std::string a, b;             // host names (`internet` is a router node)
  Duration latency = msec(1);   // one way
  std::uint64_t bandwidth_bps = 0;  // 0 = unlimited
  double loss = 0.0;            // probability a chunk is lost once, 0..1
  bool up = true;               // state at the start
  SourceInfo src;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] mail to send

struct DsnSpec {
  bool notify_set = false;  // false: no NOTIFY parameter (the MTA's default: failure)
  bool never = false, success = false, failure = false, delay = false;
  enum class Ret : unsigned char { Default, Full, Headers } ret = Ret::Default;
  std::string envid;
};

struct MessageSpec {
  std::string id;       // the name expectations use ("1", "2", ... when not written)
  int index = 0;        // 1-based position in `send`
  SimTime at = 0;
  std::string from;
  std::vector<std::string> to, cc, bcc;
  std::string subject;
  std::string body;         // the text ("" with size 0 = an empty body)
  std::uint64_t size = 0;   // >0: generate a body of about this many bytes instead of `body`
  std::string raw_body;     // set with raw = true: body bytes sent exactly as written (no line-end
  bool raw = false;         // repair), for hostile input such as SMTP smuggling
  std::string via;          // resolved: the mua that submits it
  DsnSpec dsn;
  std::vector<std::pair<std::string, std::string>> headers;  // extra header fields, in order
  int repeat = 1;           // send this many copies ...
  Duration every = 0;       // ... this far apart
  bool unknown_ok = false;  // recipients may be unknown users/domains on purpose
  // after_event - set: sent once exactly after that many simulation events have run (an action
  // made while a run was paused, replayed; see scenario_runner.hpp); `at` is then informative.
  std::optional<std::uint64_t> after_event;
  SourceInfo src;

  // recipients - to + cc + bcc, in that order (the envelope).
  std::vector<std::string> recipients() const;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] timeline

struct NoteAction {};  // only narration: the entry's `note` is shown at `at`

struct LinkAction {
  std::string a, b;
  std::optional<bool> up;
  std::optional<Duration> latency;
  std::optional<std::uint64_t> bandwidth_bps;
  std::optional<double> loss;
};

struct HostAction {
  enum class Op : unsigned char { Crash, Restart };
  std::string host;
  Op op = Op::Crash;
};

// ReplyOverride - "answer <command> with <line>" (or stop doing so when `clear`).
struct ReplyOverride {
  std::string command;  // upper case: CONNECT (the greeting), EHLO, HELO, MAIL, RCPT, DATA (the 354),
                        // DOT (the reply after the message), RSET, NOOP, QUIT, VRFY, STARTTLS, AUTH;
                        // POP3 hosts: CONNECT, USER, PASS, APOP, STAT, LIST, RETR, DELE, TOP, UIDL, QUIT
  int code = 0;         // SMTP: 200..599; POP3: 1 = +OK, 2 = -ERR
  std::string line;     // the full reply line: "451 4.3.0 Try again later" / "-ERR [SYS/TEMP] busy"
  int times = 0;        // apply to the next N such commands, then stop (0 = until changed)
  bool clear = false;   // `normal`: remove an earlier override of this command
  SourcePos pos;
};

// BehaviourChange - host behaviour from now on. Unset optionals leave the current setting alone.
struct BehaviourChange {
  std::string host;
  std::vector<ReplyOverride> replies;
  std::optional<bool> greylisting;
  std::optional<Duration> tarpit;           // delay before every reply (0 = off)
  std::optional<bool> drop_mid_data;        // cut the connection in the middle of DATA
  std::optional<bool> drop_after_data;      // take the message, then cut before the 250 (duplicates)
  std::optional<bool> storage_full;         // 452 4.3.1 at MAIL FROM (POP3: -ERR [SYS/TEMP] at login)
  std::optional<bool> close_with_421;       // 421 greeting, and 421 4.3.2 to open sessions' next command
  std::optional<bool> auth_reject;          // every AUTH gets 535 5.7.8 (POP3: -ERR [AUTH])
  bool reset = false;                       // `normal: true`: drop every override first
};

struct DnsFaultAction {
  std::string name;
  DnsFaultKind fault = DnsFaultKind::None;  // None clears the fault
};

// DnsChangeAction - replaces records of a name (unset optionals are left alone).
struct DnsChangeAction {
  std::string name;
  std::optional<std::vector<MxEntry>> mx;
  bool null_mx = false;
  std::optional<std::vector<AddressRecord>> a;
  bool remove = false;  // drop every record of the name
};

// RetryAction - a sending host (or every member of a cluster) switches to a preset retry schedule;
// messages already waiting keep their planned next attempt, the new schedule sets the ones after.
struct RetryAction {
  std::string host;
  RetryPreset preset = RetryPreset::Story;
};

using TimelineAction = std::variant<NoteAction, LinkAction, HostAction, BehaviourChange,
                                    DnsFaultAction, DnsChangeAction, RetryAction>;

struct TimelineEntry {
  SimTime at = 0;
  TimelineAction action = NoteAction{};
  std::string note;  // narration shown when the action happens (required for NoteAction)
  // after_event - set: applied exactly after that many simulation events have run, instead of
  // at the start of `at` (an action made while a run was paused; see scenario_runner.hpp).
  std::optional<std::uint64_t> after_event;
  SourceInfo src;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] narration

// EventMatcher - "the first (or n-th) trace event like this". Unset filters match anything.
struct EventMatcher {
  enum class Kind : unsigned char {
    Time,        // the clock reaches `at`
    Reply,       // a reply with `code` (or of `code_class`), optionally to `command`
    Command,     // a client sends `command`
    Queue,       // a queue change to `state`: queued deferred retrying sent bounced warned
    Delivery,    // a message is delivered (to `rcpt`, if set)
    Bounce,      // a DSN is generated (for `rcpt`, if set)
    Tls,         // a TLS handshake reaches `state`: start done failed
    Connection,  // a connection event `state`: open refused timeout reset close
    Dns,         // a DNS answer for `dns_name` (any if unset) with rcode `state`: noerror nxdomain
                 // servfail timeout (any if unset)
    Fault,       // a fault / behaviour change is applied
  };
  Kind kind = Kind::Time;
  SimTime at = 0;             // Time
  int code = 0;               // Reply: exact code (0 = any)
  int code_class = 0;         // Reply: 2..5 when written as "4xx"
  std::string command;        // Reply: the command answered; Command: the verb (upper case)
  std::string state;          // Queue / Tls / Connection / Dns (see Kind; "" = any)
  std::string dns_name;       // Dns: the queried name
  std::string host, peer;     // where (the event's host / peer)
  std::string rcpt;           // Queue / Delivery / Bounce
  int message = 0;            // send entry index (1-based), 0 = any
  int occurrence = 1;         // the n-th matching event
  SourceInfo src;
  std::string to_string() const;  // "reply 250 after DATA on msa.a.example"
};

struct NarrationStep {
  std::string title;
  std::string text;
  std::optional<EventMatcher> start_on;  // the step becomes current (default: after the previous)
  std::optional<EventMatcher> pause_on;  // the player pauses here
  SourceInfo src;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] expectations

struct Expectation {
  enum class Kind : unsigned char {
    Delivered,     // rcpt's mailbox receives the message (within window)
    NotDelivered,  // rcpt's mailbox never receives it (within window)
    Bounced,       // a DSN (action failed) about rcpt reaches dsn_to (default: the sender)
    Warned,        // a delay DSN (action delayed) about rcpt reaches dsn_to
    Reply,         // reply code/class seen (count times), optionally on host / after command
    NoReply,       // reply code/class never seen (within window)
    Attempts,      // delivery attempts for message (by host, for rcpt) satisfy count
    FetchedBy,     // mua retrieves the message within `within` after its delivery
    Lost,          // messages accepted with 250 but never delivered, bounced or queued: count
    Duplicates,    // extra deliveries of the same message to the same mailbox: count
    Queued,        // messages still queued at the end of the run (on host): count
    Tls,           // sessions between host and peer used TLS (tls_used) [with tls_version]
  };
  Kind kind = Kind::Delivered;
  std::string rcpt;
  std::string dsn_to;          // Bounced / Warned ("" = the message's sender)
  std::string status;          // Bounced / Warned: "5.1.1", "5.x.x" ("" = any)
  int message = 0;             // send entry index (1-based), 0 = any
  std::string host, peer;      // Reply / NoReply / Attempts / Queued / Tls / Delivered (the MDA)
  int code = 0;                // Reply / NoReply: exact code
  int code_class = 0;          // ... or its class (4 for "4xx")
  std::string command;         // Reply / NoReply: the command answered (upper case)
  CountCheck count;            // Reply, Attempts, Lost, Duplicates, Queued
  TimeWindow window;           // when it must (not) happen
  std::string mua;             // FetchedBy
  Duration within = kNever;    // FetchedBy: after the delivery
  bool tls_used = true;        // Tls
  std::string tls_version;     // Tls: "TLSv1.3" ("" = any)
  SourceInfo src;
  // describe - one line for reports: "b@b.example delivered by 01:20:00.000".
  std::string describe() const;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] the whole file

struct LessonInfo {
  std::string title;
  std::string summary;
  std::vector<std::string> tags;
  Level level = Level::Unspecified;
  SourceInfo src;
};

// RunLength - how long the run goes: to a fixed time, or until quiet (no queued mail, no open
// connections, no timeline left) plus `grace`, but never past `max`.
struct RunLength {
  SimTime until = kNever;      // fixed end; kNever = until quiet
  Duration grace = minutes(10);
  SimTime max = days(30);
  SourceInfo src;
  bool until_quiet() const { return until == kNever; }
};

struct ScenarioSpec {
  std::string file;  // the name used in diagnostics
  LessonInfo lesson;
  std::uint64_t seed = 1;
  RunLength run;
  RetrySpec retry = retry_preset(RetryPreset::Story);  // the default for every sending host
  std::vector<DomainSpec> domains;
  std::vector<HostSpec> hosts;    // file order; auto-created hosts follow the written ones
  std::vector<LinkSpec> links;
  std::vector<MessageSpec> messages;
  std::vector<TimelineEntry> timeline;  // sorted by `at` (stable: equal times keep file order)
  std::vector<NarrationStep> narration;
  std::vector<Expectation> expectations;

  // find_* - lookups by (case-insensitive) name; nullptr when absent.
  const HostSpec* find_host(std::string_view name) const;
  const DomainSpec* find_domain(std::string_view name) const;
  const UserSpec* find_user(std::string_view address) const;
  const MessageSpec* find_message(int index) const;
  // diagnostic - a Diagnostic against this file at pos (for the runner's runtime problems).
  Diagnostic diagnostic(SourcePos pos, std::string message,
                        Severity severity = Severity::Error) const;
};

}  // namespace smtpsim::scenario
