// mail_dsn_test.cpp - RFC 3464 DSNs: structure parsed back, per-recipient fields, RET, NOTIFY, delays, no bounce of a bounce.
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/time.hpp"
#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_mime.hpp"
#include "sim/mail/mail_validate.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

namespace {

const char* kBodyMarker = "The secret body line that RET=HDRS must not return.";

Message original() {
  return Message::from_text(std::string(
      "Received: from client.a.example (client.a.example [192.0.2.10])\n"
      "\tby out1.fra.a.example (smtpsim) with ESMTPSA id 3F2A81C0B4\n"
      "\tfor <bob@b.example>; Mon, 02 Mar 2026 09:15:00 +0000\n"
      "From: Alice <alice@a.example>\nTo: bob@b.example\nSubject: lunch\n"
      "Date: Mon, 02 Mar 2026 09:14:59 +0000\nMessage-ID: <20260302091459.01A2B3@client.a.example>\n\n"
      "Hi Bob,\n") + kBodyMarker + "\n");
}

Envelope envelope() {
  Envelope e;
  e.reverse_path = *Address::parse("alice@a.example").address;
  Recipient r;
  r.address = *Address::parse("bob@b.example").address;
  e.recipients.push_back(r);
  return e;
}

DsnRecipientReport user_unknown(const Envelope& e) {
  DsnRecipientReport r;
  r.recipient = e.recipients.front();
  r.action = DsnAction::Failed;
  r.status = "5.1.1";
  r.remote_mta = "mx1.b.example";
  r.remote_ip = "192.0.2.25";
  r.diagnostic = "550 5.1.1 <bob@b.example>: Recipient address rejected: User unknown in local recipient table";
  r.smtp_command = "RCPT TO";
  r.last_attempt = minutes(15) + sec(2);
  r.attempts = 1;
  return r;
}

// flat - text with every run of whitespace (line breaks and indentation too) made one space, so
// phrase checks do not depend on where the text wraps.
std::string flat(const std::string& t) {
  std::string out;
  bool ws = false;
  for (char c : t) {
    if (c == ' ' || c == '\r' || c == '\n' || c == '\t') {
      ws = true;
      continue;
    }
    if (ws && !out.empty()) out.push_back(' ');
    ws = false;
    out.push_back(c);
  }
  return out;
}

DsnReport report() {
  DsnReport rep;
  rep.reporting_mta = "out1.fra.a.example";
  rep.now = minutes(15) + sec(3);
  rep.arrival = minutes(15);
  rep.queue_id = "3F2A81C0B4";
  rep.message_id = "<20260302091503.07BEEF@out1.fra.a.example>";
  return rep;
}

}  // namespace

