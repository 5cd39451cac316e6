// views_hands_test.cpp - the hands-on panels (issue 12): every menu item builds exactly the Action
// the lesson loader makes from the matching `timeline:` / `send:` entry (compared through the
// lesson text both write), items that do not apply are not offered, the scene's hands-on facts
// come from the world as it stands, and a right click on a link / a host in the headless harness
// opens the menu whose entry puts the Action into the frame's requests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <imgui_internal.h>

#include "sim/scenario/scenario_load.hpp"
#include "views_harness.hpp"
#include "views_scene.hpp"
#include "viz/playback/playback.hpp"
#include "viz/playback/playback_actions.hpp"
#include "viz/scene/scene_build.hpp"
#include "viz/views/view_hands.hpp"

using namespace smtpsim;
using namespace smtpsim::viz;
using smtpsim::viz::test::Harness;

namespace {

const std::string kStory = std::string(SMTPSIM_SOURCE_DIR) + "/scenarios/lessons/story.yaml";

// text_of - an Action as a saved lesson writes it (at 0, after event 0).
std::string text_of(const scenario::Action& a) { return scenario::action_yaml({0, 0, a}); }

// story_with - the story lesson with these lines added to its timeline (at 2h, after its own).
scenario::ScenarioSpec story_with(const std::string& timeline, const std::string& send = "") {
  std::ifstream in(kStory);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::size_t t = text.find("\ntimeline:\n");
  REQUIRE(t != std::string::npos);
  text.insert(t + 11, timeline);
  if (!send.empty()) {
    std::size_t s = text.find("\nsend:\n");
    REQUIRE(s != std::string::npos);
    text.insert(s + 7, send);
  }
  auto r = scenario::load_scenario_string(text, "story+hands.yaml");
  INFO(r.format());
  REQUIRE(r.ok());
  return *r.spec;
}

// items_named - the labels of a menu's items.
std::vector<std::string> labels(const std::vector<hands::Item>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.label);
  return out;
}
bool has(const std::vector<hands::Item>& items, const std::string& label) {
  auto l = labels(items);
  return std::find(l.begin(), l.end(), label) != l.end();
}
const hands::Item& item(const std::vector<hands::Item>& items, const std::string& label) {
  for (const auto& i : items)
    if (i.label == label) return i;
  FAIL("no item " << label);
  return items.front();
}

// hands_scene - the hand-built story scene with the hands-on facts a menu needs.
Scene hands_scene() {
  Scene s = test::story_scene();
  SceneHandsHost mx2;
  mx2.name = "mx2.b.example", mx2.smtp = true, mx2.outbound = true, mx2.preset = "story";
  mx2.rcpt_refusal = "451 4.3.0 Try again later", mx2.changed = true;
  SceneHandsHost mx1;
  mx1.name = "mx1.b.example", mx1.smtp = true;
  SceneHandsHost pop;
  pop.name = "pop3.b.example", pop.pop3 = true;
  s.hands_hosts = {mx1, mx2, pop};
  SceneZone b;
  b.name = "b.example", b.mx = {{"mx1.b.example", 10}, {"mx2.b.example", 20}}, b.mx_lesson = b.mx;
  SceneZone a;
  a.name = "a.example", a.fault = "servfail";  // no MX records
  s.zones = {b, a};
  s.users = {{"a@a.example", "client-c"}, {"b@b.example", ""}};
  s.dns_host = "dns";
  s.retry_presets = {"story", "sendmail", "postfix", "exim"};
  return s;
}

// popup - the open right-click menu's window (nullptr when none is open).
ImGuiWindow* popup() {
  ImGuiContext& g = *GImGui;
  return g.OpenPopupStack.empty() ? nullptr : g.OpenPopupStack.back().Window;
}

