// export_json_test.cpp - the JSON writer: escaping of every kind of byte, UTF-8 validation (base64 is tested in tests/core).
#include <catch2/catch.hpp>

#include "sim/export/export_json.hpp"

using namespace smtpsim::exporter;

TEST_CASE("json_quote escapes quotes, backslashes and control characters") {
  CHECK(json_quote("") == R"("")");
  CHECK(json_quote("250 2.1.0 Ok") == R"("250 2.1.0 Ok")");
  CHECK(json_quote("say \"hi\" \\ bye") == R"("say \"hi\" \\ bye")");
  CHECK(json_quote("a\r\nb\tc\bd\fe") == R"("a\r\nb\tc\bd\fe")");
  CHECK(json_quote(std::string("nul\0x", 5)) == R"("nul\u0000x")");
  CHECK(json_quote("\x01\x1f\x7f") == R"("\u0001\u001f\u007f")");
  CHECK(json_quote("/") == R"("/")");
}

TEST_CASE("json_quote keeps valid UTF-8 and escapes every byte that is not") {
  CHECK(json_quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");                    // é
  CHECK(json_quote("\xe2\x82\xac 5") == "\"\xe2\x82\xac 5\"");              // €
  CHECK(json_quote("\xf0\x9f\x93\xa7") == "\"\xf0\x9f\x93\xa7\"");          // 📧 (4 bytes)
  CHECK(json_quote("\xff") == R"("\u00ff")");                                // never valid
  CHECK(json_quote("a\xe2\x82") == R"("a\u00e2\u0082")");                    // truncated sequence
  CHECK(json_quote("\xc0\xaf") == R"("\u00c0\u00af")");                      // overlong '/'
  CHECK(json_quote("\xe0\x80\xaf") == R"("\u00e0\u0080\u00af")");            // overlong, 3 bytes
  CHECK(json_quote("\xed\xa0\x80") == R"("\u00ed\u00a0\u0080")");            // UTF-16 surrogate
  CHECK(json_quote("\xf4\x90\x80\x80") == R"("\u00f4\u0090\u0080\u0080")");  // above U+10FFFF
  CHECK(json_quote("\x80x") == R"("\u0080x")");                              // stray continuation
  CHECK(json_quote("\xe2\x80\xa8|\xe2\x80\xa9") == R"("\u2028|\u2029")");     // JS line separators
  CHECK(json_quote("\xc2\x85|\xc2\x9b|\xc2\xa0") == "\"\\u0085|\\u009b|\xc2\xa0\"");  // NEL, CSI; NBSP kept
  // Whatever goes in, what comes out is valid UTF-8.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  CHECK(is_valid_utf8(json_quote(all)));
}

TEST_CASE("is_valid_utf8 follows RFC 3629") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xa7"));
  CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  CHECK(is_valid_utf8("\xed\x9f\xbf"));      // U+D7FF, just below the surrogates
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));
  CHECK_FALSE(is_valid_utf8("\xc1\xbf"));
  CHECK_FALSE(is_valid_utf8("\xf5\x80\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xc3"));
  CHECK_FALSE(is_valid_utf8("\xc3\x28"));
}

TEST_CASE("JsonObject writes fields in order on one line") {
  JsonObject o;
  o.str("kind", "reply").num("code", -1).unum("conn", 18446744073709551615ULL).boolean("ok", true).null("x");
  o.raw("list", "[1,2]");
  CHECK(o.done() == R"({"kind":"reply","code":-1,"conn":18446744073709551615,"ok":true,"x":null,"list":[1,2]})");
  CHECK(JsonObject().done() == "{}");
  CHECK(JsonObject().str("we\"ird", "v").done() == R"({"we\"ird":"v"})");
}