TEST_CASE("a failure DSN parses back: type, boundary, fields, the full original") {
  Envelope env = envelope();
  Message orig = original();
  DsnReport rep = report();
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, orig);
  REQUIRE(dsn);

  // envelope: MAIL FROM:<>, RCPT TO:<original sender>
  CHECK(is_bounce(dsn->envelope));
  REQUIRE(dsn->envelope.recipients.size() == 1);
  CHECK(dsn->envelope.recipients[0].address.str() == "alice@a.example");
  CHECK(dsn->envelope.body == BodyType::Unspecified);

  const Message& m = dsn->message;
  CHECK(m.get("From") == "MAILER-DAEMON@out1.fra.a.example (Mail Delivery System)");
  CHECK(m.get("To") == "alice@a.example");
  CHECK(m.get("Subject") == "Undelivered Mail Returned to Sender");
  CHECK(m.get("Date") == "Mon, 02 Mar 2026 09:15:03 +0000");
  CHECK(m.get("Message-ID") == "<20260302091503.07BEEF@out1.fra.a.example>");
  CHECK(m.get("Auto-Submitted") == "auto-replied");
  CHECK(m.get("MIME-Version") == "1.0");
  CHECK(m.find("Content-Type")->raw() ==
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        "\tboundary=\"3F2A81C0B4.1772442903/out1.fra.a.example\"\r\n");
  CHECK_FALSE(has_errors(validate(m)));
  CHECK(validate(m).empty());
  CHECK(m.max_line_length() <= 78);

  std::string err;
  auto p = parse_dsn(m, &err);
  REQUIRE(p);
  CHECK(err.empty());
  CHECK(p->boundary == "3F2A81C0B4.1772442903/out1.fra.a.example");
  CHECK(p->reporting_mta == "out1.fra.a.example");
  CHECK(p->arrival_date == "Mon, 02 Mar 2026 09:15:00 +0000");
  CHECK(p->original_envelope_id.empty());
  REQUIRE(p->recipients.size() == 1);
  const ParsedDsnRecipient& r = p->recipients[0];
  CHECK(r.final_recipient == "bob@b.example");
  CHECK(r.original_recipient.empty());
  CHECK(r.action == DsnAction::Failed);
  CHECK(r.status == "5.1.1");
  CHECK(r.remote_mta == "mx1.b.example");
  CHECK(r.diagnostic_code ==
        "smtp; 550 5.1.1 <bob@b.example>: Recipient address rejected: User unknown in local recipient table");
  CHECK(r.last_attempt_date == "Mon, 02 Mar 2026 09:15:02 +0000");
  CHECK(r.will_retry_until.empty());
  CHECK(r.field("Original-Recipient").empty());
  CHECK(p->find("BOB@b.example") == &p->recipients[0]);
  CHECK(p->find("nobody@b.example") == nullptr);

  CHECK(p->returned_type == "message/rfc822");
  CHECK(p->returned == orig.serialize());  // byte-exact copy of what was accepted

  // the text a student reads
  const std::string& t = p->human_text;
  CHECK(t.find("This is the mail system at host out1.fra.a.example.") == 0);
  CHECK(flat(t).find("<bob@b.example>: delivery failed (status 5.1.1)") != std::string::npos);
  CHECK(flat(t).find("this mailbox does not exist") != std::string::npos);
  CHECK(flat(t).find("mx1.b.example [192.0.2.25] answered the RCPT TO command with:") != std::string::npos);
  CHECK(t.find("        550 5.1.1 <bob@b.example>: Recipient address rejected: User") != std::string::npos);
  CHECK(flat(t).find("Tried 1 time over 2 seconds") != std::string::npos);
  CHECK(flat(t).find("What you can do: check the spelling of the address") != std::string::npos);
  CHECK(flat(t).find("A copy of your message is attached below.") != std::string::npos);
  CHECK(is_ascii(t));
}

TEST_CASE("the delivery-status part, exactly") {
  Envelope env = envelope();
  env.envid = "QQ+314159";
  env.recipients[0].orcpt = OriginalRecipient{"rfc822", "Bob+list@b.example"};
  DsnReport rep = report();
  rep.received_from_mta = "client.a.example ([192.0.2.10])";
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, original());
  REQUIRE(dsn);
  auto mp = split_multipart(dsn->message.body(), "3F2A81C0B4.1772442903/out1.fra.a.example");
  REQUIRE(mp);
  REQUIRE(mp->parts.size() == 3);
  CHECK(mp->preamble == "This is a MIME-encapsulated message.\r\n");
  CHECK(mp->closed);
  CHECK(mp->parts[1] ==
        "Content-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; out1.fra.a.example\r\n"
        "Received-From-MTA: dns; client.a.example ([192.0.2.10])\r\n"
        "Original-Envelope-Id: QQ+314159\r\n"
        "Arrival-Date: Mon, 02 Mar 2026 09:15:00 +0000\r\n"
        "\r\n"
        "Original-Recipient: rfc822;Bob+list@b.example\r\n"
        "Final-Recipient: rfc822; bob@b.example\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Remote-MTA: dns; mx1.b.example\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@b.example>: Recipient address rejected:\r\n"
        " User unknown in local recipient table\r\n"
        "Last-Attempt-Date: Mon, 02 Mar 2026 09:15:02 +0000\r\n");
  auto p = parse_dsn(dsn->message);
  REQUIRE(p);
  CHECK(p->original_envelope_id == "QQ+314159");
  CHECK(p->recipients[0].original_recipient == "Bob+list@b.example");
  CHECK(p->find("Bob+list@b.example") == &p->recipients[0]);
}

TEST_CASE("RET=HDRS returns only the header of the original") {
  Envelope env = envelope();
  env.ret = Ret::Hdrs;
  DsnReport rep = report();
  rep.recipients = {user_unknown(env)};
  Message orig = original();
  auto dsn = build_dsn(rep, env, orig);
  REQUIRE(dsn);
  auto p = parse_dsn(dsn->message);
  REQUIRE(p);
  CHECK(p->returned_type == "text/rfc822-headers");
  CHECK(p->returned == orig.header_bytes().substr(0, orig.header_bytes().size() - 2));
  CHECK(p->returned.find("Subject: lunch\r\n") != std::string::npos);
  CHECK(dsn->message.serialize().find(kBodyMarker) == std::string::npos);
  CHECK(flat(p->human_text).find("RET=HDRS") != std::string::npos);

  env.ret = Ret::Full;
  auto full = build_dsn(rep, env, orig);
  REQUIRE(full);
  CHECK(full->message.serialize().find(kBodyMarker) != std::string::npos);
}

