// scene.hpp - what the visualizer draws at one virtual moment: a plain struct built each frame
// from the run (world + trace + hop timing), read by every view and written by --scene as JSON.
// Views never touch the World; they read a Scene and write requests into UiState.
//
// This header is the contract between the scene builder (viz/scene/scene_build.*, playback) and
// the panels (viz/views/*). Add fields freely; rename none without updating both sides.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim::viz {

// SceneHost - one machine on the canvas (cluster members, the Internet router and DNS included).
struct SceneHost {
  std::string name;        // "msa.a.example"
  std::string role;        // lesson role spelling: mua msa mta cluster mx mda pop3 dns mitm router
  std::string label;       // what a newcomer reads under the icon: "C: A's mail client"
  std::string icon;        // laptop server cluster mailbox dns cloud eye
  std::string cluster;     // the cluster frame this host sits in ("" = none)
  std::string ip;          // dotted quad
  std::string tooltip;     // one-line glossary for the role ("MSA: the submission server ...")
  float x = 0, y = 0;      // layout position in canvas units (0..1 across, 0..1 down)
  bool up = true;          // false while crashed
  bool used = true;        // false: the lesson never sends traffic through it (drawn greyed)
  int queue_depth = 0;     // messages in its queue now (MTAs)
  int mailbox_count = 0;   // messages in its mailboxes now (MDAs)
};

// SceneLink - a link between two hosts as it stands now.
struct SceneLink {
  std::string a, b;
  std::string state;       // up down lossy
  bool tls = false;        // a TLS session is open across it now
  Duration latency = 0;
  double loss = 0;         // 0..1
};

// SceneToken - one command, reply, message body or DNS packet in flight on one hop.
struct SceneToken {
  std::uint64_t conn = 0;   // connection id (0 for DNS)
  std::uint64_t seq = 0;    // the trace event index it stands for
  std::uint64_t answers = 0;// for a reply: the seq of the command it answers (0 = none)
  std::string kind;         // command reply data dns
  std::string text;         // "RCPT TO:<b@b.example>", "451 4.3.0 Try again later"
  int code = 0;             // reply code (kind reply), rcode (dns)
  std::string from, to;     // the hop's ends (host names)
  float frac = 0;           // 0..1 along the hop from -> to
  bool tls = false;         // travelled encrypted (draw a lock)
  std::string msg;          // the message (data tokens): Message-ID
  std::string qid;          // the queue id at the sending side (data tokens)
  std::uint64_t size = 0;   // octets (data tokens)
};

// SceneQueueRow - one recipient of one message in one MTA's queue.
struct SceneQueueRow {
  std::string host, qid, msg, subject, sender, rcpt;
  std::string state;               // queued attempt deferred sent delivered bounced ...
  std::string last_reply;          // "451 4.3.0 Try again later (mx2.b.example)"
  int attempt = 0;                 // attempts made so far
  SimTime arrival_us = 0;
  SimTime last_attempt_us = -1;    // start of the previous attempt (-1 = none yet)
  SimTime next_attempt_us = kNever;
  SimTime give_up_us = kNever;
  std::vector<SimTime> planned_us; // the preset's planned attempt times, arrival .. give up
};

// SceneLine - one transcript line (a command, reply or other event), in trace order.
struct SceneLine {
  std::uint64_t seq = 0;      // trace event index
  SimTime t_us = 0;
  std::uint64_t conn = 0;
  std::string host, peer;
  std::string kind;           // command reply conn tls queue delivery bounce fault dns note
  std::string text;
  int code = 0;
  std::uint64_t answers = 0;  // reply -> its command's seq
  int folded = 0;             // >0: this line stands for N more identical idle polls
};

// SceneMarker - one mark on the timeline.
struct SceneMarker {
  SimTime t_us = 0;
  std::string kind;           // fault repair attempt deferred delivered bounced fetch card action (made by hand)
  std::string text;
};

// SceneCard - the narration card shown now.
struct SceneCard {
  int index = -1;             // 0-based step (-1 = before the first: show the lesson summary)
  int count = 0;
  std::string title, text;
  bool pausing = false;       // the player stopped on this card's pause_on
};

// SceneExpect - one expectation as decided so far.
struct SceneExpect {
  std::string text;           // "b@b.example delivered by 01:20:00.000"
  std::string status;         // pending pass fail
  std::string detail;
};

// SceneMailbox - one user's mailbox.
struct SceneMailbox {
  std::string host, user;
  struct Msg {
    std::string uid, msgid, subject, from;
    std::uint64_t size = 0;
    bool fetched = false;      // a POP3 client retrieved it (RETR)
    bool deleted = false;      // gone from the server (DELE committed by QUIT)
    std::string fetched_by;    // the client that fetched it ("" = none yet)
    SimTime fetched_us = -1;   // when (-1 = not fetched)
  };
  std::vector<Msg> messages;
};

