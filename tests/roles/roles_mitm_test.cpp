// roles_mitm_test.cpp - the man in the middle over the real engines: transparent interception,
// plaintext reading, STARTTLS stripping against opportunistic and required TLS, impersonation
// with a forged certificate against verifying and non-verifying senders.
#include <catch2/catch.hpp>

#include "sim/roles/world.hpp"

using namespace smtpsim;

namespace {

// Net - sender mta.a.example (10.0.0.1) -> eve (10.0.0.2) -> mx.b.example (10.0.0.3); dns hangs
// off the sender. eve sits inline: every packet between the two crosses it.
struct Net {
  World w{7};
  HostId a, eve, mx, dns;
  std::shared_ptr<mail::MemoryStore> store = std::make_shared<mail::MemoryStore>();
  MtaHost* sender = nullptr;
  MitmProxy* mitm = nullptr;

  Net(MitmMode mode, smtp::TlsMode tls_out, TlsVerify verify, bool mx_tls = true) {
    a = w.add_host("mta.a.example", "10.0.0.1");
    eve = w.add_host("eve", "10.0.0.2");
    mx = w.add_host("mx.b.example", "10.0.0.3");
    dns = w.add_host("dns", "10.0.0.4");
    w.net.add_link(a, eve, {msec(5)});
    w.net.add_link(eve, mx, {msec(5)});
    w.net.add_link(a, dns, {msec(1)});
    w.set_dns_host(dns);
    MtaConfig s;
    s.name = "mta.a.example";
    s.relay_to = "mx.b.example";
    s.tls_out = tls_out;
    s.tls_verify = verify;
    RetrySchedule r;
    r.name = "test";
    r.rules.push_back(RetryRule{hours(1), minutes(10), 1.0});
    r.give_up_after = hours(1);
    s.retry = r;
    sender = &w.add_mta(a, s);
    MtaConfig m;
    m.name = "mx.b.example";
    m.offer_starttls = mx_tls;
    auto dir = std::make_shared<mail::Directory>();
    dir->add_domain("b.example");
    dir->add_user("b@b.example", "banana");
    m.directory = dir;
    m.store = store;
    w.add_mta(mx, m);
    MitmConfig c;
    c.name = "eve";
    c.mode = mode;
    mitm = &w.add_mitm(eve, c);
    w.start();
  }

  void send(SimTime at = sec(1)) {
    w.sched.schedule_at(at, [this] {
      std::string data =
          "From: a@a.example\r\nTo: b@b.example\r\nSubject: The quarterly numbers\r\n"
          "Message-ID: <q1@a.example>\r\n\r\nRevenue is up 12%.\r\n.hidden line\r\n";
      sender->inject("a@a.example", {"b@b.example"}, data, false);
    });
  }

  std::size_t delivered() const { return store->list("b@b.example").messages.size(); }
  std::string mailbox_text() const {
    auto l = store->list("b@b.example");
    return l.messages.empty() ? std::string() : *store->read("b@b.example", l.messages[0].uid);
  }
  // sent_by - every byte host h wrote on connections it believes go to `peer`.
  std::string sent_by(const std::string& h, const std::string& peer) const {
    std::string out;
    for (const TraceEvent& e : w.trace.events())
      if (e.kind == TraceKind::BytesSent && e.host == h && e.peer == peer) out += e.data;
    return out;
  }
  int tls_done(const std::string& h) const {
    int n = 0;
    for (const TraceEvent& e : w.trace.events())
      if (e.kind == TraceKind::Tls && e.host == h && e.text.rfind("done", 0) == 0) ++n;
    return n;
  }
  bool note_has(const std::string& text) const {
    for (const TraceEvent& e : w.trace.events())
      if (e.kind == TraceKind::Note && e.text.find(text) != std::string::npos) return true;
    return false;
  }
  bool queue_has(const std::string& text) const {
    for (const TraceEvent& e : w.trace.events())
      if (e.kind == TraceKind::Queue && e.text.find(text) != std::string::npos) return true;
    return false;
  }
  bool read_line(const std::string& prefix) const {
    for (const std::string& l : mitm->lines())
      if (l.rfind(prefix, 0) == 0) return true;
    return false;
  }
};

}  // namespace

