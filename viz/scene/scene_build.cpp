// scene_build.cpp - the Scene at the playback's moment, from the world, the trace and the hops.
//
// [SECTION] index
//   tokens ........ hops spanning now, named by the command/reply/DNS events of their chunk (or, on
//                   a balancer's leg, of the chunks it forwards)
//   queues ........ MtaHost::snapshot() rows with the preset's planned attempts
//   transcript .... trace lines up to now, idle POP3 polls folded
//   build ......... hosts, links, markers, card, expectations, mailboxes
#include "viz/scene/scene_build.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "sim/scenario/scenario_load.hpp"

#include "sim/core/trace_pairing.hpp"
#include "sim/scenario/scenario_retry.hpp"

namespace smtpsim::viz {

// ---------------------------------------------------------------------------------------------
// [SECTION] tokens

void SceneBuilder::tokens(const Playback& pb, World& w, SimTime t, std::vector<SceneToken>& out) {
  const auto& ev = w.trace.events();
  const auto& hops = pb.hops();
  std::vector<std::size_t> relayed;
  const std::vector<std::size_t> none;
  for (std::size_t i = 0; i < hops.size(); ++i) {
    const HopSpan& h = hops[i];
    if (!(h.depart <= t && t < h.arrive) || h.fin) continue;
    float frac = float(double(t - h.depart) / double(h.arrive - h.depart));
    const std::string& sender = w.net.host_name(h.sender);
    const std::string& from = w.net.host_name(h.from);
    const std::string& to = w.net.host_name(h.to);
    bool tls = pb.tls_since(h.conn) <= h.written;
    const std::vector<std::size_t>* named = pb.wire_events(WireKey{h.conn, sender, h.written});
    if (named && h.conn && !pb.last_of_write(h)) named = &none;  // the write's events ride its last chunk
    if ((!named || named->empty()) && h.conn) {  // a balancer's chunk: named by the bytes it forwards (playback_relay.cpp)
      relayed = pb.relayed_events(h);
      if (!relayed.empty()) named = &relayed;
    }
    bool any = false;
    if (named) {
      for (std::size_t idx : *named) {
        const TraceEvent& e = ev[idx];
        if (h.conn == 0 && e.kind != TraceKind::Dns) continue;
        SceneToken tk;
        tk.conn = h.conn;
        tk.seq = idx;
        tk.kind = e.kind == TraceKind::Command ? "command" : e.kind == TraceKind::Reply ? "reply" : "dns";
        tk.text = e.text;
        tk.code = e.code;
        if (auto a = pb.answers(idx)) tk.answers = *a;
        tk.from = from;
        tk.to = to;
        tk.frac = frac;
        tk.tls = tls && h.conn != 0;
        out.push_back(std::move(tk));
        any = true;
      }
    }
    if (any) continue;
    SceneToken tk;
    tk.conn = h.conn;
    tk.seq = 0;
    tk.from = from;
    tk.to = to;
    tk.frac = frac;
    tk.tls = tls && h.conn != 0;
    tk.size = h.bytes;
    if (h.conn == 0) {
      tk.kind = "dns";
      tk.text = "DNS answer";
    } else if (h.bytes >= 200 && pb.in_data(h.conn, h.written)) {
      tk.kind = "data";
      tk.text = "the message (" + std::to_string(h.bytes) + " bytes)";
    } else if (pb.tls_start(h.conn) <= h.written && h.written <= pb.tls_since(h.conn)) {
      // neither command nor reply, between the handshake's start and its end: the handshake
      tk.kind = "bytes";
      tk.text = "TLS handshake (" + std::to_string(h.bytes) + " bytes)";
    } else {
      tk.kind = "bytes";
      tk.text = tls ? "encrypted (" + std::to_string(h.bytes) + " bytes)" : std::to_string(h.bytes) + " bytes";
    }
    out.push_back(std::move(tk));
  }
}

// ---------------------------------------------------------------------------------------------
// [SECTION] queues

namespace {
void queue_rows(Playback& pb, Scene& s) {
  World& w = pb.world();
  const auto& spec = pb.spec();
  for (const auto& m : w.mtas()) {
    QueueSnapshot snap = m->snapshot();
    const scenario::HostSpec* hs = spec.find_host(snap.host);
    const scenario::RetrySpec& retry = hs && hs->outbound() ? hs->outbound()->retry : spec.retry;
    std::vector<SimTime> preview = scenario::schedule_preview(retry, 64);
    for (const auto& l : snap.lines) {
      SceneQueueRow r;
      r.host = snap.host;
      r.qid = l.qid;
      r.msg = l.msgid;
      r.sender = l.sender;
      r.rcpt = l.rcpt;
      r.state = l.state;
      r.last_reply = l.last_reply;
      r.attempt = l.attempts;
      r.arrival_us = l.arrival;
      r.next_attempt_us = l.next_at;
      r.give_up_us = l.give_up_at;
      r.last_attempt_us = pb.last_attempt(snap.host, l.qid);
      for (SimTime off : preview) r.planned_us.push_back(l.arrival + off);
      s.queues.push_back(std::move(r));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// [SECTION] transcript

// line_kind - the transcript kind of a trace event ("" = not shown).
const char* line_kind(TraceKind k) {
  switch (k) {
    case TraceKind::Command: return "command";
    case TraceKind::Reply: return "reply";
    case TraceKind::ConnOpen: case TraceKind::ConnAccept: case TraceKind::ConnRefused:
    case TraceKind::ConnTimeout: case TraceKind::ConnReset: case TraceKind::ConnClose: return "conn";
    case TraceKind::Tls: return "tls";
    case TraceKind::Queue: return "queue";
    case TraceKind::Delivery: return "delivery";
    case TraceKind::Bounce: return "bounce";
    case TraceKind::Fault: case TraceKind::LinkChange: case TraceKind::HostDown: return "fault";
    case TraceKind::Dns: return "dns";
    case TraceKind::Note: return "note";
    default: return "";
  }
}

// line_of - the transcript line of trace event i with this kind and text.
SceneLine line_of(std::size_t i, const TraceEvent& e, const char* kind, std::string text) {
  SceneLine l;
  l.seq = i;
  l.t_us = e.time;
  l.conn = e.conn;
  l.host = e.host;
  l.peer = e.peer;
  l.kind = kind;
  l.text = std::move(text);
  return l;
}

void transcript(Playback& pb, Scene& s) {
  const auto& ev = pb.world().trace.events();
  // A POP3 session whose STAT says "+OK 0 0" is an idle poll: one line stands for it.
  std::set<std::uint64_t> idle;
  std::map<std::uint64_t, bool> stat_next;
  for (const TraceEvent& e : ev) {
    if (e.kind == TraceKind::Command && e.conn) stat_next[e.conn] = e.text == "STAT";
    else if (e.kind == TraceKind::Reply && e.conn && stat_next[e.conn] && e.text.rfind("+OK 0 0", 0) == 0) idle.insert(e.conn);
  }
  // The client's DNS lookup of its POP3 server belongs to the idle poll that follows it.
  std::set<std::size_t> hidden;
  std::map<std::string, std::vector<std::size_t>> lookups;  // host -> its DNS lines since its last connect
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const TraceEvent& e = ev[i];
    if (e.kind == TraceKind::Dns && !e.conn) lookups[e.host].push_back(i);
    else if (e.kind == TraceKind::ConnOpen) {
      auto& v = lookups[e.host];
      if (idle.count(e.conn)) hidden.insert(v.begin(), v.end());
      v.clear();
    }
  }
  CommandSides sides;  // a server's received copy of a command is shown only without the client's
  std::set<std::uint64_t> shown_idle;
  std::map<std::string, std::size_t> last_fold;  // fold text -> its line
  std::size_t last_real = 0;                     // lines.size() after the last ordinary line
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const TraceEvent& e = ev[i];
    if (sides.duplicate(e)) continue;
    const char* kind = line_kind(e.kind);
    if (!*kind) continue;
    if (e.kind == TraceKind::Note && e.text.rfind("step ", 0) != 0) continue;
    if (hidden.count(i)) continue;
    if (e.conn && idle.count(e.conn)) {
      if (shown_idle.count(e.conn)) continue;
      shown_idle.insert(e.conn);
      std::string text = e.host + " checks its mailbox on " + e.peer + " (POP3): empty";
      auto f = last_fold.find(text);
      if (f != last_fold.end() && f->second >= last_real) {
        ++s.transcript[f->second].folded;
        continue;
      }
      last_fold[text] = s.transcript.size();
      s.transcript.push_back(line_of(i, e, "note", std::move(text)));
      continue;
    }
    SceneLine l = line_of(i, e, kind, e.text);
    l.code = e.code;
    if (auto a = pb.answers(i)) l.answers = *a;
    s.transcript.push_back(std::move(l));
    last_real = s.transcript.size();
  }
}

// marker_kind - the timeline mark of a prerun event.
const char* marker_kind(const TraceEvent& e) {
  switch (e.kind) {
    case TraceKind::Fault: return e.text.find(" up") != std::string::npos || e.text.find("normal") != std::string::npos ? "repair" : "fault";
    case TraceKind::Delivery: return "delivered";
    case TraceKind::Bounce: return "bounced";
    case TraceKind::Command: return "fetch";
    case TraceKind::Note: return "card";
    case TraceKind::Queue: return e.text.find(": deferred") != std::string::npos ? "deferred" : "attempt";
    default: return "note";
  }
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] build

std::vector<SceneLesson> list_lessons(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<SceneLesson> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".yaml") continue;
    SceneLesson l;
    l.path = e.path().string();
    l.name = e.path().stem().string();
    scenario::LoadResult lr = scenario::load_scenario_file(l.path);
    l.title = lr.ok() ? lr.spec->lesson.title : "(cannot be loaded)";
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(), [](const SceneLesson& a, const SceneLesson& b) { return a.name < b.name; });
  return out;
}

void SceneBuilder::build(Playback& pb, Scene& s) {
  s = Scene{};
  s.file = pb.path();
  s.error = pb.error();
  // The picker: the lessons beside the one opened (listed once per directory).
  std::string dir = std::filesystem::path(pb.path()).parent_path().string();
  if (dir.empty()) dir = ".";
  if (dir != lessons_dir_) {
    lessons_dir_ = dir;
    lessons_ = list_lessons(dir);
  }
  s.lessons = lessons_;
  if (!pb.loaded()) return;
  const scenario::ScenarioSpec& spec = pb.spec();
  World& w = pb.world();
  if (spec_ != &spec || places_.size() != spec.hosts.size()) {
    spec_ = &spec;
    places_ = layout_hosts(spec);
    ids_.clear();
    for (const auto& p : places_) ids_.push_back(w.net.find_host(p.name).value_or(kNoHost));
  }
  const SimTime t = pb.now();
  s.t_us = t;
  s.end_us = pb.end();
  s.title = spec.lesson.title;
  s.summary = spec.lesson.summary;
  s.speed = pb.speed();
  s.playing = pb.playing();
  s.skipping_idle = pb.skipping();
  s.finished = pb.finished();

  std::map<std::string, int> mailbox_counts;
  for (const auto& [host, store] : pb.built().stores) {
    SceneMailbox mb;
    for (const std::string& box : store->mailboxes()) {
      SceneMailbox one;
      one.host = host;
      one.user = box;
      for (const auto& m : store->list(box).messages) one.messages.push_back({m.uid, "", "", "", m.size, false, false, "", -1});
      mailbox_counts[host] += int(one.messages.size());
      s.mailboxes.push_back(std::move(one));
    }
  }
  for (std::size_t i = 0; i < places_.size(); ++i) {
    const HostPlace& p = places_[i];
    SceneHost h;
    h.name = p.name;
    h.role = p.role;
    h.label = p.label;
    h.icon = p.icon;
    h.cluster = p.cluster;
    h.tooltip = p.tooltip;
    h.x = p.x;
    h.y = p.y;
    if (ids_[i] != kNoHost) {
      h.ip = ipv4_to_string(w.net.host_ip(ids_[i]));
      h.up = w.net.host_up(ids_[i]);
      h.used = pb.used(ids_[i]);
    }
    if (MtaHost* m = w.mta(p.name)) h.queue_depth = int(m->queue_depth());
    h.mailbox_count = mailbox_counts[p.name];
    s.hosts.push_back(std::move(h));
  }
  for (LinkId l = 0; l < w.net.link_count(); ++l) {
    auto [a, b] = w.net.link_ends(l);
    const LinkParams& lp = w.net.link_params(l);
    SceneLink sl;
    sl.a = w.net.host_name(a);
    sl.b = w.net.host_name(b);
    sl.state = !w.net.link_up(l) ? "down" : lp.loss > 0 ? "lossy" : "up";
    sl.latency = lp.latency;
    sl.loss = lp.loss;
    s.links.push_back(std::move(sl));
  }
  tokens(pb, w, t, s.tokens);
  // A link carries TLS now when an encrypted token is on it.
  for (const SceneToken& tk : s.tokens)
    if (tk.tls)
      for (SceneLink& l : s.links)
        if ((l.a == tk.from && l.b == tk.to) || (l.a == tk.to && l.b == tk.from)) l.tls = true;
  queue_rows(pb, s);
  transcript(pb, s);
  build_hands(pb, s);
  // Hand actions (issue 12): their own marks, standing in for the fault marks they caused.
  std::set<SimTime> acted;
  for (const scenario::AppliedAction& a : pb.branches().actions()) {
    s.markers.push_back({a.at, "action", action_text(a.action)});
    acted.insert(a.at);
  }
  for (const Branch& b : pb.branches().all())
    s.branches.push_back({b.id, b.parent, b.fork_at, pb.branches().label(b.id), int(b.actions.size()),
                          b.id == pb.branches().current_id()});
  for (const TraceEvent& e : pb.prerun_marks()) {
    if (e.kind == TraceKind::Fault && acted.count(e.time)) continue;
    SceneMarker m;
    m.t_us = e.time;
    m.kind = marker_kind(e);
    m.text = e.kind == TraceKind::Command ? e.host + " fetches: " + e.text : e.text;
    s.markers.push_back(std::move(m));
  }
  // The card: before the first step, the lesson's summary.
  s.card.count = int(spec.narration.size());
  s.card.index = pb.shown_card();
  if (s.card.index >= 0 && s.card.index < s.card.count) {
    s.card.title = spec.narration[std::size_t(s.card.index)].title;
    s.card.text = spec.narration[std::size_t(s.card.index)].text;
  } else {
    s.card.title = spec.lesson.title;
    s.card.text = spec.lesson.summary;
  }
  s.card.pausing = pb.pause_card() >= 0 && pb.pause_card() == s.card.index;
  if (s.finished) {
    const scenario::RunReport& rep = pb.report();
    for (const auto& r : rep.expectations)
      s.expects.push_back({r.expectation.describe(), r.pass ? "pass" : "fail", r.detail});
    s.summary_line = rep.summary_line();
  } else {  // as the run has decided them so far (the same rules as the report's)
    for (const scenario::ExpectVerdict& v : pb.run().verdicts()) {
      using St = scenario::ExpectVerdict::Status;
      s.expects.push_back({v.result.expectation.describe(),
                           v.status == St::Pass ? "pass" : v.status == St::Fail ? "fail" : "pending", v.result.detail});
    }
  }
}

}  // namespace smtpsim::viz