// SceneBranch - one branch of the run: the lesson plus the actions done by hand on it. Rewinding
// and then acting starts a new branch; the old one stays listed and can be switched back to.
struct SceneBranch {
  int id = 0;                 // 0 = the lesson as written
  int parent = -1;            // the branch it forked from (-1: none)
  SimTime fork_us = 0;        // where it forked off its parent
  std::string label;          // "branch 2: cut internet-mx1 at 00:02:00"
  int actions = 0;            // hand actions on it
  bool current = false;
};

// -- inspect (issue 12): the selected connection's sequence diagram, the selected message across
// its hops, and the charts. Built lazily by scene_inspect.cpp for the tab that is open only.

// SceneArrow - one line of the sequence diagram: a command, a reply, or a connection/TLS event.
struct SceneArrow {
  std::uint64_t seq = 0;       // trace event index
  std::string kind;            // command reply conn tls
  std::string text;
  int code = 0;
  bool from_client = true;     // drawn left -> right (client lane to server lane)
  SimTime sent_us = 0;         // when it left
  SimTime arrive_us = -1;      // when it arrived (-1: not a message on the wire / unknown)
  bool tls = false;            // travelled inside TLS
};

// SceneSequence - one connection as Wireshark's flow graph: two lanes and the arrows between them.
struct SceneSequence {
  std::uint64_t conn = 0;      // 0 = none chosen / no connection yet
  std::string client, server;  // the lanes
  SimTime tls_us = -1;         // the TLS handshake finished here (-1 = never)
  std::vector<SceneArrow> arrows;                   // up to the clock
  std::vector<std::uint64_t> conns;                 // every connection so far (the picker)
  std::vector<std::string> conn_labels;             // "3  client-c -> msa.a.example  00:01:00"
};

// SceneMsgPart - one part of a message (a multipart/report DSN has three).
struct SceneMsgPart {
  std::string type;            // "text/plain", "message/delivery-status", "text/rfc822-headers"
  std::string text;            // the part's bytes (headers and body)
};

// SceneMsgHop - the message as it crossed one hop (or sat in a mailbox / reached the reader).
struct SceneMsgHop {
  std::string kind;            // smtp (received over SMTP) made (created here: a DSN) mailbox fetched (POP3)
  std::string from, to;        // the hop's ends
  SimTime t_us = 0;
  std::uint64_t conn = 0;      // the connection that carried it (0 = none)
  std::string qid;             // queue id at `to`
  std::string mail_from;       // envelope MAIL FROM ("" = the null reverse path <>)
  std::vector<std::string> rcpt_to;
  std::string raw;             // the bytes of the message on this hop (plaintext)
  std::vector<std::pair<std::string, std::string>> header;  // (name, unfolded value), in order
  std::vector<std::string> received;                        // Received values, top (newest) first
  std::string body;
  std::vector<SceneMsgPart> parts;  // MIME parts when multipart (DSN: report parts)
  bool tls = false;
  std::string tls_detail;
  std::string wire;            // what an eavesdropper saw on conn from `from` to `to` (ciphertext under TLS)
  std::uint64_t wire_plain = 0;// how many leading octets of `wire` went before TLS started (all: no TLS)
};

// SceneMessage - the inspected message across its hops.
struct SceneMessage {
  std::string msgid, subject, header_from, header_to;
  bool dsn = false;
  std::vector<SceneMsgHop> hops;
  std::vector<std::string> choices;      // every Message-ID captured so far (the picker)
  std::vector<std::string> choice_labels;// "<id>  Lunch on Friday?"
};

// SceneSeries - one chart line over virtual time, sampled at equal steps from 0 to the clock.
struct SceneSeries {
  std::string name;            // "out1.fra" / "deliveries"
  std::vector<float> values;
  float max = 0;
};

// SceneCharts - queue depth per MTA and cumulative deliveries, deferrals, bounces.
struct SceneCharts {
  SimTime to_us = 0;           // the samples cover 0 .. to_us
  std::vector<SceneSeries> queues;       // MTAs whose queue ever held mail
  SceneSeries deliveries, deferrals, bounces;
  int delivered = 0, deferred = 0, bounced = 0;  // totals up to the clock (trace events)
};

// SceneLesson - one lesson the picker offers (what `smtpsim list` prints). Filled by viz-core.
struct SceneLesson {
  std::string path;           // "scenarios/lessons/story.yaml" (what open_lesson requests)
  std::string name, title;    // "story", "The story: from A's mail client to B's mailbox"
};

// ScenePredictChoice - one answer offered in predict mode: a catalogue entry's label and text.
struct ScenePredictChoice {
  std::string label;          // "550 5.1.1", "+OK", "-ERR [IN-USE]"
  std::string text;           // the catalogue's text, placeholders kept: "<{address}>: ... User unknown"
};

