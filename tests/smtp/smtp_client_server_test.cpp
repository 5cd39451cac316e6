// smtp_client_server_test.cpp - the client engine against the real server engine, joined in memory
// by tls::EnginePipe (plaintext, and real OpenSSL TLS after STARTTLS): every extension combination,
// SIZE limits, AUTH PLAIN/LOGIN, several messages and recipients with mixed outcomes, server
// failure behaviours, and byte-at-a-time segmentation.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <memory>
#include <set>

#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_server.hpp"
#include "sim/tls/tls_engine_pipe.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;
using tls::EnginePipe;
using tls::PipeOptions;
using tls::PipeStop;
using tls::Side;

namespace {

// PairPolicy - local domain b.example (bob, carol; "grey" is greylisted by a rule); relay for
// authenticated users; password "secret" for alice; a spool.
struct PairPolicy : ServerPolicy {
  std::set<std::string> users{"bob@b.example", "carol@b.example", "dave@b.example", "grey@b.example"};
  struct Stored {
    Envelope env;
    std::string data;
    SessionFacts facts;
  };
  std::vector<Stored> stored;

  bool is_local_domain(std::string_view d) override { return d == "b.example"; }
  bool recipient_exists(std::string_view a) override { return users.count(std::string(a)) > 0; }
  bool may_relay(const SessionFacts& s) override { return !s.auth_user.empty(); }
  bool check_credentials(std::string_view u, std::string_view p) override { return u == "alice" && p == "secret"; }
  std::optional<ServerReply> check_recipient(const SessionFacts&, const Envelope&, const RcptTo& r) override {
    if (r.forward_path == "grey@b.example") return ServerReply{451, "4.7.1", "Greylisted, try again later"};
    return std::nullopt;
  }
  AcceptResult accept_message(const SessionFacts& s, const Envelope& env, std::string data) override {
    stored.push_back(Stored{env, std::move(data), s});
    return AcceptResult::stored("Q" + std::to_string(stored.size()));
  }
};

// Pair - one client session against one server session.
struct Pair {
  PairPolicy policy;
  ServerConfig scfg;
  ClientConfig ccfg;
  std::unique_ptr<SmtpServer> server;
  std::unique_ptr<SmtpClient> client;
  std::unique_ptr<EnginePipe> pipe;
  std::vector<MessageResult> results;
  PipeStop stop = PipeStop::Idle;

  Pair() {
    scfg.hostname = "mx.b.example";
    ccfg.helo_name = "client.a.example";
    ccfg.server_name = "mx.b.example";
    ccfg.tls = TlsMode::None;
  }
  // run - connect, send msgs, QUIT; returns the results in order.
  std::vector<MessageResult>& run(const std::vector<OutgoingMessage>& msgs, PipeOptions opts = {}) {
    server = std::make_unique<SmtpServer>(scfg, policy, PeerInfo{"192.0.2.10", "client.a.example"});
    client = std::make_unique<SmtpClient>(ccfg);
    for (const auto& m : msgs) client->enqueue(m);
    client->no_more_messages();
    pipe = std::make_unique<EnginePipe>(*client, *server, std::move(opts));
    stop = pipe->run();
    results = client->take_results();
    return results;
  }
  std::vector<std::string> outcomes() const {
    std::vector<std::string> v;
    for (const auto& m : results)
      for (const auto& r : m.recipients)
        v.push_back(m.id + " " + r.address + " " + to_string(r.outcome) + " " + to_string(r.stage) + " " +
                    r.reply.summary());
    return v;
  }
  std::size_t count(Side s, ProtoEvent::Kind k, std::string_view needle = {}) const {
    std::size_t n = 0;
    for (const auto& e : pipe->events(s))
      if (e.kind == k && e.text.find(needle) != std::string::npos) ++n;
    return n;
  }
};

OutgoingMessage msg(std::string id, std::vector<std::string> rcpts, std::string data = {}) {
  OutgoingMessage m;
  m.id = id;
  m.reverse_path = "alice@a.example";
  for (auto& r : rcpts) m.recipients.push_back(Recipient{r, 0, ""});
  m.data = data.empty() ? "From: alice@a.example\r\nTo: bob@b.example\r\nSubject: " + id + "\r\n\r\nHello " + id + ".\r\n"
                        : std::move(data);
  return m;
}

}  // namespace

