// mail_dsn.cpp - building RFC 3464 delivery status notifications (multipart/report messages).
#include "sim/mail/mail_dsn.hpp"

#include "sim/mail/mail_mime.hpp"

namespace smtpsim::mail {

namespace {

// field_text - a value safe for one delivery-status field: printable ASCII, no line breaks.
std::string field_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n' || c == '\t') out.push_back(' ');
    else out.push_back(u >= 32 && u < 127 ? c : '?');
  }
  return out;
}

// field - one folded "Name: value\r\n" line.
std::string field(std::string_view name, std::string_view value) { return Header(name, field_text(value)).raw(); }

// bchars_only - text reduced to characters allowed in a MIME boundary (no space).
std::string bchars_only(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == '_' || c == '/' || c == '+' || c == '=';
    out.push_back(ok ? c : '-');
  }
  return out;
}

// default_status - the Status field when the caller gave none.
std::string default_status(DsnAction a) {
  switch (a) {
    case DsnAction::Failed: return "5.0.0";
    case DsnAction::Delayed: return "4.0.0";
    default: return "2.0.0";
  }
}

}  // namespace

std::string_view to_string(DsnAction a) {
  switch (a) {
    case DsnAction::Failed: return "failed";
    case DsnAction::Delayed: return "delayed";
    case DsnAction::Delivered: return "delivered";
    case DsnAction::Relayed: return "relayed";
    case DsnAction::Expanded: return "expanded";
  }
  return "failed";
}

std::optional<DsnAction> parse_dsn_action(std::string_view text) {
  for (DsnAction a : {DsnAction::Failed, DsnAction::Delayed, DsnAction::Delivered, DsnAction::Relayed,
                      DsnAction::Expanded})
    if (iequals(text, to_string(a))) return a;
  return std::nullopt;
}

bool should_notify(const Recipient& r, DsnAction a) {
  switch (a) {
    case DsnAction::Failed: return wants_failure(r);
    case DsnAction::Delayed: return wants_delay(r);
    case DsnAction::Delivered:
    case DsnAction::Relayed:
    case DsnAction::Expanded: return wants_success(r);
  }
  return false;
}

std::string dsn_boundary(std::string_view queue_id, std::int64_t unix_seconds, std::string_view host,
                         std::string_view content) {
  std::string base = bchars_only(queue_id.empty() ? std::string_view("DSN") : queue_id) + "." +
                     std::to_string(unix_seconds) + "/" + bchars_only(host.empty() ? "localhost" : host);
  if (base.size() > 64) base.resize(64);
  std::string b = base;
  for (int n = 1; content.find(b) != std::string_view::npos; ++n) b = base + "." + std::to_string(n);
  return b;
}

