// scenario_story_test.cpp - the full story lesson (tests/scenario/good/story.yaml) loads with every
// field as written, every default filled in, and every implicit part resolved; positions point
// back into the file.
#include <catch2/catch.hpp>

#include <fstream>

#include "scenario/scenario_test_util.hpp"
#include "sim/scenario/scenario_units.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;

namespace {

// Story - the loaded story plus its text, for position checks.
struct Story {
  ScenarioSpec spec;
  std::vector<std::string> lines;

  Story() {
    std::string path = test::source_path("tests/scenario/good/story.yaml");
    LoadResult r = load_scenario_file(path);
    INFO(r.format());
    REQUIRE(r.ok());
    spec = *r.spec;
    std::ifstream in(path);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  // at - the 1-based position of the n-th (1-based) `text` on 1-based line `line`.
  SourcePos at(int line, const std::string& text, int n = 1) const {
    std::size_t pos = std::string::npos;
    for (int i = 0; i < n; ++i) pos = lines.at(std::size_t(line - 1)).find(text, pos + 1);
    REQUIRE(pos != std::string::npos);
    return {line, int(pos) + 1};
  }
  const HostSpec& host(const std::string& name) const {
    const HostSpec* h = spec.find_host(name);
    REQUIRE(h != nullptr);
    return *h;
  }
};

}  // namespace

TEST_CASE("story: lesson, seed, run length and the default retry schedule") {
  Story s;
  const ScenarioSpec& sp = s.spec;
  CHECK(sp.file == test::source_path("tests/scenario/good/story.yaml"));
  CHECK(sp.lesson.title == "Outbound SMTP: from A's client to B's mailbox");
  CHECK(sp.lesson.summary.rfind("A writes to B with a standalone client.", 0) == 0);
  CHECK(sp.lesson.summary.back() == '.');  // prose: the folded block's final newline is dropped
  CHECK(sp.lesson.tags == std::vector<std::string>{"smtp", "retries", "pop3"});
  CHECK(sp.lesson.level == Level::Beginner);
  CHECK(sp.seed == 42);
  CHECK(sp.run.until_quiet());
  CHECK(sp.run.grace == minutes(15));
  CHECK(sp.run.max == days(2));
  CHECK(sp.retry.preset == RetryPreset::Story);
  REQUIRE(sp.retry.stages.size() == 1);
  CHECK(sp.retry.stages[0].interval == minutes(15));
  CHECK(sp.retry.give_up_after == hours(4));
  CHECK(sp.retry.warn_after == kNever);
  CHECK(sp.retry.src.pos == s.at(13, "story"));
}

TEST_CASE("story: domains, MX records, users and where their mailboxes are") {
  Story s;
  const ScenarioSpec& sp = s.spec;
  REQUIRE(sp.domains.size() == 3);
  const DomainSpec& a = sp.domains[0];
  CHECK(a.name == "a.example");
  CHECK(a.mx_mode == MxMode::Explicit);
  REQUIRE(a.mx.size() == 1);
  CHECK(a.mx[0].host == "mx.a.example");
  CHECK(a.mx[0].pref == 10);
  CHECK(a.mx[0].pos == s.at(17, "{ host"));
  REQUIRE(a.users.size() == 1);
  CHECK(a.users[0].address == "a@a.example");  // a bare local part is completed
  CHECK(a.users[0].password == "apple pie");
  CHECK(a.users[0].quota == 10 * 1024 * 1024);
  CHECK(a.users[0].mailbox_host == "mda.a.example");  // the mda lists the whole domain
  CHECK(a.users[0].src.pos == s.at(19, "a:"));
  CHECK(a.local_to == "mda.a.example");
  CHECK(a.src.pos == SourcePos{16, 3});

  const DomainSpec& b = sp.domains[1];
  REQUIRE(b.mx.size() == 2);
  CHECK(b.mx[1].host == "mx2.b.example");
  CHECK(b.mx[1].pref == 20);
  CHECK(b.users[0].address == "b@b.example");
  CHECK(b.users[0].password == "banana");
  CHECK(b.users[0].quota == 0);
  CHECK(b.users[0].mailbox_host == "mda.b.example");
  CHECK(b.local_to == "mda.b.example");

  const DomainSpec& n = sp.domains[2];
  CHECK(n.name == "nomail.example");
  CHECK(n.mx_mode == MxMode::Null);
  CHECK(n.mx.empty());
  CHECK(n.local_to.empty());

  CHECK(sp.find_user("B@B.example") == &b.users[0]);
  CHECK(sp.find_domain("A.EXAMPLE") == &a);
}

TEST_CASE("story: hosts in file order, then the created ones, with deterministic addresses") {
  Story s;
  const ScenarioSpec& sp = s.spec;
  std::vector<std::string> names;
  for (const HostSpec& h : sp.hosts) names.push_back(h.name);
  CHECK(names == std::vector<std::string>{
                     "client-c", "msa.a.example", "cluster-fra", "mx.a.example", "mda.a.example",
                     "pop.a.example", "mx1.b.example", "mx2.b.example", "mda.b.example",
                     "pop.b.example", "client-b", "dns", "internet", "out1.fra", "out2.fra",
                     "out3.fra"});
  std::vector<std::string> ips;
  for (const HostSpec& h : sp.hosts) ips.push_back(h.ip);
  CHECK(ips == std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4",
                                        "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8",
                                        "10.0.0.9", "10.0.0.10", "10.0.0.11", "192.0.2.53",
                                        "10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.15"});
  CHECK_FALSE(s.host("dns").ip_auto);
  CHECK(s.host("client-c").ip_auto);
  CHECK(s.host("dns").role == Role::Dns);
  CHECK(s.host("dns").as<DnsOptions>()->timeout == sec(5));
  CHECK(s.host("client-c").src.pos == SourcePos{27, 5});
  CHECK(s.host("client-c").src.at("submit") == s.at(27, "msa.a.example:587"));