TEST_CASE("client-server: every extension combination delivers, lock-step or pipelined", "[smtp][client][pair]") {
  for (int combo = 0; combo < 32; ++combo) {
    const bool srv_pipe = combo & 1, srv_size = combo & 2, srv_8bit = combo & 4, srv_dsn = combo & 8,
               srv_esc = combo & 16;
    for (bool cli_pipe : {true, false}) {
      INFO("combo " << combo << " client pipelining " << cli_pipe);
      Pair p;
      p.scfg.pipelining = srv_pipe;
      p.scfg.size = srv_size;
      p.scfg.eightbitmime = srv_8bit;
      p.scfg.dsn = srv_dsn;
      p.scfg.enhanced_status_codes = srv_esc;
      p.ccfg.pipelining = cli_pipe;
      OutgoingMessage m = msg("m1", {"bob@b.example", "carol@b.example"},
                              "Subject: dots\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n");
      m.body = BodyType::SevenBit;
      m.ret = DsnRet::Headers;
      m.envid = "ENV+1";
      m.recipients[0].notify = kNotifyFailure | kNotifyDelay;
      m.recipients[0].orcpt = "rfc822;bob@b.example";
      auto& res = p.run({m});
      CHECK(p.stop == PipeStop::Finished);
      REQUIRE(res.size() == 1);
      CHECK(res[0].count(Outcome::Delivered) == 2);
      REQUIRE(p.policy.stored.size() == 1);
      const auto& st = p.policy.stored[0];
      CHECK(st.data == "Subject: dots\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n");  // unstuffed = original
      CHECK(st.env.mail.params.size.has_value() == srv_size);
      if (srv_size) CHECK(*st.env.mail.params.size == 46);
      CHECK((st.env.mail.params.body == BodyParam::SevenBit) == srv_8bit);
      CHECK((st.env.mail.params.ret == RetParam::Headers) == srv_dsn);
      CHECK((st.env.mail.params.envid == "ENV+1") == srv_dsn);
      REQUIRE(st.env.rcpts.size() == 2);
      CHECK((st.env.rcpts[0].params.notify == (DsnNotify::Failure | DsnNotify::Delay)) == srv_dsn);
      CHECK((st.env.rcpts[0].params.orcpt == "rfc822;bob@b.example") == srv_dsn);
      CHECK(p.client->capabilities().pipelining == srv_pipe);
      CHECK(p.client->capabilities().enhanced_codes == srv_esc);
      CHECK(res[0].recipients[0].reply.enhanced == (srv_esc ? "2.0.0" : ""));
      // No protocol trouble on either side.
      CHECK(p.count(Side::Client, ProtoEvent::Kind::Error) == 0);
      CHECK(p.count(Side::Server, ProtoEvent::Kind::Error) == 0);
      // Pipelining really groups: MAIL, RCPT, RCPT, DATA in one write.
      const bool grouped = p.pipe->written(Side::Client).find(
                               "RCPT TO:<carol@b.example>\r\nDATA\r\n") != std::string::npos;
      CHECK(grouped);  // both are in the written stream either way
      std::size_t writes_with_data = 0;
      for (const auto& r : p.pipe->records())
        if (r.side == Side::Client && r.kind == tls::PipeRecord::Kind::Write &&
            r.bytes.find("RCPT TO:<bob@b.example>") != std::string::npos &&
            r.bytes.find("DATA\r\n") != std::string::npos)
          ++writes_with_data;
      CHECK(writes_with_data == (srv_pipe && cli_pipe ? 1u : 0u));
    }
  }
}

