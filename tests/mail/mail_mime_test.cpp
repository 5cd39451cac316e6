// mail_mime_test.cpp - Content-Type values, multipart split/join, quoted-printable, base64, RFC 2047 words.
#include <catch2/catch.hpp>

#include <string>

#include "sim/mail/mail_mime.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

TEST_CASE("parse_content_type reads type, subtype and parameters") {
  auto ct = parse_content_type("Multipart/Report; report-type=delivery-status;\r\n\tboundary=\"A1.17/x.example\"");
  REQUIRE(ct);
  CHECK(ct->mime_type() == "multipart/report");
  CHECK(ct->is("MULTIPART/REPORT"));
  CHECK(ct->param("Report-Type") == "delivery-status");
  CHECK(ct->param("boundary") == "A1.17/x.example");
  CHECK_FALSE(ct->param("charset"));
  CHECK(ct->str() == "multipart/report; report-type=delivery-status; boundary=\"A1.17/x.example\"");

  auto t = parse_content_type("text/plain (a comment) ; charset = \"us-ascii\" (another);");
  REQUIRE(t);
  CHECK(t->mime_type() == "text/plain");
  CHECK(t->param("charset") == "us-ascii");
  CHECK(t->params.size() == 1);

  auto q = parse_content_type("text/plain; name=\"a \\\"quoted\\\" name\"");
  REQUIRE(q);
  CHECK(q->param("name") == "a \"quoted\" name");

  CHECK_FALSE(parse_content_type(""));
  CHECK_FALSE(parse_content_type("text"));
  CHECK_FALSE(parse_content_type("text/"));
  CHECK_FALSE(parse_content_type("/plain"));
}

TEST_CASE("boundary rules") {
  CHECK(is_valid_boundary("3F2A81C0B4.1772442900/out1.fra.a.example"));
  CHECK(is_valid_boundary(std::string(70, 'b')));
  CHECK_FALSE(is_valid_boundary(std::string(71, 'b')));
  CHECK_FALSE(is_valid_boundary(""));
  CHECK_FALSE(is_valid_boundary("ends with space "));
  CHECK_FALSE(is_valid_boundary("semi;colon"));
  CHECK(is_mime_token("delivery-status"));
  CHECK_FALSE(is_mime_token("a/b"));
  CHECK(quote_param_value("plain") == "plain");
  CHECK(quote_param_value("x/y") == "\"x/y\"");
}

TEST_CASE("join_multipart and split_multipart are inverse, parts byte-exact") {
  std::vector<std::string> parts = {"Content-Type: text/plain\r\n\r\nhello\r\n",
                                    "Content-Type: text/plain\r\n\r\nno final CRLF",
                                    "Content-Type: text/plain\r\n\r\n--not-the-boundary\r\n",
                                    ""};
  std::string body = join_multipart(parts, "b0und", "preamble line\r\n");
  CHECK(body.substr(0, 24) == "preamble line\r\n\r\n--b0und");
  CHECK(body.substr(body.size() - 11) == "--b0und--\r\n");
  auto mp = split_multipart(body, "b0und");
  REQUIRE(mp);
  CHECK(mp->preamble == "preamble line\r\n");
  CHECK(mp->parts == parts);
  CHECK(mp->closed);
  CHECK(mp->epilogue.empty());
}

TEST_CASE("split_multipart follows RFC 2046 delimiter rules") {
  // a delimiter must start a line; "--b0undX" is not the boundary; padding after it is allowed
  std::string body = "--b0und  \r\nA\r\n--b0undX\r\nstill A\r\nx--b0und\r\n--b0und\r\nB\r\n--b0und--\r\nepilogue\r\n";
  auto mp = split_multipart(body, "b0und");
  REQUIRE(mp);
  CHECK(mp->preamble.empty());
  REQUIRE(mp->parts.size() == 2);
  CHECK(mp->parts[0] == "A\r\n--b0undX\r\nstill A\r\nx--b0und");
  CHECK(mp->parts[1] == "B");
  CHECK(mp->closed);
  CHECK(mp->epilogue == "epilogue\r\n");

  auto unclosed = split_multipart("--b\r\nonly part\r\n", "b");
  REQUIRE(unclosed);
  CHECK_FALSE(unclosed->closed);
  CHECK(unclosed->parts == std::vector<std::string>{"only part\r\n"});

  CHECK_FALSE(split_multipart("no delimiters here\r\n", "b"));
  CHECK_FALSE(split_multipart("--b\r\n", ""));
  auto at_end = split_multipart("--b", "b");
  REQUIRE(at_end);
  CHECK(at_end->parts == std::vector<std::string>{""});
}

