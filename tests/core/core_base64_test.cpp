// core_base64_test.cpp - the one base64: RFC 4648 10 vectors both ways, what the strict decoder
// (SASL responses) refuses, and what the lenient one (MIME bodies, RFC 2047 words) lets through.
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/base64.hpp"

using namespace smtpsim;

namespace {
// kVectors - RFC 4648 section 10.
const std::pair<const char*, const char*> kVectors[] = {
    {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"}};
}  // namespace

TEST_CASE("base64: RFC 4648 test vectors, encoded and decoded both ways", "[core][base64]") {
  for (const auto& [plain, coded] : kVectors) {
    INFO(plain);
    CHECK(base64_encode(plain) == coded);
    CHECK(base64_decode_strict(coded) == std::optional<std::string>(plain));
    CHECK(base64_decode_lenient(coded) == std::optional<std::string>(plain));
  }
  // Every octet value, including NUL and the high ones.
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(char(i));
  CHECK(base64_decode_strict(base64_encode(all)) == all);
  CHECK(base64_encode(std::string("\0alice\0secret", 13)) == "AGFsaWNlAHNlY3JldA==");
  CHECK(base64_encode("\xff\xfe") == "//4=");
  std::string out = "data=";
  base64_encode_to(out, "foo");
  CHECK(out == "data=Zm9v");
}

TEST_CASE("base64: the strict decoder refuses everything but the one canonical form", "[core][base64]") {
  for (const char* bad : {
           "YWxpY2U",     // missing padding
           "YWxp Y2U=",   // space inside
           "YWxpY2U=\r\n",  // a line end after it
           " YWxpY2U=",   // leading space
           "YW=pY2U=",    // padding in the middle
           "Zg==Zg==",    // data after a padded quantum
           "=",           // padding alone
           "====",        // a quantum of padding
           "Z===",        // three padding characters
           "Zm9v!",       // a character outside the alphabet
           "Zm9-",        // base64url's '-' is not in this alphabet
           "Zm9_",        // nor is '_'
           "Zh==",        // the bits the padding hides are not zero
           "Zm9=",        // likewise with one '='
       }) {
    INFO(bad);
    CHECK_FALSE(base64_decode_strict(bad));
  }
}

TEST_CASE("base64: the lenient decoder skips line breaks and spaces, and nothing else", "[core][base64]") {
  CHECK(base64_decode_lenient("Zm9v\r\nYmFy") == std::optional<std::string>("foobar"));
  CHECK(base64_decode_lenient(" Zm9v\tYmFy \n") == std::optional<std::string>("foobar"));
  CHECK(base64_decode_lenient("Zg=\r\n=") == std::optional<std::string>("f"));
  CHECK(base64_decode_lenient("Zh==") == std::optional<std::string>("f"));  // hidden bits set: still "f"
  CHECK(base64_decode_lenient("\r\n") == std::optional<std::string>(""));
  for (const char* bad : {"Zm9", "Zm9v!", "Zg==Zg==", "Z===", "====", "Zm9v.YmFy", "Zm9-"}) {
    INFO(bad);
    CHECK_FALSE(base64_decode_lenient(bad));
  }
}
