// scenario_load_test.cpp - the loader on inline lessons: defaults, resolution of implicit parts,
// suggestions, several errors at once, warnings, file problems and hostile input.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "scenario/scenario_test_util.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;
using test::diag_lines;
using test::kBase;
using test::load;
using Lines = std::vector<std::string>;

TEST_CASE("defaults fill everything a small lesson leaves out") {
  LoadResult r = load_scenario_string(kBase, "lessons/first-mail.yaml");
  INFO(r.format());
  REQUIRE(r.ok());
  const ScenarioSpec& s = *r.spec;
  CHECK(s.lesson.title == "first-mail");  // no lesson: the file's name
  CHECK(s.seed == 1);
  CHECK(s.run.until_quiet());
  CHECK(s.run.grace == minutes(10));
  CHECK(s.run.max == days(30));
  CHECK(s.retry.preset == RetryPreset::Story);
  const MsaOptions* msa = s.find_host("msa.a.example")->as<MsaOptions>();
  REQUIRE(msa);
  CHECK(msa->server.port == 587);
  CHECK(msa->server.tls == TlsMode::Opportunistic);
  CHECK(msa->auth == AuthRequirement::Required);
  CHECK(msa->out.relay_to.empty());
  CHECK(msa->out.concurrency == 20);
  const MuaOptions* mua = s.find_host("client-a")->as<MuaOptions>();
  CHECK(mua->submit.port == 587);
  CHECK(mua->password == "apple");
  CHECK(s.find_host("client-b")->as<MuaOptions>()->fetch.port == 110);
  CHECK(s.find_host("mx.b.example")->as<MxOptions>()->server.port == 25);
  CHECK(s.find_host("mda")->as<MdaOptions>()->mailboxes == Lines{"a@a.example", "b@b.example"});
  CHECK(s.find_domain("b.example")->local_to == "mda");
  CHECK(s.links[0].latency == msec(1));
  CHECK(s.links[0].up);
  CHECK(s.find_host("internet")->auto_created);
  CHECK(s.messages.empty());
  CHECK(s.timeline.empty());
}

TEST_CASE("several errors in different sections are all reported, in file order") {
  std::string text = std::string(kBase) +
                     "send:\n"
                     "  - { from: a@a.example, to: b@b.exmple, at: soon }\n"  // line 23
                     "timeline:\n"
                     "  - { at: 1m, crash: mx.c.example }\n"                   // line 25
                     "expect:\n"
                     "  - { delivered: b@b.example, by: 1h }\n";               // line 27
  LoadResult r = load(text);
  CHECK_FALSE(r.ok());
  CHECK(diag_lines(r) ==
        Lines{"23:30: to: 'b@b.exmple' is in domain b.exmple, which is not under domains: (did "
              "you mean 'b.example'?)",
              "23:46: at: expected a time since the start like 30s or 1h5m, got 'soon'",
              "25:22: crash: unknown host 'mx.c.example' (did you mean 'mx.a.example'?)",
              "27:18: delivered: b@b.example is not a recipient of any message (did you mean "
              "'b@b.exmple'?)"});
  CHECK(r.error_count() == 4);
}