// point_on - a point where the item `label` of window w is hovered (scanning w), or nullopt.
std::optional<ImVec2> point_on(Harness& h, ImGuiWindow* w, const char* label, const std::function<void()>& draw,
                              bool bare = false) {
  ImGuiID id = w->GetID(label);
  for (float x = w->Pos.x + 30; x < w->Pos.x + w->Size.x; x += 40)  // menu entries first, then buttons
    for (float y = w->Pos.y + 2; y < w->Pos.y + w->Size.y; y += 3) {
      h.mouse(x, y);
      h.frame(draw, bare);
      if (GImGui->HoveredId == id) return ImVec2(x, y);
    }
  return std::nullopt;
}

// right_click - a right click at (x, y): press, then release.
void right_click(Harness& h, float x, float y, const std::function<void()>& draw) {
  h.mouse(x, y);
  h.frame(draw);
  ImGui::GetIO().MouseDown[1] = true;
  h.frame(draw);
  ImGui::GetIO().MouseDown[1] = false;
  h.frame(draw);
}

}  // namespace

TEST_CASE("each hand action is the Action the loader makes from the same timeline entry", "[hands]") {
  const std::string L = "internet, mx1.b.example";
  const std::string refusal = "550 5.1.1 Recipient address rejected: User unknown in local recipient table";
  std::vector<std::pair<std::string, scenario::Action>> cases = {
      {"{ at: 2h, link: [" + L + "], state: down }", hands::link_state("internet", "mx1.b.example", false)},
      {"{ at: 2h, link: [" + L + "], state: up }", hands::link_state("internet", "mx1.b.example", true)},
      {"{ at: 2h, link: [" + L + "], latency: 200ms }", hands::link_latency("internet", "mx1.b.example", msec(200))},
      {"{ at: 2h, link: [" + L + "], loss: 0.1 }", hands::link_loss("internet", "mx1.b.example", 0.1)},
      {"{ at: 2h, crash: mx1.b.example }", hands::host_crash("mx1.b.example")},
      {"{ at: 2h, restart: mx1.b.example }", hands::host_restart("mx1.b.example")},
      {"{ at: 2h, host: mx2.b.example, behaviour: { greylisting: true } }", hands::host_greylisting("mx2.b.example", true)},
      {"{ at: 2h, host: mx2.b.example, behaviour: { greylisting: false } }", hands::host_greylisting("mx2.b.example", false)},
      {"{ at: 2h, host: mx2.b.example, behaviour: { rcpt: \"" + refusal + "\" } }", *hands::host_refuse_rcpt("mx2.b.example", refusal)},
      {"{ at: 2h, host: mx2.b.example, behaviour: { rcpt: normal } }", hands::host_rcpt_normal("mx2.b.example")},
      {"{ at: 2h, host: mx2.b.example, behaviour: { close_with_421: true } }", hands::host_close_421("mx2.b.example", true)},
      {"{ at: 2h, host: mx2.b.example, behaviour: { storage_full: true } }", hands::host_storage_full("mx2.b.example", true)},
      {"{ at: 2h, host: pop.b.example, behaviour: { tarpit: 10s } }", hands::host_tarpit("pop.b.example", sec(10))},
      {"{ at: 2h, host: mx2.b.example, behaviour: { tarpit: 30s } }", hands::host_tarpit("mx2.b.example", sec(30))},
      {"{ at: 2h, host: mx2.b.example, behaviour: { tarpit: off } }", hands::host_tarpit("mx2.b.example", 0)},
      {"{ at: 2h, host: mx2.b.example, behaviour: { normal: true } }", hands::host_normal("mx2.b.example")},
      {"{ at: 2h, dns: { name: b.example, fault: servfail } }", hands::dns_fault("b.example", scenario::DnsFaultKind::ServFail)},
      {"{ at: 2h, dns: { name: b.example, fault: nxdomain } }", hands::dns_fault("b.example", scenario::DnsFaultKind::NxDomain)},
      {"{ at: 2h, dns: { name: b.example, fault: timeout } }", hands::dns_fault("b.example", scenario::DnsFaultKind::Timeout)},
      {"{ at: 2h, dns: { name: b.example, fault: none } }", hands::dns_fault("b.example", scenario::DnsFaultKind::None)},
      {"{ at: 2h, dns: { name: b.example, null_mx: true } }", hands::dns_null_mx("b.example")},
  };
  SceneZone b;
  b.name = "b.example", b.mx = {{"mx1.b.example", 10}, {"mx2.b.example", 20}};
  cases.push_back({"{ at: 2h, dns: { name: b.example, mx: [ { host: mx2.b.example, pref: 20 } ] } }",
                   hands::dns_remove_mx(b, "mx1.b.example")});
  std::string timeline;
  for (const auto& c : cases) timeline += "  - " + c.first + "\n";
  scenario::ScenarioSpec spec = story_with(timeline);
  REQUIRE(spec.timeline.size() == 4 + cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].first);
    const scenario::TimelineEntry& loaded = spec.timeline[4 + i];
    CHECK(text_of(cases[i].second) == text_of(loaded));
    CHECK(cases[i].second.index() == 0);  // a TimelineEntry
    CHECK(std::get<scenario::TimelineEntry>(cases[i].second).action.index() == loaded.action.index());
  }
  // the exact structs for two of them
  const auto& cut = std::get<scenario::LinkAction>(std::get<scenario::TimelineEntry>(cases[0].second).action);
  CHECK(cut.a == "internet");
  CHECK(cut.b == "mx1.b.example");
  CHECK(cut.up == std::optional<bool>(false));
  CHECK_FALSE(cut.latency);
  const auto& ref = std::get<scenario::BehaviourChange>(std::get<scenario::TimelineEntry>(cases[8].second).action);
  REQUIRE(ref.replies.size() == 1);
  CHECK(ref.replies[0].command == "RCPT");
  CHECK(ref.replies[0].code == 550);
  CHECK(ref.replies[0].line == refusal);
  // not a refusal: no action
  CHECK_FALSE(hands::host_refuse_rcpt("mx2.b.example", "250 2.0.0 Ok"));
  CHECK_FALSE(hands::host_refuse_rcpt("mx2.b.example", "try later"));
}

