// mail_mda.cpp - local delivery into mailboxes, answering in SMTP reply codes.
#include "sim/mail/mail_mda.hpp"
#include "sim/core/ascii.hpp"

namespace smtpsim::mail {

namespace {

// append_clean - s without CR, LF and other control characters (no header injection through an
// address), appended to out.
void append_clean(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x20 && c != 0x7F) out.push_back(char(c));
  }
}

// clean - s without control characters, as a new string.
std::string clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_clean(out, s);
  return out;
}

// bracketed_text - "<address>" and the text after it, built in one buffer.
std::string bracketed_text(std::string_view address, std::string_view text) {
  std::string out;
  out.reserve(address.size() + 2 + text.size());
  out.append("<").append(address).append(">").append(text);
  return out;
}

// unbracket - "<a@b>" -> "a@b".
std::string_view unbracket(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

constexpr auto ieq = ascii_iequals;

// make - fill a result.
DeliveryResult make(DeliveryStatus st, int code, const char* enh, std::string text, std::string rcpt) {
  DeliveryResult r;
  r.status = st;
  r.code = code;
  r.enhanced = enh;
  r.text = std::move(text);
  r.rcpt = std::move(rcpt);
  return r;
}

}  // namespace

// to_string - names for delivery outcomes.
const char* to_string(DeliveryStatus s) {
  switch (s) {
    case DeliveryStatus::Delivered: return "delivered";
    case DeliveryStatus::BadAddress: return "bad address";
    case DeliveryStatus::UnknownUser: return "unknown user";
    case DeliveryStatus::UnknownDomain: return "unknown domain";
    case DeliveryStatus::TooBig: return "too big";
    case DeliveryStatus::Loop: return "loop";
    case DeliveryStatus::OverQuota: return "over quota";
    case DeliveryStatus::TempFailure: return "temporary failure";
    case DeliveryStatus::PermFailure: return "permanent failure";
  }
  return "?";
}

// reply - "code enhanced text".
std::string DeliveryResult::reply() const {
  const std::string number = std::to_string(code);
  std::string out;
  out.reserve(number.size() + enhanced.size() + text.size() + 2);
  out.append(number).append(" ").append(enhanced).append(" ").append(text);
  return out;
}

