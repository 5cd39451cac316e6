// scenario_actions_file_test.cpp - an --actions file read against a lesson: lesson timeline and
// send entries read by the lesson loader's own readers (same keys, same messages), verbs
// collected for the caller, every problem at file:line:column.
#include <catch2/catch.hpp>

#include "scenario_test_util.hpp"
#include "sim/scenario/scenario_actions_file.hpp"

using namespace smtpsim;
using namespace smtpsim::scenario;

namespace {
const std::vector<std::string> kVerbs{"rewind_to", "screenshot", "presenter"};

ScenarioSpec story() {
  LoadResult r = load_scenario_file(test::source_path("scenarios/lessons/story.yaml"));
  REQUIRE(r.ok());
  return *r.spec;
}

ActionsFile read(const std::string& text) { return load_actions_string(text, "a.yaml", story(), kVerbs); }
}  // namespace

TEST_CASE("actions file: timeline entries, sends and verbs, in file order") {
  ActionsFile f = read(
      "# a cut link restored early, then a rewind\n"
      "- { at: 20m, link: [internet, mx1.b.example], state: up, note: restored early }\n"
      "- { at: 21m, send: { from: a@a.example, to: [b@b.example], subject: \"Again\" } }\n"
      "- { at: 25m, host: mx2.b.example, behaviour: { rcpt: normal } }\n"
      "- { at: 30m, rewind_to: 10m }\n"
      "- at: 10m\n"
      "  crash: out1.fra\n");
  INFO(f.format());
  REQUIRE(f.ok());
  REQUIRE(f.entries.size() == 5);
  const LinkAction* l = std::get_if<LinkAction>(&f.entries[0].timeline->action);
  REQUIRE(l);
  CHECK(l->a == "internet");
  CHECK(l->b == "mx1.b.example");
  CHECK(l->up == true);
  CHECK(f.entries[0].timeline->note == "restored early");
  CHECK(f.entries[0].at == minutes(20));
  REQUIRE(f.entries[1].message);
  CHECK(f.entries[1].at == minutes(21));
  CHECK(f.entries[1].message->via == "client-c");  // resolved like a lesson's send entry
  CHECK(f.entries[1].message->id.empty());          // the run names it
  CHECK(f.entries[1].message->to == std::vector<std::string>{"b@b.example"});
  CHECK(std::holds_alternative<BehaviourChange>(f.entries[2].timeline->action));
  CHECK(f.entries[3].verb == "rewind_to");
  CHECK(f.entries[3].value == "10m");
  CHECK(f.entries[3].value_pos.line == 5);
  CHECK(f.entries[4].at == minutes(10));  // after a rewind, times go back: file order rules
  CHECK(std::get<HostAction>(f.entries[4].timeline->action).host == "out1.fra");
}

TEST_CASE("actions file: problems at file:line:column, in the lesson loader's words") {
  auto one = [](const std::string& text) {
    ActionsFile f = read(text);
    REQUIRE_FALSE(f.ok());
    CHECK(f.entries.empty());
    REQUIRE(!f.diagnostics.empty());
    return f.diagnostics.front().to_string();
  };
  // unknown host: the loader's message, with its suggestion
  CHECK(one("- { at: 1m, crash: out9.fra }\n").rfind("a.yaml:1:", 0) == 0);
  CHECK(one("- { at: 1m, link: [internet, mx3.b.example], state: down }\n").find("mx3.b.example") != std::string::npos);
  // no link between two known hosts
  CHECK(one("- { at: 1m, link: [client-c, mx1.b.example], state: down }\n") ==
        "a.yaml:1:19: link: there is no link between client-c and mx1.b.example in links:");
  // a misspelt verb gets a suggestion among timeline keys and verbs
  CHECK(one("- { at: 1m, screensht: x.png }\n") == "a.yaml:1:13: unknown action 'screensht' (did you mean 'screenshot'?)");
  // two actions in one entry
  CHECK(one("- { at: 1m, rewind_to: 10s, send: { from: a@a.example, to: b@b.example } }\n")
            .find("one action per entry") != std::string::npos);
  // a missing at
  CHECK(one("- { rewind_to: 10s }\n") == "a.yaml:1:3: action: has no at: (when it happens, like at: 30s)");
  CHECK(one("- { crash: out1.fra }\n").find("has no at:") != std::string::npos);
  // an unknown user in a send
  CHECK(one("- { at: 1m, send: { from: a@a.example, to: zz@b.example } }\n").find("zz@b.example") != std::string::npos);
  // at inside send
  CHECK(one("- { at: 1m, send: { at: 2m, from: a@a.example, to: b@b.example } }\n").find("goes on the entry") != std::string::npos);
  // not a list, empty, YAML syntax
  CHECK(one("at: 1m\n").find("expected a list of actions") != std::string::npos);
  CHECK(one("").find("the file is empty") != std::string::npos);
  CHECK(one("- { at: 1m, crash: [out1.fra\n").find("YAML syntax error") != std::string::npos);
  // a verb's value must be one value
  CHECK(one("- { at: 1m, rewind_to: [1s, 2s] }\n").find("rewind_to: expected one value") != std::string::npos);
}

TEST_CASE("actions file: a file that cannot be opened is a diagnostic") {
  ActionsFile f = load_actions_file("/nonexistent/actions.yaml", story(), kVerbs);
  CHECK_FALSE(f.ok());
  CHECK(f.format() == "/nonexistent/actions.yaml: cannot open this file\n");
}
