// view_menus.cpp - the right-click menus of the network canvas (issue 12): on a link (cut, restore,
// latency, loss), on a host (crash or restart, greylisting, refuse recipients with a code from the
// reply catalogue, 421, storage full, tarpit, back to normal; "send a message from here" on a
// client) and on the DNS host (its zones: SERVFAIL, NXDOMAIN, time out, remove an MX, null MX).
// Each entry puts the Action of view_hands_actions.cpp into ui.req.actions; nothing else happens
// here. The canvas (view_topology.cpp) calls right_click_menu and draw_hands_menu.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/view_hands.hpp"

namespace smtpsim::viz {

namespace {

constexpr const char* kPopup = "##hands_menu";

// host_of - the Scene's host by name (nullptr when absent).
const SceneHost* host_of(const Scene& s, const std::string& name) {
  for (const SceneHost& h : s.hosts)
    if (h.name == name) return &h;
  return nullptr;
}

// short_name - what the canvas calls a host: its label's short form ("MX1" of "MX1: B's ...").
std::string short_name(const Scene& s, const std::string& name) {
  const SceneHost* h = host_of(s, name);
  if (!h || h->label.empty()) return name;
  return h->label.substr(0, h->label.find(": "));
}

// target_point - where the menu's target is on screen: the host, or the link's middle.
ImVec2 target_point(const Scene& s, const UiState& ui) {
  const SceneHost* a = host_of(s, ui.hands.menu_a);
  const SceneHost* b = host_of(s, ui.hands.menu_b);
  if (!a) return ImVec2(ui.canvas_x + ui.canvas_w / 2, ui.canvas_y + ui.canvas_h / 2);
  CanvasPoint pa = canvas_to_screen(ui, a->x, a->y);
  if (!b) return ImVec2(pa.x + 20, pa.y + 10);
  CanvasPoint pb = canvas_to_screen(ui, b->x, b->y);
  return ImVec2((pa.x + pb.x) / 2 + 8, (pa.y + pb.y) / 2 + 8);
}

// item_list - the entries: top-level ones as they come, each submenu once where it first appears.
void item_list(const std::vector<hands::Item>& items, UiState& ui,
               void (*more)(const std::string& menu, UiState& ui) = nullptr) {
  std::vector<std::string> done;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const hands::Item& it = items[i];
    if (it.menu.empty()) {
      if (ImGui::MenuItem(it.label.c_str())) ui.req.actions.push_back(it.action);
      if (ImGui::IsItemHovered() && !it.help.empty()) ImGui::SetTooltip("%s", it.help.c_str());
      continue;
    }
    if (std::find(done.begin(), done.end(), it.menu) != done.end()) continue;
    done.push_back(it.menu);
    if (!ImGui::BeginMenu(it.menu.c_str())) continue;
    for (std::size_t j = i; j < items.size(); ++j) {
      if (items[j].menu != it.menu) continue;
      if (ImGui::MenuItem(items[j].label.c_str())) ui.req.actions.push_back(items[j].action);
      if (ImGui::IsItemHovered() && !items[j].help.empty()) ImGui::SetTooltip("%s", items[j].help.c_str());
    }
    if (more) more(it.menu, ui);
    ImGui::EndMenu();
  }
}

// link_menu - a link's entries, then its latency and loss fields.
void link_menu(const Scene& s, UiState& ui) {
  HandsUi& h = ui.hands;
  const SceneLink* l = nullptr;
  for (const SceneLink& x : s.links)
    if ((x.a == h.menu_a && x.b == h.menu_b) || (x.a == h.menu_b && x.b == h.menu_a)) l = &x;
  if (!l) {
    ImGui::TextDisabled("(this link is gone)");
    return;
  }
  ImGui::Text("The link between %s and %s", short_name(s, h.menu_a).c_str(), short_name(s, h.menu_b).c_str());
  ImGui::TextDisabled("%s - %s: now %s, %lld ms one way, %g%% loss", h.menu_a.c_str(), h.menu_b.c_str(),
                      l->state == "down" ? "cut" : l->state.c_str(), static_cast<long long>(l->latency / msec(1)),
                      l->loss * 100);
  ImGui::Separator();
  item_list(hands::link_items(s, h.menu_a, h.menu_b), ui);
  ImGui::Separator();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::InputInt("ms##latency", &h.latency_ms, 10, 100);
  h.latency_ms = std::clamp(h.latency_ms, 0, 600000);
  ImGui::SameLine();
  if (ImGui::Button("Set latency")) {
    ui.req.actions.push_back(hands::link_latency(h.menu_a, h.menu_b, msec(h.latency_ms)));
    ImGui::CloseCurrentPopup();
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::InputInt("%##loss", &h.loss_pct, 1, 10);
  h.loss_pct = std::clamp(h.loss_pct, 0, 100);
  ImGui::SameLine();
  if (ImGui::Button("Set loss")) {
    ui.req.actions.push_back(hands::link_loss(h.menu_a, h.menu_b, h.loss_pct / 100.0));
    ImGui::CloseCurrentPopup();
  }
}

// own_refusal - at the end of the "Refuse recipients" submenu: a reply line of one's own.
void own_refusal(const std::string& menu, UiState& ui) {
  if (menu != "Refuse recipients") return;
  HandsUi& h = ui.hands;
  ImGui::Separator();
  ImGui::TextDisabled("or a reply of your own:");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  ImGui::InputText("##reply_line", h.reply_line, sizeof h.reply_line);
  ImGui::SameLine();
  auto a = hands::host_refuse_rcpt(h.menu_a, h.reply_line);
  if (!a) ImGui::BeginDisabled();
  if (ImGui::Button("Refuse")) {
    ui.req.actions.push_back(*a);
    ImGui::CloseCurrentPopup();
  }
  if (!a) ImGui::EndDisabled();
  if (!a && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("A refusal is a 4xx or 5xx line, like 451 4.3.0 Try again later");
}

// host_menu - a host's entries; a client also offers compose; the DNS host its zones.
void host_menu(const Scene& s, UiState& ui) {
  HandsUi& h = ui.hands;
  const SceneHost* host = host_of(s, h.menu_a);
  if (!host) {
    ImGui::TextDisabled("(this host is gone)");
    return;
  }
  ImGui::TextUnformatted(host->label.empty() ? host->name.c_str() : host->label.c_str());
  ImGui::TextDisabled("%s (%s)%s", host->name.c_str(), host->role.c_str(), host->up ? "" : "  DOWN");
  ImGui::Separator();
  std::vector<hands::Item> items = hands::host_items(s, h.menu_a);
  item_list(items, ui, own_refusal);
  bool client = std::any_of(s.users.begin(), s.users.end(), [&](const SceneUser& u) { return u.client == host->name; });
  if (client) {
    ImGui::Separator();
    if (ImGui::MenuItem("Send a message from here...")) open_compose(s, ui, host->name);
  }
  if (h.menu_kind == "dns") {
    ImGui::Separator();
    ImGui::TextDisabled("DNS names (what the server answers):");
    item_list(hands::dns_items(s), ui);
  }
}

}  // namespace

void open_menu(UiState& ui, const std::string& kind, const std::string& a, const std::string& b, float x, float y) {
  HandsUi& h = ui.hands;
  h.menu_kind = kind;
  h.menu_a = a;
  h.menu_b = b;
  h.menu_pending = true;
  h.menu_x = x;
  h.menu_y = y;
}

// right_click_menu - a right click on the canvas: the host under the mouse ("" = none), else the
// link nearest the mouse within a few pixels, gets its menu.
void right_click_menu(const Scene& s, UiState& ui, const std::string& hovered_host) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (!hovered_host.empty()) {
    const SceneHost* h = host_of(s, hovered_host);
    open_menu(ui, h && h->role == "dns" ? "dns" : "host", hovered_host, "", m.x, m.y);
    return;
  }
  const SceneLink* best = nullptr;
  float best_d = 7;
  for (const SceneLink& l : s.links) {
    const SceneHost* a = host_of(s, l.a);
    const SceneHost* b = host_of(s, l.b);
    if (!a || !b) continue;
    CanvasPoint pa = canvas_to_screen(ui, a->x, a->y), pb = canvas_to_screen(ui, b->x, b->y);
    float dx = pb.x - pa.x, dy = pb.y - pa.y, len2 = dx * dx + dy * dy;
    float t = len2 > 0 ? std::clamp(((m.x - pa.x) * dx + (m.y - pa.y) * dy) / len2, 0.f, 1.f) : 0.f;
    float ex = pa.x + dx * t - m.x, ey = pa.y + dy * t - m.y, d = std::sqrt(ex * ex + ey * ey);
    if (d < best_d) best_d = d, best = &l;
  }
  if (best) open_menu(ui, "link", best->a, best->b, m.x, m.y);
}

void draw_hands_menu(const Scene& s, UiState& ui) {
  HandsUi& h = ui.hands;
  // (not while the canvas window is new: on the first frame, the panels appearing after it would
  // close a popup opened now - a menu asked for before the first frame opens on the second)
  if (h.menu_pending && !ImGui::IsWindowAppearing()) {
    h.menu_pending = false;
    ImGui::OpenPopup(kPopup);
    ImVec2 at = h.menu_x >= 0 ? ImVec2(h.menu_x, h.menu_y) : target_point(s, ui);
    ImGui::SetNextWindowPos(at, ImGuiCond_Always);
  }
  if (!ImGui::BeginPopup(kPopup)) {
    if (!h.menu_pending) h.menu_kind.clear();
    return;
  }
  if (h.menu_kind == "link") link_menu(s, ui);
  else host_menu(s, ui);
  ImGui::EndPopup();
}

}  // namespace smtpsim::viz
