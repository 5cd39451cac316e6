// scenario_behaviour.cpp - a timeline's behaviour change, applied to an SMTP or POP3 host's switches.
#include "sim/roles/mta_server.hpp"
#include "sim/scenario/scenario_build.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/scenario_retry.hpp"

namespace smtpsim::scenario {

namespace {

// reply_of - "451 4.3.0 Try again later" -> {451, "4.3.0", "Try again later"}.
smtp::ServerReply reply_of(const ReplyOverride& r) {
  smtp::ServerReply out;
  out.code = r.code;
  std::string rest = r.line.size() > 4 ? r.line.substr(4) : std::string();
  auto sp = rest.find(' ');
  std::string first = rest.substr(0, sp);
  if (first.size() >= 5 && first[1] == '.' && first[0] == r.line[0]) {
    out.enhanced = first;
    out.text = sp == std::string::npos ? "" : rest.substr(sp + 1);
  } else {
    out.text = rest;
  }
  out.times = r.times;
  return out;
}

// smtp_override - the behaviour slot answering a command as the file names it (CONNECT is the
// greeting, DATA the 354, DOT the reply after the message); nullptr for a name it does not know.
std::optional<smtp::ServerReply>* smtp_override(smtp::ServerBehaviour& b, const std::string& command) {
  static const std::pair<const char*, std::optional<smtp::ServerReply> smtp::ServerBehaviour::*> kSlots[] = {
      {"CONNECT", &smtp::ServerBehaviour::refuse_connection}, {"EHLO", &smtp::ServerBehaviour::ehlo},
      {"HELO", &smtp::ServerBehaviour::helo},                 {"MAIL", &smtp::ServerBehaviour::reject_sender},
      {"RCPT", &smtp::ServerBehaviour::reject_recipient},     {"DATA", &smtp::ServerBehaviour::data},
      {"DOT", &smtp::ServerBehaviour::reject_data},           {"RSET", &smtp::ServerBehaviour::rset},
      {"NOOP", &smtp::ServerBehaviour::noop},                 {"QUIT", &smtp::ServerBehaviour::quit},
      {"VRFY", &smtp::ServerBehaviour::vrfy},                 {"STARTTLS", &smtp::ServerBehaviour::starttls},
      {"AUTH", &smtp::ServerBehaviour::reject_auth}};
  for (const auto& [name, member] : kSlots)
    if (command == name) return &(b.*member);
  return nullptr;
}

// mtas_of - the MTA called `host`, or every member of the cluster of that name; `members` says
// " (members a, b)" for a cluster.
std::vector<MtaHost*> mtas_of(World& w, const ScenarioSpec& spec, const std::string& host, std::string& members) {
  std::vector<MtaHost*> out;
  if (MtaHost* m = w.mta(host)) {
    out.push_back(m);
  } else if (const HostSpec* h = spec.find_host(host); h && h->as<ClusterOptions>()) {
    for (const std::string& name : h->as<ClusterOptions>()->members)
      if (MtaHost* m = w.mta(name)) {
        out.push_back(m);
        members += (members.empty() ? " (members " : ", ") + name;
      }
    if (!members.empty()) members += ")";
  }
  return out;
}

}  // namespace

// apply_retry - the preset's schedule from the next deferral on (planned attempts stay).
std::string ScenarioRun::apply_retry(World& w, const RetryAction& r) {
  std::string members;
  std::vector<MtaHost*> mtas = mtas_of(w, spec_, r.host, members);
  if (mtas.empty()) return r.host + " has no mail queue: its retry schedule cannot change";
  const smtpsim::RetrySchedule sched = to_retry_preset(retry_preset(r.preset));
  for (MtaHost* m : mtas) m->config().retry = sched;
  return r.host + members + " now retries like " + to_string(r.preset) + " (" + sched.description + ")";
}

std::string ScenarioRun::apply_behaviour(World& w, const BehaviourChange& b) {
  std::vector<std::string> done, skipped;
  // The SMTP servers that change: the host itself, or every member behind a cluster's balancer.
  std::string members;
  std::vector<MtaHost*> servers = mtas_of(w, spec_, b.host, members);
  for (std::size_t i = 0; i < servers.size(); ++i) {
    // say - what changed, told once for all the servers.
    auto say = [&](std::string what) { if (i == 0) done.push_back(std::move(what)); };
    smtp::ServerBehaviour& sb = servers[i]->server_side().behaviour;
    auto& side = servers[i]->server_side();
    if (b.reset) {
      sb = smtp::ServerBehaviour{};
      side.drop_after_data = false;
      say("back to normal");
    }
    for (const ReplyOverride& r : b.replies) {
      std::optional<smtp::ServerReply> v;
      if (!r.clear) v = reply_of(r);
      std::optional<smtp::ServerReply>* slot = smtp_override(sb, r.command);
      if (!slot) {
        if (i == 0) skipped.push_back(r.command + " replies cannot be overridden on an SMTP host");
        continue;
      }
      *slot = v;
      say(r.clear ? r.command + " answered normally"
                  : r.command + " answered \"" + r.line + "\"" +
                        (r.times > 0 ? " the next " + std::to_string(r.times) + " time(s)" +
                                           (servers.size() > 1 ? " on each member" : "")
                                     : ""));
    }
    if (b.greylisting) { sb.greylist = *b.greylisting; say(*b.greylisting ? "greylisting on" : "greylisting off"); }
    if (b.tarpit) { sb.tarpit = *b.tarpit; say("tarpit " + format_duration(*b.tarpit)); }
    if (b.drop_mid_data) {
      if (*b.drop_mid_data) sb.drop_in_data = 512; else sb.drop_in_data.reset();
      say(*b.drop_mid_data ? "drops connections in the middle of DATA" : "no longer drops DATA");
    }
    if (b.drop_after_data) {
      side.drop_after_data = *b.drop_after_data;
      say(*b.drop_after_data ? "drops connections after storing, before the 250" : "sends its 250 again");
    }
    if (b.storage_full) { sb.storage_full = *b.storage_full; say(*b.storage_full ? "storage full (452)" : "storage ok"); }
    if (b.close_with_421) {
      if (*b.close_with_421) sb.refuse_connection = smtp::ServerReply{421, "", ""};
      else sb.refuse_connection.reset();
      sb.shutting_down = *b.close_with_421;  // sessions already open get 421 at their next command
      say(*b.close_with_421 ? "answers 421 and closes" : "accepts connections again");
    }
    if (b.auth_reject) {
      if (*b.auth_reject) sb.reject_auth = smtp::ServerReply{535, "5.7.8", ""}; else sb.reject_auth.reset();
      say(*b.auth_reject ? "rejects every AUTH" : "checks AUTH normally");
    }
  }
  if (!servers.empty()) {
    // done above
  } else if (Pop3Host* p = w.pop3(b.host)) {
    pop3::ServerBehaviour& pb = p->config().behaviour;
    // The overrides live in one map that every session of the host shares: sessions already open
    // see a change too, so `normal: true` empties it rather than dropping it.
    if (!pb.replies) pb.replies = std::make_shared<pop3::ReplyOverrides>();
    if (b.reset) {
      std::shared_ptr<pop3::ReplyOverrides> keep = pb.replies;
      keep->clear();
      pb = pop3::ServerBehaviour{};
      pb.replies = keep;
      done.push_back("back to normal");
    }
    if (b.tarpit) { pb.response_delay = *b.tarpit; done.push_back("slow answers (" + format_duration(*b.tarpit) + ")"); }
    if (b.auth_reject) { pb.reject_credentials = *b.auth_reject; done.push_back("rejects passwords"); }
    if (b.storage_full) { pb.sys_temp = *b.storage_full; done.push_back("[SYS/TEMP] on login"); }
    for (const ReplyOverride& r : b.replies) {
      if (r.clear) {
        pb.replies->erase(r.command);
        done.push_back(r.command + " answered normally");
      } else {
        (*pb.replies)[r.command] = pop3::ReplyOverride{r.line, r.times};
        done.push_back(r.command + " answered \"" + r.line + "\"" +
                       (r.times > 0 ? " the next " + std::to_string(r.times) + " time(s)" : ""));
      }
    }
  } else {
    skipped.push_back("host " + b.host + " has no server whose behaviour can change");
  }
  std::string s = b.host + members + ":";
  for (const auto& d : done) s += " " + d + ";";
  for (const auto& d : skipped) s += " (ignored: " + d + ");";
  if (!s.empty() && s.back() == ';') s.pop_back();
  return s;
}

}  // namespace smtpsim::scenario
