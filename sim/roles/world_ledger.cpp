// world_ledger.cpp - custody bookkeeping and the end-of-run conservation verdict.
#include "sim/roles/world_ledger.hpp"

namespace smtpsim {

const char* to_string(Fate f) {
  switch (f) {
    case Fate::Delivered: return "delivered";
    case Fate::Bounced: return "bounced";
    case Fate::Queued: return "queued";
    case Fate::Lost: return "lost";
    case Fate::NotAccepted: return "not accepted";
  }
  return "?";
}

namespace {
// holder_name - "host:queue_id", how a custody holder is listed.
std::string holder_name(const std::string& host, const std::string& qid) {
  std::string h;
  h.reserve(host.size() + 1 + qid.size());
  h.append(host).append(":").append(qid);
  return h;
}
}  // namespace

int MailLedger::compare_joined(std::string_view name, HolderRef h) {
  for (std::string_view part : {h.host, std::string_view(":"), h.qid}) {
    const std::string_view head = name.substr(0, part.size());
    if (const int c = head.compare(part); c != 0) return c;
    name.remove_prefix(head.size());
  }
  return name.empty() ? 0 : 1;
}

MailLedger::Entry& MailLedger::entry(LedgerRef k) {
  auto hit = index_.find(k);
  if (hit != index_.end()) return *hit->second;
  auto it = entries_.emplace(LedgerKey{std::string(k.msgid), std::string(k.rcpt)}, Entry{}).first;
  index_.emplace(LedgerRef(it->first), &it->second);
  return it->second;
}

void MailLedger::submitted(LedgerRef k, SimTime) { entry(k).submitted = true; }

void MailLedger::accepted(LedgerRef k, const std::string& host, const std::string& qid, bool dsn) {
  Entry& e = entry(k);
  e.accepted = true;
  e.is_dsn = e.is_dsn || dsn;
  e.holders.insert(holder_name(host, qid));
}

void MailLedger::released(LedgerRef k, const std::string& host, const std::string& qid) {
  Entry& e = entry(k);
  auto it = e.holders.find(HolderRef{host, qid});
  if (it != e.holders.end()) e.holders.erase(it);
}

void MailLedger::delivered(LedgerRef k, const std::string&, SimTime t) {
  Entry& e = entry(k);
  e.deliveries++;
  if (e.delivered_at < 0) e.delivered_at = t;
}

void MailLedger::bounced(LedgerRef k, const std::string&, SimTime t, const std::string& reason) {
  Entry& e = entry(k);
  e.bounced = true;
  if (e.bounced_at < 0) e.bounced_at = t;
  e.bounce_reason = reason;
}

void MailLedger::dropped(LedgerRef k, const std::string& host, const std::string& qid, const std::string& cause) {
  Entry& e = entry(k);
  auto it = e.holders.find(holder_name(host, qid));
  if (it != e.holders.end()) e.holders.erase(it);
  e.drops.push_back(host + ": " + cause);
}

void MailLedger::uncertain(LedgerRef k, const std::string& from, const std::string& to, SimTime t) {
  entry(k).uncertain.push_back(from + " lost the connection to " + to + " after the end of DATA at " +
                               format_time(t) + ", before the 250 arrived, and sent it again");
}

int MailLedger::custody_count(LedgerRef k) const {
  auto it = index_.find(k);
  return it == index_.end() ? 0 : int(it->second->holders.size());
}

LedgerSummary MailLedger::summarize() const {
  LedgerSummary s;
  std::set<std::string> msgs;
  for (const auto& [k, e] : entries_) {
    if (!e.accepted && !e.submitted) continue;
    LedgerLine l;
    l.key = k;
    l.is_dsn = e.is_dsn;
    l.deliveries = e.deliveries;
    l.delivered_at = e.delivered_at;
    l.bounced_at = e.bounced_at;
    for (const auto& h : e.holders) l.holders.push_back(h);
    if (e.deliveries > 0) {
      l.fate = Fate::Delivered;
    } else if (e.bounced) {
      l.fate = Fate::Bounced;
      l.cause = e.bounce_reason;
    } else if (!e.holders.empty()) {
      l.fate = Fate::Queued;
    } else if (e.accepted) {
      l.fate = Fate::Lost;
      l.cause = e.drops.empty() ? "no host holds it and it was never delivered or bounced" : e.drops.front();
    } else {
      l.fate = Fate::NotAccepted;
    }
    if (!e.is_dsn) {
      msgs.insert(k.msgid);
      if (l.fate != Fate::NotAccepted) s.recipients++;
      switch (l.fate) {
        case Fate::Delivered: s.delivered++; break;
        case Fate::Bounced: s.bounced++; break;
        case Fate::Queued: s.queued++; break;
        case Fate::Lost: s.lost++; break;
        case Fate::NotAccepted: break;
      }
    } else {
      s.dsn_sent++;
      if (l.fate == Fate::Lost) s.lost++;
    }
    if (l.fate == Fate::Lost)
      s.problems.push_back("LOST " + k.msgid + " for " + k.rcpt + ": " + l.cause);
    if (e.deliveries > 1) {
      s.duplicates += e.deliveries - 1;
      if (e.uncertain.empty()) {
        s.problems.push_back("UNEXPLAINED DUPLICATE " + k.msgid + " for " + k.rcpt + ": delivered " +
                             std::to_string(e.deliveries) + " times");
      } else {
        l.cause = e.uncertain.front();
      }
    }
    s.lines.push_back(std::move(l));
  }
  s.messages = int(msgs.size());
  return s;
}

}  // namespace smtpsim