TEST_CASE("client-server: several messages, several recipients, mixed 250/550/451/554", "[smtp][client][pair]") {
  for (bool pipelining : {true, false}) {
    INFO("pipelining " << pipelining);
    Pair p;
    p.scfg.pipelining = pipelining;
    auto& res = p.run({msg("m1", {"bob@b.example", "nobody@b.example", "grey@b.example", "x@elsewhere.example"}),
                       msg("m2", {"nobody@b.example"}), msg("m3", {"carol@b.example", "dave@b.example"})});
    CHECK(p.stop == PipeStop::Finished);
    CHECK(res.size() == 3);
    CHECK(p.outcomes() ==
          std::vector<std::string>{
              "m1 bob@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q1",
              "m1 nobody@b.example failed RCPT 550 5.1.1 <nobody@b.example>: Recipient address rejected: User "
              "unknown in local recipient table",
              "m1 grey@b.example deferred RCPT 451 4.7.1 Greylisted, try again later",
              "m1 x@elsewhere.example failed RCPT 554 5.7.1 <x@elsewhere.example>: Relay access denied",
              "m2 nobody@b.example failed RCPT 550 5.1.1 <nobody@b.example>: Recipient address rejected: User "
              "unknown in local recipient table",
              "m3 carol@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q2",
              "m3 dave@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q2"});
    REQUIRE(p.policy.stored.size() == 2);
    CHECK(p.policy.stored[0].env.rcpts.size() == 1);
    CHECK(p.policy.stored[1].env.rcpts.size() == 2);
    CHECK(p.count(Side::Client, ProtoEvent::Kind::Error) == 0);
    CHECK(p.count(Side::Server, ProtoEvent::Kind::Error) == 0);
    // m2 had nobody: RSET (a transaction was open) before m3's MAIL.
    CHECK(p.pipe->written(Side::Client).find("RSET\r\n") != std::string::npos);
  }
}

TEST_CASE("client-server: SIZE limits", "[smtp][client][pair]") {
  const std::string big = "Subject: big\r\n\r\n" + std::string(1200, 'x') + "\r\n";
  SECTION("announced: the client refuses before MAIL") {
    Pair p;
    p.scfg.max_message_size = 1000;
    auto& res = p.run({msg("big", {"bob@b.example"}, big), msg("small", {"bob@b.example"})});
    CHECK(p.outcomes() ==
          std::vector<std::string>{
              "big bob@b.example failed MAIL 5.3.4 message size 1218 exceeds size limit 1000 of host mx.b.example",
              "small bob@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q1"});
    CHECK(res[0].recipients[0].local);
    CHECK(p.pipe->written(Side::Client).find("SIZE=1218") == std::string::npos);
  }
  SECTION("a declared SIZE over the announced limit is refused by the client too") {
    Pair p;
    p.scfg.max_message_size = 1000;
    OutgoingMessage m = msg("liar", {"bob@b.example"});
    m.size = 5000;  // the client declares more than the announced limit: refused locally too
    p.run({m});
    CHECK(p.results.at(0).recipients.at(0).reply.enhanced == "5.3.4");
  }
  SECTION("not announced: the server refuses after the data") {
    Pair p;
    p.scfg.max_message_size = 1000;
    p.scfg.size = false;
    p.run({msg("big", {"bob@b.example"}, big)});
    REQUIRE(p.results.size() == 1);
    const auto& r = p.results[0].recipients[0];
    CHECK(r.outcome == Outcome::Failed);
    CHECK(r.stage == Stage::EndOfData);
    CHECK(r.reply.code == 552);
    CHECK(p.policy.stored.empty());
  }
}

TEST_CASE("client-server: 8BITMIME", "[smtp][client][pair]") {
  OutgoingMessage m = msg("u", {"bob@b.example"}, "Subject: caf\xc3\xa9\r\n\r\n\xc3\xa9t\xc3\xa9\r\n");
  m.body = BodyType::EightBitMime;
  SECTION("offered") {
    Pair p;
    p.run({m});
    CHECK(p.results.at(0).recipients.at(0).outcome == Outcome::Delivered);
    REQUIRE(p.policy.stored.size() == 1);
    CHECK(p.policy.stored[0].env.mail.params.body == BodyParam::EightBitMime);
  }
  SECTION("not offered: refused by the client (RFC 6152 3)") {
    Pair p;
    p.scfg.eightbitmime = false;
    p.run({m});
    CHECK(p.results.at(0).recipients.at(0).reply.enhanced == "5.6.3");
    CHECK(p.policy.stored.empty());
  }
}