TEST_CASE("did you mean: keys, roles, hosts, users, values, commands, message ids") {
  struct Row { std::string tail; std::string want; };
  const Row rows[] = {
      {"timeline:\n  - { at: 1m, crahs: mx.a.example }\n",
       "23:15: unknown key 'crahs' in timeline entry (did you mean 'crash'?)"},
      {"timeline:\n  - { at: 1m, crash: mx.a.exmaple }\n",
       "23:22: crash: unknown host 'mx.a.exmaple' (did you mean 'mx.a.example'?)"},
      {"send:\n  - { from: a@a.example, to: bb@b.example }\n",
       "23:30: to: unknown user 'bb@b.example' in domain b.example (did you mean 'b@b.example'?)"},
      {"send:\n  - { from: a@a.example, to: b@b.example, dsn: { ret: ful } }\n",
       "23:55: ret: expected one of full, hdrs, headers, got 'ful' (did you mean 'full'?)"},
      {"send:\n  - { id: lunch, from: a@a.example, to: b@b.example }\n"
       "narration:\n  - { title: t, text: x, pause_on: { delivered: b@b.example, message: lnuch } }\n",
       "25:71: message: no message has id 'lnuch' (did you mean 'lunch'?)"},
      {"narration:\n  - { title: t, text: x, pause_on: { command: EHOL } }\n",
       "23:47: command: 'EHOL' is not an SMTP or POP3 command (did you mean 'EHLO'?)"},
      {"narration:\n  - { title: t, text: x, pause_on: { queue: defered } }\n",
       "23:45: queue: expected one of queued, attempt, retrying, deferred, sent, delivered, bounced, warned, "
       "expired, got 'defered' (did you mean 'deferred'?)"},
      {"timeline:\n  - { at: 1m, dns: { name: b.example, fault: nxdomian } }\n",
       "23:46: fault: expected one of none, nxdomain, servfail, timeout, got 'nxdomian' (did you "
       "mean 'nxdomain'?)"},
  };
  for (const Row& row : rows) {
    INFO(row.tail);
    LoadResult r = load(std::string(kBase) + row.tail);
    CHECK(diag_lines(r) == Lines{row.want});
  }
}

TEST_CASE("an unknown key with nothing close lists the valid keys") {
  LoadResult r = load("hosts:\n  - { name: r1, role: router }\n  - { name: r2, role: router }\n"
                      "links:\n  - { between: [r1, r2], colour: red }\n");
  CHECK(diag_lines(r) ==
        Lines{"5:26: unknown key 'colour' in link (valid keys: between, latency, bandwidth, loss, "
              "state)"});
}

TEST_CASE("warnings are reported but do not stop a lesson from loading") {
  std::string text = std::string(kBase);
  test::replace(text, "  - { name: dns, role: dns }\n", "");  // no DNS host
  test::replace(text, "  - { between: [internet, dns] }\n", "");
  text += "  - { between: [internet, spare] }\n";
  text.insert(text.find("links:"), "  - { name: spare, role: mx, deliver_to: mda }\n");
  LoadResult r = load(text);
  INFO(r.format());
  REQUIRE(r.ok());
  CHECK(diag_lines(r) ==
        Lines{"7:5: warning: msa.a.example looks up MX records (it has no relay_to:), but there is "
              "no dns host: the simulator answers DNS itself (add { name: dns, role: dns } and "
              "link it to see the lookups)",
              "12:5: warning: mx spare accepts no domain (no domain's mx: names it, and it has no "
              "accepts:)"});
  CHECK(r.error_count() == 0);
  CHECK(r.diagnostics[0].to_string().find("t.yaml:7:5: warning: ") == 0);
}

TEST_CASE("addresses: written ones are kept, the rest counted up around them") {
  LoadResult r = load("hosts:\n  - { name: a, role: router }\n  - { name: b, role: router, ip: 10.0.0.2 }\n"
                      "  - { name: c, role: router }\nlinks:\n  - { between: [a, b] }\n  - { between: [b, c] }\n");
  REQUIRE(r.ok());
  CHECK(r.spec->hosts[0].ip == "10.0.0.1");
  CHECK(r.spec->hosts[1].ip == "10.0.0.2");
  CHECK_FALSE(r.spec->hosts[1].ip_auto);
  CHECK(r.spec->hosts[2].ip == "10.0.0.3");
  CHECK(r.spec->hosts[2].ip_auto);
}

