// view_hands_actions.cpp - the hands-on Actions (issue 12): one builder per thing a person can do
// by hand, each giving the TimelineEntry / MessageSpec the lesson loader would make from the
// matching `timeline:` / `send:` entry, and the item lists the right-click menus offer (only what
// applies now). Pure functions of the Scene; the menus in view_menus.cpp draw these lists.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "sim/core/ascii.hpp"
#include "sim/scenario/scenario_units.hpp"
#include "sim/smtp/smtp_catalog.hpp"
#include "viz/views/view_hands.hpp"

namespace smtpsim::viz::hands {

namespace {

using scenario::BehaviourChange;
using scenario::TimelineEntry;

// entry - a timeline entry holding this action (at 0: it happens when it is applied).
template <class A>
Action entry(A a) {
  TimelineEntry e;
  e.action = std::move(a);
  return e;
}

// behaviour - a BehaviourChange on host, set up by `f`.
template <class F>
Action behaviour(const std::string& host, F f) {
  BehaviourChange b;
  b.host = host;
  f(b);
  return entry(std::move(b));
}

// link_action - a LinkAction on a-b.
scenario::LinkAction link_of(const std::string& a, const std::string& b) {
  scenario::LinkAction l;
  l.a = a;
  l.b = b;
  return l;
}

// find_hands / find_link / find_host - the Scene's record for a name (nullptr when absent).
const SceneHandsHost* find_hands(const Scene& s, const std::string& name) {
  for (const SceneHandsHost& h : s.hands_hosts)
    if (h.name == name) return &h;
  return nullptr;
}
const SceneLink* find_link(const Scene& s, const std::string& a, const std::string& b) {
  for (const SceneLink& l : s.links)
    if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return &l;
  return nullptr;
}
const SceneHost* find_host(const Scene& s, const std::string& name) {
  for (const SceneHost& h : s.hosts)
    if (h.name == name) return &h;
  return nullptr;
}

// ms_text - "200 ms", "1 s".
std::string ms_text(Duration d) {
  char buf[32];
  if (d >= sec(1) && d % sec(1) == 0) std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d / sec(1)));
  else std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(d / msec(1)));
  return buf;
}

// retry_help - what a preset does, in one line (the spec's retry_preset comment).
std::string retry_help(const std::string& p) {
  if (p == "story") return "every 15 minutes, give up after 4 hours";
  if (p == "sendmail") return "queue runs every 15 minutes, retry at most every 30 minutes, warn after 4h, give up after 5 days";
  if (p == "postfix") return "300s doubling to 4000s, queue runs every 300s, give up after 5 days";
  if (p == "exim") return "every 15m for 2h, then growing hourly gaps to 16h, then every 6h; warn after 24h, give up after 4 days";
  return "";
}

// zone_now - what DNS says about a name now: "MX 10 mx1.b.example, 20 mx2.b.example", "SERVFAIL".
std::string zone_now(const SceneZone& z) {
  if (!z.fault.empty()) return "(now " + ascii_upper_copy(z.fault) + ")";
  if (z.null_mx) return "(now null MX)";
  if (z.mx.empty()) return "(no MX)";
  std::string out = "(MX";
  for (std::size_t i = 0; i < z.mx.size(); ++i) out += (i ? ", " : " ") + std::to_string(z.mx[i].pref) + " " + z.mx[i].host;
  return out + ")";
}

}  // namespace

Action link_state(const std::string& a, const std::string& b, bool up) {
  auto l = link_of(a, b);
  l.up = up;
  return entry(l);
}

Action link_latency(const std::string& a, const std::string& b, Duration latency) {
  auto l = link_of(a, b);
  l.latency = latency;
  return entry(l);
}

Action link_loss(const std::string& a, const std::string& b, double loss) {
  auto l = link_of(a, b);
  l.loss = std::clamp(loss, 0.0, 1.0);
  return entry(l);
}

Action host_crash(const std::string& host) {
  scenario::HostAction h;
  h.host = host;
  h.op = scenario::HostAction::Op::Crash;
  return entry(h);
}