TEST_CASE("a large original comes back as headers only, and the text says why") {
  Envelope env = envelope();
  Message big = original();
  big.set_body(std::string(60000, 'x').insert(0, "big\r\n") + "\r\n");
  DsnReport rep = report();
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, big);
  REQUIRE(dsn);
  auto p = parse_dsn(dsn->message);
  REQUIRE(p);
  CHECK(p->returned_type == "text/rfc822-headers");
  CHECK(flat(p->human_text).find("more than the 50000") != std::string::npos);
  rep.return_size_limit = 0;  // no limit
  CHECK(parse_dsn(build_dsn(rep, env, big)->message)->returned_type == "message/rfc822");
}

TEST_CASE("a delay warning: Action delayed, Will-Retry-Until, headers only") {
  Envelope env = envelope();
  env.ret = Ret::Full;
  DsnReport rep = report();
  rep.now = hours(4);
  DsnRecipientReport r;
  r.recipient = env.recipients[0];
  r.action = DsnAction::Delayed;
  r.status = "4.4.1";
  r.reason = "connect to mx1.b.example[192.0.2.25]:25: Connection timed out";
  r.last_attempt = hours(4);
  r.will_retry_until = minutes(15) + days(5);
  r.attempts = 16;
  rep.recipients = {r};
  auto dsn = build_dsn(rep, env, original());
  REQUIRE(dsn);
  CHECK(dsn->message.get("Subject") == "Delayed Mail (still being retried)");
  auto p = parse_dsn(dsn->message);
  REQUIRE(p);
  REQUIRE(p->recipients.size() == 1);
  CHECK(p->recipients[0].action == DsnAction::Delayed);
  CHECK(p->recipients[0].status == "4.4.1");
  CHECK(p->recipients[0].remote_mta.empty());
  CHECK(p->recipients[0].diagnostic_code == "X-smtpsim; connect to mx1.b.example[192.0.2.25]:25: Connection timed out");
  CHECK(p->recipients[0].will_retry_until == "Sat, 07 Mar 2026 09:15:00 +0000");
  CHECK(p->recipients[0].last_attempt_date == "Mon, 02 Mar 2026 13:00:00 +0000");
  CHECK(p->returned_type == "text/rfc822-headers");  // even with RET=FULL (RFC 3461 4.3)
  const std::string& t = p->human_text;
  CHECK(flat(t).find("THIS IS A WARNING ONLY") != std::string::npos);
  CHECK(flat(t).find("Tried 16 times over 3 hours 45 minutes") != std::string::npos);
  CHECK(flat(t).find("until Sat, 07 Mar 2026 09:15:00 +0000") != std::string::npos);
  CHECK(flat(t).find("Last problem: connect to mx1.b.example[192.0.2.25]:25: Connection timed out.") !=
        std::string::npos);
}

TEST_CASE("giving up after retries: failed with a 4.x.x status") {
  Envelope env = envelope();
  DsnReport rep = report();
  DsnRecipientReport r;
  r.recipient = env.recipients[0];
  r.action = DsnAction::Failed;
  r.status = "4.4.1";
  r.reason = "connect to mx1.b.example[192.0.2.25]:25: Connection timed out";
  r.last_attempt = minutes(15) + hours(4);
  r.attempts = 17;
  rep.recipients = {r};
  auto p = parse_dsn(build_dsn(rep, env, original())->message);
  REQUIRE(p);
  CHECK(p->recipients[0].action == DsnAction::Failed);
  CHECK(flat(p->human_text).find("delivery failed, gave up (status 4.4.1)") != std::string::npos);
  CHECK(flat(p->human_text).find("Tried 17 times over 4 hours") != std::string::npos);
  CHECK(flat(p->human_text).find("could not be reached for the whole retry period") != std::string::npos);
}