// has_delivered_to - scan the header section (up to the first empty line), unfolded lines only.
bool has_delivered_to(std::string_view message, std::string_view addr) {
  addr = unbracket(addr);
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t eol = message.find('\n', pos);
    std::string_view line = message.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header section
    constexpr std::string_view kName = "delivered-to:";
    if (line.size() > kName.size() && ieq(line.substr(0, kName.size()), kName)) {
      std::string_view v = line.substr(kName.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      if (ieq(unbracket(v), addr)) return true;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return false;
}

// Mda - keep references to the directory and the store.
Mda::Mda(const Directory& directory, MailboxStore& store, MdaConfig cfg) : dir_(directory), store_(store), cfg_(cfg) {}

// check - directory lookup only, as the SMTP server does at RCPT time.
DeliveryResult Mda::check(std::string_view rcpt) const {
  Lookup l = dir_.lookup(rcpt);
  switch (l.status) {
    case LookupStatus::Found: {
      std::string text = bracketed_text(l.address, ": Recipient OK");
      DeliveryResult r = make(DeliveryStatus::Delivered, 250, "2.1.5", std::move(text), std::move(l.address));
      r.mailbox = l.user->mailbox;
      return r;
    }
    case LookupStatus::UnknownUser:
      return make(DeliveryStatus::UnknownUser, 550, "5.1.1",
                  "<" + l.address + ">: Recipient address rejected: User unknown in local recipient table", l.address);
    case LookupStatus::UnknownDomain:
      return make(DeliveryStatus::UnknownDomain, 550, "5.1.2",
                  "<" + l.address + ">: Recipient address rejected: " + l.detail, l.address);
    case LookupStatus::AliasLoop:
      return make(DeliveryStatus::Loop, 554, "5.4.6", "<" + l.address + ">: mail forwarding loop in aliases",
                  l.address);
    case LookupStatus::Invalid: break;
  }
  const std::string shown = clean(unbracket(rcpt)).substr(0, 256);
  return make(DeliveryStatus::BadAddress, 501, "5.1.3", "<" + shown + ">: Bad recipient address syntax", shown);
}

// accepts - check(rcpt).ok(): only a Found lookup gives 250.
bool Mda::accepts(std::string_view rcpt) const { return dir_.lookup(rcpt).found(); }

// trace_headers - Return-Path and Delivered-To lines.
std::string Mda::trace_headers(std::string_view sender, std::string_view rcpt) const {
  std::string h;
  append_trace_headers(h, sender, rcpt);
  return h;
}

// append_trace_headers - trace_headers() appended to out.
void Mda::append_trace_headers(std::string& out, std::string_view sender, std::string_view rcpt) const {
  if (cfg_.add_return_path) {
    out.append("Return-Path: <");
    append_clean(out, unbracket(sender));
    out.append(">\r\n");
  }
  if (cfg_.add_delivered_to) {
    out.append("Delivered-To: ");
    append_clean(out, unbracket(rcpt));
    out.append("\r\n");
  }
}

// deliver - check, size, loop, headers, store.
DeliveryResult Mda::deliver(std::string_view sender, std::string_view rcpt, std::string_view raw) {
  Lookup l = dir_.lookup(rcpt);
  if (!l.found()) return check(rcpt);  // the refusal check() words
  DeliveryResult r;                    // filled below in every case
  const std::string canon = std::move(l.address);
  const std::string& mailbox = l.user->mailbox;

  if (cfg_.detect_loops && has_delivered_to(raw, canon)) {
    r = make(DeliveryStatus::Loop, 554, "5.4.6",
             "<" + canon + ">: mail forwarding loop (message already has Delivered-To: " + canon + ")", canon);
    r.mailbox = mailbox;
    return r;
  }
  std::string message;
  message.reserve(sender.size() + canon.size() + 40 + raw.size());
  append_trace_headers(message, sender, canon);
  message.append(raw);
  if (cfg_.max_message_bytes != 0 && canonical_crlf(message).size() > cfg_.max_message_bytes) {
    r = make(DeliveryStatus::TooBig, 552, "5.3.4",
             "<" + canon + ">: Message size exceeds fixed maximum message size (" +
                 std::to_string(cfg_.max_message_bytes) + " octets)",
             canon);
    r.mailbox = mailbox;
    return r;
  }

  StoreResult s = store_.deliver_owned(mailbox, std::move(message));
  switch (s.status) {
    case StoreStatus::Ok: {
      std::string text;
      text.reserve(canon.size() + mailbox.size() + s.id.size() + 32);
      text.append("<").append(canon).append(">: delivered to mailbox ").append(mailbox).append(" as ").append(s.id);
      r = make(DeliveryStatus::Delivered, 250, "2.0.0", std::move(text), canon);
      r.id = std::move(s.id);
      break;
    }
    case StoreStatus::OverQuota:
      if (cfg_.quota_is_permanent) {
        r = make(DeliveryStatus::OverQuota, 552, "5.2.2", "<" + canon + ">: Mailbox full: " + s.detail, canon);
      } else {
        r = make(DeliveryStatus::OverQuota, 452, "4.2.2", "<" + canon + ">: Mailbox full, try again later: " + s.detail,
                 canon);
      }
      break;
    case StoreStatus::TempFailure:
    case StoreStatus::NotFound:
      r = make(DeliveryStatus::TempFailure, 451, "4.3.0", "<" + canon + ">: Temporary failure storing message: " + s.detail,
               canon);
      break;
    case StoreStatus::InvalidName:
    case StoreStatus::PermFailure:
      r = make(DeliveryStatus::PermFailure, 554, "5.3.0", "<" + canon + ">: Cannot store message: " + s.detail, canon);
      break;
  }
  r.mailbox = mailbox;
  return r;
}

}  // namespace smtpsim::mail