TEST_CASE("YAML anchors, aliases and merge keys share settings between hosts") {
  LoadResult r = load(
      "x-server: &server { tls: required, max_size: 5MB }\n"
      "hosts:\n"
      "  - { name: mta1, role: mta, relay_to: mta2, <<: *server }\n"
      "  - { name: mta2, role: mta, relay_to: mta1, <<: *server, tls: none }\n"
      "links:\n  - { between: [mta1, mta2] }\n");
  INFO(r.format());
  REQUIRE(r.ok());
  const MtaOptions* m1 = r.spec->find_host("mta1")->as<MtaOptions>();
  const MtaOptions* m2 = r.spec->find_host("mta2")->as<MtaOptions>();
  CHECK(m1->server.tls == TlsMode::Required);
  CHECK(m1->server.max_size == 5 * 1024 * 1024);
  CHECK(m2->server.tls == TlsMode::None);  // written keys win over merged ones
  CHECK(m1->relay_for == Lines{"mta2"});
  CHECK(r.spec->find_host("mta1")->src.at("tls") == SourcePos{1, 26});  // inside the anchor
}

TEST_CASE("the file's own problems are diagnostics too") {
  LoadResult missing = load_scenario_file("/nonexistent/lesson.yaml");
  CHECK(diag_lines(missing) == Lines{"cannot open: No such file or directory"});
  CHECK(missing.diagnostics[0].to_string() ==
        "/nonexistent/lesson.yaml: cannot open: No such file or directory");
  LoadResult dir = load_scenario_file(test::source_path("tests/scenario"));
  CHECK(diag_lines(dir) == Lines{"cannot read: it is a directory"});
  CHECK(diag_lines(load(std::string("hosts:\n  - { na\0me: r1 }\n", 22))) ==
        Lines{"2:9: the file contains a NUL byte (is it a text file?)"});
  std::string big(kMaxScenarioBytes + 1, '#');
  CHECK(diag_lines(load(big)) ==
        Lines{"the file is too large (4194305 bytes; a lesson file may have at most 4194304)"});
  CHECK(diag_lines(load("")) ==
        Lines{"the file is empty: a lesson needs at least hosts: (see scenarios/FORMAT.md)"});
  CHECK(diag_lines(load("hosts:\n")) ==
        Lines{"1:1: hosts: expected a list of hosts (like - { name: dns, role: dns }), got nothing"});
}

TEST_CASE("hostile YAML gets an answer, never a crash") {
  std::string deep(5000, '[');
  LoadResult r = load("hosts: " + deep);
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message.find("the file nests deeper than 100 levels") == 0);
  // an alias fan-out is walked as the schema needs, not expanded without bound
  std::string text = "x-r: &r { name: r1, role: router }\nhosts: [";
  for (int i = 0; i < 900; ++i) text += "*r, ";
  text += "*r]\n";
  LoadResult many = load(text);
  CHECK_FALSE(many.ok());
  CHECK(many.diagnostics.size() == 500 + 1);  // 900 duplicates, capped, plus the note saying so
  CHECK(many.diagnostics.back().message == "too many errors; stopped after 500");
  // sizes are bounded too, so every check stays fast
  std::string huge = "x-r: &r { name: r1, role: router }\nhosts: [";
  for (int i = 0; i < 1000; ++i) huge += "*r, ";
  huge += "*r]\n";
  CHECK(diag_lines(load(huge)) ==
        Lines{"2:8: hosts: 1001 hosts is too many (a lesson may have at most 1000)"});
  std::string rcpts = std::string(kBase) + "send:\n  - { from: a@a.example, to: [";
  for (int i = 0; i < 5001; ++i) rcpts += "b@b.example, ";
  rcpts += "b@b.example] }\n";
  CHECK(diag_lines(load(rcpts)) ==
        Lines{"23:30: to: 5002 entries is too many (a lesson may have at most 5000)"});
  // yaml-cpp 0.7's LoadAll loops forever on these (upstream #1040); the loader must not
  CHECK(diag_lines(load(",")) ==
        Lines{"1:1: YAML syntax error: unexpected ',' (put text that starts with it in quotes)"});
  CHECK(diag_lines(load("hosts: []\n...\n,\n")) ==
        Lines{"3:1: YAML syntax error: unexpected ',' (put text that starts with it in quotes)"});
  for (const char* junk : {"{", "]", "- - -", "{:", "[:", "{# ke\ny{:", "? [a]: b\n", "hosts: !!binary AAAA", "&a [*a]",
                           "hosts:\n  - {name: r1, role: router, ip: [1,2]}\n", "'", "\"\\x\""}) {
    INFO(junk);
    LoadResult j = load(junk);
    CHECK_FALSE(j.ok());
    CHECK_FALSE(j.diagnostics.empty());
  }
}