  const HostSpec& internet = s.host("internet");
  CHECK(internet.role == Role::Router);
  CHECK(internet.auto_created);
  CHECK(internet.src.pos == s.at(43, "[cluster-fra"));  // where it is first named
}

TEST_CASE("story: client options, with passwords and ports taken from the targets") {
  Story s;
  const MuaOptions* c = s.host("client-c").as<MuaOptions>();
  REQUIRE(c);
  CHECK(c->user == "a@a.example");
  CHECK(c->password == "apple pie");
  CHECK(c->submit.host == "msa.a.example");
  CHECK(c->submit.port == 587);
  CHECK(c->fetch.host == "pop.a.example");
  CHECK(c->fetch.port == 110);  // not written: the pop3 host's port
  CHECK(c->tls == TlsMode::Required);
  CHECK(c->auth == AuthMech::Plain);
  CHECK(c->poll == minutes(5));
  CHECK_FALSE(c->leave_on_server);
  CHECK(c->pipelining);
  CHECK(s.host("client-c").layout.set);
  CHECK(s.host("client-c").layout.x == 40);
  CHECK(s.host("client-c").layout.y == 200);

  const MuaOptions* b = s.host("client-b").as<MuaOptions>();
  REQUIRE(b);
  CHECK_FALSE(b->submit.set());
  CHECK(b->fetch.port == 110);
  CHECK(b->password == "banana");
  CHECK(s.host("client-b").as<MsaOptions>() == nullptr);
}

