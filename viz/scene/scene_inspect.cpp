// scene_inspect.cpp - the inspect tabs' data: dispatch with caches, the sequence diagram and the
// mailboxes. (The message is in scene_inspect_message.cpp, the charts in scene_inspect_charts.cpp.)
#include "viz/scene/scene_inspect.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/mail/mail_message.hpp"

namespace smtpsim::viz {

// ---------------------------------------------------------------------------------------------
// sequence

void build_sequence(const Playback& pb, World& w, std::uint64_t conn, Scene& s) {
  SceneSequence& q = s.sequence;
  std::set<std::uint64_t> seen;
  for (const SceneLine& l : s.transcript) {
    if (!l.conn || !seen.insert(l.conn).second) continue;
    q.conns.push_back(l.conn);
    q.conn_labels.push_back(std::to_string(l.conn) + "  " + l.host + " -> " + l.peer + "  " + format_time(l.t_us));
  }
  if (q.conns.empty()) return;
  if (!conn || !seen.count(conn)) conn = q.conns.front();
  q.conn = conn;
  // When each chunk of this connection arrived: (sender, write time) -> the last hop's arrival.
  std::map<std::pair<std::string, SimTime>, SimTime> arrive;
  for (const HopSpan& h : pb.hops()) {
    if (h.conn != conn) continue;
    SimTime& a = arrive[{w.net.host_name(h.sender), h.written}];
    a = std::max(a, h.arrive);
  }
  const SimTime tls = pb.tls_since(conn);
  q.tls_us = tls == kNever ? -1 : tls;
  for (const SceneLine& l : s.transcript) {
    if (l.conn != conn) continue;
    if (l.kind != "command" && l.kind != "reply" && l.kind != "conn" && l.kind != "tls") continue;
    if (q.client.empty()) {
      bool client_side = l.kind != "reply";
      q.client = client_side ? l.host : l.peer;
      q.server = client_side ? l.peer : l.host;
    }
    SceneArrow a;
    a.seq = l.seq;
    a.kind = l.kind;
    a.text = l.text;
    a.code = l.code;
    a.from_client = l.host == q.client;
    a.sent_us = l.t_us;
    if (l.kind == "command" || l.kind == "reply") {
      auto it = arrive.find({l.host, l.t_us});
      if (it != arrive.end()) a.arrive_us = it->second;
      a.tls = q.tls_us >= 0 && l.t_us >= q.tls_us;
    }
    q.arrows.push_back(std::move(a));
  }
}

// ---------------------------------------------------------------------------------------------
// mailboxes

void build_mailboxes(Playback& pb, std::vector<SceneMailbox>& out) {
  out.clear();
  World& w = pb.world();
  // What each client fetched, by (store host, mailbox).
  struct Fetch { const FetchedMessage* m; std::string client; };
  std::map<std::pair<std::string, std::string>, std::vector<Fetch>> fetched;
  for (const auto& mua : w.muas()) {
    const MuaConfig& c = mua->config();
    if (c.fetch_host.empty() || mua->inbox().empty()) continue;
    Pop3Host* pop = w.pop3(c.fetch_host);
    if (!pop || !pop->config().directory) continue;
    const mail::User* u = pop->config().directory->find_login(c.login.empty() ? c.user : c.login);
    if (!u) continue;
    std::string host;
    for (const auto& [h, st] : pb.built().stores)
      if (st == pop->config().store) host = h;
    for (const FetchedMessage& m : mua->inbox()) fetched[{host, u->mailbox}].push_back({&m, c.name});
  }
  for (const auto& [host, store] : pb.built().stores) {
    std::vector<std::string> boxes = store->mailboxes();
    for (const auto& [key, v] : fetched)  // a mailbox emptied by POP3 may be gone from the listing
      if (key.first == host && std::find(boxes.begin(), boxes.end(), key.second) == boxes.end()) boxes.push_back(key.second);
    for (const std::string& box : boxes) {
      SceneMailbox mb;
      mb.host = host;
      mb.user = box;
      const std::vector<Fetch>& got = fetched[{host, box}];
      std::set<std::string> present;
      for (const auto& info : store->list(box).messages) {
        SceneMailbox::Msg m;
        m.uid = info.uid;
        m.size = info.size;
        present.insert(info.uid);
        if (mail::MessagePtr bytes = store->read(box, info.uid)) {
          mail::Message msg = mail::Message::parse(*bytes);
          m.msgid = msg.get("Message-ID").value_or("");
          m.subject = msg.get("Subject").value_or("");
          m.from = msg.get("From").value_or("");
        }
        for (const Fetch& f : got)
          if (f.m->uidl == info.uid) m.fetched = true, m.fetched_by = f.client, m.fetched_us = f.m->at;
        mb.messages.push_back(std::move(m));
      }
      // Fetched and no longer on the server: deleted after the download (DELE + QUIT).
      for (const Fetch& f : got) {
        if (present.count(f.m->uidl)) continue;
        SceneMailbox::Msg m;
        m.uid = f.m->uidl;
        m.msgid = f.m->message_id;
        m.subject = f.m->subject;
        m.from = mail::Message::parse(f.m->raw).get("From").value_or("");
        m.size = f.m->raw.size();
        m.fetched = true;
        m.deleted = true;
        m.fetched_by = f.client;
        m.fetched_us = f.m->at;
        mb.messages.push_back(std::move(m));
      }
      out.push_back(std::move(mb));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// dispatch

void InspectBuilder::build(Playback& pb, const UiState& ui, Scene& s) {
  if (!pb.loaded()) return;
  s.captured = pb.capturing();
  World& w = pb.world();
  const void* run = &pb.run();
  const std::uint64_t n = w.trace.events().size();
  if (run != run_) {  // a rewind or a new lesson: nothing cached is valid
    run_ = run;
    msg_events_ = mb_events_ = ch_events_ = ~0ull;
  }
  switch (ui.bottom_tab) {
    case kTabSequence:
      build_sequence(pb, w, ui.sequence_conn ? ui.sequence_conn : ui.selected_conn, s);
      break;
    case kTabMessage:
      if (!s.captured) break;
      if (msg_events_ != n || msg_hops_ != pb.capture().hops().size() || msg_id_ != ui.inspect_msg || msg_conn_ != ui.inspect_conn) {
        msg_conn_ = ui.inspect_conn;
        msg_events_ = n;
        msg_hops_ = pb.capture().hops().size();
        msg_id_ = ui.inspect_msg;
        msg_ = SceneMessage{};
        build_message(pb, ui.inspect_msg, ui.inspect_conn, msg_);
      }
      s.message = msg_;
      break;
    case kTabMailboxes:
      if (mb_events_ != n) {
        mb_events_ = n;
        build_mailboxes(pb, mb_);
      }
      s.mailboxes = mb_;
      break;
    case kTabCharts:
      if (ch_events_ != n || ch_t_ != s.t_us) {
        ch_events_ = n;
        ch_t_ = s.t_us;
        build_charts(w.trace.events(), s.t_us, 200, ch_);
      }
      s.charts = ch_;
      break;
    default: break;
  }
}

}  // namespace smtpsim::viz