TEST_CASE("compose builds the MessageSpec of the same send: entry", "[hands]") {
  Scene s = hands_scene();
  hands::ComposeFields f{"client-c", "a@a.example", "b@b.example, <X@Nowhere.example>; b@b.example", "Hi there",
                         "Hello B", 0};
  std::string why;
  auto m = hands::compose_message(s, f, &why);
  REQUIRE(m);
  CHECK(why.empty());
  CHECK(m->to == std::vector<std::string>{"b@b.example", "x@nowhere.example"});
  CHECK(m->via == "client-c");
  CHECK(m->unknown_ok);  // x@nowhere.example is not a user of the lesson
  scenario::ScenarioSpec spec = story_with(
      "", "  - { from: a@a.example, to: [b@b.example, x@nowhere.example], subject: \"Hi there\", body: \"Hello B\", "
          "via: client-c, unknown_ok: true }\n");
  const scenario::MessageSpec& loaded = spec.messages.front();
  scenario::MessageSpec mine = *m;
  mine.id = loaded.id;
  CHECK(text_of(mine) == text_of(loaded));
  // padding instead of a body
  f.size = 50000;
  f.to = "b@b.example";
  m = hands::compose_message(s, f, &why);
  REQUIRE(m);
  CHECK(m->size == 50000);
  CHECK(m->body.empty());
  CHECK_FALSE(m->unknown_ok);
  // incomplete forms say why
  CHECK_FALSE(hands::compose_message(s, {"client-c", "a@a.example", "", "", "", 0}, &why));
  CHECK(why.find("To:") != std::string::npos);
  CHECK_FALSE(hands::compose_message(s, {"client-c", "", "b@b.example", "", "", 0}, &why));
  CHECK(why.find("From:") != std::string::npos);
  CHECK_FALSE(hands::compose_message(s, {"", "a@a.example", "b@b.example", "", "", 0}, &why));
  CHECK_FALSE(hands::compose_message(s, {"client-c", "a@a.example", "bob", "", "", 0}, &why));
}

