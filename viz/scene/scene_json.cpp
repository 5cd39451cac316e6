// scene_json.cpp - writing a Scene as one JSON object (sim/export's JSON builder).
#include "viz/scene/scene_json.hpp"

#include <cstdio>
#include <vector>

#include "sim/export/export_json.hpp"

namespace smtpsim::viz {

using exporter::JsonObject;

namespace {
// fnum - a float with 4 decimals.
std::string fnum(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4f", v);
  return b;
}
// array - "[a,b]" from JSON values.
std::string array(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ",\n " : "") + v[i];
  return out + "]";
}
// time_num - a time, or -1 for kNever.
std::int64_t time_num(SimTime t) { return t == kNever ? -1 : t; }
// live_json - the live mode's fields with the transcript and mailboxes spelled out (a test of the
// live window checks what real clients did without reading pixels); "null" when not live.
std::string live_json(const Scene& s) {
  if (!s.live) return "null";
  std::vector<std::string> lines, boxes;
  for (const SceneLine& l : s.transcript)
    lines.push_back(JsonObject().num("t_us", l.t_us).unum("conn", l.conn).str("host", l.host).str("peer", l.peer)
                        .str("kind", l.kind).str("text", l.text).num("code", l.code).done());
  for (const SceneMailbox& b : s.mailboxes) {
    std::vector<std::string> msgs;
    for (const SceneMailbox::Msg& m : b.messages)
      msgs.push_back(JsonObject().str("msgid", m.msgid).str("subject", m.subject).str("from", m.from)
                         .unum("size", m.size).boolean("fetched", m.fetched).done());
    boxes.push_back(JsonObject().str("host", b.host).str("user", b.user).raw("messages", array(msgs)).done());
  }
  return JsonObject().str("ready", s.live_ready).str("wall", s.live_wall).raw("speed", fnum(s.live_speed))
      .unum("connections", s.live_connections).unum("open", s.live_open).raw("transcript", array(lines))
      .raw("mailboxes", array(boxes)).done();
}
}  // namespace

std::string scene_json(const Scene& s) {
  std::vector<std::string> hosts, links, tokens, queues, markers, expects;
  for (const SceneHost& h : s.hosts)
    hosts.push_back(JsonObject().str("name", h.name).str("role", h.role).str("label", h.label).str("icon", h.icon)
                        .str("cluster", h.cluster).str("ip", h.ip).raw("x", fnum(h.x)).raw("y", fnum(h.y))
                        .boolean("up", h.up).boolean("used", h.used).num("queue_depth", h.queue_depth)
                        .num("mailbox_count", h.mailbox_count).done());
  for (const SceneLink& l : s.links)
    links.push_back(JsonObject().str("a", l.a).str("b", l.b).str("state", l.state).boolean("tls", l.tls)
                        .num("latency_us", l.latency).done());
  for (const SceneToken& t : s.tokens)
    tokens.push_back(JsonObject().unum("conn", t.conn).unum("seq", t.seq).unum("answers", t.answers).str("kind", t.kind)
                         .str("text", t.text).num("code", t.code).str("from", t.from).str("to", t.to)
                         .raw("frac", fnum(t.frac)).boolean("tls", t.tls).unum("size", t.size).done());
  for (const SceneQueueRow& q : s.queues) {
    std::vector<std::string> planned;
    for (SimTime p : q.planned_us) planned.push_back(std::to_string(p));
    queues.push_back(JsonObject().str("host", q.host).str("qid", q.qid).str("msg", q.msg).str("rcpt", q.rcpt)
                         .str("state", q.state).str("last_reply", q.last_reply).num("attempt", q.attempt)
                         .num("arrival_us", q.arrival_us).num("last_attempt_us", q.last_attempt_us)
                         .num("next_attempt_us", time_num(q.next_attempt_us)).num("give_up_us", time_num(q.give_up_us))
                         .raw("planned_us", array(planned)).done());
  }
  for (const SceneMarker& m : s.markers)
    markers.push_back(JsonObject().num("t_us", m.t_us).str("kind", m.kind).str("text", m.text).done());
  std::vector<std::string> branches;  // -- hands-on (issue 12)
  for (const SceneBranch& b : s.branches)
    branches.push_back(JsonObject().num("id", b.id).num("parent", b.parent).num("fork_us", b.fork_us)
                           .str("label", b.label).num("actions", b.actions).boolean("current", b.current).done());
  for (const SceneExpect& e : s.expects)
    expects.push_back(JsonObject().str("text", e.text).str("status", e.status).str("detail", e.detail).done());
  std::string card = JsonObject().num("index", s.card.index).num("count", s.card.count).str("title", s.card.title)
                         .str("text", s.card.text).boolean("pausing", s.card.pausing).done();
  return JsonObject().num("t_us", s.t_us).num("end_us", s.end_us).str("file", s.file).str("title", s.title)
             .boolean("finished", s.finished).str("error", s.error)
             .raw("hosts", array(hosts)).raw("links", array(links)).raw("tokens", array(tokens))
             .raw("queues", array(queues)).num("transcript_lines", std::int64_t(s.transcript.size()))
             .raw("markers", array(markers)).raw("card", card).raw("expects", array(expects))
             .str("summary_line", s.summary_line).raw("branches", array(branches)).raw("live", live_json(s)).done() + "\n";
}

}  // namespace smtpsim::viz
