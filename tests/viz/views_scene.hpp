// views_scene.hpp - hand-built Scenes for the panel tests: the story at ten minutes (message
// deferred on a cluster member), and a generated scale scene (200 hosts, 5,000 tokens).
#pragma once
#include <cstdio>
#include <string>

#include "viz/scene/scene.hpp"

namespace smtpsim::viz::test {

// host - one SceneHost.
inline SceneHost host(const char* name, const char* role, const char* icon, const char* label, float x, float y,
                      const char* cluster = "") {
  SceneHost h;
  h.name = name, h.role = role, h.icon = icon, h.label = label, h.x = x, h.y = y, h.cluster = cluster;
  h.ip = "10.0.0.1";
  return h;
}

// link - one SceneLink, its written ends its own (no man in the middle on it).
inline SceneLink link(const std::string& a, const std::string& b, const char* state, bool tls = false) {
  SceneLink l;
  l.a = a, l.b = b, l.state = state, l.tls = tls, l.lesson_a = a, l.lesson_b = b;
  return l;
}

// story_scene - the story at about ten minutes.
inline Scene story_scene() {
  Scene s;
  s.t_us = minutes(1) + sec(31) + msec(242);
  s.end_us = hours(5);
  s.file = "scenarios/lessons/story.yaml";
  s.title = "The story: from A's mail client to B's mailbox";
  s.summary = "A writes to B; the mail is deferred, retried and delivered.";
  s.speed = 600;
  s.hosts = {host("client-c", "mua", "laptop", "C: A's mail client", 0.0f, 0.3f),
             host("msa.a.example", "msa", "server", "MSA a.example", 0.2f, 0.3f),
             host("fra", "cluster", "cluster", "cluster fra", 0.4f, 0.3f),
             host("out1.fra", "mta", "server", "out1", 0.5f, 0.15f, "fra"),
             host("out2.fra", "mta", "server", "out2", 0.5f, 0.45f, "fra"),
             host("internet", "router", "cloud", "the Internet", 0.65f, 0.6f),
             host("dns", "dns", "dns", "DNS", 0.65f, 0.95f),
             host("mx1.b.example", "mx", "server", "MX1 b.example", 0.85f, 0.2f),
             host("mx2.b.example", "mx", "server", "MX2 b.example", 0.85f, 0.6f),
             host("pop3.b.example", "pop3", "mailbox", "POP3 b.example", 1.0f, 0.9f)};
  s.hosts[3].queue_depth = 1;
  s.hosts[4].used = false;
  s.hosts[7].up = false;
  s.links = {link("client-c", "msa.a.example", "up", true),
             link("msa.a.example", "fra", "up"),
             link("out1.fra", "internet", "up"),
             link("internet", "mx1.b.example", "down"),
             link("internet", "mx2.b.example", "lossy")};
  SceneToken cmd;
  cmd.conn = 7, cmd.seq = 100, cmd.kind = "command", cmd.text = "RCPT TO:<b@b.example>";
  cmd.from = "out1.fra", cmd.to = "internet", cmd.frac = 0.25f;
  SceneToken rep;
  rep.conn = 7, rep.seq = 101, rep.answers = 100, rep.kind = "reply", rep.code = 451;
  rep.text = "451 4.3.0 Try again later", rep.from = "mx2.b.example", rep.to = "internet", rep.frac = 0.5f;
  SceneToken data;
  data.conn = 3, data.seq = 50, data.kind = "data", data.text = "message", data.msg = "<lunch@a.example>";
  data.qid = "Q7F3A", data.size = 1234, data.from = "msa.a.example", data.to = "fra", data.frac = 0.5f, data.tls = false;
  s.tokens = {cmd, rep, data};
  SceneQueueRow q;
  q.host = "out1.fra", q.qid = "Q7F3A", q.msg = "<lunch@a.example>", q.subject = "Lunch?", q.sender = "a@a.example";
  q.rcpt = "b@b.example", q.state = "deferred", q.last_reply = "451 4.3.0 Try again later (mx2.b.example)";
  q.attempt = 1, q.arrival_us = sec(1), q.last_attempt_us = minutes(1) + msec(421);
  q.next_attempt_us = minutes(16) + msec(421), q.give_up_us = hours(4) + minutes(1) + msec(421);
  q.planned_us = {sec(1), minutes(16) + msec(421), minutes(46), hours(2), hours(4)};
  s.queues = {q};
  auto line = [](std::uint64_t seq, SimTime t, const char* h, const char* p, const char* kind, const char* text,
                 int folded = 0) {
    SceneLine l;
    l.seq = seq, l.t_us = t, l.conn = seq < 60 ? 3 : 7, l.host = h, l.peer = p, l.kind = kind, l.text = text;
    l.folded = folded;
    return l;
  };
  s.transcript = {line(10, sec(1), "client-c", "msa.a.example", "command", "EHLO client-c"),
                  line(50, sec(2), "msa.a.example", "out1.fra", "command", "DATA"),
                  line(60, sec(40), "pop3.b.example", "client-b", "reply", "+OK 0 messages", 11),
                  line(100, minutes(1) + sec(30), "out1.fra", "mx2.b.example", "command", "RCPT TO:<b@b.example>"),
                  line(101, minutes(1) + sec(31), "mx2.b.example", "out1.fra", "reply", "451 4.3.0 Try again later")};
  s.transcript[4].answers = 100;
  s.transcript[4].code = 451;
  s.markers = {{sec(1), "attempt", "first attempt"}, {minutes(1), "fault", "mx1 down"},
               {minutes(1) + sec(31), "deferred", "451 from mx2"}, {hours(1), "delivered", "b@b.example"}};
  s.expects = {{"b@b.example delivered by 01:20:00.000", "pass", ""}, {"no bounce", "fail", "bounced at 4h"},
               {"fetched by B", "pending", ""}};
  s.card = {2, 5, "Deferred", "mx1 does not answer, mx2 says 451.\nThe next attempt is in 15 minutes.", true};
  s.lessons = {{"scenarios/lessons/story.yaml", "story", "The story"},
               {"scenarios/lessons/greylisting.yaml", "greylisting", "Greylisting"}};
  return s;
}

// scale_scene - 200 hosts in a grid, 5,000 tokens on 400 hops.
inline Scene scale_scene() {
  Scene s;
  s.t_us = minutes(5);
  s.end_us = hours(1);
  char n[32];
  for (int i = 0; i < 200; ++i) {
    std::snprintf(n, sizeof n, "h%03d.example", i);
    s.hosts.push_back(host(n, "mta", "server", n, (i % 20) / 19.f, (i / 20) / 9.f));
  }
  for (int i = 0; i < 200; ++i) s.links.push_back(link(s.hosts[i].name, s.hosts[(i + 1) % 200].name, "up"));
  for (int i = 0; i < 5000; ++i) {
    SceneToken t;
    t.conn = 1 + i % 300, t.seq = 1000 + i;
    t.kind = i % 3 == 0 ? "reply" : "command";
    t.code = 250;
    t.text = t.kind == "reply" ? "250 2.1.5 Ok" : "RCPT TO:<user@b.example>";
    t.from = s.hosts[i % 200].name, t.to = s.hosts[(i * 7 + 1) % 200].name;
    t.frac = (i % 97) / 97.f;
    s.tokens.push_back(t);
  }
  return s;
}

}  // namespace smtpsim::viz::test
