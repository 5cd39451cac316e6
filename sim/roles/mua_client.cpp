// mua_client.cpp - the mail client's sending side: compose, submit over SMTP, try again on failure.
#include "sim/roles/mua_client.hpp"

#include "sim/mail/mail_compose.hpp"
#include "sim/roles/role_conn.hpp"

namespace smtpsim {

Mua::Mua(WorldContext& ctx, HostId host, MuaConfig cfg)
    : ctx_(ctx), host_(host), cfg_(std::move(cfg)), ids_(cfg_.name, ctx.rng.derive("ids/" + cfg_.name)) {
  if (cfg_.login.empty()) cfg_.login = cfg_.user;
  resolver_ = std::make_unique<Resolver>(ctx_.net, host_, ctx_.dns_host, ctx_.zones);
}

Mua::~Mua() {
  *alive_ = false;
  if (resubmit_timer_) ctx_.sched.cancel(resubmit_timer_);
  if (poll_timer_) ctx_.sched.cancel(poll_timer_);
}

void Mua::start() {
  if (!cfg_.fetch_host.empty() && cfg_.poll > 0) schedule_poll();
}

void Mua::on_host_change(bool up) {
  ++generation_;
  if (!up) {
    if (submit_conn_) {
      // The session dies with the host; what it already learned still counts (a 250 is a 250,
      // and an end of DATA left unanswered is the at-least-once doubt of a lost connection).
      if (auto* client = dynamic_cast<smtp::SmtpClient*>(&submit_conn_->engine())) {
        if (!submit_conn_->done()) client->on_closed(ctx_.sched.now());
        apply_submit_results(client->take_results());
      }
      submit_conn_->abort();
    }
    if (fetch_conn_) fetch_conn_->abort();
    submit_conn_.reset();
    fetch_conn_.reset();
    submitting_ = fetching_ = false;
    for (OutboxEntry& o : outbox_)
      if (o.state == OutboxEntry::State::Submitting) o.state = OutboxEntry::State::Waiting;
    return;
  }
  start();
  schedule_resubmit();
}

std::string Mua::send(const SendRequest& req) {
  const SimTime now = ctx_.sched.now();
  mail::ComposeSpec spec;
  spec.from = req.from.empty() ? cfg_.user : req.from;
  spec.to = req.to;
  spec.cc = req.cc;
  spec.subject = req.subject;
  spec.date = ctx_.clock.rfc5322(now);
  spec.message_id = ids_.message_id(now, ctx_.clock);
  spec.body = req.raw ? std::string() : req.body;
  spec.body_size = req.raw ? std::nullopt : req.size;
  spec.extra_headers.push_back({"User-Agent", "smtpsim-mua/1.0"});
  for (const auto& h : req.headers) spec.extra_headers.push_back(h);
  mail::Message m = mail::compose(spec);
  OutboxEntry o;
  o.label = req.label;
  o.message_id = spec.message_id;
  o.written_at = now;
  o.msg.id = spec.message_id;
  // The envelope sender is the account's address; a From: of another person is the header's business.
  o.msg.reverse_path = cfg_.user;
  for (const auto& list : {req.to, req.cc, req.bcc})
    for (const std::string& r : list) {
      std::string addr = r;
      auto lt = addr.find('<'), gt = addr.find('>');
      if (lt != std::string::npos && gt != std::string::npos && gt > lt) addr = addr.substr(lt + 1, gt - lt - 1);
      o.msg.recipients.push_back({addr, req.notify, ""});
    }
  o.msg.ret = req.ret;
  o.msg.envid = req.envid;
  o.msg.data = m.serialize();
  std::string raw_note;
  if (req.raw) {
    // Hostile input on purpose: the body goes out byte for byte after the header.
    o.msg.data += req.raw_body;
    o.msg.raw = true;
    std::size_t lf = 0, cr = 0;
    for (std::size_t i = 0; i < req.raw_body.size(); ++i) {
      const bool crlf = req.raw_body[i] == '\r' && i + 1 < req.raw_body.size() && req.raw_body[i + 1] == '\n';
      if (crlf) ++i;
      else if (req.raw_body[i] == '\n') ++lf;
      else if (req.raw_body[i] == '\r') ++cr;
    }
    raw_note = "the body is raw: " + std::to_string(lf) + " bare LF and " + std::to_string(cr) +
               " bare CR go out unrepaired (RFC 5321 2.3.8 forbids them)";
  }
  ctx_.note(cfg_.name, "writes \"" + req.subject + "\" to " + [&] {
    std::string s;
    for (const auto& r : o.msg.recipients) s += (s.empty() ? "" : ", ") + r.address;
    return s;
  }(), o.message_id);
  if (!raw_note.empty()) ctx_.note(cfg_.name, raw_note, o.message_id);
  outbox_.push_back(std::move(o));
  submit();
  return spec.message_id;
}

// submit - open one submission session for everything waiting in the outbox.
void Mua::submit() {
  if (submitting_ || cfg_.submit_host.empty() || !ctx_.net.host_up(host_)) return;
  bool any = false;
  for (const OutboxEntry& o : outbox_) any |= o.state == OutboxEntry::State::Waiting;
  if (!any) return;
  submitting_ = true;
  std::uint64_t gen = generation_;
  resolver_->query_a(cfg_.submit_host, [this, alive = alive_, gen](const DnsAnswer& a) {
    if (!*alive || gen != generation_) return;
    if (a.rcode != DnsRcode::NoError || a.addrs.empty()) {
      ctx_.note(cfg_.name, "cannot find the submission server " + cfg_.submit_host + " in DNS (" +
                               to_string(a.rcode) + "); will try again in " + format_duration(cfg_.resubmit_after));
      submitting_ = false;
      schedule_resubmit();
      return;
    }
    std::uint32_t ip = a.addrs.front();
    ctx_.net.connect(host_, ip, cfg_.submit_port, [this, alive, gen, ip](ConnectResult r, StreamPtr s) {
      if (!*alive || gen != generation_) { if (s) s->abort(); return; }
      if (r != ConnectResult::Ok) {
        ctx_.note(cfg_.name, "cannot connect to " + cfg_.submit_host + "[" + ipv4_to_string(ip) + "]:" +
                                 std::to_string(cfg_.submit_port) + " (" + to_string(r) + "); will try again in " +
                                 format_duration(cfg_.resubmit_after));
        submitting_ = false;
        for (OutboxEntry& o : outbox_) {
          if (o.state != OutboxEntry::State::Waiting) continue;
          o.tries++;
          o.last_reply = std::string("connect: ") + to_string(r);
          if (o.tries >= cfg_.max_submit_tries) {
            o.state = OutboxEntry::State::GaveUp;
            ctx_.note(cfg_.name, "gave up sending after " + std::to_string(o.tries) + " tries: the submission server " +
                                     cfg_.submit_host + " cannot be reached", o.message_id);
          }
        }
        schedule_resubmit();
        return;
      }
      smtp::ClientConfig cc;
      cc.helo_name = cfg_.name;
      cc.server_name = cfg_.submit_host;
      cc.tls = cfg_.smtp_tls;
      cc.pipelining = cfg_.pipelining;
      cc.blind_data = cfg_.blind_pipelining;
      if (cfg_.smtp_auth) {
        smtp::Credentials cr;
        cr.user = cfg_.login;
        cr.password = cfg_.password;
        cr.allow_plaintext = cfg_.smtp_tls == smtp::TlsMode::None;
        cr.mech = cfg_.smtp_auth_mech;
        cc.auth = cr;
      }
      auto client = std::make_unique<smtp::SmtpClient>(cc);
      for (OutboxEntry& o : outbox_) {
        if (o.state != OutboxEntry::State::Waiting) continue;
        o.state = OutboxEntry::State::Submitting;
        o.tries++;
        client->enqueue(o.msg);
      }
      client->no_more_messages();
      smtp::SmtpClient* raw = client.get();
      submit_conn_ = std::make_shared<Conn>(ctx_.sched, ctx_.trace, s, std::move(client), false,
                                            ctx_.tls.factory(cfg_.name, cfg_.smtp_verify), cfg_.submit_host);
      submit_conn_->on_done([this, alive, gen, raw](Conn&) {
        ctx_.sched.schedule_in(0, [this, alive, gen, raw] {
          if (!*alive || gen != generation_) return;
          on_submit_done(*raw);
        });
      });
      submit_conn_->start();
    });
  });
}

void Mua::on_submit_done(smtp::SmtpClient& client) {
  std::shared_ptr<Conn> keep = std::move(submit_conn_);
  submitting_ = false;
  apply_submit_results(client.take_results());
  schedule_resubmit();
}

// apply_submit_results - each submitted message's outcome: sent, to be tried again, or given up.
void Mua::apply_submit_results(const std::vector<smtp::MessageResult>& results) {
  for (const smtp::MessageResult& m : results) {
    for (OutboxEntry& o : outbox_) {
      if (o.msg.id != m.id || o.state != OutboxEntry::State::Submitting) continue;
      std::size_t ok = m.count(smtp::Outcome::Delivered), temp = m.count(smtp::Outcome::Deferred);
      std::string reply;
      bool uncertain = false;
      for (const auto& r : m.recipients) {
        if (reply.empty() || r.outcome != smtp::Outcome::Delivered)
          reply = r.reply.summary();
        uncertain |= r.outcome == smtp::Outcome::Deferred && r.reply.code == 0 &&
                     r.reply.text().find("end of data") != std::string::npos;
      }
      o.last_reply = reply;
      if (ok > 0) {
        o.state = OutboxEntry::State::Sent;
        o.sent_at = ctx_.sched.now();
        for (const auto& r : m.recipients)
          if (r.outcome == smtp::Outcome::Delivered) ctx_.ledger.submitted({o.message_id, r.address}, ctx_.sched.now());
        ctx_.note(cfg_.name, "message sent (" + std::to_string(ok) + " of " + std::to_string(m.recipients.size()) +
                                 " recipients accepted by " + cfg_.submit_host + ")", o.message_id);
        for (const auto& r : m.recipients)
          if (r.outcome != smtp::Outcome::Delivered)
            ctx_.note(cfg_.name, "the server did not take " + r.address + ": " + r.reply.summary(), o.message_id, r.address);
      } else if (temp > 0 && o.tries < cfg_.max_submit_tries) {
        if (uncertain)
          for (const auto& r : m.recipients)
            ctx_.ledger.uncertain({o.message_id, r.address}, cfg_.name, cfg_.submit_host, ctx_.sched.now());
        o.state = OutboxEntry::State::Waiting;
        ctx_.note(cfg_.name, "sending failed for now (" + reply + "); the client will try again in " +
                                 format_duration(cfg_.resubmit_after), o.message_id);
      } else {
        o.state = temp > 0 ? OutboxEntry::State::GaveUp : OutboxEntry::State::Rejected;
        ctx_.note(cfg_.name, std::string(temp > 0 ? "gave up sending after " + std::to_string(o.tries) + " tries: "
                                                  : "the server refused the message: ") + reply,
                  o.message_id);
      }
    }
  }
}

void Mua::schedule_resubmit() {
  bool any = false;
  for (const OutboxEntry& o : outbox_) any |= o.state == OutboxEntry::State::Waiting;
  if (!any || submitting_ || ctx_.sched.is_pending(resubmit_timer_)) return;
  resubmit_timer_ = ctx_.sched.schedule_in(cfg_.resubmit_after, [this, alive = alive_] {
    if (!*alive) return;
    resubmit_timer_ = {};
    submit();
  });
}

}  // namespace smtpsim
