// mta_host.cpp - an MTA's life: construction, start, crash and restart, taking mail into the spool.
#include "sim/roles/mta_host.hpp"
#include "sim/core/ascii.hpp"

#include <array>

#include "sim/mail/mail_address.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_received.hpp"
#include "sim/roles/mta_server.hpp"
#include "sim/roles/role_conn.hpp"

namespace smtpsim {

namespace {
constexpr auto lower = ascii_lower_copy;
std::string domain_part(const std::string& addr) {
  auto at = addr.rfind('@');
  return at == std::string::npos ? std::string() : lower(addr.substr(at + 1));
}
}  // namespace

MtaHost::MtaHost(WorldContext& ctx, HostId host, MtaConfig cfg)
    : ctx_(ctx), host_(host), cfg_(std::move(cfg)), rng_(ctx.rng.derive("mta/" + cfg_.name)),
      ids_(cfg_.name, ctx.rng.derive("ids/" + cfg_.name)) {
  resolver_ = std::make_unique<Resolver>(ctx_.net, host_, ctx_.dns_host, ctx_.zones, cfg_.dns_timeout);
  if (cfg_.directory && cfg_.store) mda_ = std::make_unique<mail::Mda>(*cfg_.directory, *cfg_.store);
  server_ = std::make_unique<ServerSide>(*this);
  server_->tls_required = cfg_.require_starttls;
  server_->behaviour.greylist = cfg_.greylist;
  server_->behaviour.greylist_config.delay = cfg_.greylist_delay;
}

MtaHost::~MtaHost() {
  *alive_ = false;
  if (queue_timer_) ctx_.sched.cancel(queue_timer_);
}

void MtaHost::start() {
  listen_all();
  kick();
}

void MtaHost::on_host_change(bool up) {
  if (!up) {
    ++generation_;
    if (queue_timer_) ctx_.sched.cancel(queue_timer_);
    queue_timer_ = {};
    queue_timer_at_ = kNever;
    abandon_attempts();
    attempts_.clear();
    inflight_.clear();
    waiting_.clear();
    due_.clear();
    for (auto& [id, c] : server_conns_) c->abort();
    server_conns_.clear();
    std::size_t lost = 0;
    for (const std::string& qid : spool_ids()) {
      QueueEntry& e = spool_.at(qid);
      for (QueueRcpt& r : e.rcpts) {
        if (r.state == RcptState::Delivered || r.state == RcptState::Bounced) continue;
        if (r.state == RcptState::InFlight) r.state = RcptState::Deferred;
        if (!cfg_.durable_spool) {
          ctx_.ledger.dropped({e.msgid, r.address}, cfg_.name, qid, "volatile spool of " + cfg_.name + " lost in a crash");
          ++lost;
        }
      }
      if (!cfg_.durable_spool && e.expiry) ctx_.sched.cancel(e.expiry);
    }
    if (!cfg_.durable_spool) {
      if (!spool_.empty())
        ctx_.note(cfg_.name, "volatile spool lost " + std::to_string(spool_.size()) + " message(s) (" +
                                 std::to_string(lost) + " recipient(s)) in the crash");
      spool_.clear();
    } else if (!spool_.empty()) {
      ctx_.note(cfg_.name, "durable spool keeps " + std::to_string(spool_.size()) + " message(s) through the crash");
    }
    return;
  }
  // Back up: listen again and rescan the queue, like a real MTA at start-up.
  listen_all();
  const SimTime now = ctx_.sched.now();
  for (const std::string& qid : spool_ids()) {
    QueueEntry& e = spool_.at(qid);
    for (std::size_t i = 0; i < e.rcpts.size(); ++i) {
      QueueRcpt& r = e.rcpts[i];
      if (r.state == RcptState::Queued || r.state == RcptState::Deferred) {
        SimTime at = r.next_at == kNever || r.next_at < now ? now : r.next_at;
        r.next_at = at;
        due_.push(at, qid, i);
      }
    }
  }
  kick();
}

bool MtaHost::is_local_domain(const std::string& domain) const {
  return cfg_.directory && cfg_.directory->is_local_domain(domain);
}

bool MtaHost::relay_allowed(const std::string& client_name, const std::string& rcpt_domain, bool authenticated) const {
  std::string d = lower(rcpt_domain);
  if (is_local_domain(d) || cfg_.relay_domains.count(d) || cfg_.transport.count(d)) return true;
  if (authenticated) return true;
  return cfg_.relay_clients.count(client_name) > 0;
}

AcceptResult MtaHost::rcpt_check(const std::string& rcpt) const {
  AcceptResult r;
  r.ok = true;
  if (mda_ && is_local_domain(domain_part(rcpt)) && !mda_->accepts(rcpt)) {
    mail::DeliveryResult d = mda_->check(rcpt);
    if (!d.ok() && d.status != mail::DeliveryStatus::OverQuota) {
      r.ok = false;
      r.code = d.code;
      r.enhanced = d.enhanced;
      r.text = d.text;
    }
  }
  return r;
}

// complete_headers - the fields a client left out (Message-ID, Date, From), as Postfix's cleanup
// adds them at the end of the header section, and the message's Message-ID.
MtaHost::HeaderFixup MtaHost::complete_headers(std::string_view data, const std::string& sender, SimTime now,
                                               const std::string& date) {
  static constexpr std::array<std::string_view, 3> kNames{"Message-ID", "Date", "From"};
  std::array<std::optional<mail::FieldView>, 3> found;
  mail::find_fields(data, kNames, found);
  HeaderFixup fix;
  if (found[0]) {
    fix.msgid = mail::field_value(found[0]->raw);
  } else {
    mail::Header h("Message-ID", ids_.message_id(now, ctx_.clock));
    fix.msgid = h.value();
    fix.fields += h.raw();
  }
  if (!found[1]) fix.fields += mail::Header("Date", date).raw();
  if (!found[2] && !sender.empty()) fix.fields += mail::Header("From", "<" + sender + ">").raw();
  return fix;
}

// received_fields - the facts of the session that go into our Received header (the HELO name,
// the authenticated user and the date are moved out of in and date).
mail::ReceivedFields MtaHost::received_fields(Incoming& in, const std::string& qid, std::string date) const {
  mail::ReceivedFields f;
  f.helo = std::move(in.helo);
  f.client_rdns = in.client_name;
  f.client_ip = ipv4_to_string(in.client_ip);
  f.by = cfg_.name;
  f.with = mail::with_protocol(true, in.tls, !in.auth_user.empty());
  f.id = qid;
  f.recipients.reserve(in.rcpts.size());
  for (const auto& r : in.rcpts) f.recipients.push_back(r.address);
  if (in.tls) {
    auto sp = in.tls_detail.find(' ');
    f.tls_version = in.tls_detail.substr(0, sp);
    if (sp != std::string::npos) f.tls_cipher = in.tls_detail.substr(sp + 1);
    f.tls_bits = in.tls_bits;
  }
  f.auth_user = std::move(in.auth_user);
  f.date = std::move(date);
  return f;
}

AcceptResult MtaHost::accept(Incoming in) {
  AcceptResult res;
  const SimTime now = ctx_.sched.now();
  QueueEntry e;
  e.qid = ids_.queue_id(now);
  std::string date = ctx_.clock.rfc5322(now);  // for Date: (when missing) and Received:
  HeaderFixup fix = complete_headers(in.data, in.sender, now, date);
  e.msgid = std::move(fix.msgid);
  // The spooled message is our Received field, then the message as it came with the missing fields added.
  e.data.reserve(in.data.size() + fix.fields.size() + 512);
  mail::append_received_field(e.data, received_fields(in, e.qid, std::move(date)));
  mail::append_with_fields(e.data, in.data, fix.fields);
  e.is_dsn = in.sender.empty();
  e.sender = std::move(in.sender);
  e.envid = std::move(in.envid);
  e.ret = in.ret;
  e.body = in.body;
  e.arrival = now;
  e.received_from = std::move(in.client_name);
  e.rcpts.reserve(in.rcpts.size());
  for (auto& r : in.rcpts) {
    QueueRcpt q;
    q.address = std::move(r.address);
    q.notify = r.notify;
    q.orcpt = std::move(r.orcpt);
    e.rcpts.push_back(std::move(q));
  }
  QueueEntry& q = spool_entry(std::move(e));
  const std::string_view from = q.received_from.empty() ? std::string_view("?") : std::string_view(q.received_from);
  const std::string size = std::to_string(q.data.size());
  for (std::size_t i = 0; i < q.rcpts.size(); ++i) {
    ctx_.ledger.accepted({q.msgid, q.rcpts[i].address}, cfg_.name, q.qid, q.is_dsn);
    queue_event(q, q.rcpts[i], QueueState::Queued, {"queued from ", from, ", ", size, " bytes, next hop ", destination_of(q.rcpts[i].address)});
    q.rcpts[i].next_at = now;
    due_.push(now, q.qid, i);
  }
  if (accept_observer_) accept_observer_(q, &in);
  kick();
  res.ok = true;
  res.qid = q.qid;
  return res;
}

std::string MtaHost::inject(const std::string& sender, const std::vector<std::string>& rcpts, std::string data, bool is_dsn) {
  const SimTime now = ctx_.sched.now();
  QueueEntry e;
  e.qid = ids_.queue_id(now);
  if (const auto id = mail::find_field(data, "Message-ID")) {
    e.msgid = mail::field_value(id->raw);
    e.data = std::move(data);
  } else {
    mail::Header h("Message-ID", ids_.message_id(now, ctx_.clock));
    e.msgid = h.value();
    e.data.reserve(data.size() + h.raw().size() + 2);
    mail::append_with_fields(e.data, data, h.raw());
  }
  e.sender = sender;
  e.arrival = now;
  e.is_dsn = is_dsn;
  e.received_from = cfg_.name;
  e.rcpts.reserve(rcpts.size());
  for (const auto& r : rcpts) {
    QueueRcpt q;
    q.address = r;
    e.rcpts.push_back(std::move(q));
  }
  QueueEntry& q = spool_entry(std::move(e));
  const std::string_view what = is_dsn ? "delivery status notification" : "message";
  for (std::size_t i = 0; i < q.rcpts.size(); ++i) {
    ctx_.ledger.accepted({q.msgid, q.rcpts[i].address}, cfg_.name, q.qid, is_dsn);
    queue_event(q, q.rcpts[i], QueueState::Queued, {what, " created here, next hop ", destination_of(q.rcpts[i].address)});
    q.rcpts[i].next_at = now;
    due_.push(now, q.qid, i);
  }
  if (accept_observer_) accept_observer_(q, nullptr);
  kick();
  return q.qid;
}

// spool_entry - put a new entry into the spool under its queue id (moved, never copied).
QueueEntry& MtaHost::spool_entry(QueueEntry&& e) {
  std::string qid = e.qid;
  return spool_.try_emplace(std::move(qid), std::move(e)).first->second;
}

}  // namespace smtpsim