Action host_restart(const std::string& host) {
  scenario::HostAction h;
  h.host = host;
  h.op = scenario::HostAction::Op::Restart;
  return entry(h);
}

Action host_greylisting(const std::string& host, bool on) {
  return behaviour(host, [&](BehaviourChange& b) { b.greylisting = on; });
}

std::optional<Action> host_refuse_rcpt(const std::string& host, const std::string& line) {
  auto r = scenario::parse_reply_line(line);
  if (!r || r->code < 400 || r->code > 599) return std::nullopt;
  return behaviour(host, [&](BehaviourChange& b) {
    scenario::ReplyOverride o;
    o.command = "RCPT";
    o.code = r->code;
    o.line = r->line;
    b.replies.push_back(o);
  });
}

Action host_rcpt_normal(const std::string& host) {
  return behaviour(host, [&](BehaviourChange& b) {
    scenario::ReplyOverride o;
    o.command = "RCPT";
    o.clear = true;
    b.replies.push_back(o);
  });
}

Action host_close_421(const std::string& host, bool on) {
  return behaviour(host, [&](BehaviourChange& b) { b.close_with_421 = on; });
}

Action host_storage_full(const std::string& host, bool on) {
  return behaviour(host, [&](BehaviourChange& b) { b.storage_full = on; });
}

Action host_tarpit(const std::string& host, Duration delay) {
  return behaviour(host, [&](BehaviourChange& b) { b.tarpit = std::max<Duration>(delay, 0); });
}

std::optional<Action> host_retry(const std::string& host, const std::string& preset) {
  using scenario::RetryPreset;
  for (RetryPreset p : {RetryPreset::Story, RetryPreset::Sendmail, RetryPreset::Postfix, RetryPreset::Exim})
    if (preset == scenario::to_string(p)) {
      scenario::RetryAction r;
      r.host = host;
      r.preset = p;
      return entry(r);
    }
  return std::nullopt;
}

Action host_normal(const std::string& host) {
  return behaviour(host, [&](BehaviourChange& b) { b.reset = true; });
}

Action dns_fault(const std::string& name, scenario::DnsFaultKind fault) {
  scenario::DnsFaultAction a;
  a.name = name;
  a.fault = fault;
  return entry(a);
}

Action dns_mx(const std::string& name, const std::vector<SceneZone::Mx>& mx) {
  scenario::DnsChangeAction c;
  c.name = name;
  c.mx.emplace();
  for (const SceneZone::Mx& m : mx) {
    scenario::MxEntry e;
    e.host = m.host;
    e.pref = m.pref;
    c.mx->push_back(e);
  }
  return entry(c);
}

Action dns_remove_mx(const SceneZone& z, const std::string& host) {
  std::vector<SceneZone::Mx> rest;
  for (const SceneZone::Mx& m : z.mx)
    if (m.host != host) rest.push_back(m);
  return dns_mx(z.name, rest);
}

Action dns_null_mx(const std::string& name) {
  scenario::DnsChangeAction c;
  c.name = name;
  c.null_mx = true;
  return entry(c);
}

// ---- compose

std::vector<std::string> split_addresses(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
    cur.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ';' || std::isspace(static_cast<unsigned char>(c))) flush();
    else if (c != '<' && c != '>') cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  flush();
  return out;
}

std::optional<scenario::MessageSpec> compose_message(const Scene& s, const ComposeFields& f, std::string* why) {
  auto fail = [&](const char* w) -> std::optional<scenario::MessageSpec> {
    if (why) *why = w;
    return std::nullopt;
  };
  if (f.client.empty()) return fail("choose the mail client that sends it");
  std::vector<std::string> from = split_addresses(f.from);
  if (from.size() != 1 || from[0].find('@') == std::string::npos)
    return fail("From: needs one address like a@a.example");
  std::vector<std::string> to = split_addresses(f.to);
  if (to.empty()) return fail("To: needs at least one address");
  for (const std::string& t : to)
    if (t.find('@') == std::string::npos || t.front() == '@' || t.back() == '@')
      return fail("To: every recipient needs the form user@domain");
  scenario::MessageSpec m;
  m.from = from[0];
  m.to = to;
  m.subject = f.subject;
  if (f.size > 0) m.size = f.size;
  else m.body = f.body;
  m.via = f.client;
  for (const std::string& t : to) {
    bool known = std::any_of(s.users.begin(), s.users.end(), [&](const SceneUser& u) { return u.address == t; });
    if (!known) m.unknown_ok = true;  // on purpose: the lesson then shows the 550 or the bounce
  }
  if (why) why->clear();
  return m;
}

