// mail_dsn_text.cpp - the plain-language part of a DSN and the status-code explanations it uses.
#include <cstdio>

#include "sim/mail/mail_dsn.hpp"

namespace smtpsim::mail {

namespace {

constexpr std::size_t kWidth = 72;

// printable - remote or client text made safe for a us-ascii text part.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n' || c == '\t') out.push_back(' ');
    else out.push_back(u >= 32 && u < 127 ? c : '?');
  }
  return out;
}

// wrap - words of `text` in lines of at most kWidth columns, every line starting with `indent`
// (the first with `first`), each line ending CRLF. Over-long words stay whole.
std::string wrap(std::string_view text, std::string_view first, std::string_view indent) {
  std::string out, line(first);
  bool empty = true;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j == i) break;
    std::string_view word = text.substr(i, j - i);
    if (!empty && line.size() + 1 + word.size() > kWidth) {
      out += line + "\r\n";
      line = std::string(indent);
      empty = true;
    }
    if (!empty) line += ' ';
    line += word;
    empty = false;
    i = j;
  }
  if (!empty) out += line + "\r\n";
  return out;
}

// subject_detail - "1.1" from "5.1.1"; "" if the code is not x.y.z.
std::string subject_detail(std::string_view status) {
  std::size_t dot = status.find('.');
  if (dot == std::string_view::npos || dot + 1 >= status.size()) return "";
  return std::string(status.substr(dot + 1));
}

// plural - "1 time" / "3 times".
std::string plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string human_duration(Duration d) {
  if (d < 0) d = -d;
  long long s = d / 1000000;
  if (s < 1) return "less than a second";
  long long days = s / 86400, hours = s / 3600 % 24, mins = s / 60 % 60, secs = s % 60;
  std::string out;
  auto add = [&](long long n, const char* one, const char* many) {
    if (n == 0) return;
    if (!out.empty()) out += ' ';
    out += plural(n, one, many);
  };
  if (days) { add(days, "day", "days"); add(hours, "hour", "hours"); }
  else if (hours) { add(hours, "hour", "hours"); add(mins, "minute", "minutes"); }
  else if (mins) { add(mins, "minute", "minutes"); add(secs, "second", "seconds"); }
  else add(secs, "second", "seconds");
  return out;
}

std::string status_meaning(std::string_view status) {
  struct Entry { const char* sd; const char* text; };
  static constexpr Entry kTable[] = {
      {"0.0", "delivery failed for a reason the server did not classify"},
      {"1.0", "there is a problem with the recipient address"},
      {"1.1", "the receiving server says this mailbox does not exist"},
      {"1.2", "the domain of the address does not exist or cannot receive mail"},
      {"1.3", "the recipient address is not valid"},
      {"1.6", "the mailbox has moved and no forwarding address is known"},
      {"1.10", "the recipient's domain publishes a \"null MX\": it states that it accepts no mail at all"},
      {"2.0", "there is a problem with the recipient's mailbox"},
      {"2.1", "the recipient's mailbox is disabled"},
      {"2.2", "the recipient's mailbox is full"},
      {"2.3", "the message is longer than the recipient's mailbox accepts"},
      {"3.0", "the receiving mail system has a problem"},
      {"3.4", "the message is larger than the receiving system accepts"},
      {"4.0", "there was a network or routing problem"},
      {"4.1", "no server for the recipient's domain answered (the connection was refused or timed out)"},
      {"4.2", "the connection to the receiving server broke off during the transfer"},
      {"4.3", "looking up the recipient's domain in DNS failed"},
      {"4.4", "DNS gives no usable mail server for the recipient's domain"},
      {"4.6", "the message went round in a loop between servers (too many Received: lines)"},
      {"4.7", "the message could not be delivered within the time allowed"},
      {"5.0", "the receiving server reported a protocol error"},
      {"5.2", "the receiving server did not accept a command"},
      {"5.3", "the message had too many recipients for the receiving server"},
      {"5.4", "the receiving server did not accept a command parameter"},
      {"6.0", "the receiving server did not accept the message content"},
      {"7.0", "delivery was refused for security or policy reasons"},
      {"7.1", "the receiving server refused it by policy (for example relaying denied, sender blocked, or a spam filter)"},
      {"7.11", "the receiving server requires an encrypted connection"},
  };
  std::string sd = subject_detail(status);
  if (!status.empty() && status[0] == '2') return "the message was delivered";
  for (const Entry& e : kTable)
    if (sd == e.sd) return e.text;
  static constexpr const char* kSubject[8] = {"delivery failed",
                                              "there is a problem with the recipient address",
                                              "there is a problem with the recipient's mailbox",
                                              "the receiving mail system has a problem",
                                              "there was a network or routing problem",
                                              "there was a mail protocol problem",
                                              "the message content was not accepted",
                                              "delivery was refused for security or policy reasons"};
  if (!sd.empty() && sd[0] >= '0' && sd[0] <= '7') return kSubject[sd[0] - '0'];
  return "delivery failed";
}