TEST_CASE("never bounce a bounce") {
  Envelope bounce = envelope();
  bounce.reverse_path = Address();
  DsnReport rep = report();
  rep.recipients = {user_unknown(bounce)};
  CHECK_FALSE(build_dsn(rep, bounce, original()));
  // and the DSN we make is itself a bounce, so a failure delivering it makes nothing
  Envelope env = envelope();
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, original());
  REQUIRE(dsn);
  DsnReport again = report();
  again.recipients = {user_unknown(dsn->envelope)};
  CHECK_FALSE(build_dsn(again, dsn->envelope, dsn->message));
}

TEST_CASE("NOTIFY decides who is reported") {
  Envelope env = envelope();
  Recipient carol;
  carol.address = *Address::parse("carol@c.example").address;
  carol.notify = Notify{true, false, false, false};  // NEVER
  env.recipients.push_back(carol);
  DsnReport rep = report();
  DsnRecipientReport rb = user_unknown(env);
  DsnRecipientReport rc = user_unknown(env);
  rc.recipient = carol;
  rep.recipients = {rb, rc};
  auto dsn = build_dsn(rep, env, original());
  REQUIRE(dsn);
  auto p = parse_dsn(dsn->message);
  REQUIRE(p->recipients.size() == 1);
  CHECK(p->recipients[0].final_recipient == "bob@b.example");
  CHECK(flat(p->human_text).find("carol") == std::string::npos);

  rep.recipients = {rc};
  CHECK_FALSE(build_dsn(rep, env, original()));

  // SUCCESS only: no failure report, but a success report
  DsnRecipientReport rs = rb;
  rs.recipient.notify = Notify{false, true, false, false};
  rep.recipients = {rs};
  CHECK_FALSE(build_dsn(rep, env, original()));
  rs.action = DsnAction::Delivered;
  rs.status = "";
  rs.diagnostic = "250 2.0.0 Ok: queued as 51C0FFEE01";
  rs.smtp_command = "end of DATA";
  rep.recipients = {rs};
  auto ok = build_dsn(rep, env, original());
  REQUIRE(ok);
  CHECK(ok->message.get("Subject") == "Successful Mail Delivery Report");
  auto po = parse_dsn(ok->message);
  REQUIRE(po);
  CHECK(po->recipients[0].action == DsnAction::Delivered);
  CHECK(po->recipients[0].status == "2.0.0");
  CHECK(po->returned_type == "text/rfc822-headers");
  CHECK(flat(po->human_text).find("delivered (status 2.0.0)") != std::string::npos);

  CHECK(should_notify(rb.recipient, DsnAction::Failed));
  CHECK(should_notify(rb.recipient, DsnAction::Delayed));
  CHECK_FALSE(should_notify(rb.recipient, DsnAction::Relayed));
}

TEST_CASE("several recipients, one block each, in order") {
  Envelope env = envelope();
  Recipient dave;
  dave.address = *Address::parse("dave@d.example").address;
  env.recipients.push_back(dave);
  DsnReport rep = report();
  DsnRecipientReport rd;
  rd.recipient = dave;
  rd.action = DsnAction::Failed;
  rd.status = "5.1.10";
  rd.reason = "d.example publishes a null MX (MX 0 .)";
  rep.recipients = {user_unknown(env), rd};
  auto p = parse_dsn(build_dsn(rep, env, original())->message);
  REQUIRE(p);
  REQUIRE(p->recipients.size() == 2);
  CHECK(p->recipients[0].final_recipient == "bob@b.example");
  CHECK(p->recipients[1].final_recipient == "dave@d.example");
  CHECK(p->recipients[1].status == "5.1.10");
  CHECK(p->recipients[1].last_attempt_date.empty());
  CHECK(flat(p->human_text).find("null MX") != std::string::npos);
}

TEST_CASE("8-bit originals make an 8-bit DSN") {
  Envelope env = envelope();
  Message orig = original();
  orig.set_body("caf\xC3\xA9\r\n");
  DsnReport rep = report();
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, orig);
  REQUIRE(dsn);
  CHECK(dsn->envelope.body == BodyType::EightBitMime);
  CHECK(dsn->message.get("Content-Transfer-Encoding") == "8bit");
  CHECK(parse_dsn(dsn->message)->returned == orig.serialize());
}

