// smtp_client_raw_test.cpp - the raw DATA path (OutgoingMessage::raw) used to teach SMTP smuggling:
// the bytes it puts on the wire, and what the real server engine does with a smuggling attempt in
// its reject and normalize modes.
#include <catch2/catch.hpp>

#include <memory>

#include "sim/smtp/smtp_client.hpp"
#include "sim/smtp/smtp_client_raw.hpp"
#include "sim/smtp/smtp_server.hpp"
#include "sim/tls/tls_engine_pipe.hpp"

using namespace smtpsim;
using namespace smtpsim::smtp;

namespace {

// The attack of Dec 2023: a first message ends with <LF>.<CR><LF> (a lenient server takes that for
// the end of DATA), then a whole second transaction follows inside the same DATA.
const std::string kSmuggle =
    "From: mallory@evil.example\r\nTo: b@b.example\r\nSubject: Harmless\r\n\r\nNothing to see here.\r\n"
    "\n.\r\n"
    "MAIL FROM:<ceo@b.example>\r\nRCPT TO:<b@b.example>\r\nDATA\r\n"
    "From: ceo@b.example\r\nTo: b@b.example\r\nSubject: Urgent\r\n\r\nPay the invoice.\r\n";

struct RawCase {
  const char* in;
  const char* raw;      // append_raw_body
  const char* normal;   // append_body, for contrast
  std::size_t bare;
};

// SpoolPolicy - accepts everything for b.example and keeps what it stored.
struct SpoolPolicy : ServerPolicy {
  std::vector<std::string> stored;
  bool is_local_domain(std::string_view d) override { return d == "b.example"; }
  bool recipient_exists(std::string_view) override { return true; }
  bool may_relay(const SessionFacts&) override { return false; }
  bool check_credentials(std::string_view, std::string_view) override { return false; }
  AcceptResult accept_message(const SessionFacts&, const Envelope&, std::string data) override {
    stored.push_back(std::move(data));
    return AcceptResult::stored("Q" + std::to_string(stored.size()));
  }
};

struct Session {
  SpoolPolicy policy;
  std::unique_ptr<SmtpServer> server;
  std::unique_ptr<SmtpClient> client;
  std::unique_ptr<tls::EnginePipe> pipe;
  std::vector<MessageResult> results;

  Session(BareNewlineMode mode, bool raw) {
    ServerConfig sc;
    sc.hostname = "mx.b.example";
    sc.bare_newline = mode;
    ClientConfig cc;
    cc.helo_name = "attacker.evil.example";
    cc.server_name = "mx.b.example";
    cc.tls = TlsMode::None;
    server = std::make_unique<SmtpServer>(sc, policy, PeerInfo{"203.0.113.66", "attacker.evil.example"});
    client = std::make_unique<SmtpClient>(cc);
    OutgoingMessage m;
    m.id = "smuggle";
    m.reverse_path = "mallory@evil.example";
    m.recipients.push_back({"b@b.example", 0, ""});
    m.data = kSmuggle;
    m.raw = raw;
    client->enqueue(m);
    client->no_more_messages();
    pipe = std::make_unique<tls::EnginePipe>(*client, *server, tls::PipeOptions{});
    pipe->run();
    results = client->take_results();
  }
  std::size_t server_replies(int code, std::string_view text = {}) const {
    std::size_t n = 0;
    for (const auto& e : pipe->events(tls::Side::Server))
      if (e.kind == ProtoEvent::Kind::Reply && e.code == code && e.text.find(text) != std::string::npos) ++n;
    return n;
  }
};

}  // namespace

