// mail_message_test.cpp - RFC 5322 messages: byte-exact round trips, folding, editing, validation, composing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "sim/mail/mail_compose.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_mime.hpp"
#include "sim/mail/mail_validate.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

namespace {

const std::string kSample =
    "Received: from client.a.example (client.a.example [192.0.2.10])\r\n"
    "\tby out1.fra.a.example (smtpsim) with ESMTPSA id 3F2A81C0B4\r\n"
    "\tfor <bob@b.example>; Mon, 02 Mar 2026 09:15:00 +0000\r\n"
    "From: Alice <alice@a.example>\r\n"
    "To: bob@b.example\r\n"
    "Subject: a subject that is folded\r\n"
    "  across two lines\r\n"
    "Date: Mon, 02 Mar 2026 09:14:59 +0000\r\n"
    "Message-ID: <20260302091459.01A2B3@client.a.example>\r\n"
    "X-Odd-Spacing :   value with trailing space \r\n"
    "\r\n"
    "Hello Bob,\r\n"
    "\r\n"
    ".a line starting with a dot\r\n"
    "bye\r\n";

// problem_fields - the fields named by validation problems, for compact assertions.
std::vector<std::string> problem_fields(const std::vector<Problem>& ps) {
  std::vector<std::string> out;
  for (const Problem& p : ps) out.push_back(p.field);
  return out;
}

bool has_field(const std::vector<Problem>& ps, const std::string& f) {
  auto v = problem_fields(ps);
  return std::find(v.begin(), v.end(), f) != v.end();
}

}  // namespace

TEST_CASE("parse then serialize returns the exact bytes") {
  const std::string cases[] = {
      kSample,
      "",                                              // nothing at all
      "\r\n",                                          // separator only
      "\r\nbody only\r\n",                             // no headers
      "Subject: no body\r\n",                          // headers, no separator
      "Subject: no final CRLF",                        // header without CRLF at the end
      "Subject: x\r\n\r\n",                            // empty body
      "Subject: x\r\n\r\nno final CRLF",               // body without CRLF
      "A: 1\r\nB: 2\r\n\r\n\r\n\r\nbody after blank lines\r\n",
      "Subject hello\r\nno colon above\r\n",          // not a header: all body
      "From: a@x\r\nnot a header line\r\nTo: b@y\r\n\r\nbody\r\n",
      " leading space\r\nFrom: a@x\r\n",               // continuation with nothing before it
      "From: a@x\nTo: b@y\n\nLF only\n",               // bare LF: not a line end, kept
      "X: a\rb\r\n\r\nbare\rCR\r\n",
      "X:\r\n\r\n",                                    // empty value
      "X-Bin: \x01\x7f\xff\r\n\r\n\x00\x01\r\n",
      "From a@x Mon Mar  2 09:00:00 2026\r\nFrom: a@x\r\n\r\n",  // mbox separator line
  };
  for (const std::string& raw : cases) {
    INFO(raw);
    Message m = Message::parse(raw);
    CHECK(m.serialize() == raw);
    CHECK(m.size() == raw.size());
  }
}

TEST_CASE("parse splits fields, unfolds values and finds the body") {
  Message m = Message::parse(kSample);
  REQUIRE(m.headers().size() == 7);
  CHECK(m.headers()[0].name() == "Received");
  CHECK(m.headers()[6].name() == "X-Odd-Spacing");
  CHECK(m.has_separator());
  CHECK(m.body() == "Hello Bob,\r\n\r\n.a line starting with a dot\r\nbye\r\n");
  CHECK(m.get("subject") == "a subject that is folded  across two lines");
  CHECK(m.get("SUBJECT") == m.get("Subject"));
  CHECK(m.get("x-odd-spacing") == "value with trailing space");
  CHECK(m.find("Subject")->raw_value() == " a subject that is folded\r\n  across two lines");
  CHECK(m.get("Received") ==
        "from client.a.example (client.a.example [192.0.2.10])\tby out1.fra.a.example (smtpsim) with "
        "ESMTPSA id 3F2A81C0B4\tfor <bob@b.example>; Mon, 02 Mar 2026 09:15:00 +0000");
  CHECK_FALSE(m.get("Cc"));
  CHECK(m.count("received") == 1);
  CHECK(m.body_first_line() == 12);
  CHECK(m.header_bytes() == kSample.substr(0, kSample.find("\r\n\r\n") + 4));
}

