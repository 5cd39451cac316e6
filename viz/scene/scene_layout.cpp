// scene_layout.cpp - where each host sits on the canvas and what it is called: mail-flow columns,
// the lesson's own `layout` positions, labels and role glossary lines.
#include <algorithm>
#include <limits>

#include "viz/scene/scene_build.hpp"

namespace smtpsim::viz {

using scenario::HostSpec;
using scenario::Role;

namespace {
constexpr int kColumns = 8;  // sender msa outbound internet mx mda pop3 recipient

// column - the mail-flow column of a host.
int column(const HostSpec& h) {
  switch (h.role) {
    case Role::Mua: {
      const auto* m = h.as<scenario::MuaOptions>();
      return m && m->submit.set() ? 0 : 7;
    }
    case Role::Msa: return 1;
    case Role::Mta: case Role::Cluster: return 2;
    case Role::Router: case Role::Dns: case Role::Mitm: return 3;
    case Role::Mx: return 4;
    case Role::Mda: return 5;
    case Role::Pop3: return 6;
  }
  return 3;
}

// icon_of - the picture drawn for a role.
const char* icon_of(const HostSpec& h) {
  switch (h.role) {
    case Role::Mua: return "laptop";
    case Role::Cluster: return "cluster";
    case Role::Pop3: return "mailbox";
    case Role::Dns: return "dns";
    case Role::Router: return "cloud";
    case Role::Mitm: return "eye";
    default: return "server";
  }
}

// user_of - "a@a.example" -> "a".
std::string local_part(const std::string& addr) {
  auto at = addr.find('@');
  return at == std::string::npos ? addr : addr.substr(0, at);
}
}  // namespace

std::string role_tooltip(const std::string& role) {
  if (role == "mua") return "Mail client (MUA): the program a person writes and reads mail with.";
  if (role == "msa") return "MSA (submission server): takes mail from its own users' clients (port 587, login required) and sends it on.";
  if (role == "mta") return "MTA (transfer agent): a mail server that keeps a queue and passes mail towards its destination, retrying when it must.";
  if (role == "cluster") return "Cluster: several MTAs behind one balancer, for capacity and so one broken server stops nothing.";
  if (role == "mx") return "MX (mail exchanger): the server DNS names as taking mail for a domain; it accepts mail from the Internet.";
  if (role == "mda") return "MDA (delivery agent): puts accepted mail into the recipient's mailbox.";
  if (role == "pop3") return "POP3 server: lets a mail client log in and download the mail in its mailbox.";
  if (role == "dns") return "DNS: answers which server takes mail for a domain (MX records) and what a name's address is.";
  if (role == "router") return "The Internet: the routers between the providers.";
  if (role == "mitm") return "A man in the middle: a machine on the path that can read (or change) unencrypted traffic.";
  return role;
}

std::string default_label(const HostSpec& h) {
  if (!h.label.empty()) return h.label;
  switch (h.role) {
    case Role::Mua: {
      const auto* m = h.as<scenario::MuaOptions>();
      return m ? local_part(m->user) + "'s mail client (" + h.name + ")" : h.name;
    }
    case Role::Msa: return "MSA: submission server " + h.name;
    case Role::Mta: {
      const auto* m = h.as<scenario::MtaOptions>();
      if (m && !m->member_of.empty()) return "MTA " + h.name;
      return "MTA: mail server " + h.name;
    }
    case Role::Cluster: return "Cluster " + h.name;
    case Role::Mx: return "MX: incoming mail server " + h.name;
    case Role::Mda: return "MDA: mailboxes on " + h.name;
    case Role::Pop3: return "POP3: mailbox server " + h.name;
    case Role::Dns: return "DNS: looks up names";
    case Role::Router: return h.name == "internet" ? "The Internet" : "Router " + h.name;
    case Role::Mitm: return "Eavesdropper " + h.name;
  }
  return h.name;
}

std::vector<HostPlace> layout_hosts(const scenario::ScenarioSpec& spec) {
  std::vector<HostPlace> out;
  std::map<std::string, std::string> member_of;
  for (const HostSpec& h : spec.hosts)
    if (const auto* c = h.as<scenario::ClusterOptions>())
      for (const std::string& m : c->members) member_of[m] = h.name;
  // Columns: members follow their cluster, DNS sits below the Internet.
  std::vector<std::vector<std::size_t>> cols(kColumns);
  std::vector<std::size_t> low;  // drawn under the column (DNS)
  for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
    const HostSpec& h = spec.hosts[i];
    if (member_of.count(h.name)) continue;
    if (h.role == Role::Dns) { low.push_back(i); continue; }
    cols[std::size_t(column(h))].push_back(i);
    if (h.role == Role::Cluster)
      for (const std::string& m : h.as<scenario::ClusterOptions>()->members)
        for (std::size_t j = 0; j < spec.hosts.size(); ++j)
          if (spec.hosts[j].name == m) cols[std::size_t(column(h))].push_back(j);
  }
  out.resize(spec.hosts.size());
  auto x_of = [](int c) { return 0.06f + float(c) * (0.88f / float(kColumns - 1)); };
  for (int c = 0; c < kColumns; ++c) {
    const auto& v = cols[std::size_t(c)];
    for (std::size_t k = 0; k < v.size(); ++k) {
      HostPlace& p = out[v[k]];
      p.x = x_of(c);
      p.y = 0.1f + (float(k) + 0.5f) * (0.62f / float(v.size()));
    }
  }
  for (std::size_t k = 0; k < low.size(); ++k) {
    out[low[k]].x = x_of(3) + float(k) * 0.08f;
    out[low[k]].y = 0.86f;
  }
  // The lesson's own positions, scaled into the same box.
  double minx = std::numeric_limits<double>::max(), maxx = -minx, miny = minx, maxy = -minx;
  for (const HostSpec& h : spec.hosts)
    if (h.layout.set) {
      minx = std::min(minx, h.layout.x); maxx = std::max(maxx, h.layout.x);
      miny = std::min(miny, h.layout.y); maxy = std::max(maxy, h.layout.y);
    }
  for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
    const HostSpec& h = spec.hosts[i];
    HostPlace& p = out[i];
    p.name = h.name;
    p.role = scenario::to_string(h.role);
    p.label = default_label(h);
    p.icon = icon_of(h);
    p.tooltip = role_tooltip(p.role);
    auto m = member_of.find(h.name);
    if (m != member_of.end()) p.cluster = m->second;
    if (h.layout.set) {
      p.x = float(0.06 + 0.88 * (maxx > minx ? (h.layout.x - minx) / (maxx - minx) : 0.5));
      p.y = float(0.1 + 0.76 * (maxy > miny ? (h.layout.y - miny) / (maxy - miny) : 0.5));
    }
  }
  return out;
}

}  // namespace smtpsim::viz