TEST_CASE("mitm relay: the client's connection is intercepted transparently, TLS passes through unread") {
  Net n(MitmMode::Relay, smtp::TlsMode::Opportunistic, TlsVerify::None);
  n.send();
  n.w.sched.run_until(minutes(5));
  REQUIRE(n.delivered() == 1);
  CHECK(n.mitm->stats().connections == 1);
  CHECK(n.mitm->stats().tls_passed == 1);
  // TLS is end to end: both real ends finished a handshake, with each other as they believe.
  CHECK(n.tls_done("mta.a.example") == 1);
  CHECK(n.tls_done("mx.b.example") == 1);
  CHECK(n.tls_done("eve") == 0);
  // eve read the plaintext part only.
  CHECK(n.read_line("EHLO mta.a.example"));
  CHECK(n.read_line("STARTTLS"));
  CHECK_FALSE(n.read_line("MAIL FROM"));
  CHECK(n.mitm->captures().empty());
  // Transparent both ways: the server's Received line names the real client and its address.
  CHECK(n.mailbox_text().find("from mta.a.example") != std::string::npos);
  CHECK(n.mailbox_text().find("10.0.0.1") != std::string::npos);
  CHECK(n.mailbox_text().find("10.0.0.2") == std::string::npos);
  // The trace pairs the two legs and says who really took the SYN.
  bool intercepted = false;
  for (const TraceEvent& e : n.w.trace.events())
    if (e.kind == TraceKind::ConnAccept && e.text == "intercepted by eve") intercepted = true;
  CHECK(intercepted);
  CHECK(n.note_has("forwards connection #"));
  CHECK(n.mitm->active() == 0);
}

TEST_CASE("mitm strip_starttls: an opportunistic sender falls back to plaintext and the message is read") {
  Net n(MitmMode::StripStartTls, smtp::TlsMode::Opportunistic, TlsVerify::None);
  n.send();
  n.w.sched.run_until(minutes(5));
  REQUIRE(n.delivered() == 1);
  CHECK(n.tls_done("mta.a.example") == 0);
  CHECK(n.tls_done("mx.b.example") == 0);
  CHECK(n.mitm->stats().stripped == 1);
  // The server offered STARTTLS; the sender saw the same reply with the keyword blotted out.
  const std::string from_mx = n.sent_by("mx.b.example", "mta.a.example");
  const std::string to_sender = n.sent_by("eve", "mta.a.example");
  CHECK(from_mx.find("250-STARTTLS\r\n") != std::string::npos);
  CHECK(to_sender.find("250-XXXXXXXA\r\n") != std::string::npos);
  CHECK(to_sender.find("STARTTLS") == std::string::npos);
  CHECK(from_mx.size() == to_sender.size());  // same length: the multiline reply stays valid
  // What eve learnt.
  CHECK(n.read_line("MAIL FROM:<a@a.example>"));
  CHECK(n.read_line("RCPT TO:<b@b.example>"));
  REQUIRE(n.mitm->captures().size() == 1);
  const MitmCapture& c = n.mitm->captures()[0];
  CHECK(c.mail_from == "<a@a.example>");
  CHECK(c.rcpt_to == std::vector<std::string>{"<b@b.example>"});
  CHECK(c.data.find("Revenue is up 12%.\r\n.hidden line\r\n") != std::string::npos);  // unstuffed
  CHECK_FALSE(c.inside_tls);
  CHECK(c.client == "mta.a.example");
  CHECK(c.server == "mx.b.example");
  CHECK(n.note_has("mitm read: MAIL FROM:<a@a.example>"));
  CHECK(n.note_has("Subject: \"The quarterly numbers\""));
}

TEST_CASE("mitm strip_starttls: a sender that requires TLS refuses to go on and eve learns nothing") {
  Net n(MitmMode::StripStartTls, smtp::TlsMode::Required, TlsVerify::Peer);
  n.send();
  n.w.sched.run_until(minutes(25));
  CHECK(n.delivered() == 0);
  CHECK(n.sender->queue_depth() == 1);
  CHECK(n.mitm->stats().stripped >= 2);  // the first attempt and the retry at 10 minutes
  CHECK(n.queue_has("TLS required but not offered by host mx.b.example"));
  CHECK(n.read_line("EHLO mta.a.example"));
  CHECK_FALSE(n.read_line("MAIL"));
  CHECK_FALSE(n.read_line("RCPT"));
  CHECK(n.mitm->captures().empty());
  // After the give-up time the message bounces (to a.example, which this net cannot reach) - but
  // it never crosses eve in plaintext.
  n.w.sched.run_until(hours(2));
  CHECK(n.delivered() == 0);
  CHECK(n.mitm->captures().empty());
}

