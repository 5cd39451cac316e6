// scenario_behaviour.cpp - a timeline's behaviour change, applied to an SMTP or POP3 host's switches.
#include "sim/roles/mta_server.hpp"
#include "sim/scenario/scenario_runner.hpp"

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

}  // namespace

std::string ScenarioRun::apply_behaviour(World& w, const BehaviourChange& b) {
  std::vector<std::string> done, skipped;
  if (MtaHost* m = w.mta(b.host)) {
    smtp::ServerBehaviour& sb = m->server_side().behaviour;
    auto& side = m->server_side();
    if (b.reset) {
      sb = smtp::ServerBehaviour{};
      side.drop_after_data = false;
      done.push_back("back to normal");
    }
    for (const ReplyOverride& r : b.replies) {
      std::optional<smtp::ServerReply> v;
      if (!r.clear) v = reply_of(r);
      if (r.command == "CONNECT") sb.refuse_connection = v;
      else if (r.command == "MAIL") sb.reject_sender = v;
      else if (r.command == "RCPT") sb.reject_recipient = v;
      else if (r.command == "AUTH") sb.reject_auth = v;
      else if (r.command == "DOT" || r.command == "DATA") sb.reject_data = v;
      else { skipped.push_back(r.command + " replies cannot be overridden on an SMTP host"); continue; }
      done.push_back(r.clear ? r.command + " answered normally"
                             : r.command + " answered \"" + r.line + "\"" +
                                   (r.times > 0 ? " the next " + std::to_string(r.times) + " time(s)" : ""));
    }
    if (b.greylisting) { sb.greylist = *b.greylisting; done.push_back(*b.greylisting ? "greylisting on" : "greylisting off"); }
    if (b.tarpit) { sb.tarpit = *b.tarpit; done.push_back("tarpit " + format_duration(*b.tarpit)); }
    if (b.drop_mid_data) {
      if (*b.drop_mid_data) sb.drop_in_data = 512; else sb.drop_in_data.reset();
      done.push_back(*b.drop_mid_data ? "drops connections in the middle of DATA" : "no longer drops DATA");
    }
    if (b.drop_after_data) {
      side.drop_after_data = *b.drop_after_data;
      done.push_back(*b.drop_after_data ? "drops connections after storing, before the 250" : "sends its 250 again");
    }
    if (b.storage_full) { sb.storage_full = *b.storage_full; done.push_back(*b.storage_full ? "storage full (452)" : "storage ok"); }
    if (b.close_with_421) {
      if (*b.close_with_421) sb.refuse_connection = smtp::ServerReply{421, "", ""};
      else sb.refuse_connection.reset();
      done.push_back(*b.close_with_421 ? "answers 421 and closes" : "accepts connections again");
    }
    if (b.auth_reject) {
      if (*b.auth_reject) sb.reject_auth = smtp::ServerReply{535, "5.7.8", ""}; else sb.reject_auth.reset();
      done.push_back(*b.auth_reject ? "rejects every AUTH" : "checks AUTH normally");
    }
  } else if (Pop3Host* p = w.pop3(b.host)) {
    pop3::ServerBehaviour& pb = p->config().behaviour;
    if (b.reset) { pb = pop3::ServerBehaviour{}; done.push_back("back to normal"); }
    if (b.tarpit) { pb.response_delay = *b.tarpit; done.push_back("slow answers (" + format_duration(*b.tarpit) + ")"); }
    if (b.auth_reject) { pb.reject_credentials = *b.auth_reject; done.push_back("rejects passwords"); }
    if (b.storage_full) { pb.sys_temp = *b.storage_full; done.push_back("[SYS/TEMP] on login"); }
    for (const ReplyOverride& r : b.replies) {
      if (r.line.find("[IN-USE]") != std::string::npos) { pb.mailbox_in_use = !r.clear; done.push_back("mailbox locked"); }
      else if (r.line.find("[AUTH]") != std::string::npos) { pb.reject_credentials = !r.clear; done.push_back("rejects passwords"); }
      else if (r.line.find("[SYS/TEMP]") != std::string::npos) { pb.sys_temp = !r.clear; done.push_back("[SYS/TEMP] on login"); }
      else skipped.push_back("POP3 reply \"" + r.line + "\" cannot be simulated");
    }
  } else {
    skipped.push_back("host " + b.host + " has no server whose behaviour can change");
  }
  std::string s = b.host + ":";
  for (const auto& d : done) s += " " + d + ";";
  for (const auto& d : skipped) s += " (ignored: " + d + ");";
  if (!s.empty() && s.back() == ';') s.pop_back();
  return s;
}

}  // namespace smtpsim::scenario