TEST_CASE("client-server: AUTH PLAIN and LOGIN for submission", "[smtp][client][pair][auth]") {
  for (AuthMech mech : {AuthMech::Plain, AuthMech::Login, AuthMech::Auto}) {
    for (bool ir : {true, false}) {
      INFO("mech " << static_cast<int>(mech) << " initial response " << ir);
      Pair p;
      p.scfg.auth = true;
      p.scfg.auth_plaintext = true;
      p.scfg.msa_mode = true;
      Credentials c;
      c.user = "alice";
      c.password = "secret";
      c.mech = mech;
      c.initial_response = ir;
      p.ccfg.auth = c;
      p.run({msg("m1", {"bob@b.example", "friend@elsewhere.example"})});
      CHECK(p.stop == PipeStop::Finished);
      CHECK(p.results.at(0).count(Outcome::Delivered) == 2);  // relay allowed once authenticated
      REQUIRE(p.policy.stored.size() == 1);
      CHECK(p.policy.stored[0].facts.auth_user == "alice");
      CHECK(p.policy.stored[0].facts.auth_mechanism == (mech == AuthMech::Login ? "LOGIN" : "PLAIN"));
      CHECK(p.policy.stored[0].facts.protocol() == "ESMTPA");
      CHECK(p.client->authenticated());
      CHECK(p.count(Side::Client, ProtoEvent::Kind::Command, "c2VjcmV0") == 0);
      CHECK(p.count(Side::Server, ProtoEvent::Kind::Error) == 0);
    }
  }
  SECTION("wrong password: 535 fails the messages") {
    Pair p;
    p.scfg.auth = true;
    p.scfg.auth_plaintext = true;
    p.scfg.msa_mode = true;
    Credentials c;
    c.user = "alice";
    c.password = "wrong";
    p.ccfg.auth = c;
    p.run({msg("m1", {"bob@b.example"}), msg("m2", {"carol@b.example"})});
    REQUIRE(p.results.size() == 2);
    for (const auto& m : p.results) {
      CHECK(m.recipients[0].outcome == Outcome::Failed);
      CHECK(m.recipients[0].stage == Stage::Auth);
      CHECK(m.recipients[0].reply.code == 535);
    }
    CHECK(p.policy.stored.empty());
  }
  SECTION("submission without credentials: 530 at MAIL") {
    Pair p;
    p.scfg.auth = true;
    p.scfg.auth_plaintext = true;
    p.scfg.msa_mode = true;
    p.run({msg("m1", {"bob@b.example"})});
    const auto& r = p.results.at(0).recipients.at(0);
    CHECK(r.stage == Stage::Mail);
    CHECK(r.reply.code == 530);
  }
}

