// mail_message_fields_test.cpp - reading and adding header fields in place (find_field, find_fields,
// append_with_fields) must agree byte for byte with parse / append / serialize, and the short-value
// path of fold_value with the folding loop.
#include <catch2/catch.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/mail/mail_message.hpp"

using namespace smtpsim::mail;

namespace {

// Messages whose header sections end in every way parse() knows.
const std::vector<std::string> kShapes = {
    "From: <a@a.example>\r\nSubject: hi\r\nMessage-ID: <1@x>\r\n\r\nbody\r\n",  // separator
    "Subject: folded\r\n\tsecond line\r\nDate: Mon, 02 Mar 2026 09:15:00 +0000\r\n\r\n",  // fold, no body
    "Subject hello\r\nbody without separator\r\n",                               // first line not a field
    "From: <a@a.example>\r\nnot a field line\r\nmore\r\n",                       // body after fields, no separator
    "From: <a@a.example>",                                                        // last field without CRLF
    " starts with a continuation\r\nFrom: x\r\n",                                // continuation with nothing before
    "\r\nonly a body\r\n",                                                        // empty header section
    "",                                                                           // nothing at all
    "Subject : obsolete space before the colon\r\nmessage-id: <low@x>\r\n\r\nb",  // obs name, lower case
};

// reference_append - what parse(), append() of each field and serialize() give.
std::string reference_append(const std::string& bytes, const std::vector<Header>& fields) {
  Message m = Message::parse(bytes);
  for (const Header& h : fields) m.append(h);
  return m.serialize();
}

}  // namespace

TEST_CASE("find_field finds what Message::find finds, with the same value", "[mail][message]") {
  for (const std::string& bytes : kShapes) {
    INFO(bytes);
    const Message m = Message::parse(bytes);
    for (const char* name : {"From", "Subject", "Message-ID", "Date", "To"}) {
      const Header* h = m.find(name);
      const std::optional<FieldView> f = find_field(bytes, name);
      REQUIRE(f.has_value() == (h != nullptr));
      if (h) {
        CHECK(std::string(f->raw) == h->raw());
        CHECK(std::string(f->name) == h->name());
        CHECK(field_value(f->raw) == h->value());
      }
    }
  }
}

TEST_CASE("find_fields answers several names in one walk", "[mail][message]") {
  const std::string bytes = "Date: d\r\nFrom: a\r\nFrom: b\r\nSubject: s\r\n\r\nFrom: in the body\r\n";
  constexpr std::array<std::string_view, 3> names{"from", "Message-ID", "DATE"};
  std::array<std::optional<FieldView>, 3> found;
  find_fields(bytes, names, found);
  REQUIRE(found[0]);
  CHECK(found[0]->raw == "From: a\r\n");  // the first one
  CHECK_FALSE(found[1]);
  REQUIRE(found[2]);
  CHECK(found[2]->raw == "Date: d\r\n");
}

TEST_CASE("append_with_fields gives the bytes of parse + append + serialize", "[mail][message]") {
  const std::vector<Header> fields = {Header("Date", "Mon, 02 Mar 2026 09:15:00 +0000"),
                                      Header("From", "<alice@a.example>")};
  std::string added;
  for (const Header& h : fields) added += h.raw();
  for (const std::string& bytes : kShapes) {
    INFO(bytes);
    std::string out = "Received: x\r\n";  // appends after what out already holds
    append_with_fields(out, bytes, added);
    CHECK(out == "Received: x\r\n" + reference_append(bytes, fields));
  }
}

TEST_CASE("a short value is not folded, a long one is, as before", "[mail][message]") {
  struct Row { const char* name; std::string value; std::string folded; };
  const std::vector<Row> rows = {
      {"Date", "Mon, 02 Mar 2026 09:15:00 +0000", " Mon, 02 Mar 2026 09:15:00 +0000"},
      {"Subject", "  padded\tvalue  ", " padded\tvalue"},
      {"Subject", "   ", ""},
      {"X", std::string(74, 'a'), " " + std::string(74, 'a')},  // exactly 78 columns
      {"X", std::string(40, 'a') + " " + std::string(40, 'b'),
       " " + std::string(40, 'a') + "\r\n " + std::string(40, 'b')},  // 84 columns: folded
      {"Subject", "line\r\nbreak", " line  break"},
  };
  for (const Row& r : rows) {
    INFO(r.name << ": " << r.value);
    CHECK(fold_value(r.name, r.value) == r.folded);
  }
}