TEST_CASE("append_raw_body: only CRLF ends a line, bare CR/LF pass through, dots after CRLF are doubled") {
  const RawCase cases[] = {
      {"a\r\n.b\r\n", "a\r\n..b\r\n.\r\n", "a\r\n..b\r\n.\r\n", 0},
      {".start", "..start\r\n.\r\n", "..start\r\n.\r\n", 0},
      {"x\n.\r\nMAIL", "x\n.\r\nMAIL\r\n.\r\n", "x\r\n..\r\nMAIL\r\n.\r\n", 1},
      {"x\r\n.\nY\r\n", "x\r\n..\nY\r\n.\r\n", "x\r\n..\r\nY\r\n.\r\n", 1},
      {"a\rb", "a\rb\r\n.\r\n", "a\r\nb\r\n.\r\n", 1},
      {"a\r\n", "a\r\n.\r\n", "a\r\n.\r\n", 0},
      {"tail\n", "tail\n\r\n.\r\n", "tail\r\n.\r\n", 1},
      {"", ".\r\n", ".\r\n", 0},
  };
  for (const RawCase& c : cases) {
    INFO("input: " << c.in);
    std::string raw, normal;
    std::size_t bare = 99;
    const BodyStats st = append_raw_body(raw, c.in, &bare);
    append_body(normal, c.in);
    CHECK(raw == c.raw);
    CHECK(normal == c.normal);
    CHECK(bare == c.bare);
    CHECK(st.normalised == 0);
  }
  std::string out = "prefix:";
  const BodyStats st = append_raw_body(out, "one\r\n.two\r\nthree\nfour");
  CHECK(out == "prefix:one\r\n..two\r\nthree\nfour\r\n.\r\n");
  CHECK(st.lines == 3);
  CHECK(st.stuffed == 1);
  CHECK(st.size == std::string("one\r\n.two\r\nthree\nfour").size() + 2);
  CHECK(st.longest == std::string("three\nfour").size());
}

TEST_CASE("raw smuggling attempt against a server in reject mode: 550 5.5.2 and nothing stored") {
  Session s(BareNewlineMode::Reject, true);
  // The hostile bytes really went out: <LF>.<CR><LF> followed by a second transaction.
  CHECK(s.pipe->wire(tls::Side::Client).find("\r\n\n.\r\nMAIL FROM:<ceo@b.example>\r\n") != std::string::npos);
  REQUIRE(s.results.size() == 1);
  REQUIRE(s.results[0].recipients.size() == 1);
  const RecipientResult& r = s.results[0].recipients[0];
  CHECK(r.outcome == Outcome::Failed);
  CHECK(r.stage == Stage::EndOfData);
  CHECK(r.reply.code == 550);
  CHECK(r.reply.enhanced == "5.5.2");
  CHECK(s.policy.stored.empty());
  CHECK(s.server_replies(354) == 1);  // one DATA, whatever the body says
  CHECK(s.server_replies(250, "queued") == 0);  // no 250 for either message
  CHECK(s.server_replies(550, "bare <LF>") == 1);
}

TEST_CASE("raw smuggling attempt against a server in normalize mode: one message, the second never splits off") {
  Session s(BareNewlineMode::Normalize, true);
  REQUIRE(s.results.size() == 1);
  CHECK(s.results[0].recipients[0].outcome == Outcome::Delivered);
  REQUIRE(s.policy.stored.size() == 1);
  const std::string& m = s.policy.stored[0];
  CHECK(m.find("Nothing to see here.\r\n\r\n.\r\nMAIL FROM:<ceo@b.example>\r\n") != std::string::npos);
  CHECK(m.find("Pay the invoice.") != std::string::npos);
  CHECK(s.server_replies(354) == 1);
  CHECK(s.server_replies(250, "queued") == 1);
}

TEST_CASE("the same body from a normal client is repaired and is harmless everywhere") {
  Session s(BareNewlineMode::Reject, false);
  CHECK(s.pipe->wire(tls::Side::Client).find("\r\n\n") == std::string::npos);
  CHECK(s.pipe->wire(tls::Side::Client).find("\r\n\r\n..\r\nMAIL FROM:<ceo@b.example>") != std::string::npos);
  REQUIRE(s.policy.stored.size() == 1);
  CHECK(s.results[0].recipients[0].outcome == Outcome::Delivered);
}