TEST_CASE("unknown_ok sends to addresses that do not exist on purpose") {
  LoadResult r = load(std::string(kBase) +
                      "send:\n  - { from: a@a.example, to: [nobody@b.example, x@nowhere.example], "
                      "unknown_ok: true }\n");
  INFO(r.format());
  REQUIRE(r.ok());
  CHECK(r.spec->messages[0].unknown_ok);
  CHECK(r.spec->messages[0].to == Lines{"nobody@b.example", "x@nowhere.example"});
}

TEST_CASE("messages: via, repeat, cc and bcc, headers") {
  LoadResult r = load(std::string(kBase) +
                      "send:\n"
                      "  - { from: a@a.example, to: b@b.example, cc: a@a.example, bcc: [b@b.example], "
                      "via: client-a, repeat: 10, every: 1s, headers: { X-Priority: 1 } }\n");
  INFO(r.format());
  REQUIRE(r.ok());
  const MessageSpec& m = r.spec->messages[0];
  CHECK(m.via == "client-a");
  CHECK(m.repeat == 10);
  CHECK(m.every == sec(1));
  CHECK(m.recipients() == Lines{"b@b.example", "a@a.example", "b@b.example"});
  CHECK(m.headers == std::vector<std::pair<std::string, std::string>>{{"X-Priority", "1"}});
  LoadResult bad = load(std::string(kBase) +
                        "send:\n  - { from: a@a.example, to: b@b.example, via: mda, every: 1s, "
                        "headers: { Subject: hi } }\n");
  CHECK(diag_lines(bad) ==
        Lines{"23:48: via: 'mda' is an mda host; via needs a mua",
              "23:60: every: goes with repeat: (like repeat: 10, every: 1s)",
              "23:75: headers: Subject has its own key: write subject: instead"});
}

TEST_CASE("behaviour changes: reply overrides with times, normal, flags") {
  LoadResult r = load(std::string(kBase) +
                      "timeline:\n"
                      "  - { at: 1m, host: mx.b.example, behaviour: { rcpt: { reply: \"452 4.2.2 "
                      "Mailbox full\", times: 2 }, tarpit: 5s, greylisting: on } }\n"
                      "  - { at: 2m, host: pop, behavior: { pass: \"-ERR [AUTH] bad\", auth_reject: true } }\n"
                      "  - { at: 3m, host: mx.b.example, behaviour: { normal: true } }\n");
  INFO(r.format());
  REQUIRE(r.ok());
  const auto& tl = r.spec->timeline;
  const BehaviourChange& b = std::get<BehaviourChange>(tl[0].action);
  REQUIRE(b.replies.size() == 1);
  CHECK(b.replies[0].command == "RCPT");
  CHECK(b.replies[0].code == 452);
  CHECK(b.replies[0].times == 2);
  CHECK(b.tarpit == sec(5));
  CHECK(b.greylisting == true);
  CHECK_FALSE(b.drop_mid_data.has_value());
  const BehaviourChange& p = std::get<BehaviourChange>(tl[1].action);
  CHECK(p.replies[0].code == 2);
  CHECK(p.replies[0].line == "-ERR [AUTH] bad");
  CHECK(p.auth_reject == true);
  CHECK(std::get<BehaviourChange>(tl[2].action).reset);
  LoadResult bad = load(std::string(kBase) +
                        "timeline:\n  - { at: 1m, host: mx.b.example, behaviour: {} }\n"
                        "  - { at: 2m, host: mx.b.example, behaviour: { auth_reject: true } }\n"
                        "  - { at: 3m, host: mx.b.example }\n");
  CHECK(diag_lines(bad) ==
        Lines{"23:46: behaviour: says nothing to change (like rcpt: \"451 4.3.0 Try again later\")",
              "24:46: auth_reject: applies to hosts that take AUTH (msa, pop3), not to an mx host",
              "25:5: timeline entry: has no action (link, crash, restart, behaviour, dns, retry or note)",
              "25:15: host: goes with behaviour: or retry: (to crash a host write crash: mx.b.example)"});
}