TEST_CASE("client-server: STARTTLS with real TLS bytes", "[smtp][client][pair][tls]") {
  tls::Pki pki(42);
  auto options = [&] {
    PipeOptions o;
    o.server_tls = tls::ServerContext(pki.issue("mx.b.example"));
    o.client_tls = tls::ClientContext({pki.ca().cert});
    o.client_params.server_name = "mx.b.example";
    return o;
  };
  SECTION("required, with AUTH after TLS") {
    Pair p;
    p.scfg.tls_available = true;
    p.scfg.auth = true;
    p.ccfg.tls = TlsMode::Required;
    Credentials c;
    c.user = "alice";
    c.password = "secret";
    p.ccfg.auth = c;
    p.run({msg("m1", {"bob@b.example", "carol@b.example"}), msg("m2", {"dave@b.example"})}, options());
    CHECK(p.stop == PipeStop::Finished);
    CHECK(p.outcomes() == std::vector<std::string>{"m1 bob@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q1",
                                                   "m1 carol@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q1",
                                                   "m2 dave@b.example delivered end-of-data 250 2.0.0 Ok: queued as Q2"});
    CHECK(p.client->tls_active());
    REQUIRE(p.pipe->tls_info(Side::Client).has_value());
    CHECK(p.pipe->tls_info(Side::Client)->ok);
    CHECK(p.pipe->tls_info(Side::Client)->version == "TLSv1.3");
    REQUIRE(p.policy.stored.size() == 2);
    CHECK(p.policy.stored[0].facts.protocol() == "ESMTPSA");
    // On the wire: STARTTLS in clear, then nothing readable.
    const std::string before = p.pipe->wire_before_tls(Side::Client);
    const std::string after = p.pipe->wire_after_tls(Side::Client);
    CHECK(before == "EHLO client.a.example\r\nSTARTTLS\r\n");
    CHECK_FALSE(after.empty());
    CHECK(after.find("MAIL FROM") == std::string::npos);
    CHECK(after.find("AUTH") == std::string::npos);
    CHECK(p.pipe->written(Side::Client).find("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n") != std::string::npos);
    CHECK(p.count(Side::Client, ProtoEvent::Kind::Error) == 0);
    CHECK(p.count(Side::Server, ProtoEvent::Kind::Error) == 0);
  }
  SECTION("opportunistic, server without TLS: plaintext delivery") {
    Pair p;
    p.ccfg.tls = TlsMode::Opportunistic;
    p.run({msg("m1", {"bob@b.example"})}, options());
    CHECK(p.results.at(0).recipients.at(0).outcome == Outcome::Delivered);
    CHECK_FALSE(p.client->tls_active());
  }
  SECTION("required, server without TLS: deferred, nothing sent") {
    Pair p;
    p.ccfg.tls = TlsMode::Required;
    p.run({msg("m1", {"bob@b.example"})}, options());
    const auto& r = p.results.at(0).recipients.at(0);
    CHECK(r.outcome == Outcome::Deferred);
    CHECK(r.stage == Stage::StartTls);
    CHECK(r.reply.message() == "TLS required but not offered by host mx.b.example");
    CHECK(p.pipe->written(Side::Client).find("MAIL") == std::string::npos);
  }
  SECTION("certificate for the wrong name: handshake fails, deferred") {
    Pair p;
    p.scfg.tls_available = true;
    p.ccfg.tls = TlsMode::Required;
    PipeOptions o = options();
    o.server_tls = tls::ServerContext(pki.issue("evil.example"));
    p.run({msg("m1", {"bob@b.example"})}, std::move(o));
    const auto& r = p.results.at(0).recipients.at(0);
    CHECK(r.outcome == Outcome::Deferred);
    CHECK(r.stage == Stage::StartTls);
    CHECK(r.reply.enhanced == "4.7.5");
    CHECK(p.policy.stored.empty());
    CHECK(p.count(Side::Client, ProtoEvent::Kind::Error, "TLS handshake failed") == 1);
  }
}