TEST_CASE("story: servers - submission, cluster, MX, MDA, POP3") {
  Story s;
  const HostSpec& msa = s.host("msa.a.example");
  const MsaOptions* m = msa.as<MsaOptions>();
  REQUIRE(m);
  CHECK(m->server.port == 587);
  CHECK(m->server.tls == TlsMode::Required);
  CHECK(m->server.max_size == 10240000);
  CHECK(m->auth == AuthRequirement::Required);
  CHECK(m->auth_mechs == std::vector<AuthMech>{AuthMech::Plain, AuthMech::Login});
  CHECK(m->out.relay_to == "cluster-fra");
  CHECK_FALSE(m->out.own_retry);
  CHECK(m->out.retry.preset == RetryPreset::Story);
  CHECK(m->out.tls_policy == TlsMode::Opportunistic);
  CHECK(m->out.spool == SpoolMode::Durable);
  CHECK(msa.server() == &m->server);
  CHECK(msa.outbound() == &m->out);
  CHECK(msa.layout.x == 160);
  CHECK(msa.src.at("relay_to") == s.at(28, "cluster-fra"));

  const ClusterOptions* c = s.host("cluster-fra").as<ClusterOptions>();
  REQUIRE(c);
  CHECK(c->members == std::vector<std::string>{"out1.fra", "out2.fra", "out3.fra"});
  CHECK(c->balance == Balance::LeastQueue);  // written least-queue
  CHECK(c->health_check == sec(5));
  CHECK(c->relay_for == std::vector<std::string>{"msa.a.example"});
  for (const char* name : {"out1.fra", "out2.fra", "out3.fra"}) {
    const HostSpec& member = s.host(name);
    CHECK(member.auto_created);
    CHECK(member.role == Role::Mta);
    const MtaOptions* o = member.as<MtaOptions>();
    REQUIRE(o);
    CHECK(o->member_of == "cluster-fra");
    CHECK(o->relay_for == std::vector<std::string>{"msa.a.example"});
    CHECK(o->out.relay_to.empty());  // members route by MX
    CHECK(o->server.port == 25);
  }
  CHECK(s.host("out2.fra").src.pos == s.at(29, "out2.fra"));

  const MxOptions* mx1 = s.host("mx1.b.example").as<MxOptions>();
  REQUIRE(mx1);
  CHECK(mx1->deliver_to == "mda.b.example");
  CHECK(mx1->accepts == std::vector<std::string>{"b.example"});
  CHECK(mx1->server.greylist.enabled);
  CHECK(mx1->server.greylist.delay == minutes(5));
  CHECK(mx1->server.greylist.window == days(2));

  const MxOptions* mx2 = s.host("mx2.b.example").as<MxOptions>();
  REQUIRE(mx2);
  CHECK(mx2->deliver_to.empty());
  CHECK(mx2->out.relay_to == "mx1.b.example");
  CHECK(mx2->out.own_retry);
  CHECK(mx2->out.retry.preset == RetryPreset::Postfix);
  CHECK(mx2->out.retry.queue_run == sec(300));
  CHECK(mx2->out.retry.give_up_after == days(5));
  CHECK_FALSE(mx2->server.greylist.enabled);

  const MdaOptions* mda = s.host("mda.b.example").as<MdaOptions>();
  REQUIRE(mda);
  CHECK(mda->mailboxes == std::vector<std::string>{"b@b.example"});
  CHECK(mda->quota == 50 * 1024 * 1024);
  CHECK(s.host("mda.a.example").as<MdaOptions>()->mailboxes ==
        std::vector<std::string>{"a@a.example"});  // written as the whole domain

  const Pop3Options* pop = s.host("pop.b.example").as<Pop3Options>();
  REQUIRE(pop);
  CHECK(pop->store == "mda.b.example");
  CHECK(pop->port == 110);
  CHECK(pop->tls == TlsMode::Opportunistic);
  CHECK(pop->apop);
  CHECK_FALSE(s.host("pop.a.example").as<Pop3Options>()->apop);
}