std::string status_advice(std::string_view status, DsnAction action) {
  switch (action) {
    case DsnAction::Delayed:
      return "Nothing yet. The mail system keeps trying on its own; you will get another report only "
             "if it finally gives up.";
    case DsnAction::Delivered:
    case DsnAction::Expanded:
      return "Nothing: this is a confirmation you asked for.";
    case DsnAction::Relayed:
      return "Nothing: the next server does not send delivery reports, so this is the last "
             "confirmation you will get.";
    case DsnAction::Failed:
      break;
  }
  std::string sd = subject_detail(status);
  if (sd == "1.1")
    return "Check the spelling of the address, or ask the recipient for the correct one, then send "
           "the message again.";
  if (sd == "1.2" || sd == "1.10" || sd == "4.4" || sd == "4.3")
    return "Check the part of the address after the @. If it is right, the recipient's domain cannot "
           "receive mail: reach them another way.";
  if (sd == "2.2") return "Try again later, or reach the recipient another way: they need to make room.";
  if (sd == "3.4" || sd == "2.3")
    return "Send a smaller message, for example a link instead of a large attachment.";
  if (sd == "4.6") return "Tell your postmaster: the servers forward this address to each other in a circle.";
  if (sd.size() >= 2 && sd[0] == '7')
    return "The receiving server refused the message on purpose. If you think this is a mistake, "
           "contact the recipient or their postmaster another way.";
  if ((!status.empty() && status[0] == '4') || sd == "4.1" || sd == "4.2" || sd == "4.7")
    return "The receiving side could not be reached for the whole retry period. Check the address; if "
           "it is right, send the message again later or tell the recipient their mail server is "
           "unreachable.";
  return "If you cannot see why, ask your postmaster for help and include this report.";
}

std::string dsn_human_text(const DsnReport& rep, const std::vector<DsnRecipientReport>& shown,
                           std::string_view attached) {
  bool any_failed = false, any_delayed = false;
  for (const auto& r : shown) {
    any_failed |= r.action == DsnAction::Failed;
    any_delayed |= r.action == DsnAction::Delayed;
  }
  std::string host = printable(rep.reporting_mta);
  std::string t = "This is the mail system at host " + host + ".\r\n\r\n";
  if (any_failed) {
    t += wrap("Your message could not be delivered to one or more of its recipients. What happened "
              "to each of them is explained below.", "", "");
  } else if (any_delayed) {
    t += "####################################################################\r\n"
         "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n"
         "####################################################################\r\n\r\n";
    t += wrap("Your message has not been delivered yet to the recipients below. The mail system keeps "
              "trying on its own.", "", "");
  } else {
    t += wrap("Your message was delivered to the recipients below. This report was sent because you "
              "asked for one (NOTIFY=SUCCESS).", "", "");
  }
  t += "\r\n";
  if (!attached.empty()) t += wrap(attached, "", "") + "\r\n";
  t += wrap("If you need help, send mail to postmaster@" + host + " and include this report.", "", "");
  t += "\r\n";
  for (const DsnRecipientReport& r : shown) {
    std::string rcpt = "<" + printable(r.recipient.address.str()) + ">";
    std::string result;
    switch (r.action) {
      case DsnAction::Failed:
        result = (!r.status.empty() && r.status[0] == '4') ? "delivery failed, gave up" : "delivery failed";
        break;
      case DsnAction::Delayed: result = "delivery delayed"; break;
      case DsnAction::Delivered: result = "delivered"; break;
      case DsnAction::Relayed: result = "relayed to a server that does not send delivery reports"; break;
      case DsnAction::Expanded: result = "delivered to a list or alias and expanded"; break;
    }
    std::string head = rcpt + ": " + result;
    if (!r.status.empty()) head += " (status " + printable(r.status) + ")";
    t += wrap(head, "", "    ");
    if (r.recipient.orcpt && r.recipient.orcpt->address != r.recipient.address.str())
      t += wrap("Originally addressed to <" + printable(r.recipient.orcpt->address) + ">.", "    ", "    ");
    if (!r.status.empty()) t += wrap("What it means: " + status_meaning(r.status) + ".", "    ", "    ");
    std::string who = printable(r.remote_mta);
    if (!r.remote_ip.empty()) who += (who.empty() ? "[" : " [") + printable(r.remote_ip) + "]";
    if (!r.diagnostic.empty()) {
      std::string lead = who.empty() ? std::string("The receiving server") : who;
      lead += r.smtp_command.empty() ? " answered:" : " answered the " + printable(r.smtp_command) + " command with:";
      t += wrap(lead, "    ", "    ");
      t += wrap(printable(r.diagnostic), "        ", "        ");
    }
    if (!r.reason.empty()) t += wrap("Last problem: " + printable(r.reason) + ".", "    ", "    ");
    std::string arrived = rep.clock.rfc5322(rep.arrival);
    std::string tried;
    if (r.attempts > 0 && r.last_attempt) {
      tried = "Tried " + plural(r.attempts, "time", "times") + " over " +
              human_duration(*r.last_attempt - rep.arrival) + ": the message arrived on " + arrived +
              " and the last attempt was on " + rep.clock.rfc5322(*r.last_attempt) + ".";
    } else if (r.last_attempt) {
      tried = "The message arrived on " + arrived + "; the last attempt was on " +
              rep.clock.rfc5322(*r.last_attempt) + ".";
    } else {
      tried = "The message arrived on " + arrived + ".";
    }
    if (r.action == DsnAction::Delayed && r.will_retry_until)
      tried += " The mail system will keep trying until " + rep.clock.rfc5322(*r.will_retry_until) + ".";
    t += wrap(tried, "    ", "    ");
    std::string advice = status_advice(r.status, r.action);
    if (!advice.empty() && advice[0] >= 'A' && advice[0] <= 'Z') advice[0] = char(advice[0] - 'A' + 'a');
    t += wrap("What you can do: " + advice, "    ", "    ");
    t += "\r\n";
  }
  t += "                   The mail system\r\n";
  return t;
}

}  // namespace smtpsim::mail