TEST_CASE("client-server: server failure behaviours reach the right outcome", "[smtp][client][pair]") {
  struct Row {
    const char* name;
    std::function<void(PairPolicy&)> setup;
    std::vector<std::string> outcomes;
  };
  const std::vector<Row> rows = {
      {"greeting 554",
       [](PairPolicy& pol) { pol.behaviour.refuse_connection = ServerReply{554, "", "No SMTP service here"}; },
       {"m1 bob@b.example failed greeting 554 No SMTP service here",
        "m2 carol@b.example failed greeting 554 No SMTP service here"}},
      {"greeting 421",
       [](PairPolicy& pol) { pol.behaviour.refuse_connection = ServerReply{421, "", "Too busy"}; },
       {"m1 bob@b.example deferred greeting 421 Too busy", "m2 carol@b.example deferred greeting 421 Too busy"}},
      {"sender refused", [](PairPolicy& pol) { pol.behaviour.reject_sender = ServerReply{553, "5.7.1", "Sender rejected"}; },
       {"m1 bob@b.example failed MAIL 553 5.7.1 Sender rejected",
        "m2 carol@b.example failed MAIL 553 5.7.1 Sender rejected"}},
      {"storage full", [](PairPolicy& pol) { pol.behaviour.storage_full = true; },
       {"m1 bob@b.example deferred MAIL 452 4.3.1 Insufficient system storage",
        "m2 carol@b.example deferred MAIL 452 4.3.1 Insufficient system storage"}},
      {"content rejected after the dot",
       [](PairPolicy& pol) { pol.behaviour.reject_data = ServerReply{554, "5.7.1", "Spam detected"}; },
       {"m1 bob@b.example failed end-of-data 554 5.7.1 Spam detected",
        "m2 carol@b.example failed end-of-data 554 5.7.1 Spam detected"}},
      {"421 at RCPT", [](PairPolicy& pol) { pol.behaviour.close_at = Verb::Rcpt; },
       {"m1 bob@b.example deferred RCPT 421 4.3.2 mx.b.example Service not available, closing transmission channel",
        "m2 carol@b.example deferred RCPT 421 4.3.2 mx.b.example Service not available, closing transmission channel"}},
  };
  for (const auto& row : rows) {
    for (bool pipelining : {true, false}) {
      INFO(row.name << (pipelining ? " (pipelined)" : " (lock-step)"));
      Pair p;
      p.scfg.pipelining = pipelining;
      row.setup(p.policy);
      p.run({msg("m1", {"bob@b.example"}), msg("m2", {"carol@b.example"})});
      CHECK(p.outcomes() == row.outcomes);
      CHECK(p.stop == PipeStop::Finished);
      CHECK(p.count(Side::Client, ProtoEvent::Kind::Error, "protocol error") == 0);
    }
  }
}

TEST_CASE("client-server: connection dropped during DATA, tarpit timeouts", "[smtp][client][pair]") {
  SECTION("drop in data: first message delivered stays delivered, the rest deferred") {
    Pair p;
    p.policy.behaviour.drop_in_data = 10000;  // only the second message is this big
    p.run({msg("m1", {"bob@b.example"}), msg("m2", {"carol@b.example"}, std::string(20000, 'y') + "\r\n"),
           msg("m3", {"dave@b.example"})});
    REQUIRE(p.results.size() == 3);
    CHECK(p.results[0].recipients[0].outcome == Outcome::Deferred);  // m1 is short: dropped at its "."
    CHECK(p.results[0].recipients[0].stage == Stage::ConnectionLost);
    CHECK(p.results[1].recipients[0].stage == Stage::ConnectionLost);
    CHECK(p.results[2].recipients[0].stage == Stage::ConnectionLost);
    CHECK(p.policy.stored.empty());
  }
  SECTION("tarpit longer than the client's greeting timeout") {
    Pair p;
    p.policy.behaviour.tarpit = minutes(6);
    p.run({msg("m1", {"bob@b.example"})});
    const auto& r = p.results.at(0).recipients.at(0);
    CHECK(r.stage == Stage::Timeout);
    CHECK(r.reply.message() ==
          "conversation with host mx.b.example timed out while waiting for the initial greeting");
    CHECK(p.pipe->now() >= minutes(5));
  }
  SECTION("tarpit shorter than every timeout: slow but delivered") {
    Pair p;
    p.policy.behaviour.tarpit = sec(20);
    p.scfg.pipelining = false;
    p.run({msg("m1", {"bob@b.example"})});
    CHECK(p.results.at(0).recipients.at(0).outcome == Outcome::Delivered);
    CHECK(p.pipe->now() >= sec(20) * 6);  // greeting, EHLO, MAIL, RCPT, DATA, "." each held
  }
}

TEST_CASE("client-server: byte-at-a-time segments and network delay change nothing", "[smtp][client][pair]") {
  std::vector<std::string> reference;
  for (std::size_t seg : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    INFO("max_segment " << seg);
    Pair p;
    PipeOptions o;
    o.max_segment = seg;
    o.one_way_delay = msec(25);
    p.run({msg("m1", {"bob@b.example", "nobody@b.example"}), msg("m2", {"carol@b.example"})}, std::move(o));
    CHECK(p.stop == PipeStop::Finished);
    if (reference.empty()) reference = p.outcomes();
    CHECK(p.outcomes() == reference);
    CHECK(p.policy.stored.size() == 2);
  }
  CHECK(reference.size() == 3);
}