TEST_CASE("mitm strip_starttls: a client that sends STARTTLS anyway has it rewritten, the server refuses it") {
  Net n(MitmMode::StripStartTls, smtp::TlsMode::None, TlsVerify::None);
  std::string got;
  StreamPtr keep;
  int step = 0;  // 0: wait for the greeting, 1: wait for the end of the EHLO reply, 2: STARTTLS sent
  n.w.net.connect(n.a, n.w.net.host_ip(n.mx), 25, [&](ConnectResult r, StreamPtr s) {
    REQUIRE(r == ConnectResult::Ok);
    keep = s;
    CHECK(s->remote_name() == "mx.b.example");  // the client cannot tell
    StreamHandler h;
    h.on_data = [&, s](std::string_view b) {
      got.append(b);
      if (step == 0 && got.find("220 ") == 0 && got.find("\r\n") != std::string::npos) {
        step = 1;
        s->write("EHLO raw.client\r\n");
      } else if (step == 1 && got.find("\r\n250 ") != std::string::npos) {
        step = 2;
        got += "STARTTLS-sent\n";
        s->write("STARTTLS\r\n");
      }
    };
    s->set_handler(std::move(h));
  });
  n.w.sched.run_until(sec(5));
  CHECK(got.find("250-XXXXXXXA") != std::string::npos);
  REQUIRE(got.find("STARTTLS-sent") != std::string::npos);
  const std::string after = got.substr(got.find("STARTTLS-sent"));
  CHECK(after.find("\n500 5.5.2") != std::string::npos);
  CHECK(n.mitm->stats().blocked == 1);
  CHECK(n.sent_by("eve", "mx.b.example").find("XXXXXXXX\r\n") != std::string::npos);
  if (keep) keep->abort();
}

TEST_CASE("mitm impersonate: a verifying sender refuses the forged certificate") {
  Net n(MitmMode::Impersonate, smtp::TlsMode::Required, TlsVerify::Peer);
  n.send();
  n.w.sched.run_until(minutes(5));
  CHECK(n.delivered() == 0);
  CHECK(n.sender->queue_depth() == 1);
  CHECK(n.mitm->stats().forgery_refused == 1);
  CHECK(n.mitm->stats().impersonated == 0);
  CHECK(n.tls_done("mta.a.example") == 0);
  CHECK(n.tls_done("mx.b.example") == 0);  // eve never started TLS with the server for nothing
  CHECK(n.note_has("refused the forged certificate"));
  CHECK_FALSE(n.read_line("MAIL"));
  CHECK(n.mitm->captures().empty());
  // The sender's own account of it: the handshake failed on the certificate.
  bool cert_failure = false;
  for (const TraceEvent& e : n.w.trace.events())
    if (e.kind == TraceKind::Tls && e.host == "mta.a.example" && e.text.rfind("failed", 0) == 0 &&
        e.text.find("certificate") != std::string::npos)
      cert_failure = true;
  CHECK(cert_failure);
}

TEST_CASE("mitm impersonate: a sender that does not verify is fooled, eve reads inside TLS") {
  Net n(MitmMode::Impersonate, smtp::TlsMode::Opportunistic, TlsVerify::None);
  n.send();
  n.w.sched.run_until(minutes(5));
  REQUIRE(n.delivered() == 1);
  CHECK(n.mitm->stats().impersonated == 1);
  // Two TLS sessions, each with eve: the sender believes it has TLS with the MX (and has).
  CHECK(n.tls_done("mta.a.example") == 1);
  CHECK(n.tls_done("eve") == 2);
  CHECK(n.tls_done("mx.b.example") == 1);
  REQUIRE(n.mitm->captures().size() == 1);
  CHECK(n.mitm->captures()[0].inside_tls);
  CHECK(n.mitm->captures()[0].data.find("Revenue is up 12%.") != std::string::npos);
  CHECK(n.note_has("mitm read inside TLS: MAIL FROM:<a@a.example>"));
  // The server still saw TLS (eve did STARTTLS with it) and a transparent client.
  CHECK(n.mailbox_text().find("ESMTPS") != std::string::npos);
}

TEST_CASE("mitm impersonate: a server without STARTTLS gets the client's TLS-protected dialogue in plaintext") {
  Net n(MitmMode::Impersonate, smtp::TlsMode::Opportunistic, TlsVerify::None, /*mx_tls=*/false);
  n.send();
  n.w.sched.run_until(minutes(5));
  // The MX offers no STARTTLS, so the sender never asks: eve simply relays and reads.
  REQUIRE(n.delivered() == 1);
  CHECK(n.mitm->stats().impersonated == 0);
  CHECK(n.mitm->captures().size() == 1);
}

TEST_CASE("mitm: a crash of the man in the middle cuts the path; after a restart it intercepts again") {
  Net n(MitmMode::StripStartTls, smtp::TlsMode::Opportunistic, TlsVerify::None);
  n.w.sched.schedule_at(sec(0), [&] { n.w.net.crash(n.eve, "unplugged"); });
  n.send(sec(1));
  n.w.sched.run_until(minutes(5));
  CHECK(n.delivered() == 0);  // eve is inline: down, it is a cut cable
  CHECK_FALSE(n.w.net.intercepting(n.eve, 25));
  n.w.net.restart(n.eve);
  CHECK(n.w.net.intercepting(n.eve, 25));
  n.w.sched.run_until(minutes(30));  // the sender retries at 10 minutes
  CHECK(n.delivered() == 1);
  CHECK(n.mitm->captures().size() == 1);
}