TEST_CASE("menus offer only what applies now", "[hands]") {
  Scene s = hands_scene();
  // links: up -> cut; down -> restore; lossy -> stop losing
  auto up = hands::link_items(s, "out1.fra", "internet");
  CHECK(has(up, "Cut the link"));
  CHECK_FALSE(has(up, "Restore the link"));
  auto down = hands::link_items(s, "internet", "mx1.b.example");
  CHECK(has(down, "Restore the link"));
  CHECK_FALSE(has(down, "Cut the link"));
  auto lossy = hands::link_items(s, "mx2.b.example", "internet");  // either order names the link
  CHECK(has(lossy, "Stop losing packets"));
  CHECK(hands::link_items(s, "client-c", "dns").empty());          // no such link
  CHECK(text_of(item(down, "Restore the link").action) == text_of(hands::link_state("internet", "mx1.b.example", true)));
  // hosts: crashed mx1 -> restart only among crash/restart; mx2 refuses RCPT -> accept again
  auto mx1 = hands::host_items(s, "mx1.b.example");
  CHECK(has(mx1, "Restart"));
  CHECK_FALSE(has(mx1, "Crash"));
  CHECK(has(mx1, "Turn greylisting on"));
  CHECK_FALSE(has(mx1, "Accept recipients again (now 451)"));
  CHECK_FALSE(has(mx1, "Back to normal"));
  auto mx2 = hands::host_items(s, "mx2.b.example");
  CHECK(has(mx2, "Crash"));
  CHECK(has(mx2, "Accept recipients again (now 451)"));
  CHECK(has(mx2, "postfix"));  // another retry schedule; not the one it has
  CHECK_FALSE(has(mx2, "story"));
  CHECK(text_of(item(mx2, "postfix").action) == text_of(*hands::host_retry("mx2.b.example", "postfix")));
  CHECK(has(mx2, "Back to normal"));
  CHECK(has(mx2, "Refuse connections (421)"));
  int refusals = 0;
  for (const auto& i : mx2)
    if (i.menu == "Refuse recipients") {
      ++refusals;
      int code = std::stoi(i.label.substr(0, 3));
      CHECK(code >= 450);
      CHECK(code <= 553);
      CHECK(i.label.find('{') == std::string::npos);  // placeholders rendered
    }
  CHECK(refusals == static_cast<int>(hands::rcpt_refusals().size()));
  CHECK(has(mx2, "550 5.1.1 Recipient address rejected: User unknown in local recipient table"));
  s.hands_hosts[0].greylisting = true;
  CHECK(has(hands::host_items(s, "mx1.b.example"), "Turn greylisting off"));
  CHECK_FALSE(has(hands::host_items(s, "mx1.b.example"), "Turn greylisting on"));
  // a POP3 server: tarpit, no SMTP items (storage_full is an SMTP server's switch in a lesson)
  auto pop = hands::host_items(s, "pop3.b.example");
  CHECK(has(pop, "wait 30 s before every reply"));
  CHECK_FALSE(has(pop, "Fill its disk (452 4.3.1)"));
  CHECK_FALSE(has(pop, "Turn greylisting on"));
  CHECK_FALSE(has(pop, "Refuse connections (421)"));
  // a client: only crash (compose is offered by the menu itself)
  CHECK(labels(hands::host_items(s, "client-c")) == std::vector<std::string>{"Crash"});
  // DNS: b.example has two MX and no fault; a.example has no MX and a SERVFAIL
  auto dns = hands::dns_items(s);
  CHECK(has(dns, "remove MX 10 mx1.b.example"));
  CHECK(has(dns, "remove MX 20 mx2.b.example"));
  int a_items = 0;
  for (const auto& i : dns)
    if (i.menu == "a.example   (now SERVFAIL)") {
      ++a_items;
      CHECK(i.label.find("remove MX") == std::string::npos);
      CHECK(i.label != "SERVFAIL");
    }
  CHECK(a_items == 4);  // NXDOMAIN, time out, clear the fault, null MX
  CHECK(text_of(item(dns, "clear the fault (servfail)").action) ==
        text_of(hands::dns_fault("a.example", scenario::DnsFaultKind::None)));
  CHECK(text_of(item(dns, "remove MX 10 mx1.b.example").action) ==
        text_of(hands::dns_mx("b.example", {{"mx2.b.example", 20}})));
}

