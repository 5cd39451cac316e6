// scenario_spec.cpp - the small behaviours of the scenario data model: enum names, positions,
// descriptions for reports, and lookups.
#include "sim/scenario/scenario_spec.hpp"
#include "sim/core/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace smtpsim::scenario {

namespace {

// iequal - ASCII case-insensitive equality.
constexpr auto iequal = ascii_iequals;

// code_text - "250", "4xx" or "any" for a reply code / class pair.
std::string code_text(int code, int code_class) {
  if (code) return std::to_string(code);
  if (code_class) return std::to_string(code_class) + "xx";
  return "any";
}

}  // namespace

SourcePos SourceInfo::at(std::string_view key) const {
  auto it = keys.find(key);
  if (it != keys.end()) return it->second;
  // "to[2]" falls back to "to" (a single value written without a list), then to the element
  if (std::size_t bracket = key.find('['); bracket != std::string_view::npos) {
    it = keys.find(key.substr(0, bracket));
    if (it != keys.end()) return it->second;
  }
  return pos;
}

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (severity == Severity::Warning) out += "warning: ";
  out += message;
  return out;
}

std::string TimeWindow::to_string() const {
  if (whole_run()) return "any time";
  if (from == 0) return "by " + format_time(to);
  if (to == kNever) return "from " + format_time(from);
  return "between " + format_time(from) + " and " + format_time(to);
}

bool CountCheck::matches(std::int64_t value) const {
  switch (op) {
    case Op::AtLeast: return value >= n;
    case Op::Exactly: return value == n;
    case Op::AtMost: return value <= n;
  }
  return false;
}

std::string CountCheck::to_string() const {
  const char* word = op == Op::AtLeast ? "at least " : op == Op::Exactly ? "exactly " : "at most ";
  return word + std::to_string(n);
}

const char* to_string(Role r) {
  switch (r) {
    case Role::Mua: return "mua";
    case Role::Msa: return "msa";
    case Role::Mta: return "mta";
    case Role::Cluster: return "cluster";
    case Role::Mx: return "mx";
    case Role::Mda: return "mda";
    case Role::Pop3: return "pop3";
    case Role::Dns: return "dns";
    case Role::Mitm: return "mitm";
    case Role::Router: return "router";
  }
  return "?";
}

const char* to_string(TlsMode m) {
  switch (m) {
    case TlsMode::None: return "none";
    case TlsMode::Opportunistic: return "opportunistic";
    case TlsMode::Required: return "required";
  }
  return "?";
}

const char* to_string(AuthMech m) {
  switch (m) {
    case AuthMech::None: return "none";
    case AuthMech::Plain: return "plain";
    case AuthMech::Login: return "login";
  }
  return "?";
}

const char* to_string(AuthRequirement r) {
  switch (r) {
    case AuthRequirement::Required: return "required";
    case AuthRequirement::Optional: return "optional";
    case AuthRequirement::Off: return "off";
  }
  return "?";
}

const char* to_string(Balance b) {
  return b == Balance::RoundRobin ? "round_robin" : "least_queue";
}

const char* to_string(SpoolMode s) { return s == SpoolMode::Durable ? "durable" : "volatile"; }

const char* to_string(RetryPreset p) {
  switch (p) {
    case RetryPreset::Story: return "story";
    case RetryPreset::Sendmail: return "sendmail";
    case RetryPreset::Postfix: return "postfix";
    case RetryPreset::Exim: return "exim";
    case RetryPreset::Custom: return "custom";
  }
  return "?";
}

const char* to_string(LinkMitm m) {
  switch (m) {
    case LinkMitm::Off: return "off";
    case LinkMitm::Relay: return "relay";
    case LinkMitm::StripStartTls: return "strip_starttls";
    case LinkMitm::Impersonate: return "impersonate";
  }
  return "?";
}

const char* to_string(DnsFaultKind f) {
  switch (f) {
    case DnsFaultKind::None: return "none";
    case DnsFaultKind::NxDomain: return "nxdomain";
    case DnsFaultKind::ServFail: return "servfail";
    case DnsFaultKind::Timeout: return "timeout";
  }
  return "?";
}

const char* to_string(Level l) {
  switch (l) {
    case Level::Unspecified: return "";
    case Level::Beginner: return "beginner";
    case Level::Intermediate: return "intermediate";
    case Level::Advanced: return "advanced";
  }
  return "?";
}

const SmtpServerOptions* HostSpec::server() const {
  if (auto* o = as<MsaOptions>()) return &o->server;
  if (auto* o = as<MtaOptions>()) return &o->server;
  if (auto* o = as<ClusterOptions>()) return &o->server;
  if (auto* o = as<MxOptions>()) return &o->server;
  if (auto* o = as<MdaOptions>()) return &o->server;
  return nullptr;
}

const OutboundOptions* HostSpec::outbound() const {
  if (auto* o = as<MsaOptions>()) return &o->out;
  if (auto* o = as<MtaOptions>()) return &o->out;
  if (auto* o = as<ClusterOptions>()) return &o->out;
  if (auto* o = as<MxOptions>()) return &o->out;
  return nullptr;
}

