// mail_received_test.cpp - exact Received/Return-Path/Delivered-To text and reading a hop chain back.
#include <catch2/catch.hpp>

#include <string>

#include "sim/mail/mail_date.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_received.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

namespace {

ReceivedFields submission() {
  ReceivedFields f;
  f.helo = "client.a.example";
  f.client_rdns = "client.a.example";
  f.client_ip = "192.0.2.10";
  f.by = "out1.fra.a.example";
  f.with = with_protocol(true, true, true);
  f.id = "3F2A81C0B4";
  f.recipients = {"bob@b.example"};
  f.date = MailClock().rfc5322(minutes(15));
  return f;
}

}  // namespace

TEST_CASE("with_protocol follows RFC 3848") {
  CHECK(with_protocol(false, false, false) == "SMTP");
  CHECK(with_protocol(true, false, false) == "ESMTP");
  CHECK(with_protocol(true, true, false) == "ESMTPS");
  CHECK(with_protocol(true, false, true) == "ESMTPA");
  CHECK(with_protocol(true, true, true) == "ESMTPSA");
  CHECK(with_protocol(false, false, false, true) == "LMTP");
  CHECK(with_protocol(false, true, true, true) == "LMTPSA");
}

TEST_CASE("Received line: one recipient gets a for clause") {
  CHECK(received_header(submission()).raw() ==
        "Received: from client.a.example (client.a.example [192.0.2.10])\r\n"
        "\tby out1.fra.a.example (smtpsim) with ESMTPSA id 3F2A81C0B4\r\n"
        "\tfor <bob@b.example>; Mon, 02 Mar 2026 09:15:00 +0000\r\n");
}

TEST_CASE("Received line: several recipients, no for clause, date on its own line") {
  ReceivedFields f = submission();
  f.recipients = {"bob@b.example", "carol@c.example"};
  f.with = with_protocol(true, false, false);
  CHECK(received_header(f).raw() ==
        "Received: from client.a.example (client.a.example [192.0.2.10])\r\n"
        "\tby out1.fra.a.example (smtpsim) with ESMTP id 3F2A81C0B4;\r\n"
        "\tMon, 02 Mar 2026 09:15:00 +0000\r\n");
}

TEST_CASE("Received line: TLS details, authenticated sender, unknown reverse DNS, IPv6") {
  ReceivedFields f = submission();
  f.helo = "[192.0.2.99]";
  f.client_rdns = "";
  f.client_ip = "2001:db8::10";
  f.tls_version = "TLSv1.3";
  f.tls_cipher = "TLS_AES_256_GCM_SHA384";
  f.tls_bits = 256;
  f.auth_user = "alice";
  CHECK(received_header(f).raw() ==
        "Received: from [192.0.2.99] (unknown [IPv6:2001:db8::10])\r\n"
        "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
        "\t(Authenticated sender: alice)\r\n"
        "\tby out1.fra.a.example (smtpsim) with ESMTPSA id 3F2A81C0B4\r\n"
        "\tfor <bob@b.example>; Mon, 02 Mar 2026 09:15:00 +0000\r\n");
}

TEST_CASE("hostile HELO text cannot break the field") {
  ReceivedFields f = submission();
  f.helo = "evil) (by fake.example\r\nX-Injected: 1";
  std::string raw = received_header(f).raw();
  CHECK(raw.find("X-Injected: 1\r\n") == std::string::npos);
  CHECK(raw.find("from evil???by?fake.example??X-Injected:?1 (") != std::string::npos);
  ReceivedHop hop = parse_received(received_header(f).raw_value());
  CHECK(hop.by == "out1.fra.a.example");
  CHECK(hop.from_ip == "192.0.2.10");
}

TEST_CASE("Return-Path and Delivered-To") {
  CHECK(return_path_header(*Address::parse("alice@a.example").address).raw() == "Return-Path: <alice@a.example>\r\n");
  CHECK(return_path_header(Address()).raw() == "Return-Path: <>\r\n");
  CHECK(delivered_to_header(*Address::parse("bob@b.example").address).raw() == "Delivered-To: bob@b.example\r\n");
}

TEST_CASE("parse_received reads our own lines back") {
  ReceivedFields f = submission();
  f.tls_version = "TLSv1.3";
  f.tls_cipher = "TLS_AES_128_GCM_SHA256";
  f.tls_bits = 128;
  f.auth_user = "alice";
  ReceivedHop h = parse_received(received_header(f).raw_value());
  CHECK(h.from == "client.a.example");
  CHECK(h.from_rdns == "client.a.example");
  CHECK(h.from_ip == "192.0.2.10");
  CHECK(h.by == "out1.fra.a.example");
  CHECK(h.with == "ESMTPSA");
  CHECK(h.id == "3F2A81C0B4");
  CHECK(h.for_rcpt == "bob@b.example");
  CHECK(h.tls == "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)");
  CHECK(h.auth_user == "alice");
  CHECK(h.date == "Mon, 02 Mar 2026 09:15:00 +0000");
  CHECK(h.unix_time == 1772442900);
  CHECK(h.comments.size() == 4);  // tcp-info, using, authenticated, (smtpsim)
}