TEST_CASE("the scene's hands-on facts follow the world: story at 1s and at 1h30m", "[hands]") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(sec(1));
  SceneBuilder sb;
  Scene s;
  sb.build(pb, s);
  auto hh = [&](const std::string& n) {
    for (const SceneHandsHost& h : s.hands_hosts)
      if (h.name == n) return h;
    FAIL("no hands host " << n);
    return SceneHandsHost{};
  };
  CHECK(hh("mx2.b.example").smtp);
  CHECK(hh("mx2.b.example").rcpt_refusal == "451 4.3.0 Try again later");  // the timeline at 0s
  CHECK(hh("mx2.b.example").changed);
  CHECK(hh("mx1.b.example").rcpt_refusal.empty());
  CHECK_FALSE(hh("mx1.b.example").changed);
  CHECK(hh("pop.b.example").pop3);
  CHECK_FALSE(hh("client-c").smtp);
  CHECK(hh("msa.a.example").outbound);
  CHECK(hh("msa.a.example").preset == "story");
  CHECK(hh("cluster-fra").smtp);  // a cluster's behaviour is its members'
  CHECK(s.dns_host == "dns");
  REQUIRE(s.zones.size() == 2);
  CHECK(s.zones[1].name == "b.example");
  REQUIRE(s.zones[1].mx.size() == 2);
  CHECK(s.zones[1].mx[0].host == "mx1.b.example");
  CHECK(s.zones[1].mx[1].pref == 20);
  CHECK(s.zones[1].fault.empty());
  bool a_user = false;
  for (const SceneUser& u : s.users)
    if (u.address == "a@a.example") a_user = u.client == "client-c";
  CHECK(a_user);
  pb.seek(hours(1) + minutes(30));  // the timeline put mx2's RCPT back to normal at 1h
  sb.build(pb, s);
  CHECK(hh("mx2.b.example").rcpt_refusal.empty());
  CHECK_FALSE(hh("mx2.b.example").changed);
}

TEST_CASE("a right click on a link opens its menu; choosing an entry makes the request", "[hands]") {
  Harness h;
  Scene s = hands_scene();
  UiState ui;
  auto draw = [&] { draw_topology(s, ui); };
  h.frame(draw);
  // the middle of out1.fra - internet (an up link)
  CanvasPoint a = canvas_to_screen(ui, s.hosts[3].x, s.hosts[3].y), b = canvas_to_screen(ui, s.hosts[5].x, s.hosts[5].y);
  float mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
  right_click(h, mx, my, draw);
  CHECK(ui.hands.menu_kind == "link");
  CHECK(ui.hands.menu_a == "out1.fra");
  CHECK(ui.hands.menu_b == "internet");
  h.frame(draw);
  ImGuiWindow* pop = popup();
  REQUIRE(pop);
  CHECK_FALSE(point_on(h, pop, "Restore the link", draw));  // the link is up
  CHECK(point_on(h, pop, "Latency", draw));
  CHECK(point_on(h, pop, "Loss", draw));
  // it fits the screen
  CHECK(pop->Pos.x >= 0);
  CHECK(pop->Pos.y >= 0);
  CHECK(pop->Pos.x + pop->Size.x <= h.w);
  CHECK(pop->Pos.y + pop->Size.y <= h.h);
  auto at = point_on(h, pop, "Cut the link", draw);
  REQUIRE(at);
  ui.req = {};
  h.click(at->x, at->y, draw);
  REQUIRE(ui.req.actions.size() == 1);
  CHECK(text_of(ui.req.actions[0]) == text_of(hands::link_state("out1.fra", "internet", false)));
  h.frame(draw);
  CHECK(popup() == nullptr);  // the menu closed
}