TEST_CASE("a line without a colon ends the header section without a separator") {
  Message m = Message::parse("From: a@x\r\nSubject hello\r\nTo: b@y\r\n\r\nbody\r\n");
  REQUIRE(m.headers().size() == 1);
  CHECK_FALSE(m.has_separator());
  CHECK(m.body() == "Subject hello\r\nTo: b@y\r\n\r\nbody\r\n");
  CHECK(m.body_first_line() == 2);
}

TEST_CASE("from_text converts LF and CR line ends to CRLF") {
  CHECK(to_crlf("a\nb\r\nc\rd\n") == "a\r\nb\r\nc\r\nd\r\n");
  CHECK(to_crlf("") == "");
  CHECK(to_crlf("\n\n") == "\r\n\r\n");
  Message m = Message::from_text("Subject: hi\n  there\nFrom: a@x\n\nline 1\nline 2\n");
  CHECK(m.get("Subject") == "hi  there");
  CHECK(m.body() == "line 1\r\nline 2\r\n");
  CHECK(m.serialize() == "Subject: hi\r\n  there\r\nFrom: a@x\r\n\r\nline 1\r\nline 2\r\n");
  CHECK_FALSE(m.has_bare_line_ends());
}

TEST_CASE("unfold removes only CRLF before whitespace") {
  CHECK(unfold("a\r\n b") == "a b");
  CHECK(unfold("a\r\n\tb") == "a\tb");
  CHECK(unfold("a\r\nb") == "a\r\nb");
  CHECK(unfold("a\nb") == "a\nb");
  CHECK(unfold("a\r\n \r\n c") == "a  c");
}

TEST_CASE("fold_value breaks long values at whitespace within 78 columns") {
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word" + std::to_string(i) + " ";
  Header h("Subject", words);
  const std::string& raw = h.raw();
  // every physical line <= 78, continuation lines start with the space that was there
  std::size_t pos = 0;
  int lines = 0;
  while (pos < raw.size()) {
    std::size_t eol = raw.find("\r\n", pos);
    REQUIRE(eol != std::string::npos);
    CHECK(eol - pos <= 78);
    if (lines > 0) CHECK(raw[pos] == ' ');
    pos = eol + 2;
    ++lines;
  }
  CHECK(lines == 3);
  CHECK(h.value() == words.substr(0, words.size() - 1));  // unfolding restores it (trimmed)
  CHECK(raw.substr(0, 9) == "Subject: ");

  // exact text for a small case
  CHECK(fold_value("X", "aaaa bbbb cccc", 10) == " aaaa\r\n bbbb cccc");
  CHECK(fold_value("X", "aaaa bbbb cccc", 9) == " aaaa\r\n bbbb\r\n cccc");
  // a word longer than the width stays whole
  std::string longword(100, 'z');
  CHECK(fold_value("X", longword) == " " + longword);
  // pre-folded values are kept as given
  CHECK(fold_value("X", "a;\r\n\tb=c") == " a;\r\n\tb=c");
}

TEST_CASE("header values cannot inject lines") {
  Header h("Subject", "hi\r\nBcc: victim@x.example\nX: y\r");
  CHECK(h.raw() == "Subject: hi  Bcc: victim@x.example X: y\r\n");
  Message m;
  m.append(h);
  CHECK(m.count("Bcc") == 0);
  // a fold with nothing after it would leave an empty line that ends the header section
  CHECK(Header("X", "a\r\n \r\n\r\nTo: x@y").raw() == "X: a" + std::string(7, ' ') + "To: x@y\r\n");
  CHECK(Header("X", "a\r\n ").raw() == "X: a\r\n");
  CHECK(Header("X", "a\r\n b").raw() == "X: a\r\n b\r\n");
}