std::optional<Dsn> build_dsn(const DsnReport& rep, const Envelope& oenv, const Message& orig) {
  if (is_bounce(oenv)) return std::nullopt;  // never bounce a bounce (RFC 5321 6.1)
  std::vector<DsnRecipientReport> shown;
  for (const DsnRecipientReport& r : rep.recipients)
    if (should_notify(r.recipient, r.action)) {
      shown.push_back(r);
      if (shown.back().status.empty()) shown.back().status = default_status(r.action);
    }
  if (shown.empty()) return std::nullopt;

  bool any_failed = false, any_delayed = false;
  for (const auto& r : shown) {
    any_failed |= r.action == DsnAction::Failed;
    any_delayed |= r.action == DsnAction::Delayed;
  }

  // --- what goes back to the sender ---
  bool full = false;
  std::string attached;
  std::size_t osize = orig.size();
  if (any_failed) {
    if (oenv.ret == Ret::Hdrs) {
      attached = "Only the header of your message is attached below, as the sender asked (RET=HDRS).";
    } else if (rep.return_size_limit && osize > rep.return_size_limit) {
      attached = "Your message was " + std::to_string(osize) + " bytes, more than the " +
                 std::to_string(rep.return_size_limit) +
                 " bytes this system returns, so only its header is attached below.";
    } else {
      full = true;
      attached = "A copy of your message is attached below.";
    }
  } else {
    attached = "The header of your message is attached below.";
  }
  std::string returned;
  if (full) {
    returned = orig.serialize();
  } else {
    for (const Header& h : orig.headers()) returned += h.raw();
  }
  bool eight = !is_ascii(returned);

  // --- part 1: the text for people ---
  std::string text_part = "Content-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" +
                          dsn_human_text(rep, shown, attached);

  // --- part 2: message/delivery-status ---
  std::string ds = "Content-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n";
  ds += field("Reporting-MTA", "dns; " + rep.reporting_mta);
  if (!rep.received_from_mta.empty()) ds += field("Received-From-MTA", "dns; " + rep.received_from_mta);
  if (!oenv.envid.empty()) ds += field("Original-Envelope-Id", oenv.envid);
  ds += field("Arrival-Date", rep.clock.rfc5322(rep.arrival));
  for (const DsnRecipientReport& r : shown) {
    ds += "\r\n";
    if (r.recipient.orcpt) ds += field("Original-Recipient", r.recipient.orcpt->type + ";" + r.recipient.orcpt->address);
    ds += field("Final-Recipient", "rfc822; " + r.recipient.address.str());
    ds += field("Action", to_string(r.action));
    ds += field("Status", r.status);
    if (!r.remote_mta.empty()) ds += field("Remote-MTA", "dns; " + r.remote_mta);
    if (!r.diagnostic.empty()) ds += field("Diagnostic-Code", "smtp; " + r.diagnostic);
    else if (!r.reason.empty()) ds += field("Diagnostic-Code", "X-smtpsim; " + r.reason);
    if (r.last_attempt) ds += field("Last-Attempt-Date", rep.clock.rfc5322(*r.last_attempt));
    if (r.action == DsnAction::Delayed && r.will_retry_until)
      ds += field("Will-Retry-Until", rep.clock.rfc5322(*r.will_retry_until));
  }

  // --- part 3: the original or its header ---
  std::string desc = any_failed ? (full ? "Undelivered Message" : "Undelivered Message Headers")
                                : (any_delayed ? "Delayed Message Headers" : "Delivered Message Headers");
  std::string ret_part = "Content-Description: " + desc + "\r\nContent-Type: " +
                         (full ? "message/rfc822" : "text/rfc822-headers") + "\r\n" +
                         (eight ? "Content-Transfer-Encoding: 8bit\r\n" : "") + "\r\n" + returned;

  std::vector<std::string> parts = {std::move(text_part), std::move(ds), std::move(ret_part)};
  std::string all;
  for (const auto& p : parts) all += p;
  std::int64_t now_unix = rep.clock.unix_seconds(rep.now);
  std::string boundary = dsn_boundary(rep.queue_id, now_unix, rep.reporting_mta, all);

  Dsn dsn;
  Message& m = dsn.message;
  std::string host = rep.reporting_mta.empty() ? std::string("localhost") : rep.reporting_mta;
  m.append("From", "MAILER-DAEMON@" + host + " (Mail Delivery System)");
  m.append("To", oenv.reverse_path.str());
  m.append("Subject", any_failed ? "Undelivered Mail Returned to Sender"
                                 : (any_delayed ? "Delayed Mail (still being retried)"
                                                : "Successful Mail Delivery Report"));
  m.append("Date", rep.clock.rfc5322(rep.now));
  m.append("Message-ID", rep.message_id.empty()
                             ? "<" + rep.clock.compact(rep.now) + "." +
                                   bchars_only(rep.queue_id.empty() ? "DSN" : rep.queue_id) + ".dsn@" + host + ">"
                             : rep.message_id);
  m.append("Auto-Submitted", "auto-replied");
  m.append("MIME-Version", "1.0");
  m.append("Content-Type", "multipart/report; report-type=delivery-status;\r\n\tboundary=\"" + boundary + "\"");
  if (eight) m.append("Content-Transfer-Encoding", "8bit");
  m.set_body(join_multipart(parts, boundary, "This is a MIME-encapsulated message.\r\n"));

  dsn.envelope.reverse_path = Address();
  Recipient to;
  to.address = oenv.reverse_path;
  dsn.envelope.recipients.push_back(std::move(to));
  if (eight) dsn.envelope.body = BodyType::EightBitMime;
  return dsn;
}

}  // namespace smtpsim::mail
