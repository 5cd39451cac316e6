// scenario_keys.cpp - the tables of valid keys per place and per host role.
#include "sim/scenario/scenario_keys.hpp"

#include <algorithm>

namespace smtpsim::scenario {

const char* place_name(KeyPlace p) {
  switch (p) {
    case KeyPlace::Top: return "the lesson file";
    case KeyPlace::Lesson: return "lesson";
    case KeyPlace::Until: return "until";
    case KeyPlace::Retry: return "retry";
    case KeyPlace::RetryStage: return "retry stage";
    case KeyPlace::Greylisting: return "greylisting";
    case KeyPlace::Domain: return "domain";
    case KeyPlace::MxEntry: return "mx record";
    case KeyPlace::User: return "user";
    case KeyPlace::Host: return "host";
    case KeyPlace::Layout: return "layout";
    case KeyPlace::Link: return "link";
    case KeyPlace::Send: return "message";
    case KeyPlace::Dsn: return "dsn";
    case KeyPlace::Timeline: return "timeline entry";
    case KeyPlace::Behaviour: return "behaviour";
    case KeyPlace::ReplyOverride: return "reply override";
    case KeyPlace::DnsAction: return "dns action";
    case KeyPlace::Narration: return "narration step";
    case KeyPlace::Matcher: return "event matcher";
    case KeyPlace::Expect: return "expectation";
    case KeyPlace::Attempts: return "attempts";
  }
  return "?";
}

const std::vector<std::string>& keys_of(KeyPlace p) {
  static const std::vector<std::string> top{"lesson", "seed",     "until",    "retry",
                                            "domains", "hosts",   "links",    "send",
                                            "timeline", "narration", "expect"};
  static const std::vector<std::string> lesson{"title", "summary", "tags", "level"};
  static const std::vector<std::string> until{"quiet", "grace", "max"};
  static const std::vector<std::string> retry{"preset", "every",  "intervals", "first",
                                              "backoff", "max_interval", "stages", "queue_run",
                                              "warn_after", "give_up_after"};
  static const std::vector<std::string> stage{"every", "first", "backoff", "max_interval", "until",
                                              "attempts"};
  static const std::vector<std::string> grey{"delay", "window"};
  static const std::vector<std::string> domain{"mx", "null_mx", "a", "users", "local_to"};
  static const std::vector<std::string> mx{"host", "pref"};
  static const std::vector<std::string> user{"password", "quota"};
  static const std::vector<std::string> host{"name", "role", "ip", "layout", "label"};
  static const std::vector<std::string> layout{"x", "y"};
  static const std::vector<std::string> link{"between", "latency", "bandwidth", "loss", "state"};
  static const std::vector<std::string> send{"id",   "at",      "from",    "to",   "cc",
                                             "bcc",  "subject", "body",    "size", "raw_body", "via",
                                             "dsn",  "headers", "repeat",  "every", "unknown_ok",
                                             "after_event"};
  static const std::vector<std::string> dsn{"notify", "ret", "envid"};
  static const std::vector<std::string> timeline{"at",    "note",  "link",    "state",
                                                 "latency", "bandwidth", "loss", "crash",
                                                 "restart", "host", "behaviour", "behavior", "dns",
                                                 "retry", "after_event"};
  static const std::vector<std::string> behaviour = [] {
    std::vector<std::string> k{"greylisting",    "tarpit",      "drop_mid_data", "drop_after_data",
                               "storage_full",   "close_with_421", "auth_reject", "normal"};
    for (const std::string& c : smtp_override_commands()) k.push_back(c);
    for (const std::string& c : pop3_override_commands())
      if (std::find(k.begin(), k.end(), c) == k.end()) k.push_back(c);
    return k;
  }();
  static const std::vector<std::string> reply{"reply", "times"};
  static const std::vector<std::string> dns{"name", "fault", "mx", "null_mx", "a", "remove"};
  static const std::vector<std::string> narration{"title", "text", "start_on", "pause_on"};
  static const std::vector<std::string> matcher{"at",    "reply",      "command", "after", "queue",
                                                "delivered", "bounced", "tls",    "connection",
                                                "dns",   "answer",     "fault",   "host",  "peer",  "message",
                                                "rcpt",  "occurrence"};
  static const std::vector<std::string> expect{
      "delivered", "not_delivered", "bounced", "warned", "reply",    "no_reply", "attempts",
      "fetched_by", "lost",         "duplicates", "queued", "tls",  "by",       "between",
      "not_before", "message",      "host",    "peer",   "after",   "status",   "to",
      "at_least",  "exactly",       "at_most", "within", "version", "used",     "rcpt"};
  static const std::vector<std::string> attempts{"message", "rcpt", "host", "at_least", "exactly",
                                                 "at_most"};
  switch (p) {
    case KeyPlace::Top: return top;
    case KeyPlace::Lesson: return lesson;
    case KeyPlace::Until: return until;
    case KeyPlace::Retry: return retry;
    case KeyPlace::RetryStage: return stage;
    case KeyPlace::Greylisting: return grey;
    case KeyPlace::Domain: return domain;
    case KeyPlace::MxEntry: return mx;
    case KeyPlace::User: return user;
    case KeyPlace::Host: return host;
    case KeyPlace::Layout: return layout;
    case KeyPlace::Link: return link;
    case KeyPlace::Send: return send;
    case KeyPlace::Dsn: return dsn;
    case KeyPlace::Timeline: return timeline;
    case KeyPlace::Behaviour: return behaviour;
    case KeyPlace::ReplyOverride: return reply;
    case KeyPlace::DnsAction: return dns;
    case KeyPlace::Narration: return narration;
    case KeyPlace::Matcher: return matcher;
    case KeyPlace::Expect: return expect;
    case KeyPlace::Attempts: return attempts;
  }
  return top;
}

const std::vector<std::string>& role_keys(Role r) {
  static const std::vector<std::string> mua{"user", "password", "submit",          "fetch", "poll",
                                            "tls",  "auth",     "leave_on_server", "pipelining"};
  static const std::vector<std::string> msa{"port",     "tls",         "max_size",   "bare_newline", "auth",
                                            "auth_mechs", "relay_to",  "retry",      "tls_policy",
                                            "concurrency", "spool"};
  static const std::vector<std::string> mta{"port",       "tls",        "max_size", "bare_newline", "greylisting",
                                            "relay_to",   "retry",      "tls_policy", "concurrency",
                                            "spool",      "local_domains", "relay_for"};
  static const std::vector<std::string> cluster{
      "members",  "balance", "health_check", "port",        "tls",   "max_size", "bare_newline", "greylisting",
      "relay_to", "retry",   "tls_policy",   "concurrency", "spool", "relay_for"};
  static const std::vector<std::string> mx{"port",     "tls",   "max_size",   "bare_newline", "greylisting",
                                           "deliver_to", "relay_to", "retry", "tls_policy",
                                           "concurrency", "spool", "accepts"};
  static const std::vector<std::string> mda{"port", "tls", "max_size", "bare_newline", "mailboxes", "quota"};
  static const std::vector<std::string> pop3{"store", "port", "tls", "apop"};
  static const std::vector<std::string> dns{"timeout"};
  static const std::vector<std::string> mitm{"between", "strip_starttls", "impersonate"};
  static const std::vector<std::string> router{};
  switch (r) {
    case Role::Mua: return mua;
    case Role::Msa: return msa;
    case Role::Mta: return mta;
    case Role::Cluster: return cluster;
    case Role::Mx: return mx;
    case Role::Mda: return mda;
    case Role::Pop3: return pop3;
    case Role::Dns: return dns;
    case Role::Mitm: return mitm;
    case Role::Router: return router;
  }
  return router;
}

std::vector<KeyPlace> all_places() {
  std::vector<KeyPlace> out;
  for (int i = 0; i <= static_cast<int>(KeyPlace::Attempts); ++i)
    out.push_back(static_cast<KeyPlace>(i));
  return out;
}

std::vector<Role> all_roles() {
  std::vector<Role> out;
  for (int i = 0; i <= static_cast<int>(Role::Router); ++i) out.push_back(static_cast<Role>(i));
  return out;
}

std::vector<std::string> role_names() {
  std::vector<std::string> out;
  for (Role r : all_roles()) out.push_back(to_string(r));
  return out;
}

const std::vector<std::string>& smtp_override_commands() {
  static const std::vector<std::string> v{"connect", "ehlo", "helo", "mail",     "rcpt", "data",
                                          "dot",     "rset", "noop", "quit",     "vrfy", "starttls",
                                          "auth"};
  return v;
}

const std::vector<std::string>& pop3_override_commands() {
  static const std::vector<std::string> v{"connect", "user", "pass", "apop", "stat", "list",
                                          "retr",    "dele", "top",  "uidl", "quit", "stls"};
  return v;
}

}  // namespace smtpsim::scenario