TEST_CASE("quoted-printable encodes to 76-column lines and decodes back") {
  CHECK(qp_encode("plain text\r\n") == "plain text\r\n");
  CHECK(qp_encode("a=b\r\n") == "a=3Db\r\n");
  CHECK(qp_encode("trailing space \r\ntab\t\r\n") == "trailing space=20\r\ntab=09\r\n");
  CHECK(qp_encode("caf\xC3\xA9") == "caf=C3=A9");
  CHECK(qp_encode("bare\nLF") == "bare=0ALF");
  std::string longline(200, 'x');
  std::string enc = qp_encode(longline + "\r\n");
  std::size_t pos = 0;
  while (pos < enc.size()) {
    std::size_t eol = enc.find("\r\n", pos);
    CHECK(eol - pos <= 76);
    pos = eol + 2;
  }
  CHECK(qp_decode(enc) == longline + "\r\n");
  // "=XX" never split across a soft break
  std::string eights(100, '\xE9');
  std::string e8 = qp_encode(eights);
  CHECK(e8.find("=\r\n") % 3 == 0);
  CHECK(qp_decode(e8) == eights);
  CHECK(qp_decode("a=\r\nb=3D=41  \r\nc") == "ab=A\r\nc");
  CHECK(qp_decode("bad =ZZ =4") == "bad =ZZ =4");
}

TEST_CASE("base64 round trips and rejects junk") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode_lines("foobar") == "Zm9vYmFy\r\n");
  std::string bin;
  for (int i = 0; i < 256; ++i) bin.push_back(char(i));
  std::string enc = base64_encode_lines(bin);
  CHECK(enc.find("\r\n") == 76);
  CHECK(base64_decode_lenient(enc) == bin);
  CHECK(base64_decode_lenient("Zm9v\r\nYmFy") == "foobar");
  CHECK_FALSE(base64_decode_lenient("Zm9"));
  CHECK_FALSE(base64_decode_lenient("Zm9v!"));
  CHECK_FALSE(base64_decode_lenient("Zg==Zg=="));
}

TEST_CASE("RFC 2047 encoded words") {
  CHECK(encode_words("plain") == "plain");
  CHECK(encode_words("=?looks encoded") != "=?looks encoded");
  std::string long_utf8;
  for (int i = 0; i < 40; ++i) long_utf8 += "\xC3\xA9";  // 80 octets of 2-byte characters
  std::string enc = encode_words(long_utf8);
  std::size_t start = 0;
  int words = 0;
  while (start < enc.size()) {
    std::size_t sp = enc.find(' ', start);
    std::string w = enc.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
    CHECK(w.size() <= 75);
    CHECK(w.substr(0, 10) == "=?UTF-8?B?");
    auto dec = base64_decode_lenient(w.substr(10, w.size() - 12));
    REQUIRE(dec);
    CHECK(dec->size() % 2 == 0);  // never splits a character
    ++words;
    if (sp == std::string::npos) break;
    start = sp + 1;
  }
  CHECK(words == 2);
  CHECK(decode_words(enc) == long_utf8);
  CHECK(decode_words("=?ISO-8859-1?Q?caf=E9_au_lait?= is ready") == "caf\xE9 au lait is ready");
  CHECK(decode_words("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?= c") == "ab c");
  CHECK(decode_words("no =?broken") == "no =?broken");
}
