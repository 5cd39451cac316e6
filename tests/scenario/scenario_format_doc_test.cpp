// scenario_format_doc_test.cpp - scenarios/FORMAT.md cannot drift from the loader: every key the
// loader accepts is documented in its section, and the complete example in it loads cleanly.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "scenario/scenario_test_util.hpp"
#include "sim/scenario/scenario_keys.hpp"

using namespace smtpsim::scenario;

namespace {

// format_md - the text of scenarios/FORMAT.md.
std::string format_md() {
  std::ifstream in(test::source_path("scenarios/FORMAT.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// sections - the text after each "<!-- keys: NAME -->" marker, up to the next marker.
std::map<std::string, std::string> sections(const std::string& md) {
  std::map<std::string, std::string> out;
  const std::string tag = "<!-- keys: ";
  std::size_t at = md.find(tag);
  while (at != std::string::npos) {
    std::size_t name_end = md.find(" -->", at);
    std::string name = md.substr(at + tag.size(), name_end - at - tag.size());
    std::size_t next = md.find(tag, name_end);
    out[name] = md.substr(name_end, next == std::string::npos ? std::string::npos : next - name_end);
    at = next;
  }
  return out;
}

// marker - the section name documenting a place.
std::string marker(KeyPlace p) {
  switch (p) {
    case KeyPlace::Top: return "top";
    case KeyPlace::Lesson: return "lesson";
    case KeyPlace::Until: return "until";
    case KeyPlace::Retry: return "retry";
    case KeyPlace::RetryStage: return "retry-stage";
    case KeyPlace::Greylisting: return "greylisting";
    case KeyPlace::Domain: return "domain";
    case KeyPlace::MxEntry: return "mx-record";
    case KeyPlace::User: return "user";
    case KeyPlace::Host: return "host";
    case KeyPlace::Layout: return "layout";
    case KeyPlace::Link: return "link";
    case KeyPlace::Send: return "send";
    case KeyPlace::Dsn: return "dsn";
    case KeyPlace::Timeline: return "timeline";
    case KeyPlace::Behaviour: return "behaviour";
    case KeyPlace::ReplyOverride: return "reply-override";
    case KeyPlace::DnsAction: return "dns-action";
    case KeyPlace::Narration: return "narration";
    case KeyPlace::Matcher: return "matcher";
    case KeyPlace::Expect: return "expect";
    case KeyPlace::Attempts: return "attempts";
  }
  return "?";
}

}  // namespace

TEST_CASE("FORMAT.md documents every key of every place in that place's section") {
  auto secs = sections(format_md());
  for (KeyPlace p : all_places()) {
    INFO("section " << marker(p));
    REQUIRE(secs.count(marker(p)) == 1);
    const std::string& text = secs[marker(p)];
    for (const std::string& key : keys_of(p)) {
      INFO("key " << key);
      CHECK(text.find("`" + key + "`") != std::string::npos);
    }
  }
}

TEST_CASE("FORMAT.md documents every key of every role in that role's section") {
  auto secs = sections(format_md());
  for (Role r : all_roles()) {
    std::string name = std::string("role-") + to_string(r);
    INFO("section " << name);
    REQUIRE(secs.count(name) == 1);
    for (const std::string& key : role_keys(r)) {
      INFO("key " << key);
      CHECK(secs[name].find("`" + key + "`") != std::string::npos);
    }
    CHECK(secs["host"].find("`" + std::string(to_string(r)) + "`") != std::string::npos);
  }
}

TEST_CASE("FORMAT.md's complete lesson loads without a single diagnostic") {
  std::string md = format_md();
  std::size_t mark = md.find("<!-- complete lesson");
  REQUIRE(mark != std::string::npos);
  std::size_t start = md.find("```yaml\n", mark);
  REQUIRE(start != std::string::npos);
  start += 8;
  std::size_t end = md.find("```", start);
  LoadResult r = load_scenario_string(md.substr(start, end - start), "FORMAT.md");
  INFO(r.format());
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());
  CHECK(r.spec->hosts.size() == 11);  // ten written + internet
  CHECK(r.spec->expectations.size() == 4);
}