TEST_CASE("set, prepend, append and remove edit fields in place") {
  Message m = Message::parse(kSample);
  m.prepend("Received", "from x by y; Mon, 02 Mar 2026 09:16:00 +0000");
  CHECK(m.headers().front().raw() == "Received: from x by y; Mon, 02 Mar 2026 09:16:00 +0000\r\n");
  CHECK(m.count("Received") == 2);
  m.prepend(Header("Return-Path", "<alice@a.example>"));
  CHECK(m.headers().front().name() == "Return-Path");

  m.set("to", "carol@c.example");
  CHECK(m.get("To") == "carol@c.example");
  CHECK(m.headers()[4].raw() == "to: carol@c.example\r\n");  // same position, the name as given

  m.append("X-Extra", "1");
  m.append("X-Extra", "2");
  CHECK(m.get_all("x-extra") == std::vector<std::string>{"1", "2"});
  m.set("X-Extra", "3");
  CHECK(m.get_all("X-Extra") == std::vector<std::string>{"3"});
  CHECK(m.remove("x-extra") == 1);
  CHECK(m.remove("x-extra") == 0);
  m.set("Cc", "dave@d.example");  // absent: appended at the end
  CHECK(m.headers().back().name() == "Cc");

  // body untouched, serialization consistent
  std::string s = m.serialize();
  CHECK(s.substr(s.size() - m.body().size()) == m.body());
  CHECK(Message::parse(s).serialize() == s);
}

TEST_CASE("appending to a message whose last field had no CRLF keeps it well formed") {
  Message m = Message::parse("Subject: x");
  m.append("From", "a@x");
  CHECK(m.serialize() == "Subject: x\r\nFrom: a@x\r\n");
  m.set_body("hi\r\n");
  CHECK(m.serialize() == "Subject: x\r\nFrom: a@x\r\n\r\nhi\r\n");
}

TEST_CASE("line checks: lengths, 8-bit, bare line ends, NUL") {
  std::string ok(998, 'a'), bad(999, 'b');
  Message m = Message::parse("Subject: x\r\n\r\n" + ok + "\r\n" + bad + "\r\nshort\r\n" + bad);
  CHECK(m.long_lines() == std::vector<std::size_t>{4, 6});
  CHECK(m.max_line_length() == 999);
  CHECK(m.long_lines(10).size() == 3);
  CHECK_FALSE(m.is_8bit());
  CHECK(Message::parse("S: x\r\n\r\ncaf\xC3\xA9\r\n").is_8bit());
  CHECK(Message::parse("S: x\r\n\r\na\nb\r\n").has_bare_line_ends());
  CHECK(Message::parse("S: x\r\n\r\na\rb\r\n").has_bare_line_ends());
  CHECK_FALSE(Message::parse("S: x\r\n\r\na\r\nb\r\n").has_bare_line_ends());
  CHECK(Message::parse(std::string("S: x\r\n\r\na\0b\r\n", 13)).has_nul());
}