TEST_CASE("story: links") {
  Story s;
  const auto& links = s.spec.links;
  REQUIRE(links.size() == 14);
  CHECK(links[0].a == "client-c");
  CHECK(links[0].b == "msa.a.example");
  CHECK(links[0].latency == msec(20));
  CHECK(links[0].bandwidth_bps == 10'000'000);
  CHECK(links[0].loss == 0.0);
  CHECK(links[0].up);
  CHECK(links[1].bandwidth_bps == 1'000'000'000);
  CHECK(links[2].b == "internet");
  CHECK(links[3].loss == Approx(0.005));
  CHECK(links[3].src.pos == SourcePos{44, 5});
  CHECK(links[3].src.at("loss") == s.at(44, "0.5%"));
  CHECK(links[5].bandwidth_bps == 0);  // unlimited by default
  CHECK(links[5].latency == msec(1));
}

TEST_CASE("story: messages, with their sending client resolved") {
  Story s;
  const auto& msgs = s.spec.messages;
  REQUIRE(msgs.size() == 2);
  const MessageSpec& m = msgs[0];
  CHECK(m.id == "lunch");
  CHECK(m.index == 1);
  CHECK(m.at == 0);
  CHECK(m.from == "a@a.example");
  CHECK(m.to == std::vector<std::string>{"b@b.example"});
  CHECK(m.cc.empty());
  CHECK(m.recipients() == std::vector<std::string>{"b@b.example"});
  CHECK(m.subject == "Lunch on Friday?");
  CHECK(m.body == "Are you free?");
  CHECK(m.size == 0);
  CHECK(m.via == "client-c");
  CHECK(m.dsn.notify_set);
  CHECK_FALSE(m.dsn.never);
  CHECK_FALSE(m.dsn.success);
  CHECK(m.dsn.failure);
  CHECK(m.dsn.delay);
  CHECK(m.dsn.ret == DsnSpec::Ret::Headers);
  CHECK(m.dsn.envid == "lunch-1");
  CHECK(m.headers == std::vector<std::pair<std::string, std::string>>{{"X-Lesson", "story"}});
  CHECK(m.repeat == 1);
  CHECK(m.src.pos == SourcePos{57, 5});

  const MessageSpec& m2 = msgs[1];
  CHECK(m2.id == "2");
  CHECK(m2.index == 2);
  CHECK(m2.at == hours(2));
  CHECK(m2.size == 10 * 1024);
  CHECK(m2.body.empty());
  CHECK_FALSE(m2.dsn.notify_set);
  CHECK(s.spec.find_message(2) == &m2);
}

TEST_CASE("story: timeline entries are typed actions in time order") {
  Story s;
  const auto& tl = s.spec.timeline;
  REQUIRE(tl.size() == 7);
  CHECK(tl[0].at == sec(30));
  const LinkAction* down = std::get_if<LinkAction>(&tl[0].action);
  REQUIRE(down);
  CHECK(down->a == "internet");
  CHECK(down->b == "mx1.b.example");
  CHECK(down->up == false);
  CHECK_FALSE(down->latency.has_value());
  CHECK(tl[0].note == "B's primary MX drops off the net");
  CHECK(tl[0].src.pos == s.at(68, "{ at"));

  const BehaviourChange* b = std::get_if<BehaviourChange>(&tl[1].action);
  REQUIRE(b);
  CHECK(b->host == "mx2.b.example");
  REQUIRE(b->replies.size() == 1);
  CHECK(b->replies[0].command == "RCPT");
  CHECK(b->replies[0].code == 451);
  CHECK(b->replies[0].line == "451 4.3.0 Try again later");
  CHECK(b->replies[0].times == 0);
  CHECK_FALSE(b->replies[0].clear);
  CHECK(b->replies[0].pos == s.at(69, "\"451"));
  CHECK_FALSE(b->greylisting.has_value());

  CHECK(std::holds_alternative<NoteAction>(tl[2].action));
  CHECK(tl[2].at == minutes(50));
  CHECK(tl[2].note == "Still deferred: the cluster keeps the message");
  CHECK(std::get<LinkAction>(tl[3].action).up == true);
  CHECK(tl[3].at == hours(1) + minutes(5));
  const BehaviourChange& back = std::get<BehaviourChange>(tl[4].action);
  REQUIRE(back.replies.size() == 1);
  CHECK(back.replies[0].clear);
  const DnsFaultAction& fault = std::get<DnsFaultAction>(tl[5].action);
  CHECK(fault.name == "b.example");
  CHECK(fault.fault == DnsFaultKind::ServFail);
  CHECK(std::get<DnsFaultAction>(tl[6].action).fault == DnsFaultKind::None);
}

TEST_CASE("story: narration steps and their event matchers") {
  Story s;
  const auto& n = s.spec.narration;
  REQUIRE(n.size() == 3);
  CHECK(n[0].title == "Submission");
  CHECK_FALSE(n[0].start_on.has_value());
  REQUIRE(n[0].pause_on.has_value());
  CHECK(n[0].pause_on->kind == EventMatcher::Kind::Reply);
  CHECK(n[0].pause_on->code == 250);
  CHECK(n[0].pause_on->command == "DATA");
  CHECK(n[0].pause_on->host == "msa.a.example");
  CHECK(n[0].pause_on->occurrence == 1);
  CHECK(n[0].pause_on->to_string() == "reply 250 after DATA on msa.a.example");
  CHECK(n[1].pause_on->kind == EventMatcher::Kind::Queue);
  CHECK(n[1].pause_on->state == "deferred");
  REQUIRE(n[2].start_on.has_value());
  CHECK(n[2].start_on->kind == EventMatcher::Kind::Time);
  CHECK(n[2].start_on->at == hours(1) + minutes(5));
  CHECK(n[2].pause_on->kind == EventMatcher::Kind::Delivery);
  CHECK(n[2].pause_on->rcpt == "b@b.example");
  CHECK(n[2].pause_on->message == 1);  // written as the id `lunch`
  CHECK(n[2].pause_on->src.at("message") == s.at(79, "lunch"));
}

TEST_CASE("story: expectations") {
  Story s;
  const auto& e = s.spec.expectations;
  REQUIRE(e.size() == 9);
  using K = Expectation::Kind;
  CHECK(e[0].kind == K::Delivered);
  CHECK(e[0].rcpt == "b@b.example");
  CHECK(e[0].message == 1);
  CHECK(e[0].window.from == 0);
  CHECK(e[0].window.to == hours(1) + minutes(20));
  CHECK(e[0].describe() == "b@b.example delivered (message 1) by 01:20:00.000");
  CHECK(e[0].src.pos == s.at(82, "{ delivered"));

  CHECK(e[1].kind == K::Attempts);
  CHECK(e[1].message == 1);
  CHECK(e[1].count.op == CountCheck::Op::AtLeast);
  CHECK(e[1].count.n == 4);
  CHECK(e[1].window.whole_run());

  CHECK(e[2].kind == K::FetchedBy);
  CHECK(e[2].mua == "client-b");
  CHECK(e[2].within == minutes(10));

  CHECK(e[3].kind == K::Reply);
  CHECK(e[3].code == 451);
  CHECK(e[3].command == "RCPT");
  CHECK(e[3].host == "mx2.b.example");
  CHECK(e[3].count.n == 1);
  CHECK(e[3].window.from == sec(31));
  CHECK(e[3].window.to == hours(1) + minutes(5));
  CHECK(e[3].src.at("between") == s.at(85, "[31s"));

  CHECK(e[4].kind == K::NoReply);
  CHECK(e[4].code == 0);
  CHECK(e[4].code_class == 5);
  CHECK(e[4].host == "msa.a.example");

  CHECK(e[5].kind == K::Tls);
  CHECK(e[5].host == "client-c");
  CHECK(e[5].peer == "msa.a.example");
  CHECK(e[5].tls_used);
  CHECK(e[5].tls_version == "TLSv1.3");

  for (int i : {6, 7, 8}) {
    CHECK(e[std::size_t(i)].count.op == CountCheck::Op::Exactly);
    CHECK(e[std::size_t(i)].count.n == 0);
  }
  CHECK(e[6].kind == K::Lost);
  CHECK(e[7].kind == K::Duplicates);
  CHECK(e[8].kind == K::Queued);
  CHECK(e[8].describe() == "messages queued at the end: exactly 0");
}

TEST_CASE("story: the same file loads to the same spec every time") {
  Story a, b;
  CHECK(a.spec.hosts.size() == b.spec.hosts.size());
  for (std::size_t i = 0; i < a.spec.hosts.size(); ++i) {
    CHECK(a.spec.hosts[i].name == b.spec.hosts[i].name);
    CHECK(a.spec.hosts[i].ip == b.spec.hosts[i].ip);
  }
}