TEST_CASE("a right click on a host opens its menu; a refusal from the catalogue is requested", "[hands]") {
  Harness h;
  Scene s = hands_scene();
  UiState ui;
  auto draw = [&] { draw_topology(s, ui); };
  h.frame(draw);
  CanvasPoint p = canvas_to_screen(ui, s.hosts[8].x, s.hosts[8].y);  // mx2.b.example
  right_click(h, p.x, p.y, draw);
  CHECK(ui.hands.menu_kind == "host");
  CHECK(ui.hands.menu_a == "mx2.b.example");
  h.frame(draw);
  ImGuiWindow* pop = popup();
  REQUIRE(pop);
  CHECK(point_on(h, pop, "Accept recipients again (now 451)", draw));
  CHECK(point_on(h, pop, "Refuse recipients", draw));
  CHECK_FALSE(point_on(h, pop, "Restart", draw));  // it is up
  auto at = point_on(h, pop, "Crash", draw);
  REQUIRE(at);
  ui.req = {};
  h.click(at->x, at->y, draw);
  REQUIRE(ui.req.actions.size() == 1);
  CHECK(text_of(ui.req.actions[0]) == text_of(hands::host_crash("mx2.b.example")));

  // the DNS host, opened without a mouse (as --actions open_menu does): its zones
  open_menu(ui, "dns", "dns");
  h.mouse(-1000, -1000);
  h.frame(draw);
  h.frame(draw);  // a popup takes its size on its second frame
  pop = popup();
  REQUIRE(pop);
  CHECK(point_on(h, pop, "b.example   (MX 10 mx1.b.example, 20 mx2.b.example)", draw));  // a zone's submenu
  CHECK(point_on(h, pop, "a.example   (now SERVFAIL)", draw));
  CHECK(pop->Pos.x + pop->Size.x <= h.w);
  CHECK(pop->Pos.y + pop->Size.y <= h.h);
}

TEST_CASE("hand actions are flags on the timeline, named in the legend once there is one", "[hands]") {
  Harness h;
  Scene s = test::story_scene();
  UiState ui;
  auto draw = [&] { draw_clock(s, ui); };
  CHECK(h.frame(draw).find("by hand") == std::string::npos);
  s.markers.push_back({minutes(2), "action", "by hand: cut internet - mx1.b.example"});
  CHECK(h.frame(draw).find("by hand") != std::string::npos);
  // the flag stands above the track: the draw list holds its magenta triangle
  bool flag = false;
  ImDrawData* dd = ImGui::GetDrawData();
  for (int i = 0; i < dd->CmdListsCount && !flag; ++i)
    for (const ImDrawVert& v : dd->CmdLists[i]->VtxBuffer)
      if (v.col == IM_COL32(235, 110, 225, 255)) flag = true;
  CHECK(flag);
}

TEST_CASE("menus, compose and the branch list open without a mouse over the whole screen", "[hands]") {
  Harness h(1280, 800, true);
  Scene s = hands_scene();
  UiState ui;
  ui.font_mono = h.mono, ui.font_big = h.big;
  auto draw = [&] { draw_main(s, ui); };
  open_menu(ui, "link", "internet", "mx1.b.example");  // before the very first frame (as --at does)
  for (int i = 0; i < 3; ++i) h.frame(draw, true);
  ImGuiWindow* pop = popup();
  REQUIRE(pop);
  CHECK(pop->Active);
  CHECK(ui.hands.menu_kind == "link");  // still the link's menu when it opens a frame late
  CHECK(point_on(h, pop, "Restore the link", draw, true));
  CHECK(pop->Pos.x + pop->Size.x <= h.w);
  CHECK(pop->Pos.y + pop->Size.y <= h.h);
}

// replayed_hash - the trace hash `smtpsim run` gets from the branch saved as a lesson ("" when
// the saved text does not load).
static std::string replayed_hash(const Playback& pb) {
  scenario::LoadResult lr = scenario::load_scenario_string(pb.saved_lesson_text(), "saved.yaml");
  INFO(lr.format());
  if (!lr.ok()) return "";
  scenario::ScenarioRun r(*lr.spec);
  r.run_to_end();
  return r.finish().trace_hash;
}