// ScenePredict - predict mode (issue 12 item 9): before each reply the run stops and asks which
// reply comes next; the reply stays hidden (token and transcript line) until answered.
struct ScenePredict {
  bool on = false;
  bool waiting = false;       // a question is open: the reply is hidden
  std::string server, client; // who is about to answer, and whom
  std::string command;        // the line it answers ("" = the server speaks first: its greeting)
  std::vector<ScenePredictChoice> choices;
  bool numeric = false;       // a typed reply code is accepted too (SMTP)
  int asked = 0, right = 0;   // the score: questions answered (or skipped), answered right
  // the last answer, shown after it until the next question
  bool answered = false;
  bool was_right = false;
  std::string guess;          // what was picked or typed ("skipped")
  std::string reply;          // the reply that came: "250 2.1.5 Ok"
  std::string explanation;    // the tutor's words for it (reply_tooltip_text)
};

// SceneHandsHost - what the right-click menu of one host may offer, and its switches as they
// stand now (read from the world's servers, so "greylisting off" is offered only while it is on).
struct SceneHandsHost {
  std::string name;
  bool smtp = false;         // runs an SMTP server (msa mta cluster mx mda): behaviour items apply
  bool pop3 = false;         // a POP3 server (storage full, tarpit, back to normal)
  bool outbound = false;     // sends mail on (msa mta cluster mx): it has a retry preset
  std::string preset;        // its retry preset now ("story", "postfix", ...; "" = none)
  bool greylisting = false, storage_full = false, close_421 = false;
  bool tarpit = false;       // a delay before every reply is set
  std::string rcpt_refusal;  // the RCPT override now ("" = none): "550 5.1.1 ..."
  bool changed = false;      // any behaviour differs from the lesson's start ("back to normal")
};

// SceneZone - one DNS name of the lesson as the DNS server would answer now.
struct SceneZone {
  std::string name;          // "b.example"
  struct Mx { std::string host; int pref = 10; };
  std::vector<Mx> mx;        // the MX records now (empty: none, or null MX)
  std::vector<Mx> mx_lesson; // the MX records the lesson starts with (to restore them)
  bool null_mx = false;      // "MX 0 ." (RFC 7505)
  std::string fault;         // "" none, nxdomain servfail timeout
};

// SceneUser - one mail user of the lesson and the client that sends as it ("" = none).
struct SceneUser {
  std::string address, client;
};

struct Scene {
  SimTime t_us = 0;           // the virtual clock
  SimTime end_us = 0;         // the run's planned end (timeline width)
  std::string file, title, summary;
  double speed = 1;           // virtual seconds per wall second
  bool playing = false;
  bool skipping_idle = false; // the clock is racing across quiet time
  bool finished = false;
  std::vector<SceneHost> hosts;
  std::vector<SceneLink> links;
  std::vector<SceneToken> tokens;
  std::vector<SceneQueueRow> queues;
  std::vector<SceneLine> transcript;   // lines up to t_us (folded)
  std::vector<SceneMarker> markers;
  std::vector<SceneExpect> expects;
  std::vector<SceneMailbox> mailboxes;
  SceneCard card;
  std::string summary_line;   // RunReport::summary_line() once finished
  std::string error;          // a bad lesson: "file:line:col: what" (drawn as the error panel)
  std::vector<SceneLesson> lessons;  // the lesson picker's list (added by viz-views; viz-core fills it)

  // -- hands-on (issue 12): branches; hand actions are markers of kind "action"
  std::vector<SceneBranch> branches;
  std::vector<SceneHandsHost> hands_hosts;  // per host, what its menu offers (scene_hands.cpp)
  std::vector<SceneZone> zones;             // the lesson's domains as DNS answers them now
  std::vector<SceneUser> users;             // senders for the compose dialog
  std::vector<std::string> retry_presets;   // story sendmail postfix exim
  std::string dns_host;                     // the host that answers DNS ("" = none)

  // -- inspect (issue 12): filled only for the inspect tab that is open (scene_inspect.cpp)
  SceneSequence sequence;
  SceneMessage message;
  SceneCharts charts;
  bool captured = false;      // the playback keeps the bytes the inspector needs

  // -- teach (issue 12)
  ScenePredict predict;       // predict mode: the question waiting for an answer, the score

  // -- live (issue 13): `smtpsim-viz --live` (viz/playback/live_playback.*); the clock is the wall clock
  bool live = false;
  std::string live_ready;             // "ready msa.a.example:587=127.0.0.1:40125 ..." (where to point swaks)
  std::string live_wall;              // the wall clock now, "23:41:07"
  double live_speed = 1;              // 0 while paused (sockets are still served)
  std::uint64_t live_connections = 0; // real clients accepted so far
  std::size_t live_open = 0;          // real clients connected now
};

}  // namespace smtpsim::viz