std::vector<std::string> MessageSpec::recipients() const {
  std::vector<std::string> out = to;
  out.insert(out.end(), cc.begin(), cc.end());
  out.insert(out.end(), bcc.begin(), bcc.end());
  return out;
}

std::string EventMatcher::to_string() const {
  std::string out;
  switch (kind) {
    case Kind::Time: out = "time " + format_time(at); break;
    case Kind::Reply:
      out = "reply " + code_text(code, code_class);
      if (!command.empty()) out += " after " + command;
      break;
    case Kind::Command: out = "command " + command; break;
    case Kind::Queue: out = "queue " + (state.empty() ? std::string("change") : state); break;
    case Kind::Delivery: out = "delivery"; break;
    case Kind::Bounce: out = "bounce"; break;
    case Kind::Tls: out = "tls " + (state.empty() ? std::string("event") : state); break;
    case Kind::Connection: out = "connection " + (state.empty() ? std::string("event") : state); break;
    case Kind::Dns:
      out = "dns";
      if (!dns_name.empty()) out += " " + dns_name;
      if (!state.empty()) out += " " + state;
      break;
    case Kind::Fault: out = "fault"; break;
  }
  if (!rcpt.empty()) out += " for " + rcpt;
  if (message) out += " of message " + std::to_string(message);
  if (!host.empty()) out += " on " + host;
  if (!peer.empty()) out += " with " + peer;
  if (occurrence > 1) out += " (occurrence " + std::to_string(occurrence) + ")";
  return out;
}

std::string Expectation::describe() const {
  std::string out;
  std::string msg = message ? " (message " + std::to_string(message) + ")" : "";
  std::string when = window.whole_run() ? "" : " " + window.to_string();
  switch (kind) {
    case Kind::Delivered: out = rcpt + " delivered" + msg + when; break;
    case Kind::NotDelivered: out = rcpt + " not delivered" + msg + when; break;
    case Kind::Bounced:
    case Kind::Warned:
      out = (dsn_to.empty() ? std::string("the sender") : dsn_to) +
            (kind == Kind::Bounced ? " receives a bounce for " : " receives a delay warning for ") +
            rcpt + msg;
      if (!status.empty()) out += " with status " + status;
      out += when;
      break;
    case Kind::Reply:
    case Kind::NoReply:
      out = (kind == Kind::Reply ? "reply " : "no reply ") + code_text(code, code_class);
      if (!command.empty()) out += " after " + command;
      if (!host.empty()) out += " from " + host;
      if (!peer.empty()) out += " to " + peer;
      if (kind == Kind::Reply) out += " seen " + count.to_string() + " time(s)";
      out += when;
      break;
    case Kind::Attempts:
      out = "delivery attempts" + msg;
      if (!rcpt.empty()) out += " for " + rcpt;
      if (!host.empty()) out += " by " + host;
      out += ": " + count.to_string() + when;
      break;
    case Kind::FetchedBy:
      out = mua + " fetches " + (rcpt.empty() ? std::string("its mail") : rcpt + "'s message") + msg;
      if (within != kNever) out += " within " + format_duration(within) + " of delivery";
      out += when;
      break;
    case Kind::Lost: out = "lost messages: " + count.to_string(); break;
    case Kind::Duplicates: out = "duplicate deliveries: " + count.to_string(); break;
    case Kind::Queued:
      out = "messages queued at the end" + (host.empty() ? std::string() : " on " + host) + ": " +
            count.to_string();
      break;
    case Kind::Tls:
      out = "sessions " + host + " -> " + peer + (tls_used ? " use TLS" : " do not use TLS");
      if (!tls_version.empty()) out += " (" + tls_version + ")";
      out += when;
      break;
  }
  return out;
}

const HostSpec* ScenarioSpec::find_host(std::string_view name) const {
  for (const HostSpec& h : hosts)
    if (iequal(h.name, name)) return &h;
  return nullptr;
}

const DomainSpec* ScenarioSpec::find_domain(std::string_view name) const {
  for (const DomainSpec& d : domains)
    if (iequal(d.name, name)) return &d;
  return nullptr;
}

const UserSpec* ScenarioSpec::find_user(std::string_view address) const {
  for (const DomainSpec& d : domains)
    for (const UserSpec& u : d.users)
      if (iequal(u.address, address)) return &u;
  return nullptr;
}

const MessageSpec* ScenarioSpec::find_message(int index) const {
  for (const MessageSpec& m : messages)
    if (m.index == index) return &m;
  return nullptr;
}

Diagnostic ScenarioSpec::diagnostic(SourcePos pos, std::string message, Severity severity) const {
  Diagnostic d;
  d.file = file;
  d.line = pos.line;
  d.column = pos.column;
  d.message = std::move(message);
  d.severity = severity;
  return d;
}

}  // namespace smtpsim::scenario