// ---- menu items

const std::vector<Refusal>& rcpt_refusals() {
  static const std::vector<Refusal> kList = [] {
    using smtp::ReplyId;
    std::vector<Refusal> out;
    for (ReplyId id : {ReplyId::MailboxBusy, ReplyId::Greylisted, ReplyId::MailboxFull, ReplyId::UserUnknown,
                       ReplyId::RecipientRejected, ReplyId::UserNotLocal, ReplyId::MailboxFullPermanent,
                       ReplyId::MailboxNameNotAllowed}) {
      const smtp::ReplyEntry& e = smtp::smtp_reply(id);
      std::string text(e.text);
      if (text.rfind("{address}: ", 0) == 0) text = text.substr(11);  // said to every recipient alike
      text = smtp::render_text(text, {{"seconds", "300"}, {"path", "<b@elsewhere.example>"}});
      Refusal r;
      r.line = std::to_string(e.code) + (e.enhanced.empty() ? "" : " " + std::string(e.enhanced)) + " " + text;
      r.meaning = std::string(e.meaning);
      out.push_back(std::move(r));
    }
    return out;
  }();
  return kList;
}

std::vector<Item> link_items(const Scene& s, const std::string& a, const std::string& b) {
  std::vector<Item> out;
  const SceneLink* l = find_link(s, a, b);
  if (!l) return out;
  if (l->state != "down")
    out.push_back({"", "Cut the link", "Nothing gets across until it is restored: connections time out, senders retry later.",
                   link_state(a, b, false)});
  else
    out.push_back({"", "Restore the link", "Packets flow again.", link_state(a, b, true)});
  for (Duration d : {msec(1), msec(50), msec(200), sec(1), sec(5)})
    if (d != l->latency)
      out.push_back({"Latency", ms_text(d) + " one way", "Every packet takes this long to cross.", link_latency(a, b, d)});
  for (double p : {0.01, 0.1, 0.3, 0.5}) {
    if (std::abs(p - l->loss) < 1e-9) continue;
    char buf[48];
    std::snprintf(buf, sizeof buf, "lose %g%% of packets", p * 100);
    out.push_back({"Loss", buf, "Lost packets are sent again (TCP): the exchange gets slower, not wrong.",
                   link_loss(a, b, p)});
  }
  if (l->loss > 0 || l->state == "lossy") out.push_back({"", "Stop losing packets", "Loss back to 0.", link_loss(a, b, 0)});
  return out;
}