TEST_CASE("parse_received reads other MTAs' layouts") {
  SECTION("Postfix with (UTC) comment and no for") {
    ReceivedHop h = parse_received(
        "from mail-wm1-x32a.google.com (mail-wm1-x32a.google.com [IPv6:2a00:1450:4864:20::32a])\r\n"
        "\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)\r\n"
        "\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\r\n"
        "\t(No client certificate requested)\r\n"
        "\tby mx.example.org (Postfix) with ESMTPS id 4QxYz12abcz9sXY;\r\n"
        "\tMon,  2 Mar 2026 09:15:00 +0000 (UTC)");
    CHECK(h.from == "mail-wm1-x32a.google.com");
    CHECK(h.from_ip == "2a00:1450:4864:20::32a");
    CHECK(h.by == "mx.example.org");
    CHECK(h.with == "ESMTPS");
    CHECK(h.id == "4QxYz12abcz9sXY");
    CHECK(h.for_rcpt.empty());
    CHECK(h.unix_time == 1772442900);
    CHECK(h.tls.substr(0, 7) == "TLSv1.3");
  }
  SECTION("Exim") {
    ReceivedHop h = parse_received(
        "from [198.51.100.7] (helo=laptop)\r\n\tby smtp.example.net with esmtpa (Exim 4.96)\r\n"
        "\t(envelope-from <carol@example.net>)\r\n\tid 1qAbCd-000123-Xy\r\n\tfor dave@example.org; "
        "Mon, 02 Mar 2026 10:15:00 +0100");
    CHECK(h.from == "[198.51.100.7]");
    CHECK(h.from_ip.empty());
    CHECK(h.by == "smtp.example.net");
    CHECK(h.with == "esmtpa");
    CHECK(h.id == "1qAbCd-000123-Xy");
    CHECK(h.for_rcpt == "dave@example.org");
    CHECK(h.unix_time == 1772442900);
  }
  SECTION("garbage never crashes") {
    for (const char* junk : {"", ";", "(((", "from", "by", "from (a [b", "))) for <", "\r\n\t;\r\n"}) {
      ReceivedHop h = parse_received(junk);
      CHECK(h.by.empty());
    }
  }
}

TEST_CASE("parse_received_chain on a three-hop message, first hop first") {
  MailClock clock;
  Message m = Message::from_text(
      "From: alice@a.example\nTo: bob@b.example\nSubject: hops\n"
      "Date: Mon, 02 Mar 2026 09:14:59 +0000\nMessage-ID: <1@a.example>\n\nhi\n");
  // hop 1: the MUA submits to out1
  ReceivedFields h1 = submission();
  h1.date = clock.rfc5322(minutes(15));
  m.prepend(received_header(h1));
  // hop 2: out1 relays to the MX of b.example over TLS
  ReceivedFields h2;
  h2.helo = "out1.fra.a.example";
  h2.client_rdns = "out1.fra.a.example";
  h2.client_ip = "198.51.100.1";
  h2.by = "mx1.b.example";
  h2.with = "ESMTPS";
  h2.id = "51C0FFEE01";
  h2.recipients = {"bob@b.example"};
  h2.tls_version = "TLSv1.3";
  h2.tls_cipher = "TLS_AES_256_GCM_SHA384";
  h2.date = clock.rfc5322(minutes(15) + sec(2));
  m.prepend(received_header(h2));
  // hop 3: the MX hands it to the mailbox host via LMTP
  ReceivedFields h3;
  h3.helo = "mx1.b.example";
  h3.client_rdns = "mx1.b.example";
  h3.client_ip = "10.0.0.5";
  h3.by = "store.b.example";
  h3.with = "LMTP";
  h3.id = "AB12CD34EF";
  h3.recipients = {"bob@b.example"};
  h3.date = clock.rfc5322(minutes(15) + sec(3));
  m.prepend(received_header(h3));
  m.prepend(return_path_header(*Address::parse("alice@a.example").address));

  CHECK(m.count("Received") == 3);
  std::vector<ReceivedHop> chain = parse_received_chain(m);
  REQUIRE(chain.size() == 3);
  CHECK(chain[0].by == "out1.fra.a.example");
  CHECK(chain[0].from == "client.a.example");
  CHECK(chain[1].by == "mx1.b.example");
  CHECK(chain[1].from == "out1.fra.a.example");
  CHECK(chain[1].tls == "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384");
  CHECK(chain[2].by == "store.b.example");
  CHECK(chain[2].with == "LMTP");
  CHECK(chain[0].unix_time < chain[1].unix_time);
  CHECK(chain[1].unix_time < chain[2].unix_time);
  for (std::size_t i = 1; i < chain.size(); ++i) CHECK(chain[i].from == chain[i - 1].by);  // consistent path
  // the whole message still round-trips after the edits
  CHECK(Message::parse(m.serialize()).serialize() == m.serialize());
}