TEST_CASE("dns changes and faults on the timeline") {
  LoadResult r = load(std::string(kBase) +
                      "timeline:\n"
                      "  - { at: 1m, dns: { name: b.example, mx: [ { host: mx.a.example, pref: 5 } ] } }\n"
                      "  - { at: 2m, dns: { name: b.example, null_mx: true } }\n"
                      "  - { at: 3m, dns: { name: mx.a.example, a: [203.0.113.9] } }\n"
                      "  - { at: 4m, dns: { name: mx.b.example, remove: true }, note: gone }\n"
                      "  - { at: 5m, dns: { name: b.example, fault: timeout } }\n");
  INFO(r.format());
  REQUIRE(r.ok());
  const auto& tl = r.spec->timeline;
  const DnsChangeAction& c = std::get<DnsChangeAction>(tl[0].action);
  REQUIRE(c.mx.has_value());
  CHECK(c.mx->at(0).host == "mx.a.example");
  CHECK(c.mx->at(0).pref == 5);
  CHECK(std::get<DnsChangeAction>(tl[1].action).null_mx);
  CHECK(std::get<DnsChangeAction>(tl[2].action).a->at(0).ip == "203.0.113.9");
  CHECK(std::get<DnsChangeAction>(tl[3].action).remove);
  CHECK(tl[3].note == "gone");
  CHECK(std::get<DnsFaultAction>(tl[4].action).fault == DnsFaultKind::Timeout);
  LoadResult bad = load(std::string(kBase) +
                        "timeline:\n  - { at: 1m, dns: { name: b.example, fault: servfail, mx: [mx.a.example] } }\n"
                        "  - { at: 2m, dns: { name: b.example } }\n");
  CHECK(diag_lines(bad) ==
        Lines{"23:20: dns: give either fault: or new records (mx, null_mx, a, remove), not both",
              "24:20: dns: says nothing to change (add fault: servfail, or records like mx: [...])"});
}

TEST_CASE("the timeline is ordered by time, equal times keeping file order") {
  LoadResult r = load(std::string(kBase) +
                      "timeline:\n  - { at: 2m, note: b }\n  - { at: 1m, note: a }\n"
                      "  - { at: 2m, note: c }\n");
  REQUIRE(r.ok());
  Lines notes;
  for (const TimelineEntry& e : r.spec->timeline) notes.push_back(e.note);
  CHECK(notes == Lines{"a", "b", "c"});
}

TEST_CASE("until: a fixed end, quiet, or quiet with grace and a cap") {
  auto until = [](const std::string& u) { return load("until: " + u + "\nhosts:\n  - { name: r, role: router }\n"); };
  LoadResult fixed = until("6h");
  REQUIRE(fixed.ok());
  CHECK(fixed.spec->run.until == hours(6));
  CHECK_FALSE(fixed.spec->run.until_quiet());
  CHECK(until("quiet").spec->run.until_quiet());
  LoadResult map = until("{ quiet: true, grace: 1m, max: 3d }");
  REQUIRE(map.ok());
  CHECK(map.spec->run.grace == minutes(1));
  CHECK(map.spec->run.max == days(3));
  CHECK(diag_lines(until("{ quiet: false }")) ==
        Lines{"1:17: quiet: false needs a fixed end instead: write until: 6h"});
  CHECK(diag_lines(until("0s")) == Lines{"1:8: until: must be later than 0 (or write until: quiet)"});
  CHECK(diag_lines(until("[1h]")) ==
        Lines{"1:8: until: expected a time like 6h, quiet, or { quiet: true, grace: 10m, max: 2d }, got a list"});
}