TEST_CASE("validate reports RFC 5322 basics") {
  SECTION("a correct message has no problems") {
    CHECK(validate(Message::parse(kSample)).empty());
  }
  SECTION("Date and From missing, Message-ID missing is a warning") {
    auto ps = validate(Message::from_text("To: b@y.example\n\nhi\n"));
    CHECK(has_field(ps, "Date"));
    CHECK(has_field(ps, "From"));
    CHECK(has_field(ps, "Message-ID"));
    CHECK(has_errors(ps));
    for (const Problem& p : ps)
      if (p.field == "Message-ID") CHECK(p.severity == Problem::Severity::Warning);
  }
  SECTION("duplicates and bad values") {
    auto ps = validate(Message::from_text(
        "From: a@x.example\nFrom: b@x.example\nDate: yesterday\nSubject: 1\nSubject: 2\n"
        "Message-ID: no-brackets@x\n\nhi\n"));
    std::vector<std::string> fields = problem_fields(ps);
    CHECK(std::count(fields.begin(), fields.end(), "From") == 1);   // appears twice
    CHECK(has_field(ps, "Date"));
    CHECK(has_field(ps, "Subject"));
    CHECK(has_field(ps, "Message-ID"));
  }
  SECTION("several authors need a Sender") {
    auto m = Message::from_text("From: a@x.example, b@x.example\nDate: Mon, 02 Mar 2026 09:15:00 +0000\n"
                                "Message-ID: <1@x.example>\n\nhi\n");
    CHECK(problem_fields(validate(m)) == std::vector<std::string>{"Sender"});
    m.append("Sender", "a@x.example");
    CHECK(validate(m).empty());
  }
  SECTION("an invalid From address") {
    auto ps = validate(Message::from_text("From: Alice <alice>\nDate: Mon, 02 Mar 2026 09:15:00 +0000\n"
                                          "Message-ID: <1@x.example>\n\nhi\n"));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].field == "From");
    CHECK(ps[0].text.find("missing \"@\"") != std::string::npos);
  }
  SECTION("long lines, bare LF, 8-bit body, a missing blank line") {
    std::string head = "From: a@x.example\r\nDate: Mon, 02 Mar 2026 09:15:00 +0000\r\nMessage-ID: <1@x.example>\r\n";
    auto ps = validate(Message::parse(head + "\r\n" + std::string(1200, 'x') + "\r\nbare\nLF\r\ncaf\xC3\xA9\r\n"));
    CHECK(has_field(ps, "line 5"));
    CHECK(has_field(ps, "message"));
    CHECK(has_field(ps, "body"));
    auto ps2 = validate(Message::parse(head + "Subject hello\r\n\r\nbody\r\n"));
    REQUIRE(ps2.size() == 1);
    CHECK(ps2[0].field == "line 4");
    CHECK(ps2[0].severity == Problem::Severity::Warning);
  }
}

TEST_CASE("is_msg_id") {
  CHECK(is_msg_id("<20260302091500.01A2B3@out1.fra.a.example>"));
  CHECK(is_msg_id("<a.b@[192.0.2.1]>"));
  CHECK_FALSE(is_msg_id("20260302@x"));
  CHECK_FALSE(is_msg_id("<no-at>"));
  CHECK_FALSE(is_msg_id("<a b@x>"));
  CHECK_FALSE(is_msg_id("<@x>"));
}

TEST_CASE("compose builds a plain message in a fixed field order") {
  ComposeSpec s;
  s.from = "Alice Example <alice@a.example>";
  s.to = {"bob@b.example", "Carol <carol@c.example>"};
  s.subject = "Lunch";
  s.date = "Mon, 02 Mar 2026 09:15:00 +0000";
  s.message_id = "<20260302091500.01A2B3@client.a.example>";
  s.body = "Hi Bob,\nlunch at noon?\n";
  Message m = compose(s);
  CHECK(m.serialize() ==
        "From: Alice Example <alice@a.example>\r\n"
        "To: bob@b.example, Carol <carol@c.example>\r\n"
        "Subject: Lunch\r\n"
        "Date: Mon, 02 Mar 2026 09:15:00 +0000\r\n"
        "Message-ID: <20260302091500.01A2B3@client.a.example>\r\n"
        "\r\n"
        "Hi Bob,\r\nlunch at noon?\r\n");
  CHECK(validate(m).empty());
}

