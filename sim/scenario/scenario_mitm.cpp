// scenario_mitm.cpp - a man in the middle put on a link at run time (timeline `mitm:`): a new host
// spliced into the written link, running the same MitmProxy as a lesson's own mitm host.
#include <string>

#include "sim/roles/mitm_proxy.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace smtpsim::scenario {

namespace {
// mode_of - the proxy's mode for a timeline `mitm:` value (not Off).
MitmMode mode_of(LinkMitm m) {
  return m == LinkMitm::StripStartTls ? MitmMode::StripStartTls
         : m == LinkMitm::Impersonate ? MitmMode::Impersonate : MitmMode::Relay;
}

// doing - what a proxy in mode m does to the conversations it relays, in words.
std::string doing(LinkMitm m) {
  switch (m) {
    case LinkMitm::StripStartTls: return "removes STARTTLS from the server's EHLO reply";
    case LinkMitm::Impersonate: return "answers STARTTLS itself with a forged certificate";
    case LinkMitm::Relay: return "reads what passes in plaintext";
    case LinkMitm::Off: break;
  }
  return "";
}

// free_name - "eve", or "eve2", "eve3" ... when the name is taken.
std::string free_name(const Network& net) {
  for (int i = 1;; ++i) {
    std::string n = i == 1 ? "eve" : "eve" + std::to_string(i);
    if (!net.find_host(n)) return n;
  }
}

// free_address - the first unused address from 198.51.100.66 on (TEST-NET-2, RFC 5737).
std::string free_address(const Network& net) {
  for (int i = 66; i < 255; ++i) {
    std::string ip = "198.51.100." + std::to_string(i);
    std::uint32_t v = 0;
    parse_ipv4(ip, v);
    if (!net.find_ip(v)) return ip;
  }
  throw std::runtime_error("no free address left for a man in the middle");
}
}  // namespace

// apply_mitm - splice (or re-splice) the link's own mitm host in, set its mode; Off unplugs it.
std::string ScenarioRun::apply_mitm(World& w, const LinkAction& a) {
  const std::string link = a.a + " <-> " + a.b;
  std::vector<LinkId> ls = built_.links_between(a.a, a.b);
  if (ls.empty()) return "no link between " + a.a + " and " + a.b;
  auto added = built_.mitms_added.find({a.a, a.b});
  if (added == built_.mitms_added.end()) added = built_.mitms_added.find({a.b, a.a});
  const LinkMitm mode = *a.mitm;
  // The link as written is spliced now when it has grown a second half since the build.
  auto spliced = [&] {
    for (const Network::LinkSplice& s : w.net.splices()) if (s.link == ls[0]) return s.via;
    return kNoHost;
  };
  if (mode == LinkMitm::Off) {
    HostId via = spliced();
    if (added == built_.mitms_added.end() || via != added->second)
      return "no man in the middle to take off the link " + link;
    // The box is unplugged: the connections it was relaying are reset, the cable is whole again.
    const std::string name = w.net.host_name(via);
    w.net.crash(via, "unplugged from the link " + link);
    w.net.unsplice(ls[0]);
    built_.links[{a.a, a.b}] = built_.links[{a.b, a.a}] = {ls[0]};
    return name + " is unplugged from the link " + link + " (the connections it relayed are reset)";
  }
  if (ls.size() > 1 && (added == built_.mitms_added.end() || spliced() != added->second))
    return "the link " + link + " already has a man in the middle of the lesson's own";
  if (added != built_.mitms_added.end() && spliced() == added->second) {
    MitmProxy* m = w.mitm(w.net.host_name(added->second));
    m->set_mode(mode_of(mode));
    return m->name() + " on the link " + link + " now " + doing(mode);
  }
  HostId via;
  bool fresh = added == built_.mitms_added.end();
  if (fresh) {
    const std::string name = free_name(w.net);
    via = w.net.add_host(name, free_address(w.net));
    built_.mitms_added[{a.a, a.b}] = via;
  } else {
    via = added->second;
  }
  LinkId tail = w.net.splice(ls[0], via);
  built_.links[{a.a, a.b}] = built_.links[{a.b, a.a}] = {ls[0], tail};
  const std::string name = w.net.host_name(via);
  if (fresh) {
    MitmConfig c;
    c.name = name;
    c.mode = mode_of(mode);
    w.add_mitm(via, c).start();
  } else {
    w.mitm(name)->set_mode(mode_of(mode));
    w.net.restart(via);  // the world's host hook starts its interception again
  }
  return "a man in the middle, " + name + " (" + ipv4_to_string(w.net.host_ip(via)) + "), is spliced into the link " +
         link + " and " + doing(mode);
}

}  // namespace smtpsim::scenario