TEST_CASE("expectations: every kind, windows and counts") {
  LoadResult r = load(std::string(kBase) +
                      "send:\n  - { id: hi, from: a@a.example, to: b@b.example }\n"
                      "expect:\n"
                      "  - { not_delivered: b@b.example, not_before: 1h }\n"
                      "  - { bounced: b@b.example, to: a@a.example, status: 5.x.x, by: 5h }\n"
                      "  - { warned: b@b.example, status: 4.4.7 }\n"
                      "  - { reply: 4xx, after: rcpt, exactly: 3 }\n"
                      "  - { attempts: { rcpt: b@b.example, host: msa.a.example, at_most: 2 } }\n"
                      "  - { fetched_by: client-b, rcpt: b@b.example, message: hi, by: 2h }\n"
                      "  - { queued: 1, host: msa.a.example }\n"
                      "  - { tls: [client-a, msa.a.example], used: false }\n"
                      "  - { delivered: b@b.example, not_before: 10m, by: 20m, host: mda }\n");
  INFO(r.format());
  REQUIRE(r.ok());
  const auto& e = r.spec->expectations;
  using K = Expectation::Kind;
  CHECK(e[0].kind == K::NotDelivered);
  CHECK(e[0].window.from == hours(1));
  CHECK(e[0].window.to == kNever);
  CHECK(e[1].kind == K::Bounced);
  CHECK(e[1].dsn_to == "a@a.example");
  CHECK(e[1].status == "5.x.x");
  CHECK(e[1].describe() == "a@a.example receives a bounce for b@b.example with status 5.x.x by 05:00:00.000");
  CHECK(e[2].kind == K::Warned);
  CHECK(e[2].describe() == "the sender receives a delay warning for b@b.example with status 4.4.7");
  CHECK(e[3].code_class == 4);
  CHECK(e[3].command == "RCPT");
  CHECK(e[3].count.op == CountCheck::Op::Exactly);
  CHECK(e[3].count.n == 3);
  CHECK(e[3].describe() == "reply 4xx after RCPT seen exactly 3 time(s)");
  CHECK(e[4].count.op == CountCheck::Op::AtMost);
  CHECK(e[4].host == "msa.a.example");
  CHECK(e[5].message == 1);
  CHECK(e[5].window.to == hours(2));
  CHECK(e[5].within == kNever);
  CHECK(e[6].count.n == 1);
  CHECK_FALSE(e[7].tls_used);
  CHECK(e[8].window.to_string() == "between 00:10:00.000 and 00:20:00.000");
  CHECK(e[8].host == "mda");
  LoadResult bad = load(std::string(kBase) +
                        "send:\n  - { from: a@a.example, to: b@b.example }\n"
                        "expect:\n"
                        "  - { bounced: b@b.example, status: 2.0.0 }\n"
                        "  - { reply: 250, at_least: 1, at_most: 2 }\n"
                        "  - { fetched_by: client-a }\n"
                        "  - { attempts: { message: 1 } }\n"
                        "  - { by: 1h }\n");
  CHECK(diag_lines(bad) ==
        Lines{"25:37: status: a bounce carries a 5.x.x (or 4.x.x after giving up) status",
              "26:5: give one of at_least, exactly, at_most",
              "27:19: fetched_by: client-a has no fetch: target, so it never fetches mail",
              "28:17: attempts: needs at_least:, exactly: or at_most:",
              "29:5: expectation: says what to expect with one of delivered, not_delivered, "
              "bounced, warned, reply, no_reply, attempts, fetched_by, lost, duplicates, queued, tls"});
}