TEST_CASE("compose adds MIME only when needed") {
  ComposeSpec s;
  s.from = "J\xC3\xBCrgen M\xC3\xBCller <juergen@a.example>";
  s.to = {"\"Doe, John\" <john@d.example>", "Smith, Ann <ann@d.example>"};
  s.subject = "Gr\xC3\xBC\xC3\x9F" "e";
  s.date = "Mon, 02 Mar 2026 09:15:00 +0000";
  s.message_id = "<1@a.example>";
  s.body = "Sch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e\n";
  Message m = compose(s);
  CHECK(m.get("From") == "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen@a.example>");
  CHECK(m.get("To") == "\"Doe, John\" <john@d.example>, \"Smith, Ann\" <ann@d.example>");
  CHECK(m.get("Subject") == "=?UTF-8?B?R3LDvMOfZQ==?=");
  CHECK(decode_words(*m.get("Subject")) == "Gr\xC3\xBC\xC3\x9F" "e");
  CHECK(m.get("MIME-Version") == "1.0");
  CHECK(m.get("Content-Type") == "text/plain; charset=UTF-8");
  CHECK(m.get("Content-Transfer-Encoding") == "quoted-printable");
  CHECK(m.body() == "Sch=C3=B6ne Gr=C3=BC=C3=9Fe\r\n");
  CHECK_FALSE(m.is_8bit());
  CHECK(validate(m).empty());

  s.encoding = BodyEncoding::EightBit;
  Message e = compose(s);
  CHECK(e.get("Content-Transfer-Encoding") == "8bit");
  CHECK(e.body() == "Sch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e\r\n");
  CHECK(e.is_8bit());

  s.encoding = BodyEncoding::Base64;
  Message b = compose(s);
  CHECK(b.get("Content-Transfer-Encoding") == "base64");
  CHECK(base64_decode_lenient(b.body()) == "Sch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e\r\n");

  s.encoding = BodyEncoding::Raw;
  Message r = compose(s);
  CHECK_FALSE(r.find("Content-Transfer-Encoding"));
  CHECK(has_field(validate(r), "body"));  // undeclared 8-bit: the lesson sees the warning
}

TEST_CASE("compose wraps an over-long ASCII line with quoted-printable in Auto mode") {
  ComposeSpec s;
  s.from = "a@x.example";
  s.date = "Mon, 02 Mar 2026 09:15:00 +0000";
  s.message_id = "<1@x.example>";
  s.body = std::string(2000, 'x') + "\n";
  Message m = compose(s);
  CHECK(m.get("Content-Transfer-Encoding") == "quoted-printable");
  CHECK(m.max_line_length() <= 76);
  CHECK(qp_decode(m.body()) == std::string(2000, 'x') + "\r\n");
  s.encoding = BodyEncoding::Raw;
  CHECK(compose(s).max_line_length() == 2000);
}

TEST_CASE("compose leaves out empty fields so lessons can build broken messages") {
  ComposeSpec s;
  s.to = {"bob@b.example"};
  s.body = "x";
  Message m = compose(s);
  CHECK(m.serialize() == "To: bob@b.example\r\n\r\nx");
  s.extra_headers = {{"X-Lesson", "1"}, {"Reply-To", "r@x.example"}};
  CHECK(compose(s).serialize() == "To: bob@b.example\r\nX-Lesson: 1\r\nReply-To: r@x.example\r\n\r\nx");
}

TEST_CASE("filler bodies have the exact size, CRLF lines and are deterministic") {
  for (std::size_t n : {0, 1, 2, 3, 4, 5, 10, 83, 84, 85, 86, 87, 88, 89, 90, 168, 1000, 4096, 100000}) {
    INFO(n);
    std::string b = filler_body(n);
    CHECK(b.size() == n);
    CHECK(b == filler_body(n));
    if (n >= 2) CHECK(b.substr(n - 2) == "\r\n");
    Message m = Message::parse("S: x\r\n\r\n" + b);
    CHECK_FALSE(m.has_bare_line_ends());
    CHECK(m.max_line_length() <= 998);
    CHECK(is_ascii(b));
  }
  CHECK(filler_body(84).substr(0, 11) == "Line 000001");
  ComposeSpec s;
  s.from = "a@x.example";
  s.body_size = 10000;
  Message m = compose(s);
  CHECK(m.body().size() == 10000);
  CHECK_FALSE(m.find("MIME-Version"));
}
