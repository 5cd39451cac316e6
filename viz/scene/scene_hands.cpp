// scene_hands.cpp - the hands-on part of the Scene (issue 12): per host what its right-click menu
// may offer, with the switches read from the world's servers as they stand now (so "greylisting
// off" is offered only while it is on), the lesson's DNS names as the DNS server answers them now,
// the users and the clients that send as them (the compose dialog), and the retry presets.
#include <algorithm>

#include "sim/roles/mta_server.hpp"
#include "viz/scene/scene_build.hpp"

namespace smtpsim::viz {

namespace {

// server_of - the SMTP server that stands for host `name`: its own, or a cluster's first member
// (a behaviour change on a cluster changes every member alike).
MtaHost* server_of(World& w, const scenario::HostSpec& h) {
  if (MtaHost* m = w.mta(h.name)) return m;
  if (const auto* c = h.as<scenario::ClusterOptions>())
    for (const std::string& member : c->members)
      if (MtaHost* m = w.mta(member)) return m;
  return nullptr;
}

// reply_line - "550 5.1.1 text" from a server reply.
std::string reply_line(const smtp::ServerReply& r) {
  std::string out = std::to_string(r.code);
  if (!r.enhanced.empty()) out += " " + r.enhanced;
  if (!r.text.empty()) out += " " + r.text;
  return out;
}

// hands_host - the menu facts of one host.
SceneHandsHost hands_host(World& w, const scenario::HostSpec& h) {
  SceneHandsHost out;
  out.name = h.name;
  out.smtp = h.server() != nullptr;
  out.pop3 = h.role == scenario::Role::Pop3;
  out.outbound = h.outbound() != nullptr;
  if (MtaHost* m = server_of(w, h)) {
    if (out.outbound) out.preset = m->config().retry.name;
    const smtp::ServerBehaviour& b = m->server_side().behaviour;
    out.greylisting = b.greylist;
    out.storage_full = b.storage_full;
    out.close_421 = b.shutting_down || (b.refuse_connection && b.refuse_connection->code == 421);
    out.tarpit = b.tarpit > 0;
    if (b.reject_recipient) out.rcpt_refusal = reply_line(*b.reject_recipient);
    const bool greylist_at_start = h.server() && h.server()->greylist.enabled;
    out.changed = out.greylisting != greylist_at_start || out.storage_full || out.close_421 || out.tarpit ||
                  b.refuse_connection || b.ehlo || b.helo || b.reject_sender || b.reject_recipient ||
                  b.reject_auth || b.data || b.reject_data || b.rset || b.noop || b.vrfy || b.starttls ||
                  b.quit || b.drop_in_data || m->server_side().drop_after_data;
  } else if (Pop3Host* p = w.pop3(h.name)) {
    const pop3::ServerBehaviour& b = p->config().behaviour;
    out.storage_full = b.sys_temp;
    out.tarpit = b.response_delay > 0;
    out.changed = b.sys_temp || b.response_delay > 0 || b.reject_credentials || (b.replies && !b.replies->empty());
  }
  return out;
}

}  // namespace

// build_hands - fill the Scene's hands-on section from the spec and the world at this moment.
void build_hands(Playback& pb, Scene& s) {
  const scenario::ScenarioSpec& spec = pb.spec();
  World& w = pb.world();
  for (const scenario::HostSpec& h : spec.hosts) {
    s.hands_hosts.push_back(hands_host(w, h));
    if (h.role == scenario::Role::Dns && s.dns_host.empty()) s.dns_host = h.name;
  }
  for (const scenario::DomainSpec& d : spec.domains) {
    SceneZone z;
    z.name = d.name;
    DnsAnswer mx = w.zones.lookup_mx(d.name);
    for (const MxRecord& r : mx.mx) {
      if (r.exchange == "." || r.exchange.empty()) z.null_mx = true;
      else z.mx.push_back({r.exchange, r.preference});
    }
    if (d.mx_mode == scenario::MxMode::Explicit)
      for (const scenario::MxEntry& e : d.mx) z.mx_lesson.push_back({e.host, e.pref});
    DnsFault f = w.zones.fault(d.name);
    if (f != DnsFault::None) z.fault = to_string(f);
    s.zones.push_back(std::move(z));
    for (const scenario::UserSpec& u : d.users) {
      SceneUser su;
      su.address = u.address;
      for (const scenario::HostSpec& h : spec.hosts)
        if (const auto* m = h.as<scenario::MuaOptions>(); m && m->user == u.address && m->submit.set()) {
          su.client = h.name;
          break;
        }
      s.users.push_back(std::move(su));
    }
  }
  s.retry_presets = {"story", "sendmail", "postfix", "exim"};
}

}  // namespace smtpsim::viz