TEST_CASE("mailboxes: explicit addresses win over whole domains; conflicts are errors") {
  std::string text = std::string(kBase);
  text.insert(text.find("links:"), "  - { name: mda2, role: mda, mailboxes: [b@b.example] }\n");
  text += "  - { between: [internet, mda2] }\n";
  LoadResult r = load(text);
  // client-b fetches b@b.example from pop (store: mda), but the mailbox moved to mda2
  CHECK(diag_lines(r) ==
        Lines{"6:60: fetch: pop serves the mailboxes of mda, but b@b.example's mailbox is on mda2"});
  std::string twice = std::string(kBase);
  twice.insert(twice.find("links:"), "  - { name: mda2, role: mda, mailboxes: [b.example] }\n");
  twice += "  - { between: [internet, mda2] }\n";
  CHECK(diag_lines(load(twice)) ==
        Lines{"13:42: mailboxes: b.example is already held by mda (line 10)"});
}

TEST_CASE("a user who receives mail needs a mailbox") {
  std::string text = std::string(kBase);
  test::replace(text, "mailboxes: [a.example, b.example]", "mailboxes: [a.example]");
  test::replace(text, "  - { between: [client-b, pop] }\n", "");
  test::replace(text, "  - { name: client-b, role: mua, user: b@b.example, fetch: pop }\n", "");
  // the MX forwards instead of delivering, so nothing says where b's mailbox is
  test::replace(text, "{ name: mx.b.example, role: mx, deliver_to: mda }",
                "{ name: mx.b.example, role: mx, relay_to: mx.a.example }");
  text += "send:\n  - { from: a@a.example, to: b@b.example }\n";
  LoadResult r = load(text);
  CHECK(diag_lines(r) ==
        Lines{"3:43: user b@b.example receives mail but has no mailbox: no mda holds it (list it "
              "in an mda's mailboxes:, or set local_to: on b.example)"});
}

TEST_CASE("a client that must authenticate needs a password") {
  std::string text = std::string(kBase);
  test::replace(text, "users: { a: apple }", "users: [a]");
  LoadResult r = load(text);
  CHECK(diag_lines(r) ==
        Lines{"5:40: client-a authenticates to msa.a.example but has no password for a@a.example "
              "(give the user a password in domains:, or write auth: none on the mua)"});
  test::replace(text, "submit: msa.a.example }", "submit: msa.a.example, auth: none }");
  CHECK(load(text).ok());
}

TEST_CASE("top-level keys starting with x- are the file's own") {
  LoadResult r = load("x-notes: anything at all\nhosts:\n  - { name: r, role: router }\n");
  CHECK(r.ok());
  CHECK(r.diagnostics.empty());
}

TEST_CASE("load_scenario_file reads what load_scenario_string reads") {
  std::string path = (std::filesystem::temp_directory_path() / "smtpsim-scenario-load-test.yaml").string();
  {
    std::ofstream out(path);
    out << kBase;
  }
  LoadResult a = load_scenario_file(path);
  LoadResult b = load_scenario_string(kBase, path);
  std::remove(path.c_str());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.spec->hosts.size() == b.spec->hosts.size());
  CHECK(a.spec->file == path);
}

TEST_CASE("prose keeps its words but not the line end a YAML block leaves; bodies keep theirs") {
  LoadResult r = load(std::string(kBase) +
                      "narration:\n"
                      "  - title: >\n"
                      "      Step one\n"
                      "    text: >\n"
                      "      The message leaves\n"
                      "      the client.\n"
                      "  - title: two\n"
                      "    text: |\n"
                      "      line one\n"
                      "      line two\n"
                      "\n"
                      "send:\n"
                      "  - from: a@a.example\n"
                      "    to: b@b.example\n"
                      "    body: |\n"
                      "      hello\n"
                      "timeline:\n"
                      "  - at: 1m\n"
                      "    note: >\n"
                      "      a note  \n");
  INFO(r.format());
  REQUIRE(r.ok());
  REQUIRE(r.spec->narration.size() == 2);
  CHECK(r.spec->narration[0].title == "Step one");
  CHECK(r.spec->narration[0].text == "The message leaves the client.");
  CHECK(r.spec->narration[1].text == "line one\nline two");  // inner line breaks stay
  CHECK(r.spec->messages[0].body == "hello\n");             // a body is the sender's bytes
  REQUIRE(r.spec->timeline.size() == 1);
  CHECK(r.spec->timeline[0].note == "a note");
}