TEST_CASE("hostile remote text cannot add fields or 8-bit to the report") {
  Envelope env = envelope();
  DsnReport rep = report();
  DsnRecipientReport r = user_unknown(env);
  r.diagnostic = "550 no\r\nAction: delivered\r\n\r\nFinal-Recipient: rfc822; x@evil.example \xFF";
  r.remote_mta = "mx\r\nStatus: 2.0.0";
  rep.recipients = {r};
  auto p = parse_dsn(build_dsn(rep, env, original())->message);
  REQUIRE(p);
  REQUIRE(p->recipients.size() == 1);
  CHECK(p->recipients[0].action == DsnAction::Failed);
  CHECK(p->recipients[0].status == "5.1.1");
  CHECK(p->recipients[0].final_recipient == "bob@b.example");
  CHECK(is_ascii(p->human_text));
}

TEST_CASE("the boundary never occurs in the content, and output is deterministic") {
  Envelope env = envelope();
  Message orig = original();
  orig.set_body("--3F2A81C0B4.1772442903/out1.fra.a.example\r\n");
  DsnReport rep = report();
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, orig);
  REQUIRE(dsn);
  auto p = parse_dsn(dsn->message);
  REQUIRE(p);
  CHECK(p->boundary == "3F2A81C0B4.1772442903/out1.fra.a.example.1");
  CHECK(p->returned == orig.serialize());
  CHECK(build_dsn(rep, env, orig)->message.serialize() == dsn->message.serialize());
  CHECK(dsn_boundary("Q", 5, "h", "") == "Q.5/h");
  CHECK(dsn_boundary("", 5, "", "") == "DSN.5/localhost");
  CHECK(dsn_boundary("Q", 5, "h", "Q.5/h Q.5/h.1") == "Q.5/h.2");
}

TEST_CASE("a DSN without a Message-ID from the caller gets a derived one") {
  Envelope env = envelope();
  DsnReport rep = report();
  rep.message_id.clear();
  rep.recipients = {user_unknown(env)};
  auto dsn = build_dsn(rep, env, original());
  REQUIRE(dsn);
  CHECK(dsn->message.get("Message-ID") == "<20260302091503.3F2A81C0B4.dsn@out1.fra.a.example>");
  CHECK(is_msg_id(*dsn->message.get("Message-ID")));
}

TEST_CASE("parse_dsn rejects what is not a delivery-status report") {
  std::string err;
  CHECK_FALSE(parse_dsn(original(), &err));
  CHECK(err == "no Content-Type field");
  Message m = Message::from_text("Content-Type: text/plain\n\nhi\n");
  CHECK_FALSE(parse_dsn(m, &err));
  CHECK(err == "Content-Type is not multipart/report");
  m = Message::from_text("Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\n\n--b--\n");
  CHECK_FALSE(parse_dsn(m, &err));
  CHECK(err == "report-type is not delivery-status");
  m = Message::from_text("Content-Type: multipart/report; report-type=delivery-status\n\nx\n");
  CHECK_FALSE(parse_dsn(m, &err));
  CHECK(err == "multipart/report without a boundary parameter");
  m = Message::from_text("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\nnone\n");
  CHECK_FALSE(parse_dsn(m, &err));
  CHECK(err == "no part delimited by the boundary");
  m = Message::from_text("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
                         "--b\nContent-Type: text/plain\n\nhello\n--b--\n");
  CHECK_FALSE(parse_dsn(m, &err));
  CHECK(err == "no message/delivery-status part");
}

TEST_CASE("status meanings, advice and durations in words") {
  CHECK(status_meaning("5.1.1") == "the receiving server says this mailbox does not exist");
  CHECK(status_meaning("4.2.2") == "the recipient's mailbox is full");
  CHECK(status_meaning("5.7.1").find("policy") != std::string::npos);
  CHECK(status_meaning("5.1.99") == "there is a problem with the recipient address");
  CHECK(status_meaning("2.0.0") == "the message was delivered");
  CHECK(status_meaning("junk") == "delivery failed");
  CHECK(status_advice("5.3.4", DsnAction::Failed).find("smaller") != std::string::npos);
  CHECK(status_advice("4.4.1", DsnAction::Delayed).find("keeps trying") != std::string::npos);
  CHECK(human_duration(0) == "less than a second");
  CHECK(human_duration(sec(45)) == "45 seconds");
  CHECK(human_duration(minutes(15)) == "15 minutes");
  CHECK(human_duration(minutes(61)) == "1 hour 1 minute");
  CHECK(human_duration(hours(4)) == "4 hours");
  CHECK(human_duration(days(5) + hours(2) + minutes(3)) == "5 days 2 hours");
  CHECK(parse_dsn_action("Delayed") == DsnAction::Delayed);
  CHECK_FALSE(parse_dsn_action("bounced"));
}