TEST_CASE("what the menus and compose make, applied to the story, saves as a lesson that replays to the same hash",
          "[hands]") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(minutes(2));
  SceneBuilder sb;
  Scene s;
  sb.build(pb, s);
  // a message to B and to someone the lesson does not know, from the compose dialog
  std::string why;
  auto m = hands::compose_message(s, {"client-c", "a@a.example", "b@b.example, nobody@b.example", "Second try",
                                      "Hi again", 0}, &why);
  REQUIRE(m);
  // menu entries as a person picks them from the scene at this moment (before the message: a
  // message sent before a fault at the same moment replays after it - see the report to hands-engine)
  const SceneZone* a_zone = nullptr;
  for (const SceneZone& z : s.zones)
    if (z.name == "a.example") a_zone = &z;
  REQUIRE(a_zone);
  REQUIRE(a_zone->mx.size() == 1);
  pb.act(hands::dns_remove_mx(*a_zone, "mx.a.example"));  // the only MX: an empty list
  pb.act(*hands::host_retry("cluster-fra", "postfix"));
  pb.act(*hands::host_refuse_rcpt("mx2.b.example", hands::rcpt_refusals()[3].line));
  pb.act(hands::link_latency("internet", "mx2.b.example", msec(200)));
  pb.act(*m);
  sb.build(pb, s);
  int flags = 0;
  for (const SceneMarker& mk : s.markers) flags += mk.kind == "action";
  CHECK(flags == 5);
  bool refused = false;
  for (const SceneHandsHost& h : s.hands_hosts)
    if (h.name == "mx2.b.example") refused = h.rcpt_refusal.rfind("550 5.1.1", 0) == 0;
  CHECK(refused);  // the scene (and so the menu) sees the change at once
  pb.advance_to(pb.end());
  REQUIRE(pb.finished());
  CHECK(replayed_hash(pb) == pb.report().trace_hash);
}

TEST_CASE("a message composed, then a fault made at the same paused moment: the window shows what the saved "
          "lesson replays", "[hands]") {
  Playback pb;
  REQUIRE(pb.open(kStory));
  pb.set_auto_continue(true);
  pb.seek(minutes(2));
  SceneBuilder sb;
  Scene s;
  sb.build(pb, s);
  std::string why;
  auto m = hands::compose_message(s, {"client-c", "a@a.example", "b@b.example", "Before the fault", "Hi", 0}, &why);
  REQUIRE(m);
  pb.act(*m);  // the message first ...
  pb.act(hands::link_latency("internet", "mx2.b.example", msec(200)));  // ... then the fault, same event count
  REQUIRE(pb.branches().actions().size() == 2);
  CHECK(pb.branches().actions()[0].after_event == pb.branches().actions()[1].after_event);
  pb.advance_to(pb.end());
  REQUIRE(pb.finished());
  CHECK(replayed_hash(pb) == pb.report().trace_hash);
}

TEST_CASE("the actions file's view verbs open the menus, compose and the branch list; bad menu targets are refused", "[hands]") {
  auto verb = [](const char* name) -> const VerbDef& {
    for (const VerbDef& v : verb_table())
      if (std::string(v.name) == name) return v;
    FAIL("no verb " << name);
    return verb_table().front();
  };
  CHECK(verb("open_menu").check("link internet mx1.b.example").empty());
  CHECK(verb("open_menu").check("host mx2.b.example").empty());
  CHECK(verb("open_menu").check("dns dns").empty());
  CHECK_FALSE(verb("open_menu").check("link internet").empty());
  CHECK_FALSE(verb("open_menu").check("window mx2").empty());
  Playback pb;
  UiState ui;
  ActionTarget t{pb, ui, {}};
  verb("open_menu").apply(t, "link internet mx1.b.example");
  CHECK(ui.hands.menu_pending);
  CHECK(ui.hands.menu_kind == "link");
  CHECK(ui.hands.menu_a == "internet");
  CHECK(ui.hands.menu_b == "mx1.b.example");
  CHECK(ui.hands.menu_x < 0);  // at its target, not at the mouse
  verb("compose").apply(t, "on");
  CHECK(ui.hands.compose_open);
  verb("branches").apply(t, "on");
  CHECK(ui.hands.branches_open);
  verb("branches").apply(t, "off");
  CHECK_FALSE(ui.hands.branches_open);
}