std::vector<Item> host_items(const Scene& s, const std::string& host) {
  std::vector<Item> out;
  const SceneHost* h = find_host(s, host);
  if (!h) return out;
  if (h->up)
    out.push_back({"", "Crash", "The machine stops: open connections break, it answers nothing until restarted.",
                   host_crash(host)});
  else
    out.push_back({"", "Restart", "The machine comes back (a durable queue kept its mail).", host_restart(host)});
  const SceneHandsHost* hh = find_hands(s, host);
  if (!hh) return out;
  if (hh->smtp) {
    if (hh->greylisting)
      out.push_back({"", "Turn greylisting off", "First attempts are accepted again.", host_greylisting(host, false)});
    else
      out.push_back({"", "Turn greylisting on", "First attempts from an unknown sender get 451 4.7.1; a retry after 5 minutes passes.",
                     host_greylisting(host, true)});
    for (const Refusal& r : rcpt_refusals())
      if (r.line != hh->rcpt_refusal)
        out.push_back({"Refuse recipients", r.line, r.meaning, *host_refuse_rcpt(host, r.line)});
    if (!hh->rcpt_refusal.empty())
      out.push_back({"", "Accept recipients again (now " + hh->rcpt_refusal.substr(0, 3) + ")",
                     "Every RCPT TO gets \"" + hh->rcpt_refusal + "\" now; this answers them normally again.",
                     host_rcpt_normal(host)});
    if (hh->close_421)
      out.push_back({"", "Accept connections again", "No more 421.", host_close_421(host, false)});
    else
      out.push_back({"", "Refuse connections (421)", "421 4.3.2: service not available, the connection closes; senders retry later.",
                     host_close_421(host, true)});
  }
  if (hh->smtp) {  // (a lesson may not set storage_full on a POP3 host: the loader refuses it)
    if (hh->storage_full)
      out.push_back({"", "Free its disk again", "The disk has room again.", host_storage_full(host, false)});
    else
      out.push_back({"", "Fill its disk (452 4.3.1)", "MAIL FROM gets 452 4.3.1 Insufficient system storage: try again later.",
                     host_storage_full(host, true)});
  }
  if (hh->smtp || hh->pop3) {
    if (hh->tarpit)
      out.push_back({"", "Stop the tarpit", "Replies come at once again.", host_tarpit(host, 0)});
    else
      for (Duration d : {sec(10), sec(30), minutes(2)})
        out.push_back({"Slow every reply (tarpit)", "wait " + ms_text(d) + " before every reply",
                       "A tarpit slows down spammers; senders may give up (timeouts).", host_tarpit(host, d)});
  }
  if (hh->outbound)
    for (const std::string& p : s.retry_presets)
      if (p != hh->preset)
        if (auto a = host_retry(host, p))
          out.push_back({"Switch retry schedule (now " + (hh->preset.empty() ? std::string("custom") : hh->preset) + ")",
                         p, retry_help(p), *a});
  if (hh->changed) out.push_back({"", "Back to normal", "Every behaviour change on this host undone.", host_normal(host)});
  return out;
}

std::vector<Item> dns_items(const Scene& s) {
  using scenario::DnsFaultKind;
  std::vector<Item> out;
  for (const SceneZone& z : s.zones) {
    const std::string menu = z.name + "   " + zone_now(z);
    struct F { DnsFaultKind k; const char* name; const char* label; const char* help; };
    static const F kFaults[] = {
        {DnsFaultKind::ServFail, "servfail", "SERVFAIL", "The DNS server fails: senders cannot find the MX and retry later."},
        {DnsFaultKind::NxDomain, "nxdomain", "NXDOMAIN (no such domain)", "The domain does not exist: mail to it bounces (5.1.2)."},
        {DnsFaultKind::Timeout, "timeout", "time out", "Queries get no answer; the resolver gives up after its timeout."}};
    for (const F& f : kFaults)
      if (z.fault != f.name) out.push_back({menu, f.label, f.help, dns_fault(z.name, f.k)});
    if (!z.fault.empty())
      out.push_back({menu, "clear the fault (" + z.fault + ")", "DNS answers normally again.", dns_fault(z.name, DnsFaultKind::None)});
    for (const SceneZone::Mx& m : z.mx)
      out.push_back({menu, "remove MX " + std::to_string(m.pref) + " " + m.host,
                     "Senders no longer know this mail exchanger.", dns_remove_mx(z, m.host)});
    if (!z.null_mx)
      out.push_back({menu, "null MX (takes no mail)", "MX 0 . (RFC 7505): mail to the domain bounces at once.", dns_null_mx(z.name)});
    bool same = !z.null_mx && z.mx.size() == z.mx_lesson.size() &&
                std::equal(z.mx.begin(), z.mx.end(), z.mx_lesson.begin(),
                           [](const SceneZone::Mx& x, const SceneZone::Mx& y) { return x.host == y.host && x.pref == y.pref; });
    if (!z.mx_lesson.empty() && !same)
      out.push_back({menu, "restore the lesson's MX records", "As the lesson began.", dns_mx(z.name, z.mx_lesson)});
  }
  return out;
}

}  // namespace smtpsim::viz::hands
